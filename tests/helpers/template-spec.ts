// A template spec for the domain tests of wall-clock slots (every day 08:00–12:00 by 30 minutes,
// holidays laid out too unless a test says otherwise), and the slots it lays out on one date.
import { expandTemplate, type TemplateSpec } from '../../src-main/domain/templates.ts';
import { addDays, localTime, STOCKHOLM } from '../../src-main/domain/time.ts';

/** A spec builder valid from `validFrom`: each test overrides what it is about. */
export const specFrom =
  (validFrom: string) =>
  (over: Partial<TemplateSpec> = {}): TemplateSpec => ({
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    everyNWeeks: 1,
    validFrom,
    validTo: null,
    startTime: '08:00',
    endTime: '12:00',
    slotMin: 30,
    skipHolidays: false,
    ...over,
  });

/** "HH:mm-HH:mm/real minutes" of the slots a spec lays out on one date. */
export const slotsOn = (s: TemplateSpec, date: string): string[] =>
  expandTemplate(s, date, addDays(date, 1), STOCKHOLM, {}).slots.map(
    (x) => `${localTime(x.startAt)}-${localTime(x.endAt)}/${(x.endAt - x.startAt) / 60_000}`,
  );
