// Printing the day list from the desktop: one IPC method, `tidbok:print-day-list`, that makes
// the day list PDF through the api (role check, and the access-log event of action 'print',
// exactly as `export.dayList` does for the web shell) and then shows the system print dialog for
// it. The PDF is opened in a hidden window (Chromium's PDF viewer, `plugins` on; nothing else of
// the page's rights) from a private temporary file that is removed when the dialog closes.
// Plain functions over the objects they touch, so tests drive them with fakes; main.ts passes
// the real BrowserWindow. The web shell prints through the browser instead (src-renderer/export).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, IpcMain, IpcMainInvokeEvent, WebContentsPrintOptions } from 'electron';
import type { DayListPrint } from '../../api/bridge.ts';
import type { ExportFile } from '../../api/methods/export.ts';
import type { Result } from '../../api/result.ts';
import { dispatchSession } from '../../api/session.ts';
import { isTrustedSender } from './security.ts';
import type { IpcDeps } from './wiring.ts';

export const PRINT_DAY_LIST_CHANNEL = 'tidbok:print-day-list';

/** The hidden window that holds the PDF while the dialog is open: no preload, no node, sandboxed. */
export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 794,
    height: 1123,
    title: 'Tidbok – utskrift',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      javascript: false,
      // Chromium's PDF viewer is a plugin: without it the window shows nothing to print.
      plugins: true,
      spellcheck: false,
    },
  };
}

/** What the dialog needs of a window: load a file, print it, go away. */
export interface PrintWindow {
  loadFile(path: string): Promise<void>;
  webContents: {
    print(options: WebContentsPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  };
  destroy(): void;
}

/** The outcome of the system dialog: printed, or not and why ('cancelled' when the user closed it). */
export type DialogOutcome = { printed: true } | { printed: false; reason: string };

/**
 * Shows the system print dialog for a PDF. The file lives in a fresh folder only this user can
 * read and is removed, with the window, whatever the outcome.
 */
export async function printPdf(
  pdf: Buffer,
  openWindow: (options: BrowserWindowConstructorOptions) => PrintWindow,
): Promise<DialogOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'tidbok-print-'));
  let win: PrintWindow | null = null;
  try {
    const file = join(dir, 'dagslista.pdf');
    await writeFile(file, pdf, { mode: 0o600 });
    win = openWindow(printWindowOptions());
    await win.loadFile(file);
    const shown = win;
    return await new Promise<DialogOutcome>((resolve) => {
      shown.webContents.print({ silent: false, printBackground: true }, (success, failureReason) =>
        resolve(success ? { printed: true } : { printed: false, reason: failureReason || 'failed' }),
      );
    });
  } finally {
    win?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PrintDeps extends Pick<IpcDeps, 'env' | 'sessions' | 'log'> {
  /** Shows the dialog for the PDF (printPdf with a real window in main.ts). */
  print: (pdf: Buffer) => Promise<DialogOutcome>;
}

type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Pick<IpcMainInvokeEvent['sender'], 'id'> };

/**
 * `tidbok:print-day-list`: only from our page's main frame; the day list is made as the window's
 * signed-in user through `export.dayList` (so roles, validation and the 'print' event are the
 * api's), then printed.
 */
export async function handlePrintDayList(deps: PrintDeps, event: InvokeEvent, input: unknown): Promise<Result<DayListPrint>> {
  if (!isTrustedSender(event.senderFrame)) {
    deps.log.warn({ url: event.senderFrame?.url }, 'print request from an untrusted frame refused');
    return { ok: false, error: { code: 'forbidden', message: 'Anropet kom från en okänd källa.' } };
  }
  const made = await dispatchSession(deps.env, deps.sessions.port(event.sender.id), 'export.dayList', input);
  if (!made.ok) return made;
  const file = made.value as ExportFile;
  try {
    const outcome = await deps.print(Buffer.from(file.base64, 'base64'));
    return { ok: true, value: { ...outcome, fileName: file.fileName, rows: file.rows, patients: file.patients } };
  } catch (err) {
    deps.log.warn({ err }, 'day list could not be printed');
    return {
      ok: false,
      error: { code: 'internal', message: 'Dagslistan kunde inte skrivas ut. Ladda ner PDF:en och skriv ut den.' },
    };
  }
}

export function registerPrintIpc(ipc: Pick<IpcMain, 'handle'>, deps: PrintDeps): void {
  ipc.handle(PRINT_DAY_LIST_CHANNEL, (event, input: unknown) => handlePrintDayList(deps, event, input));
}
