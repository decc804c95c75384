// Setting up a real unit from the command line: `tidbok unit init` on a fresh (non-demo)
// database, then `tidbok resources add|list|deactivate`. Exit codes (cli/common.ts): 0 ok;
// 1 failure (database unreadable, no unit yet); 2 bad usage or refused input (malformed HSA-id,
// a unit already set up, unknown resource, future bookings in the way).
import type { Command } from 'commander';
import { AppError } from '../api/result.ts';
import type { Resource, ResourceKind } from '../api/types.ts';
import { defaultDatabasePath, systemClock } from '../runtime.ts';
import { createContext, type ServiceContext } from '../services/context.ts';
import { currentUnitId, listResources } from '../services/unit.ts';
import { openDatabase } from '../store/database.ts';
import { withApi } from './catalog.ts';
import { dbOption, EXIT, UsageError, pickResource } from './common.ts';

const EXIT_HELP = `
Exit codes: ${EXIT.ok} ok; ${EXIT.failure} failure (database, no unit); ${EXIT.usage} bad usage or refused input.`;

const KINDS: readonly ResourceKind[] = ['clinician', 'room', 'equipment'];

/** Opens the database, runs `body`, closes; an AppError the input caused is a usage error (exit 2). */
function withDb<T>(cmd: Command, needsUnit: boolean, body: (ctx: ServiceContext) => T): T {
  const db = openDatabase(dbOption(cmd) ?? defaultDatabasePath());
  try {
    const ctx = createContext(db, { now: systemClock() });
    if (needsUnit && currentUnitId(ctx) === null) {
      // A failure (exit 1), said in one line: there is nothing to list or add to yet.
      db.close();
      process.stderr.write('tidbok: Databasen har ingen vårdenhet än: kör först `tidbok unit init --hsa SE… --name "…"`.\n');
      process.exit(EXIT.failure);
    }
    try {
      return body(ctx);
    } catch (err) {
      if (err instanceof AppError && err.code !== 'internal') throw new UsageError(err.messageSv);
      throw err;
    }
  } finally {
    db.close();
  }
}

/** A resource by id, HSA-id or unique name. */
function findResource(ctx: ServiceContext, key: string): Resource {
  return pickResource(listResources(ctx, { includeInactive: true }), key);
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function registerSetupCommands(program: Command): void {
  const unit = program.command('unit').description('The care unit this database serves');
  unit
    .command('init')
    .description('Set up the care unit of a fresh database (not the demo); once per database')
    .requiredOption('--hsa <id>', 'the unit’s HSA-id, e.g. SE2321000016-ABCD')
    .requiredOption('--name <name>', 'the unit’s name, e.g. "Vårdcentralen Norrby"')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the unit as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (opts: { hsa: string; name: string; json?: boolean }, cmd: Command) => {
      // Through the api, so the command line takes what the app takes (a name's length, no control characters).
      const created = await withApi(cmd, (api) => api('unit.create', { hsaId: opts.hsa, name: opts.name }), { needsUnit: false });
      if (opts.json) return print(JSON.stringify(created));
      print(`Vårdenheten ${created.name} (${created.hsaId}) är upplagd. Lägg till resurser med \`tidbok resources add\`.`);
    });

  const resources = program.command('resources').description('Clinicians, rooms and equipment of the unit');
  resources
    .command('list')
    .description('List the unit’s resources in calendar order')
    .option('--all', 'include inactive resources')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print JSON')
    .addHelpText('after', EXIT_HELP)
    .action((opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const list = withDb(cmd, true, (ctx) => listResources(ctx, { includeInactive: opts.all ?? false }));
      if (opts.json) return print(JSON.stringify(list));
      for (const r of list) {
        const what = [r.kind, r.profession, r.title].filter(Boolean).join(', ');
        print(`${r.id}  ${r.name}  (${what})${r.hsaId ? `  ${r.hsaId}` : ''}${r.active ? '' : '  [inaktiv]'}`);
      }
    });
  resources
    .command('add')
    .description('Add a clinician, room or equipment (last in calendar order)')
    .requiredOption('--kind <kind>', 'clinician | room | equipment')
    .requiredOption('--name <name>', 'e.g. "Anna Berg"')
    .option('--profession <code>', 'for clinicians: lakare, sjukskoterska, fysioterapeut, psykolog, …')
    .option('--title <title>', 'e.g. Distriktsläkare')
    .option('--hsa <id>', 'the person’s HSA-id')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the resource as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      async (
        opts: { kind: string; name: string; profession?: string; title?: string; hsa?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (!KINDS.includes(opts.kind as ResourceKind)) {
          throw new UsageError(`--kind ska vara ett av ${KINDS.join(', ')}, inte "${opts.kind}".`);
        }
        const r = await withApi(cmd, (api) =>
          api('resources.create', {
            kind: opts.kind as ResourceKind,
            name: opts.name,
            profession: opts.profession ?? null,
            title: opts.title ?? null,
            hsaId: opts.hsa ?? null,
          }),
        );
        if (opts.json) return print(JSON.stringify(r));
        print(`${r.id}  ${r.name} är tillagd.`);
      },
    );
  resources
    .command('deactivate')
    .description('Deactivate a resource (refused while it has future bookings); its future free slots and templates go with it')
    .argument('<resource>', 'id, HSA-id or name')
    .option('--db <file>', 'SQLite database file')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (key: string, opts: { json?: boolean }, cmd: Command) => {
      const done = await withApi(cmd, (api, { ctx }) =>
        api('resources.setActive', { id: findResource(ctx, key).id, active: false }),
      );
      if (opts.json) return print(JSON.stringify(done));
      print(
        `${done.resource.name} är inaktiverad: ${done.slotsRemoved} kommande lediga tider borttagna, ${done.templatesDeactivated} schemamallar inaktiverade.`,
      );
    });
}
