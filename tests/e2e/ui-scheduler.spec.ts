// The scheduler's screens in Chromium against the web shell, each checked in the data afterwards:
// create an appointment type, lay a schedule template (live preview skips Christmas) and see its
// slots in the calendar, register an absence and move every affected booking in one step.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { AppointmentType, CalendarRange, Resource } from '../../src-main/api/types.ts';
import type { BookingDetail } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

/** The api as the scheduler, in a session of its own (the browser signs out of the demo's). */
const api = apiAs(() => shell, 'schema', 'demo-schema');

const openAsScheduler = (page: Page, hash: string) => signInAs(page, shell, SCHEDULER, MONDAY, hash);

test('create an appointment type with its rules, then a template: its slots appear, holidays skipped', async ({ page }) => {
  await openAsScheduler(page, '#/appointmentTypes');
  await expect(page.getByTestId('types-table').locator('tbody tr')).toHaveCount(10);
  await expectAccessible(page, 'appointment types');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-types.png' });

  await page.getByRole('button', { name: 'Ny besökstyp' }).click();
  const form = page.getByTestId('type-form');
  await form.getByLabel('Kod').fill('HUDMOTT');
  await form.getByLabel('Namn (svenska)').fill('Hudmottagning');
  await form.getByLabel('Namn (engelska)').fill('Skin clinic');
  await form.getByLabel('Längd (minuter)').fill('20');
  await form.getByRole('checkbox', { name: 'Video' }).check();
  await form.getByRole('checkbox', { name: 'Psykolog' }).check();
  await form.getByRole('checkbox', { name: 'Kan bokas på webben' }).check();
  await form.getByLabel('Avbokning senast (timmar före)').fill('48');
  await form.getByLabel('Vid avbokning').selectOption('mandatory');
  await form.getByRole('button', { name: 'Lägg till orsakskod' }).click();
  await form.getByRole('textbox', { name: 'Kod', exact: true }).last().fill('FORHINDER');
  await form.getByLabel('Text (svenska)').fill('Förhinder');
  await form.getByLabel('Text (engelska)').fill('Prevented');
  await expectAccessible(page, 'type form');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-type-form.png' });
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form).toBeHidden();
  await expect(page.locator('[data-type-code="HUDMOTT"]')).toBeVisible();
  const type = (await api<AppointmentType[]>('appointmentTypes.list', {})).find((x) => x.code === 'HUDMOTT')!;
  expect(type).toMatchObject({
    durationMin: 20,
    contactModes: ['physical', 'video'],
    professions: ['psykolog'],
    webBookable: true,
    cancelCutoffH: 48,
    reasonCancel: 'mandatory',
    reasonCodes: [{ code: 'FORHINDER', textSv: 'Förhinder', textEn: 'Prevented' }],
  });

  // A template for Lena Holm (psychologist, free on Mondays and Fridays) from mid-December.
  await page.evaluate(() => (window.location.hash = '#/templates'));
  const lena = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Lena Holm')!;
  await page.getByLabel('Resurs').selectOption(lena.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const tpl = page.getByTestId('template-form');
  await tpl.getByLabel('Namn').fill('Hud mån/fre');
  for (const d of ['tis', 'ons', 'tors']) await tpl.getByRole('checkbox', { name: d, exact: true }).uncheck();
  await tpl.getByLabel('Gäller från').fill('2026-12-14');
  await tpl.getByLabel('Från kl.').fill('13:00');
  await tpl.getByLabel('Till kl.').fill('15:00');
  // Only types a psychologist may perform are offered; a slot shorter than the type is named.
  await expect(tpl.getByRole('checkbox', { name: 'Läkarbesök' })).toHaveCount(0);
  await expect(tpl.getByRole('checkbox', { name: 'Samtalsbehandling' })).toBeVisible();
  await tpl.getByLabel('Tidslängd (min)').fill('15');
  await tpl.getByRole('checkbox', { name: 'Hudmottagning' }).check();
  const preview = tpl.getByTestId('template-preview');
  await expect(preview.getByRole('alert')).toHaveText('Hudmottagning tar 20 minuter men tiden är 15 minuter.');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-template-form-too-short.png' });
  await tpl.getByLabel('Tidslängd (min)').fill('20');
  await expect(preview.getByRole('alert')).toHaveCount(0);
  // Mondays and Fridays over four weeks, six slots a day, minus Christmas Day and New Year's Day.
  await expect(preview).toContainText('36 tider');
  await expect(preview).toContainText('Helgdag: juldagen');
  await expect(preview).toContainText('Helgdag: nyårsdagen');
  await expectAccessible(page, 'template form');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-template-form.png' });
  await tpl.getByRole('button', { name: 'Spara och lägg ut tider' }).click();
  await expect(tpl).toBeHidden();
  await expect(page.getByTestId('templates-table')).toContainText('Hud mån/fre');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-templates.png' });
  await expectAccessible(page, 'templates');

  const monday = await api<CalendarRange>('calendar.range', { from: '2026-12-14', to: '2026-12-15', resourceIds: [lena.id] });
  const created = monday.slots.filter((s) => s.appointmentTypeIds.includes(type.id));
  expect(created).toHaveLength(6);
  const christmas = await api<CalendarRange>('calendar.range', { from: '2026-12-25', to: '2026-12-26', resourceIds: [lena.id] });
  expect(christmas.slots).toHaveLength(0);

  // And the calendar shows them.
  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await page.locator('input[type="date"]').first().fill('2026-12-14');
  for (const s of created) await expect(page.locator(`[data-slot-id="${s.id}"]`)).toBeVisible();
});

test('the template preview says what the clock change does to a night template', async ({ page }) => {
  await openAsScheduler(page, '#/templates');
  const anna = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
  await page.getByLabel('Resurs').selectOption(anna.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const tpl = page.getByTestId('template-form');
  for (const d of ['mån', 'tis', 'ons', 'tors', 'fre']) await tpl.getByRole('checkbox', { name: d, exact: true }).uncheck();
  await tpl.getByRole('checkbox', { name: 'sön', exact: true }).check();
  // Sunday 2027-10-31: summer time ends at 03:00, the clock shows 02:00–02:59 twice.
  await tpl.getByLabel('Gäller från').fill('2027-10-25');
  await tpl.getByLabel('Från kl.').fill('01:30');
  await tpl.getByLabel('Till kl.').fill('03:30');
  await tpl.getByLabel('Tidslängd (min)').fill('30');
  await tpl.getByRole('checkbox', { name: 'Läkarbesök' }).check();
  const note = tpl.getByTestId('preview-clock-change');
  await expect(note).toHaveCount(1);
  await expect(note).toHaveText('Vintertid: 02:00, 02:30 finns två gånger, läggs ut en gång.');
  // The other Sundays have four slots, 31 October too (each start once).
  await expect(tpl.getByTestId('template-preview')).toContainText('4 tider');
  await expectAccessible(page, 'template form over a clock change');
  await tpl.getByTestId('template-preview').screenshot({ path: 'tests/artifacts/screens/ui-template-preview-dst.png' });

  // Sunday 2028-03-26: summer time begins at 02:00. By 45 minutes from 01:00, 02:30 does not exist
  // and 03:15 no longer fits: the 01:45 slot runs to 03:30 summer time.
  await tpl.getByLabel('Gäller från').fill('2028-03-20');
  await tpl.getByLabel('Från kl.').fill('01:00');
  await tpl.getByLabel('Till kl.').fill('04:00');
  await tpl.getByLabel('Tidslängd (min)').fill('45');
  await expect(note).toHaveText('Sommartid: 02:30 finns inte, läggs inte ut.');
  await expect(tpl.getByTestId('preview-clock-displaced')).toHaveText(
    'Sommartid: 03:15 får inte plats när klockan ställs fram, läggs inte ut.',
  );
  await tpl.getByTestId('template-preview').screenshot({ path: 'tests/artifacts/screens/ui-template-preview-spring.png' });
});

test('the template preview names the times the clinician already holds, and counts only what saving lays out', async ({
  page,
}) => {
  await openAsScheduler(page, '#/templates');
  const anna = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
  await page.getByLabel('Resurs').selectOption(anna.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const tpl = page.getByTestId('template-form');
  // Her morning template runs 08:00–12:00 on weekdays: a new 11:00–13:00 overlaps its last hour.
  await tpl.getByLabel('Från kl.').fill('11:00');
  await tpl.getByLabel('Till kl.').fill('13:00');
  await tpl.getByLabel('Tidslängd (min)').fill('30');
  await tpl.getByRole('checkbox', { name: 'Läkarbesök' }).check();
  const held = tpl.getByTestId('preview-held');
  await expect(held.first()).toHaveText('2 upptagna: 11:00, 11:30');
  await expect(tpl.getByText('Upptagna tider har resursen redan')).toBeVisible();
  const preview = await api<{ slots: unknown[]; overlapping: unknown[] }>('templates.preview', {
    template: {
      resourceId: anna.id,
      weekdays: [1, 2, 3, 4, 5],
      everyNWeeks: 1,
      validFrom: '2026-11-23',
      validTo: null,
      startTime: '11:00',
      endTime: '13:00',
      slotMin: 30,
      appointmentTypeIds: [
        (await api<{ id: string; code: string }[]>('appointmentTypes.list', {})).find((x) => x.code === 'LAKBES')!.id,
      ],
      publishWeb: false,
      skipHolidays: true,
    },
    from: '2026-11-23',
    to: '2026-12-21',
  });
  expect(preview.overlapping.length).toBeGreaterThan(0);
  await expect(tpl.getByTestId('template-preview').locator('h3')).toContainText(
    `${preview.slots.length - preview.overlapping.length} tider`,
  );
  await expectAccessible(page, 'template form, times already held');
  await tpl.getByTestId('template-preview').screenshot({ path: 'tests/artifacts/screens/ui-template-preview-held.png' });
});

test('absence: slots blocked, every affected booking rebooked in one step, contact list', async ({ page }) => {
  await openAsScheduler(page, '#/absences');
  const anna = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Anna Lindqvist')!;
  const before = await api<CalendarRange>('calendar.range', { from: '2026-11-26', to: '2026-11-27', resourceIds: [anna.id] });
  const affected = before.bookings.filter((b) => b.status === 'booked');
  expect(affected.length).toBeGreaterThan(2);
  await expectAccessible(page, 'absences');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-absences.png' });

  const form = page.getByTestId('absence-form');
  await form.getByLabel('Resurs').selectOption(anna.id);
  await form.getByLabel('Från datum').fill('2026-11-26');
  await form.getByLabel('Till datum').fill('2026-11-26');
  await form.getByLabel('Orsak').fill('Utbildning');
  await form.getByRole('button', { name: 'Registrera frånvaro' }).click();
  const slotsThatDay = before.slots.filter((s) => s.state === 'open').length;
  await expect(page.getByTestId('notices')).toContainText(
    `${slotsThatDay} tider spärrade, ${affected.length} bokningar behöver bokas om.`,
  );

  const wizard = page.getByTestId('rebook-wizard');
  await expect(wizard.locator('tbody tr')).toHaveCount(affected.length);
  await expectAccessible(page, 'rebooking wizard');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-absence-wizard.png' });
  await wizard.getByRole('button', { name: /^Boka om alla|^Boka om \d+ \(alla\)/ }).click();

  const contacts = page.getByTestId('contact-list');
  await expect(contacts).toBeVisible();
  await expect(contacts.locator('tbody tr')).toHaveCount(affected.length);
  await expectAccessible(page, 'contact list');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-absence-contacts.png' });

  // In the data: every affected booking moved (or, without a proposal, still listed to contact).
  const after = await api<CalendarRange>('calendar.range', { from: '2026-11-26', to: '2026-11-27', resourceIds: [anna.id] });
  expect(after.bookings.filter((b) => b.status === 'booked')).toHaveLength(0);
  expect(after.slots.every((s) => s.state === 'blocked')).toBe(true);
  const moved = await Promise.all(affected.map((b) => api<BookingDetail>('bookings.get', { id: b.id })));
  expect(moved.every((b) => b.status === 'rebooked' && b.rebookedTo !== null)).toBe(true);
});
