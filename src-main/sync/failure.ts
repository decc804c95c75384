// Where the fault lies when a sync cycle fails, so that staff are told the truth and the engine
// retries at a pace that fits:
// - offline: the network, a timeout, central failing or overloaded (5xx, 429, 408). It passes by
//   itself; the desk works on and catches up (fast backoff).
// - busy: another process holds the local database past busy_timeout (SQLITE_BUSY). Transient;
//   central is not at fault, so the desk stays shown as it was.
// - local: the desk's own database failed (corrupt, disk full, read-only, I/O, a constraint or
//   trigger refusing a page). Waiting rarely helps: IT must look at this computer.
// - central: central answered but refuses this desk (401/403, a 4xx to a feed search): IT must
//   look at the account or the central side.
// - program: anything else, a fault in Tidbok itself.
import { isDatabaseBusy } from '../api/busy.ts';
import { CentralError } from './central-api.ts';
import { backoffMs } from './local.ts';

export type SyncFailureKind = 'offline' | 'busy' | 'local' | 'central' | 'program';

/** A failure that needs IT, not patience. */
export type SyncProblem = Exclude<SyncFailureKind, 'offline' | 'busy'>;

/** SQLite's extended result code of a better-sqlite3 error (`SQLITE_FULL`, `SQLITE_CONSTRAINT_TRIGGER`), or null. */
export function sqliteCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

export function failureKind(err: unknown): SyncFailureKind {
  if (isDatabaseBusy(err)) return 'busy';
  if (err instanceof CentralError) return err.transient ? 'offline' : 'central';
  if (sqliteCode(err)) return 'local';
  return 'program';
}

/** Slowest retry after a failure that needs IT (the desk's disk freed, a token renewed: it resumes by itself). */
export const PROBLEM_BACKOFF_MAX_MS = 5 * 60_000;
/** Fastest: a broken database is not hammered (each attempt logs an error for IT). */
export const PROBLEM_BACKOFF_MIN_MS = 15_000;

/**
 * The pause before the next cycle after `failures` failed cycles in a row (1 = the first). Network
 * failures back off from ~1 s to `offlineMaxMs`; problems that need IT from 16–32 s to 2.5–5 min.
 */
export function retryDelayMs(
  kind: SyncFailureKind,
  failures: number,
  options: { random?: () => number; offlineMaxMs: number; problemMaxMs?: number },
): number {
  if (kind === 'offline' || kind === 'busy') return Math.min(options.offlineMaxMs, backoffMs(failures, options.random));
  const delay = Math.max(PROBLEM_BACKOFF_MIN_MS, backoffMs(failures + 4, options.random));
  return Math.min(options.problemMaxMs ?? PROBLEM_BACKOFF_MAX_MS, delay);
}
