// The renderer's own reading of the unit's clock (it may not import main's domain), checked by
// hand: the new-slot form asks which pass is meant only for a time the autumn clock shows twice,
// and a time ending at the next midnight reads 24:00 in lists and dialogs.
import { describe, expect, it } from 'vitest';
import { endHhmm, wallTimeOffsets } from '../../../src-renderer/calendar/wallclock.ts';

describe('wallTimeOffsets (Europe/Stockholm)', () => {
  it.each([
    ['2026-10-25', '02:00', ['+02:00', '+01:00']],
    ['2026-10-25', '02:59', ['+02:00', '+01:00']],
    ['2027-10-31', '02:20', ['+02:00', '+01:00']],
    ['2026-10-25', '01:59', ['+02:00']],
    ['2026-10-25', '03:00', ['+01:00']],
    ['2026-10-24', '02:20', ['+02:00']],
    ['2026-11-23', '10:00', ['+01:00']],
    ['2026-03-29', '02:20', []],
    ['2026-03-29', '03:00', ['+02:00']],
  ])('%s %s: %j', (date, time, offsets) => {
    expect(wallTimeOffsets(date, time)).toEqual(offsets);
  });
});

describe('endHhmm: an end at the next midnight reads 24:00', () => {
  const at = (iso: string) => Date.parse(iso);
  it.each([
    // The evening before the autumn change (+02:00): 23:00–24:00 is 21:00–22:00Z.
    ['2026-10-24T21:00:00Z', '2026-10-24T22:00:00Z', '24:00'],
    ['2026-10-25T22:00:00Z', '2026-10-25T23:00:00Z', '24:00'],
    ['2026-11-23T22:30:00Z', '2026-11-23T23:00:00Z', '24:00'],
    ['2026-11-23T22:00:00Z', '2026-11-23T22:30:00Z', '23:30'],
    // A time starting at midnight and ending later that night is not the day's end.
    ['2026-11-23T23:00:00Z', '2026-11-23T23:30:00Z', '00:30'],
  ])('%s–%s: %s', (start, end, shown) => {
    expect(endHhmm(at(start), at(end))).toBe(shown);
  });
});
