// notePulledCancellation on a real SQLite file: each way a patient's cancellation can break the
// type's web rules gets its own Swedish sentence, who cancelled is kept, a desk's cancellation and
// one of a booking not active here are not judged, and a booking gets one row however often central
// reports it. (The wire and the whole sync path: acceptance-late-cancel.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { notePulledCancellation, type PulledCancellation } from '../../../src-main/sync/web-cancel.ts';
import { WebRulesLookups } from '../../../src-main/sync/web-rules.ts';
import { openLocal, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';

const now = Date.parse('2026-03-27T09:00:00+01:00');
let ctx: ServiceContext;
let unit: SmallUnit;
const HOUR = 3_600_000;

beforeAll(() => {
  ctx = openLocal(tempDir(), 'desk', () => now);
  unit = seedSmallUnit(ctx, { slots: 8, patients: 4 });
});
afterAll(() => ctx.db.close());

let nextSlot = 0;
/** A booking of the next slot, as pull leaves it once central's cancellation is applied. */
function cancelledBooking(): { id: string; startAt: number } {
  const slotId = unit.slotIds[nextSlot++]!;
  const id = ctx.newId();
  ctx.db
    .prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'physical', 'cancelled', 'web', ?, ?)`,
    )
    .run(id, slotId, unit.patientIds[0]!, unit.typeIds.lakbes, now, now);
  return {
    id,
    startAt: (ctx.db.prepare(`SELECT start_at FROM slots WHERE id = ?`).get(slotId) as { start_at: number }).start_at,
  };
}
const note = (c: PulledCancellation) => notePulledCancellation(ctx, c, new WebRulesLookups(ctx));
const rows = (id: string) =>
  (
    ctx.db.prepare(`SELECT detail FROM conflicts WHERE entity_id = ? AND kind = 'web_cancel'`).all(id) as { detail: string }[]
  ).map((r) => JSON.parse(r.detail) as { reason: string; rule: string });
const via = (id: string) =>
  (ctx.db.prepare(`SELECT cancelled_via FROM bookings WHERE id = ?`).get(id) as { cancelled_via: string }).cancelled_via;

describe('a pulled cancellation', () => {
  it('after the visit began: says so', () => {
    const b = cancelledBooking();
    const audit = note({ bookingId: b.id, cancelledVia: 'web', statusBefore: 'booked', at: b.startAt + 5 * 60_000 });
    expect(audit).toMatchObject({ action: 'change', entity: 'booking', entityId: b.id, detail: { rule: 'started' } });
    expect(rows(b.id)).toEqual([expect.objectContaining({ rule: 'started' })]);
    expect(rows(b.id)[0]!.reason).toMatch(
      /^Avbokad via 1177 efter besökets start: avbokningen kom \d{4}-\d\d-\d\d kl\. \d\d:\d\d\./,
    );
  });

  it('of a visit already marked here: names the mark', () => {
    const b = cancelledBooking();
    note({ bookingId: b.id, cancelledVia: 'web', statusBefore: 'arrived', at: b.startAt - 48 * HOUR });
    expect(rows(b.id)).toEqual([expect.objectContaining({ rule: 'not_active' })]);
    expect(rows(b.id)[0]!.reason).toMatch(/fast besöket redan var markerat som ankommen\./);
  });

  it('keeps who cancelled, and judges only the patient’s cancellation of a booking active here', () => {
    const desk = cancelledBooking();
    expect(note({ bookingId: desk.id, cancelledVia: 'desk', statusBefore: 'booked', at: desk.startAt - HOUR })).toBeNull();
    expect(via(desk.id)).toBe('desk');
    const unitOwn = cancelledBooking();
    expect(note({ bookingId: unitOwn.id, cancelledVia: 'unit', statusBefore: 'booked', at: unitOwn.startAt - HOUR })).toBeNull();
    expect(via(unitOwn.id)).toBe('unit');
    const neverActive = cancelledBooking();
    expect(
      note({ bookingId: neverActive.id, cancelledVia: 'web', statusBefore: null, at: neverActive.startAt - HOUR }),
    ).toBeNull();
    expect(
      note({ bookingId: neverActive.id, cancelledVia: 'web', statusBefore: 'cancelled', at: neverActive.startAt - HOUR }),
    ).toBeNull();
    expect(via(neverActive.id)).toBe('web');
    for (const id of [desk.id, unitOwn.id, neverActive.id]) expect(rows(id)).toEqual([]);
  });

  it('one row per booking, however often central reports it', () => {
    const b = cancelledBooking();
    const c: PulledCancellation = { bookingId: b.id, cancelledVia: 'web', statusBefore: 'booked', at: b.startAt - HOUR };
    expect(note(c)).not.toBeNull();
    expect(note(c)).toBeNull();
    expect(rows(b.id)).toHaveLength(1);
  });
});
