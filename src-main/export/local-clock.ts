// Fast instant -> wall-clock formatting for exports of 100k rows. The zone's offset is looked up
// (with @date-fns/tz) once per UTC hour and cached: DST switches fall on whole UTC hours in every
// zone a Swedish unit uses, so the offset is constant within one.
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
   * A Date whose UTC fields show the wall clock: what spreadsheet cells need, since Excel has no
   * time zones and exceljs writes a Date's UTC fields.
   */
  wallDate(instant: number): Date;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function localClock(timeZone: string): LocalClock {
  const offsets = new Map<number, number>();
  const offsetAt = (instant: number): number => {
    const hour = Math.floor(instant / HOUR);
    let off = offsets.get(hour);
    if (off === undefined) {
      off = -new TZDate(hour * HOUR, timeZone).getTimezoneOffset() * 60_000;
      offsets.set(hour, off);
    }
    return off;
  };
  const wall = (instant: number) => new Date(instant + offsetAt(instant));
  const date = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return {
    date: (i) => date(wall(i)),
    time: (i) => time(wall(i)),
    isoLocal: (i) => {
      const d = wall(i);
      return `${date(d)}T${time(d)}`;
    },
    wallDate: wall,
  };
}
