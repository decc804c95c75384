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
import { engineFor, SyncEngine } from './engine.ts';

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

/** Where a shell keeps the token (the desktop: Electron safeStorage); none in the web shell. */
export interface CredentialStore {
  save(token: string): void;
  load(): string | null;
}

const stores = new WeakMap<ServiceContext['db'], CredentialStore>();

export function registerCredentialStore(ctx: ServiceContext, store: CredentialStore): void {
  stores.set(ctx.db, store);
}

export function saveCentralUrl(ctx: ServiceContext, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncConfigError('Adressen till den centrala tidboken är inte en giltig URL.');
  }
  if (parsed.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
    throw new SyncConfigError('Den centrala tidboken måste nås över https (http bara på den här datorn).');
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
  const token = options.token !== undefined ? options.token : (stores.get(ctx.db)?.load() ?? resolveToken(ctx));
  const engine = new SyncEngine(ctx, new FhirCentralApi({ baseUrl: url, token }), options.log ? { log: options.log } : {});
  engine.start();
  return engine;
}

/**
 * Settings > central booking API: saves (or clears) the URL, keeps a token in the shell's
 * credential store, and restarts sync with them. A token can only be kept where a store exists:
 * the web shell reads TIDBOK_CENTRAL_TOKEN or a 0600 token file instead.
 */
export async function configureSync(
  ctx: ServiceContext,
  input: { centralUrl: string | null; token?: string | undefined },
  log?: Logger,
): Promise<void> {
  if (input.token !== undefined) {
    const store = stores.get(ctx.db);
    if (!store) {
      throw new SyncConfigError(
        'Token kan bara sparas i skrivbordsappen. I webbskalet: sätt TIDBOK_CENTRAL_TOKEN eller en tokenfil (läsbar bara av ägaren, 0600).',
      );
    }
    store.save(input.token);
  }
  if (input.centralUrl === null) {
    ctx.db.prepare(`DELETE FROM settings WHERE key = ?`).run(CENTRAL_URL_SETTING);
  } else {
    saveCentralUrl(ctx, input.centralUrl);
  }
  await engineFor(ctx)?.stop();
  startSyncIfConfigured(ctx, log ? { log } : {});
  ctx.events.emit({ entities: ['sync'], ids: [] });
}
