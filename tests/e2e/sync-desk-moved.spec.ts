// A database copied by hand and started elsewhere: the Sync page says so in one Swedish line (run
// `tidbok desk copy` for a new desk, or confirm "same desk, moved"); a receptionist is told to ask
// an admin, and the admin's confirmation clears the line.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openRuntime } from '../../src-main/runtime.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { startShell, type RunningShell } from '../helpers/web-shell.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ADMIN: DemoUser = { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin' };
let shell: RunningShell;
let firstDesk: string;

test.beforeAll(async () => {
  // The first desk's demo database, opened where it lives (which records the place), then copied.
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-desk-moved-'));
  firstDesk = join(dir, 'forsta-kassan.db');
  const rt = openRuntime({ dbPath: firstDesk, now: () => Date.parse(MONDAY) });
  rt.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  rt.close();
  const copy = join(dir, 'kopierad.db');
  copyFileSync(firstDesk, copy);
  shell = await startShell({ dbPath: copy, env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => {
  await shell.stop();
});

test('the Sync page flags a hand copy; the admin confirms the move and the line is gone', async ({ page }) => {
  await signInAs(page, shell, RECEPTIONIST, MONDAY, '#/sync');
  const notice = page.getByTestId('sync-desk-moved');
  await expect(notice).toContainText(`Databasen öppnades först på`);
  await expect(notice).toContainText(firstDesk);
  await expect(notice).toContainText('tidbok desk copy');
  await expect(notice).toContainText('En administratör behöver ta ställning till detta.');
  await expect(notice.getByRole('button')).toHaveCount(0);

  await signInAs(page, shell, ADMIN, MONDAY, '#/sync');
  await expect(notice).toBeVisible();
  await expectAccessible(page, 'sync page with a desk opened elsewhere');
  await page.getByTestId('sync-status').screenshot({ path: 'tests/artifacts/screens/sync-desk-moved.png' });
  await notice.getByRole('button', { name: 'Samma kassa, flyttad' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('sync-status')).toBeVisible();
  await expect(notice).toHaveCount(0);
});
