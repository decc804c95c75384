// Acceptance of issue 3 at the desk and the scheduler's screens, in Chromium against the web shell.
// Each expected answer is derived here from the rules (Skatteverket's number format and Luhn check,
// the Swedish calendar of 2027, the type's rules), never read back from Tidbok's screens.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AppointmentType, Booking, CalendarRange, Resource, Slot } from '../../src-main/api/types.ts';
import type { BookingDetail, ContactListEntry } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);
const HOUR = 3_600_000;
const SHOTS = 'tests/artifacts/screens';

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const admin = apiAs(() => shell, 'admin', 'demo-admin');

/** Skatteverket's check digit: Luhn over the ten-digit form's first nine digits. */
function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The desk signed in (the demo's own session ends at the first sign-in), at `day`'s calendar. */
async function openDesk(page: Page, day = '2026-11-23'): Promise<void> {
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  if (day !== '2026-11-23') await page.locator('input[type="date"]').first().fill(day);
}

/** Reads for checking, as the admin (every role: sees protected patients too). */
const range = (from: string, to: string) => admin<CalendarRange>('calendar.range', { from, to });
const freeOf = (r: CalendarRange): Slot[] => {
  const taken = new Set(r.bookings.filter((b) => b.status !== 'cancelled' && b.status !== 'rebooked').map((b) => b.slotId));
  return r.slots.filter((s) => s.state === 'open' && !taken.has(s.id));
};

test('book by personnummer in every accepted form, a reserve number only when flagged; wrong ones told at the field, nothing typed lost', async ({
  page,
}) => {
  const r = await range('2026-11-25', '2026-11-26');
  const types = await admin<AppointmentType[]>('appointmentTypes.list', {});
  // A free slot offering a type with several contact modes (Diabetes, Fysioterapi, Samtal).
  const multi = new Set(types.filter((x) => x.contactModes.length > 1).map((x) => x.id));
  const slots = freeOf(r).filter((s) => s.appointmentTypeIds.some((id) => multi.has(id)));
  expect(slots.length).toBeGreaterThanOrEqual(4);
  await openDesk(page, '2026-11-25');

  // [typed, 12 digits as stored, kind] — the '+' means 100 years or older: born 1920, not 2020;
  // a samordningsnummer is the birth day + 60.
  const forms = [
    { typed: `19460712900${checkDigit('460712900')}`, want: `19460712900${checkDigit('460712900')}`, kind: 'personnummer' },
    { typed: `200315+478${checkDigit('200315478')}`, want: `19200315478${checkDigit('200315478')}`, kind: 'personnummer' },
    { typed: `850372-123${checkDigit('850372123')}`, want: `19850372123${checkDigit('850372123')}`, kind: 'samordningsnummer' },
  ];
  for (const [i, f] of forms.entries()) {
    const slot = slots[i]!;
    const type = types.find((x) => slot.appointmentTypeIds.includes(x.id) && multi.has(x.id))!;
    await page.locator(`[data-slot-id="${slot.id}"]`).click();
    const dialog = page.getByTestId('book-dialog');
    const field = dialog.getByLabel('Patient (personnummer eller namn)');
    const status = dialog.getByTestId('identity-status');
    await expect(field).toBeFocused();
    if (i === 0) {
      // A wrong check digit: said next to the field, the field marked invalid, the text kept.
      const wrong = `${f.typed.slice(0, 11)}${(Number(f.typed[11]) + 1) % 10}`;
      await page.keyboard.type(wrong);
      await expect(status).toContainText(/kontrollsiffr/i);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveValue(wrong);
      await expect(dialog.getByText('Ingen patient hittades.')).toHaveCount(0);
      await expectAccessible(page, 'book dialog, wrong check digit');
      await dialog.screenshot({ path: `${SHOTS}/acc-desk-wrong-check-digit.png` });
      // An impossible date (30 February) with a correct check digit: the date is named, not the digit.
      await field.fill(`19990230123${checkDigit('990230123')}`);
      await expect(status).toContainText(/datum/i);
      await expect(status).not.toContainText(/kontrollsiffr/i);
      // A samordningsnummer whose day minus 60 is 32.
      await field.fill(`850392-123${checkDigit('850392123')}`);
      await expect(status).toContainText(/datum/i);
      await field.fill('');
      await field.pressSequentially(f.typed);
    } else {
      await field.fill(f.typed);
    }
    await expect(status).toContainText(`✓ ${f.want.slice(0, 8)}-${f.want.slice(8)}`);
    await expect(status).toContainText(f.kind);
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    // Nobody has this number yet: registered from the dialog.
    const fresh = dialog.getByTestId('new-patient');
    await fresh.getByLabel('Förnamn').fill(`Test${i}`);
    await fresh.getByLabel('Efternamn').fill('Desksson');
    await dialog.getByLabel('Besökstyp').selectOption(type.id);
    await dialog.getByLabel('Kontaktsätt').selectOption(type.contactModes[1]!);
    if (i === 0) await dialog.screenshot({ path: `${SHOTS}/acc-desk-new-patient.png` });
    await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('notices')).toContainText(`Bokad: Test${i} Desksson`);

    const after = await range('2026-11-25', '2026-11-26');
    const booking = after.bookings.find((b) => b.slotId === slot.id && b.status === 'booked');
    expect(booking?.patient.identityNumber).toBe(f.want);
    expect(booking?.contactMode).toBe(type.contactModes[1]);
    expect(booking?.appointmentTypeId).toBe(type.id);
    await expect(page.locator(`[data-booking-id="${booking!.id}"]`)).toBeVisible();
  }
  // The same person typed in another form finds the one patient, not a second registration.
  await page.locator(`[data-slot-id="${slots[3]!.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  const field = dialog.getByLabel('Patient (personnummer eller namn)');
  await field.fill(`460712-900${checkDigit('460712900')}`);
  await expect(dialog.getByRole('button', { name: /Test0 Desksson/ })).toBeVisible();
  await expect(dialog.getByTestId('new-patient')).toHaveCount(0);

  // A patient with neither number gets the region's reserve number: accepted only when the desk
  // says so, kept as typed (upper case), never as a personnummer.
  const reserveBox = dialog.getByRole('checkbox', { name: /Reservnummer/ });
  await field.fill('res-2026-0042');
  await expect(dialog.getByText('Ingen patient hittades.')).toBeVisible();
  await expect(dialog.getByTestId('new-patient')).toHaveCount(0);
  await reserveBox.check();
  await expect(dialog.getByTestId('identity-status')).toContainText('✓ RES-2026-0042 · reservnummer');
  const fresh = dialog.getByTestId('new-patient');
  await fresh.getByLabel('Förnamn').fill('Reserv');
  await fresh.getByLabel('Efternamn').fill('Patientsson');
  await expectAccessible(page, 'book dialog, reserve number');
  await dialog.screenshot({ path: `${SHOTS}/acc-desk-reserve-number.png` });
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog).toBeHidden();
  const booked = (await range('2026-11-25', '2026-11-26')).bookings.find((b) => b.slotId === slots[3]!.id);
  expect(booked?.patient).toMatchObject({ identityNumber: 'RES-2026-0042', displayName: 'Reserv Patientsson' });
});

test('marks: no-show only once the time has begun, arrived then completed, each undone from the dialog', async ({ page }) => {
  const today = await range('2026-11-23', '2026-11-24');
  const booked = today.bookings.filter((b) => b.status === 'booked' && !b.patient.protectedIdentity);
  const begun = booked.find((b) => b.startAt <= NOW)!;
  const later = booked.find((b) => b.startAt > NOW + HOUR)!;
  expect(begun && later).toBeTruthy();
  const nextWeek = (await range('2026-11-30', '2026-12-01')).bookings.find((b) => b.status === 'booked')!;
  const status = async (b: Booking) => (await admin<BookingDetail>('bookings.get', { id: b.id })).status;
  await openDesk(page);
  const dialog = page.getByTestId('booking-dialog');

  // Not yet begun: arrived may be marked (patients come early), no-show may not.
  await page.locator(`[data-booking-id="${later.id}"]`).click();
  await expect(dialog.getByRole('button', { name: 'Ankommen' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Uteblev' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Begun: no-show, then undone by keyboard.
  await page.locator(`[data-booking-id="${begun.id}"]`).click();
  await dialog.getByRole('button', { name: 'Uteblev' }).click();
  await expect(page.getByTestId('notices')).toContainText('markerad som utebliven');
  expect(await status(begun)).toBe('no_show');
  await page.locator(`[data-booking-id="${begun.id}"]`).click();
  // A no-show cannot become arrived or completed without undoing it first.
  await expect(dialog.getByRole('button', { name: 'Ankommen' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Ångra markering' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await status(begun)).toBe('booked');

  // Arrived, then completed (Genomförd), then undone back to booked.
  await page.locator(`[data-booking-id="${begun.id}"]`).click();
  await dialog.getByRole('button', { name: 'Ankommen' }).click();
  await expect(dialog).toBeHidden();
  expect(await status(begun)).toBe('arrived');
  await page.locator(`[data-booking-id="${begun.id}"]`).click();
  await expect(dialog.getByRole('button', { name: 'Uteblev' })).toHaveCount(0);
  await expect(dialog).toContainText('Besöket är markerat och kan inte avbokas på 1177.');
  await expectAccessible(page, 'booking dialog, arrived');
  await dialog.screenshot({ path: `${SHOTS}/acc-desk-arrived.png` });
  await dialog.getByRole('button', { name: 'Genomförd' }).click();
  await expect(dialog).toBeHidden();
  expect(await status(begun)).toBe('completed');
  await expect(page.locator(`[data-booking-id="${begun.id}"]`)).toHaveAttribute('data-status', 'completed');
  await page.locator(`[data-booking-id="${begun.id}"]`).click();
  await expect(dialog.getByTestId('booking-status')).toHaveText('Genomförd');
  await dialog.getByRole('button', { name: 'Ångra markering' }).click();
  await expect(dialog).toBeHidden();
  expect(await status(begun)).toBe('booked');

  // Next week's visit cannot be marked today (the day of the visit only): no button that would fail.
  await page.locator('input[type="date"]').first().fill('2026-11-30');
  await page.locator(`[data-booking-id="${nextWeek.id}"]`).click();
  await expect(dialog.getByTestId('booking-status')).toHaveText('Bokad');
  await expect(dialog.getByRole('button', { name: 'Ankommen' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Avboka …' })).toBeVisible();
  await page.keyboard.press('Escape');
});

test('the scheduler tightens a type (48 h cut-off, reason mandatory); the desk then cancels, overrides and rebooks by its rules', async ({
  page,
}) => {
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/appointmentTypes');
  await page.getByRole('button', { name: 'Ändra Vaccination' }).click();
  const form = page.getByTestId('type-form');
  await form.getByLabel('Avbokning senast (timmar före)').fill('48');
  await form.getByLabel('Ombokning senast (timmar före)').fill('48');
  await form.getByLabel('Vid avbokning').selectOption('mandatory');
  await form.getByLabel('Vid ombokning').selectOption('mandatory');
  await expectAccessible(page, 'type edit form');
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form).toBeHidden();
  await expect(page.locator('[data-type-code="VACC"]')).toContainText('48 h / 48 h');
  const scheduler = apiAs(() => shell, SCHEDULER.username, SCHEDULER.password);
  // Deactivating a type in use is said in words (what becomes of it), and undone the same way.
  const row = page.locator('[data-type-code="FYSIO"]');
  await row.getByRole('button', { name: 'Inaktivera' }).click();
  await expect(page.getByTestId('notices')).toContainText('Fysioterapi är inaktiverad och kan inte bokas längre.');
  await expect(row).toContainText('Inaktiv');
  await row.getByRole('button', { name: 'Aktivera' }).click();
  await expect(page.getByTestId('notices')).toContainText('Fysioterapi är aktiv och kan bokas igen.');
  const vacc = (await scheduler<AppointmentType[]>('appointmentTypes.list', {})).find((x) => x.code === 'VACC')!;
  expect(vacc).toMatchObject({ cancelCutoffH: 48, rebookCutoffH: 48, reasonCancel: 'mandatory', reasonRebook: 'mandatory' });

  // Vaccination bookings 24–48 h ahead (inside the new cut-off) and more than 48 h ahead (outside).
  const week = await range('2026-11-23', '2026-11-30');
  const vaccs = week.bookings.filter(
    (b) => b.appointmentTypeId === vacc.id && b.status === 'booked' && !b.patient.protectedIdentity,
  );
  const inside = vaccs.find((b) => b.startAt > NOW + 25 * HOUR && b.startAt < NOW + 47 * HOUR)!;
  const outside = vaccs.filter((b) => b.startAt > NOW + 49 * HOUR);
  expect(inside).toBeTruthy();
  expect(outside.length).toBeGreaterThanOrEqual(2);
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  const dialog = page.getByTestId('booking-dialog');
  const detail = (b: Booking) => scheduler<BookingDetail>('bookings.get', { id: b.id });

  // Outside the cut-off, a reason is now mandatory: without one nothing is sent.
  await page.locator('input[type="date"]').first().fill(new Date(outside[0]!.startAt).toISOString().slice(0, 10));
  await page.locator(`[data-booking-id="${outside[0]!.id}"]`).click();
  await dialog.getByRole('button', { name: 'Avboka …' }).click();
  await expect(dialog.getByRole('group', { name: /Orsak till avbokning/ })).toContainText('obligatoriskt');
  // The button pressed is gone: the focus goes to the first thing to fill in, not to the page;
  // Tillbaka gives it back.
  await expect(dialog.getByLabel('Orsakskod')).toBeFocused();
  await dialog.getByRole('button', { name: 'Tillbaka' }).click();
  await expect(dialog.getByRole('button', { name: 'Avboka …' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Orsakskod')).toBeFocused();
  await dialog.getByLabel('Orsak (fritext)').focus();
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(dialog.getByLabel('Orsakskod')).toBeFocused(); // the browser points at what is missing
  expect((await detail(outside[0]!)).status).toBe('booked');
  await dialog.getByLabel('Orsakskod').selectOption('KAN_EJ');
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(dialog).toBeHidden();
  expect(await detail(outside[0]!)).toMatchObject({ status: 'cancelled', cancelReasonCode: 'KAN_EJ' });

  // Inside the 48-hour cut-off: refused naming the rule; the override says what it passes and is logged.
  await page.locator('input[type="date"]').first().fill(new Date(inside.startAt).toISOString().slice(0, 10));
  await page.locator(`[data-booking-id="${inside.id}"]`).click();
  await dialog.getByRole('button', { name: 'Avboka …' }).click();
  await dialog.getByLabel('Orsak (fritext)').fill('Feber');
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  await expect(dialog.getByRole('alert')).toContainText('48 timmar');
  const override = dialog.getByTestId('override');
  await expect(override).toContainText('Motiveringen sparas i loggen');
  await expectAccessible(page, 'cancel override');
  await dialog.screenshot({ path: `${SHOTS}/acc-desk-cancel-override.png` });
  // The desk types the reason next: the field has the focus.
  await expect(override.getByLabel('Motivering för att åsidosätta regeln')).toBeFocused();
  await page.keyboard.type('Smittsam, ska inte komma');
  await dialog.getByRole('button', { name: 'Avboka ändå' }).click();
  await expect(dialog).toBeHidden();
  expect(await detail(inside)).toMatchObject({ status: 'cancelled', cancelReasonText: 'Feber' });
  const log = await admin<{ entries: { entityId: string | null; detail: string }[] }>('audit.search', { limit: 200 });
  expect(
    log.entries
      .filter((e) => e.entityId === inside.id)
      .map((e) => e.detail)
      .join('\n'),
  ).toContain('Smittsam, ska inte komma');

  // Rebook to Första lediga tid's first proposal: the earliest open, unbooked slot offering the type,
  // at least the type's lead time ahead, found here from the calendar data.
  const moving = outside[1]!;
  const ahead = await range('2026-11-23', '2026-12-07');
  const earliest = freeOf(ahead)
    .filter((s) => s.appointmentTypeIds.includes(vacc.id) && s.startAt >= NOW + vacc.bookMinLeadH * HOUR)
    .sort((a, b) => a.startAt - b.startAt)[0]!;
  await page.locator('input[type="date"]').first().fill(new Date(moving.startAt).toISOString().slice(0, 10));
  await page.locator(`[data-booking-id="${moving.id}"]`).click();
  await dialog.getByRole('button', { name: 'Boka om …' }).click();
  const first = page.getByTestId('next-free-panel').locator('[data-free-slot-id]').first();
  await expect(first).toHaveAttribute('data-free-slot-id', earliest.id);
  await first.getByRole('button', { name: /^Boka/ }).click();
  const rebook = page.getByTestId('rebook-dialog');
  await expect(rebook.getByRole('group', { name: /Orsak till ombokning/ })).toContainText('obligatoriskt');
  await rebook.getByLabel('Orsak (fritext)').fill('Patienten önskar tidigare tid');
  await rebook.getByRole('button', { name: 'Boka om' }).click();
  await expect(rebook).toBeHidden();
  const old = await detail(moving);
  expect(old.status).toBe('rebooked');
  const moved = await scheduler<BookingDetail>('bookings.get', { id: old.rebookedTo! });
  expect(moved).toMatchObject({ slotId: earliest.id, appointmentTypeId: vacc.id });
  expect(moved.patient.id).toBe(moving.patient.id);
});

test('absence over a booked day: proposals, a chosen subset moved, the contact list hides a protected patient from a scheduler', async ({
  page,
}) => {
  const PLANNER = { username: 'planerare', password: 'planerare-lösen-1', displayName: 'Pia Planerare' };
  await admin('users.create', { ...PLANNER, roles: ['scheduler'] });
  const planner = apiAs(() => shell, PLANNER.username, PLANNER.password);
  const desk = apiAs(() => shell, RECEPTIONIST.username, RECEPTIONIST.password);

  // A clinician's day later this week with at least three booked patients.
  const clinicians = (await admin<Resource[]>('resources.list', {})).filter((r) => r.kind === 'clinician');
  let pick: { resource: Resource; day: string; booked: Booking[] } | undefined;
  for (const day of ['2026-11-27', '2026-11-26', '2026-11-25']) {
    const r = await range(day, `2026-11-${String(Number(day.slice(8)) + 1)}`);
    for (const resource of clinicians) {
      const booked = r.bookings.filter((b) => b.resourceId === resource.id && b.status === 'booked');
      if (!pick && booked.filter((b) => !b.patient.protectedIdentity).length >= 3) pick = { resource, day, booked };
    }
  }
  expect(pick).toBeTruthy();
  const { resource, day, booked } = pick!;
  // One of them has a protected identity (skyddad folkbokföring).
  const open = booked.filter((b) => !b.patient.protectedIdentity);
  const hidden = open[1]!;
  await admin('patients.update', { id: hidden.patient.id, protectedIdentity: true });
  const left = open[0]!; // the one the planner leaves to a phone call
  const protectedCount = booked.filter((b) => b.patient.protectedIdentity).length + 1;

  await signInAs(page, shell, PLANNER, MONDAY, '#/absences');
  const form = page.getByTestId('absence-form');
  await form.getByLabel('Resurs').selectOption(resource.id);
  await form.getByLabel('Från datum').fill(day);
  await form.getByLabel('Till datum').fill(day);
  await form.getByLabel('Orsak').fill('Sjuk');
  await form.getByRole('button', { name: 'Registrera frånvaro' }).click();
  const wizard = page.getByTestId('rebook-wizard');
  await expect(wizard.locator('tbody tr')).toHaveCount(booked.length);
  await expect(wizard.getByRole('heading', { level: 2 })).toHaveText(`${booked.length} bokningar berörs`);
  // The form pressed is gone: the focus is on the new step's heading, not on the page.
  await expect(wizard.getByRole('heading', { level: 2 })).toBeFocused();
  const hiddenRow = wizard.locator(`tr[data-booking-id="${hidden.id}"]`);
  await expect(hiddenRow).toContainText('Skyddad identitet');
  await expect(hiddenRow).not.toContainText(hidden.patient.displayName);
  const proposals = await planner<{ booking: Booking; proposal: { slotId: string } | null }[]>('absences.proposeRebooking', {
    id: (await planner<{ id: string; resourceId: string }[]>('absences.list', {})).find((a) => a.resourceId === resource.id)!.id,
  });
  const movable = proposals.filter((p) => p.proposal);
  expect(movable.map((p) => p.booking.id)).toContain(left.id);
  await wizard.getByRole('checkbox', { name: `Boka om ${left.patient.displayName}` }).uncheck();
  await expectAccessible(page, 'absence proposals');
  await page.screenshot({ path: `${SHOTS}/acc-desk-absence-proposals.png` });
  await wizard.getByRole('button', { name: `Boka om ${movable.length - 1} valda` }).click();

  const contacts = page.getByTestId('contact-list');
  await expect(contacts.locator('tbody tr')).toHaveCount(booked.length);
  await expect(contacts.getByRole('heading', { name: 'Patienter att kontakta' })).toBeFocused();
  await expect(contacts.locator('tbody tr').filter({ hasText: left.patient.displayName })).toContainText(
    'Ej ombokad – kontakta patienten',
  );
  const hiddenContacts = contacts.locator('tbody tr').filter({ hasText: 'Skyddad identitet' });
  await expect(hiddenContacts).toHaveCount(protectedCount);
  // Neither the phone, the number nor the new time of a protected patient to a role without the need.
  for (const row of await hiddenContacts.all()) await expect(row).toContainText('Dolt (skyddad identitet)');
  const n = hidden.patient.identityNumber;
  await expect(contacts).not.toContainText(`${n.slice(0, 8)}-${n.slice(8)}`);
  await expect(contacts).not.toContainText(hidden.patient.displayName);
  await expectAccessible(page, 'contact list (scheduler)');
  await page.screenshot({ path: `${SHOTS}/acc-desk-absence-contacts.png` });

  // In the data: the chosen moved to their proposals, the one left still booked on its blocked time.
  for (const p of movable) {
    const after = await admin<BookingDetail>('bookings.get', { id: p.booking.id });
    if (p.booking.id === left.id) expect(after.status).toBe('booked');
    else expect((await admin<BookingDetail>('bookings.get', { id: after.rebookedTo! })).slotId).toBe(p.proposal!.slotId);
  }
  // The desk, who calls the patients, gets the protected patient's phone; the planner does not.
  const absenceId = (await planner<{ id: string; resourceId: string }[]>('absences.list', {})).find(
    (a) => a.resourceId === resource.id,
  )!.id;
  const asPlanner = (await planner<ContactListEntry[]>('absences.contactList', { id: absenceId })).find(
    (c) => c.bookingId === hidden.id,
  )!;
  expect(asPlanner).toMatchObject({ contactMasked: true, phone: null, displayName: '', patientId: '', identityNumber: '' });
  const asDesk = (await desk<ContactListEntry[]>('absences.contactList', { id: absenceId })).find(
    (c) => c.bookingId === hidden.id,
  )!;
  expect(asDesk.contactMasked).toBe(false);
  expect(asDesk.identityNumber).toBe(hidden.patient.identityNumber);
});

test('template preview over Easter and the spring clock change of 2027, and over Kristi himmelsfärd', async ({ page }) => {
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/templates');
  const erik = (await admin<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  await page.getByLabel('Resurs').selectOption(erik.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const tpl = page.getByTestId('template-form');
  await tpl.getByLabel('Namn').fill('Förmiddag 2027');
  // Monday to Friday (the default), 08:00–12:00 by 30 minutes: eight slots a day.
  await tpl.getByLabel('Gäller från').fill('2027-03-22');
  await tpl.getByLabel('Från kl.').fill('08:00');
  await tpl.getByLabel('Till kl.', { exact: true }).fill('12:00');
  await tpl.getByLabel('Tidslängd (min)').fill('30');
  await tpl.getByRole('checkbox', { name: 'Läkarbesök', exact: true }).check();
  const preview = tpl.getByTestId('template-preview');
  // An empty preview says why, before the scheduler saves.
  await tpl.getByLabel('Till kl.').fill('07:00');
  await expect(preview.getByRole('heading')).toContainText('Till kl. måste vara senare än Från kl.');
  await tpl.getByLabel('Till kl.', { exact: true }).fill('12:00');
  const days = preview.locator('ol > li');
  // Four weeks from Monday 22 March 2027: 20 weekdays. Easter Day is 28 March, the night the clock
  // goes forward: Good Friday (26 March) and Easter Monday (29 March) are public holidays.
  await expect(preview.getByRole('heading')).toContainText(`${18 * 8} tider`);
  await expect(days.nth(4)).toContainText(/Helgdag: långfredag/i);
  await expect(days.nth(7)).toContainText(/Helgdag: annandag påsk/i);
  // The same wall-clock slots before and after the change: 08:00–11:30 in winter and summer time.
  await expect(days.nth(3)).toContainText('8 tider 08:00–11:30');
  await expect(days.nth(8)).toContainText('8 tider 08:00–11:30');
  await expect(preview.getByTestId('preview-clock-change')).toHaveCount(0);
  await expectAccessible(page, 'template preview over Easter 2027');
  await preview.screenshot({ path: `${SHOTS}/acc-desk-template-easter-2027.png` });
  // Stored as UTC instants: 08:00 is 07:00Z on Thursday 25 March and 06:00Z on Tuesday 30 March.
  const planned = await admin<{ slots: { date: string; startAt: number }[] }>('templates.preview', {
    template: {
      resourceId: erik.id,
      name: 'Förmiddag 2027',
      weekdays: [1, 2, 3, 4, 5],
      everyNWeeks: 1,
      validFrom: '2027-03-22',
      validTo: null,
      startTime: '08:00',
      endTime: '12:00',
      slotMin: 30,
      appointmentTypeIds: [(await admin<AppointmentType[]>('appointmentTypes.list', {})).find((x) => x.code === 'LAKBES')!.id],
      publishWeb: false,
    },
    from: '2027-03-25',
    to: '2027-03-31',
  });
  const firstOf = (date: string) => new Date(planned.slots.find((s) => s.date === date)!.startAt).toISOString();
  expect([firstOf('2027-03-25'), firstOf('2027-03-30')]).toEqual(['2027-03-25T07:00:00.000Z', '2027-03-30T06:00:00.000Z']);

  // Holidays kept when the scheduler says so: all twenty weekdays.
  await tpl.getByRole('checkbox', { name: 'Hoppa över helgdagar' }).uncheck();
  await expect(preview.getByRole('heading')).toContainText(`${20 * 8} tider`);
  await tpl.getByRole('checkbox', { name: 'Hoppa över helgdagar' }).check();

  // From Monday 3 May 2027: Ascension Day is Thursday 6 May; the Friday after is an ordinary day.
  await tpl.getByLabel('Gäller från').fill('2027-05-03');
  await expect(days.nth(3)).toContainText(/Helgdag: kristi himmelsfärdsdag/i);
  await expect(days.nth(4)).toContainText('8 tider 08:00–11:30');
  await expect(preview.getByRole('heading')).toContainText(`${19 * 8} tider`);
  await preview.screenshot({ path: `${SHOTS}/acc-desk-template-ascension-2027.png` });
  await tpl.getByRole('button', { name: 'Avbryt' }).click();
  await expect(tpl).toBeHidden();
});

test('keyboard only: F, Enter, a number typed, the patient chosen and booked without the mouse; focus always visible', async ({
  page,
}) => {
  await openDesk(page);
  const today = await range('2026-11-23', '2026-11-24');
  const patient = today.bookings.find((b) => b.status === 'booked' && !b.patient.protectedIdentity)!.patient;
  const focusShown = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return 'body';
      const s = getComputedStyle(el);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? 'visible' : `hidden on ${el.outerHTML.slice(0, 80)}`;
    });
  await page.keyboard.press('f');
  const slot = page.locator('[data-slot-id]:focus');
  const slotId = await slot.getAttribute('data-slot-id');
  expect(await focusShown()).toBe('visible');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  const n = patient.identityNumber;
  await page.keyboard.type(`${n.slice(2, 8)}-${n.slice(8)}`);
  const result = dialog.getByRole('button', { name: new RegExp(patient.displayName) });
  await expect(result).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(result).toBeFocused();
  expect(await focusShown()).toBe('visible');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('chosen-patient')).toContainText(patient.displayName);
  // The chosen patient replaces the search field: the focus goes on to what she fills next, not to
  // Byt patient, where a second Enter would un-choose the patient. The time offers one type, with one
  // contact mode and no reason required: nothing is left but Boka.
  expect(today.slots.find((s) => s.id === slotId)!.appointmentTypeIds).toHaveLength(1);
  const boka = dialog.getByRole('button', { name: 'Boka', exact: true });
  await expect(boka).toBeFocused();
  expect(await focusShown()).toBe('visible');
  await expect(dialog.getByTestId('chosen-announcement')).toHaveText(
    `Vald patient: ${patient.displayName}, ${patient.identityNumber.slice(0, 8)}-${patient.identityNumber.slice(8)}`,
  );
  // Byt patient stays reachable: Shift+Tab goes back through the form in reading order to it.
  const back: string[] = [];
  for (let i = 0; i < 12 && back.at(-1) !== 'Byt patient'; i++) {
    await page.keyboard.press('Shift+Tab');
    back.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLSelectElement | HTMLButtonElement;
        return el.labels?.[0]?.textContent?.trim() ?? el.textContent?.trim() ?? el.tagName;
      }),
    );
    expect(await focusShown()).toBe('visible');
  }
  expect(back[0]).toBe('Avbryt');
  expect(back.slice(-4)).toEqual(['Bokas via', 'Kontaktsätt', 'Besökstyp', 'Byt patient']);
  // Byt patient brings the search field back, with the focus.
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  await page.keyboard.type(patient.displayName);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('chosen-patient')).toContainText(patient.displayName);
  await expect(boka).toBeFocused();
  await page.keyboard.press('Enter');
  // F found the first free slot of the morning, inside Läkarbesök's two-hour booking lead: the desk
  // is told so and types its reason straight into the override field.
  await expect(dialog.getByRole('alert')).toContainText('minst 2 timmar i förväg');
  await expect(dialog.getByLabel('Motivering för att åsidosätta regeln')).toBeFocused();
  await page.keyboard.type('Akut, ringde nyss');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${patient.displayName}`);
  const booking = (await range('2026-11-23', '2026-11-24')).bookings.find((b) => b.slotId === slotId && b.status === 'booked');
  expect(booking?.patient.id).toBe(patient.id);
  // Focus returns to the calendar, not the page top.
  expect(await page.evaluate(() => document.activeElement?.closest('[data-booking-id],[data-slot-id]') !== null)).toBe(true);
});

test.describe('a unit in spring 2027', () => {
  const EASTER_WEEK = '2027-03-24T09:10:00+01:00';
  let spring: RunningShell;
  test.beforeAll(async () => {
    spring = await startShell({ env: { TIDBOK_NOW: EASTER_WEEK } });
  });
  test.afterAll(async () => spring.stop());

  test('the week views over Easter, the clock change and Kristi himmelsfärd: closed holidays, the same wall-clock rows', async ({
    page,
  }) => {
    const api = apiAs(() => spring, 'admin', 'demo-admin');
    await signInAs(page, spring, RECEPTIONIST, EASTER_WEEK);
    await page.keyboard.press('v');
    const week = (from: string, to: string) => api<CalendarRange>('calendar.range', { from, to });
    const wall = (ms: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(ms);

    // Easter week: Good Friday 26 March and Easter Monday 29 March have no times at all; Thursday
    // 25 March (winter time) and Tuesday 30 March (summer time) both open at the same wall-clock time.
    const easter = await week('2027-03-22', '2027-04-03');
    const onDay = (day: string) => easter.slots.filter((s) => wall(s.startAt).startsWith(day));
    expect(onDay('2027-03-26')).toEqual([]);
    expect(onDay('2027-03-29')).toEqual([]);
    const resourceId = onDay('2027-03-25').find((s) =>
      onDay('2027-03-30').some((t) => t.resourceId === s.resourceId),
    )!.resourceId;
    const firstOn = (day: string) =>
      onDay(day)
        .filter((s) => s.resourceId === resourceId)
        .sort((a, b) => a.startAt - b.startAt)[0]!;
    const [thu, tue] = [firstOn('2027-03-25'), firstOn('2027-03-30')];
    expect(wall(thu.startAt).slice(11)).toBe(wall(tue.startAt).slice(11));
    expect(tue.startAt - thu.startAt).toBe(5 * 86_400_000 - HOUR); // one hour less: the clock went forward

    await page.getByLabel('Resurs').selectOption(resourceId);
    await page.locator('input[type="date"]').first().fill('2027-03-25');
    const at = async (s: Slot) => {
      const booking = easter.bookings.find((b) => b.slotId === s.id && b.status !== 'cancelled' && b.status !== 'rebooked');
      const el = page.locator(booking ? `[data-booking-id="${booking.id}"]` : `[data-slot-id="${s.id}"]`);
      await expect(el).toBeVisible();
      // Height within the time grid (the toolbar above may wrap differently from week to week).
      const grid = (await page.locator('.fc-timegrid-body').boundingBox())!;
      return (await el.boundingBox())!.y - grid.y;
    };
    const yThu = await at(thu);
    // The closed holidays are named under their dates in the week view.
    await expect(page.locator('.tb-day-holiday').first()).toHaveText('Långfredagen');
    await page.screenshot({ path: `${SHOTS}/acc-desk-week-easter-2027.png` });
    await page.getByRole('button', { name: 'Nästa vecka' }).click();
    const yTue = await at(tue);
    await page.screenshot({ path: `${SHOTS}/acc-desk-week-after-easter-2027.png` });
    expect(Math.abs(yThu - yTue)).toBeLessThan(2);

    // Week 18: Ascension Day, Thursday 6 May, is closed; Friday 7 May is an ordinary working day.
    const may = await week('2027-05-03', '2027-05-08');
    expect(may.slots.filter((s) => wall(s.startAt).startsWith('2027-05-06'))).toEqual([]);
    expect(may.slots.filter((s) => wall(s.startAt).startsWith('2027-05-07')).length).toBeGreaterThan(10);
    await page.locator('input[type="date"]').first().fill('2027-05-06');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Vecka 18');
    await expect(page.locator('.tb-day-holiday')).toHaveText([/kristi himmelsfärdsdag/i]);
    await expectAccessible(page, 'week with a holiday');
    await page.screenshot({ path: `${SHOTS}/acc-desk-week-ascension-2027.png` });
    // The day itself says why it is empty, and offers the next open day.
    await page.getByRole('button', { name: 'Dag', exact: true }).click();
    const closed = page.getByTestId('closed-day');
    await expect(closed).toContainText(/Helgdag: kristi himmelsfärds/i);
    await expect(closed.getByRole('button')).toContainText('7 maj');
    await page.screenshot({ path: `${SHOTS}/acc-desk-day-ascension-2027.png` });
  });
});

test('another desk takes the slot while the dialog is open: told why, the chosen patient and the note kept', async ({ page }) => {
  const r = await range('2026-11-26', '2026-11-27');
  const [slot] = freeOf(r).filter((s) => s.startAt > NOW + 50 * HOUR);
  const [mine, theirs] = r.bookings.filter((b) => b.status === 'booked' && !b.patient.protectedIdentity).map((b) => b.patient);
  await openDesk(page, '2026-11-26');
  await page.locator(`[data-slot-id="${slot!.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(mine!.identityNumber);
  await dialog.getByRole('button', { name: new RegExp(mine!.displayName) }).click();
  await dialog.getByLabel('Anteckning').fill('Tolk: arabiska');
  const typeId = await dialog.getByLabel('Besökstyp').inputValue();

  await admin('bookings.book', { slotId: slot!.id, patientId: theirs!.id, appointmentTypeId: typeId });
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText(/redan bokad/i);
  // Nothing typed is lost, and no override is offered for a taken slot.
  await expect(dialog.getByTestId('chosen-patient')).toContainText(mine!.displayName);
  await expect(dialog.getByLabel('Anteckning')).toHaveValue('Tolk: arabiska');
  await expect(dialog.getByTestId('override')).toHaveCount(0);
  await expectAccessible(page, 'book dialog, slot taken');
  await dialog.screenshot({ path: `${SHOTS}/acc-desk-slot-taken.png` });
  const after = await range('2026-11-26', '2026-11-27');
  expect(after.bookings.filter((b) => b.slotId === slot!.id && b.status === 'booked').map((b) => b.patient.id)).toEqual([
    theirs!.id,
  ]);
});
