// The sync engine: push then pull, in a loop, while the app runs.
// - Online it polls adaptively: fast while changes flow, slower when idle, never slower than
//   IDLE_MAX_MS so a web booking reaches the open calendar within 5 s.
// - A local change (a desk booking waiting for its claim) runs a cycle at once.
// - When central offers Subscription notifications (notifications.ts), a change there runs a cycle
//   soon and the idle poll is only a safety net; without them (or with the socket down) it polls.
// - A failure (network, timeout, 5xx) turns it offline and it backs off exponentially with
//   jitter, then catches up by itself when the network returns.
// - A failure that waiting will not mend (the desk's own database, central refusing the desk, a
//   fault in Tidbok) is mode 'error' with its kind: staff are told to call IT, the log says what
//   failed, and the engine retries slowly (failure.ts) so it resumes once the cause is fixed.
import type { ServiceContext } from '../services/context.ts';
import type { Logger } from '../log.ts';
import type { CentralApi } from './central-api.ts';
import { databaseBusy } from '../api/busy.ts';
import { failureKind, retryDelayMs, sqliteCode, type SyncFailureKind, type SyncProblem } from './failure.ts';
import { enqueueUnsent, pushOutbox } from './push.ts';
import { pullChanges } from './pull.ts';
import { shipAuditLog, unshippedAuditRows } from './audit-ship.ts';
import { CentralNotifications, SUBSCRIPTION_LEASE_MS, type NotificationState } from './notifications.ts';

export interface SyncStatus {
  configured: boolean;
  mode: 'local' | 'online' | 'offline' | 'error';
  /** In mode 'error': the desk's own database, central refusing the desk, or a fault in Tidbok. */
  errorKind: SyncProblem | null;
  centralUrl: string | null;
  pending: number;
  failed: number;
  conflicts: number;
  lastSyncAt: number | null;
  lastError: string | null;
  /** When the running engine tries again after a failure (null while all is well). */
  nextAttemptAt: number | null;
  /** Access-log rows central has not acknowledged yet (audit-ship.ts), and why the last shipment failed. */
  auditUnsent: number;
  auditError: string | null;
  /** Central's change notifications (notifications.ts): 'on' while the websocket is bound. */
  notifications: NotificationState;
}

export interface CycleResult {
  pushed: number;
  pulled: number;
  conflicts: number;
  failed: number;
  error: Error | null;
  /** Where the fault lies, when the cycle failed. */
  failure: SyncFailureKind | null;
}

const FAST_MS = 500;
const IDLE_MAX_MS = 3000;
const BACKOFF_MAX_MS = 30_000;
/** While central's notifications are heard, the idle poll is only a safety net. */
const SAFETY_POLL_MS = 5 * 60_000;

const engines = new WeakMap<ServiceContext['db'], SyncEngine>();

/** The engine running for this database, if a central is configured. */
export function engineFor(ctx: ServiceContext): SyncEngine | null {
  return engines.get(ctx.db) ?? null;
}

export function countsOf(ctx: ServiceContext): { pending: number; failed: number; conflicts: number } {
  const o = ctx.db
    .prepare(`SELECT sum(state = 'pending') AS pending, sum(state = 'failed') AS failed FROM outbox WHERE state <> 'done'`)
    .get() as { pending: number | null; failed: number | null };
  const c = ctx.db.prepare(`SELECT count(*) AS n FROM conflicts WHERE resolved_at IS NULL`).get() as { n: number };
  return { pending: o.pending ?? 0, failed: o.failed ?? 0, conflicts: c.n };
}

/** The header's indicator: the engine's mode, without reading the counts. */
export function syncMode(ctx: ServiceContext): Pick<SyncStatus, 'mode' | 'errorKind'> {
  return engineFor(ctx)?.modeNow() ?? { mode: 'local', errorKind: null };
}

export function localStatus(ctx: ServiceContext): SyncStatus {
  return {
    configured: false,
    mode: 'local',
    errorKind: null,
    centralUrl: null,
    ...countsOf(ctx),
    lastSyncAt: null,
    lastError: null,
    nextAttemptAt: null,
    auditUnsent: 0,
    auditError: null,
    notifications: 'off',
  };
}

export class SyncEngine {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight: Promise<CycleResult> | null = null;
  private again = false;
  private mode: 'online' | 'offline' | 'error' | null = null;
  private errorKind: SyncProblem | null = null;
  private failures = 0;
  private nextAttemptAt: number | null = null;
  /** The counts last read: a database too broken to read them still shows the last known. */
  private counts = { pending: 0, failed: 0, conflicts: 0 };
  private idleMs = FAST_MS;
  private lastSyncAt: number | null = null;
  private lastError: string | null = null;
  private auditError: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private notifier: CentralNotifications | null = null;
  private cycles = 0;

  constructor(
    private readonly ctx: ServiceContext,
    readonly api: CentralApi,
    private readonly options: {
      log?: Logger;
      random?: () => number;
      /** Poll interval while changes flow, and the slowest idle poll (tests shorten them). */
      fastMs?: number;
      idleMaxMs?: number;
      backoffMaxMs?: number;
      /** Slowest retry after a failure that needs IT (failure.ts; tests shorten it). */
      problemBackoffMaxMs?: number;
      /** Entries per pull page (tests make it small to split what central changed together). */
      pullPageSize?: number;
      /** Hear central's changes over its Subscription websocket when it offers one (default on). */
      notifications?: boolean;
      /** The idle poll while notifications are on; slowest reconnect of their socket (tests shorten them). */
      safetyPollMs?: number;
      reconnectMaxMs?: number;
      /** Pings within this window ask for one cycle. */
      coalesceMs?: number;
      /** How far ahead each Subscription's `end` is set; renewed after a good cycle once half spent (tests shorten it). */
      subscriptionLeaseMs?: number;
    } = {},
  ) {}

  /** Registers the engine for its database and starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    engines.set(this.ctx.db, this);
    this.queueUnsent();
    // A local change that queued something (e.g. a desk booking awaiting its claim): sync now.
    this.unsubscribe = this.ctx.events.subscribe(() => {
      if (this.running && this.readCounts().pending > 0) this.kick();
    });
    this.loopDone = this.loop();
    this.startNotifications();
  }

  /** Cycles run since start (tests and the bench count them). */
  get cycleCount(): number {
    return this.cycles;
  }

  private startNotifications(): void {
    if (this.options.notifications === false || !this.api.notificationChannel) return;
    this.notifier = new CentralNotifications(
      this.ctx,
      this.api,
      {
        // A change at central: a cycle soon, unless a failed cycle's retry is due anyway.
        changed: () => {
          if (this.nextAttemptAt === null) this.kick();
        },
        // Bound: catch up what passed meanwhile. Dropped: poll adaptively again, from now.
        stateChanged: () => {
          if (this.nextAttemptAt === null) this.kick();
          this.ctx.events.emit({ entities: ['sync'], ids: [] });
        },
      },
      {
        log: this.options.log,
        random: this.options.random,
        reconnectMaxMs: this.options.reconnectMaxMs,
        coalesceMs: this.options.coalesceMs,
        leaseMs: this.options.subscriptionLeaseMs,
      },
    );
    this.notifier.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.notifier?.stop();
    this.notifier = null;
    this.kick();
    if (engines.get(this.ctx.db) === this) engines.delete(this.ctx.db);
    await this.loopDone;
    await this.inFlight?.catch(() => undefined);
  }

  modeNow(): Pick<SyncStatus, 'mode' | 'errorKind'> {
    return { mode: this.mode ?? 'online', errorKind: this.mode === 'error' ? this.errorKind : null };
  }

  status(): SyncStatus {
    return {
      configured: true,
      ...this.modeNow(),
      centralUrl: this.api.baseUrl,
      ...this.readCounts(),
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
      nextAttemptAt: this.nextAttemptAt,
      auditUnsent: this.readAuditUnsent(),
      auditError: this.auditError,
      notifications: this.notifier?.state ?? 'off',
    };
  }

  private readAuditUnsent(): number {
    try {
      return unshippedAuditRows(this.ctx);
    } catch {
      return 0;
    }
  }

  /**
   * After a good cycle, the access log's new rows go to central. Its failure never holds up the
   * bookings: it is logged (once per distinct error: a refused row means the desk's log differs
   * from central's copy) and shown on the Sync page, and the next cycle tries again.
   */
  private async shipAudit(): Promise<void> {
    try {
      await shipAuditLog(this.ctx, this.api);
      this.auditError = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.auditError) {
        this.options.log?.error({ err }, 'sync: the access log could not be sent to central; call IT if it persists');
      }
      this.auditError = message;
    }
  }

  private readCounts(): { pending: number; failed: number; conflicts: number } {
    try {
      this.counts = countsOf(this.ctx);
    } catch {
      // Unreadable (a corrupt file): the cycle's own error says so; show what was last known.
    }
    return this.counts;
  }

  /** The one loop: a cycle, then a pause (cut short by a local change), while running. */
  private async loop(): Promise<void> {
    while (this.running) {
      const r = await this.runOnce();
      if (!this.running) break;
      const delay = this.nextDelay(r);
      this.nextAttemptAt = r.failure ? this.ctx.now() + delay : null;
      if (delay > 0) {
        await new Promise<void>((wake) => {
          this.wake = wake;
          this.timer = setTimeout(wake, delay);
        });
      }
      this.wake = null;
      this.timer = null;
    }
  }

  /** Run a cycle as soon as possible (after the one in flight, if any). */
  private kick(): void {
    if (this.inFlight) this.again = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private nextDelay(r: CycleResult): number {
    if (this.again) {
      this.again = false;
      return 0;
    }
    if (r.failure) {
      return retryDelayMs(r.failure, this.failures, {
        offlineMaxMs: this.options.backoffMaxMs ?? BACKOFF_MAX_MS,
        ...(this.options.problemBackoffMaxMs !== undefined ? { problemMaxMs: this.options.problemBackoffMaxMs } : {}),
        ...(this.options.random ? { random: this.options.random } : {}),
      });
    }
    const flowed = r.pushed + r.pulled > 0;
    const fast = this.options.fastMs ?? FAST_MS;
    this.idleMs = flowed ? fast : Math.min(this.options.idleMaxMs ?? IDLE_MAX_MS, Math.round(this.idleMs * 1.5));
    // Notifications on: central's changes wake the loop, so poll only as a safety net (unless the
    // desk still has changes to push, which drain at the adaptive pace).
    if (this.notifier?.state === 'on' && r.pushed === 0 && this.readCounts().pending === 0) {
      // A cycle at least every quarter lease, so the Subscriptions are renewed (after a good
      // cycle, once half spent) before they lapse, even if a cycle or two fails.
      const lease = this.options.subscriptionLeaseMs ?? SUBSCRIPTION_LEASE_MS;
      return Math.min(this.options.safetyPollMs ?? SAFETY_POLL_MS, lease / 4);
    }
    return this.idleMs;
  }

  /** One push + pull cycle (concurrent callers share the cycle in flight). */
  runOnce(): Promise<CycleResult> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.cycle().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async cycle(): Promise<CycleResult> {
    this.cycles++;
    const result: CycleResult = { pushed: 0, pulled: 0, conflicts: 0, failed: 0, error: null, failure: null };
    const was = { mode: this.mode, errorKind: this.errorKind };
    let step: 'push' | 'pull' = 'push';
    try {
      const push = await pushOutbox(this.ctx, this.api);
      result.pushed = push.pushed;
      result.failed = push.failed;
      result.conflicts = push.conflicts;
      if (push.error) throw push.error;
      step = 'pull';
      const pull = await pullChanges(
        this.ctx,
        this.api,
        this.options.pullPageSize ? { pageSize: this.options.pullPageSize } : {},
      );
      result.pulled = pull.applied;
      result.conflicts += pull.conflicts;
      this.mode = 'online';
      this.errorKind = null;
      this.failures = 0;
      this.lastSyncAt = this.ctx.now();
      this.lastError = null;
      await this.shipAudit();
      this.notifier?.refresh();
    } catch (err) {
      const kind = failureKind(err);
      result.failure = kind;
      this.failures++;
      if (kind === 'busy') {
        // Another process holds the database (a CLI run laying out slots): the central side is not
        // at fault, so the desk stays shown as it was; the cycle is retried after a backoff.
        this.options.log?.warn({ step }, 'sync: the database is busy (another writer); retrying');
        result.error = new Error(databaseBusy().messageSv);
        this.lastError = result.error.message;
        return result;
      }
      result.error = err instanceof Error ? err : new Error(String(err));
      if (kind === 'offline') {
        this.mode = 'offline';
        this.errorKind = null;
        this.lastError = result.error.message;
      } else {
        this.mode = 'error';
        this.errorKind = kind;
        const code = sqliteCode(err);
        const error = code ? `${code}: ${result.error.message}` : result.error.message;
        const repeated = was.mode === 'error' && this.lastError === error;
        this.lastError = error;
        if (repeated) {
          // Already logged in full: a line per retry, not a stack per desk booking that kicks a cycle.
          this.options.log?.warn({ step, code, failures: this.failures }, `sync: still failing (${kind})`);
        } else {
          // For IT, precisely: the step, SQLite's extended code, the file, the stack. Nothing was
          // lost: the page or outbox entry is still there and is tried again.
          this.options.log?.error(
            {
              step,
              code,
              err: result.error,
              failures: this.failures,
              ...(kind === 'local' ? { database: this.ctx.db.name } : {}),
            },
            kind === 'local'
              ? `sync: the local database failed in ${step} (${code}); call IT`
              : kind === 'central'
                ? `sync: central refused ${step} (${result.error.message}); call IT`
                : `sync: ${step} failed in Tidbok itself; call IT`,
          );
        }
      }
    }
    if (result.conflicts || result.failed) {
      // Counts only: which patient is in the inbox is for the Sync page, never the log.
      this.options.log?.warn({ conflicts: result.conflicts, failed: result.failed }, 'sync: conflicts or refused entries');
    }
    if (was.mode !== this.mode || was.errorKind !== this.errorKind) {
      this.options.log?.info(
        { mode: this.mode, errorKind: this.errorKind, error: result.error?.message },
        `sync: ${this.mode}${this.errorKind ? ` (${this.errorKind})` : ''}`,
      );
      this.ctx.events.emit({ entities: ['sync'], ids: [] });
    } else if (result.pushed || result.pulled || result.conflicts || result.failed) {
      this.ctx.events.emit({ entities: ['sync'], ids: [] });
    }
    return result;
  }

  private queueUnsent(): void {
    try {
      enqueueUnsent(this.ctx);
    } catch (err) {
      // A database that cannot be written: the cycle meets it too, and says so in the status.
      this.options.log?.error({ code: sqliteCode(err), error: (err as Error).message }, 'sync: could not queue unsent rows');
    }
  }

  /** Cycles until nothing is waiting and a cycle moved nothing (or `maxCycles`). For the CLI and tests. */
  async settle(maxCycles = 20): Promise<CycleResult> {
    const total: CycleResult = { pushed: 0, pulled: 0, conflicts: 0, failed: 0, error: null, failure: null };
    this.queueUnsent();
    for (let i = 0; i < maxCycles; i++) {
      const r = await this.runOnce();
      total.pushed += r.pushed;
      total.pulled += r.pulled;
      total.conflicts += r.conflicts;
      total.failed += r.failed;
      total.error = r.error;
      total.failure = r.failure;
      if (r.error) break;
      if (r.pushed + r.pulled + r.conflicts + r.failed === 0 && countsOf(this.ctx).pending === 0) break;
    }
    return total;
  }
}
