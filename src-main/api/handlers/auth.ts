// Handlers of sign-in, lock, staff accounts and the access log: each calls one service.
import type { authMethods } from '../methods/auth.ts';
import type { HandlersFor, HandlerEnv } from '../handler-types.ts';
import type { SessionHandle } from '../session.ts';
import { AppError } from '../result.ts';
import {
  countUsers,
  createFirstAdmin,
  createUser,
  inactivityLockMinutes,
  isDemoDatabase,
  listUsers,
  lockSession,
  resolveSession,
  setInactivityLockMinutes,
  signIn,
  signOut,
  unlockSession,
  updateUser,
} from '../../services/auth.ts';
import { exportAudit, patientLogExtract, searchAudit, verifyAudit } from '../../services/audit-query.ts';
import { centralAuditCheck } from '../../sync/audit-ship.ts';
import { engineFor } from '../../sync/engine.ts';

/** Sign-in needs a shell that can keep a session (not the CLI, not a bare dispatch in tests). */
function sessionOf(env: HandlerEnv): SessionHandle {
  if (!env.session) throw new AppError('unavailable', 'Inloggning kräver programmets fönster eller webbskal.');
  return env.session;
}

function activeSessionId(env: HandlerEnv): string {
  const id = sessionOf(env).id;
  if (id === null) throw new AppError('unauthenticated', 'Du är inte inloggad.', { reason: 'signed_out' });
  return id;
}

export const authHandlers: HandlersFor<typeof authMethods> = {
  'auth.status': (env) => {
    const { ctx } = env;
    const base = { demo: isDemoDatabase(ctx), lockAfterMin: inactivityLockMinutes(ctx) };
    if (countUsers(ctx) === 0) return { state: 'setup', user: null, ...base };
    const s = resolveSession(ctx, env.session?.port.token() ?? null);
    if (s.state === 'none') return { state: 'signedOut', user: null, ...base };
    return { state: s.state, user: s.user, ...base };
  },
  'auth.signIn': async (env, input) => {
    const session = sessionOf(env);
    const signed = await signIn(env.ctx, { ...input, workstation: env.caller.workstation });
    // Signing in over an open session (another user at the same desk) ends that one.
    if (session.id !== null) signOut(env.ctx, env.caller, session.id);
    const token = session.port.adopt(signed.token);
    return { user: signed.user, ...(token === undefined ? {} : { token }) };
  },
  'auth.setupAdmin': async (env, input) => {
    const session = sessionOf(env);
    createFirstAdmin(env.ctx, env.caller.workstation, input);
    const signed = await signIn(env.ctx, {
      username: input.username,
      password: input.password,
      workstation: env.caller.workstation,
    });
    const token = session.port.adopt(signed.token);
    return { user: signed.user, ...(token === undefined ? {} : { token }) };
  },
  'auth.lock': (env) => {
    lockSession(env.ctx, activeSessionId(env));
    return { locked: true };
  },
  'auth.unlock': async (env, input) => {
    const id = activeSessionId(env);
    await unlockSession(env.ctx, id, input.password);
    const s = resolveSession(env.ctx, sessionOf(env).port.token());
    if (s.state !== 'active')
      throw new AppError('unauthenticated', 'Sessionen har avslutats. Logga in igen.', { reason: 'signed_out' });
    return { user: s.user };
  },
  'auth.signOut': (env) => {
    signOut(env.ctx, env.caller, activeSessionId(env));
    sessionOf(env).port.forget();
    return { signedOut: true };
  },
  'auth.setInactivityLock': ({ ctx, caller }, input) => {
    setInactivityLockMinutes(ctx, caller, input.minutes);
    return { lockAfterMin: input.minutes };
  },
  'users.list': ({ ctx }) => listUsers(ctx),
  'users.create': ({ ctx, caller }, input) => createUser(ctx, caller, input),
  'users.update': ({ ctx, caller }, input) => updateUser(ctx, caller, input),
  'audit.search': ({ ctx, caller }, input) => searchAudit(ctx, caller, input),
  'audit.export': ({ ctx, caller }, input) => exportAudit(ctx, caller, input),
  'audit.patientExtract': ({ ctx, caller }, input) => patientLogExtract(ctx, caller, input),
  'audit.verify': async ({ ctx }) => ({
    ...verifyAudit(ctx),
    central: await centralAuditCheck(ctx, engineFor(ctx)?.api ?? null),
  }),
};
