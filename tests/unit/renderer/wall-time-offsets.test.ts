// The new-slot form asks which pass is meant only for a time the autumn clock shows twice: the
// renderer's own reading of the unit's clock (it may not import main's domain), checked by hand.
import { describe, expect, it } from 'vitest';
import { wallTimeOffsets } from '../../../src-renderer/calendar/wallclock.ts';

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
