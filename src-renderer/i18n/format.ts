// How dates, times and numbers read on every screen: one form per kind, so that no component
// formats a date by hand. Swedish as Svenska skrivregler (Språkrådet) and 1177 write them,
// compacted as calendars do; English in en-GB order.
//
// - A day: "mån 23 nov", with the year "mån 23 nov 2026" (en "Mon 23 Nov 2026"). Intl's sv-SE
//   short month ends in a full stop ("nov."); we drop it, as tight calendar headers do: the
//   weekday ("mån") already has none, "nov. 08:30" read as a sentence ending mid-line, and the
//   screens had both forms. No comma after the weekday in English either ("Mon 23 Nov").
// - A date without weekday: "23 nov" / "23 nov 2026"; a heading's day in full: "måndag 23 november 2026".
//   One exception, for width: the week grid's column headers, ~76 px a lane at 1366 px, write
//   "mån 23/11" (en "Mon 23/11"), the numeric day/month Svenska skrivregler allow where room is
//   short; "mån 23 nov" there took two lines in some lanes and one in others.
// - A time: "08:30" (24-hour, colon, leading zero; Swedish rules allow "8.30" too, the app and
//   its forms have always used 08:30). A span on one day: en dash without spaces, "08:30–09:00";
//   an end at midnight reads "24:00". A period between two dates: spaced en dash,
//   "mån 21 dec 2026 – fre 1 jan 2027".
// - A time the clock shows twice (02:00–02:59 the night summer time ends) names its pass, as the
//   calendar grid does: "02:40 (sommartid)–02:10 (vintertid)" (en "(summer time)", "(standard time)").
// - A log's time stamp (Åtkomstlogg, Synk): "2026-11-23 09:10:05", the ISO form Språkrådet
//   accepts for all-numeric dates, sortable and the same in both languages.
// - Numbers: decimal comma and a non-breaking space between thousands ("12 345,5") and before
//   the per cent sign ("12,5 %"); English "12,345.5", "12.5%". Intl gives these forms.
// Main's messages (refusals, conflict reasons), the CLI and exports write ISO dates with "kl."
// ("tidigast 2026-11-23 kl. 21:10", domain/time.ts): the form the date fields and the CLI take.
import type { DoubledPass } from '../calendar/model.ts';
import { endHhmm, hhmm, wallParts } from '../calendar/wallclock.ts';
import { en } from './en.ts';
import { sv } from './sv.ts';

const locale = (lang: string) => (lang === 'en' ? 'en-GB' : 'sv-SE');

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Formatters are kept: the week view names every slot's day. */
function dateFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale(lang), { ...options, timeZone: 'UTC' })));
  return f;
}

/** The parts in day–month–year order, joined by single spaces: no "nov.", no "Mon,". */
function dateText(date: string, lang: string, options: Intl.DateTimeFormatOptions): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return dateFormat(lang, options)
    .formatToParts(new Date(Date.UTC(y, m - 1, d)))
    .filter((p) => p.type !== 'literal')
    .map((p) => (p.type === 'month' ? p.value.replace(/\.$/, '') : p.value))
    .join(' ');
}

/** "tors 26 nov" (with the year: "tors 26 nov 2026"); en "Thu 26 Nov". */
export function formatDay(date: string, lang: string, withYear = false): string {
  return dateText(date, lang, { weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
}

/** "mån 23/11" (en "Mon 23/11"): the week grid's column headers only, where a month name does not fit. */
export function formatGridDay(date: string, lang: string): string {
  return dateText(date, lang, { weekday: 'short', day: 'numeric', month: 'numeric' }).replace(/ (\d+)$/, '/$1');
}

/** "28 dec" or "28 dec 2026" (en "28 Dec 2026"): a date without its weekday. */
export function formatDate(date: string, lang: string, withYear = false): string {
  return dateText(date, lang, { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
}

/** "måndag 23 november 2026" (en "Monday 23 November 2026"): a day's heading. */
export function formatLongDate(date: string, lang: string): string {
  return dateText(date, lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/**
 * Which pass of the autumn night's doubled hour an instant's wall time is in, or null for a time
 * the clock shows once: the first (summer time) reads the same date and time an hour later, the
 * second (standard time) an hour earlier. No dates are named: the zone's own offsets say it.
 */
export function doubledHourPass(at: number): DoubledPass | null {
  const own = wallParts(at);
  const same = (other: number) => {
    const o = wallParts(other);
    return o.date === own.date && o.minutes === own.minutes;
  };
  if (same(at + 3_600_000)) return 'summer';
  return same(at - 3_600_000) ? 'winter' : null;
}

/** " (sommartid)" / " (vintertid)" after a time in the doubled hour, in the words the calendar grid uses; else "". */
function passSuffix(at: number, lang: string): string {
  const pass = doubledHourPass(at);
  if (!pass) return '';
  const words = (lang === 'en' ? en : sv).calendar;
  return ` (${pass === 'summer' ? words.passSummer : words.passWinter})`;
}

/** "08:30" on the unit's wall clock; in the doubled autumn hour "02:20 (sommartid)". */
export function formatTime(at: number, lang = 'sv'): string {
  return `${hhmm(wallParts(at).minutes)}${passSuffix(at, lang)}`;
}

/** An end's "09:00"; at the midnight after its start's day, "24:00"; in the doubled hour with its pass. */
export function formatEndTime(startAt: number, endAt: number, lang = 'sv'): string {
  return `${endHhmm(startAt, endAt)}${passSuffix(endAt, lang)}`;
}

/** "08:30–09:00" on the unit's wall clock; an end at midnight is 24:00. */
export function formatTimeSpan(startAt: number, endAt: number, lang = 'sv'): string {
  return `${formatTime(startAt, lang)}–${formatEndTime(startAt, endAt, lang)}`;
}

/** "mån 23 nov 08:30" on the unit's wall clock. */
export function formatStart(startAt: number, lang: string, withYear = false): string {
  return `${formatDay(wallParts(startAt).date, lang, withYear)} ${formatTime(startAt, lang)}`;
}

/** "23 nov 14:00": a compact moment without weekday, where a row stays one line. */
export function formatDateTime(at: number, lang: string): string {
  return `${formatDate(wallParts(at).date, lang)} ${formatTime(at, lang)}`;
}

/** "mån 23 nov 08:30–09:00" on the unit's wall clock. */
export function formatSpan(startAt: number, endAt: number, lang: string, withYear = false): string {
  return `${formatDay(wallParts(startAt).date, lang, withYear)} ${formatTimeSpan(startAt, endAt, lang)}`;
}

/**
 * A period that may cover days, as an absence: whole days read as dates ("mån 30 nov 2026",
 * "mån 21 dec 2026 – fre 1 jan 2027"), never as "00:00–00:00"; a part of one day as a span;
 * otherwise both ends with their dates. An end at a midnight reads 24:00 of the day it ends
 * ("tis 1 dec 2026 13:00–24:00"), as the form takes it, not 00:00 of the next.
 */
export function formatPeriod(startAt: number, endAt: number, lang: string): string {
  const s = wallParts(startAt);
  const e = wallParts(endAt);
  const last = e.minutes === 0 && endAt > startAt ? wallParts(endAt - 1).date : e.date;
  const end = e.minutes === 0 && endAt > startAt ? '24:00' : hhmm(e.minutes);
  if (s.minutes === 0 && end === '24:00') {
    const first = formatDay(s.date, lang, true);
    return last === s.date ? first : `${first} – ${formatDay(last, lang, true)}`;
  }
  if (s.date === last) return formatSpan(startAt, endAt, lang, true);
  return `${formatStart(startAt, lang, true)} – ${formatDay(last, lang, true)} ${end}${passSuffix(endAt, lang)}`;
}

/** "30 nov – 18 dec": a period of dates without weekdays (the years only where they differ from today's view). */
export function formatDateRange(from: string, to: string, lang: string, withYear = false): string {
  return `${formatDate(from, lang, withYear)} – ${formatDate(to, lang, withYear)}`;
}

const stampFormats = new Map<string, Intl.DateTimeFormat>();
/** "2026-11-23 09:10:05" in the given zone: a log's time stamp, to the second. */
export function formatStamp(at: number, timeZone: string): string {
  let f = stampFormats.get(timeZone);
  if (!f) {
    const options = { timeZone, dateStyle: 'short', timeStyle: 'medium' } as const;
    stampFormats.set(timeZone, (f = new Intl.DateTimeFormat('sv-SE', options)));
  }
  return f.format(at);
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, percent: boolean): Intl.NumberFormat {
  const key = `${lang}|${String(percent)}`;
  let f = numberFormats.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions = { maximumFractionDigits: 1, style: percent ? 'percent' : 'decimal' };
    numberFormats.set(key, (f = new Intl.NumberFormat(locale(lang), options)));
  }
  return f;
}

/** "12 345,5" (en "12,345.5"): at most one decimal. */
export function formatNumber(value: number, lang: string): string {
  return numberFormat(lang, false).format(value);
}

/** 0.125 -> "12,5 %" (en "12.5%"). */
export function formatPercent(share: number, lang: string): string {
  return numberFormat(lang, true).format(share);
}
