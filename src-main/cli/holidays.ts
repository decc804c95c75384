// The unit's closed days from a script: `tidbok holidays list --year N` (Swedish public holidays
// and the three eves, closed or open) and `tidbok holidays set --julafton closed …` (which eves the
// unit closes on; the book follows, booked slots stay and are listed). Through the api's dispatch
// as the command-line admin (cli/catalog.ts withApi). Exit codes (cli/common.ts).
import type { Command } from 'commander';
import type { HolidayRulesView } from '../api/methods/scheduling.ts';
import { localDate, localTime } from '../domain/time.ts';
import { print, printTable, withApi } from './catalog.ts';
import { EXIT, UsageError } from './common.ts';

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or refused input.`;

const EVES = ['julafton', 'nyarsafton', 'midsommarafton'] as const;

function closedOrOpen(name: string, value: string): boolean {
  if (value === 'closed' || value === 'stängt') return true;
  if (value === 'open' || value === 'öppet') return false;
  throw new UsageError(`${name} ska vara closed (stängt) eller open (öppet), inte "${value}".`);
}

export function registerHolidayCommands(program: Command): void {
  const holidays = program.command('holidays').description('Public holidays and the eves the unit closes on');

  holidays
    .command('list')
    .description('The Swedish public holidays and eves of a year, and whether the unit is closed on each')
    .requiredOption('--year <yyyy>', 'calendar year, e.g. 2027')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (o: { year: string; json?: boolean }, cmd: Command) => {
      if (!/^\d{4}$/.test(o.year)) throw new UsageError(`--year ska vara ett årtal med fyra siffror, inte "${o.year}".`);
      const days = await withApi(cmd, (api) => api('holidays.list', { year: Number(o.year) }));
      if (o.json) return print(JSON.stringify(days, null, 2));
      printTable(
        ['Datum', 'Helgdag', 'Enheten'],
        days.map((d) => [d.date, d.name, d.closed ? 'stängt' : 'öppet']),
      );
    });

  holidays
    .command('set')
    .description('Which eves the unit closes on; unbooked slots leave a closed eve, an opened eve gets its template slots')
    .option('--julafton <closed|open>', 'julafton (24 december)')
    .option('--nyarsafton <closed|open>', 'nyårsafton (31 december)')
    .option('--midsommarafton <closed|open>', 'midsommarafton (the Friday before midsommardagen)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (o: Partial<Record<(typeof EVES)[number], string>> & { json?: boolean }, cmd: Command) => {
      const rules: Partial<HolidayRulesView> = {};
      for (const eve of EVES) {
        const value = o[eve];
        if (value !== undefined) rules[eve] = closedOrOpen(`--${eve}`, value);
      }
      if (Object.keys(rules).length === 0)
        throw new UsageError('Ange minst en afton: --julafton, --nyarsafton eller --midsommarafton.');
      const { done, tz } = await withApi(cmd, async (api) => ({
        done: await api('holidays.setRules', rules),
        tz: (await api('unit.get', {})).timeZone,
      }));
      if (o.json) return print(JSON.stringify(done, null, 2));
      const state = (closed: boolean) => (closed ? 'stängt' : 'öppet');
      print(
        `Julafton ${state(done.julafton)}, nyårsafton ${state(done.nyarsafton)}, midsommarafton ${state(done.midsommarafton)}.`,
      );
      print(`${done.slotsRemoved} lediga tider borttagna, ${done.slotsCreated} nya tider upplagda.`);
      if (done.bookedKept.length) print(`${done.bookedKept.length} bokade tider ligger kvar (boka om dem vid behov):`);
      for (const b of done.bookedKept)
        print(`${localDate(b.startAt, tz)} ${localTime(b.startAt, tz)}–${localTime(b.endAt, tz)}  bokning ${b.bookingId}`);
    });
}
