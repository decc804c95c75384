// The Electron glue that decides something, as plain functions over the objects they touch
// (ipcMain, webContents, session), so tests drive them with faithful fakes: the Electron binary
// cannot start in CI. main.ts passes the real objects.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { dispatchSession, type SessionPort, type ShellEnv } from '../../api/session.ts';
import type { Result } from '../../api/result.ts';
import type { Logger } from '../../log.ts';
import {
  handleWindowOpen,
  isAllowedExternalUrl,
  isNavigationAllowed,
  isTrustedSender,
  permissionRequestHandler,
} from './security.ts';

export const CALL_CHANNEL = 'tidbok:call';
export const OPEN_EXTERNAL_CHANNEL = 'tidbok:open-external';
export const CHANGED_CHANNEL = 'tidbok:changed';

/**
 * Session tokens per window (webContents id), kept in main: the renderer never sees one, so a
 * script in the page cannot carry a session elsewhere.
 */
export class WindowSessions {
  readonly #tokens = new Map<number, string>();
  port(webContentsId: number): SessionPort {
    return {
      token: () => this.#tokens.get(webContentsId) ?? null,
      adopt: (token) => {
        this.#tokens.set(webContentsId, token);
        return undefined;
      },
      forget: () => {
        this.#tokens.delete(webContentsId);
      },
    };
  }
}

export interface IpcDeps {
  env: ShellEnv;
  sessions: WindowSessions;
  openExternal: (url: string) => void;
  log: Pick<Logger, 'warn'>;
}

type CallEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Pick<IpcMainInvokeEvent['sender'], 'id'> };
type SendEvent = Pick<IpcMainEvent, 'senderFrame'>;

/** The answer to one `tidbok:call`: refused unless it comes from our own page's main frame. */
export async function handleCall(deps: IpcDeps, event: CallEvent, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(event.senderFrame)) {
    deps.log.warn({ url: event.senderFrame?.url }, 'ipc call from an untrusted frame refused');
    return { ok: false, error: { code: 'forbidden', message: 'Anropet kom från en okänd källa.' } };
  }
  if (typeof name !== 'string') return { ok: false, error: { code: 'validation', message: 'Ogiltigt anrop.' } };
  return dispatchSession(deps.env, deps.sessions.port(event.sender.id), name, input);
}

/** `tidbok:open-external`: only from our page, only allow-listed https. */
export function handleOpenExternal(deps: Pick<IpcDeps, 'openExternal'>, event: SendEvent, url: unknown): boolean {
  if (!isTrustedSender(event.senderFrame) || typeof url !== 'string' || !isAllowedExternalUrl(url)) return false;
  // Checked just above: our own frame, allow-listed https only (tests/unit/security).
  deps.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true;
}

export function registerIpc(ipc: Pick<IpcMain, 'handle' | 'on'>, deps: IpcDeps): void {
  ipc.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => handleCall(deps, event, name, input));
  ipc.on(OPEN_EXTERNAL_CHANNEL, (event, url: unknown) => void handleOpenExternal(deps, event, url));
}

/** Navigation away from the app, redirects and window.open are refused on every web contents. */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternal: (url: string) => void,
): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => handleWindowOpen(details, openExternal));
}

/** No web permission is granted, whether asked for or merely checked. */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionRequestHandler(permission)));
  session.setPermissionCheckHandler((_wc, permission) => permissionRequestHandler(permission));
}
