// Schedule templates -> slots. Pure: the same template and range always give the same slots,
// which is what makes expansion idempotent once the store ignores (resource, start) it has.
import {
  addDays,
  daysBetween,
  eachDate,
  isoWeekday,
  END_OF_DAY,
  localEndTime,
  localTime,
  minutesToWallTime,
  START_AT_END_OF_DAY,
  startOfIsoWeek,
  wallClockToInstant,
  wallTimeExists,
  wallTimeToMinutes,
  type IsoDate,
  type WallTime,
} from './time.ts';
import { closedDayName, type HolidayRules } from './holidays.ts';

export interface TemplateSpec {
  weekdays: number[]; // ISO 1..7
  everyNWeeks: number;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  startTime: WallTime;
  /** At the latest '24:00': the next local midnight (the day's 23, 24 or 25 real hours on). */
  endTime: WallTime;
  slotMin: number;
  skipHolidays: boolean;
}

export interface PlannedSlot {
  date: IsoDate;
  startAt: number;
  endAt: number;
}

export interface SkippedDay {
  date: IsoDate;
  holiday: string;
}

/** Days since 1970-01-01 of a local date (dates are calendar days: no time zone). */
const dayNumber = (date: IsoDate): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Whether the template's week-rhythm includes the week of `date` (weeks counted from valid_from's week). */
export function templateRunsOn(spec: TemplateSpec, date: IsoDate): boolean {
  if (date < spec.validFrom || (spec.validTo !== null && date > spec.validTo)) return false;
  if (!spec.weekdays.includes(isoWeekday(date))) return false;
  const weeks = Math.floor(daysBetween(startOfIsoWeek(spec.validFrom), startOfIsoWeek(date)) / 7);
  return weeks % spec.everyNWeeks === 0;
}

/**
 * Whether a template with an end date has no day at all on which it runs (none of its weekdays in
 * its weeks falls between valid_from and valid_to): a mistyped date or weekday, as it would never
 * lay out a slot. Holidays do not count: a template may be meant for days the unit later opens.
 */
export function templateNeverRuns(spec: TemplateSpec): boolean {
  if (spec.validTo === null) return false;
  // A run day comes within everyNWeeks + 1 weeks of valid_from when the validity is that long.
  for (const date of eachDate(spec.validFrom, addDays(spec.validTo, 1))) if (templateRunsOn(spec, date)) return false;
  return true;
}

/**
 * Slots the template creates in [from, to) (local dates), plus the days it skipped for holidays.
 * Slot boundaries are wall-clock times, so a DST Sunday gets the same 08:00, 08:20 ... as any day.
 */
export function expandTemplate(
  spec: TemplateSpec,
  from: IsoDate,
  to: IsoDate,
  tz: string,
  holidayRules: HolidayRules,
): { slots: PlannedSlot[]; skipped: SkippedDay[] } {
  const slots: PlannedSlot[] = [];
  const skipped: SkippedDay[] = [];
  const start = wallTimeToMinutes(spec.startTime);
  const end = wallTimeToMinutes(spec.endTime);
  const first = from > spec.validFrom ? from : spec.validFrom;
  const last = spec.validTo !== null && addDays(spec.validTo, 1) < to ? addDays(spec.validTo, 1) : to;
  // Days as numbers (templateRunsOn's rule, without parsing date strings per day and template: a
  // year for 120 templates is 44,000 days).
  const weekdays = new Set(spec.weekdays);
  const weekZero = dayNumber(startOfIsoWeek(spec.validFrom));
  const lastDay = dayNumber(last);
  for (let day = dayNumber(first); day < lastDay; day++) {
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // day 0, 1970-01-01, was a Thursday
    if (!weekdays.has(weekday)) continue;
    if (Math.floor((day - weekZero) / 7) % spec.everyNWeeks !== 0) continue;
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (spec.skipHolidays) {
      const holiday = closedDayName(date, holidayRules);
      if (holiday) {
        skipped.push({ date, holiday });
        continue;
      }
    }
    const count = Math.floor((end - start) / spec.slotMin);
    if (count === 0) continue;
    // Whether the clock moves on this date (a DST Sunday: the day has 23 or 25 hours). Comparing
    // the window's own ends is not enough: an end inside the skipped hour hides the gap.
    const clockMoves = wallClockToInstant(date, 24 * 60, tz) - wallClockToInstant(date, 0, tz) !== 86_400_000;
    if (!clockMoves) {
      // The usual day: the slots are evenly spaced instants, no time-zone lookup per slot.
      const dayStart = wallClockToInstant(date, start, tz);
      for (let i = 0; i < count; i++) {
        const startAt = dayStart + i * spec.slotMin * 60_000;
        slots.push({ date, startAt, endAt: startAt + spec.slotMin * 60_000 });
      }
    } else {
      // A DST Sunday (day-time windows come out as on any day). Slot starts are wall-clock times:
      // a start in the spring-forward gap does not exist that day and is left out (a 02:00–03:00
      // template has no slots then); in the doubled autumn hour each start is taken once, at the
      // instant wallClockToInstant gives. Every slot lasts slotMin real minutes, none overlaps
      // another and none runs past the template's end time.
      // An end time the spring clock skips ("until 02:30") ends the window when the clock jumps
      // past it (03:00 CEST), the first moment it shows that time or later; wallClockToInstant
      // would name 03:30 CEST, later than an end of 03:00 itself.
      let endShown = end;
      while (endShown < 24 * 60 && !wallTimeExists(date, endShown, tz)) endShown++;
      const windowEnd = wallClockToInstant(date, endShown, tz);
      let lastEnd = -Infinity;
      for (let m = start; m + spec.slotMin <= end; m += spec.slotMin) {
        if (!wallTimeExists(date, m, tz)) continue;
        const startAt = wallClockToInstant(date, m, tz);
        const endAt = startAt + spec.slotMin * 60_000;
        if (startAt < lastEnd || endAt > windowEnd) continue;
        slots.push({ date, startAt, endAt });
        lastEnd = endAt;
      }
    }
  }
  return { slots, skipped };
}

export interface ClockChangeDay {
  date: IsoDate;
  /** 'forward': summer time begins, an hour is skipped; 'back': it ends, an hour is shown twice. */
  change: 'forward' | 'back';
  /** The template's slot starts in that hour: left out (forward), or laid out once (back). */
  times: WallTime[];
  /**
   * Forward only, and only when there are some: starts that exist but do not fit once the hour is
   * gone: the slot before runs through the skipped hour into them (01:45 CET by 45 min lasts to
   * 03:30 CEST, so 03:15 is not laid out), or they would end after the template's end time.
   */
  displaced?: WallTime[];
}

/**
 * The template's days in [from, to) on which the clock moves inside its window, with the slot
 * starts that hour touches: what expandTemplate does there (no slot in the skipped hour, one per
 * start in the doubled hour) said to the scheduler instead of left for them to notice. Holidays
 * are not looked at: the caller leaves out the days the expansion skipped as closed.
 */
export function clockChangeDays(spec: TemplateSpec, from: IsoDate, to: IsoDate, tz: string): ClockChangeDay[] {
  const days: ClockChangeDay[] = [];
  const start = wallTimeToMinutes(spec.startTime);
  const end = wallTimeToMinutes(spec.endTime);
  for (const date of eachDate(from, to)) {
    if (!templateRunsOn(spec, date)) continue;
    const dayLength = wallClockToInstant(date, 24 * 60, tz) - wallClockToInstant(date, 0, tz);
    if (dayLength === 86_400_000) continue;
    const change = dayLength < 86_400_000 ? 'forward' : 'back';
    const laid = new Set(
      expandTemplate({ ...spec, skipHolidays: false }, date, addDays(date, 1), tz, {}).slots.map((s) => localTime(s.startAt, tz)),
    );
    const times: WallTime[] = [];
    const displaced: WallTime[] = [];
    for (let m = start; m + spec.slotMin <= end; m += spec.slotMin) {
      const time = minutesToWallTime(m);
      const exists = wallTimeExists(date, m, tz);
      const shownTwice = exists && localTime(wallClockToInstant(date, m, tz) - 3_600_000, tz) === time;
      if (change === 'forward' ? !exists : shownTwice) times.push(time);
      else if (change === 'forward' && !laid.has(time)) displaced.push(time);
    }
    if (times.length || displaced.length) days.push({ date, change, times, ...(displaced.length ? { displaced } : {}) });
  }
  return days;
}

/** A template's slots as the scheduler reads them: local date and wall-clock times. */
export function describePlannedSlots(
  slots: readonly PlannedSlot[],
  tz: string,
): { date: IsoDate; startTime: WallTime; endTime: WallTime; startAt: number; endAt: number }[] {
  return slots.map((s) => ({ ...s, startTime: localTime(s.startAt, tz), endTime: localEndTime(s.startAt, s.endAt, tz) }));
}

/** Why a template spec cannot be used, in Swedish, or null when it is sound. */
export function templateProblem(spec: TemplateSpec): string | null {
  if (spec.startTime === END_OF_DAY) return START_AT_END_OF_DAY;
  const start = wallTimeToMinutes(spec.startTime);
  const end = wallTimeToMinutes(spec.endTime);
  if (end <= start) return 'Sluttiden måste vara efter starttiden.';
  if (spec.slotMin > end - start) return 'Passet är kortare än en tid.';
  if (spec.validTo !== null && spec.validTo < spec.validFrom) return 'Slutdatum måste vara efter startdatum.';
  if (spec.weekdays.length === 0 || spec.weekdays.some((d) => d < 1 || d > 7)) return 'Välj minst en veckodag.';
  return null;
}
