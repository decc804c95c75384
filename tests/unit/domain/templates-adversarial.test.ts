// Adversarial check of template expansion (domain/templates.ts), away from the clock changes and
// holidays (tests/unit/domain/dst-holiday-adversarial.test.ts covers those):
// - fast-check over weekdays, every N weeks, validity, window and slot lengths that do not divide
//   it: every slot lies inside the window on a day the template runs, none overlaps another, each
//   day has floor(window / length) slots, and expanding [a, c) is expanding [a, b) then [b, c) (what
//   makes a horizon that moves day by day lay out the same book as one long expansion);
// - table cases: the week rhythm counted from valid_from's week, valid_to inclusive, [from, to)
//   exclusive, a window ending at 23:59, and what templateProblem names.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandTemplate, templateProblem, templateRunsOn, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import { addDays, isoWeekday, localDate, localTime, STOCKHOLM } from '../../../src-main/domain/time.ts';

const spec = (over: Partial<TemplateSpec> = {}): TemplateSpec => ({
  weekdays: [1, 2, 3, 4, 5],
  everyNWeeks: 1,
  validFrom: '2026-11-02',
  validTo: null,
  startTime: '08:00',
  endTime: '12:00',
  slotMin: 20,
  skipHolidays: false,
  ...over,
});
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const expand = (s: TemplateSpec, from: string, to: string) => expandTemplate(s, from, to, STOCKHOLM, {}).slots;
const days = (s: TemplateSpec, from: string, to: string) => [...new Set(expand(s, from, to).map((x) => localDate(x.startAt)))];

// Far from the clock changes (they have their own tests): 2026-04-06 – 2026-09-28 is all CEST.
const spring = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2026-04-06', n));
const specArb = fc
  .record({
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    everyNWeeks: fc.integer({ min: 1, max: 5 }),
    validFrom: spring,
    validDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    start: fc.integer({ min: 0, max: 23 * 60 }),
    length: fc.integer({ min: 5, max: 12 * 60 }),
    slotMin: fc.integer({ min: 5, max: 240 }),
  })
  .map((r): TemplateSpec => {
    const end = Math.min(r.start + r.length, 23 * 60 + 59);
    return spec({
      weekdays: r.weekdays,
      everyNWeeks: r.everyNWeeks,
      validFrom: r.validFrom,
      validTo: r.validDays === null ? null : addDays(r.validFrom, r.validDays),
      startTime: hhmm(r.start),
      endTime: hhmm(end),
      slotMin: Math.max(5, Math.min(r.slotMin, end - r.start)),
    });
  })
  .filter((s) => templateProblem(s) === null);

describe('expandTemplate (fast-check, CEST days)', () => {
  it('lays each run day floor(window / length) slots inside the window, none overlapping, none outside validity', () => {
    fc.assert(
      fc.property(specArb, spring, fc.integer({ min: 1, max: 60 }), (s, from, n) => {
        const to = addDays(from, n);
        const slots = expand(s, from, to);
        const [start, end] = [s.startTime, s.endTime].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
        const perDay = Math.floor((end! - start!) / s.slotMin);
        const byDay = new Map<string, string[]>();
        for (const [i, x] of slots.entries()) {
          const date = localDate(x.startAt);
          expect(x.endAt - x.startAt).toBe(s.slotMin * 60_000);
          if (i > 0) expect(x.startAt).toBeGreaterThanOrEqual(slots[i - 1]!.endAt);
          expect(localTime(x.startAt) >= s.startTime).toBe(true);
          // Ends on the same day at or before the end time.
          expect(localDate(x.endAt - 1)).toBe(date);
          expect(localTime(x.endAt) <= s.endTime || localTime(x.endAt) === '00:00').toBe(true);
          expect(date >= from && date < to && date >= s.validFrom && (s.validTo === null || date <= s.validTo)).toBe(true);
          expect(s.weekdays).toContain(isoWeekday(date));
          byDay.set(date, [...(byDay.get(date) ?? []), localTime(x.startAt)]);
        }
        for (const times of byDay.values()) expect(times).toHaveLength(perDay);
        // Every day the template runs in the range has its slots (perDay >= 1: the window holds one).
        for (let d = from; d < to; d = addDays(d, 1)) expect(byDay.has(d)).toBe(templateRunsOn(s, d));
      }),
      { numRuns: 300 },
    );
  });

  it('expands [a, c) to exactly [a, b) followed by [b, c): a horizon moved day by day lays the same book', () => {
    fc.assert(
      fc.property(specArb, spring, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (s, a, x, y) => {
        const b = addDays(a, x);
        const c = addDays(b, y);
        expect([...expand(s, a, b), ...expand(s, b, c)]).toEqual(expand(s, a, c));
      }),
      { numRuns: 300 },
    );
  });
});

describe('week rhythm, validity and range bounds', () => {
  it.each([
    // [what, spec, from, to, dates]
    [
      'every 3rd week from a Sunday valid_from: weeks counted from its ISO week (Mon 2026-11-02)',
      spec({ weekdays: [1, 7], everyNWeeks: 3, validFrom: '2026-11-08' }),
      '2026-11-01',
      '2026-12-15',
      ['2026-11-08', '2026-11-23', '2026-11-29', '2026-12-14'],
    ],
    [
      'valid_to is the last day laid out (inclusive)',
      spec({ weekdays: [3], validTo: '2026-11-18' }),
      '2026-11-01',
      '2026-12-01',
      ['2026-11-04', '2026-11-11', '2026-11-18'],
    ],
    [
      'valid_from and valid_to on the same day: that day only',
      spec({ validFrom: '2026-11-11', validTo: '2026-11-11' }),
      '2026-11-01',
      '2026-12-01',
      ['2026-11-11'],
    ],
    [
      'the range is [from, to): to itself is not laid out',
      spec({ weekdays: [1, 2, 3, 4, 5, 6, 7] }),
      '2026-11-10',
      '2026-11-12',
      ['2026-11-10', '2026-11-11'],
    ],
    ['a range ending before valid_from lays nothing', spec({ validFrom: '2026-12-01' }), '2026-11-01', '2026-12-01', []],
    ['a range starting after valid_to lays nothing', spec({ validTo: '2026-11-30' }), '2026-12-01', '2026-12-31', []],
    [
      'every 2nd week changes nothing about which weekdays',
      spec({ weekdays: [2, 4], everyNWeeks: 2 }),
      '2026-11-02',
      '2026-11-30',
      ['2026-11-03', '2026-11-05', '2026-11-17', '2026-11-19'],
    ],
  ] as const)('%s', (_what, s, from, to, dates) => {
    expect(days(s, from, to)).toEqual(dates);
  });

  it.each([
    // A window the length does not divide: whole slots only, the rest of the window stays empty.
    ['08:00', '12:00', 25, '08:00 08:25 08:50 09:15 09:40 10:05 10:30 10:55 11:20', '11:45'],
    ['08:00', '08:59', 30, '08:00', '08:30'],
    ['08:00', '08:35', 35, '08:00', '08:35'],
    ['22:00', '23:59', 45, '22:00 22:45', '23:30'],
    ['00:00', '08:00', 480, '00:00', '08:00'],
  ])('%s–%s by %i min: starts %s, the last ends %s', (startTime, endTime, slotMin, starts, lastEnd) => {
    const slots = expand(spec({ startTime, endTime, slotMin }), '2026-11-11', '2026-11-12');
    expect(slots.map((x) => localTime(x.startAt)).join(' ')).toBe(starts);
    expect(localTime(slots.at(-1)!.endAt)).toBe(lastEnd);
  });
});

describe('templateProblem', () => {
  it.each([
    [{ startTime: '08:00', endTime: '08:00' }, 'Sluttiden måste vara efter starttiden.'],
    [{ startTime: '12:00', endTime: '08:00' }, 'Sluttiden måste vara efter starttiden.'],
    [{ startTime: '08:00', endTime: '08:19', slotMin: 20 }, 'Passet är kortare än en tid.'],
    [{ validFrom: '2026-11-10', validTo: '2026-11-09' }, 'Slutdatum måste vara efter startdatum.'],
    [{ weekdays: [] }, 'Välj minst en veckodag.'],
    [{ weekdays: [0] }, 'Välj minst en veckodag.'],
    [{ weekdays: [1, 8] }, 'Välj minst en veckodag.'],
    [{ startTime: '08:00', endTime: '08:20', slotMin: 20 }, null],
    [{ validFrom: '2026-11-10', validTo: '2026-11-10' }, null],
  ] as [Partial<TemplateSpec>, string | null][])('%o: %s', (over, problem) => {
    expect(templateProblem(spec(over))).toBe(problem);
  });
});
