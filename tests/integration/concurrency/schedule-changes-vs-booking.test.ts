// A scheduler changes the schedule while a desk books into it, each in its own process on one
// SQLite file, at the same instant (an outside probe's cases the other concurrency suites lack):
// closing julafton, deactivating a clinician, deactivating a template. Whichever SQLite lets in
// first, the book stays whole: the booking stands on an open slot (and the change reports it or
// is refused because of it), or the booking is refused in Swedish because the slot left the
// schedule. Never a booking on a removed slot, or an inactive clinician with a time ahead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreeSlot } from '../../../src-main/api/methods/scheduling.ts';
import type { Result } from '../../../src-main/api/result.ts';
import type { AppointmentType } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import type { ContentionCall } from '../../helpers/contention-worker.ts';
import { Desk } from '../../helpers/contention-desk.ts';
import { demoApi, type Api } from '../scheduling/helpers.ts';

const ACTIVE = `('preliminary', 'booked', 'arrived', 'completed', 'no_show')`;
const REMOVED = { code: 'conflict', message: 'Tiden är borttagen ur schemat.' };

let api: Api;
let lakbes: AppointmentType;
const desks = [new Desk(), new Desk()];
let serial = 300;

beforeAll(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  await Promise.all(desks.map((d) => d.send({ op: 'open', path: api.path, now: api.ctx.now() })));
}, 60_000);
afterAll(() => desks.forEach((d) => d.stop()));

/** The scheduler's call and the desk's booking, leaving the line at the same millisecond. */
async function race(scheduler: ContentionCall, slot: FreeSlot): Promise<[Result<unknown>, Result<unknown>]> {
  const patient = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1971-07-07', serial++),
    givenName: 'Samtidig',
    familyName: `Bokning ${serial}`,
  });
  const at = Date.now() + 300;
  const book = { method: 'bookings.book', input: { slotId: slot.slotId, patientId: patient.id, appointmentTypeId: lakbes.id } };
  const [a, b] = await Promise.all([
    desks[0]!.send<{ results: Result<unknown>[] }>({ op: 'run', at, calls: [{ ...scheduler, roles: ['scheduler'] }] }),
    desks[1]!.send<{ results: Result<unknown>[] }>({ op: 'run', at, calls: [{ ...book, roles: ['receptionist'] }] }),
  ]);
  return [a.results[0]!, b.results[0]!];
}

const slotState = (id: string) => api.ctx.db.prepare(`SELECT state FROM slots WHERE id = ?`).pluck().get(id);
const activeOn = (slotId: string) =>
  api.count(`SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`, slotId);
/** A new doctor with a weekday 08:00–09:00 template from 2026-11-30, and its first free time. */
async function doctorWithMornings(name: string) {
  const doctor = await api.ok('resources.create', { kind: 'clinician', name, profession: 'lakare' });
  const { template } = await api.ok('templates.create', {
    template: {
      resourceId: doctor.id,
      weekdays: [1, 2, 3, 4, 5],
      validFrom: '2026-11-30',
      startTime: '08:00',
      endTime: '09:00',
      slotMin: 30,
      appointmentTypeIds: [lakbes.id],
    },
    horizonWeeks: 2,
  });
  const [slot] = await api.ok('slots.findFree', { appointmentTypeId: lakbes.id, resourceId: doctor.id, limit: 1 });
  return { doctor, template, slot: slot! };
}
const errorOf = (r: Result<unknown>) => (r.ok ? null : { code: r.error.code, message: r.error.message });

describe('the schedule changed while a desk books into it', { timeout: 60_000 }, () => {
  it('closing julafton: the booking stands and is listed as kept, or is refused and the slot removed', async () => {
    for (let round = 0; round < 3; round++) {
      await api.ok('holidays.setRules', { julafton: false }); // open: the eve's slots laid out
      const [slot] = await api.ok('slots.findFree', {
        appointmentTypeId: lakbes.id,
        from: '2026-12-24',
        to: '2026-12-24',
        limit: 1,
      });
      const [close, book] = await race({ method: 'holidays.setRules', input: { julafton: true } }, slot!);
      expect(close.ok).toBe(true);
      const kept = (close as { value: { bookedKept: { slotId: string }[] } }).value.bookedKept.map((k) => k.slotId);
      if (book.ok) {
        expect({ kept: kept.includes(slot!.slotId), state: slotState(slot!.slotId), active: activeOn(slot!.slotId) }).toEqual({
          kept: true,
          state: 'open',
          active: 1,
        });
      } else {
        expect(errorOf(book)).toEqual(REMOVED);
        expect({ state: slotState(slot!.slotId), active: activeOn(slot!.slotId) }).toEqual({ state: 'removed', active: 0 });
      }
    }
    expect(
      api.count(
        `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.status IN ${ACTIVE} AND s.state = 'removed'`,
      ),
    ).toBe(0);
  });

  it('deactivating a clinician: one of the two is refused, naming why', async () => {
    for (let round = 0; round < 3; round++) {
      const { doctor, slot } = await doctorWithMornings(`Doktor Samtidig ${round}`);
      const [off, book] = await race({ method: 'resources.setActive', input: { id: doctor.id, active: false } }, slot);
      expect([off.ok, book.ok].filter(Boolean)).toHaveLength(1);
      if (book.ok) {
        expect(errorOf(off)).toEqual({
          code: 'conflict',
          message: `Doktor Samtidig ${round} har 1 kommande bokning. Boka om eller avboka den först (t.ex. via Frånvaro).`,
        });
      } else {
        expect(errorOf(book)).toEqual(REMOVED);
      }
    }
    expect(
      api.count(
        `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN resources r ON r.id = s.resource_id
          WHERE b.status IN ${ACTIVE} AND r.active = 0`,
      ),
    ).toBe(0);
  });

  it('deactivating a template: its booked slot stays, a free one leaves the schedule', async () => {
    for (let round = 0; round < 3; round++) {
      const { template, slot } = await doctorWithMornings(`Doktor Mall ${round}`);
      const [off, book] = await race({ method: 'templates.deactivate', input: { id: template.id } }, slot);
      expect(off.ok).toBe(true);
      if (book.ok) expect({ state: slotState(slot.slotId), active: activeOn(slot.slotId) }).toEqual({ state: 'open', active: 1 });
      else {
        expect(errorOf(book)).toEqual(REMOVED);
        expect(slotState(slot.slotId)).toBe('removed');
      }
      // Every other slot of the template left the schedule.
      expect(
        api.count(
          `SELECT count(*) AS n FROM slots WHERE template_id = ? AND state <> 'removed' AND id <> ?`,
          template.id,
          slot.slotId,
        ),
      ).toBe(0);
    }
  });
});
