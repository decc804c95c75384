// Wall clock <-> instant for the unit's time zone (Europe/Stockholm), DST-correct.
// Dates are 'YYYY-MM-DD' and times 'HH:mm' on the unit's wall clock; instants are epoch ms UTC.
// Pure: no I/O, no reading of the system clock (callers pass `now`).
import { TZDate, tzOffset } from '@date-fns/tz';

export const STOCKHOLM = 'Europe/Stockholm';

export type IsoDate = string; // 'YYYY-MM-DD'
export type WallTime = string; // 'HH:mm'

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** An end time may also be 24:00: the next local midnight (an evening until midnight, a 24-hour unit). */
const END_TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
export const END_OF_DAY: WallTime = '24:00';

export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function isWallTime(s: string): boolean {
  return TIME_RE.test(s);
}

/** A start time (00:00–23:59) or 24:00, which only ends a day. */
export function isEndWallTime(s: string): boolean {
  return END_TIME_RE.test(s);
}

/** A UTC offset as the api and the CLI take it: '+02:00' (sign, hours 00–14, minutes). */
export function isUtcOffset(s: string): boolean {
  return /^[+-](?:0\d|1[0-4]):[0-5]\d$/.test(s);
}

/** How a UTC offset is written, said alike by the api and the CLI after the field's or option's name. */
export const UTC_OFFSET_FORM = 'ska skrivas +TT:MM, t.ex. +02:00 (sommartid) eller +01:00 (vintertid)';

export function parseIsoDate(s: IsoDate): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(s);
  if (!m || !isIsoDate(s)) throw new RangeError(`Not a valid date: ${s}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** 'HH:mm', or 24:00 (hour 24): callers that take start times refuse it before (isWallTime). */
export function parseWallTime(s: WallTime): { hour: number; minute: number } {
  const m = END_TIME_RE.exec(s);
  if (!m) throw new RangeError(`Not a valid time: ${s}`);
  return m[3] ? { hour: 24, minute: 0 } : { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The instant at which the wall clock in `tz` shows `date` `time` (minutes past midnight allowed).
 * A time shown twice (the autumn hour) gives the second, standard-time instant; a time the clock
 * skips (the spring hour) gives the instant the offset before the change would name (02:30 ->
 * 03:30 summer time). Worked out from the zone's offsets alone: TZDate's constructor answers
 * those two hours differently depending on the computer's own time zone (date-fns/tz issues 25,
 * 40), which would give a Swedish desk other slot instants than a server in UTC.
 */
export function wallClockToInstant(date: IsoDate, minutesOfDay: number, tz: string = STOCKHOLM): number {
  // Memoised: expanding a year for 60 clinicians asks for the same few (date, time) pairs tens of
  // thousands of times, and each answer costs time-zone database lookups.
  const key = `${tz} ${date} ${minutesOfDay}`;
  let at = instants.get(key);
  if (at === undefined) {
    const { year, month, day } = parseIsoDate(date);
    const asUtc = Date.UTC(year, month - 1, day, 0, minutesOfDay);
    // The offsets a day either side bracket the one change a date can have (changes are months apart).
    const before = tzOffset(tz, new Date(asUtc - 86_400_000));
    const after = tzOffset(tz, new Date(asUtc + 86_400_000));
    const shows = (offset: number) => tzOffset(tz, new Date(asUtc - offset * 60_000)) === offset;
    // The smaller offset is the later instant: tried first, so a time shown twice gives the later.
    const offset = before === after ? before : ([after, before].sort((x, y) => x - y).find(shows) ?? before);
    at = asUtc - offset * 60_000;
    if (instants.size >= 50_000) instants.clear();
    instants.set(key, at);
  }
  return at;
}

const instants = new Map<string, number>();

/**
 * Whether the wall clock in `tz` shows `date` `minutesOfDay` at all: false inside the hour the
 * clock skips when summer time begins (02:00–02:59 on the last Sunday of March in Stockholm).
 */
export function wallTimeExists(date: IsoDate, minutesOfDay: number, tz: string = STOCKHOLM): boolean {
  const at = wallClockToInstant(date, minutesOfDay, tz);
  return localDate(at, tz) === date && localTime(at, tz) === minutesToWallTime(minutesOfDay);
}

/**
 * The first instant after `after` at which the wall clock in `tz` shows `date` `minutesOfDay`: in
 * the doubled autumn hour "until 02:00" after 01:30 means the first 02:00 (summer time), half an
 * hour later, not the second. Falls back to wallClockToInstant when no such instant follows.
 */
export function wallClockInstantAfter(date: IsoDate, minutesOfDay: number, after: number, tz: string = STOCKHOLM): number {
  const at = wallClockToInstant(date, minutesOfDay, tz);
  const earlier = at - 3_600_000;
  const shows = localDate(earlier, tz) === date && localTime(earlier, tz) === minutesToWallTime(minutesOfDay);
  return shows && earlier > after ? earlier : at;
}

/** Staff's Swedish sentence for a wall-clock time the clock skips on `date`, or null when it exists. */
export function missingWallTimeProblem(date: IsoDate, time: WallTime, tz: string = STOCKHOLM): string | null {
  const min = wallTimeToMinutes(time);
  // 24:00 is the next day's 00:00.
  if (min >= 24 * 60 ? wallTimeExists(addDays(date, 1), min - 24 * 60, tz) : wallTimeExists(date, min, tz)) return null;
  return `Klockan ${time} finns inte ${date}: klockan ställs fram en timme när sommartiden börjar. Välj en annan tid.`;
}

/** '+02:00' for 120 minutes east of UTC. */
export function formatUtcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The UTC offsets at which the wall clock in `tz` shows `date` `minutesOfDay`, earlier instant
 * first: none in the skipped spring hour, two in the doubled autumn hour ('+02:00' summer time,
 * then '+01:00' standard time), one otherwise.
 */
export function wallTimeOffsets(date: IsoDate, minutesOfDay: number, tz: string = STOCKHOLM): string[] {
  if (!wallTimeExists(date, minutesOfDay, tz)) return [];
  const at = wallClockToInstant(date, minutesOfDay, tz);
  const earlier = at - 3_600_000;
  const shownTwice = localDate(earlier, tz) === date && localTime(earlier, tz) === minutesToWallTime(minutesOfDay);
  return (shownTwice ? [earlier, at] : [at]).map((i) => formatUtcOffset(tzOffset(tz, new Date(i))));
}

/**
 * Staff's words for which pass of the doubled autumn hour an instant lies in ('sommartid, första
 * gången' / 'vintertid, andra gången'), or null when its wall-clock time is shown once.
 */
export function doubledHourPass(instant: number, tz: string = STOCKHOLM): string | null {
  const date = localDate(instant, tz);
  const offsets = wallTimeOffsets(date, wallTimeToMinutes(localTime(instant, tz)), tz);
  if (offsets.length < 2) return null;
  return formatUtcOffset(tzOffset(tz, new Date(instant))) === offsets[0] ? 'sommartid, första gången' : 'vintertid, andra gången';
}

/**
 * The instant `date` `time` at UTC offset `utcOffset` ('+02:00'), or staff's Swedish sentence why
 * not: the offset is only named for a time the clock shows twice (the autumn hour), and must be
 * one of that time's two.
 */
export function wallClockAtOffset(
  date: IsoDate,
  time: WallTime,
  utcOffset: string,
  tz: string = STOCKHOLM,
): { at: number } | { problem: string } {
  const minutes = wallTimeToMinutes(time);
  const offsets = wallTimeOffsets(date, minutes, tz);
  if (offsets.length < 2)
    return {
      problem:
        `Klockan ${time} visas bara en gång ${date}: sommartid eller vintertid (UTC ${utcOffset}) väljs bara ` +
        'för en tid i timmen 02:00–02:59 natten då vintertiden börjar, som visas två gånger.',
    };
  if (!offsets.includes(utcOffset))
    return {
      problem:
        `Klockan ${time} ${date} är UTC ${offsets[0]} (sommartid, första gången) eller ${offsets[1]} ` +
        `(vintertid, andra gången), inte ${utcOffset}.`,
    };
  const at = wallClockToInstant(date, minutes, tz);
  return { at: utcOffset === offsets[0] ? at - 3_600_000 : at };
}

/** Why 24:00 is refused as a start time (it ends a day; the next one starts 00:00). */
export const START_AT_END_OF_DAY =
  'En tid kan inte börja 24:00: 24:00 är dygnets slut och kan bara vara en sluttid. Det nya dygnet börjar 00:00.';

/** A slot is at most 8 real hours long (services/slots.ts; overlap queries rely on it). */
export const MAX_SLOT_MINUTES = 480;

/**
 * Staff's Swedish sentence when a slot's wall-clock end is not after its start, or null. A slot
 * lies within one day (starts 00:00–23:59, ends at the latest 24:00, the next midnight), so an end that reads earlier than the start, when the
 * two would be at most 8 hours apart across midnight, is a night time: it is named as such. The one
 * exception is the night the clock is set back: with both times in the doubled hour, 02:40–02:10
 * is 02:40 summer time to 02:10 standard time, 30 real minutes (which pass each is: services/slots.ts).
 */
export function slotTimesProblem(date: IsoDate, startTime: WallTime, endTime: WallTime, tz: string = STOCKHOLM): string | null {
  if (startTime === END_OF_DAY) return START_AT_END_OF_DAY;
  const start = wallTimeToMinutes(startTime);
  const end = wallTimeToMinutes(endTime);
  if (end > start) return null;
  if (end < 24 * 60 && wallTimeOffsets(date, start, tz).length === 2 && wallTimeOffsets(date, end, tz).length === 2) return null;
  if (end === start || end + 24 * 60 - start > MAX_SLOT_MINUTES) return 'Sluttiden måste vara efter starttiden.';
  const why = `En tid kan inte gå över midnatt (${startTime}–${endTime} slutar nästa dygn).`;
  if (end === 0) return `${why} En tid som slutar vid midnatt skrivs ${startTime}–24:00.`;
  return `${why} Lägg två tider: en som slutar senast 24:00 den ${date} och en som börjar 00:00 den ${addDays(date, 1)}.`;
}

export function wallTimeToMinutes(t: WallTime): number {
  const { hour, minute } = parseWallTime(t);
  return hour * 60 + minute;
}

export function minutesToWallTime(min: number): WallTime {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/**
 * The wall-clock end of a time that starts at `startAt`: '24:00' for one ending at the next local
 * midnight (an evening until midnight reads 23:00–24:00, not 23:00–00:00).
 */
export function localEndTime(startAt: number, endAt: number, tz: string = STOCKHOLM): WallTime {
  const time = localTime(endAt, tz);
  return time === '00:00' && localDate(endAt, tz) !== localDate(startAt, tz) ? END_OF_DAY : time;
}

/**
 * A period on the wall clock (an absence): from `from` `fromTime` (default 00:00) to `to` `toTime`
 * (default 24:00, the end of day `to`) as instants, or staff's Swedish sentence why not. 24:00 is
 * the next local midnight, so "to 24:00" and a whole last day are one instant (no gap, no overlap
 * with the next day's absence). A start in the autumn's doubled hour is its first pass, an end its
 * second: the period holds every moment the clock reads inside it.
 */
export function wallPeriod(
  p: { from: IsoDate; fromTime?: WallTime | undefined; to: IsoDate; toTime?: WallTime | undefined },
  tz: string = STOCKHOLM,
): { startAt: number; endAt: number } | { problem: string } {
  if (p.fromTime === END_OF_DAY) return { problem: START_AT_END_OF_DAY };
  const fromTime = p.fromTime ?? '00:00';
  const toTime = p.toTime ?? END_OF_DAY;
  const problem = missingWallTimeProblem(p.from, fromTime, tz) ?? missingWallTimeProblem(p.to, toTime, tz);
  if (problem) return { problem };
  // A time the autumn clock shows twice starts the period at its first pass (and ends it at its
  // second, wallClockToInstant's): every moment the clock reads inside the period is in it, so a
  // slot at 02:40 sommartid is blocked by an absence "from 02:30" like the one at 02:40 vintertid.
  const fromMin = wallTimeToMinutes(fromTime);
  const shownTwice = wallTimeOffsets(p.from, fromMin, tz).length === 2;
  const startAt = wallClockToInstant(p.from, fromMin, tz) - (shownTwice ? 3_600_000 : 0);
  const endAt = wallClockToInstant(p.to, wallTimeToMinutes(toTime), tz);
  // Judged on the wall too: 02:30–02:15 that night would be 45 real minutes, but reads backwards.
  const backwards = p.from === p.to && toTime !== END_OF_DAY && wallTimeToMinutes(toTime) <= fromMin;
  if (endAt > startAt && !backwards) return { startAt, endAt };
  const why = 'Frånvaron måste sluta efter att den börjar.';
  return {
    problem: p.from === p.to && toTime === '00:00' ? `${why} En frånvaro som slutar vid midnatt skrivs till 24:00.` : why,
  };
}

/** A period's end as staff read it: at a local midnight, 24:00 of the day before (the day it ends). */
export function periodEndParts(endAt: number, tz: string = STOCKHOLM): { date: IsoDate; time: WallTime } {
  const time = localTime(endAt, tz);
  return time === '00:00' ? { date: localDate(endAt - 1, tz), time: END_OF_DAY } : { date: localDate(endAt, tz), time };
}

/** Midnight at the start of `date` in `tz`. */
export function startOfLocalDay(date: IsoDate, tz: string = STOCKHOLM): number {
  return wallClockToInstant(date, 0, tz);
}

/** The local calendar date of an instant. */
export function localDate(instant: number, tz: string = STOCKHOLM): IsoDate {
  const d = new TZDate(instant, tz);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local wall-clock time of an instant. */
export function localTime(instant: number, tz: string = STOCKHOLM): WallTime {
  const d = new TZDate(instant, tz);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Calendar arithmetic on dates (no time zone involved). */
export function addDays(date: IsoDate, n: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const dt = new Date(Date.UTC(year, month - 1, day + n));
  return dt.toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const wd = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * The instant `days` calendar days after `instant` at the same wall-clock time: "a week later" as
 * staff read it, which is 7 × 24 h plus or minus the hour when the clock moves in between.
 */
export function sameWallClockDaysLater(instant: number, days: number, tz: string = STOCKHOLM): number {
  return wallClockToInstant(addDays(localDate(instant, tz), days), wallTimeToMinutes(localTime(instant, tz)), tz);
}

/** Monday of the ISO week containing `date`. */
export function startOfIsoWeek(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date));
}

/** Local dates from `from` (inclusive) to `to` (exclusive). */
export function* eachDate(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  for (let d = from; d < to; d = addDays(d, 1)) yield d;
}
