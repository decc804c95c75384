// Acceptance: absences, absence rebooking, cancel and rebook, through the api on a real SQLite
// file (demo unit, now Monday 2026-11-23 09:10 CET). Dietitians of their own profession with
// hand-made slots from mid-December keep the answers independent of the demo's bookings; every
// expected answer follows from the rules, not from Tidbok's output.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentType, Booking, Resource } from '../../../src-main/api/types.ts';
import type { AbsenceResult, Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { demoApi, patientOnWeb, type Api } from './helpers.ts';

let api: Api;
/** The patient on 1177: the web rules, as the pull applies them (the staff api refuses 'web'). */
let web: ReturnType<typeof patientOnWeb>;
let diet: AppointmentType;
let d1: Resource;
let d2: Resource;
let d3: Resource;
let serial = 100;

async function patient(extra: { protectedIdentity?: boolean } = {}): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1980-05-05', serial),
    givenName: `Pat${serial}`,
    familyName: 'Dietsson',
    phone: `070${serial}0000`,
    ...extra,
  });
}

async function slot(r: Resource, date: string, startTime: string, endTime: string, webPublished = true) {
  return api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [diet.id], webPublished });
}

async function book(slotId: string, p?: Patient, note = '') {
  return api.ok('bookings.book', { slotId, patientId: (p ?? (await patient())).id, appointmentTypeId: diet.id, note });
}

/** Removes every free dietitian time, so that a test's proposals choose among its own slots. */
async function clearFree() {
  const free = await api.ok('slots.findFree', { appointmentTypeId: diet.id, to: '2027-12-31', limit: 100 });
  for (const f of free) await api.ok('slots.remove', { id: f.slotId });
}

/** Books as a desk did at an earlier instant (on the same database file). */
async function bookAsOf(iso: string, slotId: string, p: Patient) {
  const ctx = createContext(api.ctx.db, { now: () => Date.parse(iso) });
  const r = await dispatch({ ctx, caller: testCaller(), shell: 'web' }, 'bookings.book', {
    slotId,
    patientId: p.id,
    appointmentTypeId: diet.id,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Booking;
}

const at = (iso: string) => Date.parse(iso);

const slotState = async (id: string) => (await api.ok('slots.get', { id })).state;

beforeAll(async () => {
  api = demoApi();
  web = patientOnWeb(api);
  const mk = (name: string) =>
    api.ok('resources.create', {
      kind: 'clinician',
      name,
      profession: 'dietist',
      title: 'Dietist',
    });
  d1 = await mk('Dina Ett');
  d2 = await mk('Dan Två');
  d3 = await mk('Doris Tre');
  diet = await api.ok('appointmentTypes.create', {
    code: 'DIET',
    nameSv: 'Dietistbesök',
    nameEn: 'Dietitian visit',
    durationMin: 30,
    contactModes: ['physical', 'video'],
    professions: ['dietist'],
    webBookable: true,
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: 24,
    rebookCutoffH: 24,
    reasonCancel: 'mandatory',
    reasonCodes: [
      { code: 'SJUK', textSv: 'Patienten är sjuk', textEn: 'Ill' },
      { code: 'VARDEN', textSv: 'Vården ställer in', textEn: 'Unit cancels' },
    ],
  });
});

describe('an absence blocks exactly the slots overlapping it', () => {
  it('part of a day: a slot straddling either end is blocked, slots touching it are not', async () => {
    const s = {
      s0800: await slot(d1, '2026-12-14', '08:00', '08:30'),
      s0830: await slot(d1, '2026-12-14', '08:30', '09:00'),
      s1145: await slot(d1, '2026-12-14', '11:45', '12:15'),
      s1215: await slot(d1, '2026-12-14', '12:15', '12:45'),
      s0815: await slot(d1, '2026-12-15', '08:15', '08:45'),
    };
    const { absence, slotsChanged } = await api.ok('absences.create', {
      resourceId: d1.id,
      from: '2026-12-14',
      fromTime: '08:30',
      to: '2026-12-14',
      toTime: '12:00',
      reason: 'Tandläkare',
    });
    expect(slotsChanged).toBe(2);
    expect([await slotState(s.s0800.id), await slotState(s.s0830.id), await slotState(s.s1145.id)]).toEqual([
      'open',
      'blocked',
      'blocked',
    ]);
    expect(await slotState(s.s1215.id)).toBe('open');
    expect(await slotState(s.s0815.id)).toBe('open');
    // An adjacent absence (12:00–13:00) does not overlap; the straddling slot overlaps both.
    const after = await api.ok('absences.create', {
      resourceId: d1.id,
      from: '2026-12-14',
      fromTime: '12:00',
      to: '2026-12-14',
      toTime: '13:00',
      reason: 'Möte',
    });
    expect(after.slotsChanged).toBe(1);
    expect(await slotState(s.s1215.id)).toBe('blocked');
    // Withdrawing the first: 08:30 opens, 11:45 still overlaps the second and stays blocked.
    const w = await api.ok('absences.withdraw', { id: absence.id });
    expect(await slotState(s.s0830.id)).toBe('open');
    expect(await slotState(s.s1145.id)).toBe('blocked');
    expect(w.slotsChanged).toBe(1);
    await api.ok('absences.withdraw', { id: after.absence.id });
    expect(await slotState(s.s1145.id)).toBe('open');
    expect(await slotState(s.s1215.id)).toBe('open');
  });
});

describe('slots inside an absence stay away from the book', () => {
  it('a hand-blocked slot keeps its own block; a slot added inside starts blocked; a freed booked slot is blocked', async () => {
    const hand = await slot(d2, '2026-12-16', '08:00', '08:30');
    await api.ok('slots.block', { id: hand.id, reason: 'Lokalen upptagen' });
    const booked = await slot(d2, '2026-12-16', '09:00', '09:30');
    const cancelMe = await slot(d2, '2026-12-17', '09:00', '09:30');
    const b1 = await book(booked.id);
    const b2 = await book(cancelMe.id);
    const target = await slot(d3, '2026-12-18', '10:00', '10:30', false);
    const { absence, affectedBookings } = await api.ok('absences.create', {
      resourceId: d2.id,
      from: '2026-12-16',
      to: '2026-12-17',
      reason: 'Utbildning',
    });
    expect(affectedBookings.map((b) => b.id)).toEqual([b1.id, b2.id]);
    const added = await slot(d2, '2026-12-17', '13:00', '13:30');
    expect(added.state).toBe('blocked');
    expect(added.blockReason).toBe('Utbildning');
    expect(await api.err('slots.unblock', { id: added.id })).toMatchObject({
      code: 'conflict',
      message: 'Tiden är spärrad av en frånvaro. Återkalla frånvaron i stället.',
    });
    // Blocked by hand as well: the scheduler's block outlives the absence.
    const kept = await slot(d2, '2026-12-17', '14:00', '14:30');
    expect(await api.ok('slots.block', { id: kept.id, reason: 'Renovering' })).toMatchObject({
      state: 'blocked',
      blockReason: 'Renovering',
    });

    // The unit moves one booking (to an unpublished slot: the desk may use any) and cancels the other.
    await api.ok('absences.applyRebooking', { id: absence.id, items: [{ bookingId: b1.id, slotId: target.id }] });
    await api.ok('bookings.cancel', { id: b2.id, reasonCode: 'VARDEN' });
    // The freed slots lie in the absence: nobody may book them, and no search offers them.
    expect(await slotState(booked.id)).toBe('blocked');
    expect(await slotState(cancelMe.id)).toBe('blocked');
    const free = await api.ok('slots.findFree', {
      appointmentTypeId: diet.id,
      resourceId: d2.id,
      from: '2026-12-16',
      to: '2026-12-17',
    });
    expect(free).toEqual([]);
    expect(
      await api.err('bookings.book', { slotId: booked.id, patientId: (await patient()).id, appointmentTypeId: diet.id }),
    ).toMatchObject({
      code: 'conflict',
      message: 'Tiden är spärrad.',
    });

    // Withdrawn: the absence's slots open (freed ones included); the hand-blocked one stays blocked.
    await api.ok('absences.withdraw', { id: absence.id });
    expect(await slotState(booked.id)).toBe('open');
    expect(await slotState(cancelMe.id)).toBe('open');
    expect(await slotState(added.id)).toBe('open');
    expect(await api.ok('slots.get', { id: hand.id })).toMatchObject({ state: 'blocked', blockReason: 'Lokalen upptagen' });
    expect(await api.ok('slots.get', { id: kept.id })).toMatchObject({ state: 'blocked', blockReason: 'Renovering' });
  });

  it('an absence given without a reason: its blocks, and a slot added inside it, all say "Frånvaro"', async () => {
    const before = await slot(d2, '2027-01-20', '08:00', '08:30');
    await api.ok('absences.create', { resourceId: d2.id, from: '2027-01-20', to: '2027-01-20', reason: '' });
    const added = await slot(d2, '2027-01-20', '13:00', '13:30');
    const reasons = api.ctx.db
      .prepare(`SELECT block_reason FROM slots WHERE id IN (?, ?) ORDER BY start_at`)
      .pluck()
      .all(before.id, added.id);
    expect(reasons).toEqual(['Frånvaro', 'Frånvaro']);
  });
});

describe('rebooking proposals', () => {
  it('prefers the same clinician within a week of the earliest free time; otherwise the earliest of the profession', async () => {
    await clearFree();
    // Absent 2027-01-11 (Mon). Dan has 2027-01-12; Dina herself 2027-01-15 (3 days later): Dina.
    const [b1] = [await book((await slot(d1, '2027-01-11', '09:00', '09:30')).id)];
    const danSoon = await slot(d2, '2027-01-12', '09:00', '09:30');
    const dinaLater = await slot(d1, '2027-01-15', '09:00', '09:30');
    const { absence } = await api.ok('absences.create', {
      resourceId: d1.id,
      from: '2027-01-11',
      to: '2027-01-11',
      reason: 'Sjuk',
    });
    const [p] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(p!.booking.id).toBe(b1!.id);
    expect(p!.proposal?.slotId).toBe(dinaLater.id);
    expect(p!.sameResource).toBe(true);
    // Dina's own time goes; her next is ten days after Dan's: Dan's, the earliest.
    await book(dinaLater.id);
    await slot(d1, '2027-01-22', '09:00', '09:30');
    const [q] = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(q!.proposal?.slotId).toBe(danSoon.id);
    expect(q!.sameResource).toBe(false);
    await api.ok('absences.withdraw', { id: absence.id });
  });

  it('never proposes one time twice, a time overlapping the patient’s other booking, or a past time', async () => {
    await clearFree();
    // Absent 2027-02-01 (Mon) 08:00–12:00: three bookings of Doris, one of them already begun (see below).
    const pA = await patient();
    const pB = await patient();
    const bA = await book((await slot(d3, '2027-02-01', '08:00', '08:30')).id, pA);
    const bB = await book((await slot(d3, '2027-02-01', '08:30', '09:00')).id, pB);
    // Free dietitian times: Dan 2027-02-02 10:00 and 11:00. Patient A has another booking at 10:00
    // elsewhere (a sampling room), so A must not get 10:00.
    const dan10 = await slot(d2, '2027-02-02', '10:00', '10:30');
    const dan11 = await slot(d2, '2027-02-02', '11:00', '11:30');
    const prov = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'PROV')!;
    const room = (await api.ok('resources.list', {})).find((r) => r.name === 'Provtagningsrum 1')!;
    const roomSlot = await api.ok('slots.create', {
      resourceId: room.id,
      date: '2027-02-02',
      startTime: '10:10',
      endTime: '10:20',
      appointmentTypeIds: [prov.id],
    });
    await api.ok('bookings.book', { slotId: roomSlot.id, patientId: pA.id, appointmentTypeId: prov.id });
    const { absence } = await api.ok('absences.create', {
      resourceId: d3.id,
      from: '2027-02-01',
      fromTime: '08:00',
      to: '2027-02-01',
      toTime: '12:00',
      reason: 'Kurs',
    });
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    const byBooking = new Map(proposals.map((p) => [p.booking.id, p.proposal?.slotId ?? null]));
    expect(byBooking.get(bA.id)).toBe(dan11.id);
    expect(byBooking.get(bB.id)).toBe(dan10.id);
    await api.ok('absences.withdraw', { id: absence.id });
  });
});

describe('applying absence rebooking', () => {
  it('moves a subset, re-applies it as a no-op, says the new (current) time, and refuses once withdrawn', async () => {
    await clearFree();
    const pX = await patient();
    const pY = await patient({ protectedIdentity: true });
    const bX = await book((await slot(d1, '2027-03-01', '09:00', '09:30')).id, pX, 'Ta med matdagbok');
    const bY = await book((await slot(d1, '2027-03-01', '10:00', '10:30')).id, pY);
    const free1 = await slot(d2, '2027-03-02', '09:00', '09:30', false);
    const free2 = await slot(d2, '2027-03-02', '10:00', '10:30');
    const { absence } = await api.ok('absences.create', {
      resourceId: d1.id,
      from: '2027-03-01',
      to: '2027-03-01',
      reason: 'Sjuk',
    });
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    // Earliest first, unpublished slots included (the desk may use any), one time per booking.
    expect(proposals.map((p) => [p.booking.id, p.proposal?.slotId])).toEqual([
      [bX.id, free1.id],
      [bY.id, free2.id],
    ]);

    const item = { bookingId: bX.id, slotId: free1.id };
    const first = await api.ok('absences.applyRebooking', { id: absence.id, items: [item] });
    expect(first.rebooked).toHaveLength(1);
    const moved = first.rebooked[0]!;
    expect(moved.old).toMatchObject({ id: bX.id, status: 'rebooked', rebookedTo: moved.new.id });
    expect(moved.new).toMatchObject({
      slotId: free1.id,
      rebookedFrom: bX.id,
      note: 'Ta med matdagbok',
      appointmentTypeId: diet.id,
    });
    expect(moved.new.patient.id).toBe(pX.id);
    // The same click again (a retry): nothing more moves, the same move is reported.
    const again = await api.ok('absences.applyRebooking', { id: absence.id, items: [item] });
    expect(again.rebooked.map((r) => [r.old.id, r.new.id])).toEqual([[bX.id, moved.new.id]]);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from = ?`, bX.id)).toBe(1);
    // A booking not hit by the absence is refused in Swedish.
    const stranger = await book((await slot(d3, '2027-03-03', '09:00', '09:30')).id);
    expect(
      await api.err('absences.applyRebooking', { id: absence.id, items: [{ bookingId: stranger.id, slotId: free2.id }] }),
    ).toMatchObject({ code: 'validation', message: expect.stringMatching(/berörs inte av frånvaron/) });

    // The contact list: the receptionist sees both with the new time of the moved one; the
    // scheduler does not see the protected patient's phone.
    const desk = await api.ok('absences.contactList', { id: absence.id }, ['receptionist']);
    expect(desk.map((c) => [c.bookingId, c.moved, c.newStartAt])).toEqual([
      [bX.id, true, free1.startAt],
      [bY.id, false, null],
    ]);
    // A protected patient's name is never sent; the number only to the receptionist.
    expect(desk[1]).toMatchObject({ displayName: '', identityNumber: pY.identityNumber, phone: pY.phone });
    expect((await api.ok('absences.contactList', { id: absence.id }, ['scheduler']))[1]).toMatchObject({
      displayName: '',
      identityNumber: '',
      protectedIdentity: true,
      phone: null,
      contactMasked: true,
    });
    // The desk moves the patient once more: the list says where the patient is booked now.
    const later = await slot(d3, '2027-03-04', '09:00', '09:30');
    await api.ok('bookings.rebook', { id: moved.new.id, slotId: later.id });
    expect((await api.ok('absences.contactList', { id: absence.id }, ['receptionist']))[0]).toMatchObject({
      bookingId: bX.id,
      newStartAt: later.startAt,
      newResourceName: d3.name,
    });

    // The protected patient moved: the scheduler learns that, not when.
    await api.ok('absences.applyRebooking', { id: absence.id, items: [{ bookingId: bY.id, slotId: free2.id }] }, [
      'receptionist',
    ]);
    expect((await api.ok('absences.contactList', { id: absence.id }, ['scheduler']))[1]).toMatchObject({
      bookingId: bY.id,
      moved: true,
      newStartAt: null,
      newResourceName: null,
    });

    await api.ok('absences.withdraw', { id: absence.id });
    expect(await api.ok('absences.proposeRebooking', { id: absence.id })).toEqual([]);
    expect(await api.err('absences.applyRebooking', { id: absence.id })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/återkallad/),
    });
  });
});

describe('rebook and cancel at the desk', () => {
  const lastDetail = (bookingId: string) =>
    JSON.parse(
      (
        api.ctx.db
          .prepare(
            `SELECT detail FROM audit_events WHERE entity = 'booking' AND entity_id = ? AND action = 'change' ORDER BY seq DESC LIMIT 1`,
          )
          .get(bookingId) as { detail: string }
      ).detail,
    ) as Record<string, unknown>;

  it('keeps patient, type, note and the chain; the cut-off passes only with a logged staff override, never on the web', async () => {
    const p = await patient();
    // Tuesday 08:00 is 22 h 50 min away: inside the 24 h rebook and cancel cut-offs.
    const soon = await book((await slot(d1, '2026-11-24', '08:00', '08:30')).id, p, 'Glutenfri kost');
    const to = await slot(d2, '2026-12-01', '13:00', '13:30');
    const plain = { id: soon.id, slotId: to.id };
    expect(await api.err('bookings.rebook', plain)).toMatchObject({
      code: 'conflict',
      message:
        'Ombokning måste göras senast 24 timmar före besöket: det gick att göra till 2026-11-23 kl. 08:00. Personal kan göra det med en motiverad åsidosättning.',
    });
    expect(await api.err('bookings.rebook', { ...plain, override: { reason: 'ok' } })).toMatchObject({ code: 'validation' });
    expect(await web.err('rebook', { ...plain, override: { reason: 'Patienten ringde' } })).toMatchObject({
      code: 'conflict',
      message: 'Ombokning måste göras senast 24 timmar före besöket: det gick att göra till 2026-11-23 kl. 08:00.',
    });
    expect(
      await api.err('bookings.rebook', { id: soon.id, slotId: soon.slotId, override: { reason: 'Patienten ringde' } }),
    ).toMatchObject({ code: 'validation', message: 'Välj en annan tid än den bokade.' });
    // Another clinician of the profession, by video (a contact mode of the type): allowed.
    const r = await api.ok('bookings.rebook', {
      ...plain,
      contactMode: 'video',
      reasonText: 'Patienten bortrest',
      override: { reason: 'Patienten ringde' },
    });
    expect(r.old).toMatchObject({ id: soon.id, status: 'rebooked', rebookedTo: r.new.id });
    expect(r.new).toMatchObject({
      slotId: to.id,
      resourceId: d2.id,
      status: 'booked',
      contactMode: 'video',
      note: 'Glutenfri kost',
      appointmentTypeId: diet.id,
      rebookedFrom: soon.id,
    });
    expect(r.new.patient.id).toBe(p.id);
    expect(lastDetail(r.new.id)).toMatchObject({ op: 'rebook', override: { rule: 'cutoff_passed', reason: 'Patienten ringde' } });
    expect(await api.ok('bookings.get', { id: soon.id })).toMatchObject({ cancelReasonText: 'Patienten bortrest' });
    const history = await api.ok('bookings.forPatient', { patientId: p.id, includeHistory: true });
    expect(history.map((b) => [b.id, b.status])).toEqual([
      [r.new.id, 'booked'],
      [soon.id, 'rebooked'],
    ]);
    // The old slot is free again for anyone.
    expect(await slotState(soon.slotId)).toBe('open');
    expect(
      (
        await api.ok('slots.findFree', { appointmentTypeId: diet.id, resourceId: d1.id, from: '2026-11-24', to: '2026-11-24' })
      ).map((f) => f.slotId),
    ).toEqual([soon.slotId]);

    // A rebooked booking is history: neither cancelled nor moved again, even with an override.
    const again = await slot(d3, '2026-12-02', '13:00', '13:30');
    for (const refused of [
      await api.err('bookings.rebook', { id: soon.id, slotId: again.id, override: { reason: 'Patienten ringde' } }),
      await api.err('bookings.cancel', { id: soon.id, reasonCode: 'SJUK', override: { reason: 'Patienten ringde' } }),
    ]) {
      expect(refused).toMatchObject({ code: 'conflict', message: 'Bokningen är redan ombokad och kan inte ändras.' });
    }
  });

  let hour = 7;
  it.each([
    [
      'a contact mode the type lacks',
      { contactMode: 'phone' as const },
      'validation',
      'Dietistbesök erbjuds inte som telefonsamtal, bara som fysiskt besök eller videobesök.',
    ],
    [
      'a slot without the type',
      { otherType: true },
      'validation',
      'Dietistbesök erbjuds inte på den här tiden. Tiden erbjuder Provtagning.',
    ],
    [
      'a clinician of another profession',
      { nurse: true },
      'validation',
      'Dietistbesök erbjuds inte på den här tiden. Tiden erbjuder Vaccination.',
    ],
    ['a blocked slot', { blocked: true }, 'conflict', 'Tiden är spärrad.'],
    ['a taken slot', { taken: true }, 'conflict', 'Tiden är redan bokad.'],
    ['an unpublished slot on the web', { web: true }, 'conflict', 'Tiden är inte publicerad för webbokning.'],
  ])('refuses to rebook to %s, and nothing changes', async (_name, how, code, message) => {
    const hh = String(++hour).padStart(2, '0');
    const b = await book((await slot(d3, '2026-12-21', `${hh}:00`, `${hh}:30`)).id);
    let target: string;
    if ('nurse' in how || 'otherType' in how) {
      const types = await api.ok('appointmentTypes.list', {});
      const r = 'nurse' in how ? (await api.ok('resources.list', {})).find((x) => x.name === 'Maria Berg')! : d3;
      const t = 'nurse' in how ? types.find((x) => x.code === 'VACC')! : types.find((x) => x.code === 'PROV')!;
      target = (
        await api.ok('slots.create', {
          resourceId: r.id,
          date: '2026-12-22',
          startTime: `${hh}:00`,
          endTime: `${hh}:30`,
          appointmentTypeIds: [t.id],
        })
      ).id;
    } else {
      target = (await slot(d2, '2026-12-22', `${hh}:00`, `${hh}:30`, !('web' in how))).id;
      if ('blocked' in how) await api.ok('slots.block', { id: target, reason: 'Lokal' });
      if ('taken' in how) await book(target);
    }
    const move = { id: b.id, slotId: target, ...('contactMode' in how ? { contactMode: how.contactMode } : {}) };
    const err = 'web' in how ? await web.err('rebook', move) : await api.err('bookings.rebook', move);
    expect(err).toMatchObject({ code, message });
    expect((await api.ok('bookings.get', { id: b.id })).status).toBe('booked');
    await api.ok('bookings.cancel', { id: b.id, reasonCode: 'VARDEN' });
  });

  it('cancels with a reason as the type says: mandatory, known codes only; the slot is free again', async () => {
    const b = await book((await slot(d3, '2026-12-23', '08:00', '08:30')).id);
    expect(await api.err('bookings.cancel', { id: b.id })).toMatchObject({
      code: 'validation',
      message: 'Ange orsak till avbokningen.',
    });
    expect(await api.err('bookings.cancel', { id: b.id, reasonCode: 'FEL' })).toMatchObject({
      code: 'validation',
      message: 'Orsakskoden FEL finns inte för besökstypen.',
    });
    expect(await api.err('bookings.cancel', { id: b.id, reasonText: '   ' })).toMatchObject({ code: 'validation' });
    const c = await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', reasonText: 'Feber' });
    expect(c.status).toBe('cancelled');
    expect(await api.ok('bookings.get', { id: b.id })).toMatchObject({ cancelReasonCode: 'SJUK', cancelReasonText: 'Feber' });
    expect(await api.err('bookings.cancel', { id: b.id, reasonCode: 'SJUK' })).toMatchObject({
      code: 'conflict',
      message: 'Bokningen är avbokad och kan inte ändras.',
    });
    await book(b.slotId);
  });
});

describe('bookings.onlinePermissions', () => {
  // Now is Monday 09:10; the booking is Tuesday 10:00, 24 h 50 min away.
  it.each([
    [
      { webCancellable: true, cancelCutoffH: 24 },
      { allowed: true, reason: null, deadline: '2026-11-23T10:00:00+01:00' },
    ],
    [
      { webCancellable: true, cancelCutoffH: 25 },
      { allowed: false, reason: 'deadline_passed', deadline: '2026-11-23T09:00:00+01:00' },
    ],
    [
      { webCancellable: true, cancelCutoffH: 0 },
      { allowed: true, reason: null, deadline: '2026-11-24T10:00:00+01:00' },
    ],
    [
      { webCancellable: false, cancelCutoffH: 0 },
      { allowed: false, reason: 'type_disallows', deadline: null },
    ],
  ])('cancel with %o', async (flags, expected) => {
    const b = await book((await slot(d2, '2026-11-24', '10:00', '10:30')).id);
    await api.ok('appointmentTypes.update', { id: diet.id, ...flags });
    const { cancel } = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect(cancel).toEqual({ ...expected, deadline: expected.deadline && Date.parse(expected.deadline) });
    // The web follows the same answer; the desk is not bound by the web flag.
    const onWeb = await web.ok('cancel', { id: b.id, reasonCode: 'SJUK' }).then(
      () => true,
      () => false,
    );
    expect(onWeb).toBe(expected.allowed);
    await api.ok('appointmentTypes.update', { id: diet.id, webCancellable: true, cancelCutoffH: 24 });
    if (!onWeb) await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', override: { reason: 'Testets städning' } });
    await api.ok('slots.remove', { id: b.slotId });
  });

  it.each([
    [{ webRebookable: true, rebookCutoffH: 24 }, 'booked', { allowed: true, reason: null }],
    [{ webRebookable: true, rebookCutoffH: 48 }, 'booked', { allowed: false, reason: 'deadline_passed' }],
    [{ webRebookable: false, rebookCutoffH: 24 }, 'booked', { allowed: false, reason: 'type_disallows' }],
    [{ webRebookable: true, rebookCutoffH: 24 }, 'cancelled', { allowed: false, reason: 'not_active' }],
  ])('rebook with %o on a %s booking', async (flags, status, expected) => {
    const b = await book((await slot(d2, '2026-11-24', '11:00', '11:30')).id);
    if (status === 'cancelled') await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK' });
    await api.ok('appointmentTypes.update', { id: diet.id, ...flags });
    expect((await api.ok('bookings.onlinePermissions', { id: b.id })).rebook).toMatchObject(expected);
    await api.ok('appointmentTypes.update', { id: diet.id, webRebookable: true, rebookCutoffH: 24 });
    if (status === 'booked')
      await api.ok('bookings.cancel', { id: b.id, reasonCode: 'SJUK', override: { reason: 'Testets städning' } });
    await api.ok('slots.remove', { id: b.slotId });
  });
});

describe('absences over DST nights, holidays and the present', () => {
  it('over several days and the spring night: every overlapping slot, wall-clock bounds, the right length', async () => {
    const s = await Promise.all(
      (
        [
          ['2027-03-26', '11:30', '12:00'],
          ['2027-03-26', '12:00', '12:30'],
          ['2027-03-28', '01:00', '01:30'],
          ['2027-03-28', '03:00', '03:30'],
          ['2027-03-29', '09:30', '10:00'],
          ['2027-03-29', '10:00', '10:30'],
        ] as const
      ).map(([d, a, b]) => slot(d3, d, a, b)),
    );
    const { absence, slotsChanged } = await api.ok('absences.create', {
      resourceId: d3.id,
      from: '2027-03-26',
      fromTime: '12:00',
      to: '2027-03-29',
      toTime: '10:00',
      reason: 'Konferens',
    });
    expect(absence).toMatchObject({ startAt: at('2027-03-26T12:00:00+01:00'), endAt: at('2027-03-29T10:00:00+02:00') });
    expect(absence.endAt - absence.startAt).toBe(69 * 3_600_000);
    expect(slotsChanged).toBe(4);
    expect(await Promise.all(s.map((x) => slotState(x.id)))).toEqual([
      'open',
      'blocked',
      'blocked',
      'blocked',
      'blocked',
      'open',
    ]);
    // A start in the skipped hour is refused in Swedish.
    expect(
      await api.err('absences.create', {
        resourceId: d2.id,
        from: '2027-03-28',
        fromTime: '02:30',
        to: '2027-03-28',
        reason: '',
      }),
    ).toMatchObject({ code: 'validation', message: expect.stringMatching(/finns inte|hoppas över/) });
    await api.ok('absences.withdraw', { id: absence.id });
    expect(await Promise.all(s.map((x) => slotState(x.id)))).toEqual(['open', 'open', 'open', 'open', 'open', 'open']);
  });

  it('over Christmas: a hand-made holiday slot is blocked like any other; the days are whole local days', async () => {
    const xmas = await slot(d3, '2026-12-25', '10:00', '10:30');
    const { absence, slotsChanged } = await api.ok('absences.create', {
      resourceId: d3.id,
      from: '2026-12-24',
      to: '2026-12-26',
      reason: 'Ledig',
    });
    expect(absence).toMatchObject({ startAt: at('2026-12-24T00:00:00+01:00'), endAt: at('2026-12-27T00:00:00+01:00') });
    expect(slotsChanged).toBe(1);
    expect(await slotState(xmas.id)).toBe('blocked');
    await api.ok('absences.withdraw', { id: absence.id });
  });

  it('from today: a booking already begun is listed without a proposal; a later one today gets a future time', async () => {
    await clearFree();
    const early = await slot(d3, '2026-11-23', '08:00', '08:30');
    const late = await slot(d3, '2026-11-23', '15:00', '15:30');
    const bEarly = await bookAsOf('2026-11-20T10:00:00+01:00', early.id, await patient());
    const bLate = await book(late.id);
    const free = await slot(d2, '2026-11-23', '16:00', '16:30');
    const { absence, affectedBookings } = await api.ok('absences.create', {
      resourceId: d3.id,
      from: '2026-11-23',
      to: '2026-11-23',
      reason: 'Sjuk',
    });
    expect(affectedBookings.map((b) => b.id)).toEqual([bEarly.id, bLate.id]);
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals.map((p) => [p.booking.id, p.proposal?.slotId ?? null])).toEqual([
      [bEarly.id, null],
      [bLate.id, free.id],
    ]);
    const applied = await api.ok('absences.applyRebooking', { id: absence.id });
    expect(applied.rebooked.map((r) => r.old.id)).toEqual([bLate.id]);
    expect(applied.contactList.map((c) => [c.bookingId, c.newStartAt])).toEqual([
      [bEarly.id, null],
      [bLate.id, free.startAt],
    ]);
  });

  it('refuses an absence that ends before it starts, in Swedish; one overlapping another of the resource is kept beside it', async () => {
    const base = { resourceId: d2.id, reason: '' };
    expect(await api.err('absences.create', { ...base, from: '2027-05-04', to: '2027-05-03' })).toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Slutdatum/),
    });
    expect(
      await api.err('absences.create', { ...base, from: '2027-05-04', fromTime: '13:00', to: '2027-05-04', toTime: '12:00' }),
    ).toMatchObject({ code: 'validation', message: 'Frånvaron måste sluta efter att den börjar.' });
    const first = await api.ok('absences.create', { ...base, from: '2027-05-04', fromTime: '08:00', to: '2027-05-05' });
    const overlapping = await api.ok('absences.create', {
      ...base,
      from: '2027-05-05',
      fromTime: '23:00',
      to: '2027-05-06',
      toTime: '01:00',
    });
    expect(overlapping.overlapping.map((a) => a.id)).toEqual([first.absence.id]);
    await api.ok('absences.withdraw', { id: overlapping.absence.id });
    // Right after it (from midnight) is no overlap.
    const next = await api.ok('absences.create', { ...base, from: '2027-05-06', to: '2027-05-06' });
    expect(next.absence.startAt).toBe(first.absence.endAt);
    expect(next.overlapping).toEqual([]);
    expect(await api.err('absences.create', { ...base, from: '2027-05-07', to: '2027-05-07' }, ['receptionist'])).toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('a chosen list that cannot be applied', () => {
  it('names the problem in Swedish and moves nobody', async () => {
    const b1 = await book((await slot(d1, '2027-04-19', '09:00', '09:30')).id);
    const b2 = await book((await slot(d1, '2027-04-19', '10:00', '10:30')).id);
    const inside = await slot(d1, '2027-04-19', '11:00', '11:30');
    const f1 = await slot(d2, '2027-04-20', '09:00', '09:30');
    const f2 = await slot(d2, '2027-04-20', '10:00', '10:30');
    const { absence } = await api.ok('absences.create', {
      resourceId: d1.id,
      from: '2027-04-19',
      to: '2027-04-19',
      reason: 'VAB',
    });
    const apply = (items: { bookingId: string; slotId: string }[]) =>
      api.err('absences.applyRebooking', { id: absence.id, items });
    expect(
      await apply([
        { bookingId: b1.id, slotId: f1.id },
        { bookingId: b1.id, slotId: f2.id },
      ]),
    ).toMatchObject({ code: 'validation', message: 'Samma bokning finns två gånger i listan.' });
    expect(
      await apply([
        { bookingId: b1.id, slotId: f1.id },
        { bookingId: b2.id, slotId: f1.id },
      ]),
    ).toMatchObject({ code: 'validation', message: 'Samma tid har valts för två bokningar.' });
    // A time the absence itself blocked.
    expect(
      await apply([
        { bookingId: b1.id, slotId: f1.id },
        { bookingId: b2.id, slotId: inside.id },
      ]),
    ).toMatchObject({
      code: 'conflict',
      message: `Den valda tiden 2027-04-19 11:00 hos ${d1.name} går inte att använda: Tiden är spärrad. Ingen bokning har flyttats; hämta nya förslag och försök igen.`,
    });
    expect((await api.ok('absences.affectedBookings', { id: absence.id })).map((b) => b.id)).toEqual([b1.id, b2.id]);
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE rebooked_from IN (?, ?)`, b1.id, b2.id)).toBe(0);
    expect((await api.ok('absences.contactList', { id: absence.id })).map((c) => c.bookingId)).toEqual([b1.id, b2.id]);
    // Withdrawn before anyone moved: nobody to call; the bookings keep their open slots.
    await api.ok('absences.withdraw', { id: absence.id });
    expect(await api.ok('absences.contactList', { id: absence.id })).toEqual([]);
    expect([await slotState(b1.slotId), (await api.ok('bookings.get', { id: b1.id })).status]).toEqual(['open', 'booked']);
  });
});

describe('template slots laid inside an absence', () => {
  it('start blocked by it and open when it is withdrawn', async () => {
    const { absence } = await api.ok('absences.create', {
      resourceId: d2.id,
      from: '2027-01-25',
      fromTime: '08:30',
      to: '2027-01-26',
      reason: 'Föräldraledig',
    });
    await api.ok('templates.create', {
      template: {
        resourceId: d2.id,
        name: 'Dietmottagning',
        weekdays: [1, 2],
        everyNWeeks: 1,
        validFrom: '2027-01-25',
        validTo: '2027-01-26',
        startTime: '08:00',
        endTime: '09:30',
        slotMin: 30,
        appointmentTypeIds: [diet.id],
        publishWeb: true,
        withinCareGuarantee: true,
      },
    });
    const states = async () =>
      (await api.ok('calendar.range', { from: '2027-01-25', to: '2027-01-27', resourceIds: [d2.id] })).slots.map((s) =>
        `${s.state} ${s.blockReason ?? ''}`.trim(),
      );
    // Monday 08:00 is before the absence; the rest lie in it.
    expect(await states()).toEqual([
      'open',
      'blocked Föräldraledig',
      'blocked Föräldraledig',
      'blocked Föräldraledig',
      'blocked Föräldraledig',
      'blocked Föräldraledig',
    ]);
    await api.ok('absences.withdraw', { id: absence.id });
    expect(await states()).toEqual(['open', 'open', 'open', 'open', 'open', 'open']);
  });
});

describe('cut-off deadlines over a clock change', () => {
  it('are real hours: 48 h before Monday 10:00 after the spring night is Saturday 09:00', async () => {
    const b = await book((await slot(d1, '2027-03-29', '10:00', '10:30')).id);
    await api.ok('appointmentTypes.update', { id: diet.id, cancelCutoffH: 48 });
    const { cancel } = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect(cancel).toEqual({ allowed: true, reason: null, deadline: at('2027-03-27T09:00:00+01:00') });
    await api.ok('appointmentTypes.update', { id: diet.id, cancelCutoffH: 24 });
    expect((await api.ok('bookings.onlinePermissions', { id: b.id })).cancel.deadline).toBe(at('2027-03-28T10:00:00+02:00'));
  });
});

describe('tidbok absences (the command line)', () => {
  it('registers, proposes and applies, and refuses in Swedish with exit code 2', () => {
    const { db, path } = openTestDb({ demo: true });
    db.close();
    const tidbok = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args, '--db', path], {
        cwd: resolve(import.meta.dirname, '../../..'),
        encoding: 'utf8',
        env: { ...process.env, TIDBOK_NOW: '2026-11-23T09:10:00+01:00' },
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const added = tidbok(
      'absences',
      'add',
      '--resource',
      'erik johansson',
      '--from',
      '2026-11-30',
      '--from-time',
      '08:00',
      '--to',
      '2026-12-01',
      '--json',
    );
    expect(added.code).toBe(0);
    const r = JSON.parse(added.out) as AbsenceResult;
    expect(r.absence).toMatchObject({ startAt: at('2026-11-30T08:00:00+01:00'), endAt: at('2026-12-02T00:00:00+01:00') });
    expect(r.affectedBookings.length).toBeGreaterThan(0);
    const applied = tidbok('absences', 'rebook', r.absence.id, '--apply');
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(new RegExp(`^${r.affectedBookings.length} bokningar ombokade\\.`));
    expect(applied.out).not.toMatch(/ej ombokad/);
    // Sick leave over the course: kept beside it, and named; the CLI still refuses bad input with 2.
    const sick = tidbok('absences', 'add', '--resource', 'Erik Johansson', '--from', '2026-11-30', '--reason', 'Sjuk');
    expect(sick.code).toBe(0);
    expect(sick.out).toMatch(new RegExp(`^Överlappar även: 2026-11-30 08:00 – 2026-12-01 24:00 \\(${r.absence.id}\\)$`, 'm'));
    const refused = tidbok('absences', 'add', '--resource', 'Erik Johansson', '--from', '2026-12-01', '--to', '2026-11-30');
    expect(refused).toMatchObject({
      code: 2,
      err: 'tidbok: Ogiltiga uppgifter: Slutdatum måste vara samma som eller efter startdatum. (to)\n',
    });
  }, 60_000);
});

describe('a long absence', () => {
  it('finds a time for every booking when there are enough free times, however many', async () => {
    await clearFree();
    // Nine working days, 24 half hours each: 216 bookings of Doris, as many free times of Dan.
    const days = [
      '2027-04-05',
      '2027-04-06',
      '2027-04-07',
      '2027-04-08',
      '2027-04-09',
      '2027-04-12',
      '2027-04-13',
      '2027-04-14',
      '2027-04-15',
    ];
    const hh = (n: number) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
    const halfHours = Array.from({ length: 24 }, (_, i) => [hh(420 + i * 30), hh(450 + i * 30)] as const);
    const hit: string[] = [];
    for (const d of days)
      for (const [a, b] of halfHours) {
        hit.push((await book((await slot(d3, d, a, b)).id)).id);
        await slot(d2, d, a, b);
      }
    const { absence } = await api.ok('absences.create', {
      resourceId: d3.id,
      from: days[0]!,
      to: days.at(-1)!,
      reason: 'Föräldraledig',
    });
    const proposals = await api.ok('absences.proposeRebooking', { id: absence.id });
    expect(proposals).toHaveLength(hit.length);
    expect(proposals.filter((x) => x.proposal === null)).toHaveLength(0);
    expect(new Set(proposals.map((x) => x.proposal!.slotId)).size).toBe(hit.length);
    await api.ok('absences.withdraw', { id: absence.id });
  });
});
