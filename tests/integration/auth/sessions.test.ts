// Sign-in, lockout with back-off, the inactivity lock, sign-out and staff accounts, through the
// shells' path (dispatchSession) on a real database with a clock the test moves.
import { describe, expect, it } from 'vitest';
import { dispatchSession, type ShellEnv } from '../../../src-main/api/session.ts';
import { createContext } from '../../../src-main/services/context.ts';
import {
  LOCKOUT_THRESHOLD,
  hashToken,
  lockoutDelayMs,
  startDemoSession,
  DEFAULT_LOCK_AFTER_MIN,
} from '../../../src-main/services/auth.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { seedDemo } from '../../../src-main/demo/seed.ts';
import { MONDAY_0910, tempDbPath } from '../../helpers/temp-db.ts';
import { memoryPort } from '../../helpers/sessions.ts';

function setup(options: { demo?: boolean } = { demo: true }) {
  let now = MONDAY_0910;
  const db = openDatabase(tempDbPath());
  const ctx = createContext(db, { now: () => now });
  if (options.demo) seedDemo(ctx);
  const env: ShellEnv = { ctx, shell: 'web', workstation: 'desk-7' };
  const call = (port: ReturnType<typeof memoryPort>, name: string, input: unknown = {}) =>
    dispatchSession(env, port, name, input);
  const audit = (action: string) =>
    db.prepare(`SELECT user_id, workstation, detail FROM audit_events WHERE action = ? ORDER BY seq`).all(action) as {
      user_id: string | null;
      workstation: string;
      detail: string;
    }[];
  return { ctx, db, call, audit, advance: (ms: number) => (now += ms), now: () => now };
}

const DAY = { from: '2026-11-23', to: '2026-11-24' };

describe('sign-in', () => {
  it('signs in with the right password, stores only a hash of the token, and logs it', async () => {
    const t = setup();
    const port = memoryPort();
    const r = await t.call(port, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    expect(r).toMatchObject({ ok: true, value: { user: { username: 'reception', roles: ['receptionist'] } } });
    const token = port.current!;
    expect(token.length).toBeGreaterThanOrEqual(40);
    const stored = t.db.prepare(`SELECT token_hash FROM sessions`).pluck().all() as string[];
    expect(stored).toContain(hashToken(token));
    expect(stored).not.toContain(token);
    expect(t.audit('login').at(-1)).toMatchObject({ workstation: 'desk-7' });
    expect(JSON.parse(t.audit('login').at(-1)!.detail)).toMatchObject({ result: 'ok' });
    expect(await t.call(port, 'calendar.range', DAY)).toMatchObject({ ok: true });
  });

  it('usernames are case-insensitive; a wrong password and an unknown user get the same answer', async () => {
    const t = setup();
    expect(await t.call(memoryPort(), 'auth.signIn', { username: 'RECEPTION', password: 'demo-reception' })).toMatchObject({
      ok: true,
    });
    const wrong = await t.call(memoryPort(), 'auth.signIn', { username: 'reception', password: 'nej' });
    const unknown = await t.call(memoryPort(), 'auth.signIn', { username: 'ingen', password: 'nej' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(!wrong.ok && !unknown.ok && wrong.error.message === unknown.error.message).toBe(true);
    expect(t.audit('login').filter((a) => JSON.parse(a.detail).result === 'failed')).toHaveLength(2);
  });

  it('locks the account after repeated wrong passwords, with a growing back-off', async () => {
    const t = setup();
    const attempt = (password: string) => t.call(memoryPort(), 'auth.signIn', { username: 'schema', password });
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++) await attempt(`fel-${i}`);
    // Locked now: even the right password is refused, without being checked.
    const locked = await attempt('demo-schema');
    expect(locked).toMatchObject({ ok: false, error: { code: 'unauthenticated', details: { reason: 'account_locked' } } });
    expect(!locked.ok && locked.error.message).toMatch(/spärrat.*1 min/);

    t.advance(lockoutDelayMs(LOCKOUT_THRESHOLD) + 1);
    // One more wrong password after the pause: a longer lock.
    await attempt('fel-igen');
    t.advance(lockoutDelayMs(LOCKOUT_THRESHOLD) + 1);
    expect(await attempt('demo-schema')).toMatchObject({ ok: false, error: { details: { reason: 'account_locked' } } });
    t.advance(lockoutDelayMs(LOCKOUT_THRESHOLD + 1));
    expect(await attempt('demo-schema')).toMatchObject({ ok: true });
    // A success clears the count.
    expect(t.db.prepare(`SELECT failed_attempts FROM users WHERE username = 'schema'`).pluck().get()).toBe(0);
  });

  it('grows the back-off and caps it', () => {
    expect(lockoutDelayMs(LOCKOUT_THRESHOLD - 1)).toBe(0);
    expect(lockoutDelayMs(LOCKOUT_THRESHOLD + 1)).toBe(2 * lockoutDelayMs(LOCKOUT_THRESHOLD));
    expect(lockoutDelayMs(100)).toBe(15 * 60_000);
  });
});

describe('lock and sign-out', () => {
  it('locks after inactivity even without the renderer, and only the same user unlocks', async () => {
    const t = setup();
    const port = memoryPort();
    await t.call(port, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    t.advance(DEFAULT_LOCK_AFTER_MIN * 60_000 + 1000);
    expect(await t.call(port, 'calendar.range', DAY)).toMatchObject({ ok: false, error: { details: { reason: 'locked' } } });
    expect(await t.call(port, 'auth.status')).toMatchObject({
      ok: true,
      value: { state: 'locked', user: { username: 'reception' } },
    });
    // Another user's password does not open it.
    expect(await t.call(port, 'auth.unlock', { password: 'demo-admin' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await t.call(port, 'auth.unlock', { password: 'demo-reception' })).toMatchObject({ ok: true });
    expect(await t.call(port, 'calendar.range', DAY)).toMatchObject({ ok: true });
  });

  it('takes the inactivity limit an admin sets', async () => {
    const t = setup();
    const admin = memoryPort();
    await t.call(admin, 'auth.signIn', { username: 'admin', password: 'demo-admin' });
    expect(await t.call(admin, 'auth.setInactivityLock', { minutes: 2 })).toMatchObject({ ok: true });
    const desk = memoryPort();
    await t.call(desk, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    t.advance(90_000);
    expect(await t.call(desk, 'calendar.range', DAY)).toMatchObject({ ok: true });
    t.advance(2 * 60_000 + 1);
    expect(await t.call(desk, 'calendar.range', DAY)).toMatchObject({ ok: false, error: { details: { reason: 'locked' } } });
  });

  it('signs out for good: the token is dead, and it is logged', async () => {
    const t = setup();
    const port = memoryPort();
    await t.call(port, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    const token = port.current!;
    expect(await t.call(port, 'auth.signOut')).toMatchObject({ ok: true });
    expect(port.current).toBeNull();
    expect(await t.call(memoryPort(token), 'calendar.range', DAY)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(t.audit('logout')).toHaveLength(1);
  });
});

describe('session end', () => {
  it('ends a session after a working day, however active', async () => {
    const t = setup();
    const port = memoryPort();
    await t.call(port, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    // Busy all day: a call every 9 minutes keeps the inactivity lock away.
    for (let m = 9; m < 12 * 60; m += 9) {
      t.advance(9 * 60_000);
      expect(await t.call(port, 'unit.get'), `minute ${m}`).toMatchObject({ ok: true });
    }
    t.advance(9 * 60_000 + 1000); // just past twelve hours
    expect(await t.call(port, 'calendar.range', DAY)).toMatchObject({ ok: false, error: { details: { reason: 'signed_out' } } });
  });

  it('a new sign-in at the same desk ends the session it replaces', async () => {
    const t = setup();
    const port = memoryPort();
    await t.call(port, 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    const first = port.current!;
    await t.call(port, 'auth.signIn', { username: 'schema', password: 'demo-schema' });
    expect(await t.call(memoryPort(first), 'calendar.range', DAY)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await t.call(port, 'auth.status')).toMatchObject({ ok: true, value: { user: { username: 'schema' } } });
  });
});

describe('staff accounts', () => {
  it('an admin creates, changes and deactivates accounts; deactivation ends their sessions', async () => {
    const t = setup();
    const admin = memoryPort();
    await t.call(admin, 'auth.signIn', { username: 'admin', password: 'demo-admin' });
    const created = await t.call(admin, 'users.create', {
      username: 'nina',
      displayName: 'Nina Ny',
      password: 'nina-lösenord-1',
      roles: ['receptionist'],
    });
    expect(created).toMatchObject({ ok: true, value: { username: 'nina', active: true } });
    const id = (created as { value: { id: string } }).value.id;
    expect(
      await t.call(admin, 'users.create', { username: 'NINA', displayName: 'x', password: 'x'.repeat(12), roles: ['admin'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(
      await t.call(admin, 'users.create', { username: 'kort', displayName: 'x', password: 'kort', roles: ['admin'] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const nina = memoryPort();
    expect(await t.call(nina, 'auth.signIn', { username: 'nina', password: 'nina-lösenord-1' })).toMatchObject({ ok: true });
    expect(await t.call(nina, 'users.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.call(admin, 'users.update', { id, active: false })).toMatchObject({ ok: true, value: { active: false } });
    expect(await t.call(nina, 'calendar.range', DAY)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await t.call(memoryPort(), 'auth.signIn', { username: 'nina', password: 'nina-lösenord-1' })).toMatchObject({
      ok: false,
    });
  });

  it('keeps at least one active admin', async () => {
    const t = setup();
    const admin = memoryPort();
    const me = await t.call(admin, 'auth.signIn', { username: 'admin', password: 'demo-admin' });
    const id = (me as { value: { user: { id: string } } }).value.user.id;
    expect(await t.call(admin, 'users.update', { id, roles: ['receptionist'] })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await t.call(admin, 'users.update', { id, active: false })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('clears a lockout when an admin unlocks the account', async () => {
    const t = setup();
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
      await t.call(memoryPort(), 'auth.signIn', { username: 'reception', password: 'fel' });
    const admin = memoryPort();
    await t.call(admin, 'auth.signIn', { username: 'admin', password: 'demo-admin' });
    const users = (await t.call(admin, 'users.list')) as {
      value: { id: string; username: string; lockedUntil: number | null }[];
    };
    const reception = users.value.find((u) => u.username === 'reception')!;
    expect(reception.lockedUntil).toBeGreaterThan(t.now());
    expect(await t.call(admin, 'users.update', { id: reception.id, unlock: true })).toMatchObject({
      ok: true,
      value: { lockedUntil: null },
    });
    expect(await t.call(memoryPort(), 'auth.signIn', { username: 'reception', password: 'demo-reception' })).toMatchObject({
      ok: true,
    });
  });
});

describe('first start and the demo', () => {
  it('an empty database asks for the first admin, once', async () => {
    const t = setup({ demo: false });
    expect(await t.call(memoryPort(), 'auth.status')).toMatchObject({ ok: true, value: { state: 'setup', demo: false } });
    const port = memoryPort();
    const r = await t.call(port, 'auth.setupAdmin', {
      username: 'chef',
      displayName: 'Eva Chef',
      password: 'ett-långt-lösenord',
    });
    expect(r).toMatchObject({ ok: true, value: { user: { username: 'chef', roles: ['admin', 'scheduler', 'receptionist'] } } });
    expect(await t.call(port, 'auth.status')).toMatchObject({ ok: true, value: { state: 'active' } });
    const again = await t.call(memoryPort(), 'auth.setupAdmin', {
      username: 'mallory',
      displayName: 'M',
      password: 'ett-långt-lösenord',
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('starts a password-less session only on the demo database', () => {
    const demo = setup();
    expect(startDemoSession(demo.ctx, 'reception', 'ws').user.username).toBe('reception');
    const real = setup();
    real.db.prepare(`DELETE FROM settings WHERE key = 'demo'`).run();
    expect(() => startDemoSession(real.ctx, 'reception', 'ws')).toThrow(/demoläget/);
  });
});
