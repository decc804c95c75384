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
let twiceEdited: string;

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
  // One patient whose phone both desks corrected at once (desk B still offline from central):
  // desk A's reached central first and stands; desk B's goes to Konflikter.
  const dayStart = Date.parse('2026-11-23T00:00:00+01:00');
  const q = deskA.ctx.db
    .prepare(
      `SELECT p.id, p.given_name || ' ' || p.family_name AS name FROM patients p WHERE p.protected_identity = 0
          AND NOT EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.patient_id = p.id AND s.start_at >= ? AND s.start_at < ?)
        ORDER BY p.rowid LIMIT 1`,
    )
    .get(dayStart, dayStart + 86_400_000) as { id: string; name: string };
  twiceEdited = q.name;
  updatePatient(deskA.ctx, testCaller(['receptionist']), { id: q.id, phone: '0701112233' });
  await syncA();
  const deskB = openRuntime({ dbPath: join(dir, 'kassa-b.db'), now: () => NOW });
  updatePatient(deskB.ctx, testCaller(['receptionist']), { id: q.id, phone: '0704445566' });
  const r = await new SyncEngine(deskB.ctx, new FhirCentralApi({ baseUrl: central.url }), { notifications: false }).settle(50);
  expect(r.error).toBeNull();
  deskB.close();
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

test('Konflikter on desk B names the phone number it typed and the one that stands; the desk marks it handled', async ({
  page,
}) => {
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(`${shell.url}#/sync`);
  const row = page.locator('[data-conflict-id]').filter({ hasText: twiceEdited });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Ändrad centralt');
  await expect(row).toContainText(
    'Patientens uppgifter ändrades samtidigt vid en annan kassa; den ändring som nådde den centrala tidboken först gäller. ' +
      'Kontrollera med patienten (telefon: här ”0704445566”, gäller ”0701112233”).',
  );
  await expectAccessible(page, 'Konflikter with a patient edited at two desks');
  await row.screenshot({ path: 'tests/artifacts/screens/sync-patient-conflict.png' });
  await row.getByRole('button', { name: 'Markera som hanterad' }).click();
  await expect(page.locator('[data-conflict-id]').filter({ hasText: twiceEdited })).toHaveCount(0);
});
