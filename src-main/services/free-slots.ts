// "Första lediga tid": the first N free, bookable slots of an appointment type. The partial index
// slots_free (type list, start) holds only open slots without an active booking (slots.booked,
// kept by triggers, migration 0005), so the cost does not grow with the number of booked slots:
// find the distinct type lists that offer the type (one index seek each), walk each list's slots
// in time order up to N, and merge. The slot and booking checks stay as a guard.
// A time held on återbudslistan (waitlist.offered_slot_id) is listed: the hold keeps it from the
// list's other patients (waitlist.offerableSlots, absence proposals), not from the desk, whose
// booking releases it (services/waitlist-holds.ts).
// A deactivated type is searched only for moving bookings patients already hold (rebookingId,
// movingBooked): its times laid before the deactivation still offer it.
import type { FreeSlot } from '../api/methods/scheduling.ts';
import { invalid, notFound } from '../api/result.ts';
import type { BookingStatus } from '../api/types.ts';
import { bookingWindow, mayBookTypeOnWeb, OPEN_STATUSES } from '../domain/booking-rules.ts';
import { addDays, localDate, startOfLocalDay } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { getAppointmentType } from './appointment-types.ts';
import { getResource } from './slots.ts';
import type { ServiceContext } from './context.ts';
import { currentUnit } from './unit.ts';
import { asKnownProfession } from './professions.ts';

export interface FreeSlotQuery {
  appointmentTypeId: string;
  from?: string | undefined;
  to?: string | undefined;
  /** An instant to start from (later than `from` when both are given). */
  fromAt?: number | undefined;
  resourceId?: string | undefined;
  profession?: string | undefined;
  webOnly?: boolean | undefined;
  invited?: boolean | undefined;
  limit?: number | undefined;
  /** Resource whose slots do not count (absence rebooking looks past the absent clinician's blocked time anyway). */
  excludeResourceId?: string | undefined;
  /** Ignore the type's minimum lead time (staff moving bookings the unit cancelled). */
  ignoreLeadTime?: boolean;
  /** The booking staff are moving (the rebooking search): a deactivated type of its own is searched too. */
  rebookingId?: string | undefined;
  /** Staff moving bookings patients already hold (absence rebooking): a deactivated type is searched too. */
  movingBooked?: boolean;
}

/**
 * Whether the search moves a booking of the type patients already hold: a deactivated type's
 * booked patients may be moved to times laid while it was offered (checkFit), never booked anew.
 */
function movesHeldBooking(ctx: ServiceContext, q: FreeSlotQuery): boolean {
  if (q.movingBooked) return true;
  if (q.rebookingId === undefined) return false;
  const b = ctx.db.prepare(`SELECT appointment_type_id, status FROM bookings WHERE id = ?`).get(q.rebookingId) as
    { appointment_type_id: string; status: BookingStatus } | undefined;
  if (!b) throw notFound('Bokningen', q.rebookingId);
  return b.appointment_type_id === q.appointmentTypeId && OPEN_STATUSES.includes(b.status);
}

const DEFAULT_DAYS = 180;

const FILTERS = `
     AND s.state = 'open' AND (@webOnly = 0 OR s.web_published = 1)
     AND s.end_at - s.start_at >= @durationMs
     AND r.active = 1
     AND (@excludeResourceId IS NULL OR s.resource_id <> @excludeResourceId)
     AND (@profession IS NULL OR r.profession = @profession)
     AND (@professions = '[]' OR r.profession IN (SELECT value FROM json_each(@professions)))
     AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})`;

/**
 * The distinct type lists of free slots, by skipping through slots_free: each step seeks the
 * next list greater than the last, so the cost is one seek per distinct list, not per slot.
 */
const TYPE_LISTS = `
  WITH RECURSIVE list(types) AS (
    SELECT min(appointment_type_ids) FROM slots INDEXED BY slots_free WHERE state = 'open' AND booked = 0
    UNION ALL
    SELECT (SELECT min(s.appointment_type_ids) FROM slots s INDEXED BY slots_free
             WHERE s.state = 'open' AND s.booked = 0 AND s.appointment_type_ids > list.types)
      FROM list WHERE list.types IS NOT NULL
  )
  SELECT types FROM list WHERE types IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(types) WHERE value = ?)`;

/**
 * Any resource: walk one type list's free slots in time order. Slots at the same time come in
 * the resources' display order (SQLite sorts only each group of equal starts, not the range).
 */
const BY_TYPE_LIST = `
  SELECT s.id, s.resource_id, s.start_at, s.end_at, s.web_published, s.appointment_type_ids, r.name, r.profession, r.sort_order
    FROM slots s INDEXED BY slots_free
    JOIN resources r ON r.id = s.resource_id
   WHERE s.appointment_type_ids = @types AND s.booked = 0 AND s.start_at >= @fromAt AND s.start_at < @toAt
     ${FILTERS}
   ORDER BY s.start_at, r.sort_order, s.resource_id
   LIMIT @limit`;

/** One resource: walk its slots in time order, keeping the free ones that offer the type. */
const BY_RESOURCE = `
  SELECT s.id, s.resource_id, s.start_at, s.end_at, s.web_published, s.appointment_type_ids, r.name, r.profession, r.sort_order
    FROM slots s INDEXED BY slots_by_resource_start
    JOIN resources r ON r.id = s.resource_id
   WHERE s.resource_id = @resourceId AND s.state <> 'removed' AND s.start_at >= @fromAt AND s.start_at < @toAt
     AND s.booked = 0 AND EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = @type)
     ${FILTERS}
   ORDER BY s.start_at
   LIMIT @limit`;

interface Row {
  id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  web_published: number;
  appointment_type_ids: string;
  name: string;
  profession: string | null;
  sort_order: number;
}

/** The order of BY_TYPE_LIST, for merging its answers per type list. */
const byStartThenResource = (a: Row, b: Row) =>
  a.start_at - b.start_at ||
  a.sort_order - b.sort_order ||
  (a.resource_id < b.resource_id ? -1 : a.resource_id > b.resource_id ? 1 : 0);

type Stmt = ReturnType<ServiceContext['db']['prepare']>;
const statements = new WeakMap<ServiceContext['db'], { typeLists: Stmt; byTypeList: Stmt; byResource: Stmt }>();

/** `typed` as the unit's resources spell it; `validation` when none of them has it. */
function unitProfession(ctx: ServiceContext, unitId: string, typed: string): string {
  const profession = asKnownProfession(ctx, typed);
  const held = ctx.db.prepare(`SELECT 1 FROM resources WHERE unit_id = ? AND profession = ? LIMIT 1`).get(unitId, profession);
  if (!held) throw invalid(`Ingen resurs på enheten har yrket "${typed.trim()}".`, { field: 'profession' });
  return profession;
}

export function findFreeSlots(ctx: ServiceContext, q: FreeSlotQuery): FreeSlot[] {
  const unit = currentUnit(ctx);
  const type = getAppointmentType(ctx, q.appointmentTypeId);
  // A clinician asked for by an id that is nobody's is a mistake to report, not "no free time".
  if (q.resourceId !== undefined) getResource(ctx, q.resourceId);
  // So is a profession nobody on the unit has (a typo would otherwise read as a full book).
  const profession = q.profession === undefined ? null : unitProfession(ctx, unit.id, q.profession);
  if (!type.active && !movesHeldBooking(ctx, q)) return [];
  if (q.webOnly && !mayBookTypeOnWeb(type, q.invited === true)) return [];
  const now = ctx.now();
  const window = bookingWindow(type, now, unit.timeZone);
  const from = q.from ? startOfLocalDay(q.from, unit.timeZone) : now;
  // Without an end, look DEFAULT_DAYS past where the search starts (a date months ahead too), in
  // calendar days: a fixed 180 × 24 h would end an hour early or late on the wall clock when the
  // clocks change in between (the 180th day losing its last hour, or the 181st gaining one). From
  // today, through the whole 180th day after it, as a 180-day booking window reaches: stopping at
  // the hour it is now left that day's later times bookable but never found.
  const to = q.to
    ? startOfLocalDay(addDays(q.to, 1), unit.timeZone)
    : q.from && from > now
      ? startOfLocalDay(addDays(q.from, DEFAULT_DAYS), unit.timeZone)
      : startOfLocalDay(addDays(localDate(now, unit.timeZone), DEFAULT_DAYS + 1), unit.timeZone);
  const fromAt = Math.max(from, q.fromAt ?? 0, now + 1, q.ignoreLeadTime ? 0 : window.earliest);
  const toAt = Math.min(to, window.latest + 1);
  if (toAt <= fromAt) return [];
  let stmts = statements.get(ctx.db);
  if (!stmts) {
    stmts = {
      typeLists: ctx.db.prepare(TYPE_LISTS).pluck(),
      byTypeList: ctx.db.prepare(BY_TYPE_LIST),
      byResource: ctx.db.prepare(BY_RESOURCE),
    };
    statements.set(ctx.db, stmts);
  }
  const limit = q.limit ?? 10;
  const params = {
    type: type.id,
    fromAt,
    toAt,
    webOnly: q.webOnly ? 1 : 0,
    resourceId: q.resourceId ?? null,
    excludeResourceId: q.excludeResourceId ?? null,
    profession,
    professions: JSON.stringify(type.professions),
    // A slot laid out before the type was lengthened no longer fits it: never offered.
    durationMs: type.durationMin * 60_000,
    limit,
  };
  let rows: Row[];
  if (q.resourceId) {
    rows = stmts.byResource.all(params) as Row[];
  } else {
    // Each list's first N in time order, merged: the overall first N are among them.
    const lists = stmts.typeLists.all(type.id) as string[];
    const { type: _type, resourceId: _resourceId, ...listParams } = params;
    rows = lists.flatMap((types) => stmts.byTypeList.all({ ...listParams, types }) as Row[]);
    if (lists.length > 1) rows = rows.sort(byStartThenResource).slice(0, limit);
  }
  return rows.map((r) => ({
    slotId: r.id,
    resourceId: r.resource_id,
    resourceName: r.name,
    profession: r.profession,
    startAt: r.start_at,
    endAt: r.end_at,
    webPublished: r.web_published === 1,
    appointmentTypeIds: JSON.parse(r.appointment_type_ids) as string[],
  }));
}
