// Central's changes as they happen: FHIR R4 Subscriptions over websocket (R4 spec, Subscription).
// When central's CapabilityStatement advertises a websocket, the desk keeps one Subscription per
// feed that pull reads, whose criteria cover what pull reads for this unit; it opens the socket,
// sends `bind <id>` for each, and every `ping <id>` asks the engine for a pull cycle (a burst of
// pings within `coalesceMs` asks once). The Subscriptions carry a tag naming this desk, so a restart
// finds and reuses them instead of piling new ones up at central. Each is leased (`end`): a running
// desk renews it after a good cycle once half the lease has passed, so a desk retired, reinstalled
// or replaced leaves nothing active at central once its lease runs out. While the socket is bound
// the engine only polls as a safety net; when it drops (or central offers none) the engine polls
// adaptively again, and this reconnects with backoff.
import type { BundleEntry, Subscription } from '@medplum/fhirtypes';
import { WebSocket } from 'ws';
import type { ServiceContext } from '../services/context.ts';
import { SUBSCRIBER_ID_KEY } from '../services/desk-identity.ts';
import type { Logger } from '../log.ts';
import { ifMatch, type CentralApi } from './central-api.ts';
import { FEEDS, ourAppointments } from './pull.ts';
import { backoffMs, readCursor, writeCursor } from './local.ts';

/** on: bound, central's changes wake the engine; reconnecting: the socket is down (polling meanwhile);
 *  unsupported: central offers no websocket (polling); off: not running. */
export type NotificationState = 'on' | 'reconnecting' | 'unsupported' | 'off';

/** Tag system of the Subscriptions a desk keeps; the code is the desk's own id (sync_state). */
export const SUBSCRIPTION_TAG_SYSTEM = 'urn:tidbok:subscriber';
/** Kept in the database, so a restart finds its Subscriptions; a desk copy drops it (services/desk-identity.ts). */
const DESK_ID_KEY = SUBSCRIBER_ID_KEY;
/** Feeds pull reads by the unit's Organization (as pull.ts does). */
const BY_ORGANIZATION = new Set<string>(['HealthcareService', 'PractitionerRole', 'Location']);
const BIND_TIMEOUT_MS = 15_000;
/** How long central keeps a desk's Subscription without a renewal (`Subscription.end`). */
export const SUBSCRIPTION_LEASE_MS = 24 * 3_600_000;

export interface NotifierOptions {
  log?: Logger | undefined;
  random?: (() => number) | undefined;
  /** Slowest reconnect (and re-check of a central without websocket). */
  reconnectMaxMs?: number | undefined;
  /** Pings within this window ask for one cycle. */
  coalesceMs?: number | undefined;
  /** A websocket ping this often; a socket that missed its pong is closed (a dead network). */
  heartbeatMs?: number | undefined;
  /** Each Subscription's `end` is this far ahead (default SUBSCRIPTION_LEASE_MS; tests shorten it). */
  leaseMs?: number | undefined;
}

/** The lease a Subscription is written with, from the desk's clock. */
export interface Lease {
  now: number;
  leaseMs: number;
}

export interface NotifierEvents {
  /** Central changed something this desk reads. */
  changed(): void;
  /** The state moved (on: catch up what passed while unbound; else: poll again). */
  stateChanged(state: NotificationState): void;
}

/**
 * What each feed's Subscription must match: exactly what pull reads for this unit, or more (a
 * superset costs an empty cycle, a subset a missed change). Appointments by the unit's tag, as pull
 * reads them; one written without the tag changes its Slot too, which wakes the desk (pull's safety net).
 */
export function subscriptionCriteria(ctx: ServiceContext): Map<string, string> {
  const unit = ctx.db.prepare(`SELECT remote_id FROM units ORDER BY rowid LIMIT 1`).get() as
    { remote_id: string | null } | undefined;
  const schedules = (
    ctx.db.prepare(`SELECT remote_id FROM resources WHERE remote_id IS NOT NULL ORDER BY remote_id`).all() as {
      remote_id: string;
    }[]
  ).map((r) => `Schedule/${r.remote_id}`);
  const tag = ourAppointments(ctx)._tag;
  const out = new Map<string, string>();
  for (const feed of FEEDS) {
    if (BY_ORGANIZATION.has(feed) && unit?.remote_id) out.set(feed, `${feed}?organization=Organization/${unit.remote_id}`);
    // The unit's templates and absences (pull reads them by author, both codes).
    else if (feed === 'Basic' && unit?.remote_id) out.set(feed, `Basic?author=Organization/${unit.remote_id}`);
    else if (feed === 'Slot' && schedules.length) out.set(feed, `Slot?schedule=${schedules.join(',')}`);
    else if ((feed === 'Appointment' || feed === 'Patient') && tag) out.set(feed, `${feed}?_tag=${tag}`);
    // Never the region's whole register: pull reads no patients before the unit is on central.
    else if (feed === 'Patient') continue;
    else out.set(feed, feed);
  }
  return out;
}

/** The resource type a criteria string searches. */
const criteriaType = (criteria: string | undefined): string => (criteria ?? '').split('?')[0]!;

/**
 * When a Subscription is due for renewal: once half the lease central granted is spent, so a desk
 * whose cycles fail for a while still renews in time. The grant is `end` less the time it was
 * written (`meta.lastUpdated`), at most the lease asked for: a central that shortens leases is
 * then renewed at half its own lease, not on every cycle. One without `end` (written before
 * leases) is due at once.
 */
export function renewalDueAt(s: { end?: string | undefined; meta?: Subscription['meta'] }, leaseMs: number): number {
  if (!s.end) return -Infinity;
  const end = Date.parse(s.end);
  const written = Date.parse(s.meta?.lastUpdated ?? '');
  const granted = written < end ? Math.min(leaseMs, end - written) : leaseMs;
  return end - granted / 2;
}

/**
 * The writes that make central hold one active websocket Subscription per feed with the wanted
 * criteria and a lease not half spent: a matching one is kept; a stale, inactive (a lapsed one is
 * `off`) or half-spent one updated (If-Match) to requested with a fresh `end`; a missing one
 * created; and spares (two of a feed) turned off.
 */
export function subscriptionPlan(
  existing: Subscription[],
  wanted: Map<string, string>,
  deskId: string,
  lease: Lease,
): { keep: Map<string, string>; writes: { feed: string; entry: BundleEntry }[] } {
  const keep = new Map<string, string>();
  const writes: { feed: string; entry: BundleEntry }[] = [];
  const end = new Date(lease.now + lease.leaseMs).toISOString();
  const mine = existing.filter((s) => s.id && s.channel?.type === 'websocket');
  for (const [feed, criteria] of wanted) {
    const ofFeed = mine
      .filter((s) => criteriaType(s.criteria) === feed)
      .sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'));
    const [first, ...spares] = ofFeed;
    const current = first?.status === 'active' && first.criteria === criteria && lease.now < renewalDueAt(first, lease.leaseMs);
    if (current) keep.set(feed, first.id!);
    else if (first) {
      writes.push({
        feed,
        entry: {
          resource: { ...first, status: 'requested', criteria, end },
          request: { method: 'PUT', url: `Subscription/${first.id}`, ...versionMatch(first) },
        },
      });
    } else {
      writes.push({
        feed,
        entry: {
          resource: {
            resourceType: 'Subscription',
            meta: { tag: [{ system: SUBSCRIPTION_TAG_SYSTEM, code: deskId }] },
            status: 'requested',
            reason: `Tidbok: ändringar i ${feed} som en tidbok hämtar`,
            criteria,
            end,
            channel: { type: 'websocket' },
          },
          request: { method: 'POST', url: 'Subscription' },
        },
      });
    }
    for (const s of spares.filter((x) => x.status !== 'off')) {
      writes.push({
        feed: '',
        entry: {
          resource: { ...s, status: 'off' },
          request: { method: 'PUT', url: `Subscription/${s.id}`, ...versionMatch(s) },
        },
      });
    }
  }
  return { keep, writes };
}

const versionMatch = (s: Subscription): { ifMatch?: string } => (s.meta?.versionId ? { ifMatch: ifMatch(s.meta.versionId) } : {});

/** This database's subscriber id: made once, kept in sync_state, so a restart finds its Subscriptions. */
export function deskSubscriberId(ctx: ServiceContext): string {
  return ctx.db.transaction(() => {
    const id = readCursor(ctx, DESK_ID_KEY);
    if (id) return id;
    const made = ctx.newId();
    writeCursor(ctx, DESK_ID_KEY, made);
    return made;
  })();
}

/**
 * Makes central hold this desk's Subscriptions, leased from now; returns their ids by feed and
 * when the first of them is due for renewal.
 */
export async function ensureSubscriptions(
  ctx: ServiceContext,
  api: CentralApi,
  wanted: Map<string, string>,
  leaseMs: number = SUBSCRIPTION_LEASE_MS,
): Promise<{ ids: Map<string, string>; renewAt: number }> {
  const deskId = deskSubscriberId(ctx);
  const existing = await api.searchAll<Subscription>('Subscription', {
    _tag: `${SUBSCRIPTION_TAG_SYSTEM}|${deskId}`,
    _count: '100',
  });
  const { keep, writes } = subscriptionPlan(existing, wanted, deskId, { now: ctx.now(), leaseMs });
  const leases: { end?: string | undefined; meta?: Subscription['meta'] }[] = existing.filter((s) =>
    [...keep.values()].includes(s.id!),
  );
  const answers = writes.length ? await api.transaction(writes.map((w) => w.entry)) : [];
  writes.forEach((w, i) => {
    const s = answers[i]?.resource as Subscription | undefined;
    if (!w.feed) return;
    if (s?.id) keep.set(w.feed, s.id);
    // Central may shorten the lease; a minimal answer leaves the one asked for, written now.
    leases.push(
      s?.end ? s : { end: (w.entry.resource as Subscription).end, meta: { lastUpdated: new Date(ctx.now()).toISOString() } },
    );
  });
  return { ids: keep, renewAt: Math.min(...leases.map((s) => renewalDueAt(s, leaseMs))) };
}

/** A server message: `bound <id>`, `ping <id>` or `error …`. */
export function parseNotification(text: string): { verb: 'bound' | 'ping' | 'error' | 'other'; id: string } {
  const [verb = '', word = ''] = text.trim().split(/\s+/, 2);
  // `error <id>: why` names the id before its colon.
  const id = word.replace(/:$/, '');
  return { verb: verb === 'bound' || verb === 'ping' || verb === 'error' ? verb : 'other', id };
}

export class CentralNotifications {
  private _state: NotificationState = 'off';
  private running = false;
  private socket: WebSocket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private coalesceTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private attempts = 0;
  /** Criteria as central holds them, the subscription ids bound on the socket, and when the first is due for renewal. */
  private criteria = '';
  private ids = new Map<string, string>();
  private renewAt = -Infinity;
  /** One connect or criteria update at a time. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly api: CentralApi,
    private readonly events: NotifierEvents,
    private readonly options: NotifierOptions = {},
  ) {}

  get state(): NotificationState {
    return this._state;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connectSoon(0);
  }

  stop(): void {
    this.running = false;
    for (const t of [this.retryTimer, this.coalesceTimer]) if (t) clearTimeout(t);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.socket?.terminate();
    this.socket = null;
    this._state = 'off';
  }

  /**
   * After a good cycle: the unit's schedules or organization may be new on central; follow them.
   * A lease half spent is renewed here too (the plan decides which), so a running desk never lets one lapse.
   */
  refresh(): void {
    if (this._state !== 'on') return;
    const wanted = subscriptionCriteria(this.ctx);
    if (JSON.stringify([...wanted]) === this.criteria && this.ctx.now() < this.renewAt) return;
    this.work = this.work.then(async () => {
      try {
        await this.subscribe(wanted);
      } catch (err) {
        // The next good cycle tries again; meanwhile the safety poll covers what the old criteria miss.
        this.options.log?.warn({ error: (err as Error).message }, 'sync: could not update the Subscriptions at central');
      }
    });
  }

  private setState(state: NotificationState): void {
    if (this._state === state || !this.running) return;
    this._state = state;
    this.options.log?.info({ notifications: state }, `sync: notifications ${state}`);
    this.events.stateChanged(state);
  }

  private connectSoon(delay: number): void {
    if (!this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.work = this.work.then(() => this.connect());
    }, delay);
  }

  private retryLater(max = false): void {
    this.attempts++;
    const maxMs = this.options.reconnectMaxMs ?? 60_000;
    this.connectSoon(max ? maxMs : Math.min(maxMs, backoffMs(this.attempts, this.options.random)));
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    let channel: { url: string; headers: Record<string, string> } | null;
    try {
      channel = (await this.api.notificationChannel?.()) ?? null;
      if (!channel) {
        // Central offers none: poll, and look again now and then (it may be upgraded).
        this.setState('unsupported');
        return this.retryLater(true);
      }
      await this.subscribe(subscriptionCriteria(this.ctx));
      if (!this.running) return;
      await this.open(channel);
    } catch (err) {
      this.options.log?.warn({ error: (err as Error).message }, 'sync: notifications unavailable; polling meanwhile');
      this.socket?.terminate();
      this.socket = null;
      this.setState('reconnecting');
      this.retryLater();
    }
  }

  /** Central holds the wanted Subscriptions; any id not bound on the open socket is bound. */
  private async subscribe(wanted: Map<string, string>): Promise<void> {
    ({ ids: this.ids, renewAt: this.renewAt } = await ensureSubscriptions(this.ctx, this.api, wanted, this.options.leaseMs));
    this.criteria = JSON.stringify([...wanted]);
    if (this.socket?.readyState === WebSocket.OPEN) for (const id of this.ids.values()) this.socket.send(`bind ${id}`);
  }

  /** Opens the socket and binds every Subscription; resolves once all are bound. */
  private open(channel: { url: string; headers: Record<string, string> }): Promise<void> {
    return new Promise((done, fail) => {
      const ws = new WebSocket(channel.url, { headers: channel.headers, handshakeTimeout: 10_000 });
      this.socket = ws;
      const waiting = new Set(this.ids.values());
      let alive = true;
      // A bind central never answers (or refuses: it lost the Subscription) must not hang the desk.
      const giveUp = (why: string) => {
        clearTimeout(bindTimer);
        ws.terminate();
        fail(new Error(why));
      };
      const bindTimer = setTimeout(() => giveUp('central did not bind every Subscription in time'), BIND_TIMEOUT_MS);
      ws.on('open', () => {
        for (const id of waiting) ws.send(`bind ${id}`);
      });
      ws.on('message', (data) => {
        const m = parseNotification(String(data));
        if (m.verb === 'ping') this.changed();
        else if (m.verb === 'bound' && waiting.delete(m.id) && waiting.size === 0) {
          clearTimeout(bindTimer);
          this.attempts = 0;
          this.startHeartbeat(
            ws,
            () => alive,
            (v) => (alive = v),
          );
          this.setState('on');
          done();
        } else if (m.verb === 'error') {
          this.options.log?.warn({ message: String(data).slice(0, 200) }, 'sync: central refused or ended a Subscription');
          if (waiting.has(m.id)) giveUp(`central refused to bind Subscription/${m.id}`);
          // A bound one ended (its lease ran out while the desk was suspended): reconnect, which
          // reactivates it, and poll meanwhile.
          else if ([...this.ids.values()].includes(m.id)) ws.terminate();
        }
      });
      ws.on('pong', () => (alive = true));
      ws.on('unexpected-response', (_req, res) => giveUp(`websocket refused: HTTP ${res.statusCode ?? '?'}`));
      ws.on('error', (err) => fail(err));
      ws.on('close', () => {
        clearTimeout(bindTimer);
        fail(new Error('websocket closed before every Subscription was bound'));
        if (this.socket !== ws) return;
        this.socket = null;
        if (this.heartbeat) clearInterval(this.heartbeat);
        if (!this.running) return;
        this.setState('reconnecting');
        this.retryLater();
      });
    });
  }

  private startHeartbeat(ws: WebSocket, alive: () => boolean, set: (v: boolean) => void): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!alive()) return ws.terminate();
      set(false);
      ws.ping();
    }, this.options.heartbeatMs ?? 30_000);
  }

  /** A ping: one cycle for a burst. */
  private changed(): void {
    if (this.coalesceTimer) return;
    this.coalesceTimer = setTimeout(() => {
      this.coalesceTimer = null;
      if (this.running) this.events.changed();
    }, this.options.coalesceMs ?? 100);
  }
}
