// Every screen on a reception laptop (1366×768) in Swedish, the longer language: nothing scrolls
// sideways (a table wider than the screen hides its last columns: the note, the actions), and
// each screen is clean of WCAG 2.1 A/AA violations of any impact.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers/axe.ts';
import { RECEPTIONIST, signInAs, type DemoUser } from '../helpers/sign-in.ts';
import { apiAs, startShell, type RunningShell } from '../helpers/web-shell.ts';
import type { Booking, CalendarRange } from '../../src-main/api/types.ts';

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

test('a narrow week lane starts a one-line booking with who, a two-line one with its time above, a wide day lane with the time', async ({
  page,
}) => {
  await signInAs(page, shell, ADMIN, MONDAY);
  const oneLine = page.locator('.tb-item.tb-booking:not(.tb-tall):not(.tb-short)').filter({ visible: true }).first();
  const twoLine = page.locator('.tb-item.tb-booking.tb-tall').filter({ visible: true }).first();
  const before = (l: typeof oneLine) =>
    l.evaluate((e) => `${getComputedStyle(e, '::before').display} ${getComputedStyle(e, '::before').content}`);
  // How far below the item's top its name (the last text) starts: 0 on the first line, ~16 on the second.
  const nameTop = (l: typeof oneLine) =>
    l.evaluate((e) => {
      const range = document.createRange();
      range.selectNodeContents(
        Array.from(e.childNodes)
          .reverse()
          .find((n) => n.nodeType === Node.TEXT_NODE)!,
      );
      return range.getBoundingClientRect().top - e.getBoundingClientRect().top;
    });
  await expect(oneLine).toBeVisible();
  // The day view at 1920 keeps each item one line, time first (below 200 px a two-line item breaks).
  await page.setViewportSize({ width: 1920, height: 1080 });
  // FullCalendar follows a resize a moment later (its resize handler is debounced).
  await expect.poll(() => twoLine.evaluate((e) => e.getBoundingClientRect().width)).toBeGreaterThan(200);
  expect(await before(oneLine)).toMatch(/^inline "\d\d:\d\d/);
  expect(await before(twoLine)).toMatch(/^inline "\d\d:\d\d/);
  expect(await nameTop(twoLine)).toBeLessThan(8);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.keyboard.press('v');
  await expect(page.locator('.fc-col-header-cell[data-date]').nth(9)).toBeVisible();
  await expect.poll(() => oneLine.evaluate((e) => e.getBoundingClientRect().width)).toBeLessThan(100);
  // "08:00 C…" told nothing the grid does not: the name leads.
  expect(await before(oneLine)).toMatch(/ none$/);
  await expect(oneLine).toHaveAttribute('aria-label', /\d\d:\d\d–\d\d:\d\d /);
  // Thirty minutes have room for two lines: the time on the first, the name on the second.
  expect(await before(twoLine)).toMatch(/ "\d\d:\d\d"$/);
  expect(await nameTop(twoLine)).toBeGreaterThanOrEqual(14);
  await page.screenshot({ path: 'tests/artifacts/screens/week-1366-names-first.png' });
});

test('a week of seven clinicians at 1366: each booking shows its surname, each 1177 time its mark, each day its free times', async ({
  page,
}) => {
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await page.keyboard.press('v');
  await expect(page.locator('.fc-col-header-cell.fc-resource')).toHaveCount(7);
  await expect(page.locator('.fc-col-header-cell[data-date]').nth(34)).toBeAttached();
  await expect(page.locator('.tb-item[data-booking-id]').first()).toBeVisible();
  const found = await page.evaluate(() => {
    const items = Array.from(document.querySelectorAll<HTMLElement>('.tb-fc .tb-item'));
    // What is wrong, by kind: how many items, and the first of them.
    const problems: Record<string, string> = {};
    const counts: Record<string, number> = {};
    const say = (e: HTMLElement, kind: string, detail = '') => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      problems[kind] ??= `${detail} ${e.getAttribute('aria-label')}`;
    };
    for (const e of items) {
      // The tooltip holds what a narrow lane cuts: the item's full name.
      if (!e.title || e.title !== e.getAttribute('aria-label')) say(e, 'no full-text tooltip', e.title);
      if (!e.dataset['slotId'] && !e.dataset['bookingId']) say(e, 'no data-slot-id / data-booking-id');
    }
    for (const e of items.filter((x) => x.dataset['bookingId'] && !x.classList.contains('tb-booking-protected'))) {
      // The patient's name is the item's last text; at least five letters of it show, surname first.
      const text = Array.from(e.childNodes)
        .reverse()
        .find((n) => n.nodeType === Node.TEXT_NODE) as Text | undefined;
      const who = /\d\d:\d\d–\d\d:\d\d (.+?), /.exec(e.getAttribute('aria-label') ?? '')?.[1] ?? '';
      if (!text || !who) {
        say(e, 'no name');
        continue;
      }
      if (!text.data.startsWith(`${who.split(' ').at(-1)},`)) say(e, 'not surname first', text.data);
      const range = document.createRange();
      range.selectNodeContents(text);
      const r = range.getBoundingClientRect();
      const box = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
      const shown = Math.min(r.right, right) - r.left;
      if (shown < 34) say(e, 'name cut to under 34 px', `${Math.round(shown)} px`);
      if (r.bottom > box.bottom + 1) say(e, 'name below the item');
    }
    // Items side by side only where they share minutes: none lies over another.
    for (const lane of Array.from(document.querySelectorAll<HTMLElement>('.tb-fc .tb-lane'))) {
      const rects = Array.from(lane.querySelectorAll<HTMLElement>('.tb-item')).map(
        (x) => [x, x.getBoundingClientRect()] as const,
      );
      for (const [i, [a, ra]] of rects.entries())
        for (const [b, rb] of rects.slice(i + 1))
          if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1)
            say(a, 'overlaps another item', b.getAttribute('aria-label') ?? '');
    }
    // 1177: a free time bookable there and a booking made there carry the corner mark, seen and named.
    let web = 0;
    for (const e of items) {
      const bookable = /^(Ledig|Pågår) .*publicerad på 1177/.test(e.getAttribute('aria-label') ?? '');
      const booked = e.dataset['channel'] === 'web';
      if (!bookable && !booked) continue;
      web++;
      if (booked && !/Webb \(1177\)/.test(e.getAttribute('aria-label') ?? '')) say(e, '1177 not in the name');
      const mark = e.querySelector<HTMLElement>('.tb-web');
      const m = mark?.getBoundingClientRect();
      const box = e.getBoundingClientRect();
      if (!m || m.width < 6 || m.height < 6 || Math.abs(m.right - box.right) > 2 || Math.abs(m.top - box.top) > 2)
        say(e, 'no 1177 corner');
    }
    // Each week column's header: its date, the free times on screen, the bookings in its text.
    const heads: string[] = [];
    for (const th of Array.from(document.querySelectorAll<HTMLElement>('.fc-col-header-cell[data-date][data-resource-id]'))) {
      const sel = `.fc-timegrid-col[data-date="${th.dataset['date']}"][data-resource-id="${th.dataset['resourceId']}"]`;
      const col = document.querySelector<HTMLElement>(sel)!;
      const free = col.querySelectorAll('.tb-item[data-state="free"]').length;
      const booked = col.querySelectorAll('.tb-item[data-booking-id]').length;
      const counts = th.querySelector<HTMLElement>('.tb-day-counts');
      const freeText = th.querySelector<HTMLElement>('.tb-count-free');
      const text = counts?.textContent ?? '';
      const want = col.querySelector('.tb-item') ? `^${booked} bokad[e]? · ${free} lediga?$` : '^Inga tider$';
      if (!new RegExp(want).test(text)) heads.push(`${th.dataset['date']}: "${text}", want ${want}`);
      else if (freeText && (freeText.getBoundingClientRect().width < 10 || counts!.scrollWidth > counts!.clientWidth))
        heads.push(`${text}: the free count is cut`);
    }
    return { problems: Object.entries(problems).map(([k, v]) => `${k} (${counts[k]}×): ${v}`), heads, web, items: items.length };
  });
  expect(found.items).toBeGreaterThan(300);
  expect(found.web).toBeGreaterThan(50);
  expect(found.problems).toEqual([]);
  expect(found.heads.slice(0, 10)).toEqual([]);
  await expectAccessible(page, 'calendar week of seven at 1366', 'all');
});

test("a week column's counts follow another desk's booking", async ({ page }) => {
  const otherDesk = apiAs(() => shell, 'admin', 'demo-admin');
  await signInAs(page, shell, RECEPTIONIST, MONDAY);
  await page.keyboard.press('v');
  const week = await otherDesk<CalendarRange>('calendar.range', { from: '2026-11-23', to: '2026-11-30' });
  const booked = new Set(week.bookings.map((b) => b.slotId));
  const slot = week.slots.find(
    (s) => s.state === 'open' && !booked.has(s.id) && s.startAt > Date.parse('2026-11-25T00:00:00+01:00'),
  )!;
  const date = new Date(slot.startAt).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  const head = page.locator(`.fc-col-header-cell[data-date="${date}"][data-resource-id="${slot.resourceId}"] .tb-day-counts`);
  const col = page.locator(`.fc-timegrid-col[data-date="${date}"][data-resource-id="${slot.resourceId}"]`);
  const free = await col.locator('.tb-item[data-state="free"]').count();
  const taken = await col.locator('.tb-item[data-booking-id]').count();
  await expect(head).toHaveText(new RegExp(`^${taken} bokad[e]? · ${free} lediga?$`));
  const patient = week.bookings.find((b) => !b.patient.protectedIdentity)!.patient;
  const made = await otherDesk<Booking>('bookings.book', {
    slotId: slot.id,
    patientId: patient.id,
    appointmentTypeId: slot.appointmentTypeIds[0],
  });
  await expect(page.locator(`[data-booking-id="${made.id}"]`)).toBeAttached();
  await expect(head).toHaveText(new RegExp(`^${taken + 1} bokad[e]? · ${free - 1} lediga?$`));
});

test('the access log says what to do before the first search', async ({ page }) => {
  await signInAs(page, shell, ADMIN, MONDAY, '#/audit');
  // It ended at the form, an empty page below it.
  await expect(page.getByText('Ange patient, användare, period eller händelse och välj Sök.')).toBeVisible();
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await expect(page.getByTestId('audit-results')).toBeVisible();
  await expect(page.getByText('Ange patient, användare, period eller händelse och välj Sök.')).toBeHidden();
});
