// `tidbok export` and `tidbok stats`: scheduled exports for admins (cron, Task Scheduler).
// Exit codes (cli/common.ts): 0 ok; 1 failure (database unreadable, disk full, ...);
// 2 bad usage or input (bad date, unknown unit or resource, unknown format). A failed export
// leaves no file at --out: it is written under a temporary name and renamed when complete.
import type { Command } from 'commander';
import { dirname, join, basename } from 'node:path';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { AppError } from '../api/result.ts';
import { createContext } from '../services/context.ts';
import { findUnitByHsaId } from '../services/unit.ts';
import { unitStatistics } from '../services/statistics.ts';
import { openDatabase } from '../store/database.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { exportToFile, type ExportFormat } from '../export/service.ts';
import type { ExportContent } from '../export/query.ts';
import { statisticsCsv } from '../export/stats-csv.ts';
import { cliCaller, dbOption, EXIT, parseDateOption, UsageError } from './common.ts';

const EXIT_CODES_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, disk); ${EXIT.usage} bad usage or input (date, unit, resource, format).
A failed export leaves no file at --out; every export is recorded in the access log.`;

const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'ics', 'pdf'];
const CONTENTS: readonly ExportContent[] = ['bookings', 'slots', 'both'];

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${name} ska vara ett av ${allowed.join(', ')}, inte "${value}".`);
  return value as T;
}

function period(opts: { from: string; to: string }): { from: string; to: string } {
  const from = parseDateOption('--from', opts.from);
  const to = parseDateOption('--to', opts.to);
  if (to < from) throw new UsageError(`--to (${to}) är före --from (${from}).`);
  return { from, to };
}

/** Opens the database and checks the unit; input errors become usage errors (exit 2). */
function withUnit<T>(cmd: Command, hsaId: string, run: (ctx: ReturnType<typeof createContext>) => Promise<T>): Promise<T> {
  const path = dbOption(cmd) ?? defaultDatabasePath();
  if (!existsSync(path)) return Promise.reject(new UsageError(`Ingen databas i ${path}.`));
  const db = openDatabase(path);
  const ctx = createContext(db, { now: systemClock() });
  const close = () => db.close();
  if (!findUnitByHsaId(ctx, hsaId)) {
    close();
    return Promise.reject(new UsageError(`Okänd vårdenhet "${hsaId}": databasen har ingen enhet med det HSA-id:t.`));
  }
  return run(ctx).then(
    (v) => {
      close();
      return v;
    },
    (err: unknown) => {
      close();
      if (err instanceof AppError && (err.code === 'validation' || err.code === 'not_found')) throw new UsageError(err.messageSv);
      throw err;
    },
  );
}

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('Export a unit’s slots and bookings for a period (to is included) as CSV, XLSX, ICS or PDF day lists')
    .requiredOption('--unit <hsa-id>', 'the unit’s HSA-id, e.g. SE2321000016-7SOL')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day (included), YYYY-MM-DD')
    .requiredOption('--format <format>', 'csv | xlsx | ics | pdf')
    .requiredOption('--out <file>', 'file to write (replaced only when the export completes)')
    .option('--content <content>', 'bookings | slots | both', 'both')
    .option('--pseudonymise', 'no identity numbers, contact details or notes; initials instead of names')
    .option('--no-patients', 'no patient data at all')
    .option('--separator <separator>', 'CSV field separator: semicolon (Swedish Excel) | comma', 'semicolon')
    .option('--sheets <layout>', 'XLSX: combined | per-resource', 'combined')
    .option('--db <file>', 'SQLite database file')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      async (
        opts: {
          unit: string;
          from: string;
          to: string;
          format: string;
          out: string;
          content: string;
          pseudonymise?: boolean;
          patients: boolean;
          separator: string;
          sheets: string;
        },
        cmd: Command,
      ) => {
        const { from, to } = period(opts);
        const format = choice('--format', opts.format, FORMATS);
        const content = choice('--content', opts.content, CONTENTS);
        const separator = choice('--separator', opts.separator, ['semicolon', 'comma'] as const);
        const layout = choice('--sheets', opts.sheets, ['combined', 'per-resource'] as const);
        const outcome = await withUnit(cmd, opts.unit, (ctx) =>
          exportToFile(
            ctx,
            cliCaller(),
            {
              unitHsaId: opts.unit,
              from,
              to,
              content,
              patientData: !opts.patients ? 'none' : opts.pseudonymise ? 'pseudonymised' : 'full',
              format,
              separator,
              layout: layout === 'per-resource' ? 'perResource' : 'combined',
              purpose: 'export',
            },
            opts.out,
          ),
        );
        process.stdout.write(`${opts.out}: ${outcome.rows} rader, ${outcome.patients} patienter (loggat i åtkomstloggen).\n`);
      },
    );

  program
    .command('stats')
    .description(
      'Booking statistics of a unit for a period (to is included): web share, rebookings, cancellations, no-shows, utilisation, lead time',
    )
    .requiredOption('--unit <hsa-id>', 'the unit’s HSA-id')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day (included), YYYY-MM-DD')
    .option('--format <format>', 'json | csv', 'json')
    .option('--separator <separator>', 'CSV field separator: semicolon | comma', 'semicolon')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--db <file>', 'SQLite database file')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      async (opts: { unit: string; from: string; to: string; format: string; separator: string; out?: string }, cmd: Command) => {
        const { from, to } = period(opts);
        const format = choice('--format', opts.format, ['json', 'csv'] as const);
        const separator = choice('--separator', opts.separator, ['semicolon', 'comma'] as const);
        const text = await withUnit(cmd, opts.unit, (ctx) => {
          const stats = unitStatistics(ctx, { unitHsaId: opts.unit, from, to });
          return Promise.resolve(format === 'json' ? `${JSON.stringify(stats, null, 2)}\n` : statisticsCsv(stats, separator));
        });
        if (!opts.out) {
          process.stdout.write(text);
          return;
        }
        const temp = join(dirname(opts.out), `.${basename(opts.out)}.${process.pid}.tmp`);
        try {
          writeFileSync(temp, text, { flag: 'wx' });
          renameSync(temp, opts.out);
        } catch (err) {
          rmSync(temp, { force: true });
          throw err;
        }
      },
    );
}
