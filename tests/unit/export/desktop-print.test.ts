// Printing the day list from the desktop, without the Electron binary: the IPC handler as main.ts
// registers it (fake ipcMain), the real api and database behind it, and a fake print window
// that records what Electron would have been asked. The system dialog itself cannot be shown
// here; what is checked is everything up to it and what happens after each of its outcomes.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- types only: the fakes below must match Electron's own types
import type { IpcMain, WebContentsPrintOptions } from 'electron';
import type { DayListPrint } from '../../../src-main/api/bridge.ts';
import type { Result } from '../../../src-main/api/result.ts';
import { localDate } from '../../../src-main/domain/time.ts';
import { startDemoSession } from '../../../src-main/services/auth.ts';
import { DEMO_USERS } from '../../../src-main/demo/seed.ts';
import { APP_ORIGIN } from '../../../src-main/shells/electron/security.ts';
import { WindowSessions } from '../../../src-main/shells/electron/wiring.ts';
import {
  PRINT_DAY_LIST_CHANNEL,
  printPdf,
  printWindowOptions,
  registerPrintIpc,
  type DialogOutcome,
  type PrintWindow,
} from '../../../src-main/shells/electron/print.ts';
import { openTestDb } from '../../helpers/temp-db.ts';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/** A window that records what it was asked; its dialog ends as `outcome` says. */
function fakeWindow(outcome: { success: boolean; reason: string }, failLoad = false) {
  const seen = { file: '', bytes: Buffer.alloc(0), mode: 0, options: null as WebContentsPrintOptions | null, destroyed: false };
  const win: PrintWindow = {
    loadFile: (path) => {
      seen.file = path;
      seen.bytes = readFileSync(path);
      seen.mode = statSync(path).mode & 0o777;
      return failLoad ? Promise.reject(new Error('ERR_FAILED')) : Promise.resolve();
    },
    webContents: {
      print: (options, callback) => {
        seen.options = options;
        setImmediate(() => callback(outcome.success, outcome.reason));
      },
    },
    destroy: () => {
      seen.destroyed = true;
    },
  };
  return { win, seen };
}

describe('printWindowOptions', () => {
  it('is hidden, sandboxed, isolated, without node, preload or JavaScript; only the PDF plugin on', () => {
    const o = printWindowOptions();
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      javascript: false,
      plugins: true,
    });
    expect(o.webPreferences?.preload).toBeUndefined();
  });
});

describe('printPdf', () => {
  const pdf = Buffer.from('%PDF-1.3 test');

  it('opens the PDF from a private file, shows the dialog (not silent), then removes window and file', async () => {
    const { win, seen } = fakeWindow({ success: true, reason: '' });
    const outcome = await printPdf(pdf, () => win);
    expect(outcome).toEqual({ printed: true });
    expect(seen.bytes.equals(pdf)).toBe(true);
    expect(seen.mode).toBe(0o600);
    expect(seen.options).toMatchObject({ silent: false });
    expect(seen.destroyed).toBe(true);
    expect(existsSync(seen.file)).toBe(false);
    expect(existsSync(dirname(seen.file))).toBe(false);
  });

  it('reports a cancelled dialog as not printed, and still cleans up', async () => {
    const { win, seen } = fakeWindow({ success: false, reason: 'cancelled' });
    expect(await printPdf(pdf, () => win)).toEqual({ printed: false, reason: 'cancelled' });
    expect(seen.destroyed).toBe(true);
    expect(existsSync(dirname(seen.file))).toBe(false);
  });

  it('cleans up when the PDF cannot be loaded', async () => {
    const { win, seen } = fakeWindow({ success: true, reason: '' }, true);
    await expect(printPdf(pdf, () => win)).rejects.toThrow('ERR_FAILED');
    expect(seen.options).toBeNull();
    expect(seen.destroyed).toBe(true);
    expect(existsSync(dirname(seen.file))).toBe(false);
  });
});

describe(PRINT_DAY_LIST_CHANNEL, () => {
  function setup(print: (pdf: Buffer) => Promise<DialogOutcome>) {
    const { ctx } = openTestDb({ demo: true });
    const handlers = new Map<string, Handler>();
    const ipc = { handle: (channel: string, h: Handler) => void handlers.set(channel, h) };
    const sessions = new WindowSessions();
    const warn = vi.fn();
    registerPrintIpc(ipc as unknown as Pick<IpcMain, 'handle'>, {
      env: { ctx, shell: 'electron', workstation: 'desk-1' },
      sessions,
      log: { warn } as never,
      print,
    });
    const receptionist = DEMO_USERS[0]!;
    sessions.port(1).adopt(startDemoSession(ctx, receptionist.username, 'desk-1').token);
    const invoke = (frame: unknown, input: unknown, id = 1) =>
      handlers.get(PRINT_DAY_LIST_CHANNEL)!({ senderFrame: frame, sender: { id } }, input) as Promise<Result<DayListPrint>>;
    // A day of the demo unit with booked patients.
    const startAt = ctx.db
      .prepare(
        `SELECT s.start_at FROM bookings b JOIN slots s ON s.id = b.slot_id
          WHERE b.status = 'booked' AND s.state <> 'removed' ORDER BY s.start_at LIMIT 1`,
      )
      .pluck()
      .get() as number;
    const lastSeq = () => ctx.db.prepare(`SELECT coalesce(max(seq), 0) FROM audit_events`).pluck().get() as number;
    const eventsSince = (seq: number) =>
      ctx.db.prepare(`SELECT action, patient_id, user_id FROM audit_events WHERE seq > ? ORDER BY seq`).all(seq) as {
        action: string;
        patient_id: string | null;
        user_id: string | null;
      }[];
    const userId = ctx.db.prepare(`SELECT id FROM users WHERE username = ?`).pluck().get(receptionist.username) as string;
    return { invoke, date: localDate(startAt), lastSeq, eventsSince, userId, warn };
  }
  const mainFrame = { url: `${APP_ORIGIN}/`, parent: null };

  it("prints the receptionist's day list and logs it as 'print' per patient, as the window's user", async () => {
    const printed: Buffer[] = [];
    const t = setup((pdf) => {
      printed.push(pdf);
      return Promise.resolve({ printed: true });
    });
    const before = t.lastSeq();
    const r = await t.invoke(mainFrame, { date: t.date });
    expect(r).toMatchObject({ ok: true, value: { printed: true } });
    const value = (r as { ok: true; value: DayListPrint }).value;
    expect(value.patients).toBeGreaterThan(0);
    expect(printed).toHaveLength(1);
    expect(printed[0]!.subarray(0, 5).toString()).toBe('%PDF-');
    const events = t.eventsSince(before);
    expect(events).toHaveLength(value.patients);
    expect(events.every((e) => e.action === 'print' && e.patient_id !== null && e.user_id === t.userId)).toBe(true);
  });

  it('passes a cancelled dialog back to the page', async () => {
    const t = setup(() => Promise.resolve({ printed: false, reason: 'cancelled' }));
    const r = await t.invoke(mainFrame, { date: t.date });
    expect(r).toMatchObject({ ok: true, value: { printed: false, reason: 'cancelled' } });
  });

  it.each([
    ['a foreign origin', { url: 'https://evil.example/', parent: null }],
    ['a sub frame of our page', { url: `${APP_ORIGIN}/`, parent: { url: `${APP_ORIGIN}/` } }],
  ])('refuses a request from %s before anything is made, printed or logged', async (_name, frame) => {
    const print = vi.fn(() => Promise.resolve<DialogOutcome>({ printed: true }));
    const t = setup(print);
    const before = t.lastSeq();
    expect(await t.invoke(frame, { date: t.date })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(print).not.toHaveBeenCalled();
    expect(t.eventsSince(before)).toEqual([]);
    expect(t.warn).toHaveBeenCalled();
  });

  it('refuses a window without a session, and bad input, without printing', async () => {
    const print = vi.fn(() => Promise.resolve<DialogOutcome>({ printed: true }));
    const t = setup(print);
    const signedOut = await t.invoke(mainFrame, { date: t.date }, 2);
    expect(signedOut.ok).toBe(false);
    expect(await t.invoke(mainFrame, { date: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(print).not.toHaveBeenCalled();
  });

  it('says in Swedish when the print window fails', async () => {
    const t = setup(() => Promise.reject(new Error('no printer service')));
    const r = await t.invoke(mainFrame, { date: t.date });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/kunde inte skrivas ut/) } });
    expect(t.warn).toHaveBeenCalled();
  });
});
