// Acceptance cases for the time edges the other suites leave out: the clock changes of 2027 and
// 2028 (2027-03-28, 2027-10-31, 2028-03-26, 2028-10-29), 2028's holiday weeks, every-N-weeks
// templates across ISO week 53 of 2026, and deadlines across a clock change, through the api
// (dispatch) on fresh units in real SQLite files and through the CLI. Expected answers are derived
// by hand from the Swedish calendar and Europe/Stockholm's rules (see the unit file of the same
// name), never from Tidbok's output. "12:00Z"-style comments give the instant in UTC.
import { describe, expect, it } from 'vitest';
import { clockUnit } from './helpers.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { openDatabase } from '../../../src-main/store/database.ts';
import { spawnTidbok } from '../../helpers/cli-process.ts';

const at = (iso: string) => Date.parse(iso);
const wall = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** A fresh unit with two physicians and one type (rules overridable), at a clock the test moves. */
async function freshUnit(nowIso: string, rules: Record<string, unknown> = {}) {
  const unit = await clockUnit(
    nowIso,
    { hsaId: 'SE2321000016-T1ME', name: 'Vårdcentralen Klockan' },
    { code: 'BES15', nameSv: 'Kort läkarbesök', nameEn: 'Short doctor visit', durationMin: 15 },
    rules,
  );
  const { api, web, dag, type, patient } = unit;
  const book = (slotId: string, channel: 'desk' | 'web' = 'desk') =>
    channel === 'web'
      ? web.ok('book', { slotId, patientId: patient.id, appointmentTypeId: type.id })
      : api.ok('bookings.book', { slotId, patientId: patient.id, appointmentTypeId: type.id, channel });
  /** "HH:mm-HH:mm" of the live slots of Dr Dag on one local date, in time order. */
  const day = async (date: string) =>
    (await api.ok('calendar.range', { from: date, to: nextDay(date), resourceIds: [dag.id] })).slots.map(
      (s) => `${localTime(s.startAt)}-${localTime(s.endAt)}`,
    );
  return { ...unit, book, day };
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('night templates over the clock changes of 2027 and 2028', () => {
  it.each([
    // [now, the DST Sunday two weeks later, its slots in order]
    // Spring: 01:30 CET lasts its 30 minutes, to 03:00 CEST; 02:00 and 02:30 do not exist.
    ['2027-03-15T09:00:00+01:00', '2027-03-28', ['00:30-01:00', '01:00-01:30', '01:30-03:00', '03:00-03:30']],
    ['2028-03-13T09:00:00+01:00', '2028-03-26', ['00:30-01:00', '01:00-01:30', '01:30-03:00', '03:00-03:30']],
    // Autumn: each wall-clock start once, 02:00 and 02:30 on the second (CET) pass.
    [
      '2027-10-18T09:00:00+02:00',
      '2027-10-31',
      ['00:30-01:00', '01:00-01:30', '01:30-02:00', '02:00-02:30', '02:30-03:00', '03:00-03:30'],
    ],
    [
      '2028-10-16T09:00:00+02:00',
      '2028-10-29',
      ['00:30-01:00', '01:00-01:30', '01:30-02:00', '02:00-02:30', '02:30-03:00', '03:00-03:30'],
    ],
  ])('now %s: 00:30–03:30 daily, %s', async (now, sunday, expected) => {
    const { api, template, day, type } = await freshUnit(now);
    // 2027-03-28 is påskdagen: this night template opens on holidays on purpose.
    const made = await template({ startTime: '00:30', endTime: '03:30', skipHolidays: false });
    expect(await day(sunday)).toEqual(expected);
    expect(await day(nextDay(sunday))).toHaveLength(6);
    // Twelve weeks of six a night from today (whose night is past at 09:00), less the two starts
    // the spring night does not have.
    expect(made.expansion.created).toBe((12 * 7 - 1) * 6 - (sunday.includes('-03-') ? 2 : 0));
    // The week view of the DST week: 6 × 6 + the Sunday; first free times that Sunday in order.
    const monday = new Date(at(`${sunday}T12:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const week = await api.ok('calendar.range', { from: monday, to: nextDay(sunday) });
    expect(week.slots).toHaveLength(36 + expected.length);
    expect(week.closedDates).toEqual([]);
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: sunday, to: sunday, limit: 10 });
    expect(free.map((s) => `${localTime(s.startAt)}-${localTime(s.endAt)}`)).toEqual(expected);
    // Every slot lasts 30 real minutes.
    expect(new Set(free.map((s) => s.endAt - s.startAt))).toEqual(new Set([30 * 60_000]));
  });

  it('tells the scheduler every start the spring night leaves out, also one the slot before runs into', async () => {
    const { api, dag, type } = await freshUnit('2028-03-01T09:00:00+01:00');
    const night = {
      resourceId: dag.id,
      weekdays: [7],
      validFrom: '2028-03-19',
      startTime: '01:00',
      endTime: '04:00',
      slotMin: 45,
      appointmentTypeIds: [type.id],
    };
    const preview = await api.ok('templates.preview', { template: night, from: '2028-03-19', to: '2028-04-02' });
    // Usual Sunday: 01:00 01:45 02:30 03:15; spring Sunday: 01:45 CET lasts to 03:30 CEST.
    expect(preview.slots.map((s) => `${s.date} ${s.startTime}-${s.endTime}`)).toEqual([
      '2028-03-19 01:00-01:45',
      '2028-03-19 01:45-02:30',
      '2028-03-19 02:30-03:15',
      '2028-03-19 03:15-04:00',
      '2028-03-26 01:00-01:45',
      '2028-03-26 01:45-03:30',
    ]);
    expect(preview.clockChanges).toEqual([{ date: '2028-03-26', change: 'forward', times: ['02:30'], displaced: ['03:15'] }]);
    const autumn = await api.ok('templates.preview', {
      template: { ...night, validFrom: '2028-10-29' },
      from: '2028-10-29',
      to: '2028-10-30',
    });
    expect(autumn.slots.map((s) => `${s.startTime}-${s.endTime}/${(s.endAt - s.startAt) / 60_000}`)).toEqual([
      '01:00-01:45/45',
      '01:45-02:30/45',
      '02:30-03:15/45',
      '03:15-04:00/45',
    ]);
    expect(autumn.clockChanges).toEqual([{ date: '2028-10-29', change: 'back', times: ['02:30'] }]);
  });
});

describe('single slots and absences on the DST nights', () => {
  it('refuses 02:30 on a spring Sunday, lays 02:30 on the second pass in autumn, and says so in slot lengths', async () => {
    const { api, slot, dag, type } = await freshUnit('2027-03-01T09:00:00+01:00');
    const add = (date: string, startTime: string, endTime: string) =>
      api.err('slots.create', { resourceId: dag.id, date, startTime, endTime, appointmentTypeIds: [type.id] });
    for (const [date, start, end, time] of [
      ['2027-03-28', '02:30', '03:00', '02:30'],
      ['2028-03-26', '01:30', '02:15', '02:15'],
      ['2028-03-26', '02:00', '03:30', '02:00'],
    ] as const) {
      expect(await add(date, start, end)).toMatchObject({
        code: 'validation',
        message: `Klockan ${time} finns inte ${date}: klockan ställs fram en timme när sommartiden börjar. Välj en annan tid.`,
      });
    }
    // Around the skipped hour: 01:30–03:30 on the wall is one real hour.
    const spring = await slot('2027-03-28', '01:30', '03:30');
    expect([utc(spring.startAt), utc(spring.endAt)]).toEqual(['2027-03-28T00:30', '2027-03-28T01:30']);
    // Autumn 02:30–03:00 is the second 02:30 (CET, 01:30Z), like the templates' doubled hour.
    const second = await slot('2027-10-31', '02:30', '03:00');
    expect([utc(second.startAt), (second.endAt - second.startAt) / 60_000]).toEqual(['2027-10-31T01:30', 30]);
    // 01:30–02:30 ends at the first 02:30 (CEST) after its start: one hour, no overlap with it.
    const first = await slot('2027-10-31', '01:30', '02:30');
    expect([utc(first.startAt), utc(first.endAt)]).toEqual(['2027-10-30T23:30', '2027-10-31T00:30']);
    // 02:00–03:00 on the second pass would overlap the second 02:30: refused as a conflict.
    expect(await add('2027-10-31', '02:00', '03:00')).toMatchObject({
      code: 'conflict',
      message: 'Resursen har redan en tid som överlappar den nya.',
    });
    // A 15-minute type cannot go in a two-minute slot: 01:59–02:01 on the autumn night is 2 min.
    expect(await add('2028-10-29', '01:59', '02:01')).toMatchObject({
      code: 'validation',
      message: 'Kort läkarbesök tar 15 minuter men tiden är 2 minuter.',
    });
  });

  it('counts the 8-hour limit of a slot in real hours, and says why when the clock shows fewer', async () => {
    const { api, slot, dag, type } = await freshUnit('2028-10-01T09:00:00+02:00');
    // 00:00–08:00 is 8 hours on an ordinary night, 9 on the autumn night; 00:00–09:00 on the
    // spring night is 8 real hours.
    expect((await slot('2028-10-28', '00:00', '08:00')).endAt - at('2028-10-28T00:00:00+02:00')).toBe(8 * 3_600_000);
    expect(
      await api.err('slots.create', {
        resourceId: dag.id,
        date: '2028-10-29',
        startTime: '00:00',
        endTime: '08:00',
        appointmentTypeIds: [type.id],
      }),
    ).toMatchObject({
      code: 'validation',
      message: 'En tid får vara högst 8 timmar. 00:00–08:00 2028-10-29 är 9 timmar: klockan ställs tillbaka en timme den natten.',
    });
    const spring = await slot('2029-03-25', '00:00', '09:00');
    expect([utc(spring.startAt), utc(spring.endAt)]).toEqual(['2029-03-24T23:00', '2029-03-25T07:00']);
    expect(
      await api.err('slots.create', {
        resourceId: dag.id,
        date: '2029-03-26',
        startTime: '00:00',
        endTime: '09:00',
        appointmentTypeIds: [type.id],
      }),
    ).toMatchObject({ code: 'validation', message: 'En tid får vara högst 8 timmar.' });
  });

  it('blocks the night slots an absence spans across the change night, lists the booking, and withdraws cleanly', async () => {
    const { api, template, day, book, dag } = await freshUnit('2028-03-13T09:00:00+01:00');
    await template({ startTime: '00:30', endTime: '03:30' });
    // Saturday 23:00 CET to Sunday 03:15 CEST: 3 h 15 min real; 00:30, 01:00, 01:30 (to 03:00,
    // booked) and 03:00–03:30 (overlapping until 03:15) are blocked.
    const springDay = await api.ok('calendar.range', { from: '2028-03-26', to: '2028-03-27', resourceIds: [dag.id] });
    const booked = await book(springDay.slots.find((s) => localTime(s.startAt) === '01:30')!.id);
    const spring = await api.ok('absences.create', {
      resourceId: dag.id,
      from: '2028-03-25',
      fromTime: '23:00',
      to: '2028-03-26',
      toTime: '03:15',
      reason: 'Sjuk',
    });
    expect([(spring.absence.endAt - spring.absence.startAt) / 60_000, spring.slotsChanged]).toEqual([195, 4]);
    expect(spring.affectedBookings.map((b) => b.id)).toEqual([booked.id]);
    expect(await day('2028-03-26')).toEqual(['00:30-01:00', '01:00-01:30', '01:30-03:00', '03:00-03:30']);
    const blocked = await api.ok('calendar.range', { from: '2028-03-26', to: '2028-03-27', resourceIds: [dag.id] });
    expect(blocked.slots.map((s) => s.state)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    expect((await api.ok('absences.withdraw', { id: spring.absence.id })).slotsChanged).toBe(4);

    // Autumn: Saturday 22:00 CEST to Sunday 02:15, which the book reads on the second pass (CET,
    // as its 02:00 slot): 5 h 15 min real; 00:30, 01:00, 01:30 and 02:00–02:30 are blocked.
    api.setNow('2028-10-16T09:00:00+02:00');
    await api.ok('templates.expand', { horizonWeeks: 3 });
    const autumn = await api.ok('absences.create', {
      resourceId: dag.id,
      from: '2028-10-28',
      fromTime: '22:00',
      to: '2028-10-29',
      toTime: '02:15',
      reason: 'Sjuk',
    });
    expect([(autumn.absence.endAt - autumn.absence.startAt) / 60_000, autumn.slotsChanged]).toEqual([315, 4]);
    const sunday = await api.ok('calendar.range', { from: '2028-10-29', to: '2028-10-30', resourceIds: [dag.id] });
    expect(sunday.slots.map((s) => `${localTime(s.startAt)} ${s.state}`)).toEqual([
      '00:30 blocked',
      '01:00 blocked',
      '01:30 blocked',
      '02:00 blocked',
      '02:30 open',
      '03:00 open',
    ]);
  });
});

describe('holiday weeks of 2028 and eves per unit', () => {
  it.each([
    // [now, from, to (inclusive), closed dates a Mon–Sun template leaves empty]
    ['2028-04-03T09:00:00+02:00', '2028-04-10', '2028-04-23', ['2028-04-14', '2028-04-16', '2028-04-17']],
    ['2028-05-15T09:00:00+02:00', '2028-05-22', '2028-05-28', ['2028-05-25']],
    ['2028-05-29T09:00:00+02:00', '2028-06-01', '2028-06-30', ['2028-06-04', '2028-06-06', '2028-06-23', '2028-06-24']],
    ['2028-10-30T09:00:00+01:00', '2028-10-30', '2028-11-12', ['2028-11-04']],
    [
      '2028-12-11T09:00:00+01:00',
      '2028-12-18',
      '2029-01-07',
      ['2028-12-24', '2028-12-25', '2028-12-26', '2028-12-31', '2029-01-01', '2029-01-06'],
    ],
  ])('now %s: %s – %s closed on %o', async (now, from, to, closed) => {
    const { api, template } = await freshUnit(now);
    await template({});
    const range = await api.ok('calendar.range', { from, to: nextDay(to) });
    expect(range.closedDates).toEqual(closed);
  });

  it('a template valid only in Easter week 2028 lays Mon–Thu and Tue after, and nothing on the holidays', async () => {
    const { api, template } = await freshUnit('2028-04-03T09:00:00+02:00');
    const made = await template({ weekdays: [1, 2, 3, 4, 5], validFrom: '2028-04-10', validTo: '2028-04-18' });
    expect(made.expansion.skippedHolidays).toEqual([
      { date: '2028-04-14', holiday: 'långfredagen' },
      { date: '2028-04-17', holiday: 'annandag påsk' },
    ]);
    const range = await api.ok('calendar.range', { from: '2028-04-01', to: '2028-05-01' });
    expect([...new Set(range.slots.map((s) => localDate(s.startAt)))]).toEqual([
      '2028-04-10',
      '2028-04-11',
      '2028-04-12',
      '2028-04-13',
      '2028-04-18',
    ]);
    expect(range.slots).toHaveLength(5 * 8);
    // Valid only långfredagen – annandag påsk: påskafton (Saturday) is the one open day.
    const easter = await template({ validFrom: '2028-04-14', validTo: '2028-04-17', startTime: '13:00', endTime: '14:00' });
    expect([easter.expansion.created, easter.expansion.skippedHolidays.map((h) => h.date)]).toEqual([
      1 * 2,
      ['2028-04-14', '2028-04-16', '2028-04-17'],
    ]);
  });

  it('opens and closes julafton and nyårsafton 2028 (both Sundays) for a Sunday template, keeping what is booked', async () => {
    const { api, template, day, book } = await freshUnit('2028-12-01T09:00:00+01:00');
    const made = await template({ weekdays: [7], startTime: '09:00', endTime: '10:00' });
    expect(made.expansion.skippedHolidays.map((h) => h.date)).toEqual(['2028-12-24', '2028-12-31']);
    const opened = await api.ok('holidays.setRules', { julafton: false, nyarsafton: false });
    expect([opened.slotsCreated, opened.slotsRemoved]).toEqual([4, 0]);
    const eve = await api.ok('calendar.range', { from: '2028-12-24', to: '2028-12-25' });
    await book(eve.slots[0]!.id);
    const closed = await api.ok('holidays.setRules', { julafton: true, nyarsafton: true });
    expect([closed.slotsCreated, closed.slotsRemoved, closed.bookedKept.map((b) => wall(b.startAt))]).toEqual([
      0,
      3,
      ['2028-12-24 09:00'],
    ]);
    expect([await day('2028-12-24'), await day('2028-12-31')]).toEqual([['09:00-09:30'], []]);
    expect((await api.ok('holidays.list', { year: 2028 })).filter((h) => h.eve).map((h) => `${h.date} ${h.closed}`)).toEqual([
      '2028-06-23 true',
      '2028-12-24 true',
      '2028-12-31 true',
    ]);
  });
});

describe('every 2 and 3 weeks across ISO week 53 of 2026 and the year boundary', () => {
  it.each([
    // Counted from the week of valid_from. Week 53 of 2026 is 28 Dec – 3 Jan; 1 and 6 January closed.
    [{ weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-28' }, ['2026-12-28', '2027-01-11', '2027-01-25']],
    [{ weekdays: [3], everyNWeeks: 3, validFrom: '2026-12-09' }, ['2026-12-09', '2026-12-30', '2027-01-20']],
    // From Friday 1 January (nyårsdagen, week 53): Fridays 1/1 (closed), 15/1 and 29/1.
    [{ weekdays: [5], everyNWeeks: 2, validFrom: '2027-01-01' }, ['2027-01-15', '2027-01-29']],
    // Every 2nd Wednesday, valid to 13 January inclusive: that day is the last.
    [
      { weekdays: [3], everyNWeeks: 2, validFrom: '2026-12-16', validTo: '2027-01-13' },
      ['2026-12-16', '2026-12-30', '2027-01-13'],
    ],
  ])('%o', async (over, expected) => {
    const { api, template } = await freshUnit('2026-12-07T07:00:00+01:00');
    await template({ ...over, startTime: '08:00', endTime: '08:30' });
    const range = await api.ok('calendar.range', { from: '2026-12-07', to: '2027-02-01' });
    expect(range.slots.map((s) => localDate(s.startAt))).toEqual(expected);
  });
});

describe('booking window and cut-offs across the clock changes of 2027 and 2028', () => {
  it('counts cut-offs in real hours before Mondays after spring-forward and fall-back', async () => {
    const { api, web, slot, book } = await freshUnit('2028-03-20T09:00:00+01:00', { cancelCutoffH: 24, rebookCutoffH: 48 });
    const monday = await slot('2028-03-27', '08:00', '08:30');
    const later = await slot('2028-03-28', '08:00', '08:30');
    const b = await book(monday.id, 'web');
    // 24 h before Monday 08:00 CEST is Sunday 08:00 CEST; 48 h is Saturday 07:00 CET.
    const perms = await api.ok('bookings.onlinePermissions', { id: b.id });
    expect([wall(perms.cancel.deadline!), wall(perms.rebook.deadline!)]).toEqual(['2028-03-26 08:00', '2028-03-25 07:00']);
    api.setNow('2028-03-25T07:00:01+01:00');
    expect(await web.err('rebook', { id: b.id, slotId: later.id })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Ombokning måste göras senast 48 timmar före besöket/),
    });
    api.setNow('2028-03-26T08:00:00+02:00');
    expect((await web.ok('cancel', { id: b.id })).status).toBe('cancelled');

    // Autumn 2027: Monday 1 November 08:00 CET; 24 h = Sunday 08:00 CET, 48 h = Saturday 09:00 CEST.
    api.setNow('2027-10-25T09:00:00+01:00');
    const nov1 = await slot('2027-11-01', '08:00', '08:30');
    const nov2 = await slot('2027-11-02', '08:00', '08:30');
    const c = await book(nov1.id, 'web');
    const p = await api.ok('bookings.onlinePermissions', { id: c.id });
    expect([wall(p.cancel.deadline!), wall(p.rebook.deadline!)]).toEqual(['2027-10-31 08:00', '2027-10-30 09:00']);
    api.setNow('2027-10-30T08:59:00+02:00');
    const moved = await web.ok('rebook', { id: c.id, slotId: nov2.id });
    expect([moved.old.status, moved.old.rebookedTo, wall(moved.new.startAt)]).toEqual([
      'rebooked',
      moved.new.id,
      '2027-11-02 08:00',
    ]);
    api.setNow('2027-11-01T08:00:01+01:00');
    expect(await api.err('bookings.cancel', { id: moved.new.id, channel: 'desk' })).toMatchObject({ code: 'conflict' });
  });

  it('needs the lead in real hours and counts the maximum in calendar days over the change', async () => {
    const { api, slot, patient, type } = await freshUnit('2028-03-25T12:00:00+01:00', { bookMinLeadH: 24, bookMaxDays: 30 });
    // Saturday 12:00 CET + 24 h = Sunday 13:00 CEST.
    const early = await slot('2028-03-26', '12:30', '13:00');
    const onTime = await slot('2028-03-26', '13:00', '13:30');
    expect(
      (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-03-26', to: '2028-03-26' })).map((s) => s.slotId),
    ).toEqual([onTime.id]);
    expect(await api.err('bookings.book', { slotId: early.id, patientId: patient.id, appointmentTypeId: type.id })).toMatchObject(
      {
        code: 'conflict',
        message: expect.stringMatching(/måste bokas minst 24 timmar i förväg/),
      },
    );
    // Friday 29 September 2028, 23:30 CEST: the 30th day is the autumn Sunday, all of it.
    api.setNow('2028-09-29T23:30:00+02:00');
    const lastLate = await slot('2028-10-29', '23:30', '23:45');
    const dayAfter = await slot('2028-10-30', '00:00', '00:15');
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-10-29', to: '2028-10-30' });
    expect(free.map((s) => s.slotId)).toEqual([lastLate.id]);
    expect(
      await api.err('bookings.book', { slotId: dayAfter.id, patientId: patient.id, appointmentTypeId: type.id }),
    ).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/kan bokas högst 30 dagar framåt/),
    });
    // Half an hour later it is Saturday 30 September: 30 October is now the last day.
    api.setNow('2028-09-30T00:00:00+02:00');
    expect(
      (await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-10-29', to: '2028-10-30' })).map((s) => s.slotId),
    ).toEqual([lastLate.id, dayAfter.id]);
  });
});

describe('the schedule horizon against the booking window, in calendar days', () => {
  it('names a type bookable 84 days ahead when 12 weeks reach 83 days ahead, and not at 83', async () => {
    // Today Monday 2028-03-20: 12 weeks lay out to Sunday 2028-06-11 (today + 83); 84 days
    // ahead is Monday 2028-06-12, which the book does not reach: nothing can be booked there.
    const { api, template, type, patient } = await freshUnit('2028-03-20T09:00:00+01:00', { bookMaxDays: 83 });
    await template({ weekdays: [1, 2, 3, 4, 5], startTime: '08:00', endTime: '08:30' });
    expect(await api.ok('templates.getHorizon', {})).toMatchObject({ weeks: 12, until: '2028-06-11', typesBeyond: [] });
    await api.ok('appointmentTypes.update', { id: type.id, bookMaxDays: 84 });
    const h = await api.ok('templates.getHorizon', {});
    expect(h.typesBeyond.map((x) => [x.code, x.bookMaxDays])).toEqual([['BES15', 84]]);
    // And indeed: the window allows 12 June, the book has no slot there until the horizon grows.
    const free = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-06-09', to: '2028-06-12' });
    expect(free.map((s) => localDate(s.startAt))).toEqual(['2028-06-09']);
    await api.ok('templates.setHorizon', { weeks: 13 });
    const more = await api.ok('slots.findFree', { appointmentTypeId: type.id, from: '2028-06-09', to: '2028-06-12' });
    expect(more.map((s) => localDate(s.startAt))).toEqual(['2028-06-09', '2028-06-12']);
    await api.ok('bookings.book', { slotId: more[1]!.slotId, patientId: patient.id, appointmentTypeId: type.id });
    expect((await api.ok('templates.getHorizon', {})).typesBeyond).toEqual([]);
  });
});

describe('absence rebooking keeps the clinician for a time a week later on the wall clock', () => {
  it.each([
    // [now, absent day, booked time, other physician's time, Dr Dag's next time, proposed]
    // Fall-back in between: a week later at the same wall time is 7 × 24 h + 1 h: still Dr Dag.
    ['2028-10-20T09:00:00+02:00', '2028-10-24', '09:00', '2028-10-24T10:00:00+02:00', ['2028-10-31', '10:00'], 'Dr Dag'],
    // Spring-forward in between: 30 minutes past a week on the wall (6 d 23 h 30 min real): Dr Natt.
    ['2028-03-17T09:00:00+01:00', '2028-03-21', '09:00', '2028-03-21T10:00:00+01:00', ['2028-03-28', '10:30'], 'Dr Natt'],
    // And exactly a week on the wall across spring-forward (6 d 23 h): Dr Dag.
    ['2028-03-17T09:00:00+01:00', '2028-03-21', '09:00', '2028-03-21T10:00:00+01:00', ['2028-03-28', '10:00'], 'Dr Dag'],
  ] as const)('now %s, absent %s', async (now, absentDay, bookedAt, otherAt, [dagDate, dagAt], proposed) => {
    const { api, slot, book, dag, natt } = await freshUnit(now);
    const plus15 = (t: string) => `${t.slice(0, 3)}${Number(t.slice(3)) + 15}`;
    const booked = await book((await slot(absentDay, bookedAt, plus15(bookedAt))).id);
    await slot(localDate(at(otherAt)), localTime(at(otherAt)), plus15(localTime(at(otherAt))), natt.id);
    await slot(dagDate, dagAt, plus15(dagAt));
    const absence = await api.ok('absences.create', { resourceId: dag.id, from: absentDay, to: absentDay, reason: 'Kurs' });
    expect(absence.affectedBookings.map((b) => b.id)).toEqual([booked.id]);
    const [p] = await api.ok('absences.proposeRebooking', { id: absence.absence.id });
    expect([p!.proposal?.resourceName, p!.sameResource]).toEqual([proposed, proposed === 'Dr Dag']);
    expect(wall(p!.proposal!.startAt)).toBe(proposed === 'Dr Dag' ? `${dagDate} ${dagAt}` : wall(at(otherAt)));
  });
});

describe('tidbok templates preview over the spring night of 2028', () => {
  it('names the start that does not exist and the one the slot before runs into', async () => {
    const { api } = await freshUnit('2028-03-01T09:00:00+01:00');
    const db = api.path;
    api.ctx.db.close();
    const r = await spawnTidbok(
      [
        'templates',
        'preview',
        '--resource',
        'Dr Dag',
        '--weekdays',
        '7',
        '--start',
        '01:00',
        '--end',
        '04:00',
        '--slot',
        '45',
        '--types',
        'BES15',
        '--from',
        '2028-03-19',
        '--weeks',
        '2',
        '--db',
        db,
      ],
      { now: '2028-03-01T09:00:00+01:00' },
    );
    expect(r.err).toBe('');
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      '2028-03-19 sön  01:00 01:45 02:30 03:15  (4 × 45 min)',
      '2028-03-26 sön  01:00 01:45  (2 × 45 min)',
      '2028-03-26 sön  sommartid: klockan ställs fram 02:00 → 03:00, 02:30 finns inte och läggs inte ut; 03:15 läggs inte ut (får inte plats när klockan ställs fram)',
      '6 tider på 2 dagar 2028-03-19 – 2028-04-01.',
    ]);
    expect(r.code).toBe(0);
  });

  it('lays the autumn night on the same instants on a desk whose own time zone is Stockholm', async () => {
    const { api } = await freshUnit('2028-10-01T09:00:00+02:00');
    const db = api.path;
    api.ctx.db.close();
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Stockholm'; // the child inherits it, as on a Swedish desk
    const r = await spawnTidbok(
      [
        'templates',
        'add',
        '--resource',
        'Dr Dag',
        '--weekdays',
        '7',
        '--start',
        '01:00',
        '--end',
        '04:00',
        '--slot',
        '30',
      ].concat(['--types', 'BES15', '--from', '2028-10-29', '--to', '2028-10-29', '--weeks', '5', '--json', '--db', db]),
      { now: '2028-10-01T09:00:00+02:00' },
    ).finally(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });
    expect([r.code, r.err]).toEqual([0, '']);
    // 01:00 and 01:30 CEST, then 02:00 … 03:30 CET: six starts, 30 real minutes each.
    const reopened = openDatabase(db);
    const starts = reopened.prepare(`SELECT start_at FROM slots ORDER BY start_at`).pluck().all() as number[];
    reopened.close();
    expect(starts.map(utc)).toEqual([
      '2028-10-28T23:00',
      '2028-10-28T23:30',
      '2028-10-29T01:00',
      '2028-10-29T01:30',
      '2028-10-29T02:00',
      '2028-10-29T02:30',
    ]);
  });
});
