// Template expansion: wall-clock slots on DST Sundays, holidays of 2026 and 2027 with the eves
// configurable, week rhythm, and a window across the DST night without duplicate instants.
import { describe, expect, it } from 'vitest';
import { expandTemplate, templateProblem, type TemplateSpec } from '../../../src-main/domain/templates.ts';
import { closedDayName, holidaysOfYear } from '../../../src-main/domain/holidays.ts';
import { localDate, localTime, STOCKHOLM } from '../../../src-main/domain/time.ts';

const spec = (over: Partial<TemplateSpec> = {}): TemplateSpec => ({
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  everyNWeeks: 1,
  validFrom: '2026-01-01',
  validTo: null,
  startTime: '08:00',
  endTime: '12:00',
  slotMin: 20,
  skipHolidays: true,
  ...over,
});

const wallClock = (date: string, s: TemplateSpec = spec()) =>
  expandTemplate(s, date, nextDay(date), STOCKHOLM, {}).slots.map((x) => `${localTime(x.startAt)}-${localTime(x.endAt)}`);
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('expandTemplate across DST', () => {
  const ordinary = wallClock('2026-03-22');

  it.each(['2026-03-29', '2026-10-25'])('gives %s (a DST Sunday) the same wall-clock slots as any other day', (date) => {
    expect(ordinary).toHaveLength(12);
    expect(ordinary[0]).toBe('08:00-08:20');
    expect(ordinary.at(-1)).toBe('11:40-12:00');
    expect(wallClock(date)).toEqual(ordinary);
    // Every slot is exactly 20 real minutes long, and starts on the local date asked for.
    for (const s of expandTemplate(spec(), date, nextDay(date), STOCKHOLM, {}).slots) {
      expect(s.endAt - s.startAt).toBe(20 * 60_000);
      expect(localDate(s.startAt)).toBe(date);
    }
  });

  it('stores the instants in UTC: 08:00 is 07:00Z in winter and 06:00Z in summer', () => {
    const [winter] = expandTemplate(spec(), '2026-03-28', '2026-03-29', STOCKHOLM, {}).slots;
    const [summer] = expandTemplate(spec(), '2026-03-29', '2026-03-30', STOCKHOLM, {}).slots;
    expect(new Date(winter!.startAt).toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(new Date(summer!.startAt).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    const [autumn] = expandTemplate(spec(), '2026-10-25', '2026-10-26', STOCKHOLM, {}).slots;
    expect(new Date(autumn!.startAt).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('keeps each instant once in a night window across the clock change', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      const slots = expandTemplate(
        spec({ startTime: '01:00', endTime: '04:00', slotMin: 30 }),
        date,
        nextDay(date),
        STOCKHOLM,
        {},
      ).slots;
      const starts = slots.map((s) => s.startAt);
      expect(new Set(starts).size).toBe(starts.length);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      for (const s of slots) expect(s.endAt).toBeGreaterThan(s.startAt);
    }
  });
});

describe('holidays', () => {
  const weekdaysOf = (year: number) => spec({ weekdays: [1, 2, 3, 4, 5], validFrom: `${year}-01-01` });

  it.each([
    [
      2026,
      [
        '2026-01-01',
        '2026-01-06',
        '2026-04-03',
        '2026-04-06',
        '2026-05-01',
        '2026-05-14',
        '2026-06-19',
        '2026-12-24',
        '2026-12-25',
        '2026-12-31',
      ],
    ],
    [2027, ['2027-01-01', '2027-01-06', '2027-03-26', '2027-03-29', '2027-05-06', '2027-06-25', '2027-12-24', '2027-12-31']],
  ])('skips the weekday holidays and eves of %i', (year, expected) => {
    const { slots, skipped } = expandTemplate(weekdaysOf(year), `${year}-01-01`, `${year + 1}-01-01`, STOCKHOLM, {});
    expect(skipped.map((s) => s.date)).toEqual(expected);
    const dates = new Set(slots.map((s) => localDate(s.startAt)));
    for (const d of expected) expect(dates.has(d)).toBe(false);
    expect(dates.has(`${year}-06-18`) || dates.has(`${year}-06-24`)).toBe(true);
  });

  it('opens an eve when the unit says so, and never a public holiday', () => {
    const rules = { julafton: false, nyarsafton: false, midsommarafton: false };
    const { skipped } = expandTemplate(weekdaysOf(2026), '2026-06-01', '2027-01-01', STOCKHOLM, rules);
    expect(skipped.map((s) => s.date)).toEqual(['2026-12-25']);
    expect(closedDayName('2027-06-25', { midsommarafton: false })).toBeNull();
    expect(closedDayName('2027-06-25', {})).toBe('midsommarafton');
    expect(closedDayName('2027-12-24', { nyarsafton: false })).toBe('julafton');
    expect(closedDayName('2027-06-06', { julafton: false })).toBe('nationaldagen');
  });

  it('comes from the library for any year, with the eves marked', () => {
    const h2027 = holidaysOfYear(2027);
    expect(h2027.find((h) => h.date === '2027-03-28')?.name).toBe('påskdagen');
    expect(h2027.filter((h) => h.eve).map((h) => h.date)).toEqual(['2027-06-25', '2027-12-24', '2027-12-31']);
  });

  it('can be told not to skip holidays', () => {
    const { slots, skipped } = expandTemplate(spec({ skipHolidays: false }), '2026-12-24', '2026-12-25', STOCKHOLM, {});
    expect(skipped).toEqual([]);
    expect(slots).toHaveLength(12);
  });
});

describe('week rhythm and validity', () => {
  it('runs every second week counted from the week of valid_from, within valid_to', () => {
    const s = spec({ weekdays: [1], everyNWeeks: 2, validFrom: '2026-11-04', validTo: '2026-12-14' });
    const dates = [
      ...new Set(expandTemplate(s, '2026-11-01', '2027-01-01', STOCKHOLM, {}).slots.map((x) => localDate(x.startAt))),
    ];
    expect(dates).toEqual(['2026-11-16', '2026-11-30', '2026-12-14']);
  });

  it('names what is wrong with a template', () => {
    expect(templateProblem(spec({ startTime: '12:00', endTime: '08:00' }))).toMatch(/Sluttiden/);
    expect(templateProblem(spec({ slotMin: 300 }))).toMatch(/kortare/);
    expect(templateProblem(spec())).toBeNull();
  });
});
