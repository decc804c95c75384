// Schedule templates -> slots. Pure: the same template and range always give the same slots,
// which is what makes expansion idempotent once the store ignores (resource, start) it has.
import {
  addDays,
  daysBetween,
  eachDate,
  isoWeekday,
  startOfIsoWeek,
  wallClockToInstant,
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

/** Whether the template's week-rhythm includes the week of `date` (weeks counted from valid_from's week). */
export function templateRunsOn(spec: TemplateSpec, date: IsoDate): boolean {
  if (date < spec.validFrom || (spec.validTo !== null && date > spec.validTo)) return false;
  if (!spec.weekdays.includes(isoWeekday(date))) return false;
  const weeks = Math.floor(daysBetween(startOfIsoWeek(spec.validFrom), startOfIsoWeek(date)) / 7);
  return weeks % spec.everyNWeeks === 0;
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
  for (const date of eachDate(first, last)) {
    if (!templateRunsOn(spec, date)) continue;
    if (spec.skipHolidays) {
      const holiday = closedDayName(date, holidayRules);
      if (holiday) {
        skipped.push({ date, holiday });
        continue;
      }
    }
    for (let m = start; m + spec.slotMin <= end; m += spec.slotMin) {
      slots.push({ date, startAt: wallClockToInstant(date, m, tz), endAt: wallClockToInstant(date, m + spec.slotMin, tz) });
    }
  }
  return { slots, skipped };
}
