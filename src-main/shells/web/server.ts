// The web shell: the same api as the Electron shell, over HTTP + server-sent events.
// Loopback only, a random session token, Host and Origin checked (no DNS rebinding), a strict
// CSP on the page. Used where no Electron binary exists, and by the e2e tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { dispatchSession, type SessionPort } from '../../api/session.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { ChangeEvent } from '../../api/types.ts';
import type { ErrorCode, Result } from '../../api/result.ts';
import type { Logger } from '../../log.ts';
import { CONTENT_SECURITY_POLICY } from '../csp.ts';

export interface WebShellOptions {
  ctx: ServiceContext;
  /** Folder with the built renderer (index.html, assets/). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Names this shell in the access log (the machine's name). */
  workstation: string;
  /**
   * Demo database only: the session a request without its own session header runs in, so the
   * printed address opens signed in. Signing out ends it, and then the sign-in screen shows.
   */
  launchSessionToken?: string | undefined;
  log?: Logger;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The web shell listens here only: never on an interface another machine can reach. */
export const BIND_ADDRESS = '127.0.0.1';
/** The browser's own session (after sign-in) travels in this header; the URL token only opens the shell. */
export const SESSION_HEADER = 'x-tidbok-session';

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * The HTTP status of an api answer: the body is the same {ok, value | error} the IPC bridge gives,
 * and the status says the same to a script or proxy reading only the status line (a refusal is not a 200).
 */
const STATUS_OF_ERROR: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

export function httpStatusOf(result: Result<unknown>): number {
  return result.ok ? 200 : STATUS_OF_ERROR[result.error.code];
}

function refuse(res: ServerResponse, status: number, message: string): void {
  send(res, status, { ok: false, error: { code: status === 401 ? 'unauthenticated' : 'forbidden', message } });
}

/** Why a request body cannot be read as the api's input; answered with its own status. */
class BadBody extends Error {
  constructor(
    readonly status: number,
    readonly messageSv: string,
  ) {
    super(messageSv);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text. Too large: read to the end but not kept, so the client gets the answer
 * rather than a reset connection. Not UTF-8: refused, so that no name is stored with '�' in it.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else if (size > 16 * MAX_BODY) req.destroy(); // not a client of ours: stop reading
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new BadBody(413, 'Begäran är för stor (högst 1 MB).'));
      try {
        resolveBody(strictUtf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new BadBody(400, 'Ogiltig begäran: texten är inte UTF-8.'));
      }
    });
    req.on('error', reject);
    // Destroyed above (or by the client) before its end: settle, so the request is not left waiting.
    req.on('close', () => reject(new BadBody(400, 'Begäran avbröts.')));
  });
}

export function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  const sseClients = new Set<ServerResponse>();
  let port = options.port ?? 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);

  const unsubscribe = options.ctx.events.subscribe((event: ChangeEvent) => {
    const frame = `event: changed\ndata: ${JSON.stringify(event)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });

  function authorised(req: IncomingMessage, url: URL): boolean {
    const header = req.headers['authorization'];
    const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('token');
    return given !== null && sameToken(given, token);
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    const file = normalize(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Hittades inte.');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (extname(file) === '.html') {
      // A constant from shells/csp.ts (Electronegativity cannot parse a variable); tests/unit/security checks it.
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY; // eng-disable CSP_GLOBAL_CHECK
      headers['x-frame-options'] = 'DENY';
      headers['cache-control'] = 'no-store';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    void (async () => {
      // Loopback peers only, and only for our own Host (DNS rebinding) and Origin (CSRF).
      if (!isLoopback(req.socket.remoteAddress)) return refuse(res, 403, 'Endast lokala anslutningar tillåts.');
      if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 403, 'Okänd värd.');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'Okänt ursprung.');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (!authorised(req, url)) return refuse(res, 401, 'Sessionen saknas eller har gått ut.');
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': ansluten\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return refuse(res, 405, 'Endast POST.');
        if (!authorised(req, url)) return refuse(res, 401, 'Sessionen saknas eller har gått ut.');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'Fel innehållstyp.');
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body === '' ? {} : JSON.parse(body);
        } catch (err) {
          const [status, message] = err instanceof BadBody ? [err.status, err.messageSv] : [400, 'Ogiltig begäran (JSON).'];
          return send(res, status, { ok: false, error: { code: 'validation', message } });
        }
        const header = req.headers[SESSION_HEADER];
        const port: SessionPort = {
          token: () => (typeof header === 'string' && header !== '' ? header : (options.launchSessionToken ?? null)),
          adopt: (sessionToken) => sessionToken,
          forget: () => undefined,
        };
        const env = { ctx: options.ctx, shell: 'web' as const, workstation: options.workstation, log: options.log };
        const result = await dispatchSession(env, port, url.pathname.slice(5), input);
        return send(res, httpStatusOf(result), result);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Metoden stöds inte.');
      serveStatic(res, url.pathname);
    })().catch((err: unknown) => {
      options.log?.error({ err }, 'web shell request failed');
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'Internt fel.' } });
      else res.end();
    });
  });

  return new Promise((resolveShell, reject) => {
    server.once('error', reject);
    server.listen(port, BIND_ADDRESS, () => {
      port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/?token=${token}`;
      resolveShell({
        url,
        port,
        token,
        server,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const c of sseClients) c.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

export function rendererDir(root: string): string {
  return join(root, 'out', 'renderer');
}
