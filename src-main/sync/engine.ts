// The sync engine: push then pull, in a loop, while the app runs.
// - Online it polls adaptively: fast while changes flow, slower when idle, never slower than
//   IDLE_MAX_MS so a web booking reaches the open calendar within 5 s.
// - A local change (a desk booking waiting for its claim) runs a cycle at once.
// - A failure (network, timeout, 5xx) turns it offline and it backs off exponentially with
//   jitter, then catches up by itself when the network returns.
import type { ServiceContext } from '../services/context.ts';
import type { Logger } from '../log.ts';
import { CentralError, type CentralApi } from './central-api.ts';
import { backoffMs } from './local.ts';
import { databaseBusy, isDatabaseBusy } from '../api/busy.ts';
import { enqueueUnsent, pushOutbox } from './push.ts';
import { pullChanges } from './pull.ts';

export interface SyncStatus {
  configured: boolean;
  mode: 'local' | 'online' | 'offline';
  centralUrl: string | null;
  pending: number;
  failed: number;
  conflicts: number;
  lastSyncAt: number | null;
  lastError: string | null;
}

export interface CycleResult {
  pushed: number;
  pulled: number;
  conflicts: number;
  failed: number;
  error: CentralError | null;
}

const FAST_MS = 500;
const IDLE_MAX_MS = 3000;
const BACKOFF_MAX_MS = 30_000;

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

export function localStatus(ctx: ServiceContext): SyncStatus {
  return { configured: false, mode: 'local', centralUrl: null, ...countsOf(ctx), lastSyncAt: null, lastError: null };
}

export class SyncEngine {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight: Promise<CycleResult> | null = null;
  private again = false;
  private online: boolean | null = null;
  private failures = 0;
  private idleMs = FAST_MS;
  private lastSyncAt: number | null = null;
  private lastError: string | null = null;
  private unsubscribe: (() => void) | null = null;

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
      /** Entries per pull page (tests make it small to split what central changed together). */
      pullPageSize?: number;
    } = {},
  ) {}

  /** Registers the engine for its database and starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    engines.set(this.ctx.db, this);
    enqueueUnsent(this.ctx);
    // A local change that queued something (e.g. a desk booking awaiting its claim): sync now.
    this.unsubscribe = this.ctx.events.subscribe(() => {
      if (this.running && countsOf(this.ctx).pending > 0) this.kick();
    });
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.kick();
    if (engines.get(this.ctx.db) === this) engines.delete(this.ctx.db);
    await this.loopDone;
    await this.inFlight?.catch(() => undefined);
  }

  status(): SyncStatus {
    return {
      configured: true,
      mode: this.online === false ? 'offline' : 'online',
      centralUrl: this.api.baseUrl,
      ...countsOf(this.ctx),
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
    };
  }

  /** The one loop: a cycle, then a pause (cut short by a local change), while running. */
  private async loop(): Promise<void> {
    while (this.running) {
      const r = await this.runOnce();
      if (!this.running) break;
      const delay = this.nextDelay(r);
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
    if (r.error) return Math.min(this.options.backoffMaxMs ?? BACKOFF_MAX_MS, backoffMs(this.failures, this.options.random));
    const flowed = r.pushed + r.pulled > 0;
    const fast = this.options.fastMs ?? FAST_MS;
    this.idleMs = flowed ? fast : Math.min(this.options.idleMaxMs ?? IDLE_MAX_MS, Math.round(this.idleMs * 1.5));
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
    const result: CycleResult = { pushed: 0, pulled: 0, conflicts: 0, failed: 0, error: null };
    const wasOnline = this.online;
    try {
      const push = await pushOutbox(this.ctx, this.api);
      result.pushed = push.pushed;
      result.failed = push.failed;
      result.conflicts = push.conflicts;
      if (push.error) throw push.error;
      const pull = await pullChanges(
        this.ctx,
        this.api,
        this.options.pullPageSize ? { pageSize: this.options.pullPageSize } : {},
      );
      result.pulled = pull.applied;
      result.conflicts += pull.conflicts;
      this.online = true;
      this.failures = 0;
      this.lastSyncAt = this.ctx.now();
      this.lastError = null;
    } catch (err) {
      if (isDatabaseBusy(err)) {
        // Another process holds the database (a CLI run laying out slots): the central side is not
        // at fault, so the desk stays shown as it was; the cycle is retried after a backoff.
        this.options.log?.warn('sync: the database is busy (another writer); retrying');
        result.error = new CentralError('network', databaseBusy().messageSv);
        this.failures++;
        this.lastError = result.error.message;
        return result;
      }
      if (!(err instanceof CentralError)) {
        this.options.log?.error({ err }, 'sync cycle failed');
        result.error = new CentralError('network', (err as Error).message);
      } else result.error = err;
      this.online = false;
      this.failures++;
      this.lastError = result.error.message;
    }
    if (result.conflicts || result.failed) {
      // Counts only: which patient is in the inbox is for the Sync page, never the log.
      this.options.log?.warn({ conflicts: result.conflicts, failed: result.failed }, 'sync: conflicts or refused entries');
    }
    if (wasOnline !== this.online) {
      this.options.log?.info(
        { online: this.online, error: result.error?.message },
        this.online ? 'sync: online' : 'sync: offline',
      );
      this.ctx.events.emit({ entities: ['sync'], ids: [] });
    } else if (result.pushed || result.pulled || result.conflicts || result.failed) {
      this.ctx.events.emit({ entities: ['sync'], ids: [] });
    }
    return result;
  }

  /** Cycles until nothing is waiting and a cycle moved nothing (or `maxCycles`). For the CLI and tests. */
  async settle(maxCycles = 20): Promise<CycleResult> {
    const total: CycleResult = { pushed: 0, pulled: 0, conflicts: 0, failed: 0, error: null };
    enqueueUnsent(this.ctx);
    for (let i = 0; i < maxCycles; i++) {
      const r = await this.runOnce();
      total.pushed += r.pushed;
      total.pulled += r.pulled;
      total.conflicts += r.conflicts;
      total.failed += r.failed;
      total.error = r.error;
      if (r.error) break;
      if (r.pushed + r.pulled + r.conflicts + r.failed === 0 && countsOf(this.ctx).pending === 0) break;
    }
    return total;
  }
}
