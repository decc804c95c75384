// An outside tester's cases for DST weeks and holiday weeks in the pure domain that the other
// suites leave out. Expected answers are derived by hand: Europe/Stockholm goes 02:00 CET ->
// 03:00 CEST on the last Sunday of March and 03:00 CEST -> 02:00 CET on the last Sunday of
// October; Sweden's public holidays are the thirteen of lagen (1989:253) om allmänna helgdagar,
// and the unit closes on julafton, nyårsafton and midsommarafton unless it opens them.
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedDayName, holidaysOfYear } from '../../../src-main/domain/holidays.ts';
import { clockChangeDays, expandTemplate, templateRunsOn, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import {
  addDays,
  isoWeekday,
  localDate,
  localTime,
  minutesToWallTime,
  STOCKHOLM,
  wallClockToInstant,
} from '../../../src-main/domain/time.ts';
import { slotsOn, specFrom } from '../../helpers/template-spec.ts';

const spec = specFrom('2026-01-01');

const SPRING = ['2026-03-29', '2027-03-28', '2028-03-26'];
const AUTUMN = ['2026-10-25', '2027-10-31', '2028-10-29'];

describe('which days the holiday library closes, 2026–2028', () => {
  it.each([
    // [date, the library's name]: days date-holidays knows that a vårdcentral keeps open.
    // Påskafton and pingstafton are Saturdays no law closes (only jul-, nyårs- and midsommarafton
    // are treated as holidays, e.g. semesterlagen 3 a §); annandag pingst is a workday since 2005.
    ['2026-04-04', 'påskafton'],
    ['2027-03-27', 'påskafton'],
    ['2028-04-15', 'påskafton'],
    ['2026-05-23', 'pingstafton'],
    ['2027-05-17', 'annandag pingst'],
    ['2028-06-05', 'annandag pingst'],
    ['2026-04-02', 'skärtorsdagen'],
    ['2027-01-05', 'trettondagsafton'],
    ['2026-04-30', 'valborgsmässoafton'],
    ['2026-10-30', 'allhelgonaafton'], // a Friday: open, as the desk expects
    ['2028-11-03', 'allhelgonaafton'],
    ['2026-01-13', 'tjugondag Knut'],
    ['2027-05-30', 'Mors dag'],
    ['2028-11-06', 'Gustav-Adolf-dagen'],
    ['2026-12-13', 'Luciadagen'],
  ])('%s (%s) stays open', (date, name) => {
    // Some begin at noon (the half-day eves), so the library's whole year is looked through.
    const known = new Holidays('SE', { languages: ['sv'] }).getHolidays(Number(date.slice(0, 4)));
    expect(known.filter((h) => h.date.startsWith(date)).map((h) => h.name)).toContain(name);
    expect(closedDayName(date)).toBeNull();
  });

  it('names alla helgons dag 2027, which the library also lists as Gustav-Adolf-dagen', () => {
    expect(closedDayName('2027-11-06')).toBe('alla helgons dag');
  });

  it.each([2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035])(
    '%i: thirteen public holidays and three eves, on the weekdays the calendar puts them',
    (year) => {
      const days = holidaysOfYear(year);
      expect(days.filter((h) => h.eve === null)).toHaveLength(13);
      expect(days.filter((h) => h.eve !== null).map((h) => h.eve)).toEqual(['midsommarafton', 'julafton', 'nyarsafton']);
      const on = (name: string) => days.find((h) => h.name === name)!.date;
      // [name, ISO weekday]: Easter's days, Ascension (Thursday), Pentecost (Sunday), midsummer
      // (Friday eve, Saturday day) and All Saints (a Saturday).
      for (const [name, weekday] of [
        ['långfredagen', 5],
        ['påskdagen', 7],
        ['annandag påsk', 1],
        ['Kristi himmelsfärdsdag', 4],
        ['pingstdagen', 7],
        ['midsommarafton', 5],
        ['midsommardagen', 6],
        ['alla helgons dag', 6],
      ] as const) {
        expect([name, isoWeekday(on(name))]).toEqual([name, weekday]);
      }
      expect(addDays(on('påskdagen'), 39)).toBe(on('Kristi himmelsfärdsdag'));
      expect(addDays(on('påskdagen'), 49)).toBe(on('pingstdagen'));
      expect(on('midsommardagen') >= `${year}-06-20` && on('midsommardagen') <= `${year}-06-26`).toBe(true);
      expect(on('alla helgons dag') >= `${year}-10-31` && on('alla helgons dag') <= `${year}-11-06`).toBe(true);
      for (const fixed of ['01-01', '01-06', '05-01', '06-06', '12-24', '12-25', '12-26', '12-31']) {
        expect(closedDayName(`${year}-${fixed}`)).not.toBeNull();
      }
    },
  );
});

describe('templates on the six DST Sundays of 2026–2028', () => {
  it.each([...SPRING, ...AUTUMN])(
    '%s: 08:00–12:00 gives the wall-clock slots of the Sunday before, 30 real minutes each',
    (date) => {
      const day = spec({ weekdays: [7] });
      expect(slotsOn(day, date)).toEqual(slotsOn(day, addDays(date, -7)));
      const starts = ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
      expect(slotsOn(day, date)).toEqual(starts.map((t) => `${t}-${addMinutes(t, 30)}/30`));
      expect(clockChangeDays(day, date, addDays(date, 1), STOCKHOLM)).toEqual([]);
    },
  );

  it.each([
    // Lengths that do not divide the window. Spring, 00:00–06:00 by 50: 01:40 CET lasts to 03:30
    // CEST; 02:30 does not exist; 03:20 would overlap the slot before; 04:10 and 05:00 follow.
    ...SPRING.map(
      (d) =>
        [
          d,
          '00:00',
          '06:00',
          50,
          ['00:00-00:50/50', '00:50-01:40/50', '01:40-03:30/50', '04:10-05:00/50', '05:00-05:50/50'],
        ] as const,
    ),
    // Autumn: 01:40 CEST ends at the first 02:30; the next start, 02:30, is the second pass (CET).
    ...AUTUMN.map(
      (d) =>
        [
          d,
          '00:00',
          '06:00',
          50,
          [
            '00:00-00:50/50',
            '00:50-01:40/50',
            '01:40-02:30/50',
            '02:30-03:20/50',
            '03:20-04:10/50',
            '04:10-05:00/50',
            '05:00-05:50/50',
          ],
        ] as const,
    ),
    // 01:00–04:00 by 25: spring 01:50 CET lasts to 03:15 CEST, so 03:05 is left out; 03:30 fits.
    ['2027-03-28', '01:00', '04:00', 25, ['01:00-01:25/25', '01:25-01:50/25', '01:50-03:15/25', '03:30-03:55/25']],
    [
      '2028-10-29',
      '01:00',
      '04:00',
      25,
      [
        '01:00-01:25/25',
        '01:25-01:50/25',
        '01:50-02:15/25',
        '02:15-02:40/25',
        '02:40-03:05/25',
        '03:05-03:30/25',
        '03:30-03:55/25',
      ],
    ],
  ] as const)('%s %s–%s by %i', (date, startTime, endTime, slotMin, expected) => {
    expect(slotsOn(spec({ startTime, endTime, slotMin }), date)).toEqual(expected);
  });

  it('tells the scheduler which starts the spring night leaves out when the length does not divide', () => {
    expect(
      clockChangeDays(spec({ startTime: '01:00', endTime: '04:00', slotMin: 25 }), '2027-03-28', '2027-03-29', STOCKHOLM),
    ).toEqual([{ date: '2027-03-28', change: 'forward', times: ['02:15', '02:40'], displaced: ['03:05'] }]);
    expect(
      clockChangeDays(spec({ startTime: '00:00', endTime: '06:00', slotMin: 50 }), '2026-10-25', '2026-10-26', STOCKHOLM),
    ).toEqual([{ date: '2026-10-25', change: 'back', times: ['02:30'] }]);
  });
});

describe('a night template whose end time the spring clock skips', () => {
  // "Until 02:30" on a night that has no 02:30 ends when the clock jumps from 02:00 CET to 03:00
  // CEST: the first moment the clock shows 02:30 or later. A slot may not run past it, as it may
  // not run past an end time that exists (01:00–03:00 by 90 lays nothing that night).
  it.each([
    // [spring Sunday, start, end, minutes, the ordinary Sunday before, that night]
    ['2026-03-29', '01:00', '02:30', 90, ['01:00-02:30/90'], []],
    [
      '2027-03-28',
      '00:00',
      '02:15',
      45,
      ['00:00-00:45/45', '00:45-01:30/45', '01:30-02:15/45'],
      ['00:00-00:45/45', '00:45-01:30/45'],
    ],
    // A slot ending exactly as the clock jumps still fits.
    [
      '2028-03-26',
      '00:00',
      '02:40',
      40,
      ['00:00-00:40/40', '00:40-01:20/40', '01:20-02:00/40', '02:00-02:40/40'],
      ['00:00-00:40/40', '00:40-01:20/40', '01:20-03:00/40'],
    ],
  ] as const)('%s %s–%s by %i', (date, startTime, endTime, slotMin, before, that) => {
    const s = spec({ weekdays: [7], startTime, endTime, slotMin });
    expect(slotsOn(s, addDays(date, -7))).toEqual(before);
    expect(slotsOn(s, date)).toEqual(that);
  });

  it('names the start that no longer fits', () => {
    const s = spec({ weekdays: [7], startTime: '00:00', endTime: '02:15', slotMin: 45 });
    expect(clockChangeDays(s, '2027-03-28', '2027-03-29', STOCKHOLM)).toEqual([
      { date: '2027-03-28', change: 'forward', times: [], displaced: ['01:30'] },
    ]);
  });

  it('never lays a slot past the jump, for any end in the skipped hour (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPRING),
        fc.integer({ min: 0, max: 119 }),
        fc.integer({ min: 120, max: 179 }),
        fc.integer({ min: 5, max: 150 }),
        (date, startMin, endMin, slotMin) => {
          fc.pre(endMin - startMin >= slotMin);
          const s = spec({ startTime: minutesToWallTime(startMin), endTime: minutesToWallTime(endMin), slotMin });
          const jump = wallClockToInstant(date, 180); // 03:00 CEST, the first instant after 01:59 CET
          for (const x of expandTemplate(s, date, addDays(date, 1), STOCKHOLM, {}).slots)
            expect(x.endAt).toBeLessThanOrEqual(jump);
          // And a template ending at 03:00 (which exists) lays at least as much.
          const to3 = expandTemplate({ ...s, endTime: '03:00' }, date, addDays(date, 1), STOCKHOLM, {}).slots;
          expect(to3.length).toBeGreaterThanOrEqual(expandTemplate(s, date, addDays(date, 1), STOCKHOLM, {}).slots.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('every N weeks follows calendar weeks, not 7 × 24 hours, across the clock changes and years', () => {
  const runs = (over: Partial<TemplateSpec>, from: string, to: string) => {
    const s = spec(over);
    const out: string[] = [];
    for (let d = from; d < to; d = addDays(d, 1)) if (templateRunsOn(s, d)) out.push(d);
    return out;
  };

  it.each([
    // From Monday 15 March 2027, every 2nd Monday: 29 March is 14 days on though only 13 days
    // 23 hours of real time after 15 March's midnight.
    [
      { weekdays: [1], everyNWeeks: 2, validFrom: '2027-03-15' },
      '2027-03-01',
      '2027-04-20',
      ['2027-03-15', '2027-03-29', '2027-04-12'],
    ],
    // Every 2nd Sunday from 11 October 2026: the autumn Sunday (25 hours) and a fortnight on.
    [
      { weekdays: [7], everyNWeeks: 2, validFrom: '2026-10-11' },
      '2026-10-01',
      '2026-11-20',
      ['2026-10-11', '2026-10-25', '2026-11-08'],
    ],
    // Every 2nd Sunday from 19 March 2028: not the spring Sunday 26 March.
    [{ weekdays: [7], everyNWeeks: 2, validFrom: '2028-03-19' }, '2028-03-01', '2028-04-10', ['2028-03-19', '2028-04-02']],
    // Every 3rd Wednesday from 15 December 2027 (2027 has 52 ISO weeks) into 2028.
    [
      { weekdays: [3], everyNWeeks: 3, validFrom: '2027-12-15' },
      '2027-12-01',
      '2028-02-10',
      ['2027-12-15', '2028-01-05', '2028-01-26'],
    ],
    // Every 4th Monday from ISO week 53 of 2026 over the spring change of 2027.
    [
      { weekdays: [1], everyNWeeks: 4, validFrom: '2026-12-28' },
      '2026-12-01',
      '2027-05-01',
      ['2026-12-28', '2027-01-25', '2027-02-22', '2027-03-22', '2027-04-19'],
    ],
    // valid_from and valid_to on DST Sundays, both inclusive.
    [{ weekdays: [7], validFrom: '2028-03-26', validTo: '2028-10-29' }, '2028-03-19', '2028-04-03', ['2028-03-26', '2028-04-02']],
    [{ weekdays: [7], validFrom: '2028-03-26', validTo: '2028-10-29' }, '2028-10-20', '2028-11-10', ['2028-10-22', '2028-10-29']],
  ] as const)('%o from %s to %s', (over, from, to, expected) => {
    expect(runs({ ...over, weekdays: [...over.weekdays] }, from, to)).toEqual(expected);
  });

  it('lays out the whole 25-hour day a template ends on', () => {
    const s = spec({ weekdays: [7], validTo: '2026-10-25', startTime: '00:00', endTime: '23:59', slotMin: 60 });
    const slots = expandTemplate(s, '2026-10-18', '2026-11-02', STOCKHOLM, {}).slots;
    const onLast = slots.filter((x) => x.date === '2026-10-25');
    // 00:00 … 22:00 on the wall: 23 starts, 02:00 once; nothing on 1 November.
    expect([onLast.length, slots.at(-1)!.date, localDate(onLast.at(-1)!.startAt), localTime(onLast.at(-1)!.startAt)]).toEqual([
      23,
      '2026-10-25',
      '2026-10-25',
      '22:00',
    ]);
  });
});

function addMinutes(t: string, m: number): string {
  const total = Number(t.slice(0, 2)) * 60 + Number(t.slice(3)) + m;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
