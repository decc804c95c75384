// The desk's own database fails while syncing with a reachable central (a real SQLite fault: a
// trigger refuses to mark sent changes as sent). Staff must not read it as a network outage: the
// header says "Lokalt databasfel – kontakta IT-support" and leads to the Sync page, which says what
// to do and shows IT the precise error.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { expectAccessible } from '../helpers/axe.ts';
import type { SyncStatusView } from '../../src-main/api/methods/sync.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';

function databaseThatCannotSettle(): string {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'tidbok-e2e-sync-local-')), 'tidbok.db');
  const ctx = createContext(openDatabase(dbPath), { now: () => Date.parse(MONDAY) });
  seedDemo(ctx);
  ctx.db.exec(
    `CREATE TRIGGER refuse_settle BEFORE UPDATE OF state ON outbox WHEN NEW.state = 'done'
       BEGIN SELECT RAISE(ABORT, 'injected: the outbox cannot be written'); END`,
  );
  ctx.db.close();
  return dbPath;
}

test.describe('sync with a local database error', () => {
  let central: Central;
  let shell: RunningShell;
  test.beforeAll(async () => {
    central = await startCentral({});
    shell = await startShell({
      dbPath: databaseThatCannotSettle(),
      env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url },
    });
  });
  test.afterAll(async () => {
    await shell.stop();
    await central.close();
  });

  test('the header and the Sync page say local database error, not offline, and show IT the error', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    const indicator = page.getByTestId('sync-state');
    await expect(indicator).toHaveText(/^Lokalt databasfel – kontakta IT-support/, { timeout: 30_000 });
    await expect(indicator).not.toContainText('Offline');
    await expect(page.getByRole('alert')).toContainText('Lokalt databasfel');
    await expectAccessible(page, 'header with a local sync error');
    await page.locator('.tb-header').screenshot({ path: 'tests/artifacts/screens/sync-local-error-header.png' });

    await indicator.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Synkronisering' })).toBeVisible();
    const card = page.getByTestId('sync-status');
    await expect(card).toContainText('Lokalt databasfel – kontakta IT-support');
    await expect(card).toContainText('Det här är inget nätverksfel');
    await expect(page.getByTestId('sync-last-error')).toHaveText(
      'SQLITE_CONSTRAINT_TRIGGER: injected: the outbox cannot be written',
    );
    await expect(card).toContainText('Nytt försök');
    // "Synka nu" tries at once and says the same, precisely.
    await page.getByRole('button', { name: 'Synka nu' }).click();
    await expect(card.getByRole('status')).toHaveText(
      'Synkningen misslyckades: SQLITE_CONSTRAINT_TRIGGER: injected: the outbox cannot be written',
    );
    await expectAccessible(page, 'sync page with a local error');
    await page.screenshot({ path: 'tests/artifacts/screens/sync-local-error.png', fullPage: true });
    const status = await apiCall<SyncStatusView>(shell, 'sync.status', {});
    expect(status).toMatchObject({ mode: 'error', errorKind: 'local' });

    await page.getByLabel('Språk').selectOption('en');
    await expect(indicator).toHaveText(/^Local database error – contact IT support/);
    await expect(card).toContainText('This is not a network problem');
  });
});
