// Fast instant -> wall-clock formatting for exports of 100k rows. The zone's offset is looked up
// (with @date-fns/tz) once per UTC week, or per day and hour around a change: DST switches fall
// on whole UTC hours in every zone a Swedish unit uses. Day texts and 'HH:mm' are built
// once each, so formatting a row's instants allocates only the result.
import { TZDate } from '@date-fns/tz';

const HOUR = 3_600_000;

export interface LocalClock {
  /** 'YYYY-MM-DD' on the unit's wall clock. */
  date(instant: number): string;
  /** 'HH:mm' on the unit's wall clock. */
  time(instant: number): string;
  /** ISO 8601 local date-time without offset: 'YYYY-MM-DDTHH:mm'. */
  isoLocal(instant: number): string;
  /**
   * ISO 8601 with seconds and the zone's offset: '2026-10-25T02:20:00+01:00'. The one text that
   * names the instant also in the autumn night's doubled hour, where the wall clock alone does not.
   */
  isoOffset(instant: number): string;
  /**
   * Which pass of the autumn night's doubled hour (02:00–02:59 shown twice) an instant lies on:
   * 'summer' (the first, summer time) or 'winter' (the second); null outside that hour.
   */
  doubledHourPass(instant: number): 'summer' | 'winter' | null;
  /**
   * A Date whose UTC fields show the wall clock: what spreadsheet cells need, since Excel has no
   * time zones and exceljs writes a Date's UTC fields.
   */
  wallDate(instant: number): Date;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 'HH:mm' for each minute of a day: formatting 300k times per export builds no string twice. */
const CLOCK_TIMES = Array.from({ length: 1440 }, (_, m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);

export function localClock(timeZone: string): LocalClock {
  // The offset is looked up for the coarsest UTC span (week, day, hour) whose two ends agree: a
  // zone changes it at most once a week, and on whole UTC hours. A year of rows asks the tz
  // database about a hundred times instead of once per row.
  const zoneOffset = (instant: number) => -new TZDate(instant, timeZone).getTimezoneOffset() * 60_000;
  const spans = [WEEK, DAY, HOUR];
  const known = spans.map(() => new Map<number, number | null>());
  const offsetAt = (instant: number): number => {
    for (let k = 0; ; k++) {
      const span = spans[k]!;
      const n = Math.floor(instant / span);
      let off = known[k]!.get(n);
      if (off === undefined) {
        const start = zoneOffset(n * span);
        off = k === spans.length - 1 || start === zoneOffset((n + 1) * span - 1) ? start : null;
        known[k]!.set(n, off);
      }
      if (off !== null) return off;
    }
  };
  // 'YYYY-MM-DD' per wall-clock day number (days since 1970 on the wall clock), built once each.
  const days = new Map<number, string>();
  const dayText = (day: number): string => {
    let text = days.get(day);
    if (text === undefined) {
      const d = new Date(day * DAY);
      text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      days.set(day, text);
    }
    return text;
  };
  const wallMs = (instant: number) => instant + offsetAt(instant);
  const time = (wall: number) => CLOCK_TIMES[Math.floor(wall / MINUTE) - Math.floor(wall / DAY) * 1440]!;
  return {
    date: (i) => dayText(Math.floor(wallMs(i) / DAY)),
    time: (i) => time(wallMs(i)),
    isoLocal: (i) => {
      const wall = wallMs(i);
      return `${dayText(Math.floor(wall / DAY))}T${time(wall)}`;
    },
    isoOffset: (i) => {
      const off = offsetAt(i);
      const wall = i + off;
      const seconds = Math.floor(wall / 1000) - Math.floor(wall / MINUTE) * 60;
      const abs = Math.abs(off) / MINUTE;
      const sign = off < 0 ? '-' : '+';
      return `${dayText(Math.floor(wall / DAY))}T${time(wall)}:${pad(seconds)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    },
    doubledHourPass: (i) => {
      // The same wall clock an hour earlier or later means the clock went back across this instant.
      const here = time(wallMs(i));
      if (time(wallMs(i - HOUR)) === here) return 'winter';
      if (time(wallMs(i + HOUR)) === here) return 'summer';
      return null;
    },
    wallDate: (i) => new Date(wallMs(i)),
  };
}
