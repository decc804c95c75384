// Calls from a shell: the session token the client presents decides who is calling. The shells
// (web, Electron) only say how a token travels; this decides whether the call may run and as
// whom, then hands over to dispatch, which checks the method's roles.
import { dispatch } from './dispatch.ts';
import { contract } from './contract.ts';
import type { Result } from './result.ts';
import { databaseBusy, isDatabaseBusy } from './busy.ts';
import type { HandlerEnv } from './handler-types.ts';
import type { Caller, ServiceContext } from '../services/context.ts';
import { resolveSession, type SessionState } from '../services/auth.ts';
import type { Logger } from '../log.ts';

/** How one client's session token is kept: in the browser (web) or in main per window (Electron). */
export interface SessionPort {
  /** The token this client presented, or null. */
  token(): string | null;
  /** Keeps a new session for this client; returns the token the client itself must hold, if any. */
  adopt(token: string): string | undefined;
  /** Forgets the session (signed out). */
  forget(): void;
}

/** What handlers of the auth methods see of the session they run in. */
export interface SessionHandle {
  id: string | null;
  locked: boolean;
  port: SessionPort;
}

export interface ShellEnv {
  ctx: ServiceContext;
  shell: HandlerEnv['shell'];
  workstation: string;
  log?: Logger | undefined;
}

function nobody(workstation: string): Caller {
  return { userId: null, username: '', displayName: '', roles: [], workstation };
}

function refused(reason: 'signed_out' | 'locked'): Result<never> {
  return {
    ok: false,
    error:
      reason === 'locked'
        ? { code: 'unauthenticated', message: 'Skärmen är låst. Lås upp med ditt lösenord.', details: { reason } }
        : { code: 'unauthenticated', message: 'Du är inte inloggad. Logga in för att fortsätta.', details: { reason } },
  };
}

/** The session behind a token; resolving may write (last seen, lock), which another process can hold up. */
function resolveOrBusy(env: ShellEnv, name: string, token: string | null): SessionState | Result<never> {
  try {
    return resolveSession(env.ctx, token);
  } catch (err) {
    if (!isDatabaseBusy(err)) throw err;
    env.log?.warn({ err, method: name }, 'database busy while resolving the session');
    const e = databaseBusy();
    return { ok: false, error: { code: e.code, message: e.messageSv, details: e.details } };
  }
}

export async function dispatchSession(env: ShellEnv, port: SessionPort, name: string, input: unknown): Promise<Result<unknown>> {
  const def = Object.hasOwn(contract, name) ? contract[name as keyof typeof contract] : undefined;
  // Unknown names are answered by dispatch (not_found) without revealing anything else.
  const access = def && 'access' in def ? def.access : undefined;
  const session = resolveOrBusy(env, name, port.token());
  if ('ok' in session) return session;
  if (def && access !== 'public') {
    if (session.state === 'none') return refused('signed_out');
    if (session.state === 'locked' && access !== 'locked') return refused('locked');
  }
  const signedIn = session.state !== 'none';
  const handle: SessionHandle = {
    id: signedIn ? session.sessionId : null,
    locked: session.state === 'locked',
    port,
  };
  const caller = signedIn ? { ...session.caller, workstation: env.workstation } : nobody(env.workstation);
  return dispatch({ ctx: env.ctx, caller, shell: env.shell, session: handle }, name, input, env.log);
}
