// Each desk reads only its own unit's Appointments: two units (different HSA-ids) on one real
// stand-in central over HTTP, a real SQLite desk each. A desk's Appointment feed and Subscription ask
// for its unit's tag; an Appointment written without the tag still reaches the desk by its Slot.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Appointment, BundleEntry, Resource, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { ifMatch, type CentralApi } from '../../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { EXT, HSA_SYSTEM, ID_SYSTEM, PERSONNUMMER_SYSTEM, typeCoding } from '../../../src-main/sync/fhir/mapping.ts';
import { FEEDS, pullChanges } from '../../../src-main/sync/pull.ts';
import { api, configureCentral, openLocal, patientNumber, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';

const TOKEN = 'desk-token';
const HSA = { a: 'SE2321000016-7TST', b: 'SE2321000016-8TST' } as const;
const MINUTES = 10 * 60_000;
const WAIT = { timeout: 15_000, interval: 50 };

interface Desk {
  ctx: ServiceContext;
  unit: SmallUnit;
}

let central: Central;
let a: Desk;
let b: Desk;
const engines: SyncEngine[] = [];

/** The desk's searches (decoded URLs) and what they returned. */
function recording(): { api: CentralApi; urls: string[]; received: Resource[] } {
  const inner = api(central.url, TOKEN);
  const urls: string[] = [];
  const received: Resource[] = [];
  const rec = Object.create(inner) as CentralApi;
  rec.searchPage = async (url) => {
    urls.push(decodeURIComponent(url));
    const page = await inner.searchPage(url);
    received.push(...page.resources);
    return page as never;
  };
  return { api: rec, urls, received };
}

const central_ = () => api(central.url, TOKEN);
const onCentral = async (d: Desk, i: number) => (await central_().byIdentifier<Slot>('Slot', ID_SYSTEM, d.unit.slotIds[i]!))!;
const person = (n: number) => ({ identityNumber: patientNumber(n), givenName: 'Webb', familyName: 'Bokare' });
const bookOnWeb = async (d: Desk, i: number, patient: number) =>
  webBook(central_(), await onCentral(d, i), 'LAKBES', person(patient));
const bookingOn = (d: Desk, i: number) =>
  d.ctx.db
    .prepare(`SELECT id, status, channel, rebooked_to FROM bookings WHERE slot_id = ? ORDER BY created_at DESC LIMIT 1`)
    .get(d.unit.slotIds[i]!) as { id: string; status: string; channel: string; rebooked_to: string | null } | undefined;
/** Central ids of the desk's slots. */
const remoteSlots = (d: Desk) =>
  new Set(
    (d.ctx.db.prepare(`SELECT remote_id FROM slots WHERE remote_id IS NOT NULL`).all() as { remote_id: string }[]).map(
      (r) => `Slot/${r.remote_id}`,
    ),
  );
const appointmentsIn = (rs: Resource[]) => rs.filter((r): r is Appointment => r.resourceType === 'Appointment');
const slotSearches = (urls: string[]) => urls.filter((u) => /\/Appointment\?.*\bslot=/.test(u));
/** Everything a pull may write. */
const snapshot = (d: Desk) =>
  Object.fromEntries(
    ['bookings', 'slots', 'patients', 'conflicts', 'outbox', 'sync_state', 'audit_events'].map((t) => [
      t,
      d.ctx.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
    ]),
  );

async function settle(d: Desk): Promise<void> {
  expect((await new SyncEngine(d.ctx, api(central.url, TOKEN), { notifications: false }).settle()).error).toBeNull();
}

beforeEach(async () => {
  central = await startCentral({ token: TOKEN });
  const dir = tempDir();
  const desk = (name: string, hsa: string): Desk => {
    const ctx = openLocal(dir, name);
    const unit = seedSmallUnit(ctx, { slots: 8 });
    ctx.db.prepare(`UPDATE units SET hsa_id = ?, name = ? WHERE id = ?`).run(hsa, `Vårdcentralen ${name}`, unit.unitId);
    configureCentral(ctx, central.url);
    return { ctx, unit };
  };
  a = desk('A', HSA.a);
  b = desk('B', HSA.b);
  // Both units on central, as after each desk's first sync.
  await settle(a);
  await settle(b);
});

afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  a?.ctx.db.close();
  b?.ctx.db.close();
  await central?.close();
});

describe("a desk's Appointment feed", () => {
  it("reads its own unit's web bookings, cancellations and rebookings, and never another unit's", async () => {
    await bookOnWeb(b, 0, 60);
    await bookOnWeb(b, 1, 61);
    const cancelled = await bookOnWeb(a, 2, 62);
    const moved = await bookOnWeb(a, 3, 63);
    let rec = recording();
    await pullChanges(a.ctx, rec.api);
    expect(bookingOn(a, 2)).toMatchObject({ status: 'booked', channel: 'web' });
    expect(bookingOn(a, 3)).toMatchObject({ status: 'booked', channel: 'web' });
    // On A's wire: A's two bookings, none of B's; the feed asked for A's tag, and no slot needed a look-up.
    const ours = remoteSlots(a);
    expect(
      appointmentsIn(rec.received)
        .map((x) => x.id)
        .sort(),
    ).toEqual([cancelled.id, moved.id].sort());
    expect(rec.urls.filter((u) => u.includes('/Appointment?')).every((u) => u.includes(`_tag=${HSA_SYSTEM}|${HSA.a}`))).toBe(
      true,
    );
    expect(slotSearches(rec.urls)).toEqual([]);

    // The patient cancels one and moves the other; unit B's patients keep booking.
    await webCancel(central_(), (await central_().read<Appointment>('Appointment', cancelled.id!))!, await onCentral(a, 2));
    const to = await webRebook(
      central_(),
      (await central_().read<Appointment>('Appointment', moved.id!))!,
      await onCentral(a, 3),
      await onCentral(a, 4),
      'LAKBES',
    );
    await bookOnWeb(b, 2, 64);
    rec = recording();
    await pullChanges(a.ctx, rec.api);
    expect(bookingOn(a, 2)).toMatchObject({ status: 'cancelled' });
    const newHalf = bookingOn(a, 4)!;
    expect(newHalf).toMatchObject({ status: 'booked', channel: 'web' });
    expect(bookingOn(a, 3)).toMatchObject({ status: 'rebooked', rebooked_to: newHalf.id });
    const seen = appointmentsIn(rec.received);
    expect(seen.map((x) => x.id)).toContain(to.id);
    expect(seen.every((x) => ours.has(x.slot![0]!.reference!))).toBe(true);
    expect(slotSearches(rec.urls)).toEqual([]);

    // B's desk has B's three and none of A's.
    rec = recording();
    await pullChanges(b.ctx, rec.api);
    expect([0, 1, 2].map((i) => bookingOn(b, i)?.channel)).toEqual(['web', 'web', 'web']);
    const theirs = remoteSlots(b);
    expect(appointmentsIn(rec.received).length).toBeGreaterThanOrEqual(3);
    expect(appointmentsIn(rec.received).every((x) => theirs.has(x.slot![0]!.reference!))).toBe(true);
  });

  it('pulled twice changes nothing, and an idle poll asks each feed once and nothing more', async () => {
    await bookOnWeb(a, 1, 65);
    await pullChanges(a.ctx, api(central.url, TOKEN));
    const before = snapshot(a);
    const rec = recording();
    const again = await pullChanges(a.ctx, rec.api);
    expect(again).toMatchObject({ applied: 0, conflicts: 0 });
    expect(snapshot(a)).toEqual(before);
    expect(rec.urls.map((u) => u.split('?')[0]!.split('/').pop())).toEqual([...FEEDS]);
    expect(rec.urls.at(-1)).toContain(`_tag=${HSA_SYSTEM}|${HSA.a}`);
  });

  it('keeps the unit on a Slot or Appointment at central when a client that does not know the tag rewrites it', async () => {
    const booked = (await central_().read<Appointment>('Appointment', (await bookOnWeb(a, 5, 66)).id!))!;
    const slot = await onCentral(a, 5);
    const tag = { system: HSA_SYSTEM, code: HSA.a };
    expect(booked.meta?.tag).toEqual([tag]); // copied from the Slot by the 1177 side
    expect(slot.meta?.tag).toEqual([tag]); // sent by the desk
    const { meta: _a, ...untaggedAppointment } = booked;
    const { meta: _s, ...untaggedSlot } = slot;
    await central_().transaction([
      {
        resource: { ...untaggedAppointment, comment: 'ändrad' },
        request: { method: 'PUT', url: `Appointment/${booked.id}`, ifMatch: ifMatch(booked.meta!.versionId!) },
      },
      {
        resource: { ...untaggedSlot, comment: 'ändrad' },
        request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch: ifMatch(slot.meta!.versionId!) },
      },
    ]);
    expect((await central_().read<Appointment>('Appointment', booked.id!))!.meta?.tag).toEqual([tag]);
    expect((await onCentral(a, 5)).meta?.tag).toEqual([tag]);
  });
});

describe('an Appointment written without the unit tag (an older desk, a client that does not tag)', () => {
  /** A booking of the slot as a client that does not tag writes it: Patient, Appointment, Slot busy. */
  async function bookUntagged(s: Slot, patient: number): Promise<Appointment> {
    const patientUrl = 'urn:uuid:5a7e0c1d-0000-4000-8000-000000000001';
    const entries: BundleEntry[] = [
      {
        fullUrl: patientUrl,
        resource: { resourceType: 'Patient', identifier: [{ system: PERSONNUMMER_SYSTEM, value: patientNumber(patient) }] },
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${PERSONNUMMER_SYSTEM}|${patientNumber(patient)}` },
      },
      {
        resource: {
          resourceType: 'Appointment',
          status: 'booked',
          serviceType: [typeCoding('LAKBES')],
          slot: [{ reference: `Slot/${s.id}` }],
          start: s.start,
          end: s.end,
          created: new Date().toISOString(),
          participant: [{ actor: { reference: patientUrl }, status: 'accepted' }],
          extension: [{ url: EXT.channel, valueCode: 'web' }],
        },
        request: { method: 'POST', url: 'Appointment' },
      },
      {
        resource: { ...s, status: 'busy' },
        request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: ifMatch(s.meta!.versionId!) },
      },
    ];
    return (await central_().transaction(entries))[1]!.resource as Appointment;
  }

  it('still reaches the desk, booked and then cancelled, by its Slot; the next poll asks nothing more', async () => {
    const booked = await bookUntagged(await onCentral(a, 6), 67);
    expect(booked.meta?.tag).toBeUndefined();
    let rec = recording();
    await pullChanges(a.ctx, rec.api);
    expect(bookingOn(a, 6)).toMatchObject({ status: 'booked', channel: 'web' });
    // The tagged feed did not bring it; one look-up by the slot did.
    const feed = rec.urls.filter((u) => u.includes('/Appointment?_lastUpdated') || u.includes('/Appointment?_tag'));
    expect(feed.length).toBeGreaterThan(0);
    expect(feed.every((u) => u.includes(`_tag=${HSA_SYSTEM}|${HSA.a}`))).toBe(true);
    const slotId = (await onCentral(a, 6)).id!;
    expect(slotSearches(rec.urls)).toEqual([expect.stringContaining(`slot=Slot/${slotId}`)]);

    // An idle poll after it: no look-up again.
    rec = recording();
    expect(await pullChanges(a.ctx, rec.api)).toMatchObject({ applied: 0 });
    expect(slotSearches(rec.urls)).toEqual([]);

    // Cancelled by the same client, still without the tag: the Slot goes free, the desk follows.
    const current = (await central_().read<Appointment>('Appointment', booked.id!))!;
    await central_().transaction([
      {
        resource: { ...current, status: 'cancelled', cancelationReason: { text: 'Avbokad av patienten' } },
        request: { method: 'PUT', url: `Appointment/${booked.id}`, ifMatch: ifMatch(current.meta!.versionId!) },
      },
      {
        resource: { ...(await onCentral(a, 6)), status: 'free' },
        request: { method: 'PUT', url: `Slot/${slotId}`, ifMatch: ifMatch((await onCentral(a, 6)).meta!.versionId!) },
      },
    ]);
    rec = recording();
    await pullChanges(a.ctx, rec.api);
    expect(bookingOn(a, 6)).toMatchObject({ status: 'cancelled' });
    expect(slotSearches(rec.urls)).toHaveLength(1);
    const before = snapshot(a);
    rec = recording();
    expect(await pullChanges(a.ctx, rec.api)).toMatchObject({ applied: 0 });
    expect(slotSearches(rec.urls)).toEqual([]);
    expect(snapshot(a)).toEqual(before);
  });
});

describe('notifications', () => {
  it("a web booking in unit B does not wake unit A's desk, and one in unit A does", async () => {
    const options = { fastMs: MINUTES, idleMaxMs: MINUTES, safetyPollMs: MINUTES, reconnectMaxMs: 2000, coalesceMs: 50 };
    const start = (d: Desk) => {
      const e = new SyncEngine(d.ctx, api(central.url, TOKEN), options);
      engines.push(e);
      e.start();
      return e;
    };
    const [ea, eb] = [start(a), start(b)];
    await vi.waitFor(() => {
      expect([ea, eb].map((e) => e.status().notifications)).toEqual(['on', 'on']);
      expect([ea, eb].every((e) => e.status().lastSyncAt !== null)).toBe(true);
    }, WAIT);
    await ea.runOnce();
    await eb.runOnce();
    const hub = central.subscriptions!;
    const cyclesA = ea.cycleCount;
    const cyclesB = eb.cycleCount;

    let pings = hub.pings;
    await bookOnWeb(b, 3, 68);
    // Pings go out as the write commits: its Slot, its Appointment and the new Patient (1177 tags her
    // with the Slot's unit), each to B's Subscription only.
    expect(hub.pings - pings).toBe(3);
    await vi.waitFor(() => expect(bookingOn(b, 3)?.channel).toBe('web'), WAIT);
    expect(eb.cycleCount).toBeGreaterThan(cyclesB);
    expect(ea.cycleCount).toBe(cyclesA);

    pings = hub.pings;
    await bookOnWeb(a, 3, 69);
    expect(hub.pings - pings).toBe(3);
    await vi.waitFor(() => expect(bookingOn(a, 3)?.channel).toBe('web'), WAIT);
    expect(ea.cycleCount).toBeGreaterThan(cyclesA);
  });
});
