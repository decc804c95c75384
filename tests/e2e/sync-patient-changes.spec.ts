// A receptionist at desk B has a patient open while desk A, on the phone with her, corrects her
// phone number and e-mail: desk B's patient view shows the new details by itself (central's
// Subscription wakes B's sync, the pull applies the Patient feed, the screen refetches on the
// change event), so desk B never calls the old number. Demo unit, Monday 2026-11-23 09:10.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openRuntime, type Runtime } from '../../src-main/runtime.ts';
import { copyDesk } from '../../src-main/services/desk-identity.ts';
import { updatePatient } from '../../src-main/services/patients.ts';
import { startCentral, type Central } from '../../src-main/demo/central/server.ts';
import { FhirCentralApi } from '../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../src-main/sync/engine.ts';
import type { BookingList } from '../../src-main/api/methods/bookings-search.ts';
import type { SyncStatusView } from '../../src-main/api/methods/sync.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { testCaller } from '../helpers/temp-db.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);

test.use({ locale: 'sv-SE' });

let central: Central;
let deskA: Runtime;
let shell: RunningShell;

const syncA = async () => {
  const r = await new SyncEngine(deskA.ctx, new FhirCentralApi({ baseUrl: central.url }), { notifications: false }).settle(50);
  expect(r.error).toBeNull();
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'tidbok-e2e-patient-changes-'));
  central = await startCentral({ token: null });
  // Desk A: the demo unit, on central (its first sync sends the whole book).
  deskA = openRuntime({ dbPath: join(dir, 'kassa-a.db'), now: () => NOW });
  await syncA();
  deskA.close();
  // Desk B: installed from desk A's database, as a unit installs a second desk.
  await copyDesk(join(dir, 'kassa-a.db'), join(dir, 'kassa-b.db'), testCaller(), { now: () => NOW });
  deskA = openRuntime({ dbPath: join(dir, 'kassa-a.db'), now: () => NOW });
  shell = await startShell({ dbPath: join(dir, 'kassa-b.db'), env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: central.url } });
});
test.afterAll(async () => {
  await shell?.stop();
  deskA?.close();
  await central?.close();
});

test("desk B's open patient view shows the phone and e-mail desk A just corrected", async ({ page }) => {
  test.setTimeout(90_000);
  // Desk B is on central and hears it (the Subscription is bound).
  await expect
    .poll(async () => (await apiCall<SyncStatusView>(shell, 'sync.status')).notifications, { timeout: 60_000, intervals: [500] })
    .toBe('on');
  const today = await apiCall<BookingList>(shell, 'bookings.search', { from: '2026-11-23', to: '2026-11-23', limit: 500 });
  const target = today.rows.find((r) => r.status === 'booked' && r.startAt > NOW + 3_600_000 && !r.patient.protectedIdentity)!;
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(`${shell.url}#/bookings`);
  await page.locator(`tbody [data-booking-id="${target.id}"]`).getByRole('button').click();
  await page.getByTestId('booking-dialog').getByRole('button', { name: 'Öppna patient' }).click();
  const view = page.getByTestId('patient-dialog');
  await expect(view).toContainText(target.patient.displayName!);
  await expect(view).not.toContainText('070-914 27 36');

  // Desk A corrects her details and syncs.
  updatePatient(deskA.ctx, testCaller(['receptionist']), {
    id: target.patient.id,
    phone: '0709142736',
    email: 'ny.adress@example.se',
  });
  await syncA();

  const facts = view.locator('.tb-facts');
  await expect(facts).toContainText('070-914 27 36', { timeout: 30_000 });
  await expect(facts).toContainText('ny.adress@example.se');
  await expectAccessible(page, 'patient view after another desk’s edit');
  await view.screenshot({ path: 'tests/artifacts/screens/sync-patient-changes.png' });
});
