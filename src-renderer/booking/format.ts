// How times and people read in the booking screens (Swedish month names stay lower-case).
import type { PatientSummary } from '../../src-main/api/types.ts';
import { endHhmm, hhmm, wallParts } from '../calendar/wallclock.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "tors 26 nov." (with the year: "tors 26 nov. 2026"). Formatters are kept: the week view names every slot's day. */
export function formatDay(date: string, lang: string, withYear = false): string {
  const key = `${lang}|${String(withYear)}`;
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
    dayFormats.set(key, f);
  }
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}

/** "mån 23 nov 08:30" on the unit's wall clock. */
export function formatStart(startAt: number, lang: string, withYear = false): string {
  const s = wallParts(startAt);
  return `${formatDay(s.date, lang, withYear)} ${hhmm(s.minutes)}`;
}

/** "mån 23 nov 08:30–09:00" on the unit's wall clock. */
export function formatSpan(startAt: number, endAt: number, lang: string, withYear = false): string {
  const s = wallParts(startAt);
  return `${formatDay(s.date, lang, withYear)} ${hhmm(s.minutes)}–${endHhmm(startAt, endAt)}`;
}

/**
 * A period that may cover days, as an absence: whole days read as dates ("mån 30 nov. 2026",
 * "mån 21 dec. 2026 – fre 1 jan. 2027"), never as "00:00–00:00"; a part of one day as a span;
 * otherwise both ends with their dates. An end at a midnight reads 24:00 of the day it ends
 * ("tis 1 dec. 2026 13:00–24:00"), as the form takes it, not 00:00 of the next.
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
  return `${formatStart(startAt, lang, true)} – ${formatDay(last, lang, true)} ${end}`;
}

/** 12 digits -> "ÅÅÅÅMMDD-NNNN", the form staff read aloud. */
export function formatIdentity(value: string): string {
  return /^\d{12}$/.test(value) ? `${value.slice(0, 8)}-${value.slice(8)}` : value;
}

export function patientLabel(p: PatientSummary, protectedText: string): string {
  // The identity number of a protected patient reaches only roles that need it (else it is empty).
  if (!p.protectedIdentity) return p.displayName;
  return p.identityNumber ? `${protectedText} (${formatIdentity(p.identityNumber)})` : protectedText;
}
