// Electron hardening as plain functions, so tests can call them without the Electron binary.
// main.ts wires them to the real BrowserWindow, webContents and session.
import type { BrowserWindowConstructorOptions, HandlerDetails, WebPreferences } from 'electron';

/** The app's own origin: the renderer is served from this privileged custom scheme. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://tidbok`;

/** External links the app may hand to the OS browser (https only). */
export const ALLOWED_EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['www.1177.se', 'www.inera.se', 'github.com']);

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    // Middle-click would open links in a new window; window.open is denied anyway, this removes the path.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Tidbok',
    backgroundColor: '#f6f7f9',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** True only for URLs inside the app's own origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Navigation away from the app is never allowed (the renderer is a single page). */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && ALLOWED_EXTERNAL_HOSTS.has(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** window.open is always denied; allow-listed https links open in the OS browser instead. */
export function handleWindowOpen(details: Pick<HandlerDetails, 'url'>, openExternal: (url: string) => void): { action: 'deny' } {
  if (isAllowedExternalUrl(details.url)) openExternal(details.url);
  return { action: 'deny' };
}

/** IPC is answered only for the main frame of our own page (not a foreign or sub frame). */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/** No web permission (camera, geolocation, notifications, ...) is ever granted. */
export function permissionRequestHandler(_permission: string): boolean {
  return false;
}
