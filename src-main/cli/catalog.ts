// Scripting a unit's catalogue and schedule, as a regional IT admin does across many units:
// `tidbok types list|import` and `tidbok templates list|add|preview|deactivate`. Every call goes
// through the api's `dispatch` as the command-line caller, so roles, validation messages, outbox
// rows and audit events are exactly the app's. Exit codes (cli/common.ts): 0 ok; 1 failure
// (database, no unit); 2 bad usage or refused input.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { InputOf, MethodName, ResultOf } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import type { HandlerEnv } from '../api/handler-types.ts';
import type { ExpansionReport, ScheduleTemplate, TemplateChange } from '../api/methods/scheduling.ts';
import type { ApiError } from '../api/result.ts';
import type { AppointmentType, ContactMode, Resource } from '../api/types.ts';
import { daysSv } from '../domain/booking-rules.ts';
import { clockChangeDays, type ClockChangeDay } from '../domain/templates.ts';
import { addDays, isoWeekday, localDate, localEndTime, localTime } from '../domain/time.ts';
import { createLogger } from '../log.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { createContext } from '../services/context.ts';
import { currentUnitId } from '../services/unit.ts';
import { openDatabase } from '../store/database.ts';
import { cliCaller, dbOption, EXIT, parseDateOption, UsageError, pickResource } from './common.ts';

const timesSv = (n: number) => `${n} ${n === 1 ? 'tid' : 'tider'}`;

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or refused input.`;

/** An api call that answered no (its Swedish message, and the fields for a validation error). */
class Refused extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

type Api = <M extends MethodName>(name: M, input: InputOf<M>) => Promise<ResultOf<M>>;

/** The fields zod named, e.g. "template.slotMin: Värdet måste vara minst 5.", for people who script. */
function issuesOf(error: ApiError): { path: string; message: string }[] {
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  return Array.isArray(issues) ? issues : [];
}

/**
 * One line naming each wrong field after its own reason: "Ogiltiga uppgifter: Var n:e vecka: …
 * (template.everyNWeeks) Tidslängd (minuter): … (template.slotMin)". Fields sharing a reason share it.
 */
function refusalLine(error: ApiError): string {
  const byMessage = new Map<string, string[]>();
  for (const { path, message } of issuesOf(error)) byMessage.set(message, [...(byMessage.get(message) ?? []), path]);
  const groups = [...byMessage.entries()];
  if (groups.length === 0) return error.message;
  // The api's message is the first issue's, introduced ("Ogiltiga uppgifter: …").
  return groups.map(([message, paths], i) => `${i === 0 ? error.message : message} (${paths.join(', ')})`).join(' ');
}

/**
 * Opens the database, runs `body` with the api as the command-line admin, closes. No unit is a
 * failure (exit 1); an answer the input caused is a usage error (exit 2) in one line.
 */
export async function withApi<T>(
  cmd: Command,
  body: (api: Api, env: HandlerEnv) => Promise<T>,
  options: { needsUnit?: boolean } = {},
): Promise<T> {
  const db = openDatabase(dbOption(cmd) ?? defaultDatabasePath());
  try {
    const ctx = createContext(db, { now: systemClock() });
    // `unit init` creates the unit: the one command that runs before there is one.
    if (options.needsUnit !== false && currentUnitId(ctx) === null) {
      db.close();
      process.stderr.write('tidbok: Databasen har ingen vårdenhet än: kör först `tidbok unit init --hsa SE… --name "…"`.\n');
      process.exit(EXIT.failure);
    }
    // The command line holds the database file as the desktop app does.
    const env: HandlerEnv = { ctx, caller: cliCaller(), shell: 'electron' };
    const log = createLogger({ destination: process.stderr });
    const api: Api = async (name, input) => {
      const r = await dispatch(env, name, input, log);
      if (!r.ok) throw new Refused(r.error);
      return r.value as ResultOf<typeof name>;
    };
    try {
      return await body(api, env);
    } catch (err) {
      if (err instanceof Refused && err.error.code !== 'internal') throw new UsageError(refusalLine(err.error));
      throw err;
    }
  } finally {
    if (db.open) db.close();
  }
}

/**
 * Runs `body` in ONE transaction, committed only when it says so: the api's own transactions nest
 * in it as savepoints (better-sqlite3), so a refused call undoes only itself until the end, and
 * the final rollback undoes everything.
 */
async function inOneTransaction<T>(env: HandlerEnv, body: () => Promise<{ result: T; commit: boolean }>): Promise<T> {
  const { db } = env.ctx;
  db.exec('BEGIN IMMEDIATE');
  try {
    const { result, commit } = await body();
    if (commit) db.exec('COMMIT');
    return result;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

export const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Columns padded to their widest cell, two spaces apart. */
export function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  for (const row of [head, ...rows])
    print(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} ska vara ett heltal, inte "${value}".`);
  return Number(value);
}

/** --weeks of add, preview and update: undefined (the unit's horizon, as the api and the app use) or 1–104. */
function horizonWeeksOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 104) {
    throw new UsageError(`--weeks ska vara ett heltal 1–104, inte "${value}".`);
  }
  return Number(value);
}

// ------------------------------------------------------------------ appointment types
const CONTACT_SV: Record<ContactMode, string> = { physical: 'fysiskt', video: 'video', phone: 'telefon' };

function typeRow(t: AppointmentType): string[] {
  const web = [
    t.webBookable && 'boka',
    t.invitationOnly && 'kallelse',
    t.webCancellable && 'avboka',
    t.webRebookable && 'omboka',
  ].filter(Boolean);
  return [
    t.code,
    t.nameSv,
    String(t.durationMin),
    t.contactModes.map((m) => CONTACT_SV[m]).join(','),
    t.professions.length ? t.professions.join(',') : 'alla',
    web.length ? web.join(',') : '–',
    `${t.cancelCutoffH}/${t.rebookCutoffH} h`,
    t.bookMaxDays === 0 ? `${t.bookMinLeadH} h–samma dag` : `${t.bookMinLeadH} h–${t.bookMaxDays} d`,
    t.active ? 'ja' : 'nej',
  ];
}

/** What `tidbok types list --json` adds that an import ignores: ids are per unit, types match by code. */
// The version counts one desk's own writes: a catalogue file may come from another desk.
const NOT_IMPORTED = new Set(['id', 'unitId', 'active', 'version']);

interface ImportReport {
  dryRun: boolean;
  created: string[];
  updated: { code: string; fields: string[] }[];
  unchanged: string[];
  /** Every bad entry: its index in the file (from 0), its code and the api's Swedish message. */
  errors: { index: number; code: string | null; field: string | null; message: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const codeKey = (code: string): string => code.trim().toLowerCase();

function readTypesFile(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8'); // '-': standard input, for pipes
  } catch (err) {
    throw new UsageError(`Kan inte läsa ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} är inte JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${file} ska innehålla en JSON-lista med besökstyper.`);
  return data;
}

/** One entry: created or updated through the api, `active` applied last; what changed. */
async function importEntry(
  api: Api,
  entry: Record<string, unknown>,
  existing: AppointmentType | undefined,
): Promise<{ type: AppointmentType; fields: string[] }> {
  const fields = Object.fromEntries(Object.entries(entry).filter(([k]) => !NOT_IMPORTED.has(k)));
  // zod checks the rest as for any api caller; the casts only hand it the unknown input.
  let type: AppointmentType;
  if (existing) {
    // The impact on free slots and booked times is the scheduler's concern (the type form shows
    // it); the report lists fields.
    const {
      unfitFreeSlots: _free,
      unfitBooked: _booked,
      ...updated
    } = await api('appointmentTypes.update', {
      ...fields,
      id: existing.id,
    } as InputOf<'appointmentTypes.update'>);
    type = updated;
  } else {
    type = await api('appointmentTypes.create', fields as InputOf<'appointmentTypes.create'>);
  }
  if ('active' in entry) {
    // The templates a deactivation leaves empty are the types page's concern, as the impact above.
    const { templatesLeftEmpty: _empty, ...activated } = await api('appointmentTypes.setActive', {
      id: type.id,
      active: entry['active'] as boolean,
    });
    type = activated;
  }
  const changed = existing
    ? (Object.keys(type) as (keyof AppointmentType)[]).filter(
        (k) => k !== 'version' && JSON.stringify(type[k]) !== JSON.stringify(existing[k]),
      )
    : [];
  return { type, fields: changed };
}

/**
 * The whole file in one transaction: a bad entry undoes only itself while the rest are still
 * checked; any bad entry (or --dry-run) rolls back everything at the end.
 */
async function importTypes(api: Api, env: HandlerEnv, entries: unknown[], dryRun: boolean): Promise<ImportReport> {
  const report: ImportReport = { dryRun, created: [], updated: [], unchanged: [], errors: [] };
  const firstIndex = new Map<string, number>();
  return inOneTransaction(env, async () => {
    const byCode = new Map((await api('appointmentTypes.list', { includeInactive: true })).map((t) => [codeKey(t.code), t]));
    for (const [index, entry] of entries.entries()) {
      const code = isRecord(entry) && typeof entry['code'] === 'string' ? entry['code'].trim() : null;
      const bad = (message: string, field: string | null = null) => report.errors.push({ index, code, field, message });
      if (!isRecord(entry)) {
        bad('Posten måste vara ett objekt med besökstypens fält.');
        continue;
      }
      if (code !== null) {
        const earlier = firstIndex.get(codeKey(code));
        if (earlier !== undefined) {
          bad(`Koden ${code} finns redan i post ${earlier} i filen.`, 'code');
          continue;
        }
        firstIndex.set(codeKey(code), index);
      }
      const existing = code === null ? undefined : byCode.get(codeKey(code));
      try {
        const { type, fields } = await importEntry(api, entry, existing);
        if (!existing) report.created.push(type.code);
        else if (fields.length) report.updated.push({ code: type.code, fields });
        else report.unchanged.push(type.code);
      } catch (err) {
        if (!(err instanceof Refused) || err.error.code === 'internal') throw err;
        const issues = issuesOf(err.error);
        if (issues.length === 0) bad(err.error.message);
        for (const i of issues) bad(i.message, i.path || null);
      }
    }
    return { result: report, commit: report.errors.length === 0 && !dryRun };
  });
}

export function registerCatalogCommands(program: Command): void {
  const types = program.command('types').description('Appointment types (besökstyper, 1177 "tidstyper") of the unit');
  types
    .command('list')
    .description('List the unit’s appointment types; --json output is what `types import` reads (a catalogue export)')
    .option('--all', 'include inactive types')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print JSON (the api’s field names)')
    .addHelpText(
      'after',
      `
Columns: KOD, NAMN (Swedish), MIN (minutes), KONTAKT (contact modes), YRKEN (professions that may
perform it, "alla" = any), WEBB (boka = bookable on the web, kallelse = on the web after an
invitation, avboka / omboka = cancellable / rebookable on the web), AVB/OMB (cancel / rebook
cut-off in hours), FÖNSTER (booking window: minimum lead hours – maximum days ahead), AKTIV.
${EXIT_HELP}`,
    )
    .action(async (opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const list = await withApi(cmd, (api) => api('appointmentTypes.list', { includeInactive: opts.all ?? false }));
      if (opts.json) return print(JSON.stringify(list, null, 2));
      if (list.length === 0) return print('Inga besökstyper ännu: lägg till dem med `tidbok types import <fil.json>`.');
      printTable(['KOD', 'NAMN', 'MIN', 'KONTAKT', 'YRKEN', 'WEBB', 'AVB/OMB', 'FÖNSTER', 'AKTIV'], list.map(typeRow));
    });
  types
    .command('import')
    .description('Create and update appointment types from a JSON array, matched by code (all or nothing)')
    .argument(
      '<file.json>',
      'a JSON array of types in the api’s field names, e.g. the output of `tidbok types list --all --json`; - reads standard input',
    )
    .option('--dry-run', 'check the whole file and report what would change; write nothing')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Each entry is matched by its code: a new code is created (code, nameSv, nameEn, durationMin and
contactModes required; the rest default as in the app), an existing one is updated in the fields
the entry gives when they differ, and left alone when nothing differs. "active": false|true
deactivates or reactivates. "id" and "unitId" are ignored (ids differ between units).
A type that is missing from the file is NOT deleted or deactivated.
The whole file is checked first with the app's own rules; if any entry is wrong, every wrong entry
is listed ([index from 0] code field: message) and nothing is written (exit ${EXIT.usage}).
${EXIT_HELP}`,
    )
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const entries = readTypesFile(file);
      const report = await withApi(cmd, (api, env) => importTypes(api, env, entries, opts.dryRun === true));
      if (opts.json) print(JSON.stringify(report, null, 2));
      else if (report.errors.length === 0) {
        for (const code of report.created) print(`+ ${code}`);
        for (const u of report.updated) print(`~ ${u.code}  ${u.fields.join(', ')}`);
      }
      if (report.errors.length) {
        for (const e of report.errors) {
          process.stderr.write(`[${e.index}] ${e.code ?? '(utan kod)'}${e.field ? ` ${e.field}` : ''}: ${e.message}\n`);
        }
        const bad = new Set(report.errors.map((e) => e.index)).size;
        throw new UsageError(`Inget sparades: ${bad} av ${entries.length} poster är felaktiga.`);
      }
      if (opts.json) return;
      const counts = `${report.created.length} nya, ${report.updated.length} ändrade, ${report.unchanged.length} oförändrade`;
      print(report.dryRun ? `Provkörning, inget sparat: ${counts}.` : `Besökstyper importerade: ${counts}.`);
    });
}

// ------------------------------------------------------------------ schedule templates
const WEEKDAY_SV = ['', 'mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön'] as const;

/** "mån–fre" for a run of three or more days, else "mån,ons". */
function weekdaysText(days: readonly number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const runs: number[][] = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && last.at(-1) === d - 1) last.push(d);
    else runs.push([d]);
  }
  return runs
    .flatMap((r) => (r.length >= 3 ? [`${WEEKDAY_SV[r[0]!]}–${WEEKDAY_SV[r.at(-1)!]}`] : r.map((d) => WEEKDAY_SV[d])))
    .join(',');
}

/** "1,2,3", "1-5" or both ("1-3,5"). */
function parseWeekdays(value: string): number[] {
  const days: number[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*([1-7])\s*(?:-\s*([1-7])\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--weekdays ska ange veckodagar 1 (måndag) – 7 (söndag), som 1,2,3 eller 1-5, inte "${value}".`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    // Backwards it would lay no day at all, and be answered "choose at least one weekday".
    if (to < from) {
      throw new UsageError(
        `--weekdays: intervallet ${from}-${to} går baklänges; skriv den första dagen först (1-7), eller söndag och måndag som 7,1.`,
      );
    }
    for (let d = from; d <= to; d++) days.push(d);
  }
  return days;
}

/** A resource by id, HSA-id or unique name, as `tidbok resources` finds it. */
async function findResource(api: Api, key: string): Promise<Resource> {
  return pickResource(await api('resources.list', { includeInactive: true }), key);
}

interface TemplateOptions {
  /** One for preview; for add, one or more (`--resource` repeated). */
  resource: string[];
  weekdays: string;
  start: string;
  end: string;
  slot: string;
  types: string;
  every: string;
  from?: string;
  to?: string;
  web?: boolean;
  openOnHolidays?: boolean;
  name?: string;
  weeks?: string;
  json?: boolean;
}

type TemplateSpecInput = InputOf<'templates.create'>['template'];

/** The options as the api's template for each resource, with types by code; valid from today unless --from. */
async function templatesFromOptions(
  api: Api,
  env: HandlerEnv,
  opts: TemplateOptions,
): Promise<{ specs: TemplateSpecInput[]; today: string; tz: string }> {
  const { timeZone } = await api('unit.get', {});
  const today = localDate(env.ctx.now(), timeZone);
  const resources: Resource[] = [];
  for (const key of opts.resource) resources.push(await findResource(api, key));
  const types = await api('appointmentTypes.list', { includeInactive: true });
  const appointmentTypeIds = opts.types.split(',').map((code) => {
    const t = types.find((x) => codeKey(x.code) === codeKey(code));
    if (!t) throw new UsageError(`Det finns ingen besökstyp med koden "${code.trim()}" (tidbok types list visar dem).`);
    return t.id;
  });
  const spec: Omit<TemplateSpecInput, 'resourceId'> = {
    name: opts.name ?? '',
    weekdays: parseWeekdays(opts.weekdays),
    everyNWeeks: wholeNumber('--every', opts.every),
    validFrom: opts.from === undefined ? today : parseDateOption('--from', opts.from),
    validTo: opts.to === undefined ? null : parseDateOption('--to', opts.to),
    startTime: opts.start,
    endTime: opts.end,
    slotMin: wholeNumber('--slot', opts.slot),
    appointmentTypeIds,
    publishWeb: opts.web === true,
    skipHolidays: opts.openOnHolidays !== true,
  };
  return { specs: resources.map((r) => ({ ...spec, resourceId: r.id })), today, tz: timeZone };
}

/** What a DST night does to the template's slots that day, in the scheduler's words. */
function clockChangeText(day: ClockChangeDay): string {
  const times = day.times.join(' ');
  if (day.change === 'back')
    return `vintertid: klockan ställs tillbaka 03:00 → 02:00, ${times} läggs ut en gång (efter omställningen)`;
  const parts = [
    ...(day.times.length ? [`${times} finns inte och läggs inte ut`] : []),
    // These starts exist, but with the hour gone the slot before runs into them or they run past the end.
    ...(day.displaced?.length ? [`${day.displaced.join(' ')} läggs inte ut (får inte plats när klockan ställs fram)`] : []),
  ];
  return `sommartid: klockan ställs fram 02:00 → 03:00, ${parts.join('; ')}`;
}

/** The template's DST days in the range, leaving out the days it is closed. */
function clockChanges(
  t: TemplateSpecInput | ScheduleTemplate,
  from: string,
  to: string,
  tz: string,
  closed: readonly { date: string }[],
): ClockChangeDay[] {
  const shut = new Set(closed.map((h) => h.date));
  const spec = { ...t, everyNWeeks: t.everyNWeeks ?? 1, validTo: t.validTo ?? null, skipHolidays: false };
  return clockChangeDays(spec, from, to, tz).filter((d) => !shut.has(d.date));
}

function printExpansion(report: ExpansionReport, dst: readonly ClockChangeDay[] = []): void {
  print(`${report.from} – ${addDays(report.to, -1)}: ${report.created} nya tider, ${report.existing} fanns redan.`);
  if (report.skippedOverlaps) print(`${report.skippedOverlaps} tider hoppades över (överlappar en annan tid).`);
  for (const h of report.skippedHolidays) print(`Stängt ${h.date}: ${h.holiday}`);
  for (const d of dst) print(`Omställning ${d.date}: ${clockChangeText(d)}.`);
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Options shared by `templates add` and `templates preview`. */
function templateOptions(cmd: Command, resourceHelp: string): Command {
  return cmd
    .requiredOption('--resource <resource>', resourceHelp, collect)
    .requiredOption('--weekdays <days>', 'ISO weekdays, 1 = Monday: 1,2,3 or 1-5')
    .requiredOption('--start <HH:mm>', 'first slot starts, wall clock, e.g. 08:00')
    .requiredOption('--end <HH:mm>', 'last slot ends, e.g. 12:00 (24:00: midnight)')
    .requiredOption('--slot <minutes>', 'slot length in minutes')
    .requiredOption('--types <codes>', 'appointment type codes offered, e.g. LAKBES,LAKVID')
    .option('--every <n>', 'every n weeks', '1')
    .option('--from <date>', 'valid from (YYYY-MM-DD), default today')
    .option('--to <date>', 'valid to, inclusive (YYYY-MM-DD), default open-ended')
    .option('--web', 'publish the slots for web booking (1177)')
    .option('--open-on-holidays', 'lay out slots on public holidays and closed eves too')
    .option('--name <name>', 'a name for the template, e.g. "Förmiddag"')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print JSON');
}

/** Called by cli/scheduling.ts with its `templates` group (next to `templates expand`). */
export function registerTemplateCommands(templates: Command): void {
  templates
    .command('list')
    .description('List schedule templates, of one resource or all')
    .option('--resource <resource>', 'id, HSA-id or name')
    .option('--all', 'include inactive templates')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (opts: { resource?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const { list, resources, types } = await withApi(cmd, async (api) => {
        const resourceId = opts.resource === undefined ? undefined : (await findResource(api, opts.resource)).id;
        return {
          list: await api('templates.list', { resourceId, includeInactive: opts.all ?? false }),
          resources: await api('resources.list', { includeInactive: true }),
          types: await api('appointmentTypes.list', { includeInactive: true }),
        };
      });
      if (opts.json) return print(JSON.stringify(list, null, 2));
      if (list.length === 0) return print('Inga schemamallar.');
      const resourceName = new Map(resources.map((r) => [r.id, r.name]));
      const typeCode = new Map(types.map((t) => [t.id, t.code]));
      const row = (t: ScheduleTemplate): string[] => [
        t.id,
        resourceName.get(t.resourceId) ?? t.resourceId,
        t.name || '–',
        weekdaysText(t.weekdays),
        t.everyNWeeks === 1 ? 'varje' : `var ${t.everyNWeeks}:e`,
        `${t.startTime}–${t.endTime}`,
        String(t.slotMin),
        t.appointmentTypeIds.map((id) => typeCode.get(id) ?? id).join(','),
        `${t.validFrom}–${t.validTo ?? ''}`,
        t.publishWeb ? 'ja' : 'nej',
        t.active ? 'ja' : 'nej',
      ];
      printTable(['ID', 'RESURS', 'NAMN', 'DAGAR', 'VECKA', 'TID', 'MIN', 'TYPER', 'GILTIG', 'WEBB', 'AKTIV'], list.map(row));
    });

  templateOptions(
    templates
      .command('add')
      .description(
        'Create a template (one per --resource, all or none) and lay out its slots from today over --weeks (holidays skipped, overlaps reported)',
      ),
    'id, HSA-id or name of the clinician or room; repeat it to give several the same template',
  )
    .option('--weeks <n>', "horizon in weeks to lay out now (default: the unit's, see `templates horizon`)")
    .addHelpText('after', EXIT_HELP)
    .action(async (opts: TemplateOptions, cmd: Command) => {
      const weeks = horizonWeeksOption(opts.weeks);
      const { changes, resources, tz } = await withApi(cmd, async (api, env) => {
        const { specs, tz } = await templatesFromOptions(api, env, opts);
        // Several clinicians in one transaction: one refused (e.g. the wrong profession) means none is added.
        const changes = await inOneTransaction(env, async () => {
          const result: TemplateChange[] = [];
          for (const template of specs) result.push(await api('templates.create', { template, horizonWeeks: weeks }));
          return { result, commit: true };
        });
        return { changes, resources: await api('resources.list', { includeInactive: true }), tz };
      });
      if (opts.json) return print(JSON.stringify(changes, null, 2));
      for (const { template: t, expansion } of changes) {
        const who = resources.find((r) => r.id === t.resourceId)?.name ?? t.resourceId;
        print(`${t.id}  ${who}: schemamallen är upplagd, ${weekdaysText(t.weekdays)} ${t.startTime}–${t.endTime}.`);
        const { from, to, skippedHolidays } = expansion;
        printExpansion(expansion, clockChanges(t, from, to, tz, skippedHolidays));
      }
    });

  templateOptions(
    templates.command('preview').description('Show the slots a template would lay out, per date, without saving anything'),
    'id, HSA-id or name of the clinician or room',
  )
    .option('--weeks <n>', "weeks to show from --from (or today); default: the unit's horizon, what add lays out")
    .addHelpText('after', EXIT_HELP)
    .action(async (opts: TemplateOptions, cmd: Command) => {
      const weeksGiven = horizonWeeksOption(opts.weeks);
      if (opts.resource.length > 1) throw new UsageError('templates preview tar en --resource.');
      const { preview, from, last, tz, slotMin } = await withApi(cmd, async (api, env) => {
        const { specs, today, tz } = await templatesFromOptions(api, env, opts);
        const spec = specs[0]!;
        const from = spec.validFrom > today ? spec.validFrom : today;
        const weeks = weeksGiven ?? (await api('templates.getHorizon', {})).weeks;
        const to = addDays(from, weeks * 7);
        const preview = await api('templates.preview', { template: spec, from, to });
        // The summary's period ends where the template does, when that is before the horizon.
        const last = spec.validTo && spec.validTo < addDays(to, -1) ? spec.validTo : addDays(to, -1);
        return { preview, from, last, tz, slotMin: spec.slotMin };
      });
      if (opts.json) return print(JSON.stringify(preview, null, 2));
      // Dates and times read from the instants in the unit's time zone: what the calendar will show.
      const byDate = new Map<string, string[]>();
      // Times another template or a hand-made slot of the resource already holds: saving skips them.
      const held = new Set(preview.overlapping.map((s) => s.startAt));
      const overlapping = new Map<string, string[]>();
      for (const s of preview.slots) {
        const date = localDate(s.startAt, tz);
        const list = held.has(s.startAt) ? overlapping : byDate;
        list.set(date, [...(list.get(date) ?? []), localTime(s.startAt, tz)]);
      }
      const lines = [
        ...[...byDate].map(([date, times]) => [date, `${times.join(' ')}  (${times.length} × ${slotMin} min)`] as const),
        ...preview.skipped.map((h) => [h.date, `stängt: ${h.holiday}`] as const),
        ...preview.clockChanges.map((d) => [d.date, clockChangeText(d)] as const),
        ...[...overlapping].map(
          ([date, times]) => [date, `läggs inte ut, resursen har redan en tid då: ${times.join(' ')}`] as const,
        ),
      ].sort((a, b) => a[0].localeCompare(b[0]));
      for (const [date, text] of lines) print(`${date} ${WEEKDAY_SV[isoWeekday(date)]}  ${text}`);
      print(
        `${timesSv(preview.slots.length - held.size)} på ${daysSv(byDate.size)} ${from} – ${last}` +
          `${preview.skipped.length ? `, ${daysSv(preview.skipped.length)} ${preview.skipped.length === 1 ? 'stängd' : 'stängda'}` : ''}` +
          `${held.size ? `; ${timesSv(held.size)} läggs inte ut (resursen har redan tider då)` : ''}.`,
      );
    });

  templates
    .command('update')
    .description('Change a template: its future free slots follow, booked ones stay and are listed')
    .argument('<id>', 'template id (tidbok templates list)')
    .option('--weekdays <days>', 'ISO weekdays, 1 = Monday: 1,2,3 or 1-5')
    .option('--start <HH:mm>', 'first slot starts, wall clock')
    .option('--end <HH:mm>', 'last slot ends (24:00: midnight)')
    .option('--slot <minutes>', 'slot length in minutes')
    .option('--types <codes>', 'appointment type codes offered, e.g. LAKBES,LAKVID')
    .option('--every <n>', 'every n weeks')
    .option('--from <date>', 'valid from (YYYY-MM-DD)')
    .option('--to <date>', 'valid to, inclusive (YYYY-MM-DD), or "none" for open-ended')
    .option('--web', 'publish the slots for web booking (1177)')
    .option('--no-web', 'stop publishing the slots for web booking')
    .option('--name <name>', 'a name for the template')
    .option('--weeks <n>', "horizon in weeks to lay out now (default: the unit's)")
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, opts: Partial<Omit<TemplateOptions, 'resource' | 'web'>> & { web?: boolean }, cmd: Command) => {
      const weeks = horizonWeeksOption(opts.weeks);
      const { done, tz } = await withApi(cmd, async (api) => {
        const types = opts.types === undefined ? [] : await api('appointmentTypes.list', { includeInactive: true });
        const typeId = (code: string) => {
          const t = types.find((x) => codeKey(x.code) === codeKey(code));
          if (!t) throw new UsageError(`Det finns ingen besökstyp med koden "${code.trim()}" (tidbok types list visar dem).`);
          return t.id;
        };
        const changes: InputOf<'templates.update'>['changes'] = {
          ...(opts.weekdays === undefined ? {} : { weekdays: parseWeekdays(opts.weekdays) }),
          ...(opts.start === undefined ? {} : { startTime: opts.start }),
          ...(opts.end === undefined ? {} : { endTime: opts.end }),
          ...(opts.slot === undefined ? {} : { slotMin: wholeNumber('--slot', opts.slot) }),
          ...(opts.types === undefined ? {} : { appointmentTypeIds: opts.types.split(',').map(typeId) }),
          ...(opts.every === undefined ? {} : { everyNWeeks: wholeNumber('--every', opts.every) }),
          ...(opts.from === undefined ? {} : { validFrom: parseDateOption('--from', opts.from) }),
          ...(opts.to === undefined ? {} : { validTo: opts.to === 'none' ? null : parseDateOption('--to', opts.to) }),
          ...(opts.web === undefined ? {} : { publishWeb: opts.web }),
          ...(opts.name === undefined ? {} : { name: opts.name }),
        };
        if (Object.keys(changes).length === 0) throw new UsageError('Inget att ändra: ange minst en flagga (se --help).');
        return {
          done: await api('templates.update', { id, changes, horizonWeeks: weeks }),
          tz: (await api('unit.get', {})).timeZone,
        };
      });
      if (opts.json) return print(JSON.stringify(done, null, 2));
      const e = done.expansion;
      print(`Schemamallen är ändrad: ${e.created} nya, ${e.updated} ändrade och ${e.removed} borttagna kommande lediga tider.`);
      if (e.skippedOverlaps) print(`${e.skippedOverlaps} tider hoppades över (överlappar en annan tid).`);
      for (const d of clockChanges(done.template, e.from, e.to, tz, e.skippedHolidays))
        print(`Omställning ${d.date}: ${clockChangeText(d)}.`);
      if (e.bookedUnchanged.length)
        print(`${e.bookedUnchanged.length} bokade tider ligger kvar oförändrade (boka om dem vid behov):`);
      for (const b of e.bookedUnchanged)
        print(
          `${localDate(b.startAt, tz)} ${localTime(b.startAt, tz)}–${localEndTime(b.startAt, b.endAt, tz)}  bokning ${b.bookingId}`,
        );
    });

  templates
    .command('deactivate')
    .description('Deactivate a template: its future free slots are removed, booked ones stay and are listed')
    .argument('<id>', 'template id (tidbok templates list)')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { done, tz } = await withApi(cmd, async (api) => ({
        done: await api('templates.deactivate', { id }),
        tz: (await api('unit.get', {})).timeZone,
      }));
      if (opts.json) return print(JSON.stringify(done, null, 2));
      const booked = done.expansion.bookedUnchanged;
      print(`Schemamallen är inaktiverad: ${done.expansion.removed} kommande lediga tider borttagna.`);
      // Times the resource's other templates plan there (they overlapped this one until now).
      if (done.expansion.created) print(`${done.expansion.created} tider från resursens andra mallar lades ut i stället.`);
      if (booked.length) print(`${booked.length} bokade tider ligger kvar (boka om dem vid behov):`);
      for (const b of booked)
        print(
          `${localDate(b.startAt, tz)} ${localTime(b.startAt, tz)}–${localEndTime(b.startAt, b.endAt, tz)}  bokning ${b.bookingId}`,
        );
    });
}
