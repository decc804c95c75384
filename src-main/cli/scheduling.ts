// Scheduling commands for admins and scripts: lay out slots from the templates, find the first
// free slots of a type, search patients, check an identity number. Exit codes (cli/common.ts):
// 0 ok; 1 failure (database unreadable, no unit); 2 bad usage or input (unknown type code, bad
// date or number, an identity number that cannot be right).
import type { Command } from 'commander';
import { AppError } from '../api/result.ts';
import type { AppointmentType, Resource } from '../api/types.ts';
import type { ExpansionReport, ScheduleHorizon } from '../api/methods/scheduling.ts';
import { bookingWindow, mayBookTypeOnWeb, windowSv } from '../domain/booking-rules.ts';
import { formatIdentityNumber } from '../domain/personnummer.ts';
import { localDate } from '../domain/time.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { createContext, type ServiceContext } from '../services/context.ts';
import { findFreeSlots } from '../services/free-slots.ts';
import { checkIdentityNumber, identityNumberProblem, searchPatients } from '../services/patients.ts';
import { expandTemplates, getScheduleHorizon, setScheduleHorizon } from '../services/templates.ts';
import { currentUnit, listAppointmentTypes, listResources } from '../services/unit.ts';
import { openDatabase } from '../store/database.ts';
import { checkDateRange, cliCaller, dbOption, EXIT, parseDateOption, pickResource, span, UsageError } from './common.ts';
import { registerTemplateCommands } from './catalog.ts';

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or input.`;

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} ska vara ett heltal 1–${max}, inte "${value}".`);
  return n;
}

/** Opens the database, runs `body`, closes; a missing unit is a failure, an AppError of input a usage error. */
function withDb<T>(cmd: Command, body: (ctx: ServiceContext) => T): T {
  const db = openDatabase(dbOption(cmd) ?? defaultDatabasePath());
  try {
    const ctx = createContext(db, { now: systemClock() });
    try {
      currentUnit(ctx);
    } catch {
      throw new Error('Databasen har ingen vårdenhet ännu: kör `tidbok unit init` (eller `tidbok demo seed`) först.');
    }
    try {
      return body(ctx);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'not_found')) throw new UsageError(err.messageSv);
      throw err;
    }
  } finally {
    db.close();
  }
}

const sameName = (a: string, b: string) => a.toLocaleLowerCase('sv') === b.toLocaleLowerCase('sv');

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * Why a free-slot search cannot find anything whatever the book holds, in the receptionist's
 * words, or null: the type's own rules (profession, web, booking window) against the options.
 */
function noFreeSlotsBecause(
  type: AppointmentType,
  q: {
    from?: string | undefined;
    to?: string | undefined;
    resource?: Resource | undefined;
    profession?: string | undefined;
    web: boolean;
    invited: boolean;
  },
  today: string,
  lastBookableDay: string,
): string | null {
  const performs = (profession: string | null) => type.professions.length === 0 || type.professions.includes(profession ?? '');
  if (q.resource && !q.resource.active) return `${q.resource.name} är inaktiverad.`;
  if (q.resource && !performs(q.resource.profession)) {
    return `${q.resource.name} tar inte emot ${type.code}: besökstypen är för ${type.professions.join(', ')}.`;
  }
  if (q.profession !== undefined && !performs(q.profession)) {
    return `${type.code} utförs inte av ${q.profession}, bara av ${type.professions.join(', ')}.`;
  }
  if (q.web && !mayBookTypeOnWeb(type, q.invited)) {
    return type.invitationOnly
      ? `${type.code} kan bokas på webben först efter kallelse (lägg till --invited).`
      : `${type.code} bokas inte på webben.`;
  }
  if (q.to !== undefined && q.to < today) return `perioden slutar ${q.to}, före i dag.`;
  if (q.from !== undefined && q.from > lastBookableDay) {
    return `${type.code} ${windowSv(type.bookMaxDays)}, till och med ${lastBookableDay}.`;
  }
  return null;
}

interface FreeOptions {
  type: string;
  from?: string;
  to?: string;
  limit: string;
  resource?: string;
  profession?: string;
  web?: boolean;
  invited?: boolean;
  rebooking?: string;
  json?: boolean;
}

export function registerSchedulingCommands(program: Command): void {
  const templates = program.command('templates').description('Schedule templates');
  templates
    .command('expand')
    .description('Create the slots of every active template from today over the horizon (idempotent)')
    .option('--weeks <n>', "horizon in weeks (default: the unit's, see `templates horizon`)")
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', EXIT_HELP)
    .action((opts: { weeks?: string; json?: boolean }, cmd: Command) => {
      const weeks = opts.weeks === undefined ? undefined : positiveInt('--weeks', opts.weeks, 104);
      // IMMEDIATE: wait for a desk that is writing (busy_timeout) instead of failing at the first insert.
      const report = withDb(cmd, (ctx) =>
        ctx.db.transaction(() => expandTemplates(ctx, cliCaller(['scheduler']), { horizonWeeks: weeks })).immediate(),
      );
      if (opts.json) return print(JSON.stringify(report));
      print(`${report.from} – ${report.to}: ${report.created} nya tider, ${report.existing} fanns redan.`);
      if (report.skippedOverlaps) print(`${report.skippedOverlaps} tider hoppades över (överlappar en annan tid).`);
      for (const h of report.skippedHolidays) print(`Stängt ${h.date}: ${h.holiday}`);
    });
  templates
    .command('horizon')
    .description("How many weeks ahead the unit's templates are laid out; --weeks sets it and lays them out that far")
    .option('--weeks <n>', 'new horizon in weeks (1–104)')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print as JSON')
    .addHelpText('after', EXIT_HELP)
    .action((opts: { weeks?: string; json?: boolean }, cmd: Command) => {
      const weeks = opts.weeks === undefined ? undefined : positiveInt('--weeks', opts.weeks, 104);
      const result: ScheduleHorizon & { expansion?: ExpansionReport } = withDb(cmd, (ctx) =>
        weeks === undefined ? getScheduleHorizon(ctx) : setScheduleHorizon(ctx, cliCaller(['scheduler']), { weeks }),
      );
      if (opts.json) return print(JSON.stringify(result));
      print(`Schemat läggs ut ${result.weeks} veckor framåt, nu till och med ${result.until}.`);
      if (result.expansion) print(`${result.expansion.created} nya tider lades ut. En kortare horisont tar inte bort tider.`);
      for (const x of result.typesBeyond)
        print(`Besökstypen ${x.code} kan bokas ${x.bookMaxDays} dagar framåt, längre än schemat räcker.`);
    });
  registerTemplateCommands(templates);

  const slots = program.command('slots').description('Slots');
  slots
    .command('free')
    .description('First free slots of an appointment type ("första lediga tid")')
    .requiredOption('--type <code>', 'appointment type code, e.g. LAKBES')
    .option('--from <date>', 'first date (YYYY-MM-DD), default today')
    .option(
      '--to <date>',
      'last date (YYYY-MM-DD), default: 180 days on (from --from, that day included; without it, from now through the 180th day after today)',
    )
    .option('--limit <n>', 'how many', '10')
    .option('--resource <name|id>', 'only this resource (name, id or HSA-id)')
    .option('--profession <code>', 'only resources of this profession, e.g. sjukskoterska')
    .option('--web', 'only slots published for web booking')
    .option('--invited', 'with --web: the patient was invited (types bookable on the web only after an invitation)')
    .option('--rebooking <booking-id>', 'times to move this booking to (its type is searched also when deactivated)')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the slots as JSON')
    .addHelpText('after', EXIT_HELP)
    .action((opts: FreeOptions, cmd: Command) => {
      const limit = positiveInt('--limit', opts.limit, 200);
      const from = opts.from === undefined ? undefined : parseDateOption('--from', opts.from);
      const to = opts.to === undefined ? undefined : parseDateOption('--to', opts.to);
      checkDateRange(from, to);
      withDb(cmd, (ctx) => {
        const tz = currentUnit(ctx).timeZone;
        const type = listAppointmentTypes(ctx, { includeInactive: true }).find(
          (t) => t.code.toLowerCase() === opts.type.toLowerCase(),
        );
        if (!type) throw new UsageError(`Det finns ingen besökstyp med koden "${opts.type}" (tidbok types list visar dem).`);
        const resources = listResources(ctx, {});
        // A deactivated clinician named is told as such, not as unknown (an active one of the same name first).
        const resource =
          opts.resource === undefined
            ? undefined
            : resources.some((r) => r.id === opts.resource || r.hsaId === opts.resource || sameName(r.name, opts.resource!))
              ? pickResource(resources, opts.resource)
              : pickResource(listResources(ctx, { includeInactive: true }), opts.resource);
        // An invitation matters only on the web: at the desk every type may be booked anyway.
        if (opts.invited === true && opts.web !== true) throw new UsageError('--invited gäller bara tillsammans med --web.');
        const found = findFreeSlots(ctx, {
          appointmentTypeId: type.id,
          from,
          to,
          limit,
          webOnly: opts.web === true,
          invited: opts.invited === true,
          resourceId: resource?.id,
          profession: opts.profession,
          rebookingId: opts.rebooking,
        });
        if (opts.json) return print(JSON.stringify(found));
        // Why there is nothing, where the type itself says so.
        if (!type.active && opts.rebooking === undefined) {
          return print(
            `${type.code} är inaktiverad och erbjuds inte på några tider. En bokad tid flyttas med --rebooking <bokningens id>.`,
          );
        }
        if (found.length === 0) {
          const lastBookableDay = localDate(bookingWindow(type, ctx.now(), tz).latest, tz);
          const web = opts.web === true;
          const query = { ...opts, from, to, resource, web, invited: opts.invited === true };
          const why = noFreeSlotsBecause(type, query, localDate(ctx.now(), tz), lastBookableDay);
          return print(`Inga lediga tider för ${type.code}${why ? `: ${why}` : '.'}`);
        }
        for (const s of found) {
          print(`${span(s.startAt, s.endAt, tz)}  ${s.resourceName}${s.webPublished ? '  (webb)' : ''}`);
        }
      });
    });

  const patients = program.command('patients').description('Patients');
  patients
    .command('search')
    .description('Search patients by identity number or name (the search is recorded in the access log)')
    .argument('<query>', 'personnummer (any form, or its start) or name')
    .option('--limit <n>', 'how many', '25')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the patients as JSON')
    .addHelpText('after', EXIT_HELP)
    .action((query: string, opts: { limit: string; json?: boolean }, cmd: Command) => {
      const limit = positiveInt('--limit', opts.limit, 100);
      if (query.trim().length < 2) throw new UsageError('Sök med minst två tecken.');
      // An admin at the command line has no desk duties: protected patients' contact details stay hidden.
      const { hits, problem } = withDb(cmd, (ctx) => {
        const found = searchPatients(ctx, cliCaller(['admin']), { query, limit });
        return { hits: found, problem: found.length === 0 ? identityNumberProblem(ctx, query) : null };
      });
      // A whole number that cannot be anyone's (check digit, date) is bad input, not an empty result.
      if (problem) throw new UsageError(problem);
      if (opts.json) return print(JSON.stringify(hits));
      if (hits.length === 0) return print('Inga patienter hittades.');
      for (const p of hits) {
        const contact = p.protectedIdentity ? 'SKYDDAD IDENTITET' : (p.phone ?? '');
        print(`${formatIdentityNumber(p.identityNumber)}  ${p.familyName}, ${p.givenName}  ${contact}`.trimEnd());
      }
      // On stderr, so a script reading the list is not confused: a full list may not be all.
      if (hits.length === limit) {
        process.stderr.write(`tidbok: De ${limit} första träffarna visas: sök mer precist, eller med --limit (högst 100).\n`);
      }
    });

  patients
    .command('check')
    .description("Validate an identity number as typed (century from today's date): normalised 12 digits or why not")
    .argument('<number>', 'personnummer or samordningsnummer, 10 or 12 digits, with or without - or +')
    .option('--reserve', 'accept a reserve number')
    .option('--db <file>', "SQLite database file (for the unit's date)")
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action((value: string, opts: { reserve?: boolean; json?: boolean }, cmd: Command) => {
      const check = withDb(cmd, (ctx) => checkIdentityNumber(ctx, { value, reserve: opts.reserve === true }));
      if (!check.ok || check.normalised === null) throw new UsageError(check.message ?? 'Ogiltigt personnummer.');
      if (opts.json) return print(JSON.stringify(check));
      print(`${formatIdentityNumber(check.normalised)}  ${check.kind}${check.birthDate ? `  född ${check.birthDate}` : ''}`);
    });
}
