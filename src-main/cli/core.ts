// Core commands: start (Electron, or the web shell when Electron is missing), serve, db migrate, demo seed.
import type { Command } from 'commander';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, schemaVersion } from '../store/database.ts';
import { openRuntime } from '../runtime.ts';
import { createContext } from '../services/context.ts';
import { hasAnyUnit, seedDemo, DEMO_USERS } from '../demo/seed.ts';
import { startWebShell } from '../shells/web/server.ts';
import { isDemoDatabase, startDemoSession } from '../services/auth.ts';
import { backupSettings, scheduleBackups } from '../services/backup.ts';
import { keepScheduleHorizon } from '../services/horizon.ts';
import { watchExternalChanges } from '../services/external-changes.ts';
import { createFileLogger, logDirFor } from '../log.ts';
import { startShellSync } from './sync.ts';
import { dbOption, parsePort, UsageError } from './common.ts';
import { defaultDatabasePath, HORIZON_OFF_NOTICE, keepsScheduleHorizon, userDataDir } from '../runtime.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Path of the Electron binary, or null with the reason it cannot be used. Read from the electron
 * package's path.txt (what its index.js does) instead of loading that package: only
 * shells/electron touches the electron module.
 */
export function findElectron(): { path: string } | { path: null; reason: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: 'Electron-programmet är inte nedladdat och kunde inte hämtas' };
  const path = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(path)) return { path: null, reason: 'Electron-programmet är inte nedladdat' };
  return { path };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds main, preload and renderer when the renderer output is missing or older than its sources. */
export function ensureBuilt(): void {
  const index = join(ROOT, 'out', 'renderer', 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs < Math.max(newestMtime(join(ROOT, 'src-renderer')), newestMtime(join(ROOT, 'src-main', 'api')));
  if (!stale) return;
  process.stdout.write('Bygger gränssnittet (första start eller ändrad kod) …\n');
  const bin = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  const startedAt = new Date();
  const r = spawnSync(bin, ['build', '-c', 'electron.config.ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`Building the renderer failed (electron-vite exit ${String(r.status)}).`);
  // Dated when the build began: a source saved while it ran (the build may have missed it) is then
  // newer than the output, and the next start builds again.
  utimesSync(index, startedAt, startedAt);
}

async function serve(opts: { port: number; db?: string | undefined; demo: boolean; quietHint?: boolean }): Promise<void> {
  ensureBuilt();
  // The web shell logs like the desktop app: a rotating file in the user-data folder.
  const log = await createFileLogger({ dir: logDirFor(userDataDir()) });
  const runtime = openRuntime({ dbPath: opts.db, demo: opts.demo, log });
  if (runtime.seeded) {
    const s = runtime.seeded;
    process.stdout.write(
      `Demodata skapad: ${s.resources} resurser, ${s.appointmentTypes} besökstyper, ${s.slots} tider, ${s.bookings} bokningar (${s.from} – ${s.to}).\n`,
    );
  }
  const workstation = hostname();
  // The demo unit opens signed in as its receptionist; any other database asks for a sign-in.
  let launchSessionToken: string | undefined;
  if (isDemoDatabase(runtime.ctx)) {
    process.stdout.write(`Demoanvändare: ${DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ')}\n`);
    launchSessionToken = startDemoSession(runtime.ctx, DEMO_USERS[0]!.username, workstation).token;
    process.stdout.write(`Demoläge: adressen nedan öppnas inloggad som ${DEMO_USERS[0]!.username}.\n`);
  }
  const shell = await startWebShell({
    ctx: runtime.ctx,
    staticDir: join(ROOT, 'out', 'renderer'),
    port: opts.port,
    workstation,
    launchSessionToken,
    log,
  });
  // Templates stay expanded the unit's horizon ahead while the app runs (before sync starts,
  // so the first push already carries the new slots).
  const horizon = keepsScheduleHorizon() ? keepScheduleHorizon(runtime.ctx, { log }) : null;
  if (!horizon) process.stdout.write(`${HORIZON_OFF_NOTICE}\n`);
  const sync = await startShellSync(runtime.ctx, log);
  // Another process's writes (the CLI, a second shell) reach the screens and the sync engine too.
  const external = watchExternalChanges(runtime.ctx);
  process.stdout.write(`Databas: ${runtime.dbPath}\n`);
  process.stdout.write(`Tidbok (webbskal) körs på ${shell.url}\n`);
  process.stdout.write('Öppna adressen ovan i en webbläsare. Avsluta med Ctrl+C.\n');
  // Online backups while serving, and one at quit (services/backup.ts).
  const backups =
    runtime.dbPath === ':memory:'
      ? null
      : scheduleBackups(runtime.ctx.db, { ...backupSettings(runtime.dbPath), now: runtime.ctx.now, log });
  const stop = () => {
    void shell
      .close()
      .then(() => horizon?.stop())
      .then(() => external.stop())
      .then(() => backups?.stop())
      .then(() => sync?.stop())
      .finally(() => {
        runtime.close();
        process.exit(0);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerCoreCommands(program: Command): void {
  program
    .command('serve')
    .description('Start the web shell on 127.0.0.1 (prints the URL with its session token)')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--db <file>', 'SQLite database file')
    .option('--no-demo', 'do not seed the demo unit into an empty database')
    .action(async (opts: { port: string; demo: boolean }, cmd: Command) => {
      await serve({ port: parsePort(opts.port), db: dbOption(cmd), demo: opts.demo });
    });

  program
    .command('start')
    .description('Start the desktop app; falls back to the web shell when the Electron binary is missing')
    .option('--port <port>', 'port for the web-shell fallback', '0')
    .option('--db <file>', 'SQLite database file')
    .option('--no-demo', 'do not seed the demo unit into an empty database')
    .action(async (opts: { port: string; demo: boolean }, cmd: Command) => {
      let electron = findElectron();
      const db = dbOption(cmd);
      if (electron.path === null && process.env['TIDBOK_NO_ELECTRON_FETCH'] !== '1') {
        // npm install skips Electron's 100 MB download (allowScripts: electron false); fetch it
        // on first start. Where the network is closed this fails at once and we fall back.
        process.stdout.write('Hämtar Electron (första start) …\n');
        spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], {
          cwd: ROOT,
          stdio: 'ignore',
          timeout: 180_000,
        });
        electron = findElectron();
      }
      if (electron.path === null) {
        process.stdout.write(`Electron kan inte startas här (${electron.reason}); startar webbskalet i stället.\n`);
        await serve({ port: parsePort(opts.port), db, demo: opts.demo });
        return;
      }
      ensureBuilt();
      const env = { ...process.env, ...(db ? { TIDBOK_DB: resolve(db) } : {}), ...(opts.demo ? {} : { TIDBOK_NO_DEMO: '1' }) };
      const child = spawn(electron.path, [ROOT], { stdio: 'inherit', env });
      await new Promise<void>((done, fail) => {
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`Electron exited with code ${String(code)}`))));
        child.on('error', fail);
      });
    });

  const dbCmd = program.command('db').description('Database maintenance');
  dbCmd
    .command('migrate')
    .description('Create or migrate the database to the newest schema')
    .option('--db <file>', 'SQLite database file')
    .action((_opts: unknown, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      const db = openDatabase(path);
      process.stdout.write(`${path}: schemaversion ${schemaVersion(db)}\n`);
      db.close();
    });

  const demo = program.command('demo').description('Demo data');
  demo
    .command('seed')
    .description('Seed the demo unit into an empty database')
    .option('--db <file>', 'SQLite database file')
    .action((_opts: unknown, cmd: Command) => {
      const path = dbOption(cmd) ?? defaultDatabasePath();
      const db = openDatabase(path);
      try {
        const ctx = createContext(db);
        if (hasAnyUnit(ctx)) throw new UsageError(`${path} har redan en vårdenhet; demodata läggs bara i en tom databas.`);
        const s = seedDemo(ctx);
        process.stdout.write(
          `Demo seeded into ${path}: ${s.slots} slots, ${s.bookings} bookings, ${s.patients} patients; ` +
            `history since ${s.history.since}: ${s.history.slots} slots, ${s.history.bookings} bookings.\n`,
        );
      } finally {
        db.close();
      }
    });
}
