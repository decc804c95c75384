// Drag-rebook round trip in the real app: a booking is dragged onto a free slot, and from the click
// on "Boka om" until the frame in which the calendar shows it there: renderer -> api (HTTP) ->
// main -> SQLite commit -> answer -> calendar repaint. Demo unit, two days ahead (outside the
// rebook cut-off, so no override step), median of a few moves.
import type { Browser, Page } from 'playwright-core';
import { apiCall, startShell } from '../../helpers/web-shell.ts';
import type { Booking, CalendarRange, Slot } from '../../../src-main/api/types.ts';
import { median } from '../figures.ts';

const MONDAY = '2026-11-23T09:10:00+01:00';
const WEDNESDAY = { from: '2026-11-25', to: '2026-11-26' };
const MOVES = 5;

async function drag(page: Page, from: string, to: string): Promise<void> {
  await page.locator(to).scrollIntoViewIfNeeded();
  await page.locator(from).scrollIntoViewIfNeeded();
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 8, { steps: 2 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** A booked slot and a free slot of its type on the same resource, nearest in time. */
function pick(range: CalendarRange, used: Set<string>): { booking: Booking; slot: Slot } | null {
  const booked = new Set(range.bookings.map((b) => b.slotId));
  const free = range.slots.filter((s) => s.state === 'open' && !booked.has(s.id) && !used.has(s.id));
  for (const booking of range.bookings) {
    if (booking.status !== 'booked' || used.has(booking.slotId)) continue;
    const slot = free
      .filter((s) => s.resourceId === booking.resourceId && s.appointmentTypeIds.includes(booking.appointmentTypeId))
      .sort((x, y) => Math.abs(x.startAt - booking.startAt) - Math.abs(y.startAt - booking.startAt))[0];
    if (slot) return { booking, slot };
  }
  return null;
}

export async function measureDragRebook(browser: Browser): Promise<number | null> {
  const shell = await startShell({ env: { TIDBOK_NOW: MONDAY } });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  try {
    await page.clock.setFixedTime(new Date(MONDAY));
    await page.goto(shell.url);
    await page.locator('[data-booking-id]').first().waitFor();
    await page.locator('input[type="date"]').fill(WEDNESDAY.from);
    await page.locator('[data-booking-id]').first().waitFor();
    const times: number[] = [];
    const used = new Set<string>();
    for (let i = 0; i < MOVES; i++) {
      const range = await apiCall<CalendarRange>(shell, 'calendar.range', WEDNESDAY);
      const move = pick(range, used);
      if (!move) break;
      used.add(move.slot.id).add(move.booking.slotId);
      await page.locator(`[data-slot-id="${move.slot.id}"]`).waitFor();
      await drag(page, `[data-booking-id="${move.booking.id}"]`, `[data-slot-id="${move.slot.id}"]`);
      await page.getByTestId('rebook-dialog').waitFor();
      // A string, not a function: tsx would wrap named helpers in __name(), unknown in the page.
      const ms = (await page.evaluate(`(async () => {
        const slotId = ${JSON.stringify(move.slot.id)};
        const button = document.querySelector('[data-testid="rebook-dialog"] button[type="submit"]');
        const t0 = performance.now();
        await new Promise((done) => {
          const observer = new MutationObserver(() => {
            if (!document.querySelector('[data-slot-id="' + slotId + '"]')) {
              observer.disconnect();
              done();
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
          button.click();
        });
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        return performance.now() - t0;
      })()`)) as number;
      times.push(ms);
      await page.getByTestId('rebook-dialog').waitFor({ state: 'detached' });
      // Let the refetch that follows main's change event settle before the next move.
      await page.waitForTimeout(300);
    }
    return times.length > 0 ? median(times) : null;
  } finally {
    await page.close();
    await shell.stop();
  }
}
