// The two pieces of time-zone knowledge the exports carry themselves: the fast wall-clock
// formatter and the VTIMEZONE text. Both are checked hour by hour against the platform's tz
// database (through @date-fns/tz and the domain's time module), across several years.
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { TZDate } from '@date-fns/tz';
import { localClock } from '../../../src-main/export/local-clock.ts';
import { vtimezone } from '../../../src-main/export/ics.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';

const TZ = 'Europe/Stockholm';
const HOUR = 3_600_000;
const from = Date.parse('2025-01-01T00:00:00Z');
const to = Date.parse('2029-01-01T00:00:00Z');

describe('localClock', () => {
  it('agrees with the domain time module every 131 minutes over four years', () => {
    const clock = localClock(TZ);
    for (let at = from; at < to; at += 131 * 60_000) {
      expect(clock.date(at)).toBe(localDate(at, TZ));
      expect(clock.time(at)).toBe(localTime(at, TZ));
    }
  });

  it('shows the wall clock on both sides of the 2026 switches', () => {
    const clock = localClock(TZ);
    expect(clock.isoLocal(Date.parse('2026-03-29T00:59:00Z'))).toBe('2026-03-29T01:59');
    expect(clock.isoLocal(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00');
    expect(clock.isoLocal(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30');
    expect(clock.isoLocal(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30');
    expect(clock.wallDate(Date.parse('2026-10-26T07:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });
});

describe('VTIMEZONE for Europe/Stockholm', () => {
  it('maps every wall-clock hour of four years to the tz database instant (as ical.js reads DTSTART;TZID)', () => {
    const text = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${vtimezone(TZ)!}\r\nEND:VCALENDAR\r\n`;
    const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vtimezone')!);
    const clock = localClock(TZ);
    let checked = 0;
    for (let at = from + HOUR / 2; at < to; at += HOUR) {
      const wall = new TZDate(at, TZ);
      // In the hour the clocks go back a wall time occurs twice: RFC 5545 means the first,
      // ical.js takes the second: the ICS writer puts such times in UTC (ics.ts), so both are skipped.
      const ambiguous = clock.time(at - HOUR) === clock.time(at) || clock.time(at + HOUR) === clock.time(at);
      if (ambiguous) continue;
      const t = ICAL.Time.fromData(
        {
          year: wall.getFullYear(),
          month: wall.getMonth() + 1,
          day: wall.getDate(),
          hour: wall.getHours(),
          minute: wall.getMinutes(),
        },
        zone,
      );
      expect(t.toUnixTime() * 1000, new Date(at).toISOString()).toBe(at);
      checked++;
    }
    expect(checked).toBeGreaterThan(35_000);
  });

  it('is only offered for a zone whose rules it knows', () => {
    expect(vtimezone('Europe/Helsinki')).toBeNull();
  });
});
