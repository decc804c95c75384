// Frånvaro in Chromium against the web shell: an absence "13:00–24:00" registered with the same
// 24:00 control as the template form. It blocks up to the next local midnight, the list reads
// 13:00–24:00 (not 00:00 the next day), and Ändra opens it with 24:00 ticked.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { Resource } from '../../src-main/api/types.ts';
import type { Absence } from '../../src-main/api/methods/scheduling.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');

test('an afternoon until 24:00: registered with the midnight box, listed as 13:00–24:00, reopened with 24:00', async ({
  page,
}) => {
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/absences');
  const form = page.getByTestId('absence-form');
  await form.getByLabel('Resurs').selectOption(erik.id);
  // A Sunday: no bookings to move, so the list stays in view.
  await form.getByLabel('Från datum').fill('2026-11-29');
  await form.getByLabel('Från kl. (valfritt)').fill('13:00');
  await form.getByLabel('Till datum').fill('2026-11-29');
  await form.getByRole('checkbox', { name: 'Till midnatt (24:00)' }).check();
  await expect(form.getByLabel('Till kl. (valfritt)')).toHaveValue('24:00');
  await form.getByLabel('Orsak').fill('Kvällsmöte');
  await form.getByRole('button', { name: 'Registrera frånvaro' }).click();

  const row = page.getByTestId('absences-table').locator('tbody tr', { hasText: 'Kvällsmöte' });
  await expect(row).toContainText('sön 29 nov 2026 13:00–24:00');
  const [absence] = (await api<Absence[]>('absences.list', { resourceId: erik.id })).filter((a) => a.reason === 'Kvällsmöte');
  expect([absence!.startAt, absence!.endAt]).toEqual([Date.parse('2026-11-29T12:00:00Z'), Date.parse('2026-11-29T23:00:00Z')]);
  await expectAccessible(page, 'absence until 24:00');
  await page.screenshot({ path: '/tmp/shots14/desk/absence-midnight-list.png', fullPage: true });

  await row.getByRole('button', { name: 'Ändra' }).click();
  await expect(form.getByLabel('Till kl. (valfritt)')).toHaveValue('24:00');
  await expect(form.getByRole('checkbox', { name: 'Till midnatt (24:00)' })).toBeChecked();
  await expect(form.getByLabel('Till datum')).toHaveValue('2026-11-29');
  await page.screenshot({ path: '/tmp/shots14/desk/absence-midnight-edit.png', fullPage: true });
  // Unticked, the end is empty again: the end of the last day, as before.
  await form.getByRole('checkbox', { name: 'Till midnatt (24:00)' }).uncheck();
  await expect(form.getByLabel('Till kl. (valfritt)')).toHaveValue('');
});
