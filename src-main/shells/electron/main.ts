// Electron main process: window, app:// protocol, IPC bridge to the api. Glue only; the
// security decisions live in security.ts (tested without the binary) and everything else in
// the shared services. Only files in this folder import 'electron'.
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openRuntime, type Runtime } from '../../runtime.ts';
import { dispatch } from '../../api/dispatch.ts';
import { localCaller } from '../local-caller.ts';
import { createLogger } from '../../log.ts';
import { CONTENT_SECURITY_POLICY } from '../csp.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  handleWindowOpen,
  isAllowedExternalUrl,
  isNavigationAllowed,
  isTrustedSender,
  mainWindowOptions,
  permissionRequestHandler,
} from './security.ts';
import { electronNativeBindingPath } from './native-binding.ts';

const log = createLogger();
let runtime: Runtime | null = null;

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

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(join(app.getAppPath(), 'out', 'preload', 'index.cjs')));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler((details) => handleWindowOpen(details, (url) => void shell.openExternal(url)));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(
  () => {
    const nativeBinding = electronNativeBindingPath(app.getAppPath(), process.resourcesPath, app.isPackaged);
    runtime = openRuntime({
      dbPath: process.env['TIDBOK_DB'] ?? join(app.getPath('userData'), 'tidbok.db'),
      demo: process.env['TIDBOK_NO_DEMO'] !== '1',
      open: nativeBinding ? { nativeBinding } : {},
    });
    const rt = runtime;
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
      callback(permissionRequestHandler(permission)),
    );
    serveRenderer();

    ipcMain.handle('tidbok:call', (event, name: unknown, input: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        log.warn({ url: event.senderFrame?.url }, 'ipc call from an untrusted frame refused');
        return { ok: false, error: { code: 'forbidden', message: 'Anropet kom från en okänd källa.' } };
      }
      if (typeof name !== 'string') return { ok: false, error: { code: 'validation', message: 'Ogiltigt anrop.' } };
      return dispatch({ ctx: rt.ctx, caller: localCaller(), shell: 'electron' }, name, input, log);
    });
    ipcMain.on('tidbok:open-external', (event, url: unknown) => {
      if (isTrustedSender(event.senderFrame) && typeof url === 'string' && isAllowedExternalUrl(url))
        void shell.openExternal(url);
    });

    const win = createWindow();
    rt.ctx.events.subscribe((change) => {
      if (!win.isDestroyed()) win.webContents.send('tidbok:changed', change);
    });
  },
  (err: unknown) => {
    log.fatal({ err }, 'Tidbok failed to start');
    app.exit(1);
  },
);

app.on('window-all-closed', () => {
  runtime?.close();
  app.quit();
});
