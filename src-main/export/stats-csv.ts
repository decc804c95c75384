// The statistics as one tidy CSV table (section; measure; group; value), so any CSV reader and
// a pivot table take it as it is. With ';' (Swedish Excel) decimals get a decimal comma.
import { stringify } from 'csv-stringify/sync';
import type { Statistics, UtilisationRow } from '../api/methods/export.ts';
import type { CsvSeparator } from './csv.ts';

export function statisticsCsv(stats: Statistics, separator: CsvSeparator = 'semicolon'): string {
  const delimiter = separator === 'comma' ? ',' : ';';
  const num = (v: number | null) => {
    if (v === null) return '';
    const text = Number.isInteger(v) ? String(v) : v.toFixed(4);
    return delimiter === ';' ? text.replace('.', ',') : text;
  };
  const rows: (string | number)[][] = [['Avsnitt', 'Mått', 'Grupp', 'Värde']];
  const add = (section: string, measure: string, group: string, value: number | null) =>
    rows.push([section, measure, group, num(value)]);
  const b = stats.bookings;
  add('Bokningar', 'Webb (1177)', '', b.web);
  add('Bokningar', 'Reception', '', b.desk);
  add('Bokningar', 'Telefon', '', b.phone);
  add('Bokningar', 'Totalt', '', b.total);
  add('Bokningar', 'Webbandel', '', b.webShare);
  add('Ombokningar', 'Webb', '', stats.rebookings.web);
  add('Ombokningar', 'Personal', '', stats.rebookings.desk);
  add('Ombokningar', 'Totalt', '', stats.rebookings.total);
  add('Avbokningar', 'Webb', '', stats.cancellations.web);
  add('Avbokningar', 'Personal', '', stats.cancellations.desk);
  add('Avbokningar', 'Totalt', '', stats.cancellations.total);
  add('Uteblivna besök', 'Antal', '', stats.noShows.count);
  add('Uteblivna besök', 'Andel av besök', '', stats.noShows.rate);
  add('Ledtid bokning till besök (timmar)', 'Median', '', stats.leadTime.medianHours);
  add('Ledtid bokning till besök (timmar)', '90:e percentil', '', stats.leadTime.p90Hours);
  const util = (section: string, r: UtilisationRow | { open: number; booked: number; rate: number | null }, group: string) => {
    add(section, 'Öppna tider', group, r.open);
    add(section, 'Bokade tider', group, r.booked);
    add(section, 'Beläggning', group, r.rate);
  };
  util('Beläggning', stats.utilisation, 'Totalt');
  for (const r of stats.utilisation.byResource) util('Beläggning per resurs', r, r.name);
  for (const r of stats.utilisation.byType) util('Beläggning per besökstyp', r, r.name);
  for (const w of stats.weeks) {
    add('Vecka', 'Bokningar webb', w.week, w.bookings.web);
    add('Vecka', 'Bokningar reception', w.week, w.bookings.desk);
    add('Vecka', 'Bokningar telefon', w.week, w.bookings.phone);
    add('Vecka', 'Ombokningar', w.week, w.rebookings);
    add('Vecka', 'Avbokningar', w.week, w.cancellations);
    add('Vecka', 'Uteblivna', w.week, w.noShows);
    add('Vecka', 'Öppna tider', w.week, w.openSlots);
    add('Vecka', 'Bokade tider', w.week, w.bookedSlots);
  }
  return stringify(rows, { delimiter, bom: true, record_delimiter: 'windows' });
}
