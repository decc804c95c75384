// The central API's credential on the desktop: kept encrypted with Electron safeStorage (the
// OS keychain / DPAPI / libsecret), in settings as base64; decrypted only to start sync.
import { safeStorage } from 'electron';
import type { ServiceContext } from '../../services/context.ts';
import type { Logger } from '../../log.ts';
import { registerCredentialStore } from '../../sync/config.ts';
import { startShellSync } from '../../demo/central/demo.ts';

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

/**
 * Starts sync as the web shell does (the demo database gets its in-process central and simulated
 * patients); the token comes from safeStorage, else env / 0600 file.
 */
export function startDesktopSync(ctx: ServiceContext, log: Logger): void {
  registerCredentialStore(ctx, { save: (token) => saveCentralToken(ctx, token), load: () => loadCentralToken(ctx) });
  void startShellSync(ctx, log);
}
