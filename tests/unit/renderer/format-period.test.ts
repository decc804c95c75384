// An absence's period as the Frånvaro screen reads it: whole days as dates (never "00:00–00:00"),
// a part of a day as a span, several days with both ends; on the unit's wall clock across DST.
import { describe, expect, it } from 'vitest';
import { formatPeriod } from '../../../src-renderer/i18n/format.ts';

const at = (iso: string) => Date.parse(iso);

describe('formatPeriod', () => {
  it.each([
    ['one whole day', '2026-11-30T00:00:00+01:00', '2026-12-01T00:00:00+01:00', 'mån 30 nov 2026'],
    ['whole days across New Year', '2026-12-21T00:00:00+01:00', '2027-01-02T00:00:00+01:00', 'mån 21 dec 2026 – fre 1 jan 2027'],
    // The night the clocks go forward: local midnight of 30 March is 22:00 UTC, not 23:00.
    [
      'whole days across the spring DST change',
      '2027-03-27T00:00:00+01:00',
      '2027-03-30T00:00:00+02:00',
      'lör 27 mars 2027 – mån 29 mars 2027',
    ],
    [
      'whole days across the autumn DST change',
      '2027-10-30T00:00:00+02:00',
      '2027-11-01T00:00:00+01:00',
      'lör 30 okt 2027 – sön 31 okt 2027',
    ],
    ['part of a day', '2026-11-30T08:00:00+01:00', '2026-11-30T12:00:00+01:00', 'mån 30 nov 2026 08:00–12:00'],
    [
      'from a time on one day to a time on another',
      '2026-11-30T13:00:00+01:00',
      '2026-12-02T12:00:00+01:00',
      'mån 30 nov 2026 13:00 – ons 2 dec 2026 12:00',
    ],
    // An end at a midnight reads 24:00 of the day it ends, as the form takes it.
    ['an afternoon until midnight', '2026-12-01T13:00:00+01:00', '2026-12-02T00:00:00+01:00', 'tis 1 dec 2026 13:00–24:00'],
    [
      'from a time on one day to midnight two days later',
      '2026-11-30T13:00:00+01:00',
      '2026-12-03T00:00:00+01:00',
      'mån 30 nov 2026 13:00 – ons 2 dec 2026 24:00',
    ],
    [
      'an evening until midnight on the autumn Sunday',
      '2027-10-31T20:00:00+01:00',
      '2027-11-01T00:00:00+01:00',
      'sön 31 okt 2027 20:00–24:00',
    ],
  ])('%s', (_, from, to, expected) => {
    expect(formatPeriod(at(from), at(to), 'sv')).toBe(expected);
  });

  it('reads in English too', () => {
    expect(formatPeriod(at('2026-12-21T00:00:00+01:00'), at('2026-12-24T00:00:00+01:00'), 'en')).toBe(
      'Mon 21 Dec 2026 – Wed 23 Dec 2026',
    );
  });
});
