#!/usr/bin/env node
// `tidbok` — the command line: start, serve, db migrate, demo seed, and the admin commands
// registered from src-main/cli/. Exit codes: 0 ok, 1 failure, 2 bad usage or input.
import { Command, CommanderError, Option } from 'commander';
import { StoreOpenError } from './store/database.ts';
import { registerCoreCommands } from './cli/core.ts';
import { registerExportCommands } from './cli/export.ts';
import { registerAdminCommands } from './cli/admin.ts';
import { registerSyncCommands } from './cli/sync.ts';
import { registerSchedulingCommands } from './cli/scheduling.ts';
import { registerSetupCommands } from './cli/setup.ts';
import { registerCatalogCommands } from './cli/catalog.ts';
import { registerAbsenceCommands } from './cli/absences.ts';
import { registerHolidayCommands } from './cli/holidays.ts';
import { registerBookingCommands } from './cli/bookings.ts';
import { registerDeskCommands } from './cli/desk.ts';
import { commanderErrorInSwedish, EXIT, UsageError } from './cli/common.ts';
import { databaseBusy, isDatabaseBusy } from './api/busy.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tidbok')
    .description('Tidbok – tidbok för vårdenheter (appointment book for Swedish care units)')
    // One Swedish line and where the help is, not the whole English help after every slip.
    .showHelpAfterError('(lägg till --help för hjälpen)')
    .configureOutput({ outputError: (str, write) => write(commanderErrorInSwedish(str)) })
    .exitOverride();
  program.addOption(new Option('--db <file>', 'SQLite database file (default: TIDBOK_DB or the user-data folder)'));
  registerCoreCommands(program);
  registerExportCommands(program);
  registerAdminCommands(program);
  registerSyncCommands(program);
  registerSchedulingCommands(program);
  registerSetupCommands(program);
  registerCatalogCommands(program);
  registerAbsenceCommands(program);
  registerHolidayCommands(program);
  registerBookingCommands(program);
  registerDeskCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`tidbok: ${err.message}\n`);
      return EXIT.usage;
    }
    if (isDatabaseBusy(err)) {
      process.stderr.write(`tidbok: ${databaseBusy().messageSv}\n`);
      return EXIT.failure;
    }
    if (err instanceof StoreOpenError) {
      process.stderr.write(`tidbok: ${err.message}\n`);
      return EXIT.failure;
    }
    // Not foreseen: one line for whoever ran it (a script's log stays readable); where it came
    // from only when the log level asks for it.
    process.stderr.write(`tidbok: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof Error && err.stack && /^(debug|trace)$/.test(process.env['TIDBOK_LOG_LEVEL'] ?? '')) {
      process.stderr.write(`${err.stack}\n`);
    }
    return EXIT.failure;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  // Output piped into `head` or a closed pager: stop quietly, what was asked is done.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
  main(process.argv).then(
    (code) => {
      // Long-running commands (serve, start) keep the event loop alive themselves.
      if (code !== EXIT.ok) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`tidbok: ${String(err)}\n`);
      process.exit(EXIT.failure);
    },
  );
}
