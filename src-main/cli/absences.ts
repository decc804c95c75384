// Absences from a script (an HR feed, a regional admin): `tidbok absences add|change|list|withdraw|rebook|contacts`.
// Every call goes through the api's `dispatch` as the command-line admin (cli/catalog.ts withApi),
// so roles, Swedish refusals, protected identity, outbox rows and audit events are the app's.
// Exit codes (cli/common.ts): 0 ok; 1 failure (database, no unit); 2 bad usage or refused input.
import type { Command } from 'commander';
import type { Absence, AbsenceResult, ContactListEntry, RebookProposal } from '../api/methods/scheduling.ts';
import type { Booking, Resource } from '../api/types.ts';
import { END_OF_DAY, localDate, localTime, periodEndParts } from '../domain/time.ts';
import { print, printTable, withApi } from './catalog.ts';
import { atWithPass, checkDateRange, EXIT, parseDateOption, parseWallTimeOption, pickResource, UsageError } from './common.ts';

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or refused input.`;

// In the autumn night's doubled hour, which 02:30 (an absence starts at the first).
const at = atWithPass;
/**
 * An absence's first and last moment as the admin typed them: whole days as dates, the last one
 * included ("2026-11-30" – "2026-12-02", not "2026-12-03 00:00"); otherwise date and time, an end
 * at a midnight as 24:00 of the day it ends ("2026-12-01 13:00" – "2026-12-01 24:00").
 */
function periodEnds(startAt: number, endAt: number): [string, string] {
  const end = periodEndParts(endAt);
  if (localTime(startAt) === '00:00' && end.time === END_OF_DAY) return [localDate(startAt), end.date];
  return [at(startAt), `${end.date} ${end.time}`];
}
const json = (value: unknown) => print(JSON.stringify(value, null, 2));
/** A patient as the caller may see them: a protected identity never by name. */
const who = (b: { patient: Booking['patient'] }) =>
  b.patient.protectedIdentity ? `Skyddad identitet ${b.patient.identityNumber}`.trim() : b.patient.displayName;

/** "1 tid spärrad", "2 tider spärrade": Swedish that counts right. */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const WITHDRAWN = 'Frånvaron är återkallad; dess bokningar bokas inte om härifrån.';
const NOTHING_TO_REBOOK = 'Inga bokningar att boka om: frånvaron träffar inga aktiva bokningar (redan ombokade eller avbokade).';

/** An absence as registered or changed: its period, the slots written, what else covers it, the bookings to move. */
function printResult(r: AbsenceResult, resourceName: string, opened = ''): void {
  const period = (a: Absence) => {
    const [first, last] = periodEnds(a.startAt, a.endAt);
    return first === last ? first : `${first} – ${last}`;
  };
  print(`Frånvaro ${r.absence.id}: ${resourceName} ${period(r.absence)}`);
  for (const a of r.overlapping) print(`Överlappar även: ${period(a)}${a.reason ? ` ${a.reason}` : ''} (${a.id})`);
  print(
    `${opened}${count(r.slotsBlocked, 'tid spärrad', 'tider spärrade')}, ${count(r.affectedBookings.length, 'bokning behöver', 'bokningar behöver')} bokas om.`,
  );
  for (const b of r.affectedBookings) print(`  ${at(b.startAt)}  ${who(b)}  ${b.id}`);
}

interface AddOptions {
  resource: string;
  from: string;
  fromTime?: string;
  to?: string;
  toTime?: string;
  reason?: string;
  json?: boolean;
}

export function registerAbsenceCommands(program: Command): void {
  const absences = program.command('absences').description('Absences: block a clinician’s time and move the bookings it hits');

  absences
    .command('add')
    .description('Register an absence: the resource’s slots in the period are blocked; lists the bookings to move')
    .requiredOption('--resource <name|id|hsa>', 'the absent resource')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .option('--from-time <HH:MM>', 'from this time on the first day (default 00:00)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: the first day)')
    .option('--to-time <HH:MM>', 'until this time on the last day (default and 24:00: the end of the day)')
    .option('--reason <text>', 'why (shown on the blocked slots)', '')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (o: AddOptions, cmd: Command) => {
      const from = parseDateOption('--from', o.from);
      const input = {
        from,
        to: o.to === undefined ? from : parseDateOption('--to', o.to),
        reason: o.reason ?? '',
        ...(o.fromTime === undefined ? {} : { fromTime: parseWallTimeOption('--from-time', o.fromTime) }),
        ...(o.toTime === undefined ? {} : { toTime: parseWallTimeOption('--to-time', o.toTime, true) }),
      };
      await withApi(cmd, async (api) => {
        const resource = pickResource(await api('resources.list', {}), o.resource);
        const r = await api('absences.create', { resourceId: resource.id, ...input });
        if (o.json) return json(r);
        // Run again by a feed, the same absence is kept once: say so rather than "0 tider spärrade".
        if (r.unchanged) print('Frånvaron fanns redan (samma period och orsak): inget ändrades.');
        printResult(r, resource.name);
      });
    });

  absences
    .command('change <id>')
    .description('Change an absence’s period (and reason): days leaving it open unless another absence covers them')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .option('--from-time <HH:MM>', 'from this time on the first day (default 00:00)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: the first day)')
    .option('--to-time <HH:MM>', 'until this time on the last day (default and 24:00: the end of the day)')
    .option('--reason <text>', 'a new reason (default: unchanged)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, o: Omit<AddOptions, 'resource'>, cmd: Command) => {
      const from = parseDateOption('--from', o.from);
      const input = {
        id,
        from,
        to: o.to === undefined ? from : parseDateOption('--to', o.to),
        ...(o.reason === undefined ? {} : { reason: o.reason }),
        ...(o.fromTime === undefined ? {} : { fromTime: parseWallTimeOption('--from-time', o.fromTime) }),
        ...(o.toTime === undefined ? {} : { toTime: parseWallTimeOption('--to-time', o.toTime, true) }),
      };
      await withApi(cmd, async (api) => {
        const r = await api('absences.update', input);
        if (o.json) return json(r);
        const name = (await api('resources.list', {})).find((x: Resource) => x.id === r.absence.resourceId)?.name ?? '';
        if (r.unchanged) print('Frånvaron hade redan den perioden och orsaken: inget ändrades.');
        printResult(r, name, `${count(r.slotsOpened, 'tid öppnad', 'tider öppnade')} igen, `);
      });
    });

  absences
    .command('list')
    .description('Absences (active ones unless --all)')
    .option('--resource <name|id|hsa>', 'one resource only')
    .option('--from <date>', 'overlapping this day or later')
    .option('--to <date>', 'overlapping this day or earlier')
    .option('--all', 'withdrawn ones too')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (o: { resource?: string; from?: string; to?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const from = o.from === undefined ? undefined : parseDateOption('--from', o.from);
      const to = o.to === undefined ? undefined : parseDateOption('--to', o.to);
      // A reversed period would list nothing, as if there were no absences.
      checkDateRange(from, to);
      await withApi(cmd, async (api) => {
        const resources = await api('resources.list', {});
        const list: Absence[] = await api('absences.list', {
          ...(o.resource === undefined ? {} : { resourceId: pickResource(resources, o.resource).id }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(o.all ? { includeWithdrawn: true } : {}),
        });
        if (o.json) return json(list);
        if (list.length === 0) return print('Inga frånvaron.');
        const name = (id: string) => resources.find((r: Resource) => r.id === id)?.name ?? id;
        printTable(
          ['Från', 'Till', 'Resurs', 'Orsak', 'Läge', 'Id'],
          list.map((a) => [
            ...periodEnds(a.startAt, a.endAt),
            name(a.resourceId),
            a.reason,
            a.state === 'active' ? 'aktiv' : 'återkallad',
            a.id,
          ]),
        );
      });
    });

  absences
    .command('withdraw <id>')
    .description('Withdraw an absence: the slots it blocked open again (moved bookings stay moved)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        // Withdrawing is idempotent; a second run says so instead of "0 tider öppnade igen".
        const earlier = (await api('absences.list', { includeWithdrawn: true })).find((a) => a.id === id);
        const r = await api('absences.withdraw', { id });
        if (o.json) return json(r);
        if (earlier?.state === 'withdrawn') print('Frånvaron var redan återkallad: inget ändrades.');
        else print(`Frånvaron är återkallad: ${count(r.slotsChanged, 'tid öppnad', 'tider öppnade')} igen.`);
      });
    });

  absences
    .command('rebook <id>')
    .description('Propose a new time for every booking the absence hits; --apply moves them all in one transaction')
    .option('--apply', 'move every booking that has a proposal (all or none)')
    .option('--days <n>', 'search this many days past the absence (default 90)')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, o: { apply?: boolean; days?: string; json?: boolean }, cmd: Command) => {
      let searchDays: number | undefined;
      if (o.days !== undefined) {
        if (!/^\d+$/.test(o.days)) throw new UsageError(`--days ska vara ett heltal (antal dagar), inte "${o.days}".`);
        searchDays = Number(o.days);
      }
      const days = searchDays === undefined ? {} : { searchDays };
      await withApi(cmd, async (api) => {
        if (!o.apply) {
          const proposals: RebookProposal[] = await api('absences.proposeRebooking', { id, ...days });
          if (o.json) return json(proposals);
          if (proposals.length === 0) {
            // A withdrawn absence proposes nothing either: say why, as --apply does.
            const absence = (await api('absences.list', { includeWithdrawn: true })).find((a) => a.id === id);
            return print(absence?.state === 'withdrawn' ? WITHDRAWN : NOTHING_TO_REBOOK);
          }
          printTable(
            ['Tid som ställs in', 'Patient', 'Förslag', 'Behandlare', 'Bokning'],
            proposals.map((p) => [
              at(p.booking.startAt),
              who(p.booking),
              p.proposal ? at(p.proposal.startAt) : (p.problem ?? 'ingen ledig tid'),
              p.proposal ? `${p.proposal.resourceName}${p.sameResource ? ' (samma)' : ''}` : '',
              p.booking.id,
            ]),
          );
          return;
        }
        const r = await api('absences.applyRebooking', { id, ...days });
        if (o.json) return json(r);
        // Run twice (or by two admins at once), the second finds the bookings already moved.
        if (r.contactList.length === 0) return print(NOTHING_TO_REBOOK);
        print(`${count(r.rebooked.length, 'bokning ombokad', 'bokningar ombokade')}. Patienter att kontakta:`);
        printContacts(r.contactList);
      });
    });

  absences
    .command('contacts <id>')
    .description('Patients to contact about an absence: still booked in it, or moved out of it (with the new time)')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api('absences.contactList', { id });
        if (o.json) return json(list);
        if (list.length === 0) return print('Inga patienter att kontakta.');
        printContacts(list);
      });
    });
}

/**
 * Whom to call and what to say, as the Frånvaro page lists them: a booking another overlapping
 * absence moved is called from that absence's list, and says so here.
 */
function printContacts(list: readonly ContactListEntry[]): void {
  printTable(
    ['Patient', 'Telefon', 'Tid som ställs in', 'Ny tid'],
    list.map((c) => [
      c.protectedIdentity ? `Skyddad identitet ${c.identityNumber}`.trim() : c.displayName,
      c.contactMasked ? 'dolt' : (c.phone ?? '–'),
      `${at(c.oldStartAt)} ${c.oldResourceName}`,
      (c.newStartAt !== null ? `${at(c.newStartAt)} ${c.newResourceName ?? ''}` : c.moved ? 'ombokad (dolt)' : 'ej ombokad') +
        (c.contactUnder ? ` – ombokad via frånvaron ${c.contactUnder.reason}, kontaktas därifrån` : ''),
    ]),
  );
}
