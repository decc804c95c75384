// Electron main process: window, app:// protocol, IPC bridge to the api. Glue only; the
// security decisions live in security.ts (tested without the binary) and everything else in
// the shared services. Only files in this folder import 'electron'.
import { app, BrowserWindow, ipcMain, net, protocol, session, shell, type BrowserWindowConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HORIZON_OFF_NOTICE, keepsScheduleHorizon, openRuntime, type Runtime } from '../../runtime.ts';
import { createFileLogger, createLogger, logDirFor, type Logger } from '../../log.ts';
import { isDemoDatabase, startDemoSession } from '../../services/auth.ts';
import { backupSettings, scheduleBackups, type BackupSchedule } from '../../services/backup.ts';
import { keepScheduleHorizon, type HorizonKeeper } from '../../services/horizon.ts';
import { watchExternalChanges, type ExternalChangeWatcher } from '../../services/external-changes.ts';
import { DEMO_USERS } from '../../demo/seed.ts';
import { CONTENT_SECURITY_POLICY } from '../csp.ts';
import { APP_ORIGIN, APP_SCHEME, mainWindowOptions } from './security.ts';
import { CHANGED_CHANNEL, hardenSession, hardenWebContents, registerIpc, WindowSessions } from './wiring.ts';
import { electronNativeBindingPath } from './native-binding.ts';
import { printPdf, registerPrintIpc } from './print.ts';
import { startDesktopSync } from './sync-credentials.ts';

// stderr until the app is ready; then the rotating file in the user-data folder.
let log: Logger = createLogger();
let runtime: Runtime | null = null;
let backups: BackupSchedule | null = null;
let horizon: HorizonKeeper | null = null;
let external: ExternalChangeWatcher | null = null;
const sessions = new WindowSessions();
// Only ever called with URLs isAllowedExternalUrl passed (allow-listed https; tests/unit/security).
const openExternal = (url: string) => void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK

// Chromium's own widgets (date and time inputs, spelling) follow its UI language, not the page's:
// Swedish, so a receptionist's date fields read ÅÅÅÅ-MM-DD whatever the operating system's language.
app.commandLine.appendSwitch('lang', 'sv-SE');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function rendererRoot(): string {
  return join(app.getAppPath(), 'out', 'renderer');
}

function serveRenderer(): void {
  const root = rendererRoot();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

function createWindow(rt: Runtime): BrowserWindow {
  // Electronegativity cannot see into mainWindowOptions(): contextIsolation, sandbox, no node
  // integration and Auxclick off are set in security.ts and asserted in tests/unit/security.
  const preload = join(app.getAppPath(), 'out', 'preload', 'index.cjs');
  const win = new BrowserWindow(mainWindowOptions(preload)); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK NODE_INTEGRATION_JS_CHECK
  // The demo unit opens signed in as its receptionist, as the web shell's printed address does.
  if (isDemoDatabase(rt.ctx)) {
    sessions.port(win.webContents.id).adopt(startDemoSession(rt.ctx, DEMO_USERS[0]!.username, hostname()).token);
  }
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

/** The hidden window the day list is printed from, above the app window so the dialog is too. */
function openPrintWindow(options: BrowserWindowConstructorOptions): BrowserWindow {
  const parent = BrowserWindow.getFocusedWindow();
  // Electronegativity cannot see into printWindowOptions(): sandbox, context isolation, no node
  // integration and no JavaScript are set in print.ts and asserted in tests/unit/export/desktop-print.test.ts.
  return new BrowserWindow({ ...options, ...(parent ? { parent } : {}) }); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK NODE_INTEGRATION_JS_CHECK
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));

app.whenReady().then(
  async () => {
    log = await createFileLogger({ dir: logDirFor(app.getPath('userData')) });
    const nativeBinding = electronNativeBindingPath(app.getAppPath(), process.resourcesPath, app.isPackaged);
    runtime = openRuntime({
      dbPath: process.env['TIDBOK_DB'] ?? join(app.getPath('userData'), 'tidbok.db'),
      demo: process.env['TIDBOK_NO_DEMO'] !== '1',
      open: nativeBinding ? { nativeBinding } : {},
      log,
    });
    const rt = runtime;
    if (keepsScheduleHorizon()) horizon = keepScheduleHorizon(rt.ctx, { log });
    else log.info(HORIZON_OFF_NOTICE);
    // Another process's writes (the CLI) reach the window and the sync engine too.
    external = watchExternalChanges(rt.ctx);
    startDesktopSync(rt.ctx, log);
    backups = scheduleBackups(rt.ctx.db, {
      ...backupSettings(rt.dbPath),
      now: rt.ctx.now,
      log,
      nativeBinding: nativeBinding ?? undefined,
    });
    hardenSession(session.defaultSession);
    serveRenderer();
    const env = { ctx: rt.ctx, shell: 'electron', workstation: hostname(), log } as const;
    registerIpc(ipcMain, { env, sessions, openExternal, log });
    registerPrintIpc(ipcMain, { env, sessions, log, print: (pdf) => printPdf(pdf, openPrintWindow) });

    const win = createWindow(rt);
    rt.ctx.events.subscribe((change) => {
      if (!win.isDestroyed()) win.webContents.send(CHANGED_CHANNEL, change);
    });
  },
  (err: unknown) => {
    log.fatal({ err }, 'Tidbok failed to start');
    app.exit(1);
  },
);

app.on('window-all-closed', () => {
  // The quit-time backup first, then close the database.
  horizon?.stop();
  external?.stop();
  void (backups?.stop() ?? Promise.resolve(null)).finally(() => {
    runtime?.close();
    app.quit();
  });
});
