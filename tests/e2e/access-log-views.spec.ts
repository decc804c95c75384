// The access log records the calendar days a receptionist actually looked at: the neighbouring
// day the calendar fetches ahead (so "Nästa dag" paints at once) is logged only when she goes
// there, and then once per patient. Real web shell, real Chromium, the shell's own SQLite file.
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { RECEPTIONIST, signInAs } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
let shell: RunningShell;

test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());

/** Patients whose calendar reads the receptionist's session logged for the day `from`, sorted. */
function loggedReads(from: string): string[] {
  const db = new Database(shell.dbPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT a.patient_id FROM audit_events a JOIN users u ON u.id = a.user_id
          WHERE u.username = ? AND a.action = 'read' AND a.detail ->> '$.view' = 'calendar.range' AND a.detail ->> '$.from' = ?
          ORDER BY a.patient_id`,
      )
      .pluck()
      .all(RECEPTIONIST.username, from) as string[];
  } finally {
    db.close();
  }
}

test('a day fetched ahead is logged when it is shown, not before', async ({ page }) => {
  const tuesdayAhead = page.waitForResponse(
    (r) => r.url().endsWith('/api/calendar.range') && /"from":"2026-11-24".*"prefetch":true/.test(r.request().postData() ?? ''),
  );
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await tuesdayAhead;

  const monday = loggedReads('2026-11-23');
  expect(monday.length).toBeGreaterThan(5);
  expect(new Set(monday).size).toBe(monday.length); // once per patient, however often it refetched
  expect(loggedReads('2026-11-24')).toEqual([]);

  await page.getByRole('button', { name: 'Nästa dag' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('24 november', { ignoreCase: true });
  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  // Tuesday's patients as the admin's own read sees them (the admin's rows are not the receptionist's).
  const tuesday = await apiAs(
    () => shell,
    'admin',
    'demo-admin',
  )<CalendarRange>('calendar.range', {
    from: '2026-11-24',
    to: '2026-11-25',
  });
  const shown = [...new Set(tuesday.bookings.map((b) => b.patient.id))].sort();
  expect(shown.length).toBeGreaterThan(5);
  // A patient of both days was read minutes ago (Monday): that read stands, and is not repeated.
  const notYetRead = shown.filter((id) => !monday.includes(id));
  expect(notYetRead.length).toBeGreaterThan(5);
  await expect.poll(() => loggedReads('2026-11-24')).toEqual(notYetRead);
  // Wednesday is now fetched ahead in turn, and still unseen.
  expect(loggedReads('2026-11-25')).toEqual([]);
});
