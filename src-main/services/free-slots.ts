// "Första lediga tid": the first N free, bookable slots of an appointment type. Walks the
// partial index slot_types_bookable (type, start) in time order and stops at N: it holds only
// open slots without an active booking (kept in step by triggers, migration 0004), so the cost
// does not grow with the number of booked slots. The slot and booking checks stay as a guard.
import type { FreeSlot } from '../api/methods/scheduling.ts';
import { bookingWindow } from '../domain/booking-rules.ts';
import { addDays, startOfLocalDay } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { getAppointmentType } from './appointment-types.ts';
import type { ServiceContext } from './context.ts';
import { currentUnit } from './unit.ts';

export interface FreeSlotQuery {
  appointmentTypeId: string;
  from?: string | undefined;
  to?: string | undefined;
  resourceId?: string | undefined;
  profession?: string | undefined;
  webOnly?: boolean | undefined;
  invited?: boolean | undefined;
  limit?: number | undefined;
  /** Resource whose slots do not count (absence rebooking looks past the absent clinician's blocked time anyway). */
  excludeResourceId?: string | undefined;
  /** Ignore the type's minimum lead time (staff moving bookings the unit cancelled). */
  ignoreLeadTime?: boolean;
}

const DEFAULT_DAYS = 180;

const FILTERS = `
     AND s.state = 'open' AND (@webOnly = 0 OR s.web_published = 1)
     AND r.active = 1
     AND (@excludeResourceId IS NULL OR s.resource_id <> @excludeResourceId)
     AND (@profession IS NULL OR r.profession = @profession)
     AND (@professions = '[]' OR r.profession IN (SELECT value FROM json_each(@professions)))
     AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES})`;

/** Any resource: walk the type's bookable slots in time order. */
const BY_TYPE = `
  SELECT s.id, s.resource_id, s.start_at, s.end_at, s.web_published, s.appointment_type_ids, r.name, r.profession
    FROM slot_types st INDEXED BY slot_types_bookable
    JOIN slots s ON s.id = st.slot_id
    JOIN resources r ON r.id = s.resource_id
   WHERE st.appointment_type_id = @type AND st.bookable = 1 AND st.start_at >= @fromAt AND st.start_at < @toAt
     ${FILTERS}
   ORDER BY st.start_at
   LIMIT @limit`;

/** One resource: walk its slots in time order, keeping those that offer the type and are bookable. */
const BY_RESOURCE = `
  SELECT s.id, s.resource_id, s.start_at, s.end_at, s.web_published, s.appointment_type_ids, r.name, r.profession
    FROM slots s INDEXED BY slots_by_resource_start
    JOIN resources r ON r.id = s.resource_id
   WHERE s.resource_id = @resourceId AND s.state <> 'removed' AND s.start_at >= @fromAt AND s.start_at < @toAt
     AND EXISTS (SELECT 1 FROM slot_types st
                  WHERE st.appointment_type_id = @type AND st.start_at = s.start_at AND st.slot_id = s.id AND st.bookable = 1)
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
}

type Stmt = ReturnType<ServiceContext['db']['prepare']>;
const statements = new WeakMap<ServiceContext['db'], { byType: Stmt; byResource: Stmt }>();

export function findFreeSlots(ctx: ServiceContext, q: FreeSlotQuery): FreeSlot[] {
  const unit = currentUnit(ctx);
  const type = getAppointmentType(ctx, q.appointmentTypeId);
  if (!type.active) return [];
  if (q.webOnly && !type.webBookable && !(type.invitationOnly && q.invited)) return [];
  const now = ctx.now();
  const window = bookingWindow(type, now);
  const from = q.from ? startOfLocalDay(q.from, unit.timeZone) : now;
  const to = q.to ? startOfLocalDay(addDays(q.to, 1), unit.timeZone) : now + DEFAULT_DAYS * 86_400_000;
  const fromAt = Math.max(from, now + 1, q.ignoreLeadTime ? 0 : window.earliest);
  const toAt = Math.min(to, window.latest + 1);
  if (toAt <= fromAt) return [];
  let stmts = statements.get(ctx.db);
  if (!stmts) {
    stmts = { byType: ctx.db.prepare(BY_TYPE), byResource: ctx.db.prepare(BY_RESOURCE) };
    statements.set(ctx.db, stmts);
  }
  const rows = (q.resourceId ? stmts.byResource : stmts.byType).all({
    type: type.id,
    fromAt,
    toAt,
    webOnly: q.webOnly ? 1 : 0,
    resourceId: q.resourceId ?? null,
    excludeResourceId: q.excludeResourceId ?? null,
    profession: q.profession ?? null,
    professions: JSON.stringify(type.professions),
    limit: q.limit ?? 10,
  }) as Row[];
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
