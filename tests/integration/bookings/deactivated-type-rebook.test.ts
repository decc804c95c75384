// The flu-vaccination season ends: the scheduler deactivates Vaccination while patients are still
// booked on it. A patient phones to move her time: the receptionist finds the next free times that
// still offer it (laid before the deactivation) and moves her, through the api, the `tidbok`
// command and an absence's rebooking; nobody books the type anew, and 1177 does not move it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking } from '../../../src-main/api/types.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { demoApi, patientOnWeb, type Api } from '../scheduling/helpers.ts';

const NOW = '2026-11-23T09:10:00+01:00'; // the demo's Monday
let api: Api;
let vacc: AppointmentType;
let serial = 700;

async function bookVacc(from: string): Promise<Booking> {
  const [slot] = await api.ok('slots.findFree', { appointmentTypeId: vacc.id, from, limit: 1 });
  serial += 1;
  const p = await api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1948-05-02', serial),
    givenName: `Vera${serial}`,
    familyName: 'Vaccinsson',
  });
  return api.ok('bookings.book', { slotId: slot!.slotId, patientId: p.id, appointmentTypeId: vacc.id });
}

beforeAll(async () => {
  api = demoApi();
  vacc = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'VACC')!;
});

describe('a booking of a deactivated type', () => {
  let phoned: Booking;
  let absent: Booking;
  let web: Booking;
  beforeAll(async () => {
    phoned = await bookVacc('2026-11-25');
    web = await bookVacc('2026-11-26');
    absent = await bookVacc('2026-11-27');
    await api.ok('appointmentTypes.setActive', { id: vacc.id, active: false });
  });

  it('is moved at the desk to a free time that still offers the type, found by the rebooking search', async () => {
    // Första lediga tid offers the type to nobody anew...
    expect(await api.ok('slots.findFree', { appointmentTypeId: vacc.id })).toEqual([]);
    // ...but finds the times for moving the booking a patient holds.
    const free = await api.ok('slots.findFree', {
      appointmentTypeId: vacc.id,
      rebookingId: phoned.id,
      from: '2026-12-03',
      limit: 3,
    });
    expect(free).toHaveLength(3);
    for (const f of free) expect(f.appointmentTypeIds).toContain(vacc.id);
    // The search for another booking's type, or for a booking no longer open, stays empty.
    const blood = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'BLODTR')!;
    expect(await api.ok('slots.findFree', { appointmentTypeId: blood.id, rebookingId: phoned.id, limit: 1 })).toHaveLength(1);

    const moved = await api.ok('bookings.rebook', { id: phoned.id, slotId: free[0]!.slotId, channel: 'phone' });
    expect(moved.old).toMatchObject({ status: 'rebooked' });
    expect(moved.new).toMatchObject({ slotId: free[0]!.slotId, appointmentTypeId: vacc.id, status: 'booked' });
    expect(await api.ok('slots.findFree', { appointmentTypeId: vacc.id, rebookingId: phoned.id })).toEqual([]);
    // Moved again (the patient phones once more): the new booking is the one being moved.
    const again = await api.ok('bookings.rebook', { id: moved.new.id, slotId: free[1]!.slotId });
    expect(again.new).toMatchObject({ slotId: free[1]!.slotId, appointmentTypeId: vacc.id });

    // Nobody books the type anew, not even into a time that offers it.
    const other = await api.ok('patients.create', {
      identityNumber: makeIdentityNumber('1950-01-01', 1),
      givenName: 'Ny',
      familyName: 'Patient',
    });
    expect(
      await api.err('bookings.book', { slotId: free[2]!.slotId, patientId: other.id, appointmentTypeId: vacc.id }),
    ).toMatchObject({
      code: 'validation',
      details: { rule: 'type_inactive' },
    });
  });

  it('is not moved to a time that no longer offers the type', async () => {
    const tele = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
    const [lak] = await api.ok('slots.findFree', { appointmentTypeId: tele.id, from: '2026-12-03', limit: 1 });
    expect(await api.err('bookings.rebook', { id: web.id, slotId: lak!.slotId })).toMatchObject({
      code: 'validation',
      details: { rule: 'type_not_in_slot' },
    });
  });

  it('is not moved by the patient on 1177, even where the type allowed web rebooking', async () => {
    await api.ok('appointmentTypes.update', { id: vacc.id, webRebookable: true, rebookCutoffH: 0 });
    const [to] = await api.ok('slots.findFree', {
      appointmentTypeId: vacc.id,
      rebookingId: web.id,
      from: '2026-12-02',
      limit: 1,
    });
    expect(await patientOnWeb(api).err('rebook', { id: web.id, slotId: to!.slotId })).toMatchObject({
      code: 'conflict',
      details: { rule: 'web_disallowed' },
    });
    expect((await api.ok('bookings.onlinePermissions', { id: web.id })).rebook.allowed).toBe(false);
    // The web's own search (webOnly, no booking to move) offers it nothing.
    expect(await api.ok('slots.findFree', { appointmentTypeId: vacc.id, webOnly: true })).toEqual([]);
  });

  it('is moved with `tidbok slots free --rebooking` and `tidbok bookings rebook`', async () => {
    const [to] = await api.ok('slots.findFree', {
      appointmentTypeId: vacc.id,
      rebookingId: web.id,
      from: '2026-12-03',
      limit: 1,
    });
    const free = (...args: string[]) => runTidbok(['slots', 'free', '--type', 'VACC', ...args, '--db', api.path], NOW);
    expect(await free()).toMatchObject({
      code: 0,
      out: 'VACC är inaktiverad och erbjuds inte på några tider. En bokad tid flyttas med --rebooking <bokningens id>.\n',
    });
    const listed = await free('--rebooking', web.id, '--from', '2026-12-03', '--limit', '1', '--json');
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ slotId: to!.slotId })]);
    const r = await runTidbok(['bookings', 'rebook', web.id, '--slot', to!.slotId, '--json', '--db', api.path], NOW);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(JSON.parse(r.out)).toMatchObject({ old: { id: web.id, status: 'rebooked' }, new: { slotId: to!.slotId } });
  });

  it('is proposed a new time and moved when its clinician is absent', async () => {
    const day = new Date(absent.startAt + 3_600_000).toISOString().slice(0, 10);
    const sick = await api.ok('absences.create', { resourceId: absent.resourceId, from: day, to: day, reason: 'Sjuk' });
    expect(sick.affectedBookings.map((b) => b.id)).toContain(absent.id);
    const proposals = await api.ok('absences.proposeRebooking', { id: sick.absence.id });
    const mine = proposals.find((p) => p.booking.id === absent.id)!;
    expect(mine.problem).toBeUndefined();
    expect(mine.proposal).not.toBeNull();
    expect(mine.proposal!.appointmentTypeIds).toContain(vacc.id);
    const applied = await api.ok('absences.applyRebooking', { id: sick.absence.id });
    const done = applied.rebooked.find((r) => r.old.id === absent.id)!;
    expect(done.new).toMatchObject({ slotId: mine.proposal!.slotId, appointmentTypeId: vacc.id });
  });
});
