// Statistics for a unit and period: what regions report about web booking. Definitions (every
// count is over the unit's resources, and a booking or slot belongs to the period, and to the
// ISO week, of its slot's local start date; `to` is included):
// - bookings: new bookings, i.e. not made by a rebooking (rebooked_from IS NULL), whatever
//   their status now, by the channel they were made through; web share = web / total.
// - rebookings: bookings made by a rebooking (rebooked_from set), timed by their new slot;
//   web when the patient moved it on the web (the new booking's channel), else desk.
// - cancellations: bookings with status 'cancelled'; web when the patient cancelled on the web,
//   recognised by updated_by = 'web' (the actor convention of web-made changes), else desk.
// - no-shows: status 'no_show'; rate over visits due (arrived, completed, no_show).
// - utilisation: open slots (state 'open') and those holding an active booking; per resource,
//   and per appointment type (offered = open slots offering the type, a slot offering two types
//   counts for both; booked = those booked with the type).
// - lead time: slot start minus booking time, in hours, over active bookings; median and p90
//   by nearest rank (the smallest value with at least p % of the values at or below it).
// Reads only non-patient aggregates: no access-log event.
import type { ServiceContext } from './context.ts';
import { currentUnit, findUnitByHsaId } from './unit.ts';
import { notFound } from '../api/result.ts';
import type { Unit } from '../api/types.ts';
import type { ChannelCounts, Statistics, UtilisationRow, WebDeskCounts, WeekStats } from '../api/methods/export.ts';
import { addDays, startOfIsoWeek, startOfLocalDay } from '../domain/time.ts';

const ACTIVE = new Set(['preliminary', 'booked', 'arrived', 'completed', 'no_show']);

/** Nearest-rank percentile (p in 0..100) of sorted values. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** ISO 8601 week label of a Monday: '2026-W13'. */
export function isoWeekLabel(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  const week = Math.round((Date.parse(monday) - Date.parse(startOfIsoWeek(jan4))) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const channels = (): ChannelCounts => ({ web: 0, desk: 0, phone: 0, total: 0 });
const webDesk = (): WebDeskCounts => ({ web: 0, desk: 0, total: 0 });

function resolveUnit(ctx: ServiceContext, hsaId: string | undefined): Unit {
  if (hsaId === undefined) return currentUnit(ctx);
  const unit = findUnitByHsaId(ctx, hsaId);
  if (!unit) throw notFound(`Vårdenheten ${hsaId}`);
  return unit;
}

interface BookingFact {
  start_at: number;
  created_at: number;
  status: string;
  channel: 'web' | 'desk' | 'phone';
  rebooked_from: string | null;
  updated_by: string | null;
}

interface SlotFact {
  start_at: number;
  resource_id: string;
  appointment_type_ids: string;
  booked_type: string | null;
}

export function unitStatistics(
  ctx: ServiceContext,
  input: { unitHsaId?: string | undefined; from: string; to: string },
): Statistics {
  const unit = resolveUnit(ctx, input.unitHsaId);
  const tz = unit.timeZone;
  const fromAt = startOfLocalDay(input.from, tz);
  const toAt = startOfLocalDay(addDays(input.to, 1), tz);

  const weeks = new Map<string, WeekStats>();
  for (let monday = startOfIsoWeek(input.from); monday <= input.to; monday = addDays(monday, 7)) {
    weeks.set(monday, {
      week: isoWeekLabel(monday),
      monday,
      bookings: channels(),
      rebookings: 0,
      cancellations: 0,
      noShows: 0,
      openSlots: 0,
      bookedSlots: 0,
    });
  }
  // The instant each week starts (local Monday midnight): a binary search places an instant in
  // its week without a time-zone conversion per row (a year holds 100k bookings and slots).
  const series = [...weeks.values()];
  const starts = series.map((w) => startOfLocalDay(w.monday, tz));
  const weekOf = (at: number): WeekStats => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return series[lo]!;
  };

  const bookings = { ...channels(), webShare: null as number | null };
  const rebookings = webDesk();
  const cancellations = webDesk();
  let noShows = 0;
  let visits = 0;
  const leads: number[] = [];

  const bookingFacts = ctx.db
    .prepare(
      `SELECT s.start_at, b.created_at, b.status, b.channel, b.rebooked_from, b.updated_by
         FROM bookings b
         JOIN slots s ON s.id = b.slot_id
         JOIN resources r ON r.id = s.resource_id
        WHERE r.unit_id = ? AND s.start_at >= ? AND s.start_at < ?`,
    )
    .iterate(unit.id, fromAt, toAt) as Iterable<BookingFact>;
  for (const b of bookingFacts) {
    const week = weekOf(b.start_at);
    if (b.rebooked_from === null) {
      bookings[b.channel]++;
      bookings.total++;
      week.bookings[b.channel]++;
      week.bookings.total++;
    } else {
      rebookings[b.channel === 'web' ? 'web' : 'desk']++;
      rebookings.total++;
      week.rebookings++;
    }
    if (b.status === 'cancelled') {
      cancellations[b.updated_by === 'web' ? 'web' : 'desk']++;
      cancellations.total++;
      week.cancellations++;
    }
    if (b.status === 'no_show') {
      noShows++;
      week.noShows++;
    }
    if (b.status === 'no_show' || b.status === 'arrived' || b.status === 'completed') visits++;
    if (ACTIVE.has(b.status)) leads.push((b.start_at - b.created_at) / 3_600_000);
  }
  bookings.webShare = ratio(bookings.web, bookings.total);
  leads.sort((a, b) => a - b);

  const resources = ctx.db.prepare(`SELECT id, name FROM resources WHERE unit_id = ? ORDER BY sort_order, name`).all(unit.id) as {
    id: string;
    name: string;
  }[];
  const types = ctx.db
    .prepare(`SELECT id, name_sv AS name FROM appointment_types WHERE unit_id = ? ORDER BY name_sv`)
    .all(unit.id) as {
    id: string;
    name: string;
  }[];
  const byResource = new Map<string, UtilisationRow>(resources.map((r) => [r.id, { ...r, open: 0, booked: 0, rate: null }]));
  const byType = new Map<string, UtilisationRow>(types.map((t) => [t.id, { ...t, open: 0, booked: 0, rate: null }]));
  let open = 0;
  let booked = 0;
  const slotFacts = ctx.db
    .prepare(
      `SELECT s.start_at, s.resource_id, s.appointment_type_ids,
              (SELECT b.appointment_type_id FROM bookings b
                WHERE b.slot_id = s.id AND b.status IN ('preliminary', 'booked', 'arrived', 'completed', 'no_show')) AS booked_type
         FROM slots s
         JOIN resources r ON r.id = s.resource_id
        WHERE r.unit_id = ? AND s.state = 'open' AND s.start_at >= ? AND s.start_at < ?`,
    )
    .iterate(unit.id, fromAt, toAt) as Iterable<SlotFact>;
  for (const s of slotFacts) {
    const week = weekOf(s.start_at);
    const resource = byResource.get(s.resource_id)!;
    open++;
    week.openSlots++;
    resource.open++;
    for (const typeId of JSON.parse(s.appointment_type_ids) as string[]) {
      const type = byType.get(typeId);
      if (type) type.open++;
    }
    if (s.booked_type !== null) {
      booked++;
      week.bookedSlots++;
      resource.booked++;
      const type = byType.get(s.booked_type);
      if (type) type.booked++;
    }
  }
  const withRates = (rows: Iterable<UtilisationRow>) => [...rows].map((r) => ({ ...r, rate: ratio(r.booked, r.open) }));

  return {
    unit: { hsaId: unit.hsaId, name: unit.name },
    from: input.from,
    to: input.to,
    bookings,
    rebookings,
    cancellations,
    noShows: { count: noShows, visits, rate: ratio(noShows, visits) },
    utilisation: {
      open,
      booked,
      rate: ratio(booked, open),
      byResource: withRates(byResource.values()),
      byType: withRates(byType.values()).filter((t) => t.open > 0 || t.booked > 0),
    },
    leadTime: { count: leads.length, medianHours: nearestRank(leads, 50), p90Hours: nearestRank(leads, 90) },
    weeks: series,
  };
}
