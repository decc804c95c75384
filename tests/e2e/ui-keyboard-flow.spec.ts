// The receptionist's main flow without a mouse: find the patient, open her booking from the
// patient card, rebook it to a free time, then cancel it, by Tab, Enter and Escape only. Every
// step's focus is visible, and Escape closes a dialog and gives the focus back to what opened it.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { RECEPTIONIST, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { Booking, CalendarRange } from '../../src-main/api/types.ts';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());
const admin = apiAs(() => shell, 'admin', 'demo-admin');

/** 'visible' when the focused element draws a focus ring of at least 2px, else what lacks one. */
function focusShown(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || /\d+px \d+px 0px [2-9]px/.test(s.boxShadow);
    return ring ? 'visible' : `no focus ring on ${el.outerHTML.slice(0, 100)}`;
  });
}

/** Tabs forward until `target` has the focus, checking the ring on each stop. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
    expect(await focusShown(page)).toBe('visible');
  }
  await expect(target).toBeFocused();
}

test('find a patient, open her booking, rebook it and cancel it by keyboard alone', async ({ page }) => {
  test.setTimeout(120_000);
  page.setDefaultTimeout(10_000);
  const week = await admin<CalendarRange>('calendar.range', { from: '2026-11-25', to: '2026-11-28' });
  // A booking two days on (outside the 24-hour cut-offs) of a patient with only that one that week.
  const mine = (b: Booking, id: string) => b.patient.id === id && b.status === 'booked';
  const booking = week.bookings.find(
    (b) =>
      b.status === 'booked' &&
      !b.patient.protectedIdentity &&
      b.startAt > NOW + 48 * 3_600_000 &&
      week.bookings.filter((x) => mine(x, b.patient.id)).length === 1,
  )!;
  const patient = booking.patient;
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();

  // S opens the patient search with the focus in its field; Escape gives the focus back.
  const searchButton = page.getByRole('button', { name: 'Sök patient' });
  await searchButton.focus();
  await page.keyboard.press('Enter');
  const search = page.getByTestId('patient-search');
  await expect(search.getByRole('searchbox').or(search.getByRole('textbox')).first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(search).toBeHidden();
  await expect(searchButton).toBeFocused();
  await page.keyboard.press('s');
  await page.keyboard.type(patient.displayName);
  await expect(search.getByRole('button', { name: new RegExp(patient.displayName) }).first()).toBeVisible();
  await page.keyboard.press('Enter');

  // The patient card: Tab to her booking and open it.
  const card = page.getByRole('dialog', { name: 'Patient' });
  await expect(card).toContainText(patient.displayName);
  const link = card.getByRole('button', { name: new RegExp(`^\\S+ \\d+ \\S+ 2026 `) }).first();
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog).toContainText(patient.displayName);

  // Boka om …: the free times are offered; Tab to the first, Enter books it there.
  await tabTo(page, dialog.getByRole('button', { name: 'Boka om …' }));
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('next-free-panel');
  const first = panel.getByRole('button', { name: /^Boka/ }).first();
  await expect(first).toBeVisible();
  await tabTo(page, first, 80);
  await page.keyboard.press('Enter');
  const rebook = page.getByTestId('rebook-dialog');
  await expect(rebook).toBeVisible();
  await tabTo(page, rebook.getByRole('button', { name: 'Boka om', exact: true }));
  await page.keyboard.press('Enter');
  await expect(rebook).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(patient.displayName);
  const moved = await admin<BookingDetail>('bookings.get', { id: booking.id });
  expect(moved.status).toBe('rebooked');
  const newId = moved.rebookedTo!;

  // The new booking, opened from the patient card again, is cancelled with a reason code.
  await page.keyboard.press('s');
  await page.keyboard.type(patient.displayName);
  await expect(search.getByRole('button', { name: new RegExp(patient.displayName) }).first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(card).toContainText(patient.displayName);
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText(patient.displayName);
  await tabTo(page, dialog.getByRole('button', { name: 'Avboka …' }));
  await page.keyboard.press('Enter');
  const code = dialog.getByLabel('Orsakskod');
  await tabTo(page, code);
  await page.keyboard.press('ArrowDown');
  await tabTo(page, dialog.getByRole('button', { name: 'Avboka tiden' }));
  await page.keyboard.press('Enter');
  // The new time is today, inside the 24-hour cut-off: the desk types its reason where the focus is.
  await expect(dialog.getByRole('alert')).toContainText('24 timmar');
  await expect(dialog.getByLabel('Motivering för att åsidosätta regeln')).toBeFocused();
  await page.keyboard.type('Patienten ringde, sjuk');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const cancelled = await admin<BookingDetail>('bookings.get', { id: newId });
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.patient.id).toBe(patient.id);
  // The patient card that opened the booking has closed: the focus goes to the calendar, not to
  // the top of the page (where it fell before).
  await expect(page.locator('.tb-main :is([data-slot-id], [data-booking-id]):focus')).toHaveCount(1);
  expect(await focusShown(page)).toBe('visible');
});
