// Overlapping absences of one resource (a course day, then sick leave over the whole week): each is
// kept, a slot stays blocked while ANY active absence of its resource covers it, and a scheduler's
// own block is never lifted by an absence. Through the api on a real SQLite file (demo unit, now
// Monday 2026-11-23 09:10 CET), on counsellors of their own profession and hand-made slots so the
// demo's bookings never touch the answers. Expected answers follow from the rule, not from Tidbok.
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AppointmentType, Resource, Slot } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import { demoApi, type Api } from './helpers.ts';

let api: Api;
let type: AppointmentType;
let k1: Resource;
let k2: Resource;
let serial = 700;

beforeEach(async () => {
  api = demoApi();
  k1 = await counsellor('Klara Ett');
  k2 = await counsellor('Kim Två');
  type = await api.ok('appointmentTypes.create', {
    code: 'KUR',
    nameSv: 'Kuratorssamtal',
    nameEn: 'Counselling',
    durationMin: 30,
    contactModes: ['physical'],
    professions: ['kurator'],
  });
});

const counsellor = (name: string) =>
  api.ok('resources.create', { kind: 'clinician', name, profession: 'kurator', title: 'Kurator' });
async function patient(): Promise<Patient> {
  serial += 1;
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber('1971-03-14', serial),
    givenName: `Pat${serial}`,
    familyName: 'Överlappsson',
  });
}
const slot = (r: Resource, date: string, startTime: string, endTime: string) =>
  api.ok('slots.create', { resourceId: r.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
const book = async (s: Slot) =>
  api.ok('bookings.book', { slotId: s.id, patientId: (await patient()).id, appointmentTypeId: type.id });
/** "open", or "blocked:<reason shown on the slot>". */
const state = async (s: Slot) => {
  const x = await api.ok('slots.get', { id: s.id });
  return x.state === 'blocked' ? `blocked:${x.blockReason ?? ''}` : x.state;
};
const states = async (...slots: Slot[]) => Promise.all(slots.map(state));
const outboxRows = (entity: string) => api.count(`SELECT count(*) AS n FROM outbox WHERE entity = ?`, entity);
const absenceChanges = (id: string) =>
  api.count(`SELECT count(*) AS n FROM audit_events WHERE entity = 'absence' AND entity_id = ? AND action = 'change'`, id);

/** Klara's week 2026-12-07 (Mon) – 12-11 (Fri): a course Wednesday 08–12, a meeting blocked by hand Thursday. */
async function week() {
  const mon = await slot(k1, '2026-12-07', '09:00', '09:30');
  const wedCourse = await slot(k1, '2026-12-09', '09:00', '09:30');
  const wedAfternoon = await slot(k1, '2026-12-09', '13:00', '13:30');
  const thuMeeting = await slot(k1, '2026-12-10', '09:00', '09:30');
  const fri = await slot(k1, '2026-12-11', '09:00', '09:30');
  const after = await slot(k1, '2026-12-14', '09:00', '09:30');
  const bookedWed = await book(wedCourse);
  const bookedFri = await book(fri);
  await api.ok('slots.block', { id: thuMeeting.id, reason: 'Möte' });
  const course = await api.ok('absences.create', {
    resourceId: k1.id,
    from: '2026-12-09',
    fromTime: '08:00',
    to: '2026-12-09',
    toTime: '12:00',
    reason: 'Kurs',
  });
  return { mon, wedCourse, wedAfternoon, thuMeeting, fri, after, bookedWed, bookedFri, course };
}
const sickWeek = { from: '2026-12-07', to: '2026-12-11', reason: 'Sjuk' };

describe('a course day, then sick leave for the whole week', () => {
  it('is accepted: the rest of the week is blocked, Wednesday morning keeps its course, every booking still there is listed', async () => {
    const w = await week();
    const slotRowsBefore = outboxRows('slot');
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    // Blocked now: Monday, Wednesday afternoon and Friday. The course already blocks Wednesday
    // morning and the meeting is the scheduler's own: neither changes.
    expect(sick.slotsChanged).toBe(3);
    expect(sick.unchanged).toBe(false);
    expect(sick.overlapping.map((a) => a.id)).toEqual([w.course.absence.id]);
    expect(await states(w.mon, w.wedCourse, w.wedAfternoon, w.thuMeeting, w.fri, w.after)).toEqual([
      'blocked:Sjuk',
      'blocked:Kurs',
      'blocked:Sjuk',
      'blocked:Möte',
      'blocked:Sjuk',
      'open',
    ]);
    // Both bookings in the week still need a new time, Wednesday's too: the course listed it, but
    // nobody has moved it yet, and this absence's rebooking moves them all.
    expect(sick.affectedBookings.map((b) => b.id)).toEqual([w.bookedWed.id, w.bookedFri.id]);
    expect((await api.ok('absences.list', { resourceId: k1.id })).map((a) => a.reason)).toEqual(['Sjuk', 'Kurs']);
    // Synced and logged as every absence: its own row, one row per slot it blocked, one change event.
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'absence' AND entity_id = ?`, sick.absence.id)).toBe(1);
    expect(outboxRows('slot') - slotRowsBefore).toBe(3);
    expect(absenceChanges(sick.absence.id)).toBe(1);
  });

  it('withdrawing the course first leaves Wednesday morning blocked by the sick leave; withdrawing that opens the week but not the meeting', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    expect((await api.ok('absences.withdraw', { id: w.course.absence.id })).slotsChanged).toBe(0);
    expect(await state(w.wedCourse)).toBe('blocked:Sjuk');
    expect(await api.err('slots.unblock', { id: w.wedCourse.id })).toMatchObject({ code: 'conflict' });
    expect((await api.ok('absences.withdraw', { id: sick.absence.id })).slotsChanged).toBe(4);
    expect(await states(w.mon, w.wedCourse, w.wedAfternoon, w.thuMeeting, w.fri)).toEqual([
      'open',
      'open',
      'open',
      'blocked:Möte',
      'open',
    ]);
  });

  it('withdrawing the sick leave first opens only what the course does not cover', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    expect((await api.ok('absences.withdraw', { id: sick.absence.id })).slotsChanged).toBe(3);
    expect(await states(w.mon, w.wedCourse, w.wedAfternoon, w.thuMeeting, w.fri)).toEqual([
      'open',
      'blocked:Kurs',
      'open',
      'blocked:Möte',
      'open',
    ]);
    const free = await api.ok('slots.findFree', {
      appointmentTypeId: type.id,
      resourceId: k1.id,
      from: '2026-12-07',
      to: '2026-12-11',
    });
    expect(free.map((f) => f.slotId)).toEqual([w.mon.id, w.wedAfternoon.id]);
  });

  it('a third absence inside both is kept too, and the slots stay blocked until the last of them goes', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    const vab = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-09',
      to: '2026-12-09',
      reason: 'VAB',
    });
    expect(vab.slotsChanged).toBe(0);
    expect(vab.overlapping.map((a) => a.reason).sort()).toEqual(['Kurs', 'Sjuk']);
    await api.ok('absences.withdraw', { id: sick.absence.id });
    await api.ok('absences.withdraw', { id: w.course.absence.id });
    expect(await states(w.wedCourse, w.wedAfternoon)).toEqual(['blocked:VAB', 'blocked:VAB']);
    await api.ok('absences.withdraw', { id: vab.absence.id });
    expect(await states(w.wedCourse, w.wedAfternoon)).toEqual(['open', 'open']);
  });
});

describe('the same absence registered twice (a double click, an HR feed run again)', () => {
  it('changes nothing the second time and answers with the absence already there', async () => {
    const w = await week();
    const first = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    const outbox = api.count(`SELECT count(*) AS n FROM outbox`);
    const again = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    expect(again).toMatchObject({ unchanged: true, slotsChanged: 0 });
    expect(again.absence.id).toBe(first.absence.id);
    expect(again.affectedBookings.map((b) => b.id)).toEqual([w.bookedWed.id, w.bookedFri.id]);
    expect(api.count(`SELECT count(*) AS n FROM absences WHERE resource_id = ? AND state = 'active'`, k1.id)).toBe(2);
    expect(api.count(`SELECT count(*) AS n FROM outbox`)).toBe(outbox);
    expect(absenceChanges(first.absence.id)).toBe(1);
    // The same period for another reason is another record.
    const other = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek, reason: 'Semester' });
    expect(other.unchanged).toBe(false);
    expect(other.absence.id).not.toBe(first.absence.id);
  });
});

describe('editing an absence’s period or reason', () => {
  it('shortening the sick leave opens only the days no other absence covers; lengthening blocks them again', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    const events = api.events.length;
    const shorter = await api.ok('absences.update', {
      id: sick.absence.id,
      from: '2026-12-07',
      to: '2026-12-08',
      reason: 'Sjuk',
      expectedVersion: sick.absence.version,
    });
    // Back on Wednesday: the afternoon and Friday open; the course and the meeting stay.
    expect(shorter).toMatchObject({ slotsChanged: 2, slotsOpened: 2, slotsBlocked: 0 });
    expect(shorter.absence).toMatchObject({ id: sick.absence.id, version: sick.absence.version + 1 });
    expect(shorter.affectedBookings).toEqual([]);
    expect(await states(w.mon, w.wedCourse, w.wedAfternoon, w.thuMeeting, w.fri)).toEqual([
      'blocked:Sjuk',
      'blocked:Kurs',
      'open',
      'blocked:Möte',
      'open',
    ]);
    expect(api.events.length).toBeGreaterThan(events);
    expect(api.count(`SELECT count(*) AS n FROM outbox WHERE entity = 'absence' AND entity_id = ?`, sick.absence.id)).toBe(2);
    expect(absenceChanges(sick.absence.id)).toBe(2);

    const longer = await api.ok('absences.update', {
      id: sick.absence.id,
      from: '2026-12-07',
      to: '2026-12-14',
      toTime: '12:00',
      reason: 'Sjukskriven',
    });
    // Wednesday afternoon, Friday and the next Monday blocked; this Monday given the new reason.
    expect(longer).toMatchObject({ slotsChanged: 4, slotsBlocked: 3, slotsOpened: 0 });
    expect(await states(w.mon, w.wedCourse, w.wedAfternoon, w.thuMeeting, w.fri, w.after)).toEqual([
      'blocked:Sjukskriven',
      'blocked:Kurs',
      'blocked:Sjukskriven',
      'blocked:Möte',
      'blocked:Sjukskriven',
      'blocked:Sjukskriven',
    ]);
    expect(longer.affectedBookings.map((b) => b.id)).toEqual([w.bookedWed.id, w.bookedFri.id]);
  });

  it('moving the period off a day opens it, unless another absence covers it', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-09',
      to: '2026-12-09',
      reason: 'Sjuk',
    });
    await api.ok('absences.withdraw', { id: w.course.absence.id });
    expect(await state(w.wedCourse)).toBe('blocked:Sjuk');
    const course2 = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-09',
      fromTime: '09:00',
      to: '2026-12-09',
      toTime: '10:00',
      reason: 'Handledning',
    });
    await api.ok('absences.update', { id: sick.absence.id, from: '2026-12-11', to: '2026-12-11', reason: 'Sjuk' });
    expect(await states(w.wedCourse, w.wedAfternoon, w.fri)).toEqual(['blocked:Handledning', 'open', 'blocked:Sjuk']);
    await api.ok('absences.withdraw', { id: course2.absence.id });
    expect(await state(w.wedCourse)).toBe('open');
  });

  it('refuses a stale form, a withdrawn absence, and a period that ends before it starts, in Swedish, changing nothing', async () => {
    const w = await week();
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    await api.ok('absences.update', { id: sick.absence.id, from: '2026-12-07', to: '2026-12-10', reason: 'Sjuk' });
    expect(
      await api.err('absences.update', {
        id: sick.absence.id,
        from: '2026-12-07',
        to: '2026-12-08',
        reason: 'Sjuk',
        expectedVersion: sick.absence.version,
      }),
    ).toMatchObject({ code: 'conflict', details: { rule: 'stale_version' } });
    expect(
      await api.err('absences.update', {
        id: sick.absence.id,
        from: '2026-12-08',
        fromTime: '13:00',
        to: '2026-12-08',
        toTime: '12:00',
        reason: 'Sjuk',
      }),
    ).toMatchObject({ code: 'validation', message: 'Frånvaron måste sluta efter att den börjar.' });
    expect(await state(w.wedAfternoon)).toBe('blocked:Sjuk');
    await api.ok('absences.withdraw', { id: sick.absence.id });
    expect(
      await api.err('absences.update', { id: sick.absence.id, from: '2026-12-07', to: '2026-12-08', reason: 'Sjuk' }),
    ).toMatchObject({ code: 'validation', message: expect.stringMatching(/återkallad/) });
    expect(await state(w.mon)).toBe('open');
    expect(
      await api.err('absences.update', { id: w.course.absence.id, from: '2026-12-09', to: '2026-12-09', reason: 'Kurs' }, [
        'receptionist',
      ]),
    ).toMatchObject({ code: 'forbidden' });
  });
});

describe('absence rebooking when absences overlap', () => {
  it('never proposes a time of the clinician that another absence covers', async () => {
    const w = await week();
    await slot(k2, '2026-12-15', '09:00', '09:30');
    // Before the sick leave, Klara's free Monday is the course booking's first choice (same clinician).
    const before = await api.ok('absences.proposeRebooking', { id: w.course.absence.id });
    expect(before.map((p) => p.proposal?.slotId)).toEqual([w.mon.id]);
    await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    // Sick all week: her first own time is the next Monday, still earlier than anyone else's.
    const after = await api.ok('absences.proposeRebooking', { id: w.course.absence.id });
    expect(after.map((p) => [p.booking.id, p.proposal?.slotId])).toEqual([[w.bookedWed.id, w.after.id]]);
  });

  it('skips a time inside an absence whose blocks have not reached this desk yet (another desk’s, pulled as a row)', async () => {
    const w = await week();
    const k2Later = await slot(k2, '2026-12-15', '09:00', '09:30');
    // As sync's pull writes another desk's absence: the row only; its blocked slots come by the Slot feed.
    api.ctx.db
      .prepare(
        `INSERT INTO absences (id, resource_id, start_at, end_at, reason, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 'sync')`,
      )
      .run(
        '0193a3b4-0000-7000-8000-00000000abcd',
        k1.id,
        Date.parse('2026-12-10T00:00:00+01:00'),
        Date.parse('2026-12-15T00:00:00+01:00'),
        'Sjuk',
        api.ctx.now(),
      );
    await api.ok('slots.block', { id: w.mon.id, reason: 'Möte' });
    await api.ok('slots.block', { id: w.wedAfternoon.id, reason: 'Möte' });
    // Klara's next Monday (still open here) lies inside it: Kim's later time is proposed instead.
    const proposals = await api.ok('absences.proposeRebooking', { id: w.course.absence.id });
    expect(proposals.map((p) => p.proposal?.slotId)).toEqual([k2Later.id]);
    // Chosen by hand, that time is refused, and nobody moves.
    expect(
      await api.err('absences.applyRebooking', {
        id: w.course.absence.id,
        items: [{ bookingId: w.bookedWed.id, slotId: w.after.id }],
      }),
    ).toMatchObject({ code: 'conflict', message: expect.stringMatching(/frånvaro/) });
    expect(api.count(`SELECT count(*) AS n FROM bookings WHERE id = ? AND status = 'booked'`, w.bookedWed.id)).toBe(1);
    const applied = await api.ok('absences.applyRebooking', { id: w.course.absence.id });
    expect(applied.rebooked.map((r) => r.new.slotId)).toEqual([k2Later.id]);
  });

  it('applying the sick leave moves the course day’s booking too, once; the call is on the sick leave’s list only', async () => {
    const w = await week();
    await slot(k2, '2026-12-16', '09:00', '09:30');
    await slot(k2, '2026-12-16', '10:00', '10:30');
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    // A running clock (as in the shells): each write reads it anew, so the move's log entry may come a moment later.
    const start = api.ctx.now();
    let tick = 0;
    api.ctx.now = () => start + tick++;
    const applied = await api.ok('absences.applyRebooking', { id: sick.absence.id });
    expect(applied.rebooked.map((r) => r.old.id)).toEqual([w.bookedWed.id, w.bookedFri.id]);
    for (const r of applied.rebooked) expect(r.new.resourceId === k2.id || r.new.startAt >= Date.parse('2026-12-14')).toBe(true);
    expect(applied.contactList.map((c) => [c.bookingId, c.moved, c.contactUnder])).toEqual([
      [w.bookedWed.id, true, null],
      [w.bookedFri.id, true, null],
    ]);
    expect(await api.ok('absences.proposeRebooking', { id: w.course.absence.id })).toEqual([]);
    // The course's list still shows Wednesday's patient, as already moved by the sick leave: one move, one call.
    const course = await api.ok('absences.contactList', { id: w.course.absence.id });
    expect(course.map((c) => [c.bookingId, c.moved, c.contactUnder])).toEqual([
      [w.bookedWed.id, true, { absenceId: sick.absence.id, reason: 'Sjuk' }],
    ]);
    const sickList = await api.ok('absences.contactList', { id: sick.absence.id });
    expect(sickList.map((c) => [c.bookingId, c.contactUnder])).toEqual([
      [w.bookedWed.id, null],
      [w.bookedFri.id, null],
    ]);
  });

  it('the course’s rebooking moves Wednesday’s patient first: the sick leave shows her as moved under the course', async () => {
    const w = await week();
    await slot(k2, '2026-12-16', '09:00', '09:30');
    await slot(k2, '2026-12-16', '10:00', '10:30');
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    const byCourse = await api.ok('absences.applyRebooking', { id: w.course.absence.id });
    expect(byCourse.rebooked.map((r) => r.old.id)).toEqual([w.bookedWed.id]);
    // The sick leave then moves only Friday's; its list names Wednesday's as the course's call.
    const bySick = await api.ok('absences.applyRebooking', { id: sick.absence.id });
    expect(bySick.rebooked.map((r) => r.old.id)).toEqual([w.bookedFri.id]);
    const sickList = await api.ok('absences.contactList', { id: sick.absence.id });
    expect(sickList.map((c) => [c.bookingId, c.moved, c.contactUnder])).toEqual([
      [w.bookedWed.id, true, { absenceId: w.course.absence.id, reason: 'Kurs' }],
      [w.bookedFri.id, true, null],
    ]);
    const courseList = await api.ok('absences.contactList', { id: w.course.absence.id });
    expect(courseList.map((c) => [c.bookingId, c.contactUnder])).toEqual([[w.bookedWed.id, null]]);
    // Each patient is to be called from exactly one list.
    const calls = [...sickList, ...courseList].filter((c) => c.contactUnder === null).map((c) => c.bookingId);
    expect(calls.sort()).toEqual([w.bookedWed.id, w.bookedFri.id].sort());
    // The command line lists them so too.
    const cli = await runTidbok(['absences', 'contacts', sick.absence.id, '--db', api.path], '2026-11-23T09:10:00+01:00');
    expect([cli.code, cli.err]).toEqual([0, '']);
    const rows = cli.out.split('\n').filter((l) => l.includes('Överlappsson'));
    expect(rows).toHaveLength(2);
    expect(rows.filter((l) => l.endsWith('– ombokad via frånvaron Kurs, kontaktas därifrån'))).toHaveLength(1);
  });

  it('a booking moved by hand at the desk is called from the first absence registered over it', async () => {
    const w = await week();
    const to = await slot(k2, '2026-12-16', '09:00', '09:30');
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    await api.ok('bookings.rebook', { id: w.bookedWed.id, slotId: to.id });
    const courseList = await api.ok('absences.contactList', { id: w.course.absence.id });
    expect(courseList.map((c) => [c.bookingId, c.moved, c.contactUnder])).toEqual([[w.bookedWed.id, true, null]]);
    const sickList = await api.ok('absences.contactList', { id: sick.absence.id });
    expect(sickList.map((c) => [c.bookingId, c.moved, c.contactUnder])).toEqual([
      [w.bookedWed.id, true, { absenceId: w.course.absence.id, reason: 'Kurs' }],
      [w.bookedFri.id, false, null],
    ]);
  });

  it('a protected patient moved by the other absence: no name, and no new time to a role without the need', async () => {
    const w = await week();
    await api.ok('patients.update', { id: w.bookedWed.patient.id, protectedIdentity: true });
    await slot(k2, '2026-12-16', '09:00', '09:30');
    await slot(k2, '2026-12-16', '10:00', '10:30');
    const sick = await api.ok('absences.create', { resourceId: k1.id, ...sickWeek });
    await api.ok('absences.applyRebooking', { id: sick.absence.id });
    const [asScheduler] = await api.ok('absences.contactList', { id: w.course.absence.id }, ['scheduler']);
    expect(asScheduler).toMatchObject({
      bookingId: w.bookedWed.id,
      displayName: '',
      protectedIdentity: true,
      contactMasked: true,
      moved: true,
      newStartAt: null,
      contactUnder: { absenceId: sick.absence.id, reason: 'Sjuk' },
    });
    const [atDesk] = await api.ok('absences.contactList', { id: w.course.absence.id }, ['receptionist']);
    expect(atDesk).toMatchObject({ displayName: '', contactMasked: false, contactUnder: { absenceId: sick.absence.id } });
  });
});

describe('template slots laid out inside overlapping absences', () => {
  it('are blocked by one of them (named "Frånvaro" when it gives no reason) and open only when the last is withdrawn', async () => {
    const noReason = await api.ok('absences.create', { resourceId: k1.id, from: '2026-12-15', to: '2026-12-15' });
    const course = await api.ok('absences.create', {
      resourceId: k1.id,
      from: '2026-12-15',
      fromTime: '09:00',
      to: '2026-12-15',
      toTime: '12:00',
      reason: 'Kurs',
    });
    const { template } = await api.ok('templates.create', {
      template: {
        resourceId: k1.id,
        name: 'Tisdagar',
        weekdays: [2],
        validFrom: '2026-12-15',
        validTo: '2026-12-15',
        startTime: '08:00',
        endTime: '10:00',
        slotMin: 30,
        appointmentTypeIds: [type.id],
      },
    });
    const laid = api.ctx.db
      .prepare(`SELECT id, state, block_reason AS reason FROM slots WHERE template_id = ? ORDER BY start_at`)
      .all(template.id) as { id: string; state: string; reason: string }[];
    expect(laid.map((x) => `${x.state}:${x.reason}`)).toEqual([
      'blocked:Frånvaro',
      'blocked:Frånvaro',
      expect.stringMatching(/^blocked:(Frånvaro|Kurs)$/),
      expect.stringMatching(/^blocked:(Frånvaro|Kurs)$/),
    ]);
    // Renaming nothing: the whole-day absence edited to itself writes no slot.
    expect(await api.ok('absences.update', { id: noReason.absence.id, from: '2026-12-15', to: '2026-12-15' })).toMatchObject({
      unchanged: true,
      slotsChanged: 0,
    });
    await api.ok('absences.withdraw', { id: noReason.absence.id });
    const after = (id: string) =>
      api.ctx.db.prepare(`SELECT state, block_reason AS r FROM slots WHERE id = ?`).get(id) as {
        state: string;
        r: string | null;
      };
    expect(laid.map((x) => after(x.id))).toEqual([
      { state: 'open', r: null },
      { state: 'open', r: null },
      { state: 'blocked', r: 'Kurs' },
      { state: 'blocked', r: 'Kurs' },
    ]);
    await api.ok('absences.withdraw', { id: course.absence.id });
    expect(laid.map((x) => after(x.id).state)).toEqual(['open', 'open', 'open', 'open']);
  });
});

describe('tidbok absences (the command line)', () => {
  it('adds sick leave over the course, names the course, says so when run again, and shortens it with change', async () => {
    const w = await week();
    const cli = (...args: string[]) => runTidbok([...args, '--db', api.path], '2026-11-23T09:10:00+01:00');
    const add = ['absences', 'add', '--resource', 'Klara Ett', '--from', '2026-12-07', '--to', '2026-12-11', '--reason', 'Sjuk'];
    const first = await cli(...add);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Frånvaro \S+: Klara Ett 2026-12-07 – 2026-12-11\n/);
    expect(first.out).toContain(`Överlappar även: 2026-12-09 08:00 – 2026-12-09 12:00 Kurs (${w.course.absence.id})\n`);
    expect(first.out).toContain('3 tider spärrade, 2 bokningar behöver bokas om.\n');
    const again = await cli(...add);
    expect(again.out).toMatch(/^Frånvaron fanns redan \(samma period och orsak\): inget ändrades\.\n/);
    const id = /^Frånvaro (\S+):/.exec(first.out)![1]!;
    const changed = await cli('absences', 'change', id, '--from', '2026-12-07', '--to', '2026-12-08');
    expect(changed).toMatchObject({
      code: 0,
      out: expect.stringContaining('2 tider öppnade igen, 0 tider spärrade, 0 bokningar behöver bokas om.\n'),
    });
    expect(await states(w.wedAfternoon, w.fri, w.wedCourse)).toEqual(['open', 'open', 'blocked:Kurs']);
    await cli('absences', 'withdraw', id);
    const refused = await cli('absences', 'change', id, '--from', '2026-12-07');
    expect(refused).toMatchObject({
      code: 2,
      err: 'tidbok: Frånvaron är återkallad och kan inte ändras. Lägg in en ny frånvaro i stället.\n',
    });
  });
});

describe('any sequence of absences, edits, withdrawals and hand blocks', () => {
  it('leaves each slot blocked by hand, else blocked by an active absence covering it, else open', async () => {
    const hours = [8, 9, 10, 11, 12, 13, 14, 15];
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const period = fc
      .tuple(fc.integer({ min: 7, max: 16 }), fc.integer({ min: 1, max: 4 }))
      .map(([from, len]) => ({ from, to: Math.min(from + len, 17) }));
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), p: period, reason: fc.constantFrom('Kurs', 'Sjuk', 'VAB') }),
      fc.record({ kind: fc.constant('update' as const), i: fc.nat(5), p: period }),
      fc.record({ kind: fc.constant('withdraw' as const), i: fc.nat(5) }),
      fc.record({ kind: fc.constant('block' as const), h: fc.constantFrom(...hours) }),
      fc.record({ kind: fc.constant('unblock' as const), h: fc.constantFrom(...hours) }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        run += 1;
        const r = await counsellor(`Prop ${run}`);
        const slots = new Map<number, Slot>();
        for (const h of hours) slots.set(h, await slot(r, '2026-12-03', hh(h), `${String(h).padStart(2, '0')}:45`));
        const absences: { id: string; from: number; to: number; active: boolean }[] = [];
        const byHand = new Set<number>();
        for (const o of ops) {
          if (o.kind === 'create') {
            const a = await api.ok('absences.create', {
              resourceId: r.id,
              from: '2026-12-03',
              fromTime: hh(o.p.from),
              to: '2026-12-03',
              toTime: hh(o.p.to),
              reason: o.reason,
            });
            if (!a.unchanged) absences.push({ id: a.absence.id, from: o.p.from, to: o.p.to, active: true });
          } else if (o.kind === 'update' || o.kind === 'withdraw') {
            const a = absences[o.i % Math.max(absences.length, 1)];
            if (!a?.active) continue;
            if (o.kind === 'withdraw') {
              await api.ok('absences.withdraw', { id: a.id });
              a.active = false;
            } else {
              const period = { from: '2026-12-03', fromTime: hh(o.p.from), to: '2026-12-03', toTime: hh(o.p.to) };
              await api.ok('absences.update', { id: a.id, ...period, reason: 'Ändrad' });
              Object.assign(a, { from: o.p.from, to: o.p.to });
            }
          } else if (o.kind === 'block') {
            await api.ok('slots.block', { id: slots.get(o.h)!.id, reason: 'Möte' });
            byHand.add(o.h);
          } else if (byHand.has(o.h)) {
            await api.ok('slots.unblock', { id: slots.get(o.h)!.id });
            byHand.delete(o.h);
          }
        }
        for (const h of hours) {
          const covering = absences.filter((a) => a.active && a.from < h + 0.75 && a.to > h).map((a) => a.id);
          const row = api.ctx.db.prepare(`SELECT state, absence_id FROM slots WHERE id = ?`).get(slots.get(h)!.id) as {
            state: string;
            absence_id: string | null;
          };
          if (byHand.has(h)) expect(row, `${h}:00 blocked by hand`).toEqual({ state: 'blocked', absence_id: null });
          else if (covering.length > 0) {
            expect(row.state, `${h}:00 covered`).toBe('blocked');
            expect(covering, `${h}:00 blocked by a covering absence`).toContain(row.absence_id);
          } else expect(row, `${h}:00 free`).toEqual({ state: 'open', absence_id: null });
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
