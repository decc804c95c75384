// The booking dialog shows why the patient booked, and once the time is cancelled or moved, why
// that was too: the receptionist calling back and the clinician still read the visit's reason
// (demo unit, Monday 2026-11-23 09:10). The desk cancels through the dialog; the data says the
// same as the screen. Axe and a screenshot of each.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { luhn } from '../helpers/luhn-oracle.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { BookingDetail, FreeSlot, Patient, Rebooking } from '../../src-main/api/methods/scheduling.ts';
import type { AppointmentType, Booking } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const SHOTS = 'tests/artifacts/screens';

test.use({ locale: 'sv-SE' });

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

test('the visit reason stays in the dialog next to why the time was cancelled or moved', async ({ page }) => {
  const lakbes = (await apiCall<AppointmentType[]>(shell, 'appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  const patient = await apiCall<Patient>(shell, 'patients.create', {
    identityNumber: `19790521431${luhn('790521431')}`,
    givenName: 'Märta',
    familyName: 'Öhman',
  });
  const [s1, s2, s3] = await apiCall<FreeSlot[]>(shell, 'slots.findFree', {
    appointmentTypeId: lakbes.id,
    from: '2026-11-30',
    limit: 3,
  });
  const book = (slot: FreeSlot) =>
    apiCall<Booking>(shell, 'bookings.book', {
      slotId: slot.slotId,
      patientId: patient.id,
      appointmentTypeId: lakbes.id,
      reasonText: 'Hosta sedan september',
    });
  const first = await book(s1!);
  const second = await book(s2!);
  const moved = await apiCall<Rebooking>(shell, 'bookings.rebook', {
    id: second.id,
    slotId: s3!.slotId,
    reasonText: 'Patienten är bortrest',
  });

  // The booked time: its visit reason, nothing about a cancellation.
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await page.locator('input[type="date"]').first().fill('2026-11-30');
  await page.locator(`[data-booking-id="${first.id}"]`).click();
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog.getByTestId('booking-status')).toHaveText('Bokad');
  await expect(dialog.getByText('Besöksorsak')).toBeVisible();
  await expect(dialog.getByTestId('booking-reason')).toHaveText('Hosta sedan september');
  await expect(dialog.getByTestId('booking-cancel-reason')).toHaveCount(0);

  // The patient calls in sick: the desk cancels with a code and words.
  await dialog.getByRole('button', { name: 'Avboka …' }).click();
  await dialog.getByLabel('Orsakskod').selectOption('SJUK');
  await dialog.getByLabel('Orsak (fritext)').fill('feber sedan i går');
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(dialog).toBeHidden();
  expect(await apiCall<BookingDetail>(shell, 'bookings.get', { id: first.id })).toMatchObject({
    status: 'cancelled',
    reasonText: 'Hosta sedan september',
    cancelReasonCode: 'SJUK',
    cancelReasonText: 'feber sedan i går',
  });

  // Her moved time keeps the visit reason; her history shows both of each time given up.
  await page.locator(`[data-booking-id="${moved.new.id}"]`).click();
  await expect(dialog.getByTestId('booking-reason')).toHaveText('Hosta sedan september');
  await expect(dialog.getByTestId('booking-cancel-reason')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Öppna patient' }).click();
  const past = page.getByTestId('patient-dialog').getByTestId('patient-past');
  await past.locator(`[data-booking-id="${first.id}"]`).getByRole('button').click();
  await expect(dialog.getByTestId('booking-status')).toHaveText('Avbokad');
  await expect(dialog.getByText('Besöksorsak')).toBeVisible();
  await expect(dialog.getByTestId('booking-reason')).toHaveText('Hosta sedan september');
  await expect(dialog.getByText('Orsak till avbokning')).toBeVisible();
  await expect(dialog.getByTestId('booking-cancel-reason')).toHaveText('Patienten är sjuk – feber sedan i går');
  await expectAccessible(page, 'cancelled booking with its visit and cancellation reasons');
  await page.screenshot({ path: `${SHOTS}/booking-reasons-cancelled.png` });

  // The time given up for the move, from her history again (one dialog at a time).
  await page.keyboard.press('Escape');
  await page.locator(`[data-booking-id="${moved.new.id}"]`).click();
  await dialog.getByRole('button', { name: 'Öppna patient' }).click();
  await past.locator(`[data-booking-id="${second.id}"]`).getByRole('button').click();
  await expect(dialog.getByTestId('booking-status')).toHaveText('Ombokad');
  await expect(dialog.getByTestId('booking-reason')).toHaveText('Hosta sedan september');
  await expect(dialog.getByText('Orsak till ombokning')).toBeVisible();
  await expect(dialog.getByTestId('booking-cancel-reason')).toHaveText('Patienten är bortrest');
  await expectAccessible(page, 'rebooked booking with its visit and rebooking reasons');
  await page.screenshot({ path: `${SHOTS}/booking-reasons-rebooked.png` });
});
