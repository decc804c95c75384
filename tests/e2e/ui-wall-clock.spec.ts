// Wall-clock edges in the scheduler's forms, in Chromium against the web shell (Monday 2026-10-19):
// a single slot in the first pass of the doubled autumn hour (the form asks which 02:20 only for a
// time in that hour), one across the change itself (02:40 sommartid–02:10 vintertid: 30 real
// minutes, said instead of asked, drawn from 02:40 down), and a template ending 24:00. Instants are checked through the api, worked out
// by hand: summer time (+02:00) ends 2026-10-25 at 03:00, when the clock shows 02:00 again (+01:00).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { RECEPTIONIST, SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { CalendarRange, Resource } from '../../src-main/api/types.ts';
import type { Absence } from '../../src-main/api/methods/scheduling.ts';
import type { ScheduleTemplate } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-10-19T09:10:00+02:00';
const SHOTS = process.env['WALLCLOCK_SHOTS'];
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
};
const iso = (ms: number) => new Date(ms).toISOString();
const resource = async (name: string) => (await api<Resource[]>('resources.list', {})).find((r) => r.name === name)!;

/** The scheduler's form for one new slot of a resource, opened from Schemamallar. */
async function newSlotForm(page: Page, resourceId: string) {
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/templates');
  await page.getByLabel('Resurs').selectOption(resourceId);
  await page.getByRole('button', { name: 'Ny enstaka tid' }).click();
  return page.getByTestId('slot-form');
}

test('a single slot at 02:20 sommartid, the first of the two 02:20 the autumn night has', async ({ page }) => {
  const erik = await resource('Erik Johansson');
  const form = await newSlotForm(page, erik.id);
  await form.getByLabel('Datum').fill('2026-10-25');
  await form.getByLabel('Från kl.').fill('10:00');
  await form.getByLabel('Till kl.').fill('10:30');
  // A time shown once: no question.
  await expect(form.getByTestId('slot-pass')).toHaveCount(0);
  await form.getByLabel('Från kl.').fill('02:20');
  await form.getByLabel('Till kl.').fill('02:50');
  const pass = form.getByTestId('slot-pass');
  await expect(pass.locator('legend')).toHaveText('Vilken 02:20?');
  await expect(pass).toContainText(
    'Klockan visar 02:20 två gånger natten då vintertiden börjar: först sommartid, sedan vintertid.',
  );
  const summer = pass.getByRole('radio', { name: '02:20 sommartid (första gången)' });
  const winter = pass.getByRole('radio', { name: '02:20 vintertid (andra gången)' });
  await expect(summer).not.toBeChecked();
  await expect(winter).not.toBeChecked();
  await form.getByRole('checkbox', { name: 'Läkarbesök' }).check();
  await summer.check();
  await expectAccessible(page, 'new slot, doubled hour');
  await shot(page, 'slot-form-doubled-hour');
  // The day after, 02:20 is shown once: the question goes.
  await form.getByLabel('Datum').fill('2026-10-26');
  await expect(form.getByTestId('slot-pass')).toHaveCount(0);
  await form.getByLabel('Datum').fill('2026-10-25');
  await pass.getByRole('radio', { name: '02:20 sommartid (första gången)' }).check();
  await form.getByRole('button', { name: 'Lägg till tiden' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'lades till' })).toContainText('02:20 (sommartid)–02:50');
  const night = await api<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [erik.id] });
  const laid = night.slots.filter((s) => s.startAt < Date.parse('2026-10-25T06:00:00Z'));
  expect(laid.map((s) => [iso(s.startAt), iso(s.endAt)])).toEqual([['2026-10-25T00:20:00.000Z', '2026-10-25T00:50:00.000Z']]);

  // The same time again in the first pass overlaps it, said in Swedish in the form.
  await page.getByRole('button', { name: 'Ny enstaka tid' }).click();
  await form.getByLabel('Datum').fill('2026-10-25');
  await form.getByLabel('Från kl.').fill('02:20');
  await form.getByLabel('Till kl.').fill('02:50');
  await form.getByRole('checkbox', { name: 'Läkarbesök' }).check();
  await form.getByRole('radio', { name: '02:20 sommartid (första gången)' }).check();
  await form.getByRole('button', { name: 'Lägg till tiden' }).click();
  await expect(form.getByRole('alert')).toHaveText('Resursen har redan en tid som överlappar den nya.');
  // Vintertid, the second 02:20, is another time.
  await form.getByRole('radio', { name: '02:20 vintertid (andra gången)' }).check();
  await form.getByRole('button', { name: 'Lägg till tiden' }).click();
  await expect(form).toBeHidden();
  const after = await api<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [erik.id] });
  expect(after.slots.filter((s) => s.startAt < Date.parse('2026-10-25T06:00:00Z')).map((s) => iso(s.startAt))).toEqual([
    '2026-10-25T00:20:00.000Z',
    '2026-10-25T01:20:00.000Z',
  ]);
  // Both are in the calendar that night.
  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await page.locator('input[type="date"]').first().fill('2026-10-25');
  // Side by side (they share the wall clock's minutes) but not a conflict: an hour apart in real time.
  for (const s of after.slots.filter((x) => x.startAt < Date.parse('2026-10-25T06:00:00Z'))) {
    await expect(page.locator(`[data-slot-id="${s.id}"]`)).toBeVisible();
    await expect(page.locator(`[data-slot-id="${s.id}"]`)).not.toHaveClass(/tb-conflict/);
  }
  // Both read 02:20: each says which one it is, on screen and in its accessible name.
  const [first, second] = after.slots.filter((x) => x.startAt < Date.parse('2026-10-25T06:00:00Z'));
  await expect(page.locator(`[data-slot-id="${first!.id}"]`)).toHaveAttribute('data-time', '02:20 (sommartid)');
  await expect(page.locator(`[data-slot-id="${second!.id}"]`)).toHaveAttribute('aria-label', /^Ledig 02:20 \(vintertid\)–02:50/);
  await shot(page, 'calendar-doubled-hour');
});

test('02:40–02:10 the autumn night is one 30-minute time across the change, said, laid and drawn', async ({ page }) => {
  // Anna: Erik holds the 02:20 sommartid time the test above lays.
  const anna = await resource('Anna Lindqvist');
  const form = await newSlotForm(page, anna.id);
  await form.getByLabel('Datum').fill('2026-10-25');
  await form.getByLabel('Från kl.').fill('02:40');
  await form.getByLabel('Till kl.').fill('02:10');
  // Nothing to ask: only 02:40 sommartid puts an end at 02:10 after it.
  await expect(form.getByTestId('slot-pass')).toHaveCount(0);
  await expect(form.getByTestId('slot-across')).toHaveText(
    'Tiden går över omställningen: 02:40 sommartid till 02:10 vintertid, 30 minuter.',
  );
  await form.getByRole('checkbox', { name: 'Läkarbesök' }).check();
  await expectAccessible(page, 'new slot across the change');
  if (SHOTS) await form.screenshot({ path: `${SHOTS}/slot-form-across.png` });
  await form.getByRole('button', { name: 'Lägg till tiden' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'lades till' })).toContainText('02:40 (sommartid)–02:10 (vintertid)');
  const night = await api<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [anna.id] });
  const laid = night.slots.filter((s) => s.startAt < Date.parse('2026-10-25T06:00:00Z'));
  expect(laid.map((s) => [iso(s.startAt), iso(s.endAt)])).toEqual([['2026-10-25T00:40:00.000Z', '2026-10-25T01:10:00.000Z']]);

  // The end alone in the doubled hour is still asked for (01:30–02:30: which 02:30?).
  await page.getByRole('button', { name: 'Ny enstaka tid' }).click();
  await form.getByLabel('Datum').fill('2026-10-25');
  await form.getByLabel('Från kl.').fill('01:30');
  await form.getByLabel('Till kl.').fill('02:30');
  await expect(form.getByTestId('slot-pass').locator('legend')).toHaveText('Vilken 02:30?');
  await expect(form.getByTestId('slot-across')).toHaveCount(0);
  await form.getByRole('button', { name: 'Avbryt' }).click();

  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await page.locator('input[type="date"]').first().fill('2026-10-25');
  const item = page.locator(`[data-slot-id="${laid[0]!.id}"]`);
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute('aria-label', /^Ledig 02:40 \(sommartid\)–02:10 \(vintertid\), Anna Lindqvist/);
  // Drawn downwards from 02:40 (to 03:00, where the first pass ends), not with a negative height.
  const box = (await item.boundingBox())!;
  expect(box.height).toBeGreaterThan(8);
  await shot(page, 'calendar-across');
});

test('the booking dialog and Frånvaro name the pass of a time in the doubled hour', async ({ page }) => {
  // The times the two tests above laid: Erik's 02:20 sommartid and vintertid, Anna's across the change.
  const [erik, anna] = [await resource('Erik Johansson'), await resource('Anna Lindqvist')];
  const night = await api<CalendarRange>('calendar.range', {
    from: '2026-10-25',
    to: '2026-10-26',
    resourceIds: [erik.id, anna.id],
  });
  const early = night.slots.filter((s) => s.startAt < Date.parse('2026-10-25T06:00:00Z'));
  const byStart = (z: string) => early.find((s) => iso(s.startAt) === z)!;
  await page.setViewportSize({ width: 1366, height: 768 });
  await signInAs(page, shell, RECEPTIONIST, MONDAY, '#/calendar');
  await page.locator('input[type="date"]').first().fill('2026-10-25');
  const dialog = page.getByTestId('book-dialog');
  // The two 02:20 read differently, each with its pass.
  for (const [start, reads] of [
    ['2026-10-25T00:20:00.000Z', 'sön 25 okt 2026 02:20 (sommartid)–02:50 (sommartid)'],
    ['2026-10-25T01:20:00.000Z', 'sön 25 okt 2026 02:20 (vintertid)–02:50 (vintertid)'],
  ] as const) {
    await page.locator(`[data-slot-id="${byStart(start).id}"]`).click();
    await expect(dialog.getByTestId('book-slot')).toContainText(`${reads} · Erik Johansson`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }
  await page.locator(`[data-slot-id="${byStart('2026-10-25T00:40:00.000Z').id}"]`).click();
  await expect(dialog.getByTestId('book-slot')).toContainText(
    'sön 25 okt 2026 02:40 (sommartid)–02:10 (vintertid) · Anna Lindqvist',
  );
  await expectAccessible(page, 'book dialog across the change');
  await shot(page, 'book-dialog-across');
  await page.keyboard.press('Escape');

  // An absence "02:30–02:45" that night holds every moment the clock reads inside it: from the
  // first 02:30 to the second 02:45, 75 minutes; the list says so.
  const maria = await resource('Maria Berg');
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/absences');
  const form = page.getByTestId('absence-form');
  await form.getByLabel('Resurs').selectOption(maria.id);
  await form.getByLabel('Från datum').fill('2026-10-25');
  await form.getByLabel('Från kl. (valfritt)').fill('02:30');
  await form.getByLabel('Till datum').fill('2026-10-25');
  await form.getByLabel('Till kl. (valfritt)').fill('02:45');
  await form.getByLabel('Orsak').fill('Nattlarm');
  await form.getByRole('button', { name: 'Registrera frånvaro' }).click();
  const row = page.getByTestId('absences-table').locator('tbody tr', { hasText: 'Nattlarm' });
  await expect(row).toContainText('sön 25 okt 2026 02:30 (sommartid)–02:45 (vintertid)');
  const [absence] = (await api<Absence[]>('absences.list', { resourceId: maria.id })).filter((a) => a.reason === 'Nattlarm');
  expect([iso(absence!.startAt), iso(absence!.endAt)]).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:45:00.000Z']);
  await expectAccessible(page, 'absence in the doubled hour');
  await shot(page, 'absences-doubled-hour');
});

test('a template 20:00–24:00: midnight is a checkbox beside the end, the list reads 20:00–24:00', async ({ page }) => {
  const maria = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Maria Berg')!;
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/templates');
  await page.getByLabel('Resurs').selectOption(maria.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const tpl = page.getByTestId('template-form');
  await tpl.getByLabel('Namn').fill('Kvällsjour');
  for (const d of ['mån', 'tis', 'ons', 'tors', 'fre']) await tpl.getByRole('checkbox', { name: d, exact: true }).uncheck();
  await tpl.getByRole('checkbox', { name: 'sön', exact: true }).check();
  await tpl.getByLabel('Från kl.').fill('20:00');
  await tpl.getByRole('checkbox', { name: 'Till midnatt (24:00)' }).check();
  await expect(tpl.getByLabel('Till kl.')).toHaveValue('24:00');
  await tpl.getByLabel('Tidslängd (min)').fill('60');
  await tpl.locator('.tb-check-grid input[type=checkbox]').first().check();
  const preview = tpl.getByTestId('template-preview');
  // Four Sundays in the four weeks shown, 25 October (the autumn change) among them: 20, 21, 22, 23.
  await expect(preview).toContainText('16 tider');
  await expect(preview).toContainText('4 tider 20:00–23:00');
  await expectAccessible(page, 'template form, until midnight');
  await shot(page, 'template-form-24');
  await tpl.getByRole('button', { name: 'Spara och lägg ut tider' }).click();
  await expect(tpl).toBeHidden();
  await expect(page.getByTestId('templates-table')).toContainText('Kvällsjour');
  await expect(page.getByTestId('templates-table').getByRole('row', { name: /Kvällsjour/ })).toContainText('20:00–24:00');
  await shot(page, 'templates-list-24');
  const saved = (await api<ScheduleTemplate[]>('templates.list', { resourceId: maria.id })).find((x) => x.name === 'Kvällsjour')!;
  expect(saved).toMatchObject({ startTime: '20:00', endTime: '24:00', slotMin: 60 });
  const autumn = await api<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [maria.id] });
  const evening = autumn.slots.filter((s) => s.templateId === saved.id).map((s) => [iso(s.startAt), iso(s.endAt)]);
  expect(evening.at(-1)).toEqual(['2026-10-25T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  expect(evening).toHaveLength(4);
  // Unticked, the end is a time field again.
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  await tpl.getByRole('checkbox', { name: 'Till midnatt (24:00)' }).check();
  await tpl.getByRole('checkbox', { name: 'Till midnatt (24:00)' }).uncheck();
  await expect(tpl.getByLabel('Till kl.')).toHaveAttribute('type', 'time');
});
