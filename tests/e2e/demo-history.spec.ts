// A regional IT admin evaluating Tidbok opens Statistik on a fresh demo: the weeks before the
// current one must be there (the demo seeds ten weeks of history), with the numbers the api gives,
// in the default period and over the whole history, in charts and tables, without axe violations.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { Statistics } from '../../src-main/api/methods/export.ts';
import { openDatabase } from '../../src-main/store/database.ts';
import { createContext } from '../../src-main/services/context.ts';
import { unitStatistics } from '../../src-main/services/statistics.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const SCREENS = 'tests/artifacts/screens';
/** The ten weeks before the demo's current week, and the page's default period (four weeks back, two ahead). */
const HISTORY = { from: '2026-09-14', to: '2026-11-22' };
const DEFAULT_PERIOD = { from: '2026-10-26', to: '2026-12-06' };
/** Numbers as the page writes them: Swedish digit groups ('3 852'). */
const num = (n: number) => new Intl.NumberFormat('sv-SE').format(n);

test.describe('Statistik on a fresh demo', () => {
  test.describe.configure({ mode: 'serial' });
  let shell: RunningShell;
  let history: Statistics;
  let recent: Statistics;
  test.beforeAll(async () => {
    shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
    // Statistics are for admins: computed here straight from the shell's database file.
    const db = openDatabase(shell.dbPath, { readonly: true });
    history = unitStatistics(createContext(db), HISTORY);
    recent = unitStatistics(createContext(db), DEFAULT_PERIOD);
    db.close();
  });
  test.afterAll(async () => shell.stop());

  async function openStatistics(page: Page): Promise<void> {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    // The demo signs its printed address in as the receptionist until someone signs out; then it asks.
    const signOut = page.getByRole('button', { name: 'Logga ut' });
    await expect(signOut.or(page.getByLabel('Användarnamn'))).toBeVisible();
    if (await signOut.isVisible()) await signOut.click();
    await page.getByLabel('Användarnamn').fill('admin');
    await page.getByLabel('Lösenord').fill('demo-admin');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page.getByTestId('signed-in-user')).toHaveText('Ada Admin');
    await page.locator('[data-page="statistics"]').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Statistik' })).toBeVisible();
  }

  const weekRow = (page: Page, week: string) => page.getByTestId('stats-weeks').locator(`tr[data-week="${week}"]`);

  test('shows the past four weeks filled in the default period, as the api counts them', async ({ page }) => {
    await openStatistics(page);
    for (const week of ['2026-W44', '2026-W45', '2026-W46', '2026-W47']) {
      const w = recent.weeks.find((x) => x.week === week)!;
      expect(w.bookings.total, week).toBeGreaterThan(250);
      // Columns: week, web, desk, phone, total, web share, rebookings, cancellations, no-shows, open, booked.
      const cells = weekRow(page, week).locator('td');
      await expect(cells.nth(0)).toHaveText(String(w.bookings.web));
      await expect(cells.nth(3)).toHaveText(String(w.bookings.total));
      await expect(cells.nth(7)).toHaveText(String(w.noShows));
      await expect(cells.nth(9)).toHaveText(String(w.bookedSlots));
    }
    await expect(page.getByTestId('kpi-bookings')).toContainText(num(recent.bookings.total));
    await expect(page.getByTestId('kpi-bookings')).toContainText(`Telefon ${num(recent.bookings.phone)}`);
    await page.setViewportSize({ width: 1440, height: 1900 });
    await page.screenshot({ path: `${SCREENS}/demo-history-statistics.png` });
    await expectAccessible(page, 'statistics', 'all');
  });

  test('shows all ten weeks of history when asked for them', async ({ page }) => {
    await openStatistics(page);
    await page.getByLabel('Från').fill(HISTORY.from);
    await page.getByLabel('Till och med').fill(HISTORY.to);
    await page.getByRole('button', { name: 'Visa' }).click();
    const rows = page.getByTestId('stats-weeks').locator('tbody tr');
    await expect(rows).toHaveCount(10);
    await expect(page.getByTestId('kpi-bookings')).toContainText(num(history.bookings.total));
    await expect(page.getByTestId('kpi-bookings')).toContainText(`Webb (1177) ${num(history.bookings.web)}`);
    await expect(page.getByTestId('kpi-webshare')).toContainText(
      new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 1 }).format(history.bookings.webShare!),
    );
    for (const w of history.weeks) {
      await expect(weekRow(page, w.week).locator('td').nth(3)).toHaveText(String(w.bookings.total));
    }
    // Every week's bar is drawn: ten weeks of bookings by channel.
    await expect(page.locator('figure[aria-labelledby="chart-weeks-title"] .recharts-bar-rectangle').nth(9)).toBeVisible();
    await page.setViewportSize({ width: 1440, height: 1900 });
    await page.screenshot({ path: `${SCREENS}/demo-history-ten-weeks.png` });
    await expectAccessible(page, 'statistics', 'all');
  });
});
