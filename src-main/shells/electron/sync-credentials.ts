// The central API's credential on the desktop: kept encrypted with Electron safeStorage (the
// OS keychain / DPAPI / libsecret), in settings as base64; decrypted only to start sync.
import { safeStorage } from 'electron';
import type { ServiceContext } from '../../services/context.ts';
import type { Logger } from '../../log.ts';
import { registerCredentialStore, startSyncIfConfigured } from '../../sync/config.ts';
import type { SyncEngine } from '../../sync/engine.ts';

const SETTING = 'sync.token_safe';

export function saveCentralToken(ctx: ServiceContext, token: string): void {
  if (!safeStorage.isEncryptionAvailable()) throw new Error('No OS encryption available for the central API credential.');
  const sealed = safeStorage.encryptString(token).toString('base64');
  ctx.db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(SETTING, JSON.stringify(sealed));
}

function loadCentralToken(ctx: ServiceContext): string | null {
  const row = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).get(SETTING) as { value: string } | undefined;
  if (!row || !safeStorage.isEncryptionAvailable()) return null;
  return safeStorage.decryptString(Buffer.from(JSON.parse(row.value) as string, 'base64'));
}

/** Starts sync when a central is configured; the token comes from safeStorage, else env / 0600 file. */
export function startDesktopSync(ctx: ServiceContext, log: Logger): SyncEngine | null {
  registerCredentialStore(ctx, { save: (token) => saveCentralToken(ctx, token), load: () => loadCentralToken(ctx) });
  try {
    return startSyncIfConfigured(ctx, { log });
  } catch (err) {
    log.error({ err }, 'sync not started');
    return null;
  }
}
