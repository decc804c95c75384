// Two wall-clock edges a scheduler meets: the doubled autumn hour (which pass of 02:20 is meant,
// named by its UTC offset) and 24:00 as the end of a day. Expected instants are worked out by hand
// from Europe/Stockholm's rules: summer time (+02:00) ends 2026-10-25 and 2027-10-31 at 03:00,
// when the clock shows 02:00 again (+01:00); it begins 2026-03-29 at 02:00 (-> 03:00).
import { describe, expect, it } from 'vitest';
import { checkSlotStarted } from '../../../src-main/domain/booking-rules.ts';
import { describePlannedSlots, expandTemplate, templateProblem, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import {
  isEndWallTime,
  isWallTime,
  localEndTime,
  missingWallTimeProblem,
  slotTimesProblem,
  wallClockAtOffset,
  wallClockToInstant,
  wallTimeOffsets,
  wallTimeToMinutes,
} from '../../../src-main/domain/time.ts';

const at = (iso: string) => Date.parse(iso);
const TZ = 'Europe/Stockholm';

describe('the doubled autumn hour: which pass', () => {
  it('names both offsets of a time in the doubled hour, summer time first, and one elsewhere', () => {
    expect(wallTimeOffsets('2026-10-25', wallTimeToMinutes('02:20'), TZ)).toEqual(['+02:00', '+01:00']);
    expect(wallTimeOffsets('2027-10-31', wallTimeToMinutes('02:00'), TZ)).toEqual(['+02:00', '+01:00']);
    expect(wallTimeOffsets('2026-10-25', wallTimeToMinutes('02:59'), TZ)).toEqual(['+02:00', '+01:00']);
    expect(wallTimeOffsets('2026-10-25', wallTimeToMinutes('01:59'), TZ)).toEqual(['+02:00']);
    expect(wallTimeOffsets('2026-10-25', wallTimeToMinutes('03:00'), TZ)).toEqual(['+01:00']);
    expect(wallTimeOffsets('2026-10-24', wallTimeToMinutes('02:20'), TZ)).toEqual(['+02:00']);
    expect(wallTimeOffsets('2026-03-29', wallTimeToMinutes('02:20'), TZ)).toEqual([]);
  });

  it('gives the instant of the named pass', () => {
    expect(wallClockAtOffset('2026-10-25', '02:20', '+02:00', TZ)).toEqual({ at: at('2026-10-25T00:20:00Z') });
    expect(wallClockAtOffset('2026-10-25', '02:20', '+01:00', TZ)).toEqual({ at: at('2026-10-25T01:20:00Z') });
    expect(wallClockAtOffset('2027-10-31', '02:00', '+02:00', TZ)).toEqual({ at: at('2027-10-31T00:00:00Z') });
  });

  it('refuses an offset for a time shown once, and an offset the time does not have, in Swedish', () => {
    expect(wallClockAtOffset('2026-10-25', '10:00', '+01:00', TZ)).toEqual({
      problem: expect.stringMatching(/^Klockan 10:00 visas bara en gång 2026-10-25: sommartid eller vintertid/),
    });
    expect(wallClockAtOffset('2026-10-24', '02:20', '+02:00', TZ)).toEqual({
      problem: expect.stringMatching(/visas bara en gång 2026-10-24/),
    });
    expect(wallClockAtOffset('2026-10-25', '02:20', '+03:00', TZ)).toEqual({
      problem:
        'Klockan 02:20 2026-10-25 är UTC +02:00 (sommartid, första gången) eller +01:00 (vintertid, andra gången), inte +03:00.',
    });
  });
});

describe('24:00 ends a day', () => {
  const spec = (over: Partial<TemplateSpec> = {}): TemplateSpec => ({
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    everyNWeeks: 1,
    validFrom: '2026-01-01',
    validTo: null,
    startTime: '20:00',
    endTime: '24:00',
    slotMin: 60,
    skipHolidays: false,
    ...over,
  });

  it('is an end time, never a start time', () => {
    expect(isEndWallTime('24:00')).toBe(true);
    expect(isWallTime('24:00')).toBe(false);
    expect(isEndWallTime('24:01')).toBe(false);
    expect(isEndWallTime('25:00')).toBe(false);
    expect(wallTimeToMinutes('24:00')).toBe(24 * 60);
    expect(slotTimesProblem('2026-10-24', '24:00', '24:00')).toMatch(/^En tid kan inte börja 24:00/);
    expect(templateProblem(spec({ startTime: '24:00' }))).toMatch(/^En tid kan inte börja 24:00/);
    expect(slotTimesProblem('2026-10-24', '23:00', '24:00')).toBeNull();
    expect(templateProblem(spec())).toBeNull();
    // 00:00 as an end reads as the next day's: the sentence says how to write it.
    expect(slotTimesProblem('2026-10-24', '23:00', '00:00')).toMatch(/skrivs 23:00–24:00/);
  });

  it('is the next local midnight, DST-correct, and a time the clock has', () => {
    expect(wallClockToInstant('2026-10-24', 24 * 60, TZ)).toBe(at('2026-10-24T22:00:00Z'));
    expect(wallClockToInstant('2026-10-25', 24 * 60, TZ)).toBe(at('2026-10-25T23:00:00Z'));
    expect(wallClockToInstant('2026-03-28', 24 * 60, TZ)).toBe(at('2026-03-28T23:00:00Z'));
    expect(wallClockToInstant('2026-03-29', 24 * 60, TZ)).toBe(at('2026-03-29T22:00:00Z'));
    expect(missingWallTimeProblem('2026-03-28', '24:00', TZ)).toBeNull();
    expect(missingWallTimeProblem('2026-03-29', '24:00', TZ)).toBeNull();
    expect(localEndTime(at('2026-10-24T21:00:00Z'), at('2026-10-24T22:00:00Z'), TZ)).toBe('24:00');
    expect(localEndTime(at('2026-10-24T21:00:00Z'), at('2026-10-24T21:30:00Z'), TZ)).toBe('23:30');
  });

  it('20:00–24:00 by 60 minutes lays 20, 21, 22, 23 every day, the DST days too, the last ending at midnight', () => {
    const days = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-10-24', '2026-10-25', '2026-10-26'];
    for (const date of days) {
      const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const slots = describePlannedSlots(expandTemplate(spec(), date, next, TZ, {}).slots, TZ);
      expect(slots.map((s) => `${s.startTime}–${s.endTime}`)).toEqual([
        '20:00–21:00',
        '21:00–22:00',
        '22:00–23:00',
        '23:00–24:00',
      ]);
      expect(slots.every((s) => s.endAt - s.startAt === 3_600_000)).toBe(true);
      expect(slots[3]!.endAt).toBe(wallClockToInstant(next, 0, TZ));
    }
    const [evening] = expandTemplate(spec({ startTime: '23:00' }), '2026-10-24', '2026-10-25', TZ, {}).slots;
    expect([evening!.startAt, evening!.endAt]).toEqual([at('2026-10-24T21:00:00Z'), at('2026-10-24T22:00:00Z')]);
  });

  it('00:00–24:00 lays the wall-clock grid: 24 slots on a 24-hour day, 23 in spring, 24 in autumn (02:00 once)', () => {
    const day = (date: string, next: string) =>
      describePlannedSlots(expandTemplate(spec({ startTime: '00:00' }), date, next, TZ, {}).slots, TZ);
    const usual = day('2026-10-26', '2026-10-27');
    expect(usual).toHaveLength(24);
    expect(usual[23]).toMatchObject({ startTime: '23:00', endTime: '24:00', endAt: at('2026-10-26T23:00:00Z') });
    const spring = day('2026-03-29', '2026-03-30');
    expect(spring.map((s) => s.startTime)).not.toContain('02:00');
    expect(spring).toHaveLength(23);
    expect(spring[22]).toMatchObject({ startTime: '23:00', endTime: '24:00', endAt: at('2026-03-29T22:00:00Z') });
    const autumn = day('2026-10-25', '2026-10-26');
    expect(autumn).toHaveLength(24);
    // 02:00 comes once, in the second (standard time) pass, as any template's start in that hour.
    expect(autumn.filter((s) => s.startTime === '02:00').map((s) => s.startAt)).toEqual([at('2026-10-25T01:00:00Z')]);
    expect(autumn[23]).toMatchObject({ startTime: '23:00', endTime: '24:00', endAt: at('2026-10-25T23:00:00Z') });
    // The slots tile the day from its first to its last instant, in real hours, none overlapping.
    expect(autumn[0]!.startAt).toBe(at('2026-10-24T22:00:00Z'));
    for (let i = 1; i < autumn.length; i++) expect(autumn[i]!.startAt).toBeGreaterThanOrEqual(autumn[i - 1]!.endAt);
  });
});

describe('a time under way until midnight says 24:00', () => {
  it('checkSlotStarted names the end as 24:00, not 00:00', () => {
    const slot = { startAt: at('2026-10-24T21:00:00Z'), endAt: at('2026-10-24T22:00:00Z') };
    expect(checkSlotStarted(slot, at('2026-10-24T21:10:00Z'), 'desk', TZ)?.messageSv).toMatch(
      /^Tiden började kl\. 23:00 och pågår till kl\. 24:00\./,
    );
  });
});
