// A desk's identity. A unit's further desks are made from a copy of the first desk's database, and
// everything a desk keeps to tell itself from the others lives in that file: the access-log chain
// central keeps its copy under, the subscriber id tagging its Subscriptions, its staff sessions,
// its unsent changes. `giveDeskOwnIdentity` makes a copy a desk of its own (`tidbok desk copy`);
// `checkDeskPlace` notices a file copied by hand (it records where the file lives) and says so,
// but resets nothing: a moved user-data folder or a replaced disk is the same desk, and dropping
// its outbox would lose changes. An admin then confirms "same desk, moved" (`confirmDeskMoved`).
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { openDatabase, type OpenOptions } from '../store/database.ts';
import { auditChainId, recordAudit, startNewAuditChain } from './audit.ts';
import { backupTo } from './backup.ts';
import { createContext, type Caller, type ServiceContext } from './context.ts';

/** sync_state key of the id a desk tags its Subscriptions with (sync/notifications.ts). */
export const SUBSCRIBER_ID_KEY = 'notifications-desk';
const PLACE_SETTING = 'desk_place';
/** Why a copied desk's outbox entries and conflicts were set aside (kept, for the record). */
export const LEFT_TO_FIRST_DESK = 'Lämnad åt kassan som databasen kopierades från (tidbok desk copy).';

/** Where a database file lives: the computer and the file's real path. */
export interface DeskPlace {
  host: string;
  path: string;
}

/** A database opened elsewhere than where it was first opened. */
export interface DeskMoved {
  recorded: DeskPlace;
  here: DeskPlace;
}

/** Where `file` lives (or will: a file not made yet is placed by its folder's real path). */
export function placeOf(file: string): DeskPlace {
  const path = existsSync(file) ? realpathSync(file) : join(realpathSync(dirname(resolve(file))), basename(file));
  return { host: hostname(), path };
}

/** A Windows path: a drive letter or a UNC share (its file systems do not keep case either). */
const windowsPath = (p: string): boolean => /^([A-Za-z]:\\|\\\\)/.test(p);

/** Host names compare without case (Windows' do not keep it), Windows paths too; other paths exactly. */
export function samePlace(a: DeskPlace, b: DeskPlace): boolean {
  const samePath = windowsPath(a.path) && windowsPath(b.path) ? a.path.toLowerCase() === b.path.toLowerCase() : a.path === b.path;
  return a.host.toLowerCase() === b.host.toLowerCase() && samePath;
}

function recordedPlace(ctx: Pick<ServiceContext, 'db'>): DeskPlace | null {
  const v = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(PLACE_SETTING) as string | undefined;
  return v ? (JSON.parse(v) as DeskPlace) : null;
}

function recordPlace(ctx: Pick<ServiceContext, 'db'>, place: DeskPlace): void {
  ctx.db
    .prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    .run(PLACE_SETTING, JSON.stringify(place));
}

/** The database's place now, or null for one that lives in memory. */
function placeHere(ctx: Pick<ServiceContext, 'db'>): DeskPlace | null {
  return ctx.db.memory || ctx.db.name === '' ? null : placeOf(ctx.db.name);
}

/** Whether the database now lives elsewhere than it was first opened (read only: the Sync page). */
export function deskMoved(ctx: Pick<ServiceContext, 'db'>): DeskMoved | null {
  const here = placeHere(ctx);
  const recorded = recordedPlace(ctx);
  return here && recorded && !samePlace(recorded, here) ? { recorded, here } : null;
}

/**
 * At a desk's start (runtime.ts): the first open records where the file lives; a later open
 * elsewhere returns both places for a warning, and changes nothing.
 */
export function checkDeskPlace(ctx: Pick<ServiceContext, 'db'>): DeskMoved | null {
  const here = placeHere(ctx);
  if (!here) return null;
  if (!recordedPlace(ctx)) {
    recordPlace(ctx, here);
    return null;
  }
  return deskMoved(ctx);
}

/** An admin's "same desk, moved": the file's new place is recorded, and the flag clears. */
export function confirmDeskMoved(ctx: ServiceContext, caller: Caller): void {
  ctx.db.transaction(() => {
    const moved = deskMoved(ctx);
    if (!moved) return;
    recordPlace(ctx, moved.here);
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'desk',
      detail: { op: 'desk.moved', from: moved.recorded, to: moved.here },
    });
  })();
}

export interface DeskIdentityReset {
  /** The chain the copied rows belong to (null: the first desk had not shipped its log yet). */
  copiedChain: string | null;
  /** This desk's own chain, which starts after the copied rows. */
  chain: string;
  chainStartsAfter: number;
  /** Unsent (and refused) changes left to the first desk to send. */
  outboxLeft: number;
  sessionsEnded: number;
  /** Open conflicts left to the first desk, where they arose. */
  conflictsLeft: number;
  /** Whether the unit had reached central when copied (a desk is copied after its first sync). */
  unitOnCentral: boolean;
}

/**
 * Makes a copied database a desk of its own, in one transaction: a new access-log chain that
 * starts after the copied rows (the first desk ships those), no Subscription subscriber id (the
 * desk mints its own), no staff sessions (a token from the first desk opens nothing here), the
 * first desk's unsent changes and open conflicts set aside (they are its to send and resolve),
 * this file's place recorded, and an audit event naming where the copy came from.
 */
export function giveDeskOwnIdentity(
  ctx: ServiceContext,
  caller: Caller,
  input: { copiedFrom: DeskPlace; here: DeskPlace },
): DeskIdentityReset {
  return ctx.db.transaction(() => {
    const copiedChain = auditChainId(ctx);
    const chainStartsAfter = startNewAuditChain(ctx.db);
    const chain = auditChainId(ctx, true)!;
    ctx.db.prepare(`DELETE FROM sync_state WHERE feed = ?`).run(SUBSCRIBER_ID_KEY);
    const sessionsEnded = ctx.db.prepare(`DELETE FROM sessions`).run().changes;
    const outboxLeft = ctx.db
      .prepare(`UPDATE outbox SET state = 'done', last_error = ? WHERE state IN ('pending', 'failed')`)
      .run(LEFT_TO_FIRST_DESK).changes;
    const conflictsLeft = ctx.db
      .prepare(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE resolved_at IS NULL`)
      .run(ctx.now(), caller.username, JSON.stringify({ action: 'dismiss', note: LEFT_TO_FIRST_DESK })).changes;
    recordPlace(ctx, input.here);
    const unitOnCentral = ctx.db.prepare(`SELECT 1 FROM units WHERE remote_id IS NOT NULL LIMIT 1`).get() !== undefined;
    const reset = { copiedChain, chain, chainStartsAfter, outboxLeft, sessionsEnded, conflictsLeft, unitOnCentral };
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'desk',
      detail: { op: 'desk.copy', copiedFrom: input.copiedFrom, ...reset },
    });
    return reset;
  })();
}

export class DeskCopyError extends Error {
  override name = 'DeskCopyError';
}

/**
 * `tidbok desk copy`: a consistent snapshot of the first desk's database (SQLite's online backup,
 * so the first desk may keep running), checked, migrated, given its own identity, and only then
 * put at `to` (never over an existing file).
 */
export async function copyDesk(
  from: string,
  to: string,
  caller: Caller,
  options: Pick<OpenOptions, 'nativeBinding'> & { now?: () => number } = {},
): Promise<DeskIdentityReset> {
  if (!existsSync(from)) throw new DeskCopyError(`${from} finns inte.`);
  if (existsSync(to)) throw new DeskCopyError(`${to} finns redan; ange en ny fil för den nya kassan.`);
  mkdirSync(dirname(resolve(to)), { recursive: true });
  const copiedFrom = placeOf(from);
  const here = placeOf(to);
  if (samePlace(copiedFrom, here)) throw new DeskCopyError('Källan och den nya filen är samma fil.');
  const staging = `${to}.copying`;
  const source = new Database(from, {
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    source.pragma('busy_timeout = 5000');
    await backupTo(source, staging, options);
  } finally {
    source.close();
  }
  let reset: DeskIdentityReset;
  try {
    const db = openDatabase(staging, options);
    try {
      reset = giveDeskOwnIdentity(createContext(db, options.now ? { now: options.now } : {}), caller, { copiedFrom, here });
      // One file, no WAL beside it: the new desk's folder gets just the database.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  } catch (err) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(staging + suffix, { force: true });
    throw err;
  }
  renameSync(staging, to);
  return reset;
}
