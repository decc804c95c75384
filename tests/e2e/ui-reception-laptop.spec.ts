// Every screen on a reception laptop (1366×768) in Swedish, the longer language: nothing scrolls
// sideways (a table wider than the screen hides its last columns: the note, the actions), and
// each screen is clean of WCAG 2.1 A/AA violations of any impact.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { startShell, type RunningShell } from '../helpers/web-shell.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const ADMIN: DemoUser = { username: 'admin', password: 'demo-admin', displayName: 'Ada Admin' };
const PAGES = [
  'calendar',
  'bookings',
  'waitlist',
  'appointmentTypes',
  'templates',
  'absences',
  'export',
  'statistics',
  'sync',
  'settings',
  'audit',
  'users',
] as const;

let shell: RunningShell;
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
});
test.afterAll(async () => shell.stop());
test.use({ viewport: { width: 1366, height: 768 } });

test('every screen fits 1366 pixels in Swedish and is axe clean', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, shell, ADMIN, MONDAY);
  const wide: string[] = [];
  for (const p of PAGES) {
    await page.evaluate((h) => (window.location.hash = `#/${h}`), p);
    await expect(page.locator(`nav a[data-page="${p}"]`)).toHaveAttribute('aria-current', 'page');
    await page.waitForLoadState('networkidle');
    await expect(page.locator('.tb-main [aria-busy="true"]')).toHaveCount(0);
    // Scroll containers of the page (the calendar grid scrolls by design, and is left out).
    const over = await page.evaluate(() =>
      [document.querySelector<HTMLElement>('.tb-main')!, ...Array.from(document.querySelectorAll<HTMLElement>('.tb-main *'))]
        .filter((el) => !el.closest('.tb-fc') && /auto|scroll/.test(getComputedStyle(el).overflowX))
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.className || el.tagName} ${el.scrollWidth} > ${el.clientWidth}`),
    );
    wide.push(...over.map((o) => `${p}: ${o}`));
    // A chart's tooltip shows its words too: shown, as the mouse shows it.
    if (p === 'statistics') {
      await page.locator('.recharts-bar-rectangle').first().hover();
      await expect(page.locator('.recharts-tooltip-item').first()).toBeVisible();
    }
    await expectAccessible(page, p, 'all');
  }
  expect(wide).toEqual([]);
});

test("the week view's day headings keep one line each", async ({ page }) => {
  await signInAs(page, shell, ADMIN, MONDAY);
  await page.keyboard.press('v');
  const heads = page.locator('.fc-col-header-cell[data-date] .fc-col-header-cell-cushion');
  await expect(heads.first()).toBeVisible();
  // "mån 23/11" took two lines where "tors 26/11" took one: a ragged row of headings.
  const heights = await heads.evaluateAll((els) => els.map((e) => `${e.textContent} ${(e as HTMLElement).offsetHeight}`));
  const lines = new Set(heights.map((h) => h.split(' ').at(-1)));
  expect(lines.size, heights.join(', ')).toBe(1);
});

test('a narrow week lane starts each item with who or what, a wide day lane with the time', async ({ page }) => {
  await signInAs(page, shell, ADMIN, MONDAY);
  const firstBooking = page.locator('.tb-booking').filter({ visible: true }).first();
  const lead = () => firstBooking.evaluate((e) => getComputedStyle(e, '::before').content);
  await expect(firstBooking).toBeVisible();
  expect(await lead()).toMatch(/^"\d\d:\d\d/);
  await page.keyboard.press('v');
  await expect(page.locator('.fc-col-header-cell[data-date]').nth(9)).toBeVisible();
  const width = await firstBooking.evaluate((e) => e.getBoundingClientRect().width);
  expect(width).toBeLessThan(100);
  // "08:00 C…" told nothing the grid does not: the name (or the type of a free time) leads.
  expect(await lead()).toBe('none');
  await expect(firstBooking).toHaveAttribute('aria-label', /\d\d:\d\d–\d\d:\d\d /);
  await page.screenshot({ path: 'tests/artifacts/screens/week-1366-names-first.png' });
});

test('the access log says what to do before the first search', async ({ page }) => {
  await signInAs(page, shell, ADMIN, MONDAY, '#/audit');
  // It ended at the form, an empty page below it.
  await expect(page.getByText('Ange patient, användare, period eller händelse och välj Sök.')).toBeVisible();
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await expect(page.getByTestId('audit-results')).toBeVisible();
  await expect(page.getByText('Ange patient, användare, period eller händelse och välj Sök.')).toBeHidden();
});
