// The demo's working lists, so a newcomer's first look at Återbudslistan and Frånvaro is not an
// empty page: a handful of patients waiting for an earlier time, and a clinician's course day next
// week whose booked patients are to be moved. Written as rows, like the rest of the demo (no outbox:
// the demo desk sends what central lacks when it starts), after everything else, with random
// numbers of their own, so the demo's slots, bookings and ids stay as they were.
import type { ServiceContext } from '../services/context.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { addDays, startOfLocalDay } from '../domain/time.ts';
import { seededRandom } from './prng.ts';

export interface DemoLists {
  waiting: number;
  absenceBookings: number;
}

interface Wish {
  type: string;
  resource?: string;
  profession?: string;
  priority: 0 | 1 | 2;
  note: string;
  daysAgo: number;
}

const WISHES: Wish[] = [
  { type: 'LAKBES', profession: 'lakare', priority: 2, note: 'Ring efter kl. 15', daysAgo: 2 },
  { type: 'FYSIO', resource: 'johan', priority: 0, note: 'Kan bara förmiddagar', daysAgo: 12 },
  { type: 'LAKBES', resource: 'anna', priority: 0, note: 'Vill träffa sin vanliga läkare', daysAgo: 9 },
  { type: 'SAMT', resource: 'lena', priority: 1, note: '', daysAgo: 20 },
  { type: 'BLODTR', profession: 'sjukskoterska', priority: 0, note: '', daysAgo: 5 },
];

/** The course day: which of the clinician's days next week, and why (a planned absence). */
const ABSENCE = { resource: 'johan', firstDay: 7, lastDay: 11, reason: 'Utbildning' };

export function seedDemoLists(
  ctx: ServiceContext,
  input: {
    seed: number;
    today: string;
    tz: string;
    resourceIds: Map<string, string>;
    typeIds: Map<string, string>;
    patientIds: readonly string[];
    by: string;
  },
): DemoLists {
  const { db } = ctx;
  const now = ctx.now();
  const rand = seededRandom(input.seed + 1);
  const insWait = db.prepare(
    `INSERT INTO waitlist (id, patient_id, appointment_type_id, resource_id, profession, priority, note, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const listed = new Set<string>();
  for (const w of WISHES) {
    let patientId: string;
    do patientId = input.patientIds[Math.floor(rand() * input.patientIds.length)]!;
    while (listed.has(patientId));
    listed.add(patientId);
    const createdAt = now - w.daysAgo * 86_400_000 - Math.floor(rand() * 6 * 3_600_000);
    insWait.run(
      ctx.newId(),
      patientId,
      input.typeIds.get(w.type)!,
      w.resource ? input.resourceIds.get(w.resource)! : null,
      w.profession ?? null,
      w.priority,
      w.note,
      createdAt,
      createdAt,
      input.by,
    );
  }

  // The course day: of the clinician's days next week, the one with the most booked patients.
  const resourceId = input.resourceIds.get(ABSENCE.resource)!;
  const bookedOn = db.prepare(
    `SELECT count(*) FROM slots s JOIN bookings b ON b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}
      WHERE s.resource_id = ? AND s.start_at >= ? AND s.start_at < ?`,
  );
  let best: { day: string; booked: number } | null = null;
  for (let d = ABSENCE.firstDay; d <= ABSENCE.lastDay; d++) {
    const day = addDays(input.today, d);
    const booked = bookedOn
      .pluck()
      .get(resourceId, startOfLocalDay(day, input.tz), startOfLocalDay(addDays(day, 1), input.tz)) as number;
    if (!best || booked > best.booked) best = { day, booked };
  }
  if (!best || best.booked === 0) return { waiting: WISHES.length, absenceBookings: 0 };
  const startAt = startOfLocalDay(best.day, input.tz);
  const endAt = startOfLocalDay(addDays(best.day, 1), input.tz);
  const absenceId = ctx.newId();
  db.prepare(
    `INSERT INTO absences (id, resource_id, start_at, end_at, reason, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(absenceId, resourceId, startAt, endAt, ABSENCE.reason, now, input.by);
  // As the absences service does: the day's open slots blocked, its bookings left for rebooking.
  db.prepare(
    `UPDATE slots SET state = 'blocked', absence_id = ?, block_reason = ?, version = version + 1, updated_at = ?, updated_by = ?
      WHERE resource_id = ? AND state = 'open' AND start_at >= ? AND start_at < ?`,
  ).run(absenceId, ABSENCE.reason, now, input.by, resourceId, startAt, endAt);
  return { waiting: WISHES.length, absenceBookings: best.booked };
}
