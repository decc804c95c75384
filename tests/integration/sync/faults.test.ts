// Property: whatever two desks and the web do, and however the network between the desks and
// the central misbehaves (drops, delays, 500/503, answers lost after commit, timeouts), once
// the faults stop and sync settles, central and both databases agree, no booking is doubled,
// none is lost (each desk booking is on central or in that desk's Konflikter inbox), and the
// outboxes are empty. Seeded, so a failure replays.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { startCentral } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook } from '../../../src-main/demo/central/web-patient.ts';
import { bookSlot, cancelBooking, rebookBooking } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { CentralError } from '../../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { startFaultProxy, type Fault } from './fault-proxy.ts';
import {
  api,
  centralBookings,
  centralHolding,
  configureCentral,
  desk,
  localActive,
  localBookings,
  openLocal,
  patientNumber,
  pendingOutbox,
  seedSmallUnit,
  sorted,
  tempDir,
  deskCopiedFrom,
} from './helpers.ts';
import { seededRandom } from '../../../src-main/demo/prng.ts';

const SLOTS = 8;
const TIMEOUT_MS = 250;
const FAULTS: Fault[] = ['drop', 'delay', 'error500', 'error503', 'lost', 'timeout'];

type Op =
  | { kind: 'deskBook'; desk: number; slot: number; patient: number }
  | { kind: 'deskCancel'; desk: number; pick: number }
  | { kind: 'deskRebook'; desk: number; pick: number; slot: number }
  | { kind: 'webBook'; slot: number; patient: number }
  | { kind: 'webCancel'; pick: number }
  | { kind: 'webRebook'; pick: number; slot: number }
  | { kind: 'sync'; desk: number };

const deskNo = fc.integer({ min: 0, max: 1 });
const slotNo = fc.integer({ min: 0, max: SLOTS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('deskBook' as const), desk: deskNo, slot: slotNo, patient: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('deskCancel' as const), desk: deskNo, pick: fc.nat() }),
  fc.record({ kind: fc.constant('deskRebook' as const), desk: deskNo, pick: fc.nat(), slot: slotNo }),
  fc.record({ kind: fc.constant('webBook' as const), slot: slotNo, patient: fc.integer({ min: 40, max: 60 }) }),
  fc.record({ kind: fc.constant('webCancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('webRebook' as const), pick: fc.nat(), slot: slotNo }),
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), desk: deskNo }), weight: 3 },
);

async function scenario(ops: Op[], faultSeed: number): Promise<void> {
  const central = await startCentral({});
  const proxy = await startFaultProxy(central.url, { timeoutMs: TIMEOUT_MS });
  const dir = tempDir();
  const a = openLocal(dir, 'a');
  const desks: ServiceContext[] = [a];
  try {
    const unit = seedSmallUnit(a, { slots: SLOTS, patients: 4 });
    configureCentral(a, central.url);
    await new SyncEngine(a, api(central.url)).settle();
    desks.push(deskCopiedFrom(a, dir, 'b'));
    const engines = desks.map((d) => new SyncEngine(d, api(proxy.url, null, TIMEOUT_MS)));
    const web = api(central.url);
    const made: { desk: number; id: string }[] = [];
    const rand = seededRandom(faultSeed);
    proxy.setChooser(() => (rand() < 0.4 ? FAULTS[Math.floor(rand() * FAULTS.length)]! : 'none'));
    const slotOnCentral = async (i: number) => (await web.byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[i]!))!;
    const webAppointments = async () =>
      (await web.searchAll<Appointment>('Appointment', { status: 'booked' })).filter((x) =>
        x.extension?.some((e) => e.valueCode === 'web'),
      );
    const active = (ctx: ServiceContext) => [...localActive(ctx).values()].sort((x, y) => x.id.localeCompare(y.id));

    for (const o of ops) {
      try {
        switch (o.kind) {
          case 'deskBook': {
            const ctx = desks[o.desk]!;
            const b = bookSlot(ctx, desk, {
              slotId: unit.slotIds[o.slot]!,
              patientId: unit.patientIds[o.patient]!,
              appointmentTypeId: unit.typeIds.lakbes,
              channel: 'desk',
              note: '',
              status: deskBookingStatus(ctx),
            });
            made.push({ desk: o.desk, id: b.id });
            break;
          }
          case 'deskCancel': {
            const list = active(desks[o.desk]!);
            if (list.length)
              cancelBooking(desks[o.desk]!, desk, { id: list[o.pick % list.length]!.id, channel: 'desk', reasonCode: 'SJUK' });
            break;
          }
          case 'deskRebook': {
            const list = active(desks[o.desk]!);
            if (!list.length) break;
            const r = rebookBooking(desks[o.desk]!, desk, {
              id: list[o.pick % list.length]!.id,
              slotId: unit.slotIds[o.slot]!,
              channel: 'desk',
              reasonCode: 'KAN_EJ',
            });
            made.push({ desk: o.desk, id: r.new.id });
            break;
          }
          case 'webBook': {
            const s = await slotOnCentral(o.slot);
            if (s.status === 'free')
              await webBook(web, s, 'LAKBES', {
                identityNumber: patientNumber(o.patient),
                givenName: 'Webb',
                familyName: 'Patient',
              });
            break;
          }
          case 'webCancel': {
            const list = await webAppointments();
            const x = list[o.pick % Math.max(1, list.length)];
            if (x) await webCancel(web, x, (await web.read<Slot>('Slot', x.slot![0]!.reference!.split('/')[1]!))!);
            break;
          }
          case 'webRebook': {
            const list = await webAppointments();
            const x = list[o.pick % Math.max(1, list.length)];
            const to = await slotOnCentral(o.slot);
            const from = x && (await web.read<Slot>('Slot', x.slot![0]!.reference!.split('/')[1]!))!;
            if (x && from && to.status === 'free' && to.id !== from.id) await webRebook(web, x, from, to, 'LAKBES');
            break;
          }
          case 'sync':
            await engines[o.desk]!.runOnce();
            break;
        }
      } catch (err) {
        // A desk refusing (slot taken locally, cut-off) or the web losing a race is part of the game.
        if (!(err instanceof CentralError) && !(err as { code?: string }).code) throw err;
      }
    }

    // Faults stop; requests still on their way land; sync settles.
    proxy.setChooser(() => 'none');
    await proxy.idle();
    const calm = desks.map((d) => new SyncEngine(d, api(proxy.url, null, 10_000)));
    for (let i = 0; i < 3; i++) for (const e of calm) expect((await e.settle()).error).toBeNull();

    const onCentral = await centralBookings(web); // throws if a booking is on central twice
    expect(JSON.stringify(await web.searchAll('Appointment', { _count: '1000' }))).not.toContain('urn:uuid:');
    for (const d of desks) {
      expect(sorted(localBookings(d))).toEqual(sorted(onCentral));
      expect(pendingOutbox(d)).toBe(0);
      expect(d.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'failed'`).get()).toEqual({ n: 0 });
    }
    const holding = await centralHolding(web);
    for (const [, appts] of holding) expect(appts).toHaveLength(1);
    // Central's slots say busy exactly where an appointment holds them (what 1177 shows as free is free).
    for (let i = 0; i < SLOTS; i++) {
      expect((await slotOnCentral(i)).status, `slot ${i}`).toBe(holding.has(unit.slotIds[i]!) ? 'busy' : 'free');
    }
    for (const d of desks) expect([...localActive(d).keys()].sort()).toEqual([...holding.keys()].sort());
    // Nothing lost: every desk booking reached central, or is in its desk's inbox.
    for (const m of made) {
      const inInbox = desks[m.desk]!.db.prepare(`SELECT 1 FROM conflicts WHERE entity_id = ?`).get(m.id) !== undefined;
      expect(onCentral.has(m.id) || inInbox, `desk booking ${m.id} lost`).toBe(true);
    }
  } finally {
    for (const d of desks) d.db.close();
    await proxy.close();
    await central.close();
  }
}

describe('sync under network faults', () => {
  it('converges with nothing doubled or lost (seeded property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 8, maxLength: 24 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), scenario),
      // TIDBOK_FAULT_SEED / TIDBOK_FAULT_RUNS explore further; the default replays the same runs.
      {
        seed: Number(process.env['TIDBOK_FAULT_SEED'] ?? 20_261_121),
        numRuns: Number(process.env['TIDBOK_FAULT_RUNS'] ?? 6),
        endOnFailure: true,
      },
    );
  }, 120_000);
});
