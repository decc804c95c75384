// Sync commands: `tidbok central` (the stand-in central booking API), `tidbok sync` (push and
// pull against a central), `tidbok simulate-patients` (1177 users on a central).
// `sync --once` exits 0 when all is in step, 3 when it finished with conflicts for the Konflikter
// inbox, 1 when the central could not be reached or refused entries.
import type { Command } from 'commander';
import { startCentral } from '../demo/central/server.ts';
import { PatientSimulator } from '../demo/central/simulator.ts';
import { openRuntime, defaultDatabasePath } from '../runtime.ts';
import { FhirCentralApi } from '../sync/central-api.ts';
import { resolveToken, saveCentralUrl } from '../sync/config.ts';
import { SyncEngine, countsOf } from '../sync/engine.ts';
import { centralUrlSetting } from '../services/sync-claims.ts';
import { createLogger } from '../log.ts';
import { dbOption, EXIT, parsePort, UsageError } from './common.ts';

// `serve` / `start` run sync through the shells' shared entry (demo/central/demo.ts).
export { startShellSync } from '../demo/central/demo.ts';

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 6000)
    throw new UsageError(`--rate ska vara antal handlingar per minut (över 0, högst 6000), inte "${value}".`);
  return n;
}

export function registerSyncCommands(program: Command): void {
  program
    .command('central')
    .description('Run the stand-in central booking API (FHIR R4) on 127.0.0.1')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--token <token>', 'bearer token clients must send (default: TIDBOK_CENTRAL_TOKEN, else none)')
    .option('--no-websocket', 'offer no Subscription websocket (desks then poll)')
    .action(async (opts: { port: string; token?: string; websocket: boolean }) => {
      const token = opts.token ?? process.env['TIDBOK_CENTRAL_TOKEN'] ?? null;
      const central = await startCentral({ port: parsePort(opts.port), token, websocket: opts.websocket });
      process.stdout.write(`Central (FHIR R4) körs på ${central.url}${token ? ' (kräver token)' : ''}\n`);
      await untilSignal();
      await central.close();
    });

  program
    .command('sync')
    .description('Push queued changes to the central booking API and pull its changes')
    .option('--central <url>', 'base URL of the central FHIR API (default: the saved setting)')
    .option('--db <file>', 'SQLite database file')
    .option('--once', 'sync until in step, print a summary and exit (0 ok, 1 failure, 3 conflicts)')
    .option('--save', 'remember --central as this database’s central')
    .action(async (opts: { central?: string; once?: boolean; save?: boolean }, cmd: Command) => {
      const runtime = openRuntime({ dbPath: dbOption(cmd) ?? defaultDatabasePath(), demo: false });
      try {
        const url = opts.central ?? centralUrlSetting(runtime.ctx);
        if (!url) throw new UsageError('No central configured: give --central URL.');
        if (opts.central && opts.save) saveCentralUrl(runtime.ctx, opts.central);
        const api = new FhirCentralApi({ baseUrl: url, token: resolveToken(runtime.ctx) });
        const engine = new SyncEngine(runtime.ctx, api, { log: createLogger() });
        if (opts.once) {
          const r = await engine.settle(50);
          const c = countsOf(runtime.ctx);
          process.stdout.write(
            `sync: pushed ${r.pushed}, pulled ${r.pulled}, conflicts ${r.conflicts}, failed ${c.failed}, waiting ${c.pending}${r.error ? ` — ${r.failure}: ${engine.status().lastError ?? r.error.message}` : ''}\n`,
          );
          process.exitCode =
            r.error || c.failed > 0 ? EXIT.failure : r.conflicts > 0 || c.conflicts > 0 ? EXIT.conflicts : EXIT.ok;
          return;
        }
        engine.start();
        process.stdout.write(`Synkar mot ${url}. Avsluta med Ctrl+C.\n`);
        await untilSignal();
        await engine.stop();
      } finally {
        runtime.close();
      }
    });

  program
    .command('simulate-patients')
    .description('Simulate 1177 patients booking, cancelling and rebooking web-published slots on a central')
    .requiredOption('--central <url>', 'base URL of the central FHIR API')
    .option('--rate <n>', 'actions per minute', '6')
    .option('--actions <n>', 'stop after this many actions')
    .option('--seed <n>', 'random seed', '1177')
    .action(async (opts: { central: string; rate: string; actions?: string; seed: string }) => {
      const api = new FhirCentralApi({ baseUrl: opts.central, token: process.env['TIDBOK_CENTRAL_TOKEN'] ?? null });
      const sim = new PatientSimulator(api, { seed: Number(opts.seed) });
      const limit = opts.actions === undefined ? Infinity : Number(opts.actions);
      let done = 0;
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((r) => (finish = r));
      sim.start(parseRate(opts.rate), (a) => {
        process.stdout.write(`${new Date().toISOString()} ${a}\n`);
        if (++done >= limit) finish();
      });
      await Promise.race([finished, untilSignal()]);
      await sim.stop();
      const s = sim.stats;
      process.stdout.write(
        `simulate-patients: booked ${s.booked}, cancelled ${s.cancelled}, rebooked ${s.rebooked}, lost races ${s.lostRaces}, errors ${s.errors}\n`,
      );
      if (s.errors > 0 && s.booked + s.cancelled + s.rebooked === 0) process.exitCode = EXIT.failure;
    });
}
