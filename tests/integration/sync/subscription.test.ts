// Central's changes reach the desk by notification (FHIR R4 Subscription over websocket) instead of
// a poll: against the real stand-in (HTTP + websocket on 127.0.0.1) and a real SQLite desk. The
// desk's polls are set to minutes, so a change that arrives was heard, not polled. Subscriptions
// are leased (`end`): a running desk renews them, a stopped one's lapse at central.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Slot, Subscription } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { CentralError } from '../../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { SUBSCRIPTION_TAG_SYSTEM } from '../../../src-main/sync/notifications.ts';
import { FEEDS } from '../../../src-main/sync/pull.ts';
import {
  api,
  configureCentral,
  localActive,
  openLocal,
  patientNumber,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

const TOKEN = 'desk-token';
const MINUTES = 10 * 60_000;
/** Polls set to minutes: only a notification can bring a change within the test. */
const NO_POLLING = { fastMs: MINUTES, idleMaxMs: MINUTES, safetyPollMs: MINUTES, reconnectMaxMs: 2000 };
const WAIT = { timeout: 15_000, interval: 50 };

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
let dir: string;
const engines: SyncEngine[] = [];

async function setUp(options: { websocket?: boolean; clock?: () => number } = {}): Promise<void> {
  central = await startCentral({ token: TOKEN, ...options });
  dir = tempDir();
  ctx = openLocal(dir, 'desk', options.clock);
  unit = seedSmallUnit(ctx, { slots: 16 });
  configureCentral(ctx, central.url);
  // The unit is on central before the running engine starts (as after a desk's first sync).
  expect((await new SyncEngine(ctx, api(central.url, TOKEN), { notifications: false }).settle()).error).toBeNull();
}

function startEngine(c: ServiceContext, options: ConstructorParameters<typeof SyncEngine>[2] = NO_POLLING): SyncEngine {
  const e = new SyncEngine(c, api(central.url, TOKEN), options);
  engines.push(e);
  e.start();
  return e;
}

async function bookOnWeb(slotIndex: number, patient: number): Promise<void> {
  const central_ = api(central.url, TOKEN);
  const slot = (await central_.byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[slotIndex]!))!;
  await webBook(central_, slot, 'LAKBES', { identityNumber: patientNumber(patient), givenName: 'Webb', familyName: 'Bokare' });
}

const webBooked = (i: number): boolean => localActive(ctx).get(unit.slotIds[i]!)?.channel === 'web';

/** The desks' Subscriptions as a search at central shows them (each request sweeps lapsed ones off first). */
const ours = async (): Promise<Subscription[]> =>
  (await api(central.url, TOKEN).searchAll<Subscription>('Subscription', { _count: '100' })).filter((s) =>
    s.meta?.tag?.some((t) => t.system === SUBSCRIPTION_TAG_SYSTEM),
  );
const idsOf = (subs: Subscription[]): string[] => subs.map((s) => s.id!).sort();

/** A raw client of central's websocket. */
function connect(headers: Record<string, string>): { ws: WebSocket; messages: string[]; opened: Promise<number> } {
  const url = central.url.replace(/^http/, 'ws') + '/websocket';
  const ws = new WebSocket(url, { headers });
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(String(d)));
  const opened = new Promise<number>((done) => {
    ws.on('open', () => done(101));
    ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
  });
  return { ws, messages, opened };
}

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  ctx?.db.close();
  await central?.close();
});

describe('desk hears central', () => {
  beforeEach(() => setUp());

  it("brings a patient's web booking into the desk's database without a poll", async () => {
    const engine = startEngine(ctx);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    await bookOnWeb(3, 60);
    await vi.waitFor(() => expect(webBooked(3)).toBe(true), WAIT);
    expect(engine.status()).toMatchObject({ mode: 'online', notifications: 'on' });
  });

  it('runs a couple of cycles for a burst of writes, not one per write', async () => {
    const engine = startEngine(ctx, { ...NO_POLLING, coalesceMs: 300 });
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    // The catch-up cycle after binding has run and the loop sleeps (for minutes).
    await vi.waitFor(() => expect(engine.status().lastSyncAt).not.toBeNull(), WAIT);
    await engine.runOnce();
    const cyclesBefore = engine.cycleCount;
    const pingsBefore = central.subscriptions!.pings;
    const burst = [4, 5, 6, 7, 8, 9, 10, 11];
    await Promise.all(burst.map((i) => bookOnWeb(i, 70 + i)));
    await vi.waitFor(() => expect(burst.every(webBooked)).toBe(true), WAIT);
    const pings = central.subscriptions!.pings - pingsBefore;
    const cycles = engine.cycleCount - cyclesBefore;
    // Each booking writes a Slot and an Appointment (a ping for each).
    expect(pings).toBeGreaterThanOrEqual(burst.length * 2);
    expect(cycles).toBeGreaterThanOrEqual(1);
    expect(cycles).toBeLessThanOrEqual(3);
  });

  it('reconnects after central drops the socket, and hears the next change', async () => {
    const engine = startEngine(ctx);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const hub = central.subscriptions!;
    const [first] = [...hub.sockets];
    const states: string[] = [];
    ctx.events.subscribe((e) => {
      if (e.entities.includes('sync')) states.push(engine.status().notifications);
    });
    hub.dropSockets();
    await vi.waitFor(() => expect(states).toContain('reconnecting'), WAIT);
    await vi.waitFor(() => {
      expect(engine.status().notifications).toBe('on');
      expect(hub.sockets.size).toBe(1);
      expect([...hub.sockets][0]).not.toBe(first);
    }, WAIT);
    await bookOnWeb(5, 61);
    await vi.waitFor(() => expect(webBooked(5)).toBe(true), WAIT);
  });

  it('polls adaptively while the socket is down, and listens again once it is back', async () => {
    const engine = startEngine(ctx, { fastMs: 100, idleMaxMs: 300, safetyPollMs: MINUTES, reconnectMaxMs: 1000 });
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const hub = central.subscriptions!;
    hub.accepting = false;
    hub.dropSockets();
    await vi.waitFor(() => expect(engine.status().notifications).toBe('reconnecting'), WAIT);
    // No socket, no ping: the booking comes by the poll.
    await bookOnWeb(6, 64);
    await vi.waitFor(() => expect(webBooked(6)).toBe(true), WAIT);
    expect(hub.sockets.size).toBe(0);
    hub.accepting = true;
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
  });

  it('reuses its Subscriptions after a restart instead of creating new ones', async () => {
    const first = startEngine(ctx);
    await vi.waitFor(() => expect(first.status().notifications).toBe('on'), WAIT);
    const before = await ours();
    expect(before).toHaveLength(FEEDS.length);
    expect(before.every((s) => s.status === 'active' && s.channel.type === 'websocket')).toBe(true);
    // Slots are heard for this unit's schedules only.
    expect(before.find((s) => s.criteria.startsWith('Slot'))!.criteria).toMatch(/^Slot\?schedule=Schedule\/.+,Schedule\//);
    await first.stop();
    ctx.db.close();
    ctx = openLocal(dir, 'desk');
    const second = startEngine(ctx);
    await vi.waitFor(() => expect(second.status().notifications).toBe('on'), WAIT);
    const after = await ours();
    expect(after.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    expect(after.map((s) => s.meta!.versionId).sort()).toEqual(before.map((s) => s.meta!.versionId).sort());
  });
});

describe('a central without websocket', () => {
  beforeEach(() => setUp({ websocket: false }));

  it('leaves the desk polling as before', async () => {
    const engine = startEngine(ctx, { fastMs: 100, idleMaxMs: 300 });
    await vi.waitFor(() => expect(engine.status().notifications).toBe('unsupported'), WAIT);
    await bookOnWeb(2, 62);
    await vi.waitFor(() => expect(webBooked(2)).toBe(true), WAIT);
    expect(engine.status().notifications).toBe('unsupported');
  });
});

describe("central's websocket", () => {
  beforeEach(() => setUp());

  async function subscribe(criteria: string): Promise<string> {
    const [entry] = await api(central.url, TOKEN).transaction([
      {
        resource: { resourceType: 'Subscription', status: 'requested', reason: 'test', criteria, channel: { type: 'websocket' } },
        request: { method: 'POST', url: 'Subscription' },
      },
    ]);
    const s = entry!.resource as Subscription;
    expect(s.status).toBe('active');
    return s.id!;
  }

  it('refuses a connection without the right token, as the REST API does', async () => {
    const wrong = connect({ authorization: 'Bearer not-the-token' });
    expect(await wrong.opened).toBe(401);
    const none = connect({});
    expect(await none.opened).toBe(401);
    const right = connect({ authorization: `Bearer ${TOKEN}` });
    expect(await right.opened).toBe(101);
    right.ws.close();
  });

  it('refuses a Subscription whose end has already passed (400), storing nothing', async () => {
    const lapsed = {
      resourceType: 'Subscription' as const,
      status: 'requested' as const,
      reason: 'test',
      criteria: 'Slot',
      end: new Date(Date.now() - 1000).toISOString(),
      channel: { type: 'websocket' as const },
    };
    const refused = await api(central.url, TOKEN)
      .transaction([{ resource: lapsed, request: { method: 'POST', url: 'Subscription' } }])
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CentralError);
    expect((refused as CentralError).status).toBe(400);
    expect(await api(central.url, TOKEN).searchAll<Subscription>('Subscription', {})).toEqual([]);
  });

  it('pings after a commit, and a rolled-back transaction pings nobody', async () => {
    const slotSub = await subscribe('Slot');
    const appointmentSub = await subscribe('Appointment');
    const c = connect({ authorization: `Bearer ${TOKEN}` });
    expect(await c.opened).toBe(101);
    c.ws.send('bind no-such-subscription');
    c.ws.send(`bind ${slotSub}`);
    c.ws.send(`bind ${appointmentSub}`);
    await vi.waitFor(() => expect(c.messages).toHaveLength(3), WAIT);
    expect(c.messages[0]).toMatch(/^error no-such-subscription/);
    expect(c.messages.slice(1)).toEqual([`bound ${slotSub}`, `bound ${appointmentSub}`]);
    const central_ = api(central.url, TOKEN);
    const slot = (await central_.byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[1]!))!;
    // A transaction whose last entry fails (a stale If-Match on the Slot) writes, and pings, nothing.
    const stale = { ...slot, meta: { ...slot.meta, versionId: 'not-the-version' } };
    await expect(
      webBook(central_, stale, 'LAKBES', { identityNumber: patientNumber(63), givenName: 'A', familyName: 'B' }),
    ).rejects.toThrow(CentralError);
    // A write that commits: only its own subscription hears it.
    await central_.transaction([
      {
        resource: { ...slot, comment: 'ändrad' },
        request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch: `W/"${slot.meta!.versionId}"` },
      },
    ]);
    await vi.waitFor(() => expect(c.messages.length).toBeGreaterThan(3), WAIT);
    expect(c.messages.slice(3)).toEqual([`ping ${slotSub}`]);
    c.ws.close();
  });
});

describe('leased Subscriptions (Subscription.end)', () => {
  /** Desk and central read one clock, which the test moves ahead (time passing for both). */
  let skew = 0;
  const clock = (): number => Date.now() + skew;
  const LEASE_MS = 10 * 60_000;
  const LEASED = { ...NO_POLLING, subscriptionLeaseMs: LEASE_MS };

  beforeEach(() => {
    skew = 0;
    return setUp({ clock });
  });

  it('a running desk renews them before they lapse: same ids, versions move, never off', async () => {
    // A short lease in real time: the desk must renew every half second or lose them.
    const lease = 1000;
    const engine = startEngine(ctx, { ...NO_POLLING, subscriptionLeaseMs: lease });
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const first = await ours();
    expect(first).toHaveLength(FEEDS.length);
    expect(first.every((s) => Date.parse(s.end!) > clock())).toBe(true);
    const versions = new Map(first.map((s) => [s.id!, new Set([s.meta!.versionId])]));
    const until = Date.now() + 3 * lease;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, lease / 4));
      const now = await ours();
      expect(idsOf(now)).toEqual(idsOf(first));
      expect(now.map((s) => s.status)).toEqual(first.map(() => 'active'));
      for (const s of now) versions.get(s.id!)!.add(s.meta!.versionId);
    }
    expect(central.subscriptions!.lapsed).toBe(0);
    // Three leases, each renewed once half spent: every Subscription has moved at least twice.
    for (const v of versions.values()) expect(v.size).toBeGreaterThanOrEqual(3);
    expect(engine.status().notifications).toBe('on');
    const pings = central.subscriptions!.pings;
    await bookOnWeb(3, 60);
    await vi.waitFor(() => expect(webBooked(3)).toBe(true), WAIT);
    expect(central.subscriptions!.pings).toBeGreaterThan(pings);
  });

  /**
   * The desk runs, then stops without a word to central (a crash, a retired machine); a connection
   * it left half-open is still bound at central. Then more than a lease passes.
   */
  async function lapseWhileStopped(): Promise<{ ids: string[]; left: ReturnType<typeof connect> }> {
    const engine = startEngine(ctx, LEASED);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const ids = idsOf(await ours());
    expect(ids).toHaveLength(FEEDS.length);
    await engine.stop();
    const left = connect({ authorization: `Bearer ${TOKEN}` });
    expect(await left.opened).toBe(101);
    for (const id of ids) left.ws.send(`bind ${id}`);
    await vi.waitFor(() => expect(left.messages.filter((m) => m.startsWith('bound'))).toHaveLength(ids.length), WAIT);
    skew += LEASE_MS + 60_000;
    return { ids, left };
  }

  it("a stopped desk's lapse: turned off at central, and a web booking after that pings nobody", async () => {
    const { ids, left } = await lapseWhileStopped();
    const hub = central.subscriptions!;
    const pings = hub.pings;
    await bookOnWeb(3, 60);
    expect(hub.pings).toBe(pings);
    const after = await ours();
    expect(idsOf(after)).toEqual(ids);
    expect(after.every((s) => s.status === 'off')).toBe(true);
    expect(hub.lapsed).toBe(ids.length);
    // The left-over socket is told each one ended, and hears no ping.
    await vi.waitFor(() => expect(left.messages.filter((m) => m.startsWith('error'))).toHaveLength(ids.length), WAIT);
    expect(left.messages.filter((m) => m.startsWith('ping'))).toEqual([]);
    left.ws.close();
  });

  it('the same desk started again reactivates its own Subscriptions and hears the next booking', async () => {
    const { ids, left } = await lapseWhileStopped();
    left.ws.close();
    await bookOnWeb(3, 60); // sweeps them off
    expect((await ours()).every((s) => s.status === 'off')).toBe(true);
    ctx.db.close();
    ctx = openLocal(dir, 'desk', clock);
    const engine = startEngine(ctx, LEASED);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const after = await ours();
    expect(idsOf(after)).toEqual(ids);
    expect(after.every((s) => s.status === 'active' && Date.parse(s.end!) > clock() + LEASE_MS / 2)).toBe(true);
    // Polls are minutes away: the booking is heard.
    await vi.waitFor(() => expect(webBooked(3)).toBe(true), WAIT);
    const pings = central.subscriptions!.pings;
    await bookOnWeb(4, 61);
    await vi.waitFor(() => expect(webBooked(4)).toBe(true), WAIT);
    expect(central.subscriptions!.pings).toBeGreaterThan(pings);
  });

  it('a running desk whose lease passed while it slept reconnects and reactivates them', async () => {
    const engine = startEngine(ctx, LEASED);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    const before = await ours();
    const states: string[] = [];
    ctx.events.subscribe((e) => {
      if (e.entities.includes('sync')) states.push(engine.status().notifications);
    });
    // The laptop slept past the lease: no cycle renewed them.
    skew += LEASE_MS + 60_000;
    await bookOnWeb(5, 62); // central turns them off and says so on the desk's socket
    await vi.waitFor(() => expect(states).toContain('reconnecting'), WAIT);
    await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
    // The catch-up cycle after binding again brings the booking no ping announced.
    await vi.waitFor(() => expect(webBooked(5)).toBe(true), WAIT);
    const after = await ours();
    expect(idsOf(after)).toEqual(idsOf(before));
    expect(after.every((s) => s.status === 'active' && Date.parse(s.end!) > clock())).toBe(true);
    expect(central.subscriptions!.lapsed).toBe(FEEDS.length);
  });
});
