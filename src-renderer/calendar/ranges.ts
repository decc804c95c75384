// Which dates a view loads, and how it steps. Only the visible range is loaded (its neighbours
// are prefetched so navigation paints from cache).
import type { QueryClient } from '@tanstack/react-query';
import type { Booking, CalendarRange } from '../../src-main/api/types.ts';
import { addDaysIso, startOfWeekIso } from './wallclock.ts';

export type PageView = 'day' | 'week' | 'list';

export function rangeFor(view: PageView, date: string): { from: string; to: string } {
  if (view === 'week') {
    const from = startOfWeekIso(date);
    return { from, to: addDaysIso(from, 7) };
  }
  return { from: date, to: addDaysIso(date, 1) };
}

export function step(view: PageView, date: string, dir: 1 | -1): string {
  return addDaysIso(view === 'week' ? startOfWeekIso(date) : date, dir * (view === 'week' ? 7 : 1));
}

export const rangeKey = (r: { from: string; to: string }) => ['calendar.range', r.from, r.to] as const;

/**
 * Applies a booking change main has just confirmed to every cached range, so the calendar shows
 * it at once; the change event that follows refetches the truth in the background.
 */
export function applyBookingChange(client: QueryClient, removed: readonly string[], added: readonly Booking[]): void {
  for (const [key, data] of client.getQueriesData<CalendarRange>({ queryKey: ['calendar.range'] })) {
    if (!data) continue;
    const slotIds = new Set(data.slots.map((s) => s.id));
    const gone = new Set([...removed, ...added.map((b) => b.id)]);
    const bookings = data.bookings.filter((b) => !gone.has(b.id));
    for (const b of added) if (slotIds.has(b.slotId) && ACTIVE.has(b.status)) bookings.push(b);
    client.setQueryData<CalendarRange>(key, { ...data, bookings });
  }
}

const ACTIVE = new Set(['preliminary', 'booked', 'arrived', 'completed', 'no_show']);
