// A same-day type ("dagens tider": bookable 0 days ahead) made in the type form, in Chromium against
// the web shell (Monday 2026-11-23 09:10): the lead's hint names the longest lead the window allows
// (23 h for 0 days), a longer one is refused in Swedish, the list reads '1 h – samma dag', and
// Första lediga tid from tomorrow says the type is bookable the same day only.
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { AppointmentType } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const SHOTS = process.env['WINDOW_SHOTS'];
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');

test('a same-day type: the form says the lead it allows, the list says "samma dag", Första lediga tid says why not tomorrow', async ({
  page,
}) => {
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/appointmentTypes');
  await page.getByRole('button', { name: 'Ny besökstyp' }).click();
  const form = page.getByTestId('type-form');
  await form.getByLabel('Kod').fill('AKUT');
  await form.getByLabel('Namn (svenska)').fill('Akuttid');
  await form.getByLabel('Namn (engelska)').fill('Same-day visit');
  await form.getByLabel('Längd (minuter)').fill('15');
  const lead = form.getByLabel('Bokas minst (timmar i förväg)');
  const days = form.getByLabel('Bokas högst (dagar framåt, 0 = samma dag)');
  await days.fill('0');
  await lead.fill('24');
  await expect(form.getByTestId('type-lead-hint')).toHaveText(
    'Minsta framförhållning får vara högst 23 timmar med detta bokningsfönster, räknat från midnatt i dag.',
  );
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'Minsta framförhållning (24 timmar) når förbi sista bokningsbara dagen: den måste ta slut innan den dagen gör, ' +
      'räknat från midnatt i dag. Med bokning bara samma dag får den vara högst 23 timmar.',
  );
  await lead.fill('1');
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expectAccessible(page, 'type form, same-day type');
  if (SHOTS) await form.screenshot({ path: `${SHOTS}/type-form-same-day.png` });
  await form.getByRole('button', { name: 'Spara' }).click();
  await expect(form).toBeHidden();
  const row = page.locator('[data-type-code="AKUT"]');
  await expect(row).toContainText('1 h – samma dag');
  const akut = (await api<AppointmentType[]>('appointmentTypes.list', {})).find((x) => x.code === 'AKUT')!;
  expect([akut.bookMinLeadH, akut.bookMaxDays]).toEqual([1, 0]);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/types-list-same-day.png` });

  await page.evaluate(() => (window.location.hash = '#/calendar'));
  await page.getByRole('button', { name: 'Första lediga tid' }).click();
  const panel = page.getByTestId('next-free-panel');
  await panel.getByLabel('Besökstyp').selectOption(akut.id);
  await panel.getByLabel('Från och med').fill('2026-11-24');
  await expect(panel.getByTestId('next-free-none')).toContainText('Besökstypen kan bara bokas samma dag, mån 23 nov 2026.');
});
