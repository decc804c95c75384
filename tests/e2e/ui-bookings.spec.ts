// Bokningar, driven in Chromium against the web shell (demo unit, Monday 2026-11-23 09:10): filter
// to today and one clinician, find a patient by personnummer as people say it, open the row and
// cancel with a reason; the list follows. Checked in the data afterwards; axe on each screen.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { BookingList } from '../../src-main/api/methods/bookings-search.ts';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);
const TODAY = { from: '2026-11-23', to: '2026-11-23' };

// A Swedish workstation: date fields read ÅÅÅÅ-MM-DD.
test.use({ locale: 'sv-SE' });

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

async function open(page: Page): Promise<void> {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(`${shell.url}#/bookings`);
  await expect(page.getByRole('heading', { name: 'Bokningar', level: 1 })).toBeVisible();
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
}

const search = (input: object) => apiCall<BookingList>(shell, 'bookings.search', { ...TODAY, limit: 500, ...input });

test('filter to today and a clinician, find a patient by personnummer, cancel from the list', async ({ page }) => {
  await open(page);
  const today = await search({});
  await expect(page.getByTestId('bookings-count')).toHaveText(`${today.total} bokningar`);
  await expect(page.locator('tbody [data-booking-id]')).toHaveCount(today.total);
  await expectAccessible(page, 'bookings list');
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-today.png' });

  // A later booking today of a patient whose name may be shown.
  const target = today.rows.find(
    (r) =>
      r.status === 'booked' &&
      r.startAt > NOW + 3_600_000 &&
      !r.patient.protectedIdentity &&
      today.rows.filter((x) => x.patient.id === r.patient.id && x.resourceId === r.resourceId).length === 1,
  )!;
  const ofResource = today.rows.filter((r) => r.resourceId === target.resourceId);
  await page.locator('summary', { hasText: 'Resurs' }).click();
  await page.getByRole('checkbox', { name: target.resourceName }).check();
  await expect(page.getByTestId('bookings-count')).toHaveText(
    ofResource.length === 1 ? '1 bokning' : `${ofResource.length} bokningar`,
  );
  await expect(page.locator('tbody [data-booking-id]')).toHaveCount(ofResource.length);
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-resource.png' });
  // Escape closes the picker and gives focus back to it.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('checkbox', { name: target.resourceName })).toBeHidden();
  await expect(page.locator('summary', { hasText: target.resourceName })).toBeFocused();

  // A slip of one digit: the empty list says the check digit is wrong.
  const pnr = target.patient.identityNumber!;
  const slip = `${pnr.slice(2, 8)}-${pnr.slice(8, 11)}${(Number(pnr[11]) + 1) % 10}`;
  await page.keyboard.press('s');
  await expect(page.getByLabel('Patient', { exact: true })).toBeFocused();
  await page.keyboard.type(slip);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Kontrollsiffran stämmer inte' })).toBeVisible();
  await page.getByLabel('Patient', { exact: true }).fill('');

  // Typed the way people say it: ten digits with a dash; Enter searches.
  await page.getByLabel('Patient', { exact: true }).focus();
  await page.keyboard.type(`${pnr.slice(2, 8)}-${pnr.slice(8)}`);
  await page.keyboard.press('Enter');
  await expect(page.locator('tbody [data-booking-id]')).toHaveCount(1);
  const row = page.locator(`tbody [data-booking-id="${target.id}"]`);
  await expect(row).toContainText(target.patient.displayName!);
  await expect(row).toContainText(`${pnr.slice(0, 8)}-${pnr.slice(8)}`);
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-patient.png' });

  // Open the row from the keyboard and cancel with a reason (inside 24 h: a logged override).
  await row.getByRole('button').focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog.getByTestId('booking-status')).toHaveText('Bokad');
  await expectAccessible(page, 'booking dialog from the list');
  await dialog.getByRole('button', { name: 'Avboka …' }).click();
  await dialog.getByLabel('Orsakskod').selectOption('SJUK');
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(dialog.getByRole('alert')).toContainText('24 timmar');
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten ringde, sjuk');
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-cancel.png' });
  await dialog.getByRole('button', { name: 'Avboka ändå' }).click();
  await expect(dialog).toBeHidden();

  const detail = await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id });
  expect(detail).toMatchObject({ status: 'cancelled', cancelReasonCode: 'SJUK' });
  // The list follows: gone from the active bookings, back under "Alla, även avbokade" as cancelled.
  await expect(row).toHaveCount(0);
  // The row the keyboard was on is gone: focus goes to the row in its place, here the search field.
  await expect(page.getByLabel('Patient', { exact: true })).toBeFocused();
  await page.getByLabel('Status').selectOption('all');
  await expect(row.locator('.tb-status-chip')).toHaveText('Avbokad');
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-cancelled.png' });
});

test('a week of web bookings, newest first, pages of 100; English', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Denna vecka' }).click();
  await page.getByLabel('Kanal').selectOption('web');
  await page.getByLabel('Sortera').selectOption('createdDesc');
  const web = await search({ from: '2026-11-23', to: '2026-11-29', channels: ['web'], sort: 'createdDesc', limit: 100 });
  await expect(page.getByTestId('bookings-count')).toHaveText(`${web.total} bokningar`);
  await expect(page.locator('tbody [data-booking-id]').first()).toHaveAttribute('data-booking-id', web.rows[0]!.id);
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-web-week.png' });

  // "Web bookings made since this morning".
  await page.getByRole('button', { name: 'Bokade idag' }).click();
  const sinceMorning = await search({
    from: '2026-11-23',
    to: '2026-11-29',
    channels: ['web'],
    createdSince: '2026-11-23T00:00',
  });
  expect(sinceMorning.total).toBeGreaterThan(0);
  expect(sinceMorning.total).toBeLessThan(web.total);
  await expect(page.getByTestId('bookings-count')).toHaveText(
    sinceMorning.total === 1 ? '1 bokning' : `${sinceMorning.total} bokningar`,
  );
  await page.getByRole('button', { name: 'Bokade idag' }).click();
  await expect(page.getByTestId('bookings-count')).toHaveText(`${web.total} bokningar`);

  // All statuses over the week: more than a page.
  await page.getByLabel('Kanal').selectOption('');
  await page.getByLabel('Status').selectOption('all');
  const all = await search({
    from: '2026-11-23',
    to: '2026-11-29',
    statuses: ['preliminary', 'booked', 'arrived', 'completed', 'no_show', 'cancelled', 'rebooked'],
    sort: 'createdDesc',
    limit: 100,
  });
  expect(all.total).toBeGreaterThan(100);
  await expect(page.getByText(`1–100 av ${all.total}`)).toBeVisible();
  await page.getByRole('button', { name: 'Nästa' }).click();
  await expect(page.getByText(`101–${Math.min(200, all.total)} av ${all.total}`)).toBeVisible();

  await page.locator('.tb-lang select').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Bookings', level: 1 })).toBeVisible();
  await expectAccessible(page, 'bookings list (English)');
  await page.screenshot({ path: 'tests/artifacts/screens/bookings-en.png' });
});

test('the dialog says to the minute until when the patient could cancel on 1177, before and after the cut-off', async ({
  page,
}) => {
  await open(page);
  const week = await search({ to: '2026-11-29' });
  const details = await Promise.all(
    week.rows
      .filter((r) => r.status === 'booked' && r.startAt > NOW)
      .slice(0, 60)
      .map((r) => apiCall<BookingDetail>(shell, 'bookings.get', { id: r.id })),
  );
  const passed = details.find((d) => d.onlineCancel.reason === 'deadline_passed' && d.onlineCancel.deadline !== null)!;
  const open177 = details.find((d) => d.onlineCancel.allowed && d.onlineCancel.deadline !== null)!;
  expect(passed && open177).toBeTruthy();
  const hhmm = (at: number) =>
    new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Stockholm' }).format(at);
  for (const [d, words] of [
    [passed, 'Avbokning på 1177 gick att göra till'],
    [open177, 'Patienten kan avboka på 1177 till'],
  ] as const) {
    await page.getByRole('button', { name: 'Denna vecka' }).click();
    await page.locator(`tbody [data-booking-id="${d.id}"]`).getByRole('button').click();
    const dialog = page.getByTestId('booking-dialog');
    const line = dialog.locator('dd', { hasText: words });
    await expect(line).toContainText(hhmm(d.onlineCancel.deadline!));
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByText('Sista dag för avbokning')).toHaveCount(0);
});
