// Read side of the calendar: what the resource day/week views show for a date range.
import {
  ACTIVE_BOOKING_STATUSES,
  BOOKING_SELECT,
  toBooking,
  toResource,
  toSlot,
  type BookingRow,
  type ResourceRow,
  type SlotRow,
} from '../store/rows.ts';
import { addDays, eachDate, localDate, startOfLocalDay } from '../domain/time.ts';
import type { CalendarRange } from '../api/types.ts';
import type { ServiceContext } from './context.ts';
import { currentUnit } from './unit.ts';

export function calendarRange(
  ctx: ServiceContext,
  input: { from: string; to: string; resourceIds?: string[] | undefined },
): CalendarRange {
  const unit = currentUnit(ctx);
  const fromAt = startOfLocalDay(input.from, unit.timeZone);
  const toAt = startOfLocalDay(input.to, unit.timeZone);
  const allResources = (
    ctx.db
      .prepare(`SELECT * FROM resources WHERE unit_id = ? AND active = 1 ORDER BY sort_order, name`)
      .all(unit.id) as ResourceRow[]
  ).map(toResource);
  const wanted = input.resourceIds ? new Set(input.resourceIds) : null;
  const resources = wanted ? allResources.filter((r) => wanted.has(r.id)) : allResources;
  const ids = JSON.stringify(resources.map((r) => r.id));

  const slots = (
    ctx.db
      .prepare(
        `SELECT s.* FROM json_each(?) r
           JOIN slots s ON s.resource_id = r.value AND s.start_at >= ? AND s.start_at < ?
          WHERE s.state <> 'removed'
          ORDER BY s.start_at`,
      )
      .all(ids, fromAt, toAt) as SlotRow[]
  ).map(toSlot);

  const bookings = (
    ctx.db
      .prepare(
        `${BOOKING_SELECT}
          JOIN json_each(?) r ON s.resource_id = r.value
         WHERE s.start_at >= ? AND s.start_at < ? AND b.status IN ${ACTIVE_BOOKING_STATUSES}
         ORDER BY s.start_at`,
      )
      .all(ids, fromAt, toAt) as BookingRow[]
  ).map(toBooking);

  const openDates = new Set(slots.map((s) => localDate(s.startAt, unit.timeZone)));
  const closedDates = [...eachDate(input.from, input.to)].filter((d) => !openDates.has(d));
  return { from: input.from, to: input.to, resources, slots, bookings, closedDates };
}

/** First date from `from` (inclusive) in `direction` on which the unit has any live slot. */
export function nextOpenDate(
  ctx: ServiceContext,
  input: { from: string; direction?: 'forward' | 'backward' | undefined },
): { date: string | null } {
  const unit = currentUnit(ctx);
  const forward = input.direction !== 'backward';
  const at = forward ? startOfLocalDay(input.from, unit.timeZone) : startOfLocalDay(addDays(input.from, 1), unit.timeZone);
  const row = ctx.db
    .prepare(
      forward
        ? `SELECT s.start_at FROM slots s JOIN resources r ON r.id = s.resource_id
            WHERE r.unit_id = ? AND r.active = 1 AND s.state <> 'removed' AND s.start_at >= ? AND s.start_at < ?
            ORDER BY s.start_at LIMIT 1`
        : `SELECT s.start_at FROM slots s JOIN resources r ON r.id = s.resource_id
            WHERE r.unit_id = ? AND r.active = 1 AND s.state <> 'removed' AND s.start_at < ? AND s.start_at >= ?
            ORDER BY s.start_at DESC LIMIT 1`,
    )
    .get(unit.id, at, forward ? at + 366 * 86_400_000 : at - 366 * 86_400_000) as { start_at: number } | undefined;
  return { date: row ? localDate(row.start_at, unit.timeZone) : null };
}
