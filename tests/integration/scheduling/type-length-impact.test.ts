// Lengthening (or narrowing) an appointment type: besides the free slots it no longer fits
// (type-change-impact.test.ts), the save lists the future booked times it no longer fits and says
// they were left as they were, as template edits do (demo unit, Monday 2026-11-23 09:10). The
// expected bookings come from the calendar the desk sees, not from the query under test.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking, CalendarRange } from '../../../src-main/api/types.ts';
import { DAY, demoApi, type Api } from './helpers.ts';

let api: Api;
let types: AppointmentType[];
const byCode = (code: string) => types.find((t) => t.code === code)!;

beforeEach(async () => {
  api = demoApi();
  types = await api.ok('appointmentTypes.list', {});
});

/** Every resource and booking from today to the last slot, read in calendar-sized pieces. */
async function calendarAhead(): Promise<Pick<CalendarRange, 'resources' | 'bookings'>> {
  const last = api.count(`SELECT max(start_at) AS n FROM slots`);
  const out: Pick<CalendarRange, 'resources' | 'bookings'> = { resources: [], bookings: [] };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let from = api.ctx.now() - DAY; from <= last; from += 62 * DAY) {
    const r = await api.ok('calendar.range', { from: day(from), to: day(from + 61 * DAY) });
    out.resources.push(...r.resources.filter((x) => !out.resources.some((y) => y.id === x.id)));
    out.bookings.push(...r.bookings.filter((x) => !out.bookings.some((y) => y.id === x.id)));
  }
  return out;
}

/** The type's upcoming booked times (booked or preliminary) as the calendar shows them. */
async function upcoming(typeId: string): Promise<{ bookings: Booking[]; profession: Map<string, string | null> }> {
  const cal = await calendarAhead();
  const bookings = cal.bookings
    .filter((b) => b.appointmentTypeId === typeId && ['booked', 'preliminary'].includes(b.status) && b.startAt > api.ctx.now())
    .sort((a, b) => a.startAt - b.startAt || a.id.localeCompare(b.id));
  return { bookings, profession: new Map(cal.resources.map((r) => [r.id, r.profession])) };
}

const notice = (b: Booking, reason: 'tooShort' | 'wrongProfession') => ({
  slotId: b.slotId,
  startAt: b.startAt,
  endAt: b.endAt,
  bookingId: b.id,
  patientName: b.patient.protectedIdentity ? '' : b.patient.displayName,
  protectedIdentity: b.patient.protectedIdentity,
  reason,
});

const readsSince = (seq: number) =>
  api.ctx.db
    .prepare(`SELECT patient_id AS patientId, detail FROM audit_events WHERE seq > ? AND action = 'read' ORDER BY seq`)
    .all(seq) as { patientId: string; detail: string }[];
const lastSeq = () => api.count(`SELECT coalesce(max(seq), 0) AS n FROM audit_events`);

describe('appointmentTypes.update lists the booked times the type no longer fits', () => {
  it('Läkarbesök 30 → 40 minutes: every upcoming 30-minute booking is listed as too short, and left booked as it was', async () => {
    const lakbes = byCode('LAKBES');
    const { bookings } = await upcoming(lakbes.id);
    const short = bookings.filter((b) => b.endAt - b.startAt < 40 * 60_000);
    expect(short.length).toBeGreaterThan(10);
    const seq = lastSeq();
    const outbox = api.count(`SELECT count(*) AS n FROM outbox`);

    const changed = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 40 });
    expect(changed.unfitBooked).toEqual(short.map((b) => notice(b, 'tooShort')));
    expect(changed.unfitFreeSlots.tooShort).toBeGreaterThan(0);

    // The list names patients: one read each, with the reason; the change records what it left.
    const reads = readsSince(seq);
    expect(new Set(reads.map((r) => r.patientId))).toEqual(new Set(short.map((b) => b.patient.id)));
    expect(reads.length).toBe(new Set(short.map((b) => b.patient.id)).size);
    expect(JSON.parse(reads[0]!.detail)).toMatchObject({ op: 'type_unfit_booked', appointmentTypeId: lakbes.id });
    const change = api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity = 'appointment_type' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get(lakbes.id) as string;
    expect(JSON.parse(change)).toMatchObject({
      op: 'update',
      changed: ['durationMin'],
      unfitFreeSlots: changed.unfitFreeSlots,
      unfitBooked: short.length,
    });

    // Left as they were: same status and slot for every one, and nothing but the type goes to central.
    const after = await upcoming(lakbes.id);
    expect(after.bookings.map((b) => [b.id, b.slotId, b.status, b.startAt, b.endAt])).toEqual(
      bookings.map((b) => [b.id, b.slotId, b.status, b.startAt, b.endAt]),
    );
    expect(api.count(`SELECT count(*) AS n FROM outbox`)).toBe(outbox + 1);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'appointment_type' AND entity_id = ?`, lakbes.id)).toBe(1);
  });

  it('narrowing Telefontid to läkare lists its bookings with sjuksköterskor as wrong profession', async () => {
    const tele = byCode('TELE');
    const { bookings, profession } = await upcoming(tele.id);
    const wrong = bookings.filter((b) => profession.get(b.resourceId) !== 'lakare');
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.length).toBeLessThan(bookings.length);
    const changed = await api.ok('appointmentTypes.update', { id: tele.id, professions: ['lakare'] });
    expect(changed.unfitBooked).toEqual(wrong.map((b) => notice(b, 'wrongProfession')));
  });

  it('a protected patient’s booking is listed without her name', async () => {
    const lakbes = byCode('LAKBES');
    const { bookings } = await upcoming(lakbes.id);
    const target = bookings.find((b) => !b.patient.protectedIdentity)!;
    api.ctx.db.prepare(`UPDATE patients SET protected_identity = 1 WHERE id = ?`).run(target.patient.id);
    const changed = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 40 });
    const listed = changed.unfitBooked.find((n) => n.bookingId === target.id);
    expect(listed).toMatchObject({ patientName: '', protectedIdentity: true, reason: 'tooShort' });
  });

  it('a change every booked time still fits lists none and logs no read', async () => {
    const lakbes = byCode('LAKBES');
    const seq = lastSeq();
    const shorter = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 20 });
    expect(shorter.unfitBooked).toEqual([]);
    expect(readsSince(seq)).toEqual([]);
    // Saved again unchanged after a lengthening, the list stands (as the free-slot count does).
    const first = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 45 });
    const again = await api.ok('appointmentTypes.update', { id: lakbes.id, durationMin: 45 });
    expect(first.unfitBooked.length).toBeGreaterThan(0);
    expect(again.unfitBooked).toEqual(first.unfitBooked);
  });
});
