// Frånvaro in Chromium against the web shell: a proposed time taken by another desk while the
// wizard is open. The scheduler is told which time and that nobody moved, sees fresh proposals
// at once (none on the taken time), and moves everyone with the next click.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { AppointmentType, Booking, Resource } from '../../src-main/api/types.ts';
import type { Absence, AbsenceResult, BookingDetail, Patient, RebookProposal } from '../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');

test('a proposed time booked meanwhile: the apply is refused and named, fresh proposals follow, the next click moves all', async ({
  page,
}) => {
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  const { absence, affectedBookings } = await api<AbsenceResult>('absences.create', {
    resourceId: erik.id,
    from: '2026-11-30',
    to: '2026-11-30',
    reason: 'Kurs',
  });
  expect(affectedBookings.length).toBeGreaterThan(1);

  // The other desk's change reaches this screen too late: no change events in this test.
  await page.route('**/api/events**', (route) => route.abort());
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/absences');
  const row = page.getByTestId('absences-table').locator('tbody tr', { hasText: 'Kurs' });
  await row.getByRole('button', { name: 'Boka om' }).click();
  const wizard = page.getByTestId('rebook-wizard');
  await expect(wizard.locator('tbody tr')).toHaveCount(affectedBookings.length);

  // Another desk books the first proposed time now.
  const [first] = (await api<RebookProposal[]>('absences.proposeRebooking', { id: absence.id })).filter((p) => p.proposal);
  const taken = first!.proposal!;
  const types = await api<AppointmentType[]>('appointmentTypes.list', {});
  const intruder = await api<Patient>('patients.create', {
    identityNumber: makeIdentityNumber('1966-06-06', 616),
    givenName: 'Ivar',
    familyName: 'Först',
  });
  await api('bookings.book', {
    slotId: taken.slotId,
    patientId: intruder.id,
    appointmentTypeId: types.find((t) => t.id === first!.booking.appointmentTypeId)!.id,
  });

  await wizard.getByRole('button', { name: /^Boka om alla|^Boka om \d+ \(alla\)/ }).click();
  await expect(wizard.getByRole('alert')).toContainText('har hunnit bokas av någon annan');
  await expect(wizard.getByRole('alert')).toContainText('Ingen bokning har flyttats');
  // The fresh proposals no longer offer the taken time to this patient.
  const firstRow = wizard.locator(`tr[data-booking-id="${first!.booking.id}"]`);
  await expect(firstRow).toBeVisible();
  await expectAccessible(page, 'rebooking refused');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-absence-refused.png' });
  const fresh = await api<RebookProposal[]>('absences.proposeRebooking', { id: absence.id });
  expect(fresh.map((p) => p.proposal?.slotId)).not.toContain(taken.slotId);

  await wizard.getByRole('button', { name: /^Boka om alla|^Boka om \d+ \(alla\)/ }).click();
  const contacts = page.getByTestId('contact-list');
  await expect(contacts.locator('tbody tr')).toHaveCount(affectedBookings.length);
  const moved = await Promise.all(affectedBookings.map((b) => api<BookingDetail>('bookings.get', { id: b.id })));
  const movedTo = await Promise.all(
    moved.filter((b) => b.rebookedTo).map((b) => api<BookingDetail>('bookings.get', { id: b.rebookedTo! })),
  );
  expect(movedTo.length).toBe(fresh.filter((p) => p.proposal).length);
  expect(movedTo.map((b) => b.slotId)).not.toContain(taken.slotId);

  // Later: nothing left to move, and the list of whom to call is still at hand.
  await contacts.getByRole('button', { name: 'Klar' }).click();
  await row.getByRole('button', { name: 'Boka om' }).click();
  await expect(wizard).toContainText('Inga bokningar behöver flyttas.');
  await wizard.getByRole('button', { name: 'Visa kontaktlistan' }).click();
  await expect(contacts.locator('tbody tr')).toHaveCount(affectedBookings.length);
  await expect(contacts.locator('tbody')).not.toContainText('Ej ombokad');
});

test('the day of an absence: each patient still booked on its blocked times is marked to rebook, until moved', async ({
  page,
}) => {
  // The demo's course day: Johan Ek's slots blocked, his booked patients not yet moved.
  const course = (await api<Absence[]>('absences.list', {})).find((a) => a.reason === 'Utbildning');
  expect(course).toBeDefined();
  const affected = await api<Booking[]>('absences.affectedBookings', { id: course!.id });
  expect(affected.length).toBeGreaterThan(0);
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(course!.startAt);

  await signInAs(page, shell, SCHEDULER, MONDAY);
  await page.getByLabel('Välj datum').fill(day);
  const marked = page.locator('[data-booking-id].tb-booking-blocked');
  await expect(marked).toHaveCount(affected.length);
  for (const b of affected) {
    const item = page.locator(`[data-booking-id="${b.id}"]`);
    await expect(item).toHaveClass(/tb-booking-blocked/);
    await expect(item).toHaveAttribute('aria-label', /, tiden är spärrad, boka om: Utbildning$/);
    await expect(item.locator('.tb-mark-blocked')).toHaveText('Boka om');
  }
  await expectAccessible(page, 'calendar, bookings on an absence day');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-absence-day.png' });

  // Moved: the day shows the blocked times only, nothing left to rebook.
  await api('absences.applyRebooking', { id: course!.id });
  await expect(marked).toHaveCount(0);
});
