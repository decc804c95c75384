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

/** A FullCalendar Date (UTC-coerced wall clock) -> the real instant. */
export function fromWallDate(date: Date, tz: string = UNIT_TZ): number {
  return new TZDate(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    0,
    0,
    tz,
  ).getTime();
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

export function formatLongDate(date: string, lang: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}
