// The desk's booking list: one filtered, paged query over the bookings whose slot starts in a
// period, with patients masked as the calendar masks them. The access-log reads are written by
// the handler (api/handlers/bookings-search.ts), like calendar.range's.
//
// Masking (DESIGN.md, protected identity): a protected patient's name never shows in a list
// (the renderer shows "Skyddad identitet", as in the calendar). Roles whose work needs the
// patient's details (mayShowContactDetails) see the identity number and the note, as in the
// calendar; other roles see neither, and cannot find a protected patient by number or name,
// since the list would then tell them when and where that patient will be seen.
import type { BookingList, BookingListRow } from '../api/methods/bookings-search.ts';
import { DEFAULT_LIST_STATUSES } from '../api/methods/bookings-search.ts';
import type { BookingStatus, Channel, ContactMode } from '../api/types.ts';
import { mayShowContactDetails } from '../domain/availability.ts';
import { addDays, localDate, startOfLocalDay, wallClockToInstant } from '../domain/time.ts';
import type { Caller, ServiceContext } from './context.ts';
import { patientMatch } from './patient-match.ts';
import { identityNumberProblem } from './patients.ts';
import { currentUnit } from './unit.ts';

export interface BookingSearchInput {
  from: string;
  to: string;
  resourceIds?: string[] | undefined;
  statuses?: BookingStatus[] | undefined;
  channels?: Channel[] | undefined;
  appointmentTypeIds?: string[] | undefined;
  patient?: string | undefined;
  createdSince?: string | undefined;
  sort?: 'start' | 'createdDesc' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

interface Filter {
  where: string;
  params: unknown[];
}

/**
 * The patient part of the filter, as a subquery on patients: the planner can then start from
 * the patient (identity number index, then bookings by patient) instead of the period's slots.
 * The query reads as in patients.search (services/patient-match.ts).
 */
function patientFilter(ctx: ServiceContext, query: string, today: string, seesProtected: boolean): Filter | null {
  const match = patientMatch(ctx, query, today);
  if (!match) return null;
  const hideProtected = seesProtected ? '' : ' AND protected_identity = 0';
  return { where: `b.patient_id IN (SELECT id FROM patients WHERE ${match.where}${hideProtected})`, params: match.params };
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm' on the unit's wall clock -> epoch ms. */
function localInstant(value: string, tz: string): number {
  const [date, time] = value.split('T') as [string, string | undefined];
  if (!time) return startOfLocalDay(date, tz);
  const [h, m] = time.split(':').map(Number) as [number, number];
  return wallClockToInstant(date, h * 60 + m, tz);
}

const json = (xs: readonly string[]) => JSON.stringify(xs);

/** The list's two statements (count, page) and their parameters; exported for the query-plan test. */
export function bookingQuery(
  ctx: ServiceContext,
  caller: Caller,
  input: BookingSearchInput,
): { countSql: string; pageSql: string; params: unknown[] } {
  const unit = currentUnit(ctx);
  const tz = unit.timeZone;
  const seesProtected = mayShowContactDetails(true, caller.roles);

  // Slots by start (slots_by_start), bookings by slot (bookings_by_slot): the period bounds the work.
  const conds = ['s.start_at >= ?', 's.start_at < ?', 'r.unit_id = ?', 'b.status IN (SELECT value FROM json_each(?))'];
  const params: unknown[] = [
    startOfLocalDay(input.from, tz),
    startOfLocalDay(addDays(input.to, 1), tz),
    unit.id,
    json(input.statuses ?? DEFAULT_LIST_STATUSES),
  ];
  if (input.resourceIds) {
    conds.push('s.resource_id IN (SELECT value FROM json_each(?))');
    params.push(json(input.resourceIds));
  }
  if (input.channels) {
    conds.push('b.channel IN (SELECT value FROM json_each(?))');
    params.push(json(input.channels));
  }
  if (input.appointmentTypeIds) {
    conds.push('b.appointment_type_id IN (SELECT value FROM json_each(?))');
    params.push(json(input.appointmentTypeIds));
  }
  if (input.createdSince) {
    conds.push('b.created_at >= ?');
    params.push(localInstant(input.createdSince, tz));
  }
  const patient = input.patient ? patientFilter(ctx, input.patient, localDate(ctx.now(), tz), seesProtected) : null;
  if (patient) {
    conds.push(patient.where);
    params.push(...patient.params);
  }

  const joins = `FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN resources r ON r.id = s.resource_id`;
  const where = `WHERE ${conds.join(' AND ')}`;
  const order =
    input.sort === 'createdDesc'
      ? 'b.created_at DESC, b.id DESC'
      : // Same-time bookings in the calendar's column order.
        's.start_at, r.sort_order, r.name, b.id';

  return {
    countSql: `SELECT count(*) AS n ${joins} ${where}`,
    pageSql: `SELECT b.id, b.slot_id, s.resource_id, r.name, s.start_at, s.end_at,
              p.id, p.given_name, p.family_name, p.identity_number, p.protected_identity,
              b.appointment_type_id, t.name_sv, t.name_en, t.colour,
              b.contact_mode, b.status, b.channel, b.note, b.created_at,
              b.reason_code, b.reason_text, b.cancel_reason_code, b.cancel_reason_text
         ${joins} JOIN patients p ON p.id = b.patient_id JOIN appointment_types t ON t.id = b.appointment_type_id
         ${where}
        ORDER BY ${order}
        LIMIT ? OFFSET ?`,
    params,
  };
}

export function searchBookings(ctx: ServiceContext, caller: Caller, input: BookingSearchInput): BookingList {
  const limit = input.limit ?? 100;
  const offset = input.offset ?? 0;
  const seesProtected = mayShowContactDetails(true, caller.roles);
  const q = bookingQuery(ctx, caller, input);
  const total = (ctx.db.prepare(q.countSql).get(...q.params) as { n: number }).n;
  // One query for the page, patients and names joined in (no query per row).
  const rows = ctx.db
    .prepare(q.pageSql)
    .raw()
    .all(...q.params, limit, offset) as unknown[][];

  return {
    rows: rows.map((r): BookingListRow => {
      const isProtected = r[10] === 1;
      const shown = !isProtected || seesProtected;
      return {
        id: r[0] as string,
        slotId: r[1] as string,
        resourceId: r[2] as string,
        resourceName: r[3] as string,
        startAt: r[4] as number,
        endAt: r[5] as number,
        patient: {
          id: r[6] as string,
          displayName: isProtected ? null : `${r[7] as string} ${r[8] as string}`,
          identityNumber: shown ? (r[9] as string) : null,
          protectedIdentity: isProtected,
        },
        appointmentTypeId: r[11] as string,
        appointmentTypeName: { sv: r[12] as string, en: r[13] as string },
        appointmentTypeColour: r[14] as string,
        contactMode: r[15] as ContactMode,
        status: r[16] as BookingStatus,
        channel: r[17] as Channel,
        note: shown ? (r[18] as string) : '',
        createdAt: r[19] as number,
        reasonCode: shown ? (r[20] as string | null) : null,
        reasonText: shown ? (r[21] as string | null) : null,
        cancelReasonCode: shown ? (r[22] as string | null) : null,
        cancelReasonText: shown ? (r[23] as string | null) : null,
      };
    }),
    total,
    offset,
    limit,
    patientHint: total === 0 && input.patient ? identityNumberProblem(ctx, input.patient) : null,
  };
}
