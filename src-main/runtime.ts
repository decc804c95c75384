// Composition root shared by the Electron shell, the web shell and the CLI: opens the database,
// seeds the demo unit into an empty one (unless told not to) and builds the service context.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, type OpenOptions } from './store/database.ts';
import { createContext, type ServiceContext } from './services/context.ts';
import { AlreadySeeded, hasAnyUnit, seedDemo, type SeedSummary } from './demo/seed.ts';
import { checkDeskPlace } from './services/desk-identity.ts';
import type { Logger } from './log.ts';

/** The platform's user-data folder, as Electron's app.getPath('userData') would give it. */
export function userDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Tidbok');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Tidbok');
    default:
      return join(process.env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Tidbok');
  }
}

export function defaultDatabasePath(): string {
  return process.env['TIDBOK_DB'] ?? join(userDataDir(), 'tidbok.db');
}

export interface Runtime {
  ctx: ServiceContext;
  dbPath: string;
  seeded: SeedSummary | null;
  close(): void;
}

/**
 * The clock. TIDBOK_NOW (an ISO instant) pins it, for demos and end-to-end tests that need a
 * known weekday; nothing else reads the system clock.
 */
/**
 * Whether this desk keeps the schedule horizon (services/horizon.ts). Templates sync between a
 * unit's desks and their slots have the same ids on every desk, so every desk may lay out new
 * days; with TIDBOK_SCHEDULE_HORIZON=off a desk leaves that to the others (one planning desk is
 * enough) and takes their slots from central.
 */
export function keepsScheduleHorizon(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['TIDBOK_SCHEDULE_HORIZON'] !== 'off';
}

export const HORIZON_OFF_NOTICE =
  'Schemahorisonten läggs inte ut på den här datorn (TIDBOK_SCHEDULE_HORIZON=off): nya dagar läggs ut av enhetens andra datorer och hämtas från den centrala tidboken.';

export function systemClock(): () => number {
  const pinned = process.env['TIDBOK_NOW'];
  if (pinned) {
    const at = Date.parse(pinned);
    if (Number.isNaN(at)) {
      throw new Error(`TIDBOK_NOW ska vara en tidpunkt i ISO 8601, t.ex. 2026-11-23T09:10:00+01:00, inte "${pinned}".`);
    }
    const offset = at - Date.now();
    return () => Date.now() + offset;
  }
  return () => Date.now();
}

export function openRuntime(
  options: {
    dbPath?: string | undefined;
    demo?: boolean;
    open?: OpenOptions;
    now?: () => number;
    log?: Pick<Logger, 'warn'> | undefined;
  } = {},
): Runtime {
  const dbPath = options.dbPath ?? defaultDatabasePath();
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const db = openDatabase(dbPath, options.open);
  const ctx = createContext(db, { now: options.now ?? systemClock() });
  // A file copied by hand is the first desk twice (one access-log chain, one subscriber id): say
  // so, change nothing (a moved folder is the same desk); the Sync page asks the admin which.
  const moved = checkDeskPlace(ctx);
  if (moved) {
    options.log?.warn(
      { recorded: moved.recorded, here: moved.here },
      'the database was first opened elsewhere: a copy needs `tidbok desk copy` to be a desk of its own; an admin confirms a move on the Sync page',
    );
  }
  let seeded: SeedSummary | null = null;
  try {
    if (options.demo !== false && !hasAnyUnit(ctx)) seeded = seedDemo(ctx);
  } catch (err) {
    if (!(err instanceof AlreadySeeded)) throw err; // another desk process seeded it a moment ago
  }
  return { ctx, dbPath, seeded, close: () => db.close() };
}
