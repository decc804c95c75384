// Where sync finds the central API: its base URL in settings (`sync.central_url`), overridable
// on the command line, and its credential (a bearer token), never stored in plain text:
// - env TIDBOK_CENTRAL_TOKEN, or
// - a file named by env TIDBOK_CENTRAL_TOKEN_FILE or setting `sync.token_file`, which must be
//   readable by its owner only (mode 0600), or
// - on the desktop, Electron safeStorage (shells/electron/sync-credentials.ts passes it in).
import { readFileSync, statSync } from 'node:fs';
import type { ServiceContext } from '../services/context.ts';
import { CENTRAL_URL_SETTING, centralUrlSetting } from '../services/sync-claims.ts';
import type { Logger } from '../log.ts';
import { FhirCentralApi } from './central-api.ts';
import { SyncEngine } from './engine.ts';

export const TOKEN_FILE_SETTING = 'sync.token_file';

export class SyncConfigError extends Error {
  override name = 'SyncConfigError';
}

/** Reads a token file, refusing one that others can read (like ssh does with keys). */
export function readTokenFile(path: string): string {
  const st = statSync(path);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new SyncConfigError(`${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it.`);
  }
  const token = readFileSync(path, 'utf8').trim();
  if (!token) throw new SyncConfigError(`${path} is empty.`);
  return token;
}

function setting(ctx: ServiceContext, key: string): string | null {
  const r = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  const v = r ? (JSON.parse(r.value) as unknown) : null;
  return typeof v === 'string' && v !== '' ? v : null;
}

export function resolveToken(ctx: ServiceContext, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['TIDBOK_CENTRAL_TOKEN']) return env['TIDBOK_CENTRAL_TOKEN'];
  const file = env['TIDBOK_CENTRAL_TOKEN_FILE'] ?? setting(ctx, TOKEN_FILE_SETTING);
  return file ? readTokenFile(file) : null;
}

export function saveCentralUrl(ctx: ServiceContext, url: string): void {
  const parsed = new URL(url); // throws on nonsense
  if (parsed.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
    throw new SyncConfigError('The central API must be reached over https (plain http only on this computer).');
  }
  ctx.db
    .prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`)
    .run(CENTRAL_URL_SETTING, JSON.stringify(url.replace(/\/+$/, '')));
}

/**
 * Starts the engine when a central is configured (url from the argument or settings; token as
 * above, or the one given). Returns null for a stand-alone unit.
 */
export function startSyncIfConfigured(
  ctx: ServiceContext,
  options: { url?: string | null; token?: string | null; log?: Logger } = {},
): SyncEngine | null {
  const url = options.url ?? centralUrlSetting(ctx);
  if (!url) return null;
  const token = options.token !== undefined ? options.token : resolveToken(ctx);
  const engine = new SyncEngine(ctx, new FhirCentralApi({ baseUrl: url, token }), options.log ? { log: options.log } : {});
  engine.start();
  return engine;
}
