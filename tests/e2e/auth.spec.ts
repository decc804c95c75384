// Staff sign-in in the real web shell and Chromium: the demo opens signed in as its
// receptionist, sign-out and lock show their screens, the lock keeps the page, a non-demo
// database asks for a sign-in first, and an admin searches and exports the access log.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { tempDbPath } from '../helpers/temp-db.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';

async function open(page: Page, shell: RunningShell): Promise<void> {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

// One shell, one launch session: these run in order (the sign-out ends the demo's session).
test.describe('demo unit', () => {
  test.describe.configure({ mode: 'serial' });
  let shell: RunningShell;
  let patient: CalendarRange['bookings'][number]['patient'];
  test.beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
    // Read as the demo receptionist (the printed token): this read is what the admin finds later.
    const range = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
    patient = range.bookings.find((b) => !b.patient.protectedIdentity)!.patient;
  });
  test.afterAll(async () => shell.stop());

  test('the lock keeps the page as it was; only the password opens it', async ({ page }) => {
    await open(page, shell);
    await expect(page.getByTestId('signed-in-user')).toHaveText('Karin Reception');
    await expect(page.locator('.tb-demo-badge')).toHaveText('Demo');
    // A receptionist does not see the access log.
    await expect(page.locator('[data-page="audit"]')).toHaveCount(0);
    await page.getByRole('button', { name: 'Nästa dag' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('24 november', { ignoreCase: true });

    await page.getByRole('button', { name: 'Lås', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Skärmen är låst' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Karin Reception');
    await page.screenshot({ path: 'tests/artifacts/screens/auth-locked.png' });
    await expectAccessible(page, 'auth', 'all');
    // Calls are refused while locked, whatever the page tries.
    expect(await page.evaluate(() => document.querySelector('.tb-auth-frame')?.hasAttribute('inert'))).toBe(true);

    await dialog.getByLabel('Lösenord').fill('fel-lösenord');
    await dialog.getByRole('button', { name: 'Lås upp' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Fel användarnamn eller lösenord');
    await dialog.getByLabel('Lösenord').fill('demo-reception');
    await dialog.getByRole('button', { name: 'Lås upp' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('24 november', { ignoreCase: true });
  });

  test('ten idle minutes lock the screen by themselves', async ({ page }) => {
    await page.clock.install({ time: new Date(MONDAY) });
    await page.goto(shell.url);
    await expect(page.locator('[data-booking-id]').first()).toBeVisible();
    await page.clock.fastForward('09:30');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.clock.fastForward('00:45');
    const dialog = page.getByRole('dialog', { name: 'Skärmen är låst' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Lösenord').fill('demo-reception');
    await dialog.getByRole('button', { name: 'Lås upp' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  });

  test('sign-out ends the demo session and shows the sign-in screen', async ({ page }) => {
    await open(page, shell);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
    await expect(page.getByText('Demoläge')).toBeVisible();
    await signIn(page, 'reception', 'fel-lösenord');
    await expect(page.getByRole('alert')).toHaveText('Fel användarnamn eller lösenord.');
    await page.screenshot({ path: 'tests/artifacts/screens/auth-sign-in.png' });
    await expectAccessible(page, 'auth', 'all');
    // The printed address no longer signs in by itself: its session has ended.
    await open(page, shell);
    await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
    const refused = await page.request.post(`${shell.origin}/api/calendar.range`, {
      headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
      data: { from: '2026-11-23', to: '2026-11-24' },
    });
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  test('an admin searches the access log by patient, exports it and takes a patient extract', async ({ page }) => {
    await open(page, shell);
    await signIn(page, 'admin', 'demo-admin');
    await expect(page.getByTestId('signed-in-user')).toHaveText('Ada Admin');
    await page.locator('[data-page="audit"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Åtkomstlogg' })).toBeVisible();
    await expect(page.getByRole('status').first()).toContainText('Loggkedjan är obruten');

    await page.getByLabel('Patient (personnummer)').fill(patient.identityNumber);
    await page.getByRole('button', { name: 'Sök' }).click();
    const rows = page.getByTestId('audit-results').locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    // The receptionist's calendar read is in the log, with the patient and the user.
    await expect(rows.filter({ hasText: 'Karin Reception' }).filter({ hasText: 'Läsning' }).first()).toBeVisible();
    // What each row is about reads as a Swedish word, not as the log's entity name ('patient').
    await expect(rows.first().locator('td').last()).toHaveText('Patient');
    await page.screenshot({ path: 'tests/artifacts/screens/audit-search.png' });
    await expectAccessible(page, 'auth', 'all');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exportera CSV' }).click();
    const csv = readFileSync((await (await downloading).path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('tid_utc,handelse');
    expect(csv).toContain(patient.identityNumber);

    await page.getByRole('button', { name: 'Loggutdrag för patienten' }).click();
    await expect(page.getByRole('heading', { name: /Loggutdrag:/ })).toContainText(patient.identityNumber);
    await expect(page.locator('.tb-audit-extract tbody tr').first()).toContainText('Vårdcentralen Solbacken');
    await page.screenshot({ path: 'tests/artifacts/screens/audit-extract.png' });
  });

  test('an admin adds a receptionist, who then signs in without the admin pages', async ({ page }) => {
    await open(page, shell);
    await signIn(page, 'admin', 'demo-admin');
    await page.locator('[data-page="users"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Personal och behörighet' })).toBeVisible();
    await page.getByLabel('Namn', { exact: true }).fill('Nina Ny');
    await page.getByLabel('Användarnamn').fill('nina');
    await page.getByLabel('Lösenord (minst 10 tecken)').fill('nina-lösenord-1');
    await page.getByRole('button', { name: 'Skapa konto' }).click();
    const row = page.getByTestId('users').locator('tbody tr', { hasText: 'Nina Ny' });
    await expect(row).toContainText('Reception');
    await expect(row).toContainText('Aktiv');
    await page.getByLabel('Lås skärmen efter (minuter utan aktivitet)').fill('5');
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await expect(page.getByText('Skärmen låses efter 5 minuter utan aktivitet.')).toBeVisible();
    await page.screenshot({ path: 'tests/artifacts/screens/users.png' });
    await expectAccessible(page, 'auth', 'all');

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, 'nina', 'nina-lösenord-1');
    await expect(page.getByTestId('signed-in-user')).toHaveText('Nina Ny');
    await expect(page.locator('[data-page="users"], [data-page="audit"]')).toHaveCount(0);
  });
});

test.describe('a unit that is not the demo', () => {
  let shell: RunningShell;
  test.beforeAll(async () => {
    const dbPath = tempDbPath();
    const db = openDatabase(dbPath);
    seedDemo(createContext(db, { now: () => Date.parse(MONDAY) }));
    db.prepare(`DELETE FROM settings WHERE key = 'demo'`).run();
    db.close();
    shell = await startShell({ dbPath, env: { TIDBOK_NOW: MONDAY } });
  });
  test.afterAll(async () => shell.stop());

  test('asks for a sign-in before anything else', async ({ page }) => {
    await open(page, shell);
    await expect(page.getByRole('heading', { name: 'Logga in' })).toBeVisible();
    await expect(page.getByText('Demoläge')).toHaveCount(0);
    await expect(page.locator('[data-booking-id]')).toHaveCount(0);
    await signIn(page, 'schema', 'demo-schema');
    await expect(page.getByTestId('signed-in-user')).toHaveText('Per Schemaläggare');
    await expect(page.locator('.tb-demo-badge')).toHaveCount(0);
    await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  });
});
