// The receptionist on the phone, at speed and by keyboard, in Chromium against the web shell: a
// time taken by someone else while the patient is on the line, the toolbar at desk widths, and the
// path from personnummer to confirmed booking, cancellation and rebooking. Expected answers come
// from the calendar's data read as the admin, never from the screen under test.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { AppointmentType, Booking, CalendarRange, Resource, Slot } from '../../src-main/api/types.ts';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);
const HOUR = 3_600_000;
const SHOTS = 'tests/artifacts/screens';

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

/** Another desk of the unit, in a session of its own (also reads every patient, for checking). */
const otherDesk = apiAs(() => shell, 'admin', 'demo-admin');

/** The unit's wall-clock date of an instant (Stockholm is UTC+1 from November to March). */
const wallDate = (at: number) => new Date(at + HOUR).toISOString().slice(0, 10);
const wallTime = (at: number) => new Date(at + HOUR).toISOString().slice(11, 16);

const range = (from: string, to: string) => otherDesk<CalendarRange>('calendar.range', { from, to });

function freeOf(r: CalendarRange): Slot[] {
  const taken = new Set(r.bookings.filter((b) => b.status !== 'cancelled' && b.status !== 'rebooked').map((b) => b.slotId));
  return r.slots.filter((s) => s.state === 'open' && s.startAt > NOW && !taken.has(s.id));
}

async function openDesk(page: Page, day: string): Promise<void> {
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await page.locator('input[type="date"]').first().fill(day);
}

test('a time taken while the patient is on the line: said so, shown booked, the next free times of the type offered and one booked by keyboard without retyping', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const resources = await otherDesk<Resource[]>('resources.list', {});
  const lakbes = types.find((x) => x.code === 'LAKBES')!;
  const day = '2026-11-26';
  const r = await range(day, '2026-12-10');
  const ofType = freeOf(r)
    .filter((s) => s.appointmentTypeIds.includes(lakbes.id) && s.startAt > NOW + 50 * HOUR)
    .sort((a, b) => a.startAt - b.startAt);
  const slot = ofType.find((s) => wallDate(s.startAt) === day)!;
  const clinician = resources.find((x) => x.id === slot.resourceId)!;
  const [mine, theirs] = r.bookings.filter((b) => b.status === 'booked' && !b.patient.protectedIdentity).map((b) => b.patient);

  await openDesk(page, day);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  const field = dialog.getByLabel('Patient (personnummer eller namn)');
  await expect(field).toBeFocused();
  // Ten digits with a dash, as the patient says it.
  await page.keyboard.type(`${mine!.identityNumber.slice(2, 8)}-${mine!.identityNumber.slice(8)}`);
  await dialog.getByRole('button', { name: new RegExp(mine!.displayName) }).click();
  await dialog.getByLabel('Besökstyp').selectOption(lakbes.id);
  await dialog.getByLabel('Anteckning').fill('Tolk: arabiska');

  // Meanwhile another desk books the same time.
  const taken = await otherDesk<Booking>('bookings.book', {
    slotId: slot.id,
    patientId: theirs!.id,
    appointmentTypeId: lakbes.id,
  });
  await dialog.getByRole('button', { name: 'Boka', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Tiden är redan bokad – någon annan hann före');
  // The calendar behind shows the time booked.
  await expect(page.locator(`[data-booking-id="${taken.id}"]`)).toBeAttached();
  await expect(page.locator(`[data-slot-id="${slot.id}"]`)).toHaveCount(0);

  // The next free times of the type: the same clinician's first, then the other doctors'.
  const others = ofType.filter((s) => s.id !== slot.id);
  const same = others.filter((s) => s.resourceId === clinician.id).slice(0, 3);
  const peers = new Set(resources.filter((x) => x.profession === clinician.profession && x.id !== clinician.id).map((x) => x.id));
  const elsewhere = others.filter((s) => peers.has(s.resourceId)).slice(0, 3);
  expect(same.length).toBe(3);
  expect(elsewhere.length).toBe(3);
  const offered = dialog.getByTestId('taken-alternatives').locator('[data-free-slot-id]');
  await expect(offered).toHaveCount(6);
  expect(await offered.evaluateAll((els) => els.map((e) => e.getAttribute('data-free-slot-id')))).toEqual(
    [...same, ...elsewhere].map((s) => s.id),
  );
  await expect(offered.first()).toBeFocused();
  await expectAccessible(page, 'book dialog, time taken, alternatives offered', 'all');
  await dialog.screenshot({ path: `${SHOTS}/phone-slot-taken-alternatives.png` });

  // Down to the second, Enter: the dialog now books that time, nothing retyped.
  await page.keyboard.press('Tab');
  await expect(offered.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('taken-alternatives')).toHaveCount(0);
  await expect(dialog.getByTestId('book-slot')).toContainText(clinician.name);
  await expect(dialog.getByTestId('chosen-patient')).toContainText(mine!.displayName);
  await expect(dialog.getByLabel('Besökstyp')).toHaveValue(lakbes.id);
  await expect(dialog.getByLabel('Anteckning')).toHaveValue('Tolk: arabiska');
  await expect(dialog.getByRole('button', { name: 'Boka', exact: true })).toBeFocused();
  await dialog.screenshot({ path: `${SHOTS}/phone-slot-taken-picked.png` });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${mine!.displayName}`);

  const after = await range(day, '2026-12-10');
  const booked = after.bookings.find((b) => b.slotId === same[1]!.id && b.status === 'booked');
  expect(booked).toMatchObject({ appointmentTypeId: lakbes.id, note: 'Tolk: arabiska', channel: 'phone' });
  expect(booked?.patient.id).toBe(mine!.id);
  expect(after.bookings.filter((b) => b.slotId === slot.id && b.status === 'booked').map((b) => b.id)).toEqual([taken.id]);
});

test('the toolbar keeps one row at 1280 and 1440 px for the longest week heading, in Swedish and English, the heading whole', async ({
  page,
}) => {
  // A Sunday slot makes week 53 run Monday to Sunday across New Year: the longest heading there is.
  const resources = await otherDesk<Resource[]>('resources.list', {});
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const nurse = resources.find((x) => x.profession === 'sjukskoterska')!;
  const vacc = types.find((x) => x.code === 'VACC')!;
  const sunday = await otherDesk<Slot>('slots.create', {
    resourceId: nurse.id,
    date: '2027-01-03',
    startTime: '10:00',
    endTime: '10:15',
    appointmentTypeIds: [vacc.id],
  });
  await openDesk(page, '2026-12-28');
  await page.getByRole('button', { name: 'Vecka', exact: true }).click();
  // A screen reader hears the day of a week view's time, not only the clock.
  await expect(page.locator(`[data-slot-id="${sunday.id}"]`)).toHaveAttribute(
    'aria-label',
    `Ledig sön 3 jan 10:00–10:15, ${nurse.name}, Vaccination`,
  );
  const toolbar = page.getByRole('toolbar', { name: /^(Kalender|Calendar)$/ });
  const dates = page.locator('.tb-heading-dates');
  for (const [lang, week, range] of [
    ['sv', 'Vecka 53', '28 dec 2026 – 3 jan 2027'],
    ['en', 'Week 53', '28 Dec 2026 – 3 Jan 2027'],
  ] as const) {
    if (lang === 'en') await page.getByLabel('Språk').selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${week} · ${range}`);
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      // One row: every control of the toolbar overlaps every other vertically.
      const rows = await toolbar.evaluate((el) =>
        Array.from(el.children).map((c) => {
          const r = c.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, text: c.textContent };
        }),
      );
      const lowestTop = Math.max(...rows.map((r) => r.top));
      const highestBottom = Math.min(...rows.map((r) => r.bottom));
      expect(lowestTop, JSON.stringify(rows)).toBeLessThan(highestBottom);
      // The heading reads whole: nothing clipped or wrapped inside it.
      expect(await dates.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getClientRects().length === 1)).toBe(true);
      await page.screenshot({
        path: `${SHOTS}/phone-toolbar-week53-${lang}-${width}.png`,
        clip: { x: 0, y: 0, width, height: 160 },
      });
    }
  }
  await expectAccessible(page, 'calendar week 53 (English)');
});

test('phone booking at speed, by keyboard only: Första lediga tid takes the focus, a personnummer typed and Enter books at once, the field names who was found, cancel with a reason, Boka om … lands on the first time, Escape closes the panel', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const vacc = types.find((x) => x.code === 'VACC')!;
  const week = await range('2026-11-23', '2026-11-30');
  // Callers with no time on Monday or Wednesday, so no rule about a patient's other times interferes.
  const busyDays = new Set(['2026-11-23', '2026-11-25']);
  const taken = new Set(week.bookings.filter((b) => busyDays.has(wallDate(b.startAt))).map((b) => b.patient.id));
  const callers = [
    ...new Map(
      week.bookings.filter((b) => !b.patient.protectedIdentity && !taken.has(b.patient.id)).map((b) => [b.patient.id, b.patient]),
    ).values(),
  ];
  const [first, second] = callers;
  const dashed = (n: string) => `${n.slice(2, 8)}-${n.slice(8)}`;
  /** The first free Vaccination times from Wednesday, read from the calendar's data. */
  const firstFree = async () =>
    freeOf(await range('2026-11-25', '2026-11-30'))
      .filter((s) => s.appointmentTypeIds.includes(vacc.id))
      .sort((a, b) => a.startAt - b.startAt);

  await openDesk(page, '2026-11-25');
  const freeButton = page.getByRole('button', { name: 'Första lediga tid' });
  await freeButton.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('next-free-panel');
  const typeField = panel.getByLabel('Besökstyp');
  await expect(typeField).toBeFocused();
  await page.keyboard.type('Vacc');
  await expect(typeField).toHaveValue(vacc.id);
  const offered = panel.locator('[data-free-slot-id]');
  const expected = (await firstFree())[0]!;
  await expect(offered.first()).toHaveAttribute('data-free-slot-id', expected.id);
  // Read out from the type field: how many, and the first.
  const firstName = (await otherDesk<Resource[]>('resources.list', {})).find((x) => x.id === expected.resourceId)!.name;
  await expect(panel.getByTestId('next-free-found')).toHaveText(
    new RegExp(
      `^\\d+ lediga tider, först ons 25 nov ${wallTime(expected.startAt)}–${wallTime(expected.endAt)} hos ${firstName}$`,
    ),
  );
  // Enter in the search goes straight to the first time's Boka (not through the date's three parts).
  await page.keyboard.press('Enter');
  await expect(offered.first().getByRole('button')).toBeFocused();
  await expectAccessible(page, 'Första lediga tid, keyboard', 'all');
  await page.screenshot({ path: `${SHOTS}/phone-next-free-focus.png` });
  await page.keyboard.press('Enter');

  // Ten digits without a dash, Enter at once: booked, no "choose a patient".
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  await page.keyboard.type(first!.identityNumber.slice(2));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${first!.displayName}`);
  // The confirmation does not cover the panel the next call is booked from.
  const notice = (await page.getByTestId('notices').boundingBox())!;
  const side = (await panel.boundingBox())!;
  expect(notice.x + notice.width).toBeLessThanOrEqual(side.x);
  let after = await range('2026-11-25', '2026-11-30');
  const firstBooking = after.bookings.find((b) => b.slotId === expected.id && b.status === 'booked')!;
  expect(firstBooking).toMatchObject({ appointmentTypeId: vacc.id, channel: 'phone' });
  expect(firstBooking.patient.id).toBe(first!.id);

  // The booked time leaves the list: the focus goes to the next one, ready for the next call.
  const next = (await firstFree())[0]!;
  await expect(offered.first()).toHaveAttribute('data-free-slot-id', next.id);
  await expect(offered.first().getByRole('button')).toBeFocused();
  // With a dash: the field says whose number it is before anything is chosen.
  await page.keyboard.press('Enter');
  await page.keyboard.type(dashed(first!.identityNumber));
  await expect(dialog.getByTestId('identity-status')).toHaveText(
    `✓ ${first!.identityNumber.slice(0, 8)}-${first!.identityNumber.slice(8)} · personnummer · ${first!.displayName}`,
  );
  await expectAccessible(page, 'book dialog, patient found', 'all');
  await dialog.screenshot({ path: `${SHOTS}/phone-identity-found.png` });
  // The caller corrects herself: another number typed over it and Enter at once books that one.
  await page.keyboard.press('Control+A');
  await page.keyboard.type(second!.identityNumber.slice(2));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  after = await range('2026-11-25', '2026-11-30');
  const secondBooking = after.bookings.find((b) => b.slotId === next.id && b.status === 'booked')!;
  expect(secondBooking.patient.id).toBe(second!.id);

  // The first caller cancels: Avboka …, a reason code by its first letters, Enter in the text.
  const booking = page.getByTestId('booking-dialog');
  await page.locator(`[data-booking-id="${firstBooking.id}"]`).focus();
  await page.keyboard.press('Enter');
  await booking.getByRole('button', { name: 'Avboka …' }).focus();
  await page.keyboard.press('Enter');
  await expect(booking.getByLabel('Orsakskod')).toBeFocused();
  await page.keyboard.type('Patienten är');
  await expect(booking.getByLabel('Orsakskod')).toHaveValue('SJUK');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Feber');
  await page.keyboard.press('Enter');
  await expect(booking).toBeHidden();
  expect(await otherDesk<BookingDetail>('bookings.get', { id: firstBooking.id })).toMatchObject({
    status: 'cancelled',
    cancelReasonCode: 'SJUK',
    cancelReasonText: 'Feber',
  });

  // The second caller wants an earlier time: Boka om … puts the focus on the first time offered.
  await page.locator(`[data-booking-id="${secondBooking.id}"]`).focus();
  await page.keyboard.press('Enter');
  await booking.getByRole('button', { name: 'Boka om …' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rebook-mode')).toContainText(second!.displayName);
  const earlier = offered.first();
  await expect(earlier.getByRole('button')).toBeFocused();
  const earlierId = await earlier.getAttribute('data-free-slot-id');
  await page.screenshot({ path: `${SHOTS}/phone-rebook-first-time.png` });
  await page.keyboard.press('Enter');
  const rebook = page.getByTestId('rebook-dialog');
  await expect(rebook.getByRole('button', { name: 'Boka om' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rebook).toBeHidden();
  const moved = (await range('2026-11-23', '2026-11-30')).bookings.find((b) => b.slotId === earlierId && b.status === 'booked');
  expect(moved?.patient.id).toBe(second!.id);
  expect(moved?.appointmentTypeId).toBe(vacc.id);

  // Escape closes Första lediga tid and gives the focus back to its button.
  await freeButton.focus();
  await page.keyboard.press('Enter');
  await expect(typeField).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(freeButton).toBeFocused();
});

test('rebooking onto a time someone else takes meanwhile: the same offer of next free times, the move made by keyboard', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const lakbes = types.find((x) => x.code === 'LAKBES')!;
  const day = '2026-11-27';
  const r = await range(day, '2026-11-28');
  const target = r.bookings.find(
    (b) =>
      b.status === 'booked' && b.appointmentTypeId === lakbes.id && !b.patient.protectedIdentity && b.startAt > NOW + 72 * HOUR,
  )!;
  await openDesk(page, day);
  await page.locator(`[data-booking-id="${target.id}"]`).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Boka om …' }).focus();
  await page.keyboard.press('Enter');
  const first = page.getByTestId('next-free-panel').locator('[data-free-slot-id]').first();
  await expect(first.getByRole('button')).toBeFocused();
  const wanted = (await first.getAttribute('data-free-slot-id'))!;
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('rebook-dialog');
  await expect(dialog.getByRole('button', { name: 'Boka om' })).toBeFocused();

  // Another desk books the wanted time for someone else; then Enter.
  const other = r.bookings.find((b) => b.patient.id !== target.patient.id && !b.patient.protectedIdentity)!.patient;
  await otherDesk('bookings.book', { slotId: wanted, patientId: other.id, appointmentTypeId: lakbes.id });
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('Tiden är redan bokad – någon annan hann före');
  const offered = dialog.getByTestId('taken-alternatives').locator('[data-free-slot-id]');
  await expect(offered.first()).toBeFocused();
  const instead = (await offered.first().getAttribute('data-free-slot-id'))!;
  expect(instead).not.toBe(wanted);
  await expectAccessible(page, 'rebook dialog, time taken', 'all');
  await dialog.screenshot({ path: `${SHOTS}/phone-rebook-taken.png` });
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('taken-alternatives')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Boka om' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  const old = await otherDesk<BookingDetail>('bookings.get', { id: target.id });
  expect(old.status).toBe('rebooked');
  const moved = await otherDesk<BookingDetail>('bookings.get', { id: old.rebookedTo! });
  expect(moved).toMatchObject({ slotId: instead, appointmentTypeId: lakbes.id });
  expect(moved.patient.id).toBe(target.patient.id);
});

test('a name and Enter goes to the hits; Ctrl+Enter books from the note; the help lists it', async ({ page }) => {
  const day = '2026-11-30';
  const r = await range(day, '2026-12-01');
  const slot = freeOf(r).sort((a, b) => a.startAt - b.startAt)[0]!;
  const caller = r.bookings.find((b) => b.status === 'booked' && !b.patient.protectedIdentity)!.patient;
  await openDesk(page, day);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await page.keyboard.type(caller.displayName);
  // Namesakes are common: the hit is told by its number.
  const number = `${caller.identityNumber.slice(0, 8)}-${caller.identityNumber.slice(8)}`;
  const hit = dialog.getByRole('button', { name: new RegExp(`${caller.displayName}.*${number}`) });
  await expect(hit).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('Välj en patient eller skriv ett giltigt personnummer.');
  await expect(dialog.locator('.tb-results button').first()).toBeFocused();
  await hit.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('chosen-patient')).toContainText(caller.displayName);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByLabel('Anteckning').focus();
  await page.keyboard.type('Ring före 08:00');
  await page.keyboard.press('Control+Enter');
  await expect(dialog).toBeHidden();
  const booked = (await range(day, '2026-12-01')).bookings.find((b) => b.slotId === slot.id && b.status === 'booked');
  expect(booked?.patient.id).toBe(caller.id);
  expect(booked?.note).toBe('Ring före 08:00');

  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help.getByRole('row', { name: /Ctrl \+ Enter/ })).toContainText('Bekräfta dialogen var du än står');
  await expectAccessible(page, 'help overlay', 'all');
  await help.screenshot({ path: `${SHOTS}/phone-help.png` });
});

test('a new patient registered in the dialog whose time was taken meanwhile: booked on another time, registered once', async ({
  page,
}) => {
  // Skatteverket's check digit: Luhn over the ten-digit form's first nine digits.
  const nine = '770412123';
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  const ten = `${nine}${(10 - (sum % 10)) % 10}`;
  const day = '2026-12-01';
  const r = await range(day, '2026-12-02');
  const slot = freeOf(r).sort((a, b) => a.startAt - b.startAt)[0]!;
  const someone = r.bookings.find((b) => !b.patient.protectedIdentity)!.patient;
  await openDesk(page, day);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await page.keyboard.type(ten);
  const fresh = dialog.getByTestId('new-patient');
  await fresh.getByLabel('Förnamn').fill('Ny');
  await fresh.getByLabel('Efternamn').fill('Ringsson');
  const typeId = await dialog.getByLabel('Besökstyp').inputValue();
  await otherDesk('bookings.book', { slotId: slot.id, patientId: someone.id, appointmentTypeId: typeId });
  await page.keyboard.press('Control+Enter');
  const offered = dialog.getByTestId('taken-alternatives').locator('[data-free-slot-id]');
  await expect(offered.first()).toBeFocused();
  const instead = (await offered.first().getAttribute('data-free-slot-id'))!;
  // Registered already: the dialog now holds the patient, not the form for a new one.
  await expect(dialog.getByTestId('chosen-patient')).toContainText('Ny Ringsson');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const found = await otherDesk<{ id: string; identityNumber: string }[]>('patients.search', { query: ten });
  expect(found.map((p) => p.identityNumber)).toEqual([`19${ten}`]);
  const booked = await range(day, '2026-12-10');
  expect(booked.bookings.find((b) => b.slotId === instead && b.status === 'booked')?.patient.id).toBe(found[0]!.id);
});

test('Sök patient: a personnummer and Enter opens that patient, also when typed over another and Enter pressed at once', async ({
  page,
}) => {
  const r = await range('2026-11-23', '2026-11-30');
  const [a, b] = [
    ...new Map(r.bookings.filter((x) => !x.patient.protectedIdentity).map((x) => [x.patient.id, x.patient])).values(),
  ].slice(-2);
  await openDesk(page, '2026-11-23');
  await page.getByRole('heading', { level: 1 }).click(); // out of the date field: shortcuts sleep while typing
  await page.keyboard.press('s');
  const search = page.getByTestId('patient-search');
  const field = search.getByLabel('Personnummer eller namn');
  await expect(field).toBeFocused();
  await page.keyboard.type(`${a!.identityNumber.slice(2, 8)}-${a!.identityNumber.slice(8)}`);
  await expect(search.getByRole('button', { name: new RegExp(a!.displayName) })).toBeVisible();
  await page.keyboard.press('Enter');
  const view = page.getByTestId('patient-dialog');
  await expect(view).toContainText(a!.displayName);
  await page.keyboard.press('Escape');
  await expect(view).toBeHidden();

  await page.keyboard.press('s');
  await page.keyboard.type(a!.identityNumber.slice(2));
  await expect(search.getByRole('button', { name: new RegExp(a!.displayName) })).toBeVisible();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(b!.identityNumber.slice(2));
  await page.keyboard.press('Enter');
  await expect(view).toContainText(b!.displayName);
  await expect(view).not.toContainText(a!.displayName);
});

test('a stray Escape does not throw away a chosen patient and a typed note: the dialog asks, keeps them, and a second Escape closes', async ({
  page,
}) => {
  const day = '2026-11-27';
  const r = await range(day, '2026-11-28');
  const [slot, other] = freeOf(r).sort((a, b) => a.startAt - b.startAt);
  const patient = r.bookings.find((b) => b.status === 'booked' && !b.patient.protectedIdentity)!.patient;
  await openDesk(page, day);
  await page.locator(`[data-slot-id="${slot!.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await page.keyboard.type(patient.identityNumber);
  await dialog.getByRole('button', { name: new RegExp(patient.displayName) }).click();
  await dialog.getByLabel('Anteckning').fill('Ring 30 min innan');

  await page.keyboard.press('Escape');
  const question = dialog.getByTestId('discard-question');
  await expect(question).toContainText('sparas inte');
  await expect(question.getByRole('button', { name: 'Fortsätt' })).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/phone-discard-question.png` });
  await expectAccessible(page, 'discard question', 'all');
  await page.keyboard.press('Enter'); // keep editing
  await expect(question).toHaveCount(0);
  await expect(dialog.getByLabel('Anteckning')).toHaveValue('Ring 30 min innan');
  await expect(dialog).toContainText(patient.displayName);

  // Deliberately: Escape twice closes, nothing booked.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await range(day, '2026-11-28')).bookings.some((b) => b.slotId === slot!.id)).toBe(false);

  // Nothing chosen or written: Escape closes at once.
  await page.locator(`[data-slot-id="${other!.id}"]`).click();
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a number typed and Enter twice on a time offering several types: the patient stays chosen, the focus moves on to Besökstyp and Boka, and the booking is made by keyboard alone', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const day = '2026-12-02';
  const r = await range(day, '2026-12-03');
  // Clicked in the calendar with no type filter: the time's types are all open.
  const slot = freeOf(r)
    .filter((s) => s.appointmentTypeIds.length > 1 && s.startAt > NOW + 72 * HOUR)
    .sort((a, b) => a.startAt - b.startAt)[0]!;
  const listedFirst = types.find((x) => x.id === slot.appointmentTypeIds[0])!;
  // A caller with no time that day, so no rule about a patient's other times interferes.
  const busy = new Set(r.bookings.map((b) => b.patient.id));
  const caller = (await range('2026-11-23', '2026-11-30')).bookings.find(
    (b) => !b.patient.protectedIdentity && !busy.has(b.patient.id),
  )!.patient;
  const number = `${caller.identityNumber.slice(0, 8)}-${caller.identityNumber.slice(8)}`;

  await openDesk(page, day);
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  const dialog = page.getByTestId('book-dialog');
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toBeFocused();
  await page.keyboard.type(`${caller.identityNumber.slice(2, 8)}-${caller.identityNumber.slice(8)}`);
  await page.keyboard.press('Enter');
  // The first Enter takes the patient and books nothing: which of the time's types is still open.
  const chosen = dialog.getByTestId('chosen-patient');
  const typeField = dialog.getByLabel('Besökstyp');
  await expect(chosen).toContainText(caller.displayName);
  await expect(typeField).toBeFocused();
  await expect(typeField).toHaveAccessibleDescription('Tiden erbjuder flera besökstyper: välj vilken och tryck Enter.');
  // A screen reader hears who was chosen, though the focus is on the type.
  await expect(dialog.getByTestId('chosen-announcement')).toHaveText(`Vald patient: ${caller.displayName}, ${number}`);
  expect((await range(day, '2026-12-03')).bookings.some((b) => b.slotId === slot.id)).toBe(false);
  await expectAccessible(page, 'book dialog, patient chosen, type open', 'all');
  await dialog.screenshot({ path: `${SHOTS}/phone-patient-chosen-type-open.png` });

  // The second Enter takes the listed type; the patient is still chosen, Byt patient untouched.
  await page.keyboard.press('Enter');
  await expect(chosen).toContainText(caller.displayName);
  await expect(dialog.getByLabel('Patient (personnummer eller namn)')).toHaveCount(0);
  await expect(typeField).toHaveValue(listedFirst.id);
  await expect(typeField).not.toHaveAttribute('aria-describedby');
  const boka = dialog.getByRole('button', { name: 'Boka', exact: true });
  if (listedFirst.contactModes.length > 1) {
    // Several contact modes: asked next, Enter takes the one shown.
    await expect(dialog.getByLabel('Kontaktsätt')).toBeFocused();
    await page.keyboard.press('Enter');
  }
  await expect(boka).toBeFocused();
  await dialog.screenshot({ path: `${SHOTS}/phone-patient-chosen-boka.png` });
  // Byt patient is still there for Shift+Tab, back past the type.
  await typeField.focus();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Byt patient' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(typeField).toBeFocused();
  await page.keyboard.press('Enter');
  if (listedFirst.contactModes.length > 1) await page.keyboard.press('Enter');
  await expect(boka).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('notices')).toContainText(`Bokad: ${caller.displayName}`);
  const booked = (await range(day, '2026-12-03')).bookings.find((b) => b.slotId === slot.id && b.status === 'booked');
  expect(booked).toMatchObject({ appointmentTypeId: listedFirst.id, contactMode: listedFirst.contactModes[0], channel: 'phone' });
  expect(booked?.patient.id).toBe(caller.id);
});

test('a hit chosen by keyboard on a type with two contact modes and a required reason: the focus goes to Kontaktsätt, then the reason, and Ctrl+Enter books', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const samt = types.find((x) => x.code === 'SAMT')!;
  expect(samt.contactModes).toEqual(['physical', 'video']);
  await otherDesk('appointmentTypes.update', { id: samt.id, reasonNew: 'mandatory' });
  try {
    const r = await range('2026-12-01', '2026-12-05');
    const slot = freeOf(r)
      .filter((s) => s.appointmentTypeIds.length === 1 && s.appointmentTypeIds[0] === samt.id && s.startAt > NOW + 72 * HOUR)
      .sort((a, b) => a.startAt - b.startAt)[0]!;
    const busy = new Set(r.bookings.map((b) => b.patient.id));
    const caller = (await range('2026-11-23', '2026-11-30')).bookings.find(
      (b) => !b.patient.protectedIdentity && !busy.has(b.patient.id),
    )!.patient;
    await openDesk(page, wallDate(slot.startAt));
    await page.locator(`[data-slot-id="${slot.id}"]`).click();
    const dialog = page.getByTestId('book-dialog');
    await page.keyboard.type(caller.identityNumber.slice(2));
    const hit = dialog.getByRole('button', { name: new RegExp(caller.displayName) });
    await expect(hit).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(hit).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('chosen-patient')).toContainText(caller.displayName);
    // One type, given by the time: on to the contact mode, then the reason the type now requires.
    await expect(dialog.getByLabel('Kontaktsätt')).toBeFocused();
    await page.keyboard.press('Enter');
    const code = dialog.getByLabel('Orsakskod');
    await expect(code).toBeFocused();
    await page.keyboard.type('Patienten är');
    await expect(code).toHaveValue('SJUK');
    await page.keyboard.press('Control+Enter');
    await expect(dialog).toBeHidden();
    const booked = (await range('2026-12-01', '2026-12-05')).bookings.find((b) => b.slotId === slot.id && b.status === 'booked');
    expect(booked).toMatchObject({ appointmentTypeId: samt.id, contactMode: 'physical' });
    expect(booked?.patient.id).toBe(caller.id);
    expect(await otherDesk<BookingDetail>('bookings.get', { id: booked!.id })).toMatchObject({ reasonCode: 'SJUK' });
  } finally {
    await otherDesk('appointmentTypes.update', { id: samt.id, reasonNew: 'optional' });
  }
});

test('a number typed and Enter on a type that requires a reason: the patient is chosen (no stop at the empty reason), nothing booked, the focus goes on to Kontaktsätt and the reason', async ({
  page,
}) => {
  const types = await otherDesk<AppointmentType[]>('appointmentTypes.list', {});
  const samt = types.find((x) => x.code === 'SAMT')!;
  expect(samt.contactModes).toEqual(['physical', 'video']);
  await otherDesk('appointmentTypes.update', { id: samt.id, reasonNew: 'mandatory' });
  try {
    const r = await range('2026-12-07', '2026-12-12');
    const slot = freeOf(r)
      .filter((s) => s.appointmentTypeIds.length === 1 && s.appointmentTypeIds[0] === samt.id)
      .sort((a, b) => a.startAt - b.startAt)[0]!;
    const busy = new Set(r.bookings.map((b) => b.patient.id));
    const caller = (await range('2026-11-23', '2026-11-30')).bookings.find(
      (b) => !b.patient.protectedIdentity && !busy.has(b.patient.id),
    )!.patient;
    await openDesk(page, wallDate(slot.startAt));
    await page.locator(`[data-slot-id="${slot.id}"]`).click();
    const dialog = page.getByTestId('book-dialog');
    const field = dialog.getByLabel('Patient (personnummer eller namn)');
    await expect(field).toBeFocused();
    // Typed and Enter at once, before the look-ups as you type caught up.
    await page.keyboard.type(`${caller.identityNumber.slice(2, 8)}-${caller.identityNumber.slice(8)}`);
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('chosen-patient')).toContainText(caller.displayName);
    await expect(dialog.getByLabel('Kontaktsätt')).toBeFocused();
    // The browser's own "fill in this field" never came up: the reason is untouched and still to fill.
    expect(await dialog.getByLabel('Orsakskod').evaluate((el: HTMLSelectElement) => el.matches(':user-invalid'))).toBe(false);
    expect((await range('2026-12-07', '2026-12-12')).bookings.some((b) => b.slotId === slot.id)).toBe(false);
    await dialog.screenshot({ path: `${SHOTS}/phone-enter-required-reason.png` });
    await page.keyboard.press('Enter');
    const code = dialog.getByLabel('Orsakskod');
    await expect(code).toBeFocused();
    await page.keyboard.type('Patienten är');
    await page.keyboard.press('Control+Enter');
    await expect(dialog).toBeHidden();
    const booked = (await range('2026-12-07', '2026-12-12')).bookings.find((b) => b.slotId === slot.id && b.status === 'booked');
    expect(booked?.patient.id).toBe(caller.id);
    expect(await otherDesk<BookingDetail>('bookings.get', { id: booked!.id })).toMatchObject({ reasonCode: 'SJUK' });
  } finally {
    await otherDesk('appointmentTypes.update', { id: samt.id, reasonNew: 'optional' });
  }
});
