// The scheduler edits a schedule template that has bookings, in Chromium against the web shell:
// the same form as a new template, prefilled; a refusal shows the API's message; saving reports
// slots laid out, changed and removed, and lists the booked slots it left, each opening its booking.
// Expected figures come from the data before the edit, never from the screen.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { CalendarRange, Resource, Slot } from '../../src-main/api/types.ts';
import type { ScheduleTemplate, TemplatePreview } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const TODAY = '2026-11-23';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');

const openAsScheduler = (page: Page, hash: string) => signInAs(page, shell, SCHEDULER, MONDAY, hash);

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const wallTime = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' }).format(ms);

/** The resource's live slots and active bookings over [from, to), in the API's 62-day pieces. */
async function book(resourceId: string, from: string, to: string): Promise<Pick<CalendarRange, 'slots' | 'bookings'>> {
  const out: Pick<CalendarRange, 'slots' | 'bookings'> = { slots: [], bookings: [] };
  for (let a = from; a < to; a = addDays(a, 62)) {
    const b = addDays(a, 62) < to ? addDays(a, 62) : to;
    const r = await api<CalendarRange>('calendar.range', { from: a, to: b, resourceIds: [resourceId] });
    out.slots.push(...r.slots);
    out.bookings.push(...r.bookings);
  }
  return out;
}

test('edit a booked template: counts as the data says, booked slots listed and openable, new slots in the calendar', async ({
  page,
}) => {
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  const tpl = (await api<ScheduleTemplate[]>('templates.list', { resourceId: erik.id })).find((x) => x.startTime === '13:00')!;
  expect(tpl).toMatchObject({ endTime: '16:00', slotMin: 30, active: true });

  // The edit: 12:30–15:00 instead of 13:00–16:00. What it must do, from the data before it:
  // future template slots from 15:00 no longer fit (removed when free, reported when booked), and
  // the new definition is laid out over the 12-week horizon where nothing live is in the way.
  const horizonEnd = addDays(TODAY, 12 * 7);
  const before = await book(erik.id, TODAY, horizonEnd);
  const bookedSlot = new Map(before.bookings.map((b) => [b.slotId, b.id]));
  const now = Date.parse(MONDAY);
  const outside = before.slots.filter((s) => s.templateId === tpl.id && s.startAt >= now && wallTime(s.startAt) >= '15:00');
  const expectBooked = outside.filter((s) => bookedSlot.has(s.id)).map((s) => bookedSlot.get(s.id)!);
  const expectRemoved = outside.length - expectBooked.length;
  expect(expectBooked.length).toBeGreaterThan(1);
  expect(expectRemoved).toBeGreaterThan(0);
  const planned = await api<TemplatePreview>('templates.preview', {
    template: { ...tpl, id: undefined, active: undefined, version: undefined, startTime: '12:30', endTime: '15:00' },
    from: TODAY,
    to: horizonEnd,
  });
  const live = (s: { startAt: number; endAt: number }) => (x: Slot) => x.startAt < s.endAt && s.startAt < x.endAt;
  const expectCreated = planned.slots.filter((p) => p.startAt >= now && !before.slots.some(live(p))).length;
  expect(expectCreated).toBeGreaterThan(0);

  await openAsScheduler(page, '#/templates');
  await page.getByLabel('Resurs').selectOption(erik.id);
  await page.getByRole('button', { name: 'Ändra schemamall 13:00–16:00' }).click();
  const form = page.getByTestId('template-form');
  await expect(form.getByRole('heading', { name: 'Ändra schemamall för Erik Johansson' })).toBeVisible();
  await expect(form.getByLabel('Från kl.')).toHaveValue('13:00');
  await expect(form.getByLabel('Tidslängd (min)')).toHaveValue('30');
  await expect(form.getByRole('checkbox', { name: 'Läkarbesök', exact: true })).toBeChecked();
  await expect(form).toContainText('Förhandsvisningen visar mallen efter ändringen; bokade tider ligger kvar.');

  // A refusal: slots too short for the type are refused with the API's Swedish message, nothing saved.
  await form.getByLabel('Tidslängd (min)').fill('15');
  await form.getByRole('button', { name: 'Spara ändringar' }).click();
  // (The footer's error, not the preview's: the API refuses the save itself.)
  await expect(form.locator('form > p.tb-form-error')).toHaveText('Läkarbesök tar 30 minuter men tiden är 15 minuter.');
  expect((await api<ScheduleTemplate>('templates.get', { id: tpl.id })).slotMin).toBe(30);
  await form.getByLabel('Tidslängd (min)').fill('30');
  await expect(form.locator('form > p.tb-form-error')).toHaveCount(0);

  await form.getByLabel('Namn').fill('Eftermiddag');
  await form.getByLabel('Från kl.').fill('12:30');
  await form.getByLabel('Till kl.').fill('15:00');
  await expect(form.getByTestId('template-preview')).toContainText('tider 12:30–14:30');
  await expectAccessible(page, 'template edit form');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-template-edit.png' });
  await form.getByRole('button', { name: 'Spara ändringar' }).click();

  const result = page.getByTestId('template-edit-result');
  await expect(result.getByRole('heading', { name: 'Schemamallen Eftermiddag är ändrad' })).toBeVisible();
  const plural = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`;
  await expect(result.getByTestId('template-edit-counts')).toHaveText(
    `${plural(expectCreated, 'ny tid', 'nya tider')}, 0 ändrade, ${plural(expectRemoved, 'borttagen', 'borttagna')}`,
  );
  const rows = result.getByTestId('template-booked-list').locator('tbody tr');
  await expect(rows).toHaveCount(expectBooked.length);
  expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-booking-id')))).sort()).toEqual(
    [...expectBooked].sort(),
  );
  // The scheduler learns what becomes of these times when their bookings go.
  await expect(result.getByTestId('template-booked-list')).toContainText('följer tiden mallen som den är nu');
  await expectAccessible(page, 'template edit result');
  await page.screenshot({ path: 'tests/artifacts/screens/ui-template-edit-result.png' });

  // A listed time opens its booking; closing it returns to the list.
  await rows.first().getByRole('button').click();
  await expect(page.getByRole('dialog').filter({ hasText: 'Erik Johansson' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(result).toBeVisible();
  await result.getByRole('button', { name: 'Klar' }).click();
  await expect(result).toBeHidden();
  await expect(page.getByTestId('templates-table')).toContainText('12:30–15:00');

  // In the data: the template changed, free slots from 15:00 gone, booked ones kept, 12:30 laid out.
  expect(await api<ScheduleTemplate>('templates.get', { id: tpl.id })).toMatchObject({
    name: 'Eftermiddag',
    startTime: '12:30',
    endTime: '15:00',
  });
  const after = await book(erik.id, TODAY, horizonEnd);
  const late = after.slots.filter((s) => s.templateId === tpl.id && s.startAt >= now && wallTime(s.startAt) >= '15:00');
  expect(late.map((s) => s.id).sort()).toEqual(
    outside
      .filter((s) => bookedSlot.has(s.id))
      .map((s) => s.id)
      .sort(),
  );
  const todays = after.slots.filter(
    (s) => s.templateId === tpl.id && wallTime(s.startAt) === '12:30' && s.startAt < now + 86_400_000,
  );
  expect(todays).toHaveLength(1);

  // And the calendar shows the new slot.
  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await page.locator('input[type="date"]').first().fill(TODAY);
  await expect(page.locator(`[data-slot-id="${todays[0]!.id}"]`)).toBeVisible();
});

test('a new template that starts past the twelve-week horizon says when its slots will appear', async ({ page }) => {
  await openAsScheduler(page, '#/templates');
  const lena = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Lena Holm')!;
  await page.getByLabel('Resurs').selectOption(lena.id);
  await page.getByRole('button', { name: 'Ny schemamall' }).click();
  const form = page.getByTestId('template-form');
  await form.getByLabel('Gäller från').fill('2027-06-07');
  await form.getByLabel('Tidslängd (min)').fill('45');
  await form.getByRole('checkbox', { name: 'Samtalsbehandling' }).check();
  await form.getByRole('button', { name: 'Spara och lägg ut tider' }).click();
  await expect(form).toBeHidden();
  // 23 Nov + 12 weeks = 15 Feb 2027, exclusive: slots are laid out up to Sunday 14 Feb.
  await expect(page.getByText(/Den gäller från mån 7 juni 2027.*till och med sön 14 feb 2027/)).toBeVisible();
  await page.screenshot({ path: 'tests/artifacts/screens/ui-template-later.png' });
});
