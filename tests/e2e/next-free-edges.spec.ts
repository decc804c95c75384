// "Första lediga tid" in the calendar (issue 3 item 6): the panel offers only the professions and
// clinicians who may perform the chosen type, so the desk is never left with "Inga lediga tider"
// for a choice that can never find any (Läkarbesök with a nurse chosen); a choice the new type
// rules out falls back to anyone, and the list shows what slots.findFree answers for that search.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { FreeSlot } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

test('the panel offers those who perform the type, and shows what the api finds', async ({ page }) => {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  const types = await apiCall<{ id: string; code: string }[]>(shell, 'appointmentTypes.list', {});
  const typeId = (code: string) => types.find((t) => t.code === code)!.id;

  await page.getByRole('button', { name: 'Första lediga tid' }).click();
  const panel = page.getByTestId('next-free-panel');
  const type = panel.getByLabel('Besökstyp');
  const who = panel.getByLabel('Yrke eller behandlare');
  const options = () => who.locator('option').allTextContents();

  await type.selectOption(typeId('LAKBES'));
  expect(await options()).toEqual(['Alla', 'Läkare', 'Anna Lindqvist', 'Erik Johansson']);
  await type.selectOption(typeId('TELE'));
  expect(await options()).toEqual([
    'Alla',
    'Läkare',
    'Sjuksköterska',
    'Anna Lindqvist',
    'Erik Johansson',
    'Maria Berg',
    'Sara Nyström',
  ]);
  // Provtagning names no profession: anyone, the sampling room too.
  await type.selectOption(typeId('PROV'));
  expect(await options()).toContain('Provtagningsrum 1');
  expect(await options()).toHaveLength(1 + 4 + 7);

  // Anna chosen for Läkarbesök, then Vaccination (nurses): the search is for anyone who gives it.
  await type.selectOption(typeId('LAKBES'));
  await who.selectOption({ label: 'Anna Lindqvist' });
  await expect(panel.locator('[data-free-slot-id]').first()).toContainText('Anna Lindqvist');
  await type.selectOption(typeId('VACC'));
  await expect(who).toHaveValue('');
  const expected = await apiCall<FreeSlot[]>(shell, 'slots.findFree', {
    appointmentTypeId: typeId('VACC'),
    from: '2026-11-23',
    limit: 10,
  });
  await expect(panel.locator('[data-free-slot-id]')).toHaveCount(expected.length);
  expect(
    await panel.locator('[data-free-slot-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-free-slot-id'))),
  ).toEqual(expected.map((f) => f.slotId));
  await expectAccessible(page, 'next free panel, nurses for Vaccination');
  await panel.screenshot({ path: 'tests/artifacts/screens/next-free-edges.png' });
});

test('says why nothing can be found: a type not booked on the web, only after an invitation, a date past the window', async ({
  page,
}) => {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  const types = await apiCall<{ id: string; code: string; bookMaxDays: number }[]>(shell, 'appointmentTypes.list', {});
  const find = (code: string) => types.find((t) => t.code === code)!;
  await page.getByRole('button', { name: 'Första lediga tid' }).click();
  const panel = page.getByTestId('next-free-panel');
  const none = panel.getByTestId('next-free-none');

  await panel.getByLabel('Besökstyp').selectOption(find('TELE').id);
  await panel.getByLabel('Endast webbtider').check();
  await expect(none).toHaveText('Inga lediga tider hittades. Besökstypen bokas inte på webben.');
  await panel.getByLabel('Besökstyp').selectOption(find('DIAB').id);
  await expect(none).toHaveText('Inga lediga tider hittades. Besökstypen kan bokas på webben först efter kallelse.');
  await panel.getByLabel('Endast webbtider').uncheck();
  // The demo's types are bookable 90 days ahead: 2026-11-23 + 90 = 2027-02-21, a Sunday.
  expect(find('DIAB').bookMaxDays).toBe(90);
  await panel.getByLabel('Från och med').fill('2027-03-01');
  await expect(none).toHaveText(
    'Inga lediga tider hittades. Besökstypen kan bokas högst 90 dagar framåt, till och med sön 21 feb 2027.',
  );
  await expectAccessible(page, 'next free panel saying why nothing is found');
  await panel.screenshot({ path: 'tests/artifacts/screens/next-free-why.png' });
});
