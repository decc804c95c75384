// Opening a Tidbok database: pragmas, identity check and forward-only migrations.
// A file that is not ours (or is corrupt, or from a newer Tidbok) is refused with a clear
// error and never written to: we only write after the checks pass.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

/** PRAGMA application_id marks a SQLite file as Tidbok's ('TDBK'). */
export const TIDBOK_APPLICATION_ID = 0x5444424b;

export class StoreOpenError extends Error {
  constructor(
    readonly code: 'not_tidbok' | 'corrupt' | 'too_new' | 'migration_failed' | 'unreadable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** The first line of a migration that rebuilds a table: it runs with foreign keys off, checked before commit. */
export const REBUILDS_TABLES = '-- tidbok: rebuilds tables';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface OpenOptions {
  /** Folder holding NNNN_name.sql files; defaults to the repository's db/migrations. */
  migrationsDir?: string;
  /** Path of a better-sqlite3 native binding built for another ABI (Electron). */
  nativeBinding?: string;
  readonly?: boolean;
}

export function defaultMigrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src-main/store -> repo root, and out/main -> repo root: both are two levels down.
  const candidates = [resolve(here, '../../db/migrations'), resolve(here, '../db/migrations')];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0]!;
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const migrations = files.map((f, i) => {
    const version = Number(f.slice(0, 4));
    if (version !== i + 1) {
      throw new StoreOpenError('migration_failed', `Migration ${f} is out of sequence: expected number ${i + 1}.`);
    }
    return { version, name: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') };
  });
  return migrations;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Reads the first bytes without opening the file for writing. */
function checkHeader(file: string): void {
  if (!existsSync(file)) return;
  const st = statSync(file);
  if (st.isDirectory()) throw new StoreOpenError('unreadable', `${file} is a directory, not a database file.`);
  if (st.size === 0) return; // An empty file is a new database.
  const buf = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_HEADER) {
    throw new StoreOpenError('not_tidbok', `${file} is not a SQLite database (wrong header); it was left untouched.`);
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  checkHeader(file);
  let db: Db;
  try {
    db = new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
    });
  } catch (err) {
    throw new StoreOpenError('unreadable', `Could not open ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    // First: switching a new file to WAL needs the file to itself, so a second desk or the CLI
    // opening it at the same moment must wait for the lock, not fail with "database is locked".
    db.pragma('busy_timeout = 5000');
    identify(db, file);
    if (!options.readonly) {
      switchToWal(db);
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      migrate(db, loadMigrations(options.migrationsDir));
      takeWriteLockAtBegin(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Makes `db.transaction(fn)()` begin IMMEDIATE instead of DEFERRED. A service reads, then writes,
 * in one transaction; begun deferred, it holds only a read snapshot until its first write, and if
 * another process on the file (the CLI, a second shell, `tidbok sync`) commits in between, SQLite
 * refuses the write at once (SQLITE_BUSY, stale snapshot: no busy timeout helps). Begun
 * immediate, it waits its turn for the write lock (busy_timeout) and then runs alone. In one
 * process nothing changes: its one connection runs one transaction at a time. Nested calls stay
 * savepoints; `.deferred()` remains for a caller that wants a plain snapshot.
 */
function takeWriteLockAtBegin(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<Db['transaction']>[0]) => {
    const t = transaction(fn);
    return Object.assign((...args: unknown[]) => t.immediate(...args), {
      default: t.default,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
    });
  }) as Db['transaction'];
}

/** Refuses a file that is not (or not yet) a Tidbok database, or is damaged. */
function identify(db: Db, file: string): void {
  let appId: number;
  let tableCount: number;
  try {
    // One statement, one snapshot: read apart, another process's first migration could land in
    // between (no id yet, tables already) and a new Tidbok file would read as someone else's.
    const row = db
      .prepare(`SELECT (SELECT application_id FROM pragma_application_id()) AS appId, count(*) AS n FROM sqlite_schema`)
      .get() as { appId: number; n: number };
    appId = row.appId;
    tableCount = row.n;
  } catch (err) {
    throw new StoreOpenError(
      'corrupt',
      `${file} cannot be read as a database (${(err as Error).message}); it was left untouched.`,
      {
        cause: err,
      },
    );
  }
  if (appId === 0 && tableCount === 0) return; // brand-new file
  if (appId !== TIDBOK_APPLICATION_ID) {
    throw new StoreOpenError('not_tidbok', `${file} is a SQLite database but not a Tidbok database; it was left untouched.`);
  }
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') {
    throw new StoreOpenError(
      'corrupt',
      `${file} is damaged (quick_check: ${check}); restore it from a backup. It was left untouched.`,
    );
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * WAL, waiting for the file while another process holds it: SQLite does not call the busy
 * handler for this switch, so two desks opening a new file together would otherwise see
 * "database is locked". Up to the busy timeout (5 s), then the error stands.
 */
function switchToWal(db: Db): void {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') !== true || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

/** Runs every migration above the file's user_version, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  if (from > newest) {
    throw new StoreOpenError(
      'too_new',
      `The database has schema version ${from} but this Tidbok knows only up to ${newest}. Update Tidbok; the database was left untouched.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    // SQLite cannot alter a column's CHECK: such a migration rebuilds the table (SQLite's
    // documented 12-step procedure), which needs foreign keys off — a pragma that is a no-op
    // inside a transaction — and their check before its commit instead.
    const rebuild = m.sql.startsWith(REBUILDS_TABLES);
    const step = db.transaction(() => {
      // Another process opening the file at the same moment (a second desk, the CLI) may have run
      // it while this one waited for the write lock: the version read under the lock decides.
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      if (rebuild) {
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length > 0)
          throw new Error(`foreign key check: ${broken.length} rows, e.g. ${broken[0]!.table} -> ${broken[0]!.parent}`);
      }
      db.pragma(`application_id = ${TIDBOK_APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      if (rebuild) db.pragma('foreign_keys = OFF');
      step.immediate();
    } catch (err) {
      throw new StoreOpenError('migration_failed', `Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      if (rebuild) db.pragma('foreign_keys = ON');
    }
  }
  return { from, to: Math.max(from, newest) };
}
