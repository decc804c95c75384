// The flu season is over: the scheduler has deactivated Vaccination. A patient booked on it this
// afternoon phones to move her time; the receptionist opens the booking, Boka om …, and Första
// lediga tid offers the next times that still give Vaccination (named as deactivated); she picks
// one and the booking moves. Chromium against the web shell; the data checked afterwards.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AppointmentType, Booking } from '../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';
import type { BookingDetail, FreeSlot, Patient } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const scheduler = apiAs(() => shell, 'schema', 'demo-schema');
const desk = apiAs(() => shell, 'reception', 'demo-reception');

test('a booking of a deactivated type is moved from Boka om … to a time that still offers it', async ({ page }) => {
  const vacc = (await scheduler<AppointmentType[]>('appointmentTypes.list', {})).find((t) => t.code === 'VACC')!;
  const [today] = await desk<FreeSlot[]>('slots.findFree', { appointmentTypeId: vacc.id, from: '2026-11-23', limit: 1 });
  const patient = await desk<Patient>('patients.create', {
    identityNumber: makeIdentityNumber('1947-03-12', 123),
    givenName: 'Greta',
    familyName: 'Influensson',
  });
  const booking = await desk<Booking>('bookings.book', {
    slotId: today!.slotId,
    patientId: patient.id,
    appointmentTypeId: vacc.id,
    channel: 'desk',
    note: '',
  });
  await scheduler('appointmentTypes.setActive', { id: vacc.id, active: false });

  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await page.locator(`[data-booking-id="${booking.id}"]`).click();
  const bookingDialog = page.getByTestId('booking-dialog');
  await expect(bookingDialog).toContainText('Greta Influensson');
  await expect(bookingDialog).toContainText('Vaccination · Fysiskt · inaktiverad: kan flyttas, inte bokas ny');
  await page.screenshot({ path: '/tmp/shots13/desk/booking-dialog-deactivated.png' });
  await bookingDialog.getByRole('button', { name: 'Boka om …' }).click();
  const panel = page.getByTestId('next-free-panel');
  const type = panel.getByLabel('Besökstyp');
  await expect(type).toHaveValue(vacc.id);
  await expect(type.locator('option:checked')).toHaveText('Vaccination (inaktiverad)');
  await expect(panel.getByTestId('next-free-inactive')).toContainText('kan flyttas till tider som fortfarande erbjuder den');
  const first = panel.locator('[data-free-slot-id]').first();
  await expect(first).toBeVisible();
  const slotId = (await first.getAttribute('data-free-slot-id'))!;
  await expectAccessible(page, 'next free, deactivated type');
  await page.screenshot({ path: '/tmp/shots13/desk/next-free-deactivated.png' });
  await first.getByRole('button', { name: /^Boka/ }).click();
  const dialog = page.getByTestId('rebook-dialog');
  await expect(dialog).toContainText('Greta Influensson');
  await page.screenshot({ path: '/tmp/shots13/desk/rebook-dialog-deactivated.png' });
  await dialog.getByRole('button', { name: 'Boka om' }).click();
  // This afternoon's time is inside the 24 h rebook cut-off: the desk overrides with a reason.
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten ringde');
  await dialog.getByRole('button', { name: 'Boka om ändå' }).click();
  await expect(dialog).toBeHidden();

  const old = await desk<BookingDetail>('bookings.get', { id: booking.id });
  expect(old.status).toBe('rebooked');
  const moved = await desk<BookingDetail>('bookings.get', { id: old.rebookedTo! });
  expect(moved).toMatchObject({ slotId, appointmentTypeId: vacc.id, status: 'booked' });
  expect(moved.patient.id).toBe(patient.id);
});
