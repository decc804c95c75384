// Inställningar in Chromium against the web shell, each step checked in the data: a scheduler adds
// a clinician who then shows as a calendar column, moves her, closes on an eve, and deactivates
// (refused for a clinician with bookings ahead); a receptionist only reads.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { signInAs } from '../helpers/sign-in.ts';
import type { Resource } from '../../src-main/api/types.ts';
import type { HolidayRulesView } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

/** The api as the scheduler, in a session of its own. */
const api = apiAs(() => shell, 'schema', 'demo-schema');

const signIn = (page: Page, username: string, password: string, displayName: string) =>
  signInAs(page, shell, { username, password, displayName }, MONDAY);

test('a scheduler adds a clinician, sees her in the calendar, orders, closes on an eve and deactivates', async ({ page }) => {
  await signIn(page, 'schema', 'demo-schema', 'Per Schemaläggare');
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const table = page.getByTestId('resources-table');
  await expect(table.locator('tbody tr')).toHaveCount(7);
  await expect(page.getByTestId('unit-hsa')).toHaveText(/^SE\d{10}-\w+$/);
  await expectAccessible(page, 'settings');
  await page.screenshot({ path: 'tests/artifacts/screens/settings-page.png', fullPage: true });

  // Add a doctor.
  await page.getByRole('button', { name: 'Ny resurs' }).click();
  const form = page.getByTestId('resource-form');
  await form.getByLabel('Namn').fill('Anna Berg');
  await form.getByLabel('Yrke').selectOption('lakare');
  await form.getByLabel('Titel (frivilligt)').fill('Distriktsläkare');
  await form.getByLabel('HSA-id (frivilligt)').fill('SE232100-AB01');
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form.getByRole('alert')).toContainText('HSA-id ska skrivas');
  await form.getByLabel('HSA-id (frivilligt)').fill('SE2321000016-AB01');
  await expectAccessible(page, 'resource form');
  await page.screenshot({ path: 'tests/artifacts/screens/settings-resource-dialog.png' });
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form).toBeHidden();
  const row = table.locator('tr[data-resource-name="Anna Berg"]');
  await expect(row).toContainText('Läkare · Distriktsläkare');
  await expect(row).toContainText('SE2321000016-AB01');
  const added = (await api<Resource[]>('resources.list')).find((r) => r.name === 'Anna Berg');
  expect(added).toMatchObject({ kind: 'clinician', profession: 'lakare', hsaId: 'SE2321000016-AB01', active: true });

  // Move her up one place: she is now before the sampling room.
  await row.getByRole('button', { name: 'Flytta Anna Berg uppåt' }).click();
  await expect(table.locator('tbody tr').nth(6)).toHaveAttribute('data-resource-name', 'Anna Berg');
  const order = (await api<Resource[]>('resources.list')).map((r) => r.name);
  expect(order.indexOf('Anna Berg')).toBe(order.indexOf('Provtagningsrum 1') - 1);

  // Close on julafton no more.
  expect((await api<HolidayRulesView>('holidays.getRules')).julafton).toBe(true);
  const eves = page.getByTestId('settings-eves');
  await eves.getByLabel('Stängt på julafton').uncheck();
  await expect(page.getByTestId('notices')).toContainText('Helgdagsaftnarna är sparade.');
  await expect.poll(async () => (await api<HolidayRulesView>('holidays.getRules')).julafton).toBe(false);
  await expect(eves.getByLabel('Stängt på julafton')).not.toBeChecked();
  await expect(eves.getByLabel('Stängt på midsommarafton')).toBeChecked();

  // A clinician with bookings ahead cannot be deactivated: the message says how many.
  await table.locator('tr[data-resource-name="Anna Lindqvist"]').getByRole('button', { name: 'Inaktivera' }).click();
  await page.getByTestId('confirm-deactivate').getByRole('button', { name: 'Inaktivera' }).click();
  await expect(page.getByTestId('notices')).toContainText(/Anna Lindqvist har \d+ kommande bokningar/);
  await page.screenshot({ path: 'tests/artifacts/screens/settings-refused.png' });

  // The calendar's day view has a column for her (no slots yet: templates come next).
  await page.evaluate(() => (window.location.hash = '#/calendar'));
  const header = page.locator(`th[data-resource-id="${added!.id}"]`);
  await expect(header).toContainText('Anna Berg');
  await expect(page.locator('th[data-resource-id]')).toHaveCount(8);
  await page.screenshot({ path: 'tests/artifacts/screens/settings-calendar-column.png' });

  // Deactivate her: she leaves the calendar, stays listed as inactive.
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await table.locator('tr[data-resource-name="Anna Berg"]').getByRole('button', { name: 'Inaktivera' }).click();
  await expect(page.getByTestId('confirm-deactivate')).toContainText('Kommande lediga tider tas bort');
  await page.getByTestId('confirm-deactivate').getByRole('button', { name: 'Inaktivera' }).click();
  await expect(page.getByTestId('notices')).toContainText('Anna Berg är inaktiverad: 0 kommande lediga tider borttagna');
  await expect(table.locator('tr[data-resource-name="Anna Berg"]')).toContainText('Inaktiv');
  expect((await api<Resource[]>('resources.list')).some((r) => r.name === 'Anna Berg')).toBe(false);
  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await expect(page.locator('th[data-resource-id]')).toHaveCount(7);
});

test('a scheduler lays the schedule out further ahead', async ({ page }) => {
  await signIn(page, 'schema', 'demo-schema', 'Per Schemaläggare');
  await page.evaluate(() => (window.location.hash = '#/settings'));
  const section = page.getByTestId('settings-horizon');
  const weeks = section.getByLabel('Veckor framåt');
  await expect(weeks).toHaveValue('12');
  await expect(section.getByTestId('horizon-until')).toContainText('till och med sön 14 feb 2027');
  // Types bookable 84 days ahead or further are named (12 weeks reach today + 83 days), with the
  // horizon that would reach them: the smallest N with 7N - 1 >= the type's longest booking window.
  const beyond = (await api<{ typesBeyond: { bookMaxDays: number }[] }>('templates.getHorizon')).typesBeyond;
  expect(beyond.length).toBeGreaterThan(0);
  const longest = Math.max(...beyond.map((x) => x.bookMaxDays));
  await expect(section.getByTestId('horizon-types-beyond')).toContainText(
    `${beyond.length} besökstyper kan bokas upp till ${longest} dagar framåt men schemat räcker 83 dagar: sätt minst ${Math.floor(longest / 7) + 1} veckor`,
  );
  await expectAccessible(page, 'settings horizon with types beyond it');
  await section.screenshot({ path: 'tests/artifacts/screens/settings-horizon-short.png' });
  const slotsBefore = (await api<{ slots: unknown[] }>('calendar.range', { from: '2027-03-01', to: '2027-03-06' })).slots.length;
  expect(slotsBefore).toBe(0);

  await weeks.fill('16');
  await section.getByRole('button', { name: 'Spara' }).click();
  await expect(page.getByTestId('notices')).toContainText(/Schemat läggs nu ut 16 veckor framåt\. \d+ nya tider lades ut\./);
  await expect(section.getByTestId('horizon-until')).toContainText('till och med sön 14 mars 2027');
  expect((await api<{ weeks: number }>('templates.getHorizon')).weeks).toBe(16);
  await expect(section.getByTestId('horizon-types-beyond')).toHaveCount(longest >= 16 * 7 ? 1 : 0);
  // The first week of March now has the templates' slots.
  expect(
    (await api<{ slots: unknown[] }>('calendar.range', { from: '2027-03-01', to: '2027-03-06' })).slots.length,
  ).toBeGreaterThan(0);
  await expectAccessible(page, 'settings horizon');
  await section.screenshot({ path: 'tests/artifacts/screens/settings-horizon.png' });
});

test('a receptionist sees the settings read-only', async ({ page }) => {
  await signIn(page, 'reception', 'demo-reception', 'Karin Reception');
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await expect(page.getByTestId('resources-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByText('Du kan se inställningarna.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ny resurs' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Inaktivera' })).toHaveCount(0);
  await expect(page.getByTestId('settings-eves').getByRole('checkbox').first()).toBeDisabled();
  await expect(page.getByTestId('settings-horizon').getByLabel('Veckor framåt')).toBeDisabled();
  await expect(page.getByTestId('unit-name')).toHaveText('Vårdcentralen Solbacken');
  await expect(page.getByTestId('settings-unit').getByRole('textbox')).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/screens/settings-readonly.png', fullPage: true });
  // English second: the same page, every text translated.
  await page.locator('.tb-lang select').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(page.getByTestId('settings-eves').getByLabel('Closed on Christmas Eve')).toBeDisabled();
  await page.screenshot({ path: 'tests/artifacts/screens/settings-readonly-en.png', fullPage: true });
});

test.describe('a fresh, non-demo database', () => {
  let fresh: RunningShell;
  test.beforeAll(async () => {
    fresh = await startShell({ demo: false, env: { TIDBOK_NOW: MONDAY } });
  });
  test.afterAll(async () => fresh.stop());

  test('the first admin sets up the unit on the first screen, then adds its first clinician', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(fresh.url);
    await page.getByLabel('Namn', { exact: true }).fill('Ida Admin');
    await page.getByLabel('Användarnamn').fill('ida');
    await page.getByLabel('Lösenord (minst 10 tecken)').fill('ett-langt-losenord');
    await page.getByLabel('Upprepa lösenordet').fill('ett-langt-losenord');
    await page.getByRole('button', { name: 'Skapa administratör och logga in' }).click();

    const create = page.getByTestId('create-unit');
    await expect(create).toBeVisible();
    await create.getByLabel('HSA-id').fill('SE2321000016');
    await create.getByLabel('Namn', { exact: true }).fill('Vårdcentralen Norrby');
    await create.getByRole('button', { name: 'Lägg upp vårdenheten' }).click();
    await expect(create.getByRole('alert')).toContainText('HSA-id ska skrivas');
    await expectAccessible(page, 'create unit');
    await page.screenshot({ path: 'tests/artifacts/screens/settings-create-unit.png' });
    await create.getByLabel('HSA-id').fill('SE2321000016-NRBY');
    await create.getByRole('button', { name: 'Lägg upp vårdenheten' }).click();

    // The app now has its unit: header, settings and an empty resource list.
    await expect(page.locator('.tb-unit')).toHaveText('Vårdcentralen Norrby');
    await page.evaluate(() => (window.location.hash = '#/settings'));
    await expect(page.getByTestId('unit-hsa')).toHaveText('SE2321000016-NRBY');
    await expect(page.getByText('Inga resurser ännu.')).toBeVisible();
    // The admin renames the unit: the header follows.
    await page.getByTestId('settings-unit').getByLabel('Namn').fill('Vårdcentralen Norrby centrum');
    await page.getByRole('button', { name: 'Spara namnet' }).click();
    await expect(page.locator('.tb-unit')).toHaveText('Vårdcentralen Norrby centrum');
    await page.getByRole('button', { name: 'Ny resurs' }).click();
    const form = page.getByTestId('resource-form');
    await form.getByLabel('Namn').fill('Anna Berg');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect(page.getByTestId('resources-table').locator('tr[data-resource-name="Anna Berg"]')).toContainText('Läkare');
    await page.screenshot({ path: 'tests/artifacts/screens/settings-fresh-unit.png', fullPage: true });
  });
});
