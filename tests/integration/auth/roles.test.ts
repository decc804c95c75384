// Every api method, called by a signed-in user of each role through the shells' path
// (dispatchSession): allowed or `forbidden` exactly as the method declares. Unauthenticated and
// locked sessions are refused. The list is the contract's, so new methods are covered at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, contract, type MethodName } from '../../../src-main/api/contract.ts';
import { dispatchSession, type ShellEnv } from '../../../src-main/api/session.ts';
import { ROLES, type Role } from '../../../src-main/api/types.ts';
import { createUser, resolveSession } from '../../../src-main/services/auth.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { memoryPort } from '../../helpers/sessions.ts';

const { ctx } = openTestDb({ demo: true });
const env: ShellEnv = { ctx, shell: 'web', workstation: 'roles-test' };
const PASSWORD = 'roles-test-password';

function accessOf(name: MethodName): 'public' | 'locked' | undefined {
  const def = contract[name];
  return 'access' in def ? def.access : undefined;
}

const ports = new Map<Role, ReturnType<typeof memoryPort>>();

async function signedIn(role: Role) {
  const port = ports.get(role) ?? memoryPort();
  ports.set(role, port);
  // A method like auth.signOut or auth.lock ends or locks the session: start a fresh one.
  if (resolveSession(ctx, port.token()).state !== 'active') {
    const r = await dispatchSession(env, port, 'auth.signIn', { username: `only-${role}`, password: PASSWORD });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  }
  return port;
}

beforeAll(() => {
  for (const role of ROLES) {
    createUser(ctx, testCaller(['admin']), {
      username: `only-${role}`,
      displayName: `Endast ${role}`,
      password: PASSWORD,
      roles: [role],
    });
  }
});

describe('roles per method', () => {
  it('covers a contract with methods from every area', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(10);
    expect(METHOD_NAMES).toContain('calendar.range');
    expect(METHOD_NAMES).toContain('audit.search');
  });

  const cases = METHOD_NAMES.flatMap((name) => ROLES.map((role) => [name, role] as const));
  it.each(cases)('%s as %s', async (name, role) => {
    const port = await signedIn(role);
    const r = await dispatchSession(env, port, name, {});
    const allowed = contract[name].roles.includes(role);
    if (allowed) {
      if (!r.ok) expect(r.error.code, r.error.message).not.toBe('forbidden');
    } else {
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});

describe('without an unlocked session', () => {
  it.each(METHOD_NAMES)('%s is refused when nobody is signed in, unless public', async (name) => {
    const r = await dispatchSession(env, memoryPort(), name, {});
    if (accessOf(name) === 'public') {
      if (!r.ok) expect(r.error.code).not.toBe('unauthenticated');
    } else {
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { reason: 'signed_out' } } });
    }
  });

  it.each(METHOD_NAMES)('%s is refused on a locked screen, unless it unlocks or signs out', async (name) => {
    const port = memoryPort();
    await dispatchSession(env, port, 'auth.signIn', { username: 'only-admin', password: PASSWORD });
    expect(await dispatchSession(env, port, 'auth.lock', {})).toMatchObject({ ok: true });
    const r = await dispatchSession(env, port, name, {});
    if (accessOf(name) === undefined) {
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { reason: 'locked' } } });
    } else if (!r.ok) {
      expect(r.error.details).not.toEqual({ reason: 'locked' });
    }
  });

  it('refuses a forged or unknown token', async () => {
    const r = await dispatchSession(env, memoryPort('forged-token'), 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
