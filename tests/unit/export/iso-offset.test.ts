// The export clock's instant texts: every minute of both 2026 DST Sundays (and the days around
// them) written with its offset must parse back to the same instant, and the doubled autumn hour
// must name its two passes, checked against the platform's tz database through Intl.
import { describe, expect, it } from 'vitest';
import { localClock } from '../../../src-main/export/local-clock.ts';

const TZ = 'Europe/Stockholm';
const MINUTE = 60_000;
const offsetName = new Intl.DateTimeFormat('en', { timeZone: TZ, timeZoneName: 'longOffset' });

describe('localClock.isoOffset and doubledHourPass', () => {
  it('round-trips every minute of the DST weekends and agrees with Intl on the offset', () => {
    const clock = localClock(TZ);
    for (const day of ['2026-03-28T00:00:00Z', '2026-10-24T00:00:00Z']) {
      const from = Date.parse(day);
      for (let at = from; at < from + 3 * 1440 * MINUTE; at += MINUTE) {
        const iso = clock.isoOffset(at);
        expect(Date.parse(iso), iso).toBe(at);
        expect(iso.slice(0, 16)).toBe(clock.isoLocal(at));
        const gmt = offsetName.formatToParts(at).find((p) => p.type === 'timeZoneName')!.value; // 'GMT+02:00'
        expect(iso.slice(19)).toBe(gmt.slice(3));
      }
    }
  });

  it('keeps the seconds of an instant (a booking made at 02:05:42)', () => {
    expect(localClock(TZ).isoOffset(Date.parse('2026-10-25T00:05:42.900Z'))).toBe('2026-10-25T02:05:42+02:00');
  });

  it('names the two passes of 02:00–02:59 on 2026-10-25 and nothing else', () => {
    const clock = localClock(TZ);
    expect(clock.doubledHourPass(Date.parse('2026-10-25T02:20:00+02:00'))).toBe('summer');
    expect(clock.doubledHourPass(Date.parse('2026-10-25T02:20:00+01:00'))).toBe('winter');
    expect(clock.doubledHourPass(Date.parse('2026-10-25T02:00:00+02:00'))).toBe('summer');
    expect(clock.doubledHourPass(Date.parse('2026-10-25T02:59:00+01:00'))).toBe('winter');
    expect(clock.doubledHourPass(Date.parse('2026-10-25T01:59:00+02:00'))).toBeNull();
    expect(clock.doubledHourPass(Date.parse('2026-10-25T03:00:00+01:00'))).toBeNull();
    expect(clock.doubledHourPass(Date.parse('2026-10-24T02:20:00+02:00'))).toBeNull();
    expect(clock.doubledHourPass(Date.parse('2027-03-28T03:20:00+02:00'))).toBeNull();
    expect(clock.doubledHourPass(Date.parse('2027-10-31T02:20:00+02:00'))).toBe('summer');
  });
});
