// The Sync page while the central booking API cannot be reached: the header and the page say
// offline and how many changes wait, and the Konflikter inbox rebooks the patient who lost a
// slot with one click (the new booking waits as preliminary until central confirms it).
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { resolveSlotTaken, WEB_REJECTED } from '../../src-main/sync/pull.ts';
import { recordConflict, suggestFreeSlots } from '../../src-main/sync/local.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { ConflictView } from '../../src-main/api/methods/sync.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';

/** A demo database where a desk booking lost its slot to a web patient while offline. */
function databaseWithConflict(): { dbPath: string; patientId: string } {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'tidbok-e2e-sync-')), 'tidbok.db');
  const ctx = createContext(openDatabase(dbPath), { now: () => Date.parse(MONDAY) });
  seedDemo(ctx);
  const type = ctx.db.prepare(`SELECT id FROM appointment_types WHERE code = 'LAKBES'`).get() as { id: string };
  const slot = suggestFreeSlots(ctx, type.id, Date.parse(MONDAY) + 86_400_000, 1)[0]!;
  const patient = ctx.db.prepare(`SELECT id FROM patients WHERE protected_identity = 0 ORDER BY rowid LIMIT 1`).get() as {
    id: string;
  };
  const bookingId = ctx.newId();
  ctx.db
    .prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'physical', 'preliminary', 'desk', ?, ?)`,
    )
    .run(bookingId, slot.slotId, patient.id, type.id, ctx.now(), ctx.now());
  resolveSlotTaken(ctx, bookingId, 'Tiden bokades via webben medan kassan var offline.');
  ctx.db.close();
  return { dbPath, patientId: patient.id };
}

test.describe('sync page offline, with a conflict', () => {
  let shell: RunningShell;
  let patientId: string;
  test.beforeAll(async () => {
    const fx = databaseWithConflict();
    patientId = fx.patientId;
    // A central that does not answer: the engine goes offline and keeps the changes waiting.
    shell = await startShell({
      dbPath: fx.dbPath,
      env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: 'http://127.0.0.1:9/fhir/R4' },
    });
  });
  test.afterAll(async () => shell.stop());

  test('shows offline and waiting changes, and rebooks the conflict with one click', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    await expect(page.getByTestId('sync-state')).toContainText('Offline', { timeout: 15_000 });
    await expect(page.getByTestId('sync-state')).toContainText('ändringar väntar');

    await page.goto(`${shell.origin}/#/sync`);
    await expect(page.getByRole('heading', { level: 1, name: 'Synkronisering' })).toBeVisible();
    await expect(page.getByTestId('sync-status')).toContainText('Ingen kontakt med den centrala tidboken');
    // No central, no notifications: the desk says it polls meanwhile.
    await expect(page.getByTestId('sync-notifications')).toContainText('återansluter');
    const conflict = page.locator('[data-conflict-id]');
    await expect(conflict).toHaveCount(1);
    await expect(conflict).toContainText('Tiden togs');
    await expect(conflict).toContainText('Läkarbesök');
    const results = await new AxeBuilder({ page }).include('.tb-sync-page').analyze();
    expect(results.violations).toEqual([]);
    await page.screenshot({ path: 'tests/artifacts/screens/sync-offline-conflict.png', fullPage: true });

    const first = conflict.locator('button[data-slot-id]').first();
    const slotId = await first.getAttribute('data-slot-id');
    await first.click();
    // Handled: it leaves the inbox.
    await expect(conflict).toHaveCount(0);
    await expect(page.getByText('Inga konflikter att hantera.')).toBeVisible();
    const conflicts = await apiCall<ConflictView[]>(shell, 'conflicts.list', { includeResolved: true });
    expect(conflicts[0]!.resolvedAt).not.toBeNull();
    const bookings = await apiCall<{ slotId: string; status: string }[]>(shell, 'bookings.forPatient', { patientId });
    expect(bookings.find((b) => b.slotId === slotId)?.status).toBe('preliminary');
    await page.screenshot({ path: 'tests/artifacts/screens/sync-conflict-resolved.png', fullPage: true });
  });
});

/**
 * A demo database where a pulled web booking broke the type's web rules: the unit cancelled it
 * (WEB_REJECTED) and put it in Konflikter with other free times, as sync/pull.ts does.
 */
function databaseWithRejectedWebBooking(): { dbPath: string; patientId: string } {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'tidbok-e2e-sync-')), 'tidbok.db');
  const ctx = createContext(openDatabase(dbPath), { now: () => Date.parse(MONDAY) });
  seedDemo(ctx);
  const type = ctx.db.prepare(`SELECT id FROM appointment_types WHERE code = 'LAKBES'`).get() as { id: string };
  const [slot, ...others] = suggestFreeSlots(ctx, type.id, Date.parse(MONDAY) + 86_400_000, 4);
  // The rejected booking's own time is free again here (central was told to free it).
  const patient = ctx.db
    .prepare(`SELECT id FROM patients WHERE protected_identity = 0 ORDER BY rowid LIMIT 1 OFFSET 1`)
    .get() as {
    id: string;
  };
  const bookingId = ctx.newId();
  ctx.db
    .prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, cancel_reason_code, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'physical', 'cancelled', 'web', ?, ?, ?)`,
    )
    .run(bookingId, slot!.slotId, patient.id, type.id, WEB_REJECTED, ctx.now(), ctx.now());
  recordConflict(ctx, {
    entity: 'booking',
    entityId: bookingId,
    kind: 'rejected',
    detail: {
      reason: 'Webbokningen avvisades: Läkarbesök bokas inte på webben. Kontakta patienten och erbjud en annan tid.',
      rule: 'not_web_bookable',
      patientId: patient.id,
      slotId: slot!.slotId,
      startAt: slot!.startAt,
      appointmentTypeId: type.id,
    },
    suggested: others,
  });
  ctx.db.close();
  return { dbPath, patientId: patient.id };
}

test.describe('sync page, a web booking the unit rejected', () => {
  let shell: RunningShell;
  let patientId: string;
  test.beforeAll(async () => {
    const fx = databaseWithRejectedWebBooking();
    patientId = fx.patientId;
    shell = await startShell({
      dbPath: fx.dbPath,
      env: { TIDBOK_NOW: MONDAY, TIDBOK_CENTRAL_URL: 'http://127.0.0.1:9/fhir/R4' },
    });
  });
  test.afterAll(async () => shell.stop());

  test('says why and offers the patient other free times, booked with one click', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(`${shell.url}#/sync`);
    const conflict = page.locator('[data-conflict-id]');
    await expect(conflict).toHaveCount(1, { timeout: 15_000 });
    await expect(conflict).toContainText('Webbokningen avvisades: Läkarbesök bokas inte på webben.');
    const offers = conflict.locator('button[data-slot-id]');
    // Free times are looked up afresh while the conflict is open (not only the ones noted with it).
    await expect(offers.first()).toBeVisible();
    await page.screenshot({ path: 'tests/artifacts/screens/sync-rejected-web-booking.png', fullPage: true });
    const slotId = await offers.first().getAttribute('data-slot-id');
    await offers.first().click();
    await expect(conflict).toHaveCount(0);
    const bookings = await apiCall<{ slotId: string; status: string }[]>(shell, 'bookings.forPatient', { patientId });
    expect(bookings.find((b) => b.slotId === slotId)?.status).toBe('preliminary');
  });
});

test.describe('demo mode with its stand-in central', () => {
  let shell: RunningShell;
  test.beforeAll(async () => {
    // The demo database gets an in-process central and simulated 1177 patients (fast here).
    shell = await startShell({ env: { TIDBOK_NOW: MONDAY, TIDBOK_DEMO_CENTRAL: '1', TIDBOK_DEMO_PATIENT_RATE: '120' } });
  });
  test.afterAll(async () => shell.stop());

  test('goes online, pushes the demo schedule, and web bookings arrive', async ({ page }) => {
    test.setTimeout(180_000);
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    const webBookings = async () => {
      const week = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-12-07' });
      return week.bookings.filter((b) => b.channel === 'web').map((b) => b.id);
    };
    await expect(page.getByTestId('sync-state')).toContainText('Online', { timeout: 120_000 });
    await expect
      .poll(async () => (await apiCall<{ pending: number }>(shell, 'sync.status', {})).pending, { timeout: 120_000 })
      .toBe(0);
    // Simulated patients book (and cancel, and rebook): new web bookings appear in the calendar.
    const before = new Set(await webBookings());
    await expect
      .poll(async () => (await webBookings()).filter((id) => !before.has(id)).length, { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.goto(`${shell.origin}/#/sync`);
    await expect(page.getByTestId('sync-status')).toContainText('I kontakt med den centrala tidboken');
    // The stand-in offers websocket Subscriptions: central's changes are heard, not polled for.
    await expect(page.getByTestId('sync-notifications')).toHaveText('på');
    await page.screenshot({ path: 'tests/artifacts/screens/sync-online-demo.png', fullPage: true });
  });
});
