// Editing what the desk is told on the phone: a patient's new phone number in the patient view and
// a booking's note in the booking dialog (demo unit, Monday 2026-11-23 09:10). Each save carries
// the version the screen showed: when another desk saved in between, the save is refused, the form
// shows what is now stored and the desk makes the change again. Checked in the data; axe on each.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { luhn } from '../helpers/luhn-oracle.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { BookingList } from '../../src-main/api/methods/bookings-search.ts';
import type { BookingDetail, Patient } from '../../src-main/api/methods/scheduling.ts';
import type { Booking } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);

test.use({ locale: 'sv-SE' });

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

/** A later booking today of a patient whose details may be shown, opened from Bokningar. */
async function openBooking(page: Page, skip = 0): Promise<BookingList['rows'][number]> {
  const today = await apiCall<BookingList>(shell, 'bookings.search', { from: '2026-11-23', to: '2026-11-23', limit: 500 });
  const target = today.rows.filter((r) => r.status === 'booked' && r.startAt > NOW + 3_600_000 && !r.patient.protectedIdentity)[
    skip
  ]!;
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(`${shell.url}#/bookings`);
  await page.locator(`tbody [data-booking-id="${target.id}"]`).getByRole('button').click();
  await expect(page.getByTestId('booking-dialog').getByTestId('booking-status')).toHaveText('Bokad');
  return target;
}

test("a booking's note: added, then a stale edit is refused and made again over the saved note", async ({ page }) => {
  const target = await openBooking(page);
  const dialog = page.getByTestId('booking-dialog');
  await dialog.getByRole('button', { name: 'Lägg till anteckning' }).click();
  const note = dialog.getByLabel('Anteckning');
  await expect(note).toBeFocused();
  await note.fill('Tolk: arabiska');
  await expectAccessible(page, 'booking note editor');
  await page.screenshot({ path: 'tests/artifacts/screens/booking-note-edit.png' });
  await dialog.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(dialog.getByTestId('booking-note')).toHaveText('Tolk: arabiska');
  await expect(dialog.getByRole('button', { name: 'Ändra' })).toBeFocused();
  expect((await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id })).note).toBe('Tolk: arabiska');
  // A second edit straight away starts from the version the first one wrote: not taken as stale.
  await dialog.getByRole('button', { name: 'Ändra' }).click();
  await dialog.getByLabel('Anteckning').fill('Tolk: arabiska (dari)');
  await dialog.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(dialog.getByTestId('booking-note')).toHaveText('Tolk: arabiska (dari)');

  // Escape in the note leaves the note only; the booking dialog stays.
  await dialog.getByRole('button', { name: 'Ändra' }).click();
  await page.keyboard.press('Escape');
  await expect(dialog.getByLabel('Anteckning')).toHaveCount(0);
  await expect(dialog).toBeVisible();

  // Another desk adds to the note while this one edits it.
  await dialog.getByRole('button', { name: 'Ändra' }).click();
  await dialog.getByLabel('Anteckning').fill('Tolk: arabiska. Rullstol.');
  await apiCall(shell, 'bookings.setNote', { id: target.id, note: 'Tolk: arabiska. Ta med remiss.' });
  await dialog.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Någon annan ändrade bokningen medan du skrev. Anteckningen visar nu det som är sparat – gör om din ändring.',
  );
  await expect(dialog.getByLabel('Anteckning')).toHaveValue('Tolk: arabiska. Ta med remiss.');
  expect((await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id })).note).toBe('Tolk: arabiska. Ta med remiss.');
  await page.screenshot({ path: 'tests/artifacts/screens/booking-note-stale.png' });

  await dialog.getByLabel('Anteckning').fill('Tolk: arabiska. Ta med remiss. Rullstol.');
  await dialog.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(dialog.getByTestId('booking-note')).toHaveText('Tolk: arabiska. Ta med remiss. Rullstol.');
  expect((await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id })).note).toBe(
    'Tolk: arabiska. Ta med remiss. Rullstol.',
  );
});

test("a patient's new phone number; a bad e-mail is refused in Swedish; a stale save shows what is stored", async ({ page }) => {
  const target = await openBooking(page, 1);
  const dialog = page.getByTestId('booking-dialog');
  await dialog.getByRole('button', { name: 'Öppna patient' }).click();
  const view = page.getByTestId('patient-dialog');
  await view.getByRole('button', { name: 'Ändra uppgifter' }).click();
  const form = view.getByTestId('patient-contact-form');
  await form.getByLabel('Telefon').fill('070-483 33 11');
  await form.getByLabel('E-post').fill('inte en adress');
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  // The browser's own check stops a type="email" field first; past it, main's Swedish message.
  await form.getByLabel('E-post').evaluate((el) => el.setAttribute('type', 'text'));
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form.getByRole('alert')).toContainText('Skriv en e-postadress');
  await form.getByLabel('E-post').fill('');
  await expectAccessible(page, 'patient contact form');
  await page.screenshot({ path: 'tests/artifacts/screens/patient-edit.png' });
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form).toBeHidden();
  await expect(view).toContainText('070-483 33 11');
  await page.screenshot({ path: 'tests/artifacts/screens/patient-view.png' });
  const id = target.patient.id!;
  const saved = await apiCall<Patient>(shell, 'patients.get', { id });
  expect(saved.phone?.replace(/\D/g, '')).toBe('0704833311');

  // Another desk changes the address meanwhile: this desk's save is refused and the form reloads.
  await view.getByRole('button', { name: 'Ändra uppgifter' }).click();
  await form.getByLabel('Telefon').fill('08-123 456 78');
  await apiCall(shell, 'patients.update', { id, address: 'Storgatan 1, 111 22 Stockholm' });
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form.getByRole('alert')).toContainText('Någon annan ändrade patientens uppgifter medan du skrev.');
  await expect(form.getByLabel('Adress')).toHaveValue('Storgatan 1, 111 22 Stockholm');
  await expect(form.getByLabel('Telefon')).toHaveValue(saved.phone!);
  await page.screenshot({ path: 'tests/artifacts/screens/patient-edit-stale.png' });
  await form.getByLabel('Telefon').fill('08-123 456 78');
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form).toBeHidden();
  const after = await apiCall<Patient>(shell, 'patients.get', { id });

  // Her number was mistyped at registration: a wrong check digit is refused, the right one saved.
  const right = `19870314238${luhn('870314238')}`;
  await view.getByRole('button', { name: 'Ändra uppgifter' }).click();
  await expect(form.getByLabel('Personnummer eller samordningsnummer')).toHaveValue(
    `${target.patient.identityNumber!.slice(0, 8)}-${target.patient.identityNumber!.slice(8)}`,
  );
  await form.getByLabel('Personnummer eller samordningsnummer').fill(`870314-238${(luhn('870314238') + 1) % 10}`);
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form.getByRole('alert')).toContainText('Kontrollsiffran stämmer inte');
  await form.getByLabel('Personnummer eller samordningsnummer').fill(`870314-238${luhn('870314238')}`);
  await page.screenshot({ path: 'tests/artifacts/screens/patient-edit-identity.png' });
  await form.getByRole('button', { name: 'Spara uppgifter' }).click();
  await expect(form).toBeHidden();
  await expect(view).toContainText(`${right.slice(0, 8)}-${right.slice(8)}`);
  expect(await apiCall<Patient>(shell, 'patients.get', { id })).toMatchObject({
    identityNumber: right,
    identityKind: 'personnummer',
  });
  expect(after).toMatchObject({ address: 'Storgatan 1, 111 22 Stockholm' });
  expect(after.phone?.replace(/\D/g, '')).toBe('0812345678');
});

test('a cancelled booking shows why, in the words of the type’s reason list', async ({ page }) => {
  // A patient seen today who has another booking more than a day ahead: the desk cancels that one.
  const today = await apiCall<BookingList>(shell, 'bookings.search', { from: '2026-11-23', to: '2026-11-23', limit: 500 });
  let later: Booking | undefined;
  const seen = today.rows.filter((r) => r.status === 'booked' && r.startAt > NOW + 3_600_000 && !r.patient.protectedIdentity);
  for (const r of seen) {
    const theirs = await apiCall<Booking[]>(shell, 'bookings.forPatient', { patientId: r.patient.id });
    later = theirs.find((x) => x.status === 'booked' && x.startAt > NOW + 2 * 86_400_000);
    if (later) break;
  }
  expect(later).toBeDefined();
  await apiCall(shell, 'bookings.cancel', { id: later!.id, reasonCode: 'SJUK', reasonText: 'feber sedan i går' });

  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(`${shell.url}#/bookings`);
  const first = today.rows.find((r) => r.patient.id === later!.patient.id && r.status === 'booked' && r.startAt > NOW)!;
  await page.locator(`tbody [data-booking-id="${first.id}"]`).getByRole('button').click();
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Öppna patient' }).click();
  const view = page.getByTestId('patient-dialog');
  await view.getByTestId('patient-past').locator(`[data-booking-id="${later!.id}"]`).getByRole('button').click();
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog.getByTestId('booking-status')).toHaveText('Avbokad');
  await expect(dialog.getByText('Orsak till avbokning')).toBeVisible();
  await expect(dialog.getByTestId('booking-cancel-reason')).toHaveText('Patienten är sjuk – feber sedan i går');
  await expectAccessible(page, 'cancelled booking with its reason');
  await page.screenshot({ path: 'tests/artifacts/screens/booking-cancelled-reason.png' });
});
