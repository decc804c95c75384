// Time edge cases of the scheduling core in the pure domain, for the clock changes of 2027 and
// 2028 and the holidays of 2028. Every expected answer is derived by hand: Europe/Stockholm moves
// from 02:00 CET to 03:00 CEST on the last Sunday of March (2027-03-28, 2028-03-26) and from
// 03:00 CEST back to 02:00 CET on the last Sunday of October (2027-10-31, 2028-10-29); 2028's
// Easter Sunday is 16 April (Gauss), so långfredagen 14/4, annandag påsk 17/4, Kristi
// himmelsfärdsdag (+39) 25/5, pingstdagen (+49) 4/6; midsommardagen is the Saturday 20–26 June,
// alla helgons dag the Saturday 31 Oct–6 Nov. Cut-offs and the minimum lead are real hours, the
// maximum days ahead calendar days (the rules).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseProposal } from '../../../src-main/domain/availability.ts';
import {
  bookingWindow,
  checkBookingWindow,
  checkCutoff,
  mayPatientCancelOnline,
  mayPatientRebookOnline,
} from '../../../src-main/domain/booking-rules.ts';
import { closedDayName, holidaysOfYear } from '../../../src-main/domain/holidays.ts';
import { clockChangeDays, expandTemplate, templateRunsOn, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import {
  addDays,
  localDate,
  localTime,
  minutesToWallTime,
  missingWallTimeProblem,
  sameWallClockDaysLater,
  STOCKHOLM,
  wallClockToInstant,
  wallTimeExists,
  wallTimeToMinutes,
} from '../../../src-main/domain/time.ts';
import { slotsOn, specFrom } from '../../helpers/template-spec.ts';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;
const spec = specFrom('2027-01-01');

const SPRING = ['2027-03-28', '2028-03-26'];
const AUTUMN = ['2027-10-31', '2028-10-29'];

describe('the clock changes of 2027 and 2028', () => {
  it.each([...SPRING, ...AUTUMN])('%s is the night the clock moves, and the only one that week', (date) => {
    for (let i = -3; i <= 3; i++) {
      const d = addDays(date, i);
      const hours = (wallMidnight(addDays(d, 1)) - wallMidnight(d)) / H;
      expect(hours).toBe(i !== 0 ? 24 : SPRING.includes(date) ? 23 : 25);
    }
  });

  it.each([
    // [date, time, exists]: the skipped spring hour is 02:00–02:59; in autumn every time exists.
    ['2027-03-28', '01:59', true],
    ['2027-03-28', '02:00', false],
    ['2027-03-28', '02:59', false],
    ['2027-03-28', '03:00', true],
    ['2028-03-26', '02:30', false],
    ['2028-03-25', '02:30', true],
    ['2028-03-27', '02:30', true],
    ['2027-10-31', '02:30', true],
    ['2028-10-29', '02:00', true],
  ] as const)('%s %s exists: %s', (date, time, exists) => {
    expect(wallTimeExists(date, wallTimeToMinutes(time))).toBe(exists);
    expect(missingWallTimeProblem(date, time)).toBe(
      exists
        ? null
        : `Klockan ${time} finns inte ${date}: klockan ställs fram en timme när sommartiden börjar. Välj en annan tid.`,
    );
  });
});

function wallMidnight(date: string): number {
  // Midnight in Stockholm, from the offsets Sweden uses: +01:00 in winter, +02:00 in summer.
  const summer = at(`${date}T00:00:00+02:00`);
  return localTime(summer) === '00:00' && localDate(summer) === date ? summer : at(`${date}T00:00:00+01:00`);
}

describe('templates on the DST Sundays of 2027 and 2028', () => {
  it.each([
    // A day-time template is as on any day; 25 minutes do not divide 08:00–12:00 (9 slots, to 11:45).
    ['2028-03-26', '08:00', '12:00', 25, 9, '08:00-08:25/25', '11:20-11:45/25'],
    ['2028-10-29', '08:00', '12:00', 25, 9, '08:00-08:25/25', '11:20-11:45/25'],
    // An evening template ending 23:59: 22:00, 22:30, 23:00 (23:30 would run to 24:00).
    ['2027-03-28', '22:00', '23:59', 30, 3, '22:00-22:30/30', '23:00-23:30/30'],
    ['2027-10-31', '22:00', '23:59', 30, 3, '22:00-22:30/30', '23:00-23:30/30'],
  ] as const)('%s %s–%s by %i: %i slots', (date, start, end, slotMin, count, first, last) => {
    const slots = slotsOn(spec({ startTime: start, endTime: end, slotMin }), date);
    expect(slots).toHaveLength(count);
    expect([slots[0], slots.at(-1)]).toEqual([first, last]);
  });

  it.each([
    // Spring: 01:30 CET lasts its 30 minutes, to 03:00 CEST; 02:00 and 02:30 do not exist.
    ['2027-03-28', '00:30', '03:30', 30, ['00:30-01:00/30', '01:00-01:30/30', '01:30-03:00/30', '03:00-03:30/30']],
    ['2028-03-26', '01:00', '04:00', 60, ['01:00-03:00/60', '03:00-04:00/60']],
    // Autumn: each wall-clock start once (the doubled hour's on its second, CET, pass).
    [
      '2027-10-31',
      '00:30',
      '03:30',
      30,
      ['00:30-01:00/30', '01:00-01:30/30', '01:30-02:00/30', '02:00-02:30/30', '02:30-03:00/30', '03:00-03:30/30'],
    ],
    // 45 minutes: 01:45 CEST ends 02:30 CEST (first pass), 02:30 starts on the second pass.
    ['2028-10-29', '01:00', '04:00', 45, ['01:00-01:45/45', '01:45-02:30/45', '02:30-03:15/45', '03:15-04:00/45']],
    ['2028-10-29', '02:15', '02:45', 15, ['02:15-02:30/15', '02:30-02:45/15']],
  ] as const)('%s night %s–%s by %i', (date, start, end, slotMin, expected) => {
    expect(slotsOn(spec({ startTime: start, endTime: end, slotMin }), date)).toEqual(expected);
  });

  it('names every start the spring change leaves out, also one the slot before it runs into', () => {
    // 01:00–04:00 by 45 lays 01:00, 01:45, 02:30, 03:15 on a usual night. On 2028-03-26 the
    // 01:45 slot lasts 45 real minutes, to 03:30 CEST: 02:30 does not exist, and 03:15 would
    // overlap it. The scheduler is told both, not only the one that does not exist.
    const night = spec({ weekdays: [7], startTime: '01:00', endTime: '04:00', slotMin: 45 });
    expect(slotsOn(night, '2028-03-19')).toHaveLength(4);
    expect(slotsOn(night, '2028-03-26')).toEqual(['01:00-01:45/45', '01:45-03:30/45']);
    expect(clockChangeDays(night, '2028-03-20', '2028-04-03', STOCKHOLM)).toEqual([
      { date: '2028-03-26', change: 'forward', times: ['02:30'], displaced: ['03:15'] },
    ]);
    // 01:30–05:00 by 90: 01:30 CET runs to 04:00 CEST, so 03:00 exists but is not laid out.
    const long = spec({ weekdays: [7], startTime: '01:30', endTime: '05:00', slotMin: 90 });
    expect(slotsOn(long, '2027-03-28')).toEqual(['01:30-04:00/90']);
    expect(clockChangeDays(long, '2027-03-28', '2027-03-29', STOCKHOLM)).toEqual([
      { date: '2027-03-28', change: 'forward', times: [], displaced: ['03:00'] },
    ]);
    // A slot that would run past the end: 01:00 CET + 90 min is 03:30 CEST, after 03:00; an
    // 8-hour night slot from 00:00 CET would end 09:00 CEST, after 08:00.
    for (const [startTime, endTime, slotMin, start] of [
      ['01:00', '03:00', 90, '01:00'],
      ['00:00', '08:00', 480, '00:00'],
    ] as const) {
      const s = spec({ weekdays: [7], startTime, endTime, slotMin });
      expect(slotsOn(s, '2028-03-26')).toEqual([]);
      expect(clockChangeDays(s, '2028-03-26', '2028-03-27', STOCKHOLM)).toEqual([
        { date: '2028-03-26', change: 'forward', times: [], displaced: [start] },
      ]);
    }
    // Autumn: nothing is left out, so nothing is displaced (the field is absent).
    expect(clockChangeDays(night, '2028-10-29', '2028-10-30', STOCKHOLM)).toEqual([
      { date: '2028-10-29', change: 'back', times: ['02:30'] },
    ]);
  });

  it('accounts for every planned start on any DST Sunday: laid out, missing, or displaced (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPRING, ...AUTUMN),
        fc.integer({ min: 0, max: 5 * 60 }),
        fc.integer({ min: 5, max: 6 * 60 }),
        fc.integer({ min: 5, max: 180 }),
        (date, startMin, length, slotMin) => {
          const endMin = startMin + length;
          fc.pre(length >= slotMin);
          const s = spec({ startTime: minutesToWallTime(startMin), endTime: minutesToWallTime(endMin), slotMin });
          const planned: string[] = [];
          for (let m = startMin; m + slotMin <= endMin; m += slotMin) planned.push(minutesToWallTime(m));
          const laid = expandTemplate(s, date, addDays(date, 1), STOCKHOLM, {}).slots.map((x) => localTime(x.startAt));
          const day = clockChangeDays(s, date, addDays(date, 1), STOCKHOLM)[0];
          const missing = day?.change === 'forward' ? [...day.times, ...(day.displaced ?? [])] : [];
          expect([...laid, ...missing].sort()).toEqual(planned);
        },
      ),
      { numRuns: 250 },
    );
  });
});

describe('holidays of 2028 and the eves per unit', () => {
  const CLOSED_2028 = [
    '2028-01-01 nyårsdagen',
    '2028-01-06 trettondedag jul',
    '2028-04-14 långfredagen',
    '2028-04-16 påskdagen',
    '2028-04-17 annandag påsk',
    '2028-05-01 första maj',
    '2028-05-25 Kristi himmelsfärdsdag',
    '2028-06-04 pingstdagen',
    '2028-06-06 nationaldagen',
    '2028-06-23 midsommarafton',
    '2028-06-24 midsommardagen',
    '2028-11-04 alla helgons dag',
    '2028-12-24 julafton',
    '2028-12-25 juldagen',
    '2028-12-26 annandag jul',
    '2028-12-31 nyårsafton',
  ];

  it('closes exactly the Swedish public holidays and eves of 2028', () => {
    expect(holidaysOfYear(2028).map((h) => `${h.date} ${h.name}`)).toEqual(CLOSED_2028);
  });

  it.each([
    // Ordinary days around them stay open: skärtorsdagen, påskafton, the day after annandag påsk,
    // annandag pingst (no holiday since 2005) = the day before nationaldagen, the Friday after
    // Kristi himmelsfärd, a mellandag, the Friday before alla helgons dag, a leap day.
    '2028-04-13',
    '2028-04-15',
    '2028-04-18',
    '2028-06-05',
    '2028-05-26',
    '2028-12-27',
    '2028-11-03',
    '2028-02-29',
  ])('keeps %s open', (date) => {
    expect(closedDayName(date)).toBeNull();
  });

  it('opens only the eves the unit works on, never a public holiday', () => {
    const open = { julafton: false, nyarsafton: false, midsommarafton: false };
    expect(['2028-06-23', '2028-12-24', '2028-12-31'].map((d) => closedDayName(d, open))).toEqual([null, null, null]);
    expect(['2028-06-24', '2028-12-25', '2028-01-01'].map((d) => closedDayName(d, open))).toEqual([
      'midsommardagen',
      'juldagen',
      'nyårsdagen',
    ]);
    expect(closedDayName('2028-12-24', { nyarsafton: false })).toBe('julafton');
  });
});

describe('every N weeks, counted from the week of valid_from, across week 53 of 2026', () => {
  const runs = (s: TemplateSpec, from: string, to: string) => {
    const out: string[] = [];
    for (let d = from; d < to; d = addDays(d, 1)) if (templateRunsOn(s, d)) out.push(d);
    return out;
  };

  it.each([
    // From Monday of ISO week 53 (2026-12-28), every 2nd Monday: weeks 53, 2, 4.
    [{ weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-28' }, ['2026-12-28', '2027-01-11', '2027-01-25']],
    // From a Wednesday of week 50, every 3rd week on Mon and Wed: week 50 (Wed only), 53, 3.
    [
      { weekdays: [1, 3], everyNWeeks: 3, validFrom: '2026-12-09' },
      ['2026-12-09', '2026-12-28', '2026-12-30', '2027-01-18', '2027-01-20'],
    ],
    // From Friday 2027-01-01, which is in week 53 of 2026: that week is week 0, so Monday 4/1 is off.
    [
      { weekdays: [1, 5], everyNWeeks: 2, validFrom: '2027-01-01' },
      ['2027-01-01', '2027-01-11', '2027-01-15', '2027-01-25', '2027-01-29'],
    ],
    // valid_to is inclusive.
    [
      { weekdays: [4], everyNWeeks: 1, validFrom: '2026-12-01', validTo: '2026-12-31' },
      ['2026-12-03', '2026-12-10', '2026-12-17', '2026-12-24', '2026-12-31'],
    ],
  ] as const)('%o', (over, expected) => {
    expect(runs(spec({ ...over, weekdays: [...over.weekdays] }), '2026-12-01', '2027-02-01')).toEqual(expected);
  });

  it('ends on a leap day inclusively', () => {
    const s = spec({ weekdays: [2], validFrom: '2028-02-01', validTo: '2028-02-29' });
    expect(runs(s, '2028-01-25', '2028-03-15')).toEqual(['2028-02-01', '2028-02-08', '2028-02-15', '2028-02-22', '2028-02-29']);
  });
});

describe('deadlines and the booking window across the clock changes of 2027 and 2028', () => {
  const type = {
    active: true,
    webCancellable: true,
    webRebookable: true,
    cancelCutoffH: 24,
    rebookCutoffH: 48,
    bookMinLeadH: 24,
    bookMaxDays: 30,
  };
  const booked = (iso: string) => ({ status: 'booked' as const, startAt: at(iso) });

  it.each([
    // [visit, cancel deadline (24 h), rebook deadline (48 h)], all in real hours.
    // Monday 08:00 CEST after spring-forward: Sunday 08:00 CEST; Saturday 07:00 CET (wall: 49 h).
    ['2027-03-29T08:00:00+02:00', '2027-03-28T08:00:00+02:00', '2027-03-27T07:00:00+01:00'],
    ['2028-03-27T08:00:00+02:00', '2028-03-26T08:00:00+02:00', '2028-03-25T07:00:00+01:00'],
    // Monday 08:00 CET after fall-back: Sunday 08:00 CET; Saturday 09:00 CEST (wall: 47 h).
    ['2027-11-01T08:00:00+01:00', '2027-10-31T08:00:00+01:00', '2027-10-30T09:00:00+02:00'],
    ['2028-10-30T08:00:00+01:00', '2028-10-29T08:00:00+01:00', '2028-10-28T09:00:00+02:00'],
    // The spring Sunday itself, 10:00 CEST: 24 h before is Saturday 09:00 CET.
    ['2028-03-26T10:00:00+02:00', '2028-03-25T09:00:00+01:00', '2028-03-24T09:00:00+01:00'],
    // The autumn Sunday, 08:00 CET: 24 h before is Saturday 09:00 CEST.
    ['2027-10-31T08:00:00+01:00', '2027-10-30T09:00:00+02:00', '2027-10-29T09:00:00+02:00'],
  ])('visit %s: cancel until %s, rebook until %s (inclusive)', (visit, cancelBy, rebookBy) => {
    const b = booked(visit);
    const cancel = mayPatientCancelOnline(type, b, at(cancelBy));
    expect(cancel).toEqual({ allowed: true, reason: null, deadline: at(cancelBy) });
    expect(mayPatientCancelOnline(type, b, at(cancelBy) + 1)).toMatchObject({ allowed: false, reason: 'deadline_passed' });
    expect(mayPatientRebookOnline(type, b, at(rebookBy))).toMatchObject({ allowed: true, deadline: at(rebookBy) });
    expect(mayPatientRebookOnline(type, b, at(rebookBy) + 1)).toMatchObject({ allowed: false, reason: 'deadline_passed' });
    // The desk follows the same deadline; past it only an explicit override goes on.
    expect(checkCutoff('cancel', type, b, 'desk', at(cancelBy), false)).toBeNull();
    expect(checkCutoff('cancel', type, b, 'desk', at(cancelBy) + 1, false)).toMatchObject({ code: 'cutoff_passed' });
    expect(checkCutoff('cancel', type, b, 'desk', at(cancelBy) + 1, true)).toBeNull();
    expect(checkCutoff('rebook', type, b, 'web', at(rebookBy) + 1, false)?.messageSv).toMatch(
      /^Ombokning måste göras senast 48 timmar före besöket/,
    );
  });

  it.each([
    // [now, earliest bookable start (24 h lead, real hours), last bookable instant (30 calendar days)]
    ['2028-03-25T12:00:00+01:00', '2028-03-26T13:00:00+02:00', '2028-04-25T00:00:00+02:00'],
    ['2027-10-30T12:00:00+02:00', '2027-10-31T11:00:00+01:00', '2027-11-30T00:00:00+01:00'],
    // Late evening before the autumn change: the 30th day is 2028-10-29, the change day itself, all of it.
    ['2028-09-29T23:30:00+02:00', '2028-09-30T23:30:00+02:00', '2028-10-30T00:00:00+01:00'],
    // Just after local midnight (still the day before in UTC): today is already 2027-02-27.
    ['2027-02-27T00:10:00+01:00', '2027-02-28T00:10:00+01:00', '2027-03-30T00:00:00+02:00'],
  ])('now %s: from %s, until before %s', (now, earliest, endOfLastDay) => {
    const w = bookingWindow(type, at(now));
    expect(w).toEqual({ earliest: at(earliest), latest: at(endOfLastDay) - 1 });
    expect(checkBookingWindow(type, at(earliest) - 60_000, at(now), false)).toMatchObject({ code: 'too_soon' });
    expect(checkBookingWindow(type, at(earliest), at(now), false)).toBeNull();
    expect(checkBookingWindow(type, at(endOfLastDay) - 60_000, at(now), false)).toBeNull();
    expect(checkBookingWindow(type, at(endOfLastDay), at(now), false)).toMatchObject({
      code: 'too_far',
      messageSv: expect.stringMatching(/kan bokas högst 30 dagar framåt/),
    });
  });
});

describe('"the same clinician when at most a week later" is a week on the wall clock', () => {
  it.each([
    // Same wall-clock time a calendar week later: 7 × 24 h ± the hour the clock moved.
    ['2028-10-23T08:00:00+02:00', '2028-10-30T08:00:00+01:00'],
    ['2028-03-20T08:00:00+01:00', '2028-03-27T08:00:00+02:00'],
    ['2027-03-22T15:30:00+01:00', '2027-03-29T15:30:00+02:00'],
    ['2027-11-02T09:00:00+01:00', '2027-11-09T09:00:00+01:00'],
  ])('%s + 7 days = %s', (from, to) => {
    expect(sameWallClockDaysLater(at(from), 7)).toBe(at(to));
  });

  it('keeps the clinician for a time one week later across fall-back, and not 30 minutes past it across spring-forward', () => {
    const c = (slotId: string, resourceId: string, iso: string) => ({ slotId, resourceId, startAt: at(iso) });
    const week = (earliest: number) => sameWallClockDaysLater(earliest, 7, STOCKHOLM);
    // Autumn: another clinician Monday 08:00 CEST; ours next Monday 08:00 CET (7 days + 1 h real).
    const autumn = [c('other', 'b', '2028-10-23T08:00:00+02:00'), c('ours', 'a', '2028-10-30T08:00:00+01:00')];
    expect(chooseProposal(autumn, 'a', new Set(), week)?.slotId).toBe('ours');
    // Spring: ours next Monday 08:30 CEST is 6 days 23 h 30 min real, but 30 minutes past a week.
    const spring = [c('other', 'b', '2028-03-20T08:00:00+01:00'), c('ours', 'a', '2028-03-27T08:30:00+02:00')];
    expect(chooseProposal(spring, 'a', new Set(), week)?.slotId).toBe('other');
    expect(chooseProposal(spring, 'a', new Set(), (t) => t + 7 * 24 * H + H)?.slotId).toBe('ours');
  });
});

describe("wall clock to instant does not depend on the computer's own time zone", () => {
  // A Swedish desk runs with TZ=Europe/Stockholm, a server often in UTC: both must lay the same
  // slot instants. Each system zone gets DST Sundays of its own year (answers are memoised).
  const cases = [
    ['Europe/Stockholm', '2029-03-25', '2029-10-28'],
    ['Europe/London', '2030-03-31', '2030-10-27'],
    ['Asia/Kolkata', '2031-03-30', '2031-10-26'],
    ['America/New_York', '2032-03-28', '2032-10-31'],
    ['UTC', '2033-03-27', '2033-10-30'],
  ] as const;
  it.each(cases)('with TZ=%s: %s and %s', (systemTz, spring, autumn) => {
    const saved = process.env.TZ;
    process.env.TZ = systemTz;
    try {
      const utcOf = (date: string, time: string) =>
        new Date(wallClockToInstant(date, wallTimeToMinutes(time))).toISOString().slice(0, 16);
      const dayBefore = (date: string) => addDays(date, -1);
      // Autumn: 01:30 is summer time (CEST, UTC+2); 02:00 and 02:30 are shown twice and mean the
      // second, winter-time pass (CET, UTC+1); 03:00 is CET.
      expect([utcOf(autumn, '01:30'), utcOf(autumn, '02:00'), utcOf(autumn, '02:30'), utcOf(autumn, '03:00')]).toEqual([
        `${dayBefore(autumn)}T23:30`,
        `${autumn}T01:00`,
        `${autumn}T01:30`,
        `${autumn}T02:00`,
      ]);
      // Spring: 01:30 CET; 02:30 does not exist (named as 03:30 CEST); 03:00 CEST.
      expect([utcOf(spring, '01:30'), utcOf(spring, '02:30'), utcOf(spring, '03:00')]).toEqual([
        `${spring}T00:30`,
        `${spring}T01:30`,
        `${spring}T01:00`,
      ]);
      expect(wallTimeExists(spring, wallTimeToMinutes('02:30'))).toBe(false);
      // The night template of the autumn Sunday: each start once, 02:00 and 02:30 after the change.
      expect(slotsOn(spec({ startTime: '01:00', endTime: '04:00', slotMin: 60 }), autumn)).toEqual([
        '01:00-02:00/60',
        '02:00-03:00/60',
        '03:00-04:00/60',
      ]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
