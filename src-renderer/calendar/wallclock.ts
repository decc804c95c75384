// FullCalendar runs in 'UTC' mode and is fed Stockholm wall-clock strings without an offset, so
// what it draws is the unit's wall clock whatever the workstation's own time zone is.
import { TZDate } from '@date-fns/tz';

export const UNIT_TZ = 'Europe/Stockholm';

const pad = (n: number) => String(n).padStart(2, '0');

/** Instant -> 'YYYY-MM-DDTHH:mm:ss' on the unit's wall clock. */
export function toWall(instant: number, tz: string = UNIT_TZ): string {
  const d = new TZDate(instant, tz);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
}

/** Today's date on the unit's wall clock. */
export function todayIso(now: number = Date.now(), tz: string = UNIT_TZ): string {
  return toWall(now, tz).slice(0, 10);
}

/** "Now" as FullCalendar should see it (for the now-line). */
export function wallNow(tz: string = UNIT_TZ): Date {
  return new Date(`${toWall(Date.now(), tz)}Z`);
}

export function addDaysIso(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// Offsets change at most twice a year, at night: cache them per UTC hour so placing thousands of
// slots costs a few Intl look-ups, not one per slot.
const offsetCache = new Map<string, Map<number, number>>();
const dateCache = new Map<number, string>();

function offsetMinutes(instant: number, tz: string): number {
  let byHour = offsetCache.get(tz);
  if (!byHour) offsetCache.set(tz, (byHour = new Map()));
  const hour = Math.floor(instant / 3_600_000);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    offset = -new TZDate(hour * 3_600_000, tz).getTimezoneOffset();
    byHour.set(hour, offset);
  }
  return offset;
}

/** Instant -> wall-clock date and minutes since that date's midnight, in the unit's zone. */
export function wallParts(instant: number, tz: string = UNIT_TZ): { date: string; minutes: number } {
  const wall = instant + offsetMinutes(instant, tz) * 60_000;
  const day = Math.floor(wall / 86_400_000);
  let date = dateCache.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    dateCache.set(day, date);
  }
  return { date, minutes: Math.round((wall - day * 86_400_000) / 60_000) };
}

/** 'HH:mm' of a count of minutes since midnight. */
export function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** 'HH:mm' of a time's end: '24:00' when it ends at the next midnight (an evening until midnight). */
export function endHhmm(startAt: number, endAt: number, tz: string = UNIT_TZ): string {
  const end = wallParts(endAt, tz);
  return end.minutes === 0 && end.date !== wallParts(startAt, tz).date ? '24:00' : hhmm(end.minutes);
}

/** ISO weekday 1 (Monday) .. 7 (Sunday) of a date. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Monday of the ISO week holding `date`. */
export function startOfWeekIso(date: string): string {
  return addDaysIso(date, 1 - isoWeekday(date));
}

/**
 * The UTC offsets ('+02:00') at which the unit's clock shows `date` `time`, earlier first: two
 * in the hour the autumn clock shows twice (summer time, then standard time), none in the hour
 * the spring clock skips, one otherwise. The new-slot form asks which is meant when there are two.
 */
export function wallTimeOffsets(date: string, time: string, tz: string = UNIT_TZ): string[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  // A date has at most one change: the offsets a day either side are the only candidates.
  const candidates = [...new Set([offsetMinutes(asUtc - 86_400_000, tz), offsetMinutes(asUtc + 86_400_000, tz)])];
  return candidates
    .filter((off) => offsetMinutes(asUtc - off * 60_000, tz) === off)
    .sort((a, b) => b - a)
    .map((off) => `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`);
}
