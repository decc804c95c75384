// A walk-in at the desk, driven in Chromium against the web shell at 13:10 on Monday 2026-11-23: a
// free time under way (13:00–13:30) reads "Pågår" and opens the booking dialog, which asks for the
// override's reason at once and books the patient standing at the desk, logged; a time that has
// ended still says it has passed. Each step is checked in the data; axe and screenshots on each screen.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange, Slot } from '../../src-main/api/types.ts';
import { openDatabase } from '../../src-main/store/database.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';

const AT = '2026-11-23T13:10:00+01:00';
const NOW = Date.parse(AT);
const DAY = { from: '2026-11-23', to: '2026-11-24' };

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: AT } });
});
test.afterAll(async () => shell.stop());

async function open(page: Page): Promise<void> {
  await page.clock.setFixedTime(new Date(AT));
  await page.goto(shell.url);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
}

const day = () => apiCall<CalendarRange>(shell, 'calendar.range', DAY);
function free(range: CalendarRange): Slot[] {
  const held = new Set(range.bookings.filter((b) => b.status !== 'cancelled' && b.status !== 'rebooked').map((b) => b.slotId));
  return range.slots.filter((s) => s.state === 'open' && !held.has(s.id));
}

test('a free time under way books the patient at the desk with a reason, logged; an ended one is refused', async ({ page }) => {
  await open(page);
  const range = await day();
  const begun = free(range).find((s) => s.startAt <= NOW && s.endAt > NOW);
  const ended = free(range).find((s) => s.endAt <= NOW);
  expect(begun, 'the demo day has a free time under way at 13:10').toBeDefined();
  expect(ended, 'the demo day has a free time that ended before 13:10').toBeDefined();
  // Standing at the desk, no other time today.
  const patient = await apiCall<{ id: string; displayName: string; identityNumber: string }>(shell, 'patients.create', {
    identityNumber: makeIdentityNumber('1947-03-15', 482),
    givenName: 'Greta',
    familyName: 'Drop',
  });

  const time = page.locator(`[data-slot-id="${begun!.id}"]`);
  await time.scrollIntoViewIfNeeded();
  await expect(time).toHaveAttribute('data-state', 'started');
  await expect(time).toHaveAttribute('aria-label', /^Pågår 13:00–13:30/);
  await expect(time).not.toHaveAttribute('aria-disabled', 'true');
  await expectAccessible(page, 'calendar with a time under way');
  await time.screenshot({ path: 'tests/artifacts/screens/walk-in-slot.png' });
  await page.screenshot({ path: 'tests/artifacts/screens/walk-in-calendar.png' });

  // An ended time is still refused with a notice, and opens nothing.
  await page.locator(`[data-slot-id="${ended!.id}"]`).click({ force: true }); // aria-disabled: Playwright would wait
  await expect(page.getByTestId('notices')).toContainText('Tiden har redan passerat');
  await expect(page.getByTestId('book-dialog')).toHaveCount(0);

  await time.click();
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('walk-in-note')).toHaveText(
    'Tiden började kl. 13:00 och pågår till kl. 13:30. En patient som är på plats kan bokas med en motivering, som sparas i loggen.',
  );
  const reason = dialog.getByLabel('Motivering för att åsidosätta regeln');
  await expect(reason).toBeVisible();
  // The patient search keeps the focus: the reason is asked, not jumped to.
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(patient.identityNumber);
  await dialog.getByRole('button', { name: new RegExp(patient.displayName) }).click();
  await expect(dialog.getByTestId('chosen-patient')).toContainText(patient.displayName);

  // Without a reason the form does not go: nothing is booked.
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  await expect(dialog).toBeVisible();
  expect((await day()).bookings.some((b) => b.slotId === begun!.id)).toBe(false);

  await reason.fill('Patienten står i receptionen');
  await expectAccessible(page, 'walk-in booking dialog');
  await page.screenshot({ path: 'tests/artifacts/screens/walk-in-dialog.png' });
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${patient.displayName}`);

  const booking = (await day()).bookings.find((b) => b.slotId === begun!.id);
  // At the desk: the dialog of a time under way takes the desk as the channel.
  expect(booking).toMatchObject({ status: 'booked', channel: 'desk', patient: { id: patient.id } });
  await expect(page.locator(`[data-booking-id="${booking!.id}"]`)).toBeVisible();
  const db = openDatabase(shell.dbPath);
  try {
    const logged = db
      .prepare(`SELECT detail ->> '$.override' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'book'`)
      .pluck()
      .get(booking!.id) as string;
    expect(JSON.parse(logged)).toEqual({ rule: 'started', rules: ['started'], reason: 'Patienten står i receptionen' });
  } finally {
    db.close();
  }
});

test('a walk-in who has another time now: the dialog shows it before booking both, and logs both', async ({ page }) => {
  await open(page);
  const range = await day();
  const begun = free(range).find((s) => s.startAt <= NOW && s.endAt > NOW);
  expect(begun, 'a second free time under way at 13:10').toBeDefined();
  const busy = range.bookings.find(
    (b) =>
      b.resourceId !== begun!.resourceId &&
      b.startAt < begun!.endAt &&
      b.endAt > begun!.startAt &&
      b.status === 'booked' &&
      !b.patient.protectedIdentity,
  );
  expect(busy, 'a patient booked with another clinician at the same time').toBeDefined();
  await page.locator(`[data-slot-id="${begun!.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(busy!.patient.identityNumber);
  await dialog.getByRole('button', { name: new RegExp(busy!.patient.displayName) }).click();
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Gemensamt besök');
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  // Her other time is named: the walk-in's reason did not pass it unseen.
  await expect(dialog.getByRole('alert')).toContainText('Patienten har redan en tid som överlappar');
  expect((await day()).bookings.some((b) => b.slotId === begun!.id)).toBe(false);
  await expectAccessible(page, 'walk-in with another time');
  await page.screenshot({ path: 'tests/artifacts/screens/walk-in-busy.png' });
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  await expect(dialog).toBeHidden();
  const booking = (await day()).bookings.find((b) => b.slotId === begun!.id)!;
  const db = openDatabase(shell.dbPath);
  try {
    const logged = db
      .prepare(`SELECT detail ->> '$.override' FROM audit_events WHERE entity_id = ? AND detail ->> '$.op' = 'book'`)
      .pluck()
      .get(booking.id) as string;
    expect(JSON.parse(logged)).toEqual({ rule: 'started', rules: ['started', 'patient_busy'], reason: 'Gemensamt besök' });
  } finally {
    db.close();
  }
});
