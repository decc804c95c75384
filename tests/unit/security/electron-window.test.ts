// The Electron window's settings and guards, called as main.ts calls them, with faithful fakes of
// webContents and session (the Electron binary cannot start in CI). Types are Electron's own.
import { describe, expect, it, vi } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- types only: the fakes below must match Electron's own types
import type { HandlerDetails, WebContents } from 'electron';
import {
  ALLOWED_EXTERNAL_HOSTS,
  APP_ORIGIN,
  handleWindowOpen,
  isAllowedExternalUrl,
  isNavigationAllowed,
  mainWindowOptions,
  secureWebPreferences,
} from '../../../src-main/shells/electron/security.ts';
import { hardenSession, hardenWebContents } from '../../../src-main/shells/electron/wiring.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shells/csp.ts';

describe('BrowserWindow web preferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates the page from Node and Electron', () => {
    expect(prefs).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('is what the main window is built with', () => {
    const options = mainWindowOptions('/p.cjs');
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(options.show).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

  it('allows only our own origin for scripts, connections and everything by default', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('has no inline or eval scripts and no remote origin anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|https?:|\*/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    // FullCalendar v6 injects CSS at run time: inline styles are the one loosening (DESIGN.md).
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('navigation and new windows', () => {
  it.each([
    ['https://evil.example/', false],
    ['http://127.0.0.1:8080/', false],
    ['file:///etc/passwd', false],
    ['app://other/index.html', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    [`${APP_ORIGIN}/`, true],
    [`${APP_ORIGIN}/#/calendar`, true],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isNavigationAllowed(url)).toBe(allowed);
  });

  it('denies every window.open; allow-listed https goes to the OS browser instead', () => {
    const opened: string[] = [];
    const open = (url: string) => opened.push(url);
    for (const url of ['https://evil.example/', 'http://www.1177.se/', `${APP_ORIGIN}/`, 'https://www.1177.se/hitta-vard']) {
      expect(handleWindowOpen({ url } as HandlerDetails, open)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://www.1177.se/hitta-vard']);
  });

  it.each([
    ['https://www.1177.se/', true],
    ['https://github.com/tidbok', true],
    ['http://www.1177.se/', false],
    ['https://www.1177.se.evil.example/', false],
    ['https://user:secret@www.1177.se/', false],
    ['file:///C:/Windows/System32/calc.exe', false],
    ['smb://server/share', false],
    ['javascript:alert(1)', false],
  ])('openExternal(%s) allowed: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('allows only https hosts on the list', () => {
    for (const host of ALLOWED_EXTERNAL_HOSTS) expect(isAllowedExternalUrl(`https://${host}/`)).toBe(true);
  });
});

/** What main.ts touches of a WebContents: event listeners and the window-open handler. */
function fakeWebContents() {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  let openHandler: ((details: HandlerDetails) => unknown) | null = null;
  const contents = {
    on(event: string, listener: (...args: unknown[]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: HandlerDetails) => unknown) {
      openHandler = handler;
    },
  };
  const emit = (event: string, url?: string) => {
    const e = { preventDefault: vi.fn() };
    for (const l of listeners.get(event) ?? []) l(e, url);
    return e.preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
    emit,
    open: (url: string) => openHandler!({ url } as HandlerDetails),
  };
}

describe('hardenWebContents (every web contents main creates)', () => {
  it('prevents navigation and redirects away from the app, and any webview', () => {
    const fake = fakeWebContents();
    const external = vi.fn();
    hardenWebContents(fake.contents, external);
    expect(fake.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fake.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fake.emit('will-navigate', `${APP_ORIGIN}/#/audit`)).toBe(false);
    expect(fake.emit('will-attach-webview')).toBe(true);
    expect(fake.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(fake.open('https://www.1177.se/')).toEqual({ action: 'deny' });
    expect(external.mock.calls).toEqual([['https://www.1177.se/']]);
  });
});

describe('hardenSession', () => {
  it('grants no permission, asked for or checked', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    hardenSession({
      setPermissionRequestHandler: (h: never) => void (request = h),
      setPermissionCheckHandler: (h: never) => void (check = h),
    } as never);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const cb = vi.fn();
      request!(null, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(check!(null, p)).toBe(false);
    }
  });
});
