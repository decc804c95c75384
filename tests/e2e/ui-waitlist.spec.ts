// Återbudslistan in Chromium against the web shell (demo unit, Monday 09:10): a receptionist puts
// a patient on the list (another, called about a time, declines it and waits again), a booking is
// cancelled and the notice says the list has someone for the freed time, and the booking dialog
// of that slot books the patient from the list; a time offered from the booking dialog is held
// for one patient until "Tillbaka till väntande" releases it; the list's own "Erbjud tid" holds one
// of the free times that fit the wish, and a booking of it for someone else ends the hold; a list
// longer than the page shows says how many more there are. Each step is checked in the data afterwards, axe on each screen.
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { expectAccessible } from '../helpers/axe.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AppointmentType, Booking, CalendarRange } from '../../src-main/api/types.ts';
import type { Patient } from '../../src-main/api/methods/scheduling.ts';
import type { WaitlistEntry } from '../../src-main/api/methods/waitlist.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);

let shell: RunningShell;
let types: AppointmentType[];
const code = (c: string) => types.find((x) => x.code === c)!;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  types = await apiCall<AppointmentType[]>(shell, 'appointmentTypes.list', {});
  // The demo's own list is withdrawn: these tests decide who waits, and in which order.
  for (const e of await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', {}))
    await apiCall(shell, 'waitlist.withdraw', { id: e.id });
  // Two patients already waiting, so the list reads as on a working day.
  const day = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  const [a, b] = [...new Set(day.bookings.filter((x) => !x.patient.protectedIdentity).map((x) => x.patient.id))];
  await apiCall(shell, 'waitlist.add', { patientId: a, appointmentTypeId: code('FYSIO').id, note: 'Kan bara förmiddagar' });
  await apiCall(shell, 'waitlist.add', {
    patientId: b,
    appointmentTypeId: code('VACC').id,
    profession: 'sjukskoterska',
    earliest: '2026-11-30',
    latest: '2026-12-18',
    priority: 1,
  });
});
test.afterAll(async () => shell.stop());

test('put a patient on the list, cancel a booking, book the freed time from the list', async ({ page }) => {
  const greta = await apiCall<Patient>(shell, 'patients.create', {
    identityNumber: makeIdentityNumber('1948-03-14', 124),
    givenName: 'Greta',
    familyName: 'Väntesson',
    phone: '070-555 12 34',
  });
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  await expect(page.getByTestId('waitlist-table')).toBeVisible();

  // Add: the patient search, then type, priority and a note.
  await page.getByRole('button', { name: 'Lägg till patient' }).click();
  const search = page.getByTestId('patient-search');
  await search.getByLabel(/Personnummer eller namn/i).fill('Greta Vänt');
  await search.getByRole('button', { name: /Greta Väntesson/ }).click();
  const dialog = page.getByTestId('waitlist-dialog');
  await expect(dialog.getByTestId('waitlist-patient')).toContainText('Greta Väntesson');
  await dialog.getByLabel('Besökstyp', { exact: true }).selectOption({ label: 'Läkarbesök' });
  await dialog.getByLabel('Prioritet').selectOption({ label: 'Förtur' });
  await dialog.getByLabel('Anteckning').fill('Vill gärna komma tidigare, ring mobilen');
  await expectAccessible(page, 'waitlist add dialog');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-add.png' });
  await dialog.getByRole('button', { name: 'Lägg till', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText('Greta Väntesson står nu på återbudslistan');
  const row = page.locator('[data-testid="waitlist-table"] tbody tr', { hasText: 'Greta Väntesson' });
  await expect(row).toContainText('Förtur');
  await expect(row).toContainText('Läkarbesök');
  // Phone numbers grouped as the desk reads them aloud, whatever way they were typed (the demo's
  // patients have theirs stored as ten digits).
  await expect(row.getByTestId('waitlist-phone')).toHaveText('070-555 12 34');
  const demoRow = page.locator('[data-testid="waitlist-table"] tbody tr', { hasText: 'Kan bara förmiddagar' });
  await expect(demoRow.getByTestId('waitlist-phone')).toHaveText(/^07\d-\d{3} \d{2} \d{2}$/);
  await expectAccessible(page, 'waitlist page');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist.png' });
  // Changed: she is away from 19 December.
  await row.getByRole('button', { name: 'Ändra posten för Greta Väntesson' }).click();
  await dialog.getByLabel('Senast (datum)').fill('2026-12-18');
  await dialog.getByRole('button', { name: 'Spara', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('till 18 dec');
  // Called one patient about a time (Erbjud tid, the first free time by keyboard); another no longer wants one.
  const maja = page.locator('[data-testid="waitlist-table"] tbody tr', { hasText: 'Fysioterapi' });
  await maja.getByRole('button', { name: /^Erbjud en tid till / }).click();
  const offer = page.getByTestId('offer-time-dialog');
  await expect(offer.getByTestId('offer-times').getByRole('button').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(offer).toBeHidden();
  await expect(maja.locator('.tb-status-chip')).toHaveText('Erbjuden');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offered.png' });
  // She declined the time: back to waiting, same place, waiting since the same day.
  const since = await maja.locator('td').nth(6).textContent();
  await maja.getByRole('button', { name: /^Tillbaka till väntande: .* \(tackade nej eller svarade inte\)$/ }).click();
  await expect(maja.getByRole('button', { name: /^Tackade nej: .* tillbaka till väntande$/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(maja.locator('.tb-status-chip')).toHaveText('Väntar');
  await expect(page.getByTestId('notices')).toContainText('väntar igen på sin plats i listan');
  await expect(maja.locator('td').nth(6)).toHaveText(since!);
  const nils = page.locator('[data-testid="waitlist-table"] tbody tr', { hasText: 'Vaccination' });
  await nils.getByRole('button', { name: /^Ta bort .* från återbudslistan$/ }).click();
  await expect(nils).toHaveCount(0);
  const listed = await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', {});
  expect(listed.map((e) => [e.appointmentTypeId, e.state])).toEqual([
    [code('LAKBES').id, 'waiting'],
    [code('FYSIO').id, 'waiting'],
  ]);
  const entry = listed.find((e) => e.patient.id === greta.id)!;
  expect(entry).toMatchObject({ state: 'waiting', priority: 1, appointmentTypeId: code('LAKBES').id });

  // A doctor's visit this afternoon is cancelled (the patient called in sick): the notice says
  // someone on the list fits the freed time.
  const day = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  const cancelled: Booking = day.bookings
    .filter((b) => b.status === 'booked' && b.appointmentTypeId === code('LAKBES').id && b.startAt > NOW + 3 * 3_600_000)
    .sort((x, y) => x.startAt - y.startAt)[0]!;
  await page.getByRole('link', { name: 'Kalender' }).click();
  await page.locator(`[data-booking-id="${cancelled.id}"]`).click();
  const booking = page.getByTestId('booking-dialog');
  await booking.getByRole('button', { name: 'Avboka …' }).click();
  await booking.getByLabel('Orsakskod').selectOption('SJUK');
  await booking.getByRole('button', { name: 'Avboka tiden' }).click();
  await booking.getByLabel('Motivering för att åsidosätta regeln').fill('Patienten ringde, sjuk');
  await booking.getByRole('button', { name: 'Avboka ändå' }).click();
  await expect(booking).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText('1 på återbudslistan passar den lediga tiden');

  // The freed slot: Greta is offered first; one click chooses her, Boka books from the list.
  await page.locator(`[data-slot-id="${cancelled.slotId}"]`).click();
  const book = page.getByTestId('book-dialog');
  const matches = book.getByTestId('waitlist-matches');
  await expect(matches).toContainText('Greta Väntesson');
  await expect(matches).toContainText('Förtur');
  await expectAccessible(page, 'book dialog with waitlist matches');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-book.png' });
  await matches.getByRole('button', { name: 'Välj Greta Väntesson från återbudslistan' }).click();
  await expect(book.getByTestId('chosen-patient')).toContainText('Från återbudslistan');
  await expect(book.getByLabel('Besökstyp')).toHaveValue(code('LAKBES').id);
  await book.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(book).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText('Bokad: Greta Väntesson');

  const after = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  expect(after.bookings.find((b) => b.slotId === cancelled.slotId)?.patient.id).toBe(greta.id);
  const booked = await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', { states: ['booked'] });
  expect(booked.map((e) => e.id)).toEqual([entry.id]);
  // Off the open list.
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  await expect(page.getByTestId('waitlist-table')).not.toContainText('Greta Väntesson');
});

test('a patient on the list who holds a later time is moved to the freed one, not booked twice', async ({ page }) => {
  const harald = await apiCall<Patient>(shell, 'patients.create', {
    identityNumber: makeIdentityNumber('1951-09-02', 131),
    givenName: 'Harald',
    familyName: 'Senare',
    phone: '070-555 98 76',
  });
  const lakbes = code('LAKBES');
  type Free = { slotId: string; startAt: number };
  const [held] = await apiCall<Free[]>(shell, 'slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-12-03', limit: 1 });
  const heldBooking = await apiCall<Booking>(shell, 'bookings.book', {
    slotId: held!.slotId,
    patientId: harald.id,
    appointmentTypeId: lakbes.id,
  });
  const entry = await apiCall<WaitlistEntry>(shell, 'waitlist.add', { patientId: harald.id, appointmentTypeId: lakbes.id });
  const [freed] = await apiCall<Free[]>(shell, 'slots.findFree', { appointmentTypeId: lakbes.id, from: '2026-11-24', limit: 1 });
  expect(freed!.startAt).toBeLessThan(held!.startAt);

  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  const freedDate = new Date(freed!.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  await page.locator('input[type="date"]').first().fill(freedDate);
  await page.locator(`[data-slot-id="${freed!.slotId}"]`).click();
  const book = page.getByTestId('book-dialog');
  await book.getByTestId('waitlist-matches').getByRole('button', { name: 'Välj Harald Senare från återbudslistan' }).click();
  await expect(book.getByTestId('held-booking')).toContainText('Har redan en senare tid, tors 3 dec 2026 ');
  await expect(book.getByTestId('held-booking')).toContainText('den flyttas hit');
  await expectAccessible(page, 'book dialog moving a held time');
  await book.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-move-held.png' });
  await book.getByRole('button', { name: 'Flytta hit', exact: true }).click();
  await expect(book).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText('Flyttad hit: Harald Senare');

  // In the data: one time, moved; the list entry booked; the later time free for the next in line.
  const old = await apiCall<Booking>(shell, 'bookings.get', { id: heldBooking.id });
  expect(old).toMatchObject({ status: 'rebooked' });
  const now = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-12-07' });
  const his = now.bookings.filter((b) => b.patient.id === harald.id && b.status === 'booked');
  expect(his.map((b) => b.slotId)).toEqual([freed!.slotId]);
  expect(his[0]!.rebookedFrom).toBe(heldBooking.id);
  expect(now.bookings.some((b) => b.slotId === held!.slotId && b.status === 'booked')).toBe(false);
  const booked = await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', { states: ['booked'] });
  expect(booked.map((e) => e.id)).toContain(entry.id);
});

test('a time offered from the booking dialog is held for one patient; Tillbaka till väntande releases it', async ({ page }) => {
  const lakbes = code('LAKBES');
  const make = (givenName: string, day: string, serial: number) =>
    apiCall<Patient>(shell, 'patients.create', {
      identityNumber: makeIdentityNumber(day, serial),
      givenName,
      familyName: 'Erbjudsson',
      phone: '070-555 11 22',
    });
  const ines = await make('Ines', '1957-04-21', 142);
  const jon = await make('Jon', '1966-10-05', 153);
  const first = await apiCall<WaitlistEntry>(shell, 'waitlist.add', {
    patientId: ines.id,
    appointmentTypeId: lakbes.id,
    priority: 2,
    note: 'Ring mobilen',
  });
  const second = await apiCall<WaitlistEntry>(shell, 'waitlist.add', { patientId: jon.id, appointmentTypeId: lakbes.id });
  type Free = { slotId: string; startAt: number };
  const [free, other] = await apiCall<Free[]>(shell, 'slots.findFree', {
    appointmentTypeId: lakbes.id,
    from: '2026-11-25',
    limit: 2,
  });

  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  const freeDate = new Date(free!.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  await page.locator('input[type="date"]').first().fill(freeDate);
  await page.locator(`[data-slot-id="${free!.slotId}"]`).click();
  const book = page.getByTestId('book-dialog');
  const matches = book.getByTestId('waitlist-matches');
  // Ines (brådskande) is called first: the time is held for her, so nobody else is offered it.
  await matches.getByRole('button', { name: 'Erbjud tiden till Ines Erbjudsson: den hålls tills patienten svarat' }).click();
  await expect(page.getByTestId('notices')).toContainText('Tiden är erbjuden Ines Erbjudsson');
  const inesRow = matches.locator(`li[data-entry-id="${first.id}"]`);
  await expect(inesRow).toContainText('Erbjuden tiden');
  await expect(matches.getByRole('button', { name: /^Erbjud tiden till/ })).toHaveCount(0);
  await expect(
    inesRow.getByRole('button', { name: 'Tillbaka till väntande: Ines Erbjudsson (tackade nej eller svarade inte)' }),
  ).toBeVisible();
  await expectAccessible(page, 'book dialog with a time offered from the list');
  await book.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offer-held.png' });
  await page.keyboard.press('Escape');
  await expect(book).toBeHidden();
  // Another free time of the day: she is still on its list, marked as waiting for an answer.
  expect(new Date(other!.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' })).toBe(freeDate);
  await page.locator(`[data-slot-id="${other!.slotId}"]`).click();
  await expect(matches.locator(`li[data-entry-id="${first.id}"]`)).toContainText('erbjuden en annan tid, väntar på svar');
  await expect(matches.locator(`li[data-entry-id="${second.id}"]`)).not.toContainText('erbjuden');
  await page.keyboard.press('Escape');
  await expect(book).toBeHidden();

  // On the list: she is offered that time; she did not answer, so back to waiting.
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  const row = page.locator(`[data-testid="waitlist-table"] tbody tr[data-entry-id="${first.id}"]`);
  await expect(row.locator('.tb-status-chip')).toHaveText('Erbjuden');
  const wall = new Date(free!.startAt).toLocaleTimeString('sv-SE', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    minute: '2-digit',
  });
  await expect(row.getByTestId('offered-time')).toContainText(wall);
  await expectAccessible(page, 'waitlist page with an offered time');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offered-time.png' });
  await row.getByRole('button', { name: 'Tillbaka till väntande: Ines Erbjudsson (tackade nej eller svarade inte)' }).click();
  const why = row.getByRole('group', { name: 'Tillbaka till väntande: Ines Erbjudsson, varför?' });
  await expect(why.getByRole('button', { name: 'Tackade nej: Ines Erbjudsson tillbaka till väntande' })).toBeFocused();
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-back.png' });
  await why.getByRole('button', { name: 'Svarade inte: Ines Erbjudsson tillbaka till väntande' }).click();
  await expect(row.locator('.tb-status-chip')).toHaveText('Väntar');
  await expect(row.getByTestId('offered-time')).toHaveCount(0);
  await expect(page.getByTestId('notices')).toContainText(`Ines Erbjudsson väntar igen på sin plats i listan. Tiden`);
  await expect(page.getByTestId('notices')).toContainText('kan erbjudas nästa patient');

  // In the data: her priority, note and place kept, the time no longer held; Jon can be offered it.
  const listed = await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', { appointmentTypeId: lakbes.id });
  expect(listed.find((e) => e.id === first.id)).toMatchObject({
    state: 'waiting',
    priority: 2,
    note: 'Ring mobilen',
    createdAt: first.createdAt,
    offeredSlot: null,
  });
  const jonOffered = await apiCall<WaitlistEntry>(shell, 'waitlist.markOffered', { id: second.id, slotId: free!.slotId });
  expect(jonOffered.offeredSlot?.id).toBe(free!.slotId);
});

test('Erbjud tid on the list: the first free times of her wish, one held for her; booked for someone else, she waits again', async ({
  page,
}) => {
  const lakbes = code('LAKBES');
  const resources = await apiCall<{ id: string; name: string }[]>(shell, 'resources.list', {});
  const erik = resources.find((r) => r.name === 'Erik Johansson')!;
  const lova = await apiCall<Patient>(shell, 'patients.create', {
    identityNumber: makeIdentityNumber('1959-06-12', 164),
    givenName: 'Lova',
    familyName: 'Erbjudsson',
    phone: '070-555 33 44',
  });
  const entry = await apiCall<WaitlistEntry>(shell, 'waitlist.add', {
    patientId: lova.id,
    appointmentTypeId: lakbes.id,
    resourceId: erik.id,
    earliest: '2026-11-25',
    latest: '2026-12-11',
    priority: 1,
    note: 'Kan med kort varsel',
  });
  // What the page should offer, from the free-slot search and the list's holds (not from the page).
  type Free = { slotId: string; startAt: number; endAt: number; resourceName: string };
  const search = await apiCall<Free[]>(shell, 'slots.findFree', {
    appointmentTypeId: lakbes.id,
    resourceId: erik.id,
    from: '2026-11-25',
    to: '2026-12-11',
    limit: 20,
  });
  const held = new Set(
    (await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', { states: ['offered'] })).map((e) => e.offeredSlot?.id),
  );
  const expected = search.filter((f) => !held.has(f.slotId)).slice(0, 8);
  expect(expected.length).toBe(8);

  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  const row = page.locator(`[data-testid="waitlist-table"] tbody tr[data-entry-id="${entry.id}"]`);
  await row.getByRole('button', { name: 'Erbjud en tid till Lova Erbjudsson' }).click();
  const dialog = page.getByTestId('offer-time-dialog');
  await expect(dialog.getByRole('heading', { name: 'Erbjud tid' })).toBeVisible();
  await expect(dialog).toContainText('Ring 070-555 33 44');
  await expect(dialog).toContainText('Läkarbesök · Erik Johansson · 25 nov – 11 dec');
  const times = dialog.getByTestId('offer-times').locator('li');
  await expect(times).toHaveCount(8);
  expect(await times.evaluateAll((xs) => xs.map((x) => x.getAttribute('data-slot-id')))).toEqual(expected.map((f) => f.slotId));
  const wall = (at: number) =>
    new Date(at).toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' });
  await expect(times.nth(1)).toContainText(`${wall(expected[1]!.startAt)}–${wall(expected[1]!.endAt)}`);
  await expect(times.first().getByRole('button')).toBeFocused();
  await expectAccessible(page, 'offer a time from the list');
  await dialog.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offer-time.png' });

  // The second time, by keyboard: held for her.
  await page.keyboard.press('Tab');
  await expect(times.nth(1).getByRole('button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText('är erbjuden Lova Erbjudsson och hålls tills patienten svarat');
  await expect(row.locator('.tb-status-chip')).toHaveText('Erbjuden');
  await expect(row.getByTestId('offered-time')).toContainText(wall(expected[1]!.startAt));
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offer-time-held.png' });
  const offered = (await apiCall<WaitlistEntry[]>(shell, 'waitlist.list', {})).find((e) => e.id === entry.id)!;
  expect(offered).toMatchObject({ state: 'offered', offeredSlot: { id: expected[1]!.slotId, taken: false, passed: false } });

  // Another desk books that time for someone else: the hold ends, she waits again with her priority.
  const day = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  const other = day.bookings.find((b) => !b.patient.protectedIdentity && b.patient.id !== lova.id)!.patient;
  await apiCall(shell, 'bookings.book', {
    slotId: expected[1]!.slotId,
    patientId: other.id,
    appointmentTypeId: lakbes.id,
    override: { reason: 'Akut' },
  });
  await expect(row.locator('.tb-status-chip')).toHaveText('Väntar');
  await expect(row.getByTestId('offered-time')).toHaveCount(0);
  await expect(row).toContainText('Förtur');
  await row.getByRole('button', { name: 'Erbjud en tid till Lova Erbjudsson' }).click();
  await expect(dialog.getByTestId('offer-times').locator(`li[data-slot-id="${expected[1]!.slotId}"]`)).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A time held this morning that has started (written into the book: the shell's clock stands
  // still): listed as waiting, the time marked passed, and she can be offered another at once.
  const started = day.slots.filter((x) => x.startAt < NOW && x.appointmentTypeIds.includes(lakbes.id)).at(-1)!;
  const db = new Database(shell.dbPath);
  try {
    db.prepare(`UPDATE waitlist SET state = 'offered', offered_slot_id = ? WHERE id = ?`).run(started.id, entry.id);
  } finally {
    db.close();
  }
  await page.reload();
  await expect(row.locator('.tb-status-chip')).toHaveText('Väntar');
  await expect(row.getByTestId('offered-time')).toHaveText(`23 nov ${wall(started.startAt)} Tiden har passerat`);
  await expect(row.getByRole('button', { name: 'Erbjud en tid till Lova Erbjudsson' })).toBeVisible();
  await row.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-offer-passed.png' });
});

test('a list longer than the 500 the page shows says how many more there are', async ({ page }) => {
  // A long list, written straight into the book (the api would take 500 calls): the demo's
  // patients waiting for each of its active types, as many as it takes to pass 500.
  const db = new Database(shell.dbPath);
  let open: number;
  try {
    db.prepare(
      `INSERT INTO waitlist (id, patient_id, appointment_type_id, created_at, updated_at)
       SELECT lower(hex(randomblob(16))), p.id, t.id, @since, @since
         FROM patients p CROSS JOIN appointment_types t
        WHERE t.active = 1 AND NOT EXISTS (SELECT 1 FROM waitlist w WHERE w.patient_id = p.id AND w.appointment_type_id = t.id)
        LIMIT 520`,
    ).run({ since: Date.parse('2026-11-13T08:00:00+01:00') });
    open = db.prepare(`SELECT count(*) FROM waitlist WHERE state IN ('waiting', 'offered')`).pluck().get() as number;
  } finally {
    db.close();
  }
  expect(open).toBeGreaterThan(500);

  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await page.getByRole('link', { name: 'Återbudslista' }).click();
  await expect(page.getByTestId('waitlist-table').locator('tbody tr')).toHaveCount(500);
  await expect(page.getByTestId('waitlist-count')).toHaveText(`500 av ${open} patienter visas`);
  await expect(page.getByTestId('waitlist-more')).toHaveText(
    `Listan visar de 500 första. ${open - 500} patienter till står på listan: filtrera på besökstyp, resurs eller status för att se dem.`,
  );
  // The head of the page only: axe over 500 rows takes a minute on this machine, and the note is
  // plain text in the page's own styles (the page itself is checked by the tests above).
  await page.screenshot({ path: 'tests/artifacts/screens/ui-waitlist-more.png', clip: { x: 0, y: 0, width: 1440, height: 420 } });
  // Filtered to one type, all of it fits: no note.
  await page.getByLabel('Besökstyp').selectOption({ label: 'Läkarbesök' });
  const lakbes = await apiCall<{ count: number }>(shell, 'waitlist.count', { appointmentTypeId: code('LAKBES').id });
  expect(lakbes.count).toBeLessThan(500);
  await expect(page.getByTestId('waitlist-count')).toHaveText(`${lakbes.count} patienter`);
  await expect(page.getByTestId('waitlist-more')).toHaveCount(0);
});
