// Online backups (better-sqlite3's backup API: consistent while the app keeps writing), on a
// schedule and at quit, rotated, each checked after writing. Restore refuses a damaged or
// foreign file and swaps the database only after the restored copy has been opened, migrated
// and checked; the database it replaces is kept beside it.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadMigrations, openDatabase, TIDBOK_APPLICATION_ID, type Db, type OpenOptions } from '../store/database.ts';
import type { Logger } from '../log.ts';
import { missingFromShape, schemaShape } from '../store/schema-shape.ts';
import { createContext } from './context.ts';
import { auditChainId, startNewAuditChain, verifyAuditChain } from './audit.ts';

export class BackupError extends Error {
  constructor(
    readonly code: 'corrupt' | 'not_tidbok' | 'too_new' | 'io',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export interface BackupInfo {
  file: string;
  bytes: number;
  schemaVersion: number;
}

/**
 * Checks a database file in place: a SQLite file, Tidbok's application id, a schema this
 * version knows, and a full integrity_check. Opens it for writing only to make it a one-file
 * database (journal_mode DELETE), so call it on our own copies, never on a user's file.
 */
function checkCopy(file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}, name = basename(file)): number {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  } catch (err) {
    throw new BackupError('corrupt', `${name} kan inte öppnas som databas.`, { cause: err });
  }
  try {
    let appId: number;
    let version: number;
    let integrity: string;
    try {
      appId = db.pragma('application_id', { simple: true }) as number;
      version = db.pragma('user_version', { simple: true }) as number;
      integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      db.pragma('journal_mode = DELETE');
    } catch (err) {
      throw new BackupError('corrupt', `${name} är skadad eller ingen databas.`, { cause: err });
    }
    if (appId !== TIDBOK_APPLICATION_ID) throw new BackupError('not_tidbok', `${name} är ingen Tidbok-databas.`);
    if (integrity !== 'ok') throw new BackupError('corrupt', `${name} är skadad (integrity_check: ${integrity.slice(0, 200)}).`);
    const newest = loadMigrations().length;
    if (version > newest) {
      throw new BackupError('too_new', `${name} har schemaversion ${version}, men denna Tidbok känner bara till ${newest}.`);
    }
    return version;
  } finally {
    db.close();
  }
}

/** Writes a checked backup of the open database to `file` (atomically: a .part file, then rename). */
export async function backupTo(db: Db, file: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): Promise<BackupInfo> {
  mkdirSync(dirname(file), { recursive: true });
  const part = `${file}.part`;
  rmSync(part, { force: true });
  try {
    await db.backup(part);
    const schemaVersion = checkCopy(part, options);
    renameSync(part, file);
    return { file, bytes: statSync(file).size, schemaVersion };
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
}

const STAMP_RE = /^tidbok-\d{8}-\d{6}(-\d+)?\.db$/;

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** One backup into `dir` named by time, then only the newest `keep` are kept. */
export async function rotatedBackup(
  db: Db,
  dir: string,
  keep: number,
  now: number,
  options: Pick<OpenOptions, 'nativeBinding'> = {},
): Promise<BackupInfo> {
  let file = join(dir, `tidbok-${stamp(now)}.db`);
  for (let n = 1; existsSync(file); n++) file = join(dir, `tidbok-${stamp(now)}-${n}.db`);
  const info = await backupTo(db, file, options);
  const all = readdirSync(dir)
    .filter((f) => STAMP_RE.test(f))
    .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || b.f.localeCompare(a.f));
  for (const old of all.slice(Math.max(1, keep))) rmSync(join(dir, old.f), { force: true });
  return info;
}

export interface BackupSchedule {
  /** Stops the schedule and takes the quit-time backup. */
  stop(): Promise<BackupInfo | null>;
}

export interface ScheduleOptions {
  dir: string;
  everyMs: number;
  keep: number;
  now: () => number;
  log?: Pick<Logger, 'info' | 'error'> | undefined;
  /** Electron's build of better-sqlite3, for checking the written copy. */
  nativeBinding?: string | undefined;
}

/** Backups every `everyMs` while the app runs, and one at quit. Never overlaps two backups. */
export function scheduleBackups(db: Db, options: ScheduleOptions): BackupSchedule {
  let running: Promise<BackupInfo | null> = Promise.resolve(null);
  const take = () => {
    running = running.then(async () => {
      try {
        const native = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
        const info = await rotatedBackup(db, options.dir, options.keep, options.now(), native);
        options.log?.info({ file: info.file, bytes: info.bytes }, 'backup written and checked');
        return info;
      } catch (err) {
        options.log?.error({ err }, 'backup failed');
        return null;
      }
    });
    return running;
  };
  const timer = setInterval(() => void take(), options.everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return take();
    },
  };
}

/** Where the schedule writes, and how often, from the environment (documented in the README). */
export function backupSettings(dbPath: string): { dir: string; everyMs: number; keep: number } {
  const every = Number(process.env['TIDBOK_BACKUP_EVERY_MIN'] ?? 60);
  const keep = Number(process.env['TIDBOK_BACKUP_KEEP'] ?? 14);
  return {
    dir: process.env['TIDBOK_BACKUP_DIR'] ?? join(dirname(dbPath), 'backups'),
    everyMs: (Number.isFinite(every) && every >= 1 ? every : 60) * 60_000,
    keep: Number.isInteger(keep) && keep >= 1 ? keep : 14,
  };
}

export interface RestoreResult {
  restoredFrom: string;
  schemaVersion: number;
  /** The database that was replaced, kept beside it (null when there was none). */
  previous: string | null;
  /** False when the restored access log fails its hash-chain check (restored anyway: it is evidence). */
  auditIntact: boolean;
}

function moveWithSidecars(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
}

/**
 * Restores `source` over the database at `dbPath` (the app must not be running). The source is
 * never written to: a copy is checked, migrated to this version's schema and checked again;
 * only then is the current database moved aside (with its WAL) and the copy moved in.
 */
export function restoreFrom(
  dbPath: string,
  source: string,
  now: number,
  options: Pick<OpenOptions, 'nativeBinding'> = {},
): RestoreResult {
  if (!existsSync(source) || !statSync(source).isFile()) throw new BackupError('io', `${source} finns inte.`);
  const staging = `${dbPath}.restoring`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(staging + suffix, { force: true });
  mkdirSync(dirname(dbPath), { recursive: true });
  try {
    copyFileSync(source, staging);
    checkCopy(staging, options, basename(source));
    // Migrate the copy now, so a failing migration also leaves the current database in place.
    const migrated = openDatabase(staging, options);
    let auditIntact: boolean;
    try {
      // Every table and column this version needs must be there (a file can carry our id and
      // still have lost tables), compared with a fresh database of the same schema.
      const fresh = openDatabase(':memory:', options);
      const missing = missingFromShape(schemaShape(fresh), schemaShape(migrated));
      fresh.close();
      if (missing.length > 0) {
        throw new BackupError(
          'not_tidbok',
          `${basename(source)} saknar delar av Tidboks schema: ${missing.slice(0, 5).join(', ')}.`,
        );
      }
      const restored = createContext(migrated);
      auditIntact = verifyAuditChain(restored) === null;
      // Its rows went to central under the old chain id (central keeps them): the new chain starts
      // after them, so none is sent again under the new id (central would refuse it). A log never
      // shipped (no chain yet) stays whole for this desk to ship.
      if (auditChainId(restored)) startNewAuditChain(migrated);
      migrated.pragma('wal_checkpoint(TRUNCATE)');
      migrated.pragma('journal_mode = DELETE');
    } finally {
      migrated.close();
    }
    const schemaVersion = checkCopy(staging, options, basename(source));

    let previous: string | null = null;
    if (existsSync(dbPath)) {
      previous = `${dbPath}.before-restore-${stamp(now)}`;
      moveWithSidecars(dbPath, previous);
    }
    renameSync(staging, dbPath);
    return { restoredFrom: source, schemaVersion, previous, auditIntact };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(staging + suffix, { force: true });
  }
}
