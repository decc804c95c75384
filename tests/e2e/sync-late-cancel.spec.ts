// Konflikter: a patient's cancellation on 1177 after the type's cut-off. It stands (the time is
// given up, not wanted), so the row names the cancelled time and the rule, offers no times to
// book, and is closed once the desk has followed up.
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { seedDemo } from '../../src-main/demo/seed.ts';
import { suggestFreeSlots } from '../../src-main/sync/local.ts';
import { notePulledCancellation } from '../../src-main/sync/web-cancel.ts';
import { WebRulesLookups } from '../../src-main/sync/web-rules.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { ConflictView } from '../../src-main/api/methods/sync.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';

/** A demo database where pull applied a patient's cancellation, made on 1177 two hours after the cut-off. */
function databaseWithLateWebCancel(): { dbPath: string; bookingId: string; startAt: number } {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'tidbok-e2e-late-cancel-')), 'tidbok.db');
  const ctx = createContext(openDatabase(dbPath), { now: () => Date.parse(MONDAY) });
  seedDemo(ctx);
  const type = ctx.db.prepare(`SELECT id FROM appointment_types WHERE code = 'LAKBES'`).get() as { id: string };
  // Tomorrow's first free time: the 24-hour cut-off passed earlier this morning.
  const slot = suggestFreeSlots(ctx, type.id, Date.parse('2026-11-24T08:00:00+01:00'), 1)[0]!;
  const patient = ctx.db
    .prepare(`SELECT id FROM patients WHERE protected_identity = 0 ORDER BY rowid LIMIT 1 OFFSET 2`)
    .get() as {
    id: string;
  };
  const bookingId = ctx.newId();
  ctx.db
    .prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, reason_text, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'physical', 'cancelled', 'web', 'Avbokad av patienten via 1177', ?, ?)`,
    )
    .run(bookingId, slot.slotId, patient.id, type.id, ctx.now(), ctx.now());
  const cancelledAt = slot.startAt - 22 * 3_600_000;
  const decision = notePulledCancellation(
    ctx,
    { bookingId, cancelledVia: 'web', statusBefore: 'booked', at: cancelledAt },
    new WebRulesLookups(ctx),
  );
  if (!decision) throw new Error('expected a late web cancellation');
  ctx.db.close();
  return { dbPath, bookingId, startAt: slot.startAt };
}

test.describe('sync page, a late cancellation on 1177', () => {
  let shell: RunningShell;
  let fx: ReturnType<typeof databaseWithLateWebCancel>;
  test.beforeAll(async () => {
    fx = databaseWithLateWebCancel();
    shell = await startShell({ dbPath: fx.dbPath, env: { TIDBOK_NOW: MONDAY } });
  });
  test.afterAll(async () => shell.stop());

  test('names the cancelled time and the rule, offers no times, and is closed after follow-up', async ({ page }) => {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(`${shell.url}#/sync`);
    const conflict = page.locator('[data-conflict-id]');
    await expect(conflict).toHaveCount(1, { timeout: 15_000 });
    await expect(conflict.locator('.tb-sync-conflict-kind')).toHaveText('Avbokad via 1177');
    // The time as every screen writes it: no full stop after the month, no comma before the time.
    const wall = new Date(fx.startAt).toLocaleTimeString('sv-SE', {
      timeZone: 'Europe/Stockholm',
      hour: '2-digit',
      minute: '2-digit',
    });
    await expect(conflict).toContainText(`Avbokad tid: tis 24 nov ${wall}`);
    await expect(conflict).not.toContainText('Önskad tid');
    await expect(conflict).toContainText(
      'Avbokad via 1177 efter avbokningsgränsen (24 h före besöket): avbokningen kom 2026-11-23 kl. 10:00.',
    );
    await expect(conflict.locator('button[data-slot-id]')).toHaveCount(0);
    const results = await new AxeBuilder({ page }).include('.tb-sync-page').analyze();
    expect(results.violations).toEqual([]);
    await page.screenshot({ path: 'tests/artifacts/screens/sync-late-web-cancel.png', fullPage: true });

    // English second: the kind and the time's label follow the language (the reason is the unit's, in Swedish).
    await page.getByLabel('Språk').selectOption('en');
    await expect(conflict.locator('.tb-sync-conflict-kind')).toHaveText('Cancelled on 1177');
    await expect(conflict).toContainText(`Cancelled time: Tue 24 Nov ${wall}`);
    await page.screenshot({ path: 'tests/artifacts/screens/sync-late-web-cancel-en.png', fullPage: true });

    await conflict.getByRole('button', { name: 'Mark as handled' }).click();
    await expect(conflict).toHaveCount(0);
    const all = await apiCall<ConflictView[]>(shell, 'conflicts.list', { includeResolved: true });
    expect(all.find((c) => c.bookingId === fx.bookingId)).toMatchObject({ kind: 'web_cancel', startAt: fx.startAt });
    expect(all.find((c) => c.bookingId === fx.bookingId)!.resolvedAt).not.toBeNull();
  });
});
