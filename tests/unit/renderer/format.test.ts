// One form per kind on every screen (src-renderer/i18n/format.ts): a day without the short
// month's full stop, spans with an unspaced en dash, periods with a spaced one, numbers with a
// decimal comma and a non-breaking space before "%" and between thousands; en-GB in English.
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateRange,
  formatDateTime,
  formatDay,
  formatGridDay,
  formatLongDate,
  formatNumber,
  formatPercent,
  formatSpan,
  formatStamp,
  formatStart,
  formatTimeSpan,
} from '../../../src-renderer/i18n/format.ts';

const at = (iso: string) => Date.parse(iso);
const NBSP = '\u00a0';

describe('dates', () => {
  it.each([
    ['sv', false, 'mån 23 nov'],
    ['sv', true, 'mån 23 nov 2026'],
    ['en', false, 'Mon 23 Nov'],
    ['en', true, 'Mon 23 Nov 2026'],
  ] as const)('a day with its weekday (%s, year %s): %s', (lang, withYear, expected) => {
    expect(formatDay('2026-11-23', lang, withYear)).toBe(expected);
  });

  it('writes the week grid header numerically, where a month name does not fit', () => {
    expect(formatGridDay('2026-11-23', 'sv')).toBe('mån 23/11');
    expect(formatGridDay('2026-11-26', 'en')).toBe('Thu 26/11');
  });

  it('writes every Swedish month without a full stop', () => {
    const months = Array.from({ length: 12 }, (_, m) => formatDate(`2027-${String(m + 1).padStart(2, '0')}-01`, 'sv'));
    expect(months).toEqual([
      '1 jan',
      '1 feb',
      '1 mars',
      '1 apr',
      '1 maj',
      '1 juni',
      '1 juli',
      '1 aug',
      '1 sep',
      '1 okt',
      '1 nov',
      '1 dec',
    ]);
    expect(formatDate('2026-12-28', 'sv', true)).toBe('28 dec 2026');
    expect(formatDate('2026-12-28', 'en', true)).toBe('28 Dec 2026');
  });

  it('names a heading day in full', () => {
    expect(formatLongDate('2026-11-23', 'sv')).toBe('måndag 23 november 2026');
    expect(formatLongDate('2026-11-23', 'en')).toBe('Monday 23 November 2026');
  });

  it('writes a range of dates with a spaced en dash', () => {
    expect(formatDateRange('2026-11-30', '2026-12-18', 'sv')).toBe('30 nov – 18 dec');
    expect(formatDateRange('2026-12-28', '2027-01-03', 'en', true)).toBe('28 Dec 2026 – 3 Jan 2027');
  });
});

describe('times on the unit wall clock', () => {
  const start = at('2026-11-23T08:30:00+01:00');
  const end = at('2026-11-23T09:00:00+01:00');

  it('writes a span with an unspaced en dash, leading zeros and 24:00 for midnight', () => {
    expect(formatTimeSpan(start, end)).toBe('08:30–09:00');
    expect(formatTimeSpan(at('2026-11-23T23:30:00+01:00'), at('2026-11-24T00:00:00+01:00'))).toBe('23:30–24:00');
  });

  it('puts the day before the time', () => {
    expect(formatStart(start, 'sv')).toBe('mån 23 nov 08:30');
    expect(formatSpan(start, end, 'sv', true)).toBe('mån 23 nov 2026 08:30–09:00');
    expect(formatSpan(start, end, 'en')).toBe('Mon 23 Nov 08:30–09:00');
    expect(formatDateTime(at('2026-11-24T14:00:00+01:00'), 'sv')).toBe('24 nov 14:00');
  });

  it('stamps a log line to the second, in ISO order, in the zone asked for', () => {
    expect(formatStamp(at('2026-11-23T09:10:05+01:00'), 'Europe/Stockholm')).toBe('2026-11-23 09:10:05');
    expect(formatStamp(at('2026-07-01T09:10:05+02:00'), 'Europe/Stockholm')).toBe('2026-07-01 09:10:05');
  });
});

describe('numbers', () => {
  it('uses a decimal comma and non-breaking spaces in Swedish', () => {
    expect(formatNumber(12345.67, 'sv')).toBe(`12${NBSP}345,7`);
    expect(formatPercent(0.125, 'sv')).toBe(`12,5${NBSP}%`);
    expect(formatPercent(1, 'sv')).toBe(`100${NBSP}%`);
  });

  it('uses en-GB forms in English', () => {
    expect(formatNumber(12345.67, 'en')).toBe('12,345.7');
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
  });
});
