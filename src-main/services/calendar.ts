// Read side of the calendar: what the resource day/week views show for a date range.
import type { Statement } from 'better-sqlite3';
import { ACTIVE_BOOKING_STATUSES, toResource, type ResourceRow } from '../store/rows.ts';
import { addDays, eachDate, localDate, startOfLocalDay } from '../domain/time.ts';
import type { Booking, BookingStatus, CalendarRange, Channel, ContactMode, Slot, SlotState } from '../api/types.ts';
import type { ServiceContext } from './context.ts';
import { currentUnit } from './unit.ts';
import { slotsHeldElsewhere } from './waitlist-holds.ts';

const weekStatements = new WeakMap<ServiceContext['db'], Statement>();

/**
 * The rows of the range query: each live slot in [@fromAt, @toAt) of the resources in @ids (a
 * JSON array) with its active booking and patient. Exported for the benchmark, which also counts
 * the same join inside SQLite to show what reading it costs apart from handing rows to JavaScript.
 */
export const RANGE_FROM = `FROM slots s
           LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}
           LEFT JOIN patients p ON p.id = b.patient_id
          WHERE s.start_at >= @fromAt AND s.start_at < @toAt AND s.state <> 'removed'
            AND s.resource_id IN (SELECT value FROM json_each(@ids))`;

/** The range query's rows, raw, in start order (exported for the benchmark, which times the SQL alone). */
export function rangeRows(ctx: ServiceContext, fromAt: number, toAt: number, resourceIdsJson: string): unknown[][] {
  return weekStatement(ctx).all({ fromAt, toAt, ids: resourceIdsJson }) as unknown[][];
}

function weekStatement(ctx: ServiceContext): Statement {
  let st = weekStatements.get(ctx.db);
  if (!st) {
    st = ctx.db
      .prepare(
        `SELECT s.id, s.resource_id, s.start_at, s.end_at, s.appointment_type_ids, s.state, s.block_reason, s.web_published,
                s.within_care_guarantee, s.template_id,
                b.id, b.patient_id, p.given_name, p.family_name, p.identity_number, p.protected_identity,
                b.appointment_type_id, b.contact_mode, b.status, b.channel, b.note, b.rebooked_from, b.rebooked_to, b.created_at
           ${RANGE_FROM}
          ORDER BY s.start_at`,
      )
      .raw();
    weekStatements.set(ctx.db, st);
  }
  return st;
}

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

  // One pass over the range: each live slot with its active booking (if any). Raw rows, named
  // columns and a cache of parsed type lists keep a 60-resource week (~7,000 slots) cheap.
  const rows = rangeRows(ctx, fromAt, toAt, ids);
  // Times another desk holds on its återbudslista: a handful for the unit, one query per range.
  const heldElsewhere = slotsHeldElsewhere(ctx);
  const typeLists = new Map<string, string[]>();
  const slots: Slot[] = [];
  const bookings: Booking[] = [];
  for (const r of rows) {
    const typesJson = r[4] as string;
    let types = typeLists.get(typesJson);
    if (!types) typeLists.set(typesJson, (types = JSON.parse(typesJson) as string[]));
    const slot: Slot = {
      id: r[0] as string,
      resourceId: r[1] as string,
      startAt: r[2] as number,
      endAt: r[3] as number,
      appointmentTypeIds: types,
      state: r[5] as SlotState,
      blockReason: r[6] as string | null,
      webPublished: r[7] === 1,
      withinCareGuarantee: r[8] === 1,
      templateId: r[9] as string | null,
    };
    slots.push(slot);
    if (r[10] === null) {
      if (heldElsewhere.size > 0 && slot.state === 'open' && heldElsewhere.has(slot.id)) slot.heldElsewhere = true;
      continue;
    }
    bookings.push({
      id: r[10] as string,
      slotId: slot.id,
      resourceId: slot.resourceId,
      startAt: slot.startAt,
      endAt: slot.endAt,
      patient: {
        id: r[11] as string,
        displayName: `${r[12] as string} ${r[13] as string}`,
        identityNumber: r[14] as string,
        protectedIdentity: r[15] === 1,
      },
      appointmentTypeId: r[16] as string,
      contactMode: r[17] as ContactMode,
      status: r[18] as BookingStatus,
      channel: r[19] as Channel,
      note: r[20] as string,
      rebookedFrom: r[21] as string | null,
      rebookedTo: r[22] as string | null,
      createdAt: r[23] as number,
    });
  }

  // A date is open when some slot starts within its local midnights (one time-zone lookup per
  // date, not per slot: slots come sorted by start).
  const closedDates: string[] = [];
  let i = 0;
  for (const date of eachDate(input.from, input.to)) {
    const end = startOfLocalDay(addDays(date, 1), unit.timeZone);
    let open = false;
    while (i < slots.length && slots[i]!.startAt < end) {
      open = true;
      i++;
    }
    if (!open) closedDates.push(date);
  }
  return { from: input.from, to: input.to, resources, slots, bookings, closedDates, readsLogged: false };
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
