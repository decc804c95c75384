// The IPC bridge as main.ts registers it, driven through a fake ipcMain that records handlers
// the way Electron's does: calls from foreign or sub frames are refused before anything runs,
// sessions are per window and their tokens never reach the renderer.
import { describe, expect, it, vi } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- types only: the fakes below must match Electron's own types
import type { IpcMain } from 'electron';
import { registerIpc, WindowSessions, CALL_CHANNEL, OPEN_EXTERNAL_CHANNEL } from '../../../src-main/shells/electron/wiring.ts';
import { APP_ORIGIN } from '../../../src-main/shells/electron/security.ts';
import { openTestDb } from '../../helpers/temp-db.ts';
import type { Result } from '../../../src-main/api/result.ts';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipc = {
    handle: (channel: string, h: Handler) => void handlers.set(channel, h),
    on: (channel: string, h: Handler) => {
      handlers.set(channel, h);
      return ipc;
    },
  };
  return { ipc: ipc as unknown as Pick<IpcMain, 'handle' | 'on'>, handlers };
}

const mainFrame = { url: `${APP_ORIGIN}/`, parent: null };
const event = (senderFrame: unknown, id = 1) => ({ senderFrame, sender: { id } });

function setup() {
  const { ctx } = openTestDb({ demo: true });
  const { ipc, handlers } = fakeIpcMain();
  const openExternal = vi.fn();
  const warn = vi.fn();
  registerIpc(ipc, {
    env: { ctx, shell: 'electron', workstation: 'desk-1' },
    sessions: new WindowSessions(),
    openExternal,
    log: { warn } as never,
  });
  const call = (ev: unknown, name: unknown, input: unknown = {}) =>
    handlers.get(CALL_CHANNEL)!(ev, name, input) as Promise<Result<unknown>>;
  const auditRows = () => (ctx.db.prepare(`SELECT count(*) AS n FROM audit_events`).get() as { n: number }).n;
  return { ctx, handlers, call, openExternal, warn, auditRows };
}

describe('tidbok:call', () => {
  it.each([
    ['a foreign origin', { url: 'https://evil.example/', parent: null }],
    ['a sub frame of our page', { url: `${APP_ORIGIN}/`, parent: { url: `${APP_ORIGIN}/` } }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['no frame (destroyed)', null],
  ])('refuses a call from %s before anything runs', async (_name, frame) => {
    const t = setup();
    const before = t.auditRows();
    const r = await t.call(event(frame), 'auth.signIn', { username: 'admin', password: 'demo-admin' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(t.auditRows()).toBe(before);
    expect(t.warn).toHaveBeenCalled();
  });

  it('needs a sign-in; the session stays in main, per window', async () => {
    const t = setup();
    const range = { from: '2026-11-23', to: '2026-11-24' };
    expect(await t.call(event(mainFrame, 7), 'calendar.range', range)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    const signed = await t.call(event(mainFrame, 7), 'auth.signIn', { username: 'reception', password: 'demo-reception' });
    expect(signed).toMatchObject({ ok: true, value: { user: { username: 'reception' } } });
    // The renderer never sees a token: main keeps it for window 7.
    expect(JSON.stringify(signed)).not.toMatch(/token/i);
    expect(await t.call(event(mainFrame, 7), 'calendar.range', range)).toMatchObject({ ok: true });
    // Another window (or a page that got a new web contents) is not signed in.
    expect(await t.call(event(mainFrame, 8), 'calendar.range', range)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    // Roles still apply: a receptionist may not read the access log.
    expect(await t.call(event(mainFrame, 7), 'audit.search', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.call(event(mainFrame, 7), 'auth.signOut', {})).toMatchObject({ ok: true });
    expect(await t.call(event(mainFrame, 7), 'calendar.range', range)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('rejects a method name that is not a string', async () => {
    const t = setup();
    expect(await t.call(event(mainFrame), { toString: () => 'unit.get' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });
});

describe('tidbok:open-external', () => {
  it.each([
    [mainFrame, 'https://www.1177.se/', true],
    [mainFrame, 'http://www.1177.se/', false],
    [mainFrame, 'https://evil.example/', false],
    [mainFrame, 'file:///etc/passwd', false],
    [mainFrame, 42, false],
    [{ url: 'https://evil.example/', parent: null }, 'https://www.1177.se/', false],
    [{ url: `${APP_ORIGIN}/`, parent: {} }, 'https://www.1177.se/', false],
  ])('from %j, %s opens: %s', (frame, url, opens) => {
    const t = setup();
    t.handlers.get(OPEN_EXTERNAL_CHANNEL)!({ senderFrame: frame }, url);
    expect(t.openExternal).toHaveBeenCalledTimes(opens ? 1 : 0);
  });
});
