// Pure calendar edges of templates: the every-N-weeks rhythm against an oracle that steps whole
// weeks with plain UTC date arithmetic (no domain function), across the ISO week-53 years 2020 and
// 2026 and the leap years 2024 and 2028; a validity that never meets the template's days; and a
// slot length that does not divide the hours on the clock-change Sundays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTemplate, templateNeverRuns } from '../../../src-main/domain/templates.ts';
import { STOCKHOLM, localTime } from '../../../src-main/domain/time.ts';
import { specFrom } from '../../helpers/template-spec.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The run dates in [from, to): from the Monday of valid_from's week, N weeks at a time. */
function oracle(weekdays: number[], n: number, validFrom: string, validTo: string | null, from: string, to: string): string[] {
  const dow = (ms: number) => ((new Date(ms).getUTCDay() + 6) % 7) + 1;
  const dates: string[] = [];
  for (let monday = utc(validFrom) - (dow(utc(validFrom)) - 1) * DAY; monday < utc(to); monday += 7 * n * DAY) {
    for (let i = 0; i < 7; i++) {
      const d = iso(monday + i * DAY);
      if (weekdays.includes(i + 1) && d >= validFrom && (validTo === null || d <= validTo) && d >= from && d < to) dates.push(d);
    }
  }
  return dates;
}

describe('every N weeks against whole-week steps, 2019–2029 (week 53 in 2020 and 2026)', () => {
  it('lays out exactly the oracle’s dates (property)', () => {
    const day = fc.integer({ min: 0, max: 3650 }).map((i) => iso(utc('2019-06-01') + i * DAY));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 8 }),
        day,
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
        fc.integer({ min: -60, max: 200 }),
        fc.integer({ min: 1, max: 120 }),
        (weekdays, n, validFrom, toAfter, fromOffset, length) => {
          const validTo = toAfter === null ? null : iso(utc(validFrom) + toAfter * DAY);
          const from = iso(utc(validFrom) + fromOffset * DAY);
          const to = iso(utc(from) + length * DAY);
          const spec = specFrom(validFrom)({ weekdays, everyNWeeks: n, validTo, startTime: '10:00', endTime: '10:30' });
          const got = expandTemplate(spec, from, to, STOCKHOLM, {}).slots.map((s) => s.date);
          expect(got).toEqual(oracle(weekdays, n, validFrom, validTo, from, to));
        },
      ),
      { numRuns: 300, seed: 53 },
    );
  });
});

describe('every 52 weeks, the longest rhythm, from Monday 28 Dec 2026 (week 53)', () => {
  it('runs once a year on the Monday 364 days on, drifting through the calendar (not "week 53" each year)', () => {
    const spec = specFrom('2026-12-28')({ weekdays: [1], everyNWeeks: 52, startTime: '10:00', endTime: '10:30' });
    // 28 Dec 2026 + 364 = 27 Dec 2027 (week 52); + 364 = 25 Dec 2028 (juldagen, laid: holidays open here); + 364 = 24 Dec 2029.
    expect(expandTemplate(spec, '2026-12-01', '2030-01-01', STOCKHOLM, {}).slots.map((s) => s.date)).toEqual([
      '2026-12-28',
      '2027-12-27',
      '2028-12-25',
      '2029-12-24',
    ]);
  });
});

describe('a validity that never meets the template’s days', () => {
  it.each([
    // Monday 4 – Tuesday 5 Jan 2027, Wednesdays: none.
    [{ weekdays: [3], validFrom: '2027-01-04', validTo: '2027-01-05' }, true],
    [{ weekdays: [2], validFrom: '2027-01-04', validTo: '2027-01-05' }, false],
    // Every 2nd week from Friday 8 Jan (week 1), Mondays and Tuesdays to Tuesday 12 Jan: 11 and 12
    // Jan are in week 2, an off week.
    [{ weekdays: [1, 2], everyNWeeks: 2, validFrom: '2027-01-08', validTo: '2027-01-12' }, true],
    // The same to Monday 18 Jan (week 3): runs.
    [{ weekdays: [1, 2], everyNWeeks: 2, validFrom: '2027-01-08', validTo: '2027-01-18' }, false],
    // Week 53's Sunday (3 Jan 2027) alone, every 4th week from 28 Dec: runs.
    [{ weekdays: [7], everyNWeeks: 4, validFrom: '2026-12-28', validTo: '2027-01-03' }, false],
    // Saturday 26 Dec – Sunday 3 Jan, Mondays every 2nd week: 28 Dec is in week 53, an off week.
    [{ weekdays: [1], everyNWeeks: 2, validFrom: '2026-12-26', validTo: '2027-01-03' }, true],
    // Open-ended: always runs some day.
    [{ weekdays: [1], everyNWeeks: 52, validFrom: '2026-12-29', validTo: null }, false],
    // Only holidays (långfredagen, påskdagen, annandag påsk 2027): it runs, the holidays are skipped.
    [{ weekdays: [5, 7, 1], validFrom: '2027-03-26', validTo: '2027-03-29', skipHolidays: true }, false],
  ])('%j: %s', (over, never) => {
    expect(templateNeverRuns(specFrom('2027-01-04')(over))).toBe(never);
  });
});

describe('08:00–11:50 by 20 minutes on the clock-change Sundays of 2026 and 2027', () => {
  it.each(['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'])('%s: the 11 slots of any day, 11:20–11:40 last', (date) => {
    const spec = specFrom(date)({ startTime: '08:00', endTime: '11:50', slotMin: 20 });
    const slots = expandTemplate(spec, date, iso(utc(date) + DAY), STOCKHOLM, {}).slots;
    expect(slots.map((s) => `${localTime(s.startAt)}-${localTime(s.endAt)}`)).toEqual([
      ...['08:00-08:20', '08:20-08:40', '08:40-09:00', '09:00-09:20', '09:20-09:40', '09:40-10:00'],
      ...['10:00-10:20', '10:20-10:40', '10:40-11:00', '11:00-11:20', '11:20-11:40'],
    ]);
    expect(slots.every((s) => s.endAt - s.startAt === 20 * 60_000)).toBe(true);
  });
});
