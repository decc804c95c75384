// A patient's own booking on 1177, pulled by the desk from a real stand-in central, on the admin's
// Åtkomstlogg: the row names the patient via 1177 as who acted (workstation sync), under her, and
// so does her log extract.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { webBook, webBookableType, webRulesByCode } from '../../src-main/demo/central/web-patient.ts';
import { FhirCentralApi } from '../../src-main/sync/central-api.ts';
import type { AuditPage } from '../../src-main/api/methods/auth.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ADMIN: DemoUser = { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin' };
const SHOTS = process.env['SHOTS_DIR'] ?? 'tests/artifacts/screens';
let central: Central;
let shell: RunningShell;

test.beforeAll(async () => {
  central = await startCentral({ token: null, clock: () => Date.parse(MONDAY) });
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url } });
});
test.afterAll(async () => {
  await shell.stop();
  await central.close();
});

test('Åtkomstlogg shows a booking the patient made on 1177, by the patient via 1177', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  const admin = apiAs(() => shell, ADMIN.username, ADMIN.password);
  const web = new FhirCentralApi({ baseUrl: central.url, token: null });
  // The demo's schedule reaches central first; then the patient books its first web time.
  const bookable = async () => {
    const rules = await webRulesByCode(web);
    const free = await web.searchAll<Slot>('Slot', { status: 'free', _count: '200' });
    return free.map((s) => ({ s, code: webBookableType(s, rules, Date.parse(MONDAY)) })).find((x) => x.code);
  };
  await expect.poll(async () => (await bookable()) !== undefined, { timeout: 90_000, intervals: [1000] }).toBe(true);
  const { s, code } = (await bookable())!;
  const number = makeIdentityNumber('1971-04-12', 982, false);
  await webBook(web, s, code!, { identityNumber: number, givenName: 'Vera', familyName: 'Webbsson' });
  await expect
    .poll(
      async () =>
        // Not found until the desk has pulled her.
        (await admin<AuditPage>('audit.search', { identityNumber: number }).catch(() => null))?.entries.filter(
          (e) => e.entity === 'booking',
        ).length ?? 0,
      { timeout: 30_000, intervals: [500] },
    )
    .toBe(1);

  await signInAs(page, shell, ADMIN, MONDAY, '#/audit');
  await page.getByLabel('Patient (personnummer)').fill(number);
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  const row = page.getByTestId('audit-results').getByRole('row').filter({ hasText: 'Bokning' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Patienten via 1177');
  await expect(row).toContainText('sync');
  await expect(row).toContainText('Vera Webbsson');
  await expect(row).toContainText('Bokning, bokad på 1177');
  await expectAccessible(page, 'audit web change');
  await page.screenshot({ path: `${SHOTS}/audit-web-booking.png`, fullPage: true });

  await page.getByRole('button', { name: 'Loggutdrag för patienten' }).click();
  await expect(page.getByRole('cell', { name: 'Patienten via 1177' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/audit-web-booking-extract.png`, fullPage: true });
});
