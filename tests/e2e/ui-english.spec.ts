// The English UI, walked screen by screen and dialog by dialog as an admin: no i18n key shown
// as text and no Swedish UI string left behind (in text, labels, titles, placeholders or options).
// The unit's own data (names, notes, titles) stays as typed and is not checked.
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { sv } from '../../src-renderer/i18n/sv.ts';
import { en } from '../../src-renderer/i18n/en.ts';
import { apiCall, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { CalendarRange } from '../../src-main/api/types.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const NOW = Date.parse(MONDAY);

type Tree = { [k: string]: string | Tree };
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`),
  );
}
const svLeaves = leaves(sv as unknown as Tree);
const enText = leaves(en as unknown as Tree)
  .map(([, v]) => v)
  .join('\n');
const keys = new Set(svLeaves.map(([k]) => k.replace(/_(one|other|zero)$/, '')));
/**
 * Swedish strings that would give themselves away: the parts of each Swedish value between its
 * {{placeholders}}, of at least two words or one word with å, ä or ö, that English never uses.
 */
const swedish = [
  ...new Set(
    svLeaves.flatMap(([, v]) =>
      v
        .split(/\{\{[^}]*\}\}|<\/?\w+>|[()"”:;·–|]/)
        .map((s) =>
          s
            .trim()
            .replace(/[.,!?…]+$/, '')
            .trim(),
        )
        .filter((s) => (/\S\s\S/.test(s) || /[åäöÅÄÖ]/.test(s)) && s.length >= 5 && !enText.includes(s)),
    ),
  ),
];

/** Everything a person or a screen reader meets on the page. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]'))) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    for (const o of Array.from(document.querySelectorAll('option'))) parts.push(o.textContent ?? '');
    return parts.join('\n');
  });
}

let shell: RunningShell;
let today: CalendarRange;
let data: string[] = [];
test.beforeAll(async () => {
  shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  // Read before the page signs the demo's own session out.
  today = await apiCall<CalendarRange>(shell, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  // The unit's own words (names, titles, notes, reasons) are shown as typed in either language.
  const db = new Database(shell.dbPath, { readonly: true });
  const rows = db
    .prepare(
      `SELECT name AS t FROM units UNION SELECT name FROM resources UNION SELECT title FROM resources
       UNION SELECT given_name || ' ' || family_name FROM patients UNION SELECT given_name FROM patients
       UNION SELECT family_name FROM patients UNION SELECT display_name FROM users
       UNION SELECT note FROM bookings UNION SELECT reason_text FROM bookings UNION SELECT cancel_reason_text FROM bookings
       UNION SELECT note FROM waitlist UNION SELECT reason FROM absences`,
    )
    .all() as { t: string | null }[];
  db.close();
  data = rows
    .map((r) => r.t ?? '')
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length);
});
test.afterAll(async () => shell.stop());

test('the English UI shows no i18n key and no Swedish UI text', async ({ page }) => {
  test.setTimeout(240_000);
  page.setDefaultTimeout(10_000);
  const found: string[] = [];
  async function look(screen: string): Promise<void> {
    if (screen !== 'sign-in') await expect(page.getByTestId('signed-in-user')).toBeVisible();
    let text = await visibleText(page);
    for (const d of data) text = text.split(d).join(' ');
    for (const m of text.matchAll(/\b[a-z][A-Za-z]*(?:\.[A-Za-z_]+)+\b/g))
      if (keys.has(m[0])) found.push(`${screen}: key ${m[0]}`);
    for (const s of swedish) if (text.includes(s)) found.push(`${screen}: "${s}"`);
    // Whatever Swedish letters remain once the unit's data is taken out is the UI's own.
    for (const m of text.matchAll(/\S*[åäöÅÄÖ]\S*/g)) found.push(`${screen}: ${m[0]}`);
  }
  await page.clock.setFixedTime(new Date(MONDAY));
  await page.goto(shell.url);
  const signOut = page.getByRole('button', { name: 'Logga ut' });
  await expect(signOut.or(page.getByLabel('Användarnamn'))).toBeVisible();
  if (await signOut.isVisible()) await signOut.click();
  // English is chosen on the sign-in card, before anyone has signed in.
  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await look('sign-in');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('demo-admin');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const range = today;
  const booked = new Set(range.bookings.map((b) => b.slotId));
  const slot = range.slots.find((s) => s.state === 'open' && s.startAt > NOW + 3 * 3_600_000 && !booked.has(s.id))!;
  const booking = range.bookings.find((b) => b.status === 'booked' && b.startAt > NOW + 3_600_000)!;

  await expect(page.locator('[data-booking-id]').first()).toBeVisible();
  await look('calendar day');
  await page.locator(`[data-slot-id="${slot.id}"]`).click();
  await page
    .getByTestId('book-dialog')
    .getByLabel('Patient (identity number or name)')
    .fill(booking.patient.displayName.split(' ')[0]!);
  await look('book dialog');
  await page.keyboard.press('Escape');
  await page.locator(`[data-booking-id="${booking.id}"]`).click();
  const dialog = page.getByTestId('booking-dialog');
  await look('booking dialog');
  await dialog.getByRole('button', { name: 'Cancel booking …' }).click();
  await look('cancel form');
  await page.keyboard.press('Escape');
  await page.locator(`[data-booking-id="${booking.id}"]`).click();
  await dialog.getByRole('button', { name: 'Open patient' }).click();
  await look('patient card');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Search patient' }).click();
  await page.keyboard.type('Lind');
  await look('patient search');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'First free slot' }).click();
  await look('first free slot');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Week', exact: true }).click();
  await look('calendar week');
  await page.getByRole('button', { name: 'List', exact: true }).click();
  await look('calendar list');
  await page.keyboard.press('?');
  await look('keyboard help');
  await page.keyboard.press('Escape');

  const pages: [string, string | null][] = [
    ['bookings', null],
    ['waitlist', 'Add patient'],
    ['appointmentTypes', 'New appointment type'],
    ['templates', 'New schedule template'],
    ['templates', 'New single slot'],
    ['absences', null],
    ['export', null],
    ['statistics', null],
    ['sync', null],
    ['settings', 'New resource'],
    ['audit', 'Search'],
    ['users', null],
  ];
  for (const [hash, button] of pages) {
    await page.evaluate((h) => (window.location.hash = `#/${h}`), hash);
    await expect(page.locator(`nav a[data-page="${hash}"]`)).toHaveAttribute('aria-current', 'page');
    await page.waitForLoadState('networkidle');
    if (hash === 'statistics') await expect(page.getByTestId('stats-types')).toBeVisible();
    await look(hash);
    if (button) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.waitForLoadState('networkidle');
      await look(`${hash}: ${button}`);
      await page.keyboard.press('Escape');
    }
  }
  expect(found).toEqual([]);
});
