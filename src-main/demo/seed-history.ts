// The demo's past: the weeks before the current one as the same templates laid them out, with
// what a vårdcentral's book then holds: visits done, ~4 % no-shows, cancellations (sick, cannot
// come, the unit cancels) by desk, phone and 1177 with their reasons, times given again to
// someone else, rebookings, and a third of new bookings made on the web. So Statistik and the
// export have weeks to show on a fresh install, and a patient's view has earlier visits.
// Written as rows like the rest of the demo, after everything else and with random numbers of
// its own, so the demo's current weeks, their ids and counts stay as they were. Statuses follow
// time: every visit here ended before the current week began, so none is still booked.
import type { ServiceContext } from '../services/context.ts';
import { expandTemplate, type TemplateSpec } from '../domain/templates.ts';
import { addDays, localDate, startOfLocalDay } from '../domain/time.ts';
import { PatientTimes } from './patients.ts';
import { seededRandom } from './prng.ts';

/** How many weeks before the current one the demo remembers. */
export const DEMO_HISTORY_WEEKS = 10;

/**
 * Weeks are not all alike: the ST doctor took the autumn half-term week off (v. 44, so the
 * scheduler took his times out before the week began), and the district nurse was off sick two
 * days (v. 40: her times were closed that morning and her booked patients cancelled by the unit).
 * Weeks back from the current one, first day (0 = Monday) and number of days.
 */
const PAST_LEAVE = [
  { resource: 'erik', weeksBack: 4, firstDay: 0, days: 5, kind: 'away' },
  { resource: 'maria', weeksBack: 8, firstDay: 2, days: 2, kind: 'sick' },
] as const;

export interface HistoryTemplate {
  id: string;
  resourceId: string;
  /** The demo's key of the resource ('anna', 'erik', …). */
  resourceKey: string;
  spec: TemplateSpec;
  typeIds: readonly string[];
  web: boolean;
}

export interface HistoryType {
  modes: readonly string[];
  web: boolean;
  /** Whether patients may cancel and rebook this type on 1177. */
  webCancellable: boolean;
}

export interface DemoHistory {
  slots: number;
  bookings: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Why the past bookings were cancelled (the demo types' cancel reason codes), by who cancelled. */
const PATIENT_REASONS = ['SJUK', 'SJUK', 'KAN_EJ'] as const;

export function seedDemoHistory(
  ctx: ServiceContext,
  input: {
    seed: number;
    /** The first day of the demo's current weeks (a Monday): the past ends here. */
    until: string;
    since: string;
    tz: string;
    templates: readonly HistoryTemplate[];
    types: ReadonlyMap<string, HistoryType>;
    /** The patients holding times in the current weeks: regulars, about a third of the past's visits. */
    patientIds: readonly string[];
    /** The unit's other listed patients: the rest of the past's visits, a few each. */
    listedPatientIds: readonly string[];
    /** When each demo booking was made, as the current weeks' bookings are (seed.ts). */
    bookedAt: (startAt: number, channel: 'web' | 'phone' | 'desk', u: number) => number;
    by: string;
  },
): DemoHistory {
  const { db } = ctx;
  const rand = seededRandom(input.seed + 2);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const pickPatient = () => pick(rand() < 0.3 || input.listedPatientIds.length === 0 ? input.patientIds : input.listedPatientIds);
  // Slots are written with their final state and `booked` flag after the bookings are decided, so
  // the trigger that keeps `booked` (migration 0005) finds nothing to rewrite: half the seed's time.
  const insSlot = db.prepare(
    `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, web_published, template_id, state, block_reason,
       booked, version, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insBooking = db.prepare(
    `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, rebooked_from,
       rebooked_to, cancel_reason_code, cancelled_via, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const markMoved = db.prepare(`UPDATE bookings SET status = 'rebooked', rebooked_to = ? WHERE id = ?`);

  interface PastSlot {
    id: string;
    templateIndex: number;
    startAt: number;
    endAt: number;
    /** The clinician was off sick that day: the time was closed and its booking cancelled by the unit. */
    sick: boolean;
    /** Holds an active booking. */
    booked: boolean;
  }
  const slots: PastSlot[] = [];
  const leave = PAST_LEAVE.map((l) => ({
    ...l,
    from: addDays(input.until, -7 * l.weeksBack + l.firstDay),
    to: addDays(input.until, -7 * l.weeksBack + l.firstDay + l.days),
  }));
  const leaveOf = (resourceKey: string, date: string) =>
    leave.find((l) => l.resource === resourceKey && date >= l.from && date < l.to);
  input.templates.forEach((t, templateIndex) => {
    for (const s of expandTemplate(t.spec, input.since, input.until, input.tz, {}).slots) {
      const leave = leaveOf(t.resourceKey, s.date);
      if (leave?.kind === 'away') continue;
      slots.push({
        id: ctx.newId(),
        templateIndex,
        startAt: s.startAt,
        endAt: s.endAt,
        sick: leave?.kind === 'sick',
        booked: false,
      });
    }
  });
  slots.sort((a, b) => a.startAt - b.startAt);
  const byTemplate = input.templates.map((_, i) => slots.filter((s) => s.templateIndex === i && !s.sick));

  // A patient is never in two places at once (the booking rule `patient_busy`): her active times.
  const busy = new PatientTimes();
  const freePatient = (startAt: number, endAt: number): string => {
    for (;;) {
      const patientId = pickPatient();
      if (busy.take(patientId, startAt, endAt)) return patientId;
    }
  };
  const channelFor = (type: HistoryType): 'web' | 'phone' | 'desk' => {
    const r = rand();
    // About a third of new bookings come through 1177 where the type allows it.
    return type.web && r < 0.42 ? 'web' : r < 0.78 ? 'phone' : 'desk';
  };

  let bookings = 0;
  const rows: unknown[][] = [];
  const moves: [string, string][] = [];
  const book = (
    slot: PastSlot,
    fields: {
      patientId: string;
      typeId: string;
      mode: string;
      status: 'completed' | 'no_show' | 'cancelled';
      channel: 'web' | 'phone' | 'desk';
      createdAt: number;
      updatedAt: number;
      updatedBy: string;
      rebookedFrom?: string;
      cancelReason?: string;
      cancelledVia?: 'web' | 'phone' | 'desk';
      id?: string;
    },
  ): string => {
    const id = fields.id ?? ctx.newId();
    if (fields.status !== 'cancelled') slot.booked = true;
    rows.push([
      id,
      slot.id,
      fields.patientId,
      fields.typeId,
      fields.mode,
      fields.status,
      fields.channel,
      fields.rebookedFrom ?? null,
      null,
      fields.cancelReason ?? null,
      fields.cancelledVia ?? null,
      fields.createdAt,
      fields.channel === 'web' ? 'web' : input.by,
      fields.updatedAt,
      fields.updatedBy,
    ]);
    bookings++;
    return id;
  };

  // Each week a little fuller or emptier than the next (holiday weeks, a flu week).
  const weekFill = new Map<number, number>();
  const fillOf = (startAt: number) => {
    const week = Math.floor((startAt - slots[0]!.startAt) / (7 * DAY));
    let fill = weekFill.get(week);
    if (fill === undefined) {
      fill = 0.78 + rand() * 0.14;
      weekFill.set(week, fill);
    }
    return fill;
  };

  for (const slot of slots) {
    const template = input.templates[slot.templateIndex]!;
    const typeId = pick(template.typeIds);
    const type = input.types.get(typeId)!;
    const minutes = (slot.endAt - slot.startAt) / 60_000;
    // The visit was marked done (or not come) when it ended.
    const done = slot.endAt;

    if (slot.sick) {
      // Closed at 07:30 that morning; a patient booked on it was called and cancelled by the unit.
      const closedAt = startOfLocalDay(localDate(slot.startAt, input.tz), input.tz) + 7.5 * HOUR;
      if (rand() < fillOf(slot.startAt)) {
        const channel = channelFor(type);
        book(slot, {
          patientId: pickPatient(),
          typeId,
          mode: type.modes[0]!,
          status: 'cancelled',
          channel,
          createdAt: Math.min(input.bookedAt(slot.startAt, channel, rand()), closedAt - HOUR),
          updatedAt: closedAt,
          updatedBy: input.by,
          cancelReason: 'VARDEN',
          cancelledVia: 'desk',
        });
      }
      continue;
    }
    // A cancelled booking first, for some: the patient fell ill or could not come, or the unit
    // cancelled; the time then went to someone else (återbud) or stayed empty.
    if (rand() < 0.08) {
      const channel = channelFor(type);
      const createdAt = input.bookedAt(slot.startAt, channel, rand());
      const byUnit = rand() < 0.15;
      const via = byUnit ? 'desk' : type.webCancellable && rand() < 0.4 ? 'web' : rand() < 0.6 ? 'phone' : 'desk';
      const cancelledAt = createdAt + Math.floor((slot.startAt - createdAt) * (0.3 + rand() * 0.6));
      book(slot, {
        patientId: pickPatient(),
        typeId,
        mode: type.modes[0]!,
        status: 'cancelled',
        channel,
        createdAt,
        updatedAt: cancelledAt,
        updatedBy: via === 'web' ? 'web' : input.by,
        cancelReason: byUnit ? 'VARDEN' : pick(PATIENT_REASONS),
        cancelledVia: via,
      });
      if (rand() < 0.5) continue;
    }
    if (rand() > fillOf(slot.startAt)) continue;

    const patientId = freePatient(slot.startAt, slot.endAt);
    const status = rand() < 0.04 ? 'no_show' : 'completed';
    // Some visits were moved here from another of the clinician's times in the same weeks.
    const moved = rand() < 0.06;
    const others = moved
      ? byTemplate[slot.templateIndex]!.filter((s) => s !== slot && Math.abs(s.startAt - slot.startAt) < 14 * DAY)
      : [];
    if (others.length > 0) {
      const from = pick(others);
      const firstChannel = channelFor(type);
      const firstMade = input.bookedAt(Math.min(from.startAt, slot.startAt), firstChannel, rand());
      const movedAt = firstMade + Math.floor((Math.min(from.startAt, slot.startAt) - firstMade) * (0.2 + rand() * 0.6));
      const movedOnWeb = type.web && type.webCancellable && rand() < 0.4;
      const oldId = ctx.newId();
      const newId = ctx.newId();
      // The two point at each other: the old one is written given up, and marked moved once the new one exists.
      book(from, {
        id: oldId,
        patientId,
        typeId,
        mode: type.modes[0]!,
        status: 'cancelled',
        channel: firstChannel,
        createdAt: firstMade,
        updatedAt: movedAt,
        updatedBy: movedOnWeb ? 'web' : input.by,
        cancelReason: movedOnWeb ? 'KAN_EJ' : pick(PATIENT_REASONS),
      });
      book(slot, {
        id: newId,
        patientId,
        typeId,
        mode: type.modes[0]!,
        status,
        channel: movedOnWeb ? 'web' : rand() < 0.6 ? 'phone' : 'desk',
        createdAt: movedAt,
        updatedAt: done,
        updatedBy: input.by,
        rebookedFrom: oldId,
      });
      moves.push([newId, oldId]);
      continue;
    }
    const channel = channelFor(type);
    book(slot, {
      patientId,
      typeId,
      mode: minutes >= 30 && type.modes.length > 1 && rand() < 0.2 ? type.modes[1]! : type.modes[0]!,
      status,
      channel,
      createdAt: input.bookedAt(slot.startAt, channel, rand()),
      updatedAt: done,
      updatedBy: input.by,
    });
  }
  const typesOf = input.templates.map((t) => JSON.stringify(t.typeIds));
  for (const slot of slots) {
    const t = input.templates[slot.templateIndex]!;
    // A closed time: its version counts the closing.
    const [state, reason, version] = slot.sick ? ['blocked', 'Sjuk', 2] : ['open', null, 1];
    insSlot.run(
      slot.id,
      t.resourceId,
      slot.startAt,
      slot.endAt,
      typesOf[slot.templateIndex],
      t.web ? 1 : 0,
      t.id,
      state,
      reason,
      slot.booked ? 1 : 0,
      version,
      slot.endAt,
      input.by,
    );
  }
  for (const row of rows) insBooking.run(...row);
  for (const move of moves) markMoved.run(...move);

  // The past stays on this desk: no central is sent it. A region's central would hold its own
  // past, the demo's stand-in starts empty, and sending ten weeks of finished visits made every
  // demo start (and two desks meeting on one central) wait tens of seconds before the first
  // patient could book. Marked as handled in the outbox, which the first push (enqueueUnsent) skips.
  const untilAt = startOfLocalDay(input.until, input.tz);
  const past = `SELECT id FROM slots WHERE start_at < ?`;
  for (const [entity, rows] of [
    ['slot', past],
    ['booking', `SELECT id FROM bookings WHERE slot_id IN (${past})`],
  ] as const) {
    db.prepare(
      `INSERT INTO outbox (entity, entity_id, op, payload, state, created_at)
         SELECT ?, id, 'create', '{"demoHistory":true}', 'done', ? FROM (${rows})`,
    ).run(entity, ctx.now(), untilAt);
  }
  return { slots: slots.length, bookings };
}
