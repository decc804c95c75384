// `tidbok desk`: making a unit's further desk from the first desk's database, and confirming that a
// database opened in a new place is the same desk, moved (services/desk-identity.ts).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { openDatabase } from '../store/database.ts';
import { createContext } from '../services/context.ts';
import { BackupError } from '../services/backup.ts';
import { confirmDeskMoved, copyDesk, DeskCopyError, deskMoved } from '../services/desk-identity.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { cliCaller, dbOption, UsageError } from './common.ts';

export function registerDeskCommands(program: Command): void {
  const desk = program.command('desk').description("A unit's desks (workstations with their own database)");
  desk
    .command('copy')
    .description("Make a further desk from the first desk's database (may be running); --db is the new file")
    .requiredOption('--from <file>', "the first desk's database")
    .option('--db <file>', 'the new desk’s database file (must not exist)')
    .action(async (opts: { from: string }, cmd: Command) => {
      const to = resolve(dbOption(cmd) ?? defaultDatabasePath());
      const from = resolve(opts.from);
      let r;
      try {
        r = await copyDesk(from, to, cliCaller(), { now: systemClock() });
      } catch (err) {
        if (err instanceof DeskCopyError || err instanceof BackupError) throw new UsageError(err.message);
        throw err;
      }
      const lines = [
        `Ny kassa skapad: ${to} (kopia av ${from}).`,
        r.chainStartsAfter > 0
          ? `Åtkomstloggen går vidare i en egen kedja från rad ${r.chainStartsAfter + 1}; rad 1–${r.chainStartsAfter} skickas till den centrala tidboken av kassan den kopierades från.`
          : 'Åtkomstloggen går vidare i en egen kedja.',
        `${r.outboxLeft} ändringar som ännu inte var skickade lämnas åt kassan den kopierades från (den skickar dem).`,
        ...(r.conflictsLeft > 0 ? [`${r.conflictsLeft} öppna konflikter lämnas åt kassan den kopierades från.`] : []),
        `${r.sessionsEnded} inloggningar från den kassan gäller inte här; prenumerationerna hos den centrala tidboken blir kassans egna vid första synken.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!r.unitOnCentral) {
        // Not wrong, but both desks would then send the whole unit to central (the same rows: no harm, twice the work).
        process.stderr.write(
          'tidbok: OBS: kassan som kopierades har ännu inte synkat med någon central tidbok; gör nästa kopia efter dess första synk.\n',
        );
      }
    });
  desk
    .command('moved')
    .description('Confirm that a database opened in a new place (another computer or folder) is the same desk, moved')
    .option('--db <file>', 'SQLite database file')
    .action((_opts: unknown, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      const db = openDatabase(path);
      try {
        const ctx = createContext(db, { now: systemClock() });
        const moved = deskMoved(ctx);
        if (!moved) {
          process.stdout.write(`${path} används där den först öppnades; inget att bekräfta.\n`);
          return;
        }
        confirmDeskMoved(ctx, cliCaller());
        process.stdout.write(
          `Bekräftat: samma kassa, flyttad från ${moved.recorded.host}:${moved.recorded.path} till ${moved.here.host}:${moved.here.path}.\n`,
        );
      } finally {
        db.close();
      }
    });
}
