// Days a unit is closed: Swedish public holidays from date-holidays (a maintained library, not a
// hand-written table), plus the eves (julafton, nyårsafton, midsommarafton) that are not public
// holidays by law but on which most units close; each is configurable per unit. Påskafton and
// pingstafton stay open: always Saturdays, which no law treats as holidays (semesterlagen names
// only midsommar-, jul- and nyårsafton), so only a unit with Saturday hours meets them, and a
// helgmottagning works them. The library's other days (observances, the half-day eves such as
// valborgsmässoafton, annandag pingst since 2005) are working days.
import Holidays from 'date-holidays';
import type { IsoDate } from './time.ts';

export type Eve = 'julafton' | 'nyarsafton' | 'midsommarafton';
export const EVES: readonly Eve[] = ['julafton', 'nyarsafton', 'midsommarafton'];

/** Per unit: which eves count as closed. Missing = closed (the common case). */
export type HolidayRules = Partial<Record<Eve, boolean>>;

const EVE_BY_NAME: Record<string, Eve> = { julafton: 'julafton', nyårsafton: 'nyarsafton', midsommarafton: 'midsommarafton' };

const se = new Holidays('SE', { languages: ['sv'] });
const byYear = new Map<number, Map<IsoDate, { name: string; eve: Eve | null }>>();

function holidaysOf(year: number): Map<IsoDate, { name: string; eve: Eve | null }> {
  let map = byYear.get(year);
  if (!map) {
    map = new Map();
    for (const h of se.getHolidays(year)) {
      const date = h.date.slice(0, 10);
      const eve = EVE_BY_NAME[h.name] ?? null;
      if (h.type === 'public' || eve) map.set(date, { name: h.name, eve });
    }
    byYear.set(year, map);
  }
  return map;
}

/** The holiday's Swedish name if the unit is closed on `date`, else null. */
export function closedDayName(date: IsoDate, rules: HolidayRules = {}): string | null {
  const h = holidaysOf(Number(date.slice(0, 4))).get(date);
  if (!h) return null;
  if (h.eve && rules[h.eve] === false) return null;
  return h.name;
}

/** Every public holiday and eve of a year, for previews and the scheduler's calendar. */
export function holidaysOfYear(year: number): { date: IsoDate; name: string; eve: Eve | null }[] {
  return [...holidaysOf(year)].map(([date, h]) => ({ date, ...h })).sort((a, b) => a.date.localeCompare(b.date));
}
