// Admin commands: the first admin account, staff list, access-log check and extract, backup and
// restore. Messages in Swedish (the operator's language); exit codes as in cli/common.ts.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { openDatabase } from '../store/database.ts';
import { createContext, type ServiceContext } from '../services/context.ts';
import { countUsers, createFirstAdmin, listUsers } from '../services/auth.ts';
import { patientLogExtract, verifyAudit } from '../services/audit-query.ts';
import { backupTo, BackupError, restoreFrom } from '../services/backup.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { AppError } from '../api/result.ts';
import { cliCaller, dbOption, EXIT, parseDateOption, UsageError } from './common.ts';
import { centralAuditCheck } from '../sync/audit-ship.ts';
import { FhirCentralApi } from '../sync/central-api.ts';
import { resolveToken } from '../sync/config.ts';
import { centralUrlSetting } from '../services/sync-claims.ts';

function withContext<T>(cmd: Command, run: (ctx: ServiceContext, path: string) => T): T {
  const path = dbOption(cmd) ?? defaultDatabasePath();
  const db = openDatabase(path);
  try {
    return run(createContext(db, { now: systemClock() }), path);
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(err.messageSv);
    throw err;
  } finally {
    db.close();
  }
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

export function registerAdminCommands(program: Command): void {
  const users = program.command('users').description('Staff accounts');
  users
    .command('create-admin')
    .description('Create the first admin of an empty database (password on stdin or in TIDBOK_ADMIN_PASSWORD)')
    .requiredOption('--username <name>', 'sign-in name')
    .requiredOption('--name <display>', 'full name as shown in the app and the access log')
    .option('--db <file>', 'SQLite database file')
    .action(async (opts: { username: string; name: string }, cmd: Command) => {
      const password = process.env['TIDBOK_ADMIN_PASSWORD'] ?? (await readStdinLine());
      withContext(cmd, (ctx, path) => {
        if (countUsers(ctx) > 0)
          throw new UsageError(`${path} har redan användare; logga in som administratör och lägg upp konton där.`);
        const user = createFirstAdmin(ctx, hostname(), { username: opts.username, displayName: opts.name, password });
        process.stdout.write(`Administratören ${user.username} (${user.displayName}) är skapad i ${path}.\n`);
      });
    });
  users
    .command('list')
    .description('List staff accounts and their roles')
    .option('--db <file>', 'SQLite database file')
    .action((_opts: unknown, cmd: Command) => {
      withContext(cmd, (ctx) => {
        for (const u of listUsers(ctx)) {
          const state = u.active ? (u.lockedUntil && u.lockedUntil > ctx.now() ? 'spärrad' : 'aktiv') : 'inaktiv';
          process.stdout.write(`${u.username}\t${u.displayName}\t${u.roles.join(',')}\t${state}\n`);
        }
      });
    });

  const audit = program.command('audit').description('The access log (Patientdatalagen)');
  audit
    .command('verify')
    .description('Check the hash chain of the access log; exit 1 when a row was edited or deleted')
    .option('--central', "also compare it with central's copy (the configured central booking API)")
    .option('--db <file>', 'SQLite database file')
    .action(async (opts: { central?: boolean }, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      const db = openDatabase(path);
      try {
        const ctx = createContext(db, { now: systemClock() });
        const result = verifyAudit(ctx);
        if (result.intact) process.stdout.write(`Åtkomstloggen är obruten: ${result.events} händelser.\n`);
        else {
          process.stderr.write(`tidbok: Åtkomstloggen är BRUTEN vid rad ${result.broken!.seq}: ${result.broken!.reason}.\n`);
          process.exitCode = EXIT.failure;
        }
        if (!opts.central) return;
        const url = centralUrlSetting(ctx);
        if (!url) throw new UsageError('Ingen central tidbok är inställd för databasen (tidbok sync --central URL --save).');
        const check = await centralAuditCheck(ctx, new FhirCentralApi({ baseUrl: url, token: resolveToken(ctx) }));
        if (check?.unreachable) {
          process.stderr.write(`tidbok: Kopian hos den centrala tidboken kunde inte läsas: ${check.unreachable}\n`);
          process.exitCode = EXIT.failure;
        } else if (check?.problem) {
          process.stderr.write(
            `tidbok: Åtkomstloggen skiljer sig från kopian hos den centrala tidboken vid rad ${check.problem.seq}: ${check.problem.reason}.\n`,
          );
          process.exitCode = EXIT.failure;
        } else {
          process.stdout.write(
            `Kopian hos den centrala tidboken stämmer till och med rad ${check!.upTo} (${check!.unsent} händelser ännu inte skickade).\n`,
          );
          // A desk copy or a restore: the rows before belong to another chain at central.
          if (check!.chainStartsAfter > 0) {
            process.stdout.write(
              `Kassans egen kedja börjar efter rad ${check!.chainStartsAfter}; raderna före hör till en tidigare kedja hos den centrala tidboken.\n`,
            );
          }
        }
      } finally {
        db.close();
      }
    });
  audit
    .command('extract')
    .description("A patient's log extract: which units, users and times accessed the patient (CSV)")
    .requiredOption('--patient <personnummer>', 'the patient, by identity number')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--out <file>', 'write the CSV here instead of stdout')
    .option('--db <file>', 'SQLite database file')
    .action((opts: { patient: string; from?: string; to?: string; out?: string }, cmd: Command) => {
      const from = opts.from === undefined ? undefined : parseDateOption('--from', opts.from);
      const to = opts.to === undefined ? undefined : parseDateOption('--to', opts.to);
      const extract = withContext(cmd, (ctx) => patientLogExtract(ctx, cliCaller(), { identityNumber: opts.patient, from, to }));
      const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const lines = [
        'tid_utc,handelse,enhet_hsa_id,enhet,anvandare,arbetsstation',
        ...extract.entries.map((e) =>
          [new Date(e.at).toISOString(), e.action, e.unitHsaId ?? '', e.unitName ?? '', e.user ?? '', e.workstation]
            .map(quote)
            .join(','),
        ),
      ];
      const csv = `${lines.join('\n')}\n`;
      if (opts.out) {
        writeFileSync(resolve(opts.out), csv);
        process.stdout.write(`Loggutdrag för ${extract.patient.name}: ${extract.entries.length} händelser -> ${opts.out}\n`);
      } else process.stdout.write(csv);
    });

  program
    .command('backup')
    .description('Write a checked online backup of the database')
    .requiredOption('--out <file>', 'backup file to write')
    .option('--db <file>', 'SQLite database file')
    .action(async (opts: { out: string }, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      const db = openDatabase(path);
      try {
        const info = await backupTo(db, resolve(opts.out));
        process.stdout.write(
          `Säkerhetskopia skriven och kontrollerad: ${info.file} (${Math.ceil(info.bytes / 1024)} kB, schemaversion ${info.schemaVersion}).\n`,
        );
      } finally {
        db.close();
      }
    });

  program
    .command('restore')
    .description('Replace the database with a backup (Tidbok must not be running); the old file is kept beside it')
    .argument('<file>', 'backup file')
    .option('--db <file>', 'SQLite database file')
    .action((file: string, _opts: unknown, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      try {
        const r = restoreFrom(path, resolve(file), Date.now());
        process.stdout.write(`Återställd från ${r.restoredFrom} (schemaversion ${r.schemaVersion}) till ${path}.\n`);
        if (r.previous) process.stdout.write(`Den tidigare databasen finns kvar som ${r.previous}.\n`);
        if (!r.auditIntact) {
          process.stderr.write('tidbok: VARNING: åtkomstloggen i den återställda filen är bruten; kör `tidbok audit verify`.\n');
        }
      } catch (err) {
        if (err instanceof BackupError) throw new UsageError(`${err.message} Databasen ${path} är orörd.`);
        throw err;
      }
    });
}
