// The nights the clock moves, in the pure domain: which wall-clock slot starts exist, how long
// the slots are, which times the clock skips, and the booking window's calendar days.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingWindow, checkBookingWindow } from '../../../src-main/domain/booking-rules.ts';
import { expandTemplate, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import {
  localDate,
  localTime,
  minutesToWallTime,
  missingWallTimeProblem,
  STOCKHOLM,
  wallClockInstantAfter,
  wallClockToInstant,
  wallTimeExists,
  wallTimeToMinutes,
} from '../../../src-main/domain/time.ts';

const spec = (startTime: string, endTime: string, slotMin: number): TemplateSpec => ({
  weekdays: [7],
  everyNWeeks: 1,
  validFrom: '2026-01-01',
  validTo: null,
  startTime,
  endTime,
  slotMin,
  skipHolidays: false,
});
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const slotsOf = (s: TemplateSpec, date: string) =>
  expandTemplate(s, date, nextDay(date), STOCKHOLM, {}).slots.map(
    (x) => `${localTime(x.startAt)}-${localTime(x.endAt)}/${(x.endAt - x.startAt) / 60_000}`,
  );

describe('night windows on the DST Sundays', () => {
  it.each([
    ['2026-03-29', '01:00', '04:00', 30, ['01:00-01:30/30', '01:30-03:00/30', '03:00-03:30/30', '03:30-04:00/30']],
    ['2026-03-29', '02:00', '03:00', 30, []],
    ['2026-03-29', '02:30', '04:00', 30, ['03:00-03:30/30', '03:30-04:00/30']],
    // 45 minutes: 01:45 CET lasts until 03:30 CEST; 03:15 would overlap it; nothing runs past 04:00.
    ['2026-03-29', '01:00', '04:00', 45, ['01:00-01:45/45', '01:45-03:30/45']],
    ['2026-03-29', '01:00', '03:15', 45, ['01:00-01:45/45']],
    // A window ending inside the skipped hour: its real length equals its wall length, yet the
    // 02:00 start does not exist (found by the property below).
    ['2026-03-29', '00:00', '02:40', 40, ['00:00-00:40/40', '00:40-01:20/40', '01:20-03:00/40']],
    ['2026-03-29', '02:00', '02:40', 20, []],
    // Autumn: every start once, each 30 real minutes (02:00 and 02:30 on CET, the second pass).
    [
      '2026-10-25',
      '01:00',
      '04:00',
      30,
      ['01:00-01:30/30', '01:30-02:00/30', '02:00-02:30/30', '02:30-03:00/30', '03:00-03:30/30', '03:30-04:00/30'],
    ],
    ['2027-10-31', '02:00', '03:00', 30, ['02:00-02:30/30', '02:30-03:00/30']],
  ])('%s %s–%s by %i min', (date, start, end, slotMin, expected) => {
    expect(slotsOf(spec(start, end, slotMin), date)).toEqual(expected);
  });
});

describe('wall-clock times the clock skips', () => {
  it('knows 02:00–02:59 is missing on the spring Sundays only', () => {
    expect(wallTimeExists('2026-03-29', 119)).toBe(true);
    expect(wallTimeExists('2026-03-29', 120)).toBe(false);
    expect(wallTimeExists('2026-03-29', 179)).toBe(false);
    expect(wallTimeExists('2026-03-29', 180)).toBe(true);
    expect(wallTimeExists('2027-03-28', 150)).toBe(false);
    expect(wallTimeExists('2026-10-25', 150)).toBe(true);
    expect(wallTimeExists('2026-03-28', 150)).toBe(true);
    expect(missingWallTimeProblem('2026-03-29', '02:30')).toMatch(/^Klockan 02:30 finns inte 2026-03-29/);
    expect(missingWallTimeProblem('2026-10-25', '02:30')).toBeNull();
  });

  it('ends a period at the first time the clock shows the end time', () => {
    const t = (iso: string) => Date.parse(iso);
    // 01:30 CEST -> the first 02:00 (CEST); after the first 02:00 -> the second (CET).
    expect(wallClockInstantAfter('2026-10-25', 120, t('2026-10-25T01:30:00+02:00'))).toBe(t('2026-10-25T02:00:00+02:00'));
    expect(wallClockInstantAfter('2026-10-25', 150, t('2026-10-25T02:00:00+01:00'))).toBe(t('2026-10-25T02:30:00+01:00'));
    expect(wallClockInstantAfter('2026-10-25', 240, t('2026-10-25T01:00:00+02:00'))).toBe(t('2026-10-25T04:00:00+01:00'));
    expect(wallClockInstantAfter('2026-03-29', 180, t('2026-03-29T01:30:00+01:00'))).toBe(t('2026-03-29T03:00:00+02:00'));
    expect(wallClockInstantAfter('2026-11-02', 600, t('2026-11-02T09:00:00+01:00'))).toBe(t('2026-11-02T10:00:00+01:00'));
  });
});

describe('booking window in calendar days', () => {
  const type = { bookMinLeadH: 24, bookMaxDays: 30 };
  it('ends with the last minute of the local date N days on, across a clock change', () => {
    const now = Date.parse('2026-03-01T15:00:00+01:00');
    expect(bookingWindow(type, now)).toEqual({
      earliest: Date.parse('2026-03-02T15:00:00+01:00'),
      latest: Date.parse('2026-04-01T00:00:00+02:00') - 1,
    });
    expect(checkBookingWindow(type, Date.parse('2026-03-31T23:30:00+02:00'), now, false)).toBeNull();
    expect(checkBookingWindow(type, Date.parse('2026-04-01T00:00:00+02:00'), now, false)?.code).toBe('too_far');
    const autumn = Date.parse('2026-10-10T23:30:00+02:00');
    expect(bookingWindow(type, autumn).latest).toBe(Date.parse('2026-11-10T00:00:00+01:00') - 1);
  });
});

describe('any window on any DST Sunday (property)', () => {
  const sundays = ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'];
  it('gives sorted, non-overlapping slots of the slot length, each at an existing wall-clock start inside the window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sundays),
        fc.integer({ min: 0, max: 23 * 60 }),
        fc.integer({ min: 5, max: 8 * 60 }),
        fc.integer({ min: 5, max: 120 }),
        (date, startMin, length, slotMin) => {
          const endMin = Math.min(startMin + length, 23 * 60 + 59);
          fc.pre(endMin - startMin >= slotMin);
          const s = spec(minutesToWallTime(startMin), minutesToWallTime(endMin), slotMin);
          const slots = expandTemplate(s, date, nextDay(date), STOCKHOLM, {}).slots;
          const windowStart = wallClockToInstant(date, startMin);
          const windowEnd = wallClockToInstant(date, endMin);
          let lastEnd = -Infinity;
          for (const x of slots) {
            expect(x.endAt - x.startAt).toBe(slotMin * 60_000);
            expect(x.startAt).toBeGreaterThanOrEqual(lastEnd);
            expect(x.startAt).toBeGreaterThanOrEqual(Math.min(windowStart, wallClockToInstant(date, startMin + 60)) - 3_600_000);
            expect(x.endAt).toBeLessThanOrEqual(windowEnd);
            expect(localDate(x.startAt)).toBe(date);
            const wall = wallTimeToMinutes(localTime(x.startAt));
            expect((wall - startMin) % slotMin).toBe(0);
            expect(wall).toBeGreaterThanOrEqual(startMin);
            lastEnd = x.endAt;
          }
          // Away from the night the slots are exactly those of an ordinary day.
          if (startMin >= 4 * 60) expect(slots).toHaveLength(Math.floor((endMin - startMin) / slotMin));
        },
      ),
      { numRuns: 300 },
    );
  });
});
