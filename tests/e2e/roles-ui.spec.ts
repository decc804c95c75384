// What each role is offered, in Chromium against the web shell: a receptionist is not shown what
// the api would refuse her (template and absence editing, statistics), with a line saying who
// does it; she keeps what is hers (moving the bookings an absence hits). The scheduler is offered
// all of it. The api's own refusals are tested in tests/integration/auth/roles.test.ts.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import { RECEPTIONIST, SCHEDULER, signInAs } from '../helpers/sign-in.ts';
import type { Resource } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const SCREENS = 'tests/artifacts/screens';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  const api = apiAs(() => shell, 'schema', 'demo-schema');
  const erik = (await api<Resource[]>('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
  await api('absences.create', { resourceId: erik.id, from: '2026-11-30', to: '2026-11-30', reason: 'Kurs' });
});
test.afterAll(async () => shell.stop());

const menu = (page: Page) => page.getByRole('navigation');

test('a receptionist sees templates and absences without the scheduler’s controls, and no statistics in the menu', async ({
  page,
}) => {
  await signInAs(page, shell, RECEPTIONIST, MONDAY, '#/templates');
  await expect(page.getByTestId('templates-table').locator('tbody tr').first()).toContainText('08:00–12:00');
  await expect(page.getByText('Du kan se schemamallarna. Schemaläggare och administratörer ändrar dem.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ny schemamall' })).toHaveCount(0);
  await expect(page.getByTestId('templates-table').getByRole('button')).toHaveCount(0);
  await expect(menu(page).getByRole('link', { name: 'Schemamallar' })).toBeVisible();
  for (const name of ['Statistik', 'Åtkomstlogg', 'Personal'])
    await expect(menu(page).getByRole('link', { name })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/roles-templates-receptionist.png` });
  await expectAccessible(page, 'templates, receptionist');

  await page.evaluate(() => (window.location.hash = '#/absences'));
  await expect(page.getByText('Schemaläggare och administratörer registrerar frånvaro.')).toBeVisible();
  await expect(page.getByTestId('absence-form')).toHaveCount(0);
  const row = page.getByTestId('absences-table').locator('tbody tr', { hasText: 'Kurs' });
  await expect(row.getByRole('button', { name: 'Återkalla' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: /^Ändra/ })).toHaveCount(0);
  // A whole day reads as its date, not as "00:00–00:00".
  await expect(row.locator('td').nth(1)).toHaveText('mån 30 nov 2026');
  await page.screenshot({ path: `${SCREENS}/roles-absences-receptionist.png` });
  await expectAccessible(page, 'absences, receptionist');
  // Moving the patients is the desk's: the wizard opens with its proposals.
  await row.getByRole('button', { name: 'Boka om' }).click();
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeFocused();
});

test('a scheduler is offered templates, absences and their controls', async ({ page }) => {
  await signInAs(page, shell, SCHEDULER, MONDAY, '#/templates');
  await expect(page.getByRole('button', { name: 'Ny schemamall' })).toBeVisible();
  await expect(page.getByTestId('templates-table').getByRole('button', { name: 'Inaktivera' }).first()).toBeVisible();
  await expect(page.getByText('Du kan se schemamallarna.')).toHaveCount(0);
  await page.evaluate(() => (window.location.hash = '#/absences'));
  await expect(page.getByTestId('absence-form')).toBeVisible();
  const row = page.getByTestId('absences-table').locator('tbody tr', { hasText: 'Kurs' });
  await expect(row.getByRole('button', { name: 'Återkalla' })).toBeVisible();
  await expect(row.getByRole('button', { name: /^Ändra frånvaron/ })).toBeVisible();
  // Statistics stay an admin's: the scheduler's menu leaves it out too.
  await expect(menu(page).getByRole('link', { name: 'Statistik' })).toHaveCount(0);
});
