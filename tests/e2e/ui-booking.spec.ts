// The receptionist's morning, driven in Chromium against the web shell, each step checked in the
// data afterwards: book by personnummer, cancel with a reason, rebook by drag (and a refused drop),
// book from "Första lediga tid", mark arrived; shortcuts and dialogs by keyboard; axe on each screen.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import { apiAs, apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { Booking, CalendarRange, Slot } from '../../src-main/api/types.ts';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);
const DAY = { from: '2026-11-23', to: '2026-11-24' };

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

async function open(page: Page): Promise<void> {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
}

async function day(): Promise<CalendarRange> {
  return apiCall<CalendarRange>(shell, 'calendar.range', DAY);
}

/** Future free slots of the day, in time order (skipping `skip` of them to keep tests apart). */
function freeSlots(range: CalendarRange): Slot[] {
  const booked = new Set(range.bookings.map((b) => b.slotId));
  return range.slots.filter((s) => s.state === 'open' && s.startAt > NOW + 3 * 3_600_000 && !booked.has(s.id));
}

function futureBookings(range: CalendarRange): Booking[] {
  return range.bookings.filter((b) => b.status === 'booked' && b.startAt > NOW + 3_600_000 && !b.patient.protectedIdentity);
}

async function dragTo(page: Page, from: string, to: string): Promise<void> {
  await page.locator(to).scrollIntoViewIfNeeded();
  await page.locator(from).scrollIntoViewIfNeeded();
  const a = await page.locator(from).boundingBox();
  const b = await page.locator(to).boundingBox();
  if (!a || !b) throw new Error('drag endpoints not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

test('book a free slot by personnummer: normalised as typed, booked in the database', async ({ page }) => {
  await open(page);
  const range = await day();
  const slot = freeSlots(range)[0]!;
  const patient = futureBookings(range)[0]!.patient;
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'book dialog');
  // Typed the way people say it: with a dash, without the century.
  const typed = `${patient.identityNumber.slice(2, 8)}-${patient.identityNumber.slice(8)}`;
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(typed);
  await expect(dialog.getByTestId('identity-status')).toContainText(
    `${patient.identityNumber.slice(0, 8)}-${patient.identityNumber.slice(8)}`,
  );
  await dialog.getByRole('button', { name: new RegExp(patient.displayName) }).click();
  await expect(dialog.getByTestId('chosen-patient')).toContainText(patient.displayName);
  await dialog.getByLabel('Anteckning').fill('Ring innan');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-book-dialog.png' });
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${patient.displayName}`);

  const after = await day();
  const booking = after.bookings.find((b) => b.slotId === slot.id);
  expect(booking?.patient.id).toBe(patient.id);
  expect(booking?.note).toBe('Ring innan');
  await expect(page.locator(`[data-booking-id="${booking!.id}"]`)).toBeVisible();
  await expect(page.locator(`[data-slot-id="${slot.id}"]`)).toHaveCount(0);
});

test('an invalid personnummer is refused with a Swedish message as typed', async ({ page }) => {
  await open(page);
  await page.locator(`[data-slot-id="${freeSlots(await day())[1]!.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await dialog.getByLabel('Patient (personnummer eller namn)').fill('19121212-1213');
  await expect(dialog.getByTestId('identity-status')).toContainText(/kontrollsiffr|ogiltig/i);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('cancel a booking with a reason', async ({ page }) => {
  await open(page);
  const target = futureBookings(await day())[1]!;
  await page.locator(`[data-booking-id="${target.id}"]`).click();
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog.getByTestId('booking-status')).toHaveText('Bokad');
  await expectAccessible(page, 'booking dialog');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-booking-dialog.png' });
  await dialog.getByRole('button', { name: 'Avboka …' }).click();
  await dialog.getByLabel('Orsakskod').selectOption('SJUK');
  await dialog.getByRole('button', { name: 'Avboka tiden' }).click();
  // Today is inside the type's 24-hour cut-off: main refuses, the dialog offers a logged override.
  await expect(dialog.getByRole('alert')).toContainText('24 timmar');
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten ringde, sjuk');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-cancel-override.png' });
  await dialog.getByRole('button', { name: 'Avboka ändå' }).click();
  await expect(dialog).toBeHidden();
  const detail = await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id });
  expect(detail.status).toBe('cancelled');
  expect(detail.cancelReasonCode).toBe('SJUK');
  await expect(page.locator(`[data-booking-id="${target.id}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-slot-id="${target.slotId}"]`)).toBeVisible();
});

test('rebook by drag onto a free slot; a drop on a taken slot is refused', async ({ page }) => {
  await open(page);
  const range = await day();
  // A booking with a free slot of its type near it in time (both ends on screen together), and a
  // taken slot next to it.
  const free = freeSlots(range);
  // Not onto a time the patient spends with another clinician: the override given for the cut-off
  // passes only the cut-off (override.rules), and her other time is another test's subject.
  const clashes = (b: Booking, f: Slot) =>
    range.bookings.some((o) => o.id !== b.id && o.patient.id === b.patient.id && o.startAt < f.endAt && o.endAt > f.startAt);
  const pairs = futureBookings(range).flatMap((b) => {
    const near = free
      .filter((f) => f.appointmentTypeIds.includes(b.appointmentTypeId) && !clashes(b, f))
      .sort((x, y) => Math.abs(x.startAt - b.startAt) - Math.abs(y.startAt - b.startAt))[0];
    return near ? [{ moving: b, slot: near }] : [];
  });
  const { moving, slot } = pairs[0]!;
  const other = futureBookings(range).find((b) => b.id !== moving.id && b.resourceId === moving.resourceId)!;

  // Onto a taken slot: refused with a message, nothing changes.
  await dragTo(page, `[data-booking-id="${moving.id}"]`, `[data-booking-id="${other.id}"]`);
  await expect(page.getByTestId('notices')).toContainText('Tiden är redan bokad');
  await expect(page.getByTestId('rebook-dialog')).toHaveCount(0);
  expect((await apiCall<BookingDetail>(shell, 'bookings.get', { id: moving.id })).status).toBe('booked');

  // Onto a free slot: confirmed, then moved in the database.
  await dragTo(page, `[data-booking-id="${moving.id}"]`, `[data-slot-id="${slot.id}"]`);
  const dialog = page.getByTestId('rebook-dialog');
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'rebook dialog');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-rebook-dialog.png' });
  await dialog.getByRole('button', { name: 'Boka om' }).click();
  await expect(dialog.getByRole('alert')).toContainText('24 timmar');
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Läkaren bad om det');
  await dialog.getByRole('button', { name: 'Boka om ändå' }).click();
  await expect(dialog).toBeHidden();
  const old = await apiCall<BookingDetail>(shell, 'bookings.get', { id: moving.id });
  expect(old.status).toBe('rebooked');
  const moved = (await day()).bookings.find((b) => b.slotId === slot.id);
  expect(moved?.patient.id).toBe(moving.patient.id);
  expect(old.rebookedTo).toBe(moved?.id);
  await expect(page.locator(`[data-booking-id="${moved!.id}"]`)).toBeVisible();
});

test('book from Första lediga tid', async ({ page }) => {
  await open(page);
  const types = await apiCall<{ id: string; nameSv: string }[]>(shell, 'appointmentTypes.list', {});
  const type = types.find((x) => x.nameSv === 'Vaccination')!;
  const patient = futureBookings(await day())[4]!.patient;
  await page.getByRole('button', { name: 'Första lediga tid' }).click();
  const panel = page.getByTestId('next-free-panel');
  await panel.getByLabel('Besökstyp').selectOption(type.id);
  const first = panel.locator('[data-free-slot-id]').first();
  await expect(first).toBeVisible();
  const slotId = await first.getAttribute('data-free-slot-id');
  await expectAccessible(page, 'next free panel');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-next-free.png' });
  await first.getByRole('button', { name: /^Boka/ }).click();
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog.getByLabel('Besökstyp')).toHaveValue(type.id);
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(patient.displayName);
  await dialog
    .getByRole('button', { name: new RegExp(patient.displayName) })
    .first()
    .click();
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog).toBeHidden();
  const slot = await apiCall<Slot>(shell, 'slots.get', { id: slotId });
  const range = await apiCall<CalendarRange>(shell, 'calendar.range', {
    from: new Date(slot.startAt + 3_600_000).toISOString().slice(0, 10),
    to: new Date(slot.startAt + 3_600_000 + 86_400_000).toISOString().slice(0, 10),
  });
  const booking = range.bookings.find((b) => b.slotId === slotId);
  expect(booking?.patient.id).toBe(patient.id);
  expect(booking?.appointmentTypeId).toBe(type.id);
});

test('mark arrived, then open the patient view', async ({ page }) => {
  await open(page);
  const target = futureBookings(await day())[5]!;
  await page.locator(`[data-booking-id="${target.id}"]`).click();
  const dialog = page.getByTestId('booking-dialog');
  await dialog.getByRole('button', { name: 'Ankommen' }).click();
  await expect(dialog).toBeHidden();
  expect((await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id })).status).toBe('arrived');
  await expect(page.locator(`[data-booking-id="${target.id}"]`)).toHaveAttribute('data-status', 'arrived');

  await page.locator(`[data-booking-id="${target.id}"]`).click();
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Öppna patient' }).click();
  const view = page.getByTestId('patient-dialog');
  await expect(view).toContainText(target.patient.displayName);
  await expect(view.getByTestId('patient-past').or(view.getByTestId('patient-upcoming')).first()).toBeVisible();
  await expectAccessible(page, 'patient view');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-patient.png' });
});

test('keyboard: help overlay, views, next free slot, Escape restores focus', async ({ page }) => {
  await open(page);
  await expectAccessible(page, 'calendar day');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-calendar-day.png' });
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expectAccessible(page, 'help overlay');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-help.png' });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // F focuses the first free slot; Enter opens the booking dialog; Escape returns focus to the slot.
  await page.keyboard.press('f');
  const focused = page.locator('[data-slot-id]:focus');
  await expect(focused).toHaveCount(1);
  const slotId = await focused.getAttribute('data-slot-id');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('book-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator(`[data-slot-id="${slotId}"]`)).toBeFocused();

  // S opens the patient search; a name finds the patient.
  await page.keyboard.press('s');
  const search = page.getByTestId('patient-search');
  await search.getByLabel('Personnummer eller namn').fill(futureBookings(await day())[0]!.patient.displayName);
  await expect(search.getByRole('listitem').first()).toBeVisible();
  await expect(search.getByText(/första träffarna visas/)).toHaveCount(0);
  await expectAccessible(page, 'patient search');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-patient-search.png' });
  // A common name on a listed population fills the list: it says so, and how to narrow it.
  await search.getByLabel('Personnummer eller namn').fill('Andersson');
  await expect(search.getByRole('listitem')).toHaveCount(20);
  await expect(search.getByText('De 20 första träffarna visas – skriv mer av namnet eller personnumret.')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('24 november');
  await page.keyboard.press('t');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('23 november');

  // A slot that has ended is not bookable: a click says so (one under way takes a walk-in: walk-in.spec.ts).
  await page.locator('[data-state="passed"]').first().click({ force: true }); // aria-disabled: Playwright would wait
  await expect(page.getByTestId('notices')).toContainText('Tiden har redan passerat');
  await expect(page.getByTestId('book-dialog')).toHaveCount(0);

  await page.keyboard.press('v');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Vecka 48 · 23 nov – 27 nov 2026');
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await expectAccessible(page, 'calendar week');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-calendar-week.png' });
  // Next week: dates in the headers and every booking of that week, from the api.
  await page.keyboard.press('n');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('30 nov');
  await expect(page.locator('th.fc-col-header-cell').filter({ hasText: 'mån 30/11' }).first()).toBeVisible();
  const nextWeek = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-30', to: '2026-12-07' });
  await expect(page.locator('[data-booking-id]')).toHaveCount(nextWeek.bookings.length);
  await page.keyboard.press('t');

  await page.keyboard.press('l');
  await expect(page.getByTestId('booking-list')).toBeVisible();
  const range = await day();
  await expect(page.getByTestId('booking-list').locator('tbody tr')).toHaveCount(range.bookings.length);
  await expectAccessible(page, 'calendar list');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-calendar-list.png' });
});

test('usable at 200 % zoom', async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 450 });
  await open(page);
  await expect(page.getByRole('button', { name: 'Idag' })).toBeVisible();
  await page.screenshot({ path: 'tests/artifacts/screens/ui-calendar-zoom200.png' });
  await expectAccessible(page, 'calendar at 200 %');
});

test('language switch: the calendar and its dialogs in English', async ({ page }) => {
  await open(page);
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Week 48 · Monday 23 November 2026');
  await page.getByRole('button', { name: 'Week' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Week');
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toContainText('Keyboard shortcuts');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-calendar-week-en.png' });
  await page.keyboard.press('Escape');
  await expectAccessible(page, 'calendar week (English)');
});

test('rebook without dragging: Boka om … then a slot from Första lediga tid', async ({ page }) => {
  await open(page);
  const target = futureBookings(await day())[6]!;
  await page.locator(`[data-booking-id="${target.id}"]`).click();
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Boka om …' }).click();
  await expect(page.getByTestId('rebook-mode')).toContainText(target.patient.displayName);
  const panel = page.getByTestId('next-free-panel');
  await expect(panel.getByLabel('Besökstyp')).toHaveValue(target.appointmentTypeId);
  const first = panel.locator('[data-free-slot-id]').first();
  const slotId = await first.getAttribute('data-free-slot-id');
  await first.getByRole('button', { name: /^Boka/ }).click();
  const dialog = page.getByTestId('rebook-dialog');
  await dialog.getByRole('button', { name: 'Boka om' }).click();
  // Today's booking is inside the rebook cut-off: the desk overrides with a reason.
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten ringde');
  await dialog.getByRole('button', { name: 'Boka om ändå' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rebook-mode')).toHaveCount(0);
  const old = await apiCall<BookingDetail>(shell, 'bookings.get', { id: target.id });
  expect(old.status).toBe('rebooked');
  const moved = await apiCall<BookingDetail>(shell, 'bookings.get', { id: old.rebookedTo! });
  expect(moved.slotId).toBe(slotId);
  expect(moved.patient.id).toBe(target.patient.id);
});

test('a patient already with another clinician at that time: refused, then booked as a joint visit with a reason', async ({
  page,
}) => {
  const range = await day();
  const clinicians = new Set(range.resources.filter((r) => r.kind === 'clinician').map((r) => r.id));
  const booked = new Set(range.bookings.map((b) => b.slotId));
  const pair = futureBookings(range)
    .filter((b) => clinicians.has(b.resourceId))
    .flatMap((b) =>
      freeSlots(range)
        .filter((s) => clinicians.has(s.resourceId) && s.resourceId !== b.resourceId && !booked.has(s.id))
        .filter((s) => s.startAt < b.endAt && s.endAt > b.startAt && s.appointmentTypeIds.includes(b.appointmentTypeId))
        .map((s) => ({ b, s })),
    )[0]!;
  await open(page);
  await page.locator(`[data-slot-id="${pair.s.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await dialog.getByLabel('Patient (personnummer eller namn)').fill(pair.b.patient.identityNumber);
  await dialog.getByRole('button', { name: new RegExp(pair.b.patient.displayName) }).click();
  await dialog.getByLabel('Besökstyp').selectOption(pair.b.appointmentTypeId);
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Patienten har redan en tid som överlappar');
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Gemensamt besök');
  await dialog.screenshot({ path: 'tests/artifacts/screens/ui-book-patient-busy.png' });
  await dialog.getByRole('button', { name: 'Boka ändå' }).click();
  await expect(dialog).toBeHidden();
  const after = await day();
  expect(after.bookings.find((b) => b.slotId === pair.s.id)?.patient.id).toBe(pair.b.patient.id);
});

test('rebooking a booking whose contact mode the type no longer offers asks for a new one', async ({ page }) => {
  const types = await apiCall<{ id: string; code: string }[]>(shell, 'appointmentTypes.list', {});
  const lakbes = types.find((x) => x.code === 'LAKBES')!;
  const target = futureBookings(await day()).find((b) => b.appointmentTypeId === lakbes.id && b.contactMode === 'physical')!;
  // The clinic now sees these patients by video only.
  const asScheduler = apiAs(() => shell, SCHEDULER.username, SCHEDULER.password);
  await asScheduler('appointmentTypes.update', { id: lakbes.id, contactModes: ['video'] });
  // The scheduler's sign-in ended the demo's launch session: the desk signs in again.
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await page.locator(`[data-booking-id="${target.id}"]`).click();
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Boka om …' }).click();
  await page.getByTestId('next-free-panel').locator('[data-free-slot-id]').first().getByRole('button', { name: /^Boka/ }).click();
  const dialog = page.getByTestId('rebook-dialog');
  await expect(dialog.getByTestId('rebook-mode-gone')).toHaveText(
    'Bokningens kontaktsätt (Fysiskt) finns inte längre för besökstypen: välj ett nytt.',
  );
  await expect(dialog.getByLabel('Kontaktsätt')).toHaveValue('video');
  await expectAccessible(page, 'rebook dialog with a contact mode gone');
  await dialog.screenshot({ path: 'tests/artifacts/screens/ui-rebook-mode-gone.png' });
  await dialog.getByRole('button', { name: 'Boka om' }).click();
  // Today's booking is inside the rebook cut-off: the desk overrides with a reason.
  await dialog.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten vill ha video');
  await dialog.getByRole('button', { name: 'Boka om ändå' }).click();
  await expect(dialog).toBeHidden();
  const old = await asScheduler<BookingDetail>('bookings.get', { id: target.id });
  const moved = await asScheduler<BookingDetail>('bookings.get', { id: old.rebookedTo! });
  expect(moved).toMatchObject({ contactMode: 'video', appointmentTypeId: lakbes.id });
});

test('the keyboard focus stays on its time when another desk books it: the free slot turns into the booking, still focused', async ({
  page,
}) => {
  // Signed in at the desk (earlier tests here end the demo's own session); the other desk is the scheduler.
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  const otherDesk = apiAs(() => shell, SCHEDULER.username, SCHEDULER.password);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await page.keyboard.press('f');
  const focused = page.locator('[data-slot-id]:focus');
  await expect(focused).toHaveCount(1);
  const slotId = (await focused.getAttribute('data-slot-id'))!;
  const range = await otherDesk<CalendarRange>('calendar.range', DAY);
  const slot = range.slots.find((s) => s.id === slotId)!;
  // Another desk books that very time: the change reaches this screen and the column is repainted.
  const booking = await otherDesk<Booking>('bookings.book', {
    slotId,
    patientId: futureBookings(range)[0]!.patient.id,
    appointmentTypeId: slot.appointmentTypeIds[0],
    override: { reason: 'Annan kassa' },
  });
  await expect(page.locator(`[data-booking-id="${booking.id}"]`)).toBeFocused();
});
