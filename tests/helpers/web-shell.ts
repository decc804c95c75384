// Starts the real web shell (`tidbok serve`) as a child process on a fresh database file and
// returns its URL. Used by the e2e tests and the UI benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface RunningShell {
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

export async function startShell(
  options: { dbPath?: string; demo?: boolean; env?: Record<string, string> } = {},
): Promise<RunningShell> {
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'tidbok-e2e-')), 'tidbok.db');
  const args = ['--import', 'tsx', 'src-main/cli.ts', 'serve', '--port', '0', '--db', dbPath];
  if (options.demo === false) args.push('--no-demo');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, TIDBOK_LOG_DIR: join(dirname(dbPath), 'logs'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`web shell did not start in time:\n${out}`)), 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`web shell exited (${String(code)}):\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dbPath,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Calls the api of a running web shell directly (to check data after a UI action). */
export async function apiCall<T = unknown>(shell: RunningShell, method: string, input: unknown = {}): Promise<T> {
  return post<T>(shell, method, input, null);
}

/** The api as a signed-in user, in a session of its own (signs in on the first call). */
export function apiAs(shell: () => RunningShell, username: string, password: string) {
  let session: string | null = null;
  return async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    session ??= (await post<{ token: string }>(shell(), 'auth.signIn', { username, password }, null)).token;
    return post<T>(shell(), method, input, session);
  };
}

/** What the api answers, ok or not. */
export interface ApiResult<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

/** The api as a signed-in user, answering with the result itself (for tests of refusals). */
export function apiResultAs(shell: () => RunningShell, username: string, password: string) {
  let session: string | null = null;
  return async <T = unknown>(method: string, input: unknown = {}): Promise<ApiResult<T>> => {
    session ??= (await post<{ token: string }>(shell(), 'auth.signIn', { username, password }, null)).token;
    return postRaw<T>(shell(), method, input, session);
  };
}

/** The api as a signed-in user, answering with the HTTP status and the result (for tests of status codes). */
export function httpAs(shell: () => RunningShell, username: string, password: string) {
  let session: string | null = null;
  return async <T = unknown>(method: string, input: unknown = {}): Promise<HttpAnswer<T>> => {
    session ??= (await post<{ token: string }>(shell(), 'auth.signIn', { username, password }, null)).token;
    return postHttp<T>(shell(), method, input, session);
  };
}

export interface HttpAnswer<T> {
  status: number;
  body: ApiResult<T>;
}

async function postHttp<T>(shell: RunningShell, method: string, input: unknown, session: string | null): Promise<HttpAnswer<T>> {
  const res = await fetch(`${shell.origin}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${shell.token}`,
      ...(session ? { 'x-tidbok-session': session } : {}),
    },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as ApiResult<T> };
}

async function postRaw<T>(shell: RunningShell, method: string, input: unknown, session: string | null): Promise<ApiResult<T>> {
  return (await postHttp<T>(shell, method, input, session)).body;
}

async function post<T>(shell: RunningShell, method: string, input: unknown, session: string | null): Promise<T> {
  const body = await postRaw<T>(shell, method, input, session);
  if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? 'failed'}`);
  return body.value as T;
}
