// One slot across the autumn change itself in the scheduler's form, in Chromium against the web
// shell (Monday 2026-10-19): 02:40–02:10 on 2026-10-25 is 02:40 sommartid to 02:10 vintertid, 30
// real minutes (00:40Z–01:10Z). The form says so instead of asking which 02:40; the calendar draws
// it from 02:40 down and names both passes. Summer time ends at 03:00 CEST (01:00Z).
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { CalendarRange, Resource } from '../../src-main/api/types.ts';

const MONDAY = '2026-10-19T09:10:00+02:00';
const SHOTS = process.env['WINDOW_SHOTS'];
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => shell.stop());

const api = apiAs(() => shell, 'schema', 'demo-schema');
const iso = (ms: number) => new Date(ms).toISOString();

test('02:40–02:10 the autumn night is one 30-minute time across the change, said, laid and drawn', async ({ page }) => {
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/templates');
  await page.getByLabel('Resurs').selectOption(erik.id);
  await page.getByRole('button', { name: 'Ny enstaka tid' }).click();
  const form = page.getByTestId('slot-form');
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
  const night = await api<CalendarRange>('calendar.range', { from: '2026-10-25', to: '2026-10-26', resourceIds: [erik.id] });
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
  await expect(item).toHaveAttribute('aria-label', /^Ledig 02:40 \(sommartid\)–02:10 \(vintertid\), Erik Johansson/);
  // Drawn downwards from 02:40 (to 03:00, where the first pass ends), not with a negative height.
  const box = (await item.boundingBox())!;
  expect(box.height).toBeGreaterThan(8);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/calendar-across.png` });
});
