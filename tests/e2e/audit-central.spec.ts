// The access log's copy at central, as an admin sees it under Åtkomstlogg: the web shell syncs
// with a real stand-in central, its log reaches central, the page says the copy matches; after the
// desk's log is rewritten whole (the local chain still checks out) the page names the first row
// that differs from central's copy.
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { rewriteAuditLog } from '../helpers/audit-tamper.ts';
import { signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AuditVerification } from '../../src-main/api/methods/auth.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ADMIN: DemoUser = { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin' };
let central: Central;
let shell: RunningShell;

test.beforeAll(async () => {
  central = await startCentral({ token: null });
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url } });
});
test.afterAll(async () => {
  await shell.stop();
  await central.close();
});

test('Åtkomstlogg shows whether the desk log matches central’s copy', async ({ page }) => {
  test.setTimeout(90_000);
  const admin = apiAs(() => shell, ADMIN.username, ADMIN.password);
  await signInAs(page, shell, ADMIN, MONDAY, '#/audit');
  // The demo's bookings go to central first, then the log (sign-ins and views included).
  await expect
    .poll(async () => (await admin<AuditVerification>('audit.verify')).central, { timeout: 60_000, intervals: [500] })
    .toMatchObject({ unsent: 0, problem: null, unreachable: null });
  await page.reload();
  const line = page.getByTestId('audit-central');
  await expect(line).toContainText(
    /^Kopian hos den centrala tidboken stämmer till och med rad \d+ \(0 händelser ännu inte skickade\)\.$/,
  );
  await expectAccessible(page, 'audit central ok');
  await page.screenshot({ path: 'tests/artifacts/screens/audit-central-ok.png' });

  // The Sync page says the log is at central too.
  await page.evaluate(() => (window.location.hash = '#/sync'));
  await expect(page.getByTestId('sync-audit')).toHaveText(/^(Allt skickat|\d+ händelser? väntar)$/);
  await page.screenshot({ path: 'tests/artifacts/screens/sync-audit-line.png' });
  await page.evaluate(() => (window.location.hash = '#/audit'));

  // Someone with the file changes who did the second event and rehashes the chain.
  const db = new Database(shell.dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    rewriteAuditLog(db, (rows) => rows.map((r) => (r.seq === 2 ? { ...r, workstation: 'annan-dator' } : r)));
  } finally {
    db.close();
  }
  await page.reload();
  await expect(page.locator('.tb-audit-chain').first()).toContainText('Loggkedjan är obruten');
  await expect(line).toContainText(
    'Loggen skiljer sig från kopian hos den centrala tidboken vid rad 2: raden skiljer sig från centralens kopia (ändrad eller ersatt). Kontakta IT-säkerhet.',
  );
  await page.screenshot({ path: 'tests/artifacts/screens/audit-central-differs.png' });
});
