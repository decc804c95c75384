// A time desk A holds on its återbudslista travels to central as busy-tentative. Desk B pulls it
// as open (it may still book it) and now also knows it is held elsewhere: its calendar marks the
// slot (calendar.range's heldElsewhere), until the Slot comes back free (the hold put back) or is
// booked, at B or anywhere. Desk A's own hold is not "elsewhere" on A. Two desk databases and the
// real stand-in central over HTTP (startTwoDesks); every change through the api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { addDays, localDate } from '../../../src-main/domain/time.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { refusalOf } from '../../helpers/results.ts';
import { planningStaff, settleDesks, staffOk, startTwoDesks, type TwoDesks } from './desk-staff.ts';

const now = Date.parse('2026-11-23T09:10:00+01:00');
let desks: TwoDesks;
const sync = (...ctxs: ServiceContext[]) => settleDesks(desks.central.url, ...ctxs);
const TZ = 'Europe/Stockholm';

beforeAll(async () => {
  desks = await startTwoDesks({ now: () => now, patients: 6, slots: 6 });
});
afterAll(async () => desks.close());

/** The slots a desk's calendar marks as held on another desk's återbudslista, over the seeded days. */
async function markedOn(ctx: ServiceContext): Promise<string[]> {
  const from = localDate(now, TZ);
  const range = await staffOk(ctx, 'calendar.range', { from, to: addDays(from, 14) });
  return range.slots.filter((s) => s.heldElsewhere).map((s) => s.id);
}
/** A Läkarbesök booked by phone at a desk (from återbudslistan when `more` names the entry). */
const bookAt = (ctx: ServiceContext, slotId: string, patientId: string, more: { waitlistEntryId?: string } = {}) =>
  staffOk(ctx, 'bookings.book', {
    slotId,
    patientId,
    appointmentTypeId: desks.unit.typeIds.lakbes,
    contactMode: 'physical',
    channel: 'phone',
    ...more,
  });
const elsewhereKeys = (ctx: ServiceContext) =>
  ctx.db.prepare(`SELECT count(*) FROM sync_state WHERE feed LIKE 'slot-held-elsewhere:%'`).pluck().get();

describe('a time held on another desk’s återbudslista', () => {
  it('is marked on desk B (not on A) while held, and no longer once put back', async () => {
    const { a, b, unit } = desks;
    const X = unit.slotIds[1]!;
    const entry = await staffOk(a, 'waitlist.add', { patientId: unit.patientIds[0]!, appointmentTypeId: unit.typeIds.lakbes });
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: X });
    await sync(a, b);
    expect(await markedOn(b)).toEqual([X]);
    expect(await markedOn(a)).toEqual([]);
    // Still open at B: bookable, not blocked; slots.get says so too (the booking dialog from Första lediga tid asks it).
    expect(await staffOk(b, 'slots.get', { id: X })).toMatchObject({ state: 'open', heldElsewhere: true });
    expect(await staffOk(a, 'slots.get', { id: X })).not.toHaveProperty('heldElsewhere');

    await staffOk(a, 'waitlist.markWaiting', { id: entry.id, reason: 'no_answer' });
    await sync(a, b);
    expect(await markedOn(b)).toEqual([]);
    expect(elsewhereKeys(b)).toBe(0);
    expect(await staffOk(b, 'slots.get', { id: X })).not.toHaveProperty('heldElsewhere');
  });

  it('booked at desk B: the mark goes at once, the hold ends on A, and nothing is left behind', async () => {
    const { a, b, unit } = desks;
    const Y = unit.slotIds[2]!;
    const entry = await staffOk(a, 'waitlist.add', { patientId: unit.patientIds[1]!, appointmentTypeId: unit.typeIds.lakbes });
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: Y });
    await sync(a, b);
    expect(await markedOn(b)).toEqual([Y]);

    await bookAt(b, Y, unit.patientIds[2]!);
    // Booked here: the time is no longer free, so no mark even before the next sync.
    expect(await markedOn(b)).toEqual([]);
    expect(await staffOk(b, 'slots.get', { id: Y })).not.toHaveProperty('heldElsewhere');
    await sync(b, a, b);
    expect(elsewhereKeys(b)).toBe(0);
    expect(elsewhereKeys(a)).toBe(0);
    expect(a.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(entry.id)).not.toBe('offered');
    expect(await markedOn(a)).toEqual([]);
  });

  it('booked at desk A itself for its waiting patient: desk B’s mark goes with the pulled booking', async () => {
    const { a, b, unit } = desks;
    const Z = unit.slotIds[3]!;
    const entry = await staffOk(a, 'waitlist.add', { patientId: unit.patientIds[3]!, appointmentTypeId: unit.typeIds.lakbes });
    await staffOk(a, 'waitlist.markOffered', { id: entry.id, slotId: Z });
    await sync(a, b);
    expect(await markedOn(b)).toEqual([Z]);
    await bookAt(a, Z, unit.patientIds[3]!, { waitlistEntryId: entry.id });
    await sync(a, b);
    expect(await markedOn(b)).toEqual([]);
    expect(elsewhereKeys(b)).toBe(0);
  });

  it('desk B’s Första lediga tid lists it marked; B’s återbudslista neither lists it under Erbjud tid nor may offer it', async () => {
    const { a, b, unit } = desks;
    const W = unit.slotIds[4]!;
    const lakbes = unit.typeIds.lakbes;
    const free = (ctx: ServiceContext) => staffOk(ctx, 'slots.findFree', { appointmentTypeId: lakbes, limit: 10 });
    const heldA = await staffOk(a, 'waitlist.add', { patientId: unit.patientIds[4]!, appointmentTypeId: lakbes });
    await staffOk(a, 'waitlist.markOffered', { id: heldA.id, slotId: W });
    await sync(a, b);

    // Still listed at B (bookable after the dialog's yes), and marked there alone; A's own hold is not "elsewhere".
    const onB = await free(b);
    expect(onB.map((f) => f.slotId)).toContain(W);
    expect(onB.filter((f) => f.heldElsewhere).map((f) => f.slotId)).toEqual([W]);
    expect((await free(a)).filter((f) => f.heldElsewhere)).toEqual([]);

    // B's own återbudslista: the time is another patient's until she answers, so not offerable here.
    const waitingB = await staffOk(b, 'waitlist.add', { patientId: unit.patientIds[5]!, appointmentTypeId: lakbes });
    const offerable = async () =>
      (await staffOk(b, 'waitlist.offerableSlots', { id: waitingB.id, limit: 8 })).map((f) => f.slotId);
    const listed = await offerable();
    expect(listed).not.toContain(W);
    expect(listed.length).toBeGreaterThan(0);
    const refused = refusalOf(
      'waitlist.markOffered',
      await dispatch({ ctx: b, caller: planningStaff, shell: 'web' }, 'waitlist.markOffered', { id: waitingB.id, slotId: W }),
    );
    expect(refused).toMatchObject({ code: 'conflict', details: { rule: 'waitlist_slot_offered_elsewhere' } });
    expect(refused.message).toMatch(/annan dator/);
    expect(b.db.prepare(`SELECT state FROM waitlist WHERE id = ?`).pluck().get(waitingB.id)).toBe('waiting');

    // Put back on A: B lists it unmarked and may offer it.
    await staffOk(a, 'waitlist.markWaiting', { id: heldA.id, reason: 'declined' });
    await sync(a, b);
    expect((await free(b)).filter((f) => f.heldElsewhere)).toEqual([]);
    expect(await offerable()).toContain(W);
    await staffOk(b, 'waitlist.markOffered', { id: waitingB.id, slotId: W });
    await sync(b, a);
    expect((await free(a)).filter((f) => f.heldElsewhere).map((f) => f.slotId)).toEqual([W]);
  });

  it('an absence on desk A proposes no time desk B holds for its waiting patient', async () => {
    const { a, b, unit } = desks;
    const W = unit.slotIds[4]!; // held by B's waiting patient since the last case
    await sync(b, a);
    expect(await markedOn(a)).toEqual([W]);
    // The doctor's other free times are taken, so the held one is the earliest left.
    await bookAt(a, unit.slotIds[0]!, unit.patientIds[0]!);
    await bookAt(a, unit.slotIds[1]!, unit.patientIds[1]!);
    const moved = await bookAt(a, unit.slotIds[5]!, unit.patientIds[2]!);
    const day = localDate((await staffOk(a, 'slots.get', { id: unit.slotIds[5]! })).startAt, TZ);
    const absence = await staffOk(a, 'absences.create', {
      resourceId: unit.resourceIds[0]!,
      from: day,
      fromTime: '10:30',
      to: day,
      toTime: '11:00',
      reason: 'Kurs',
    });
    const proposals = await staffOk(a, 'absences.proposeRebooking', { id: absence.absence.id });
    expect(proposals.map((p) => p.booking.id)).toEqual([moved.id]);
    expect(proposals[0]!.proposal?.slotId).not.toBe(W);
  });
});
