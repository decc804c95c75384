// expandTemplate walks its days as numbers (a year of 120 templates is 44,000 days): the days it
// lays out or skips as closed must be exactly those templateRunsOn names, whatever the weekdays,
// week rhythm, validity and range, also across year ends and leap days.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTemplate, templateRunsOn, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import { addDays, eachDate, STOCKHOLM } from '../../../src-main/domain/time.ts';

const day = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2026-11-01', n));

describe('expandTemplate days', () => {
  it('lays out or skips exactly the days templateRunsOn names', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 5 }),
        day,
        fc.option(day, { nil: null }),
        day,
        fc.integer({ min: 1, max: 120 }),
        fc.boolean(),
        (weekdays, everyNWeeks, validFrom, validTo, from, length, skipHolidays) => {
          const spec: TemplateSpec = {
            weekdays,
            everyNWeeks,
            validFrom,
            validTo: validTo !== null && validTo < validFrom ? validFrom : validTo,
            startTime: '08:00',
            endTime: '09:00',
            slotMin: 30,
            skipHolidays,
          };
          const to = addDays(from, length);
          const { slots, skipped } = expandTemplate(spec, from, to, STOCKHOLM, {});
          const days = new Set([...slots.map((s) => s.date), ...skipped.map((s) => s.date)]);
          const expected = [...eachDate(from, to)].filter((d) => templateRunsOn(spec, d));
          expect([...days].sort()).toEqual(expected);
          expect(slots.length).toBe(2 * (expected.length - skipped.length));
        },
      ),
      { numRuns: 300 },
    );
  });
});
