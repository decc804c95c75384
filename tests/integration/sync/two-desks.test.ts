// Two workstations (two databases) and the web against one central: books, cancels and
// rebooks on all three, a race for one slot between the desks, then all three agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook } from '../../../src-main/demo/central/web-patient.ts';
import { bookSlot, cancelBooking, rebookBooking } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { seedDemo } from '../../../src-main/demo/seed.ts';
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
  type SmallUnit,
  deskCopiedFrom,
} from './helpers.ts';

let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a');
  unit = seedSmallUnit(a, { slots: 12, patients: 6 });
  configureCentral(a, central.url);
  await new SyncEngine(a, api(central.url)).settle();
  // The second desk starts from the unit's database as installed (a copy after the first sync).
  b = deskCopiedFrom(a, dir, 'b');
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

const book = (ctx: ServiceContext, slot: number, patient: number) =>
  bookSlot(ctx, desk, {
    slotId: unit.slotIds[slot]!,
    patientId: unit.patientIds[patient]!,
    appointmentTypeId: unit.typeIds.lakbes,
    channel: 'desk',
    note: '',
    status: deskBookingStatus(ctx),
  });

const slotOnCentral = async (i: number) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[i]!))!;

describe('two desks and the web', () => {
  it('converge: central and both databases hold the same bookings', async () => {
    const web = api(central.url);
    const syncA = new SyncEngine(a, api(central.url));
    const syncB = new SyncEngine(b, api(central.url));

    // Desk A books 0 and 1, desk B books 2; the web books 3 and 4.
    const a0 = book(a, 0, 0);
    book(a, 1, 1);
    const b2 = book(b, 2, 2);
    const w3 = await webBook(web, await slotOnCentral(3), 'LAKBES', {
      identityNumber: patientNumber(30),
      givenName: 'W',
      familyName: 'Tre',
    });
    const w4 = await webBook(web, await slotOnCentral(4), 'LAKBES', {
      identityNumber: patientNumber(31),
      givenName: 'W',
      familyName: 'Fyra',
    });
    await syncA.settle();
    await syncB.settle();

    // A cancels 0; B rebooks its 2 to 5 and rebooks A's booking 1 to 6; the web cancels 3 and rebooks 4 to 7.
    cancelBooking(a, desk, { id: a0.id, channel: 'desk', reasonText: 'Sjuk' });
    rebookBooking(b, desk, { id: b2.id, slotId: unit.slotIds[5]!, channel: 'desk', reasonText: 'Kan inte komma' });
    const aBooking1 = localActive(b).get(unit.slotIds[1]!)!;
    rebookBooking(b, desk, { id: aBooking1.id, slotId: unit.slotIds[6]!, channel: 'phone' });
    await webCancel(web, (await web.read<Appointment>('Appointment', w3.id!))!, await slotOnCentral(3));
    await webRebook(
      web,
      (await web.read<Appointment>('Appointment', w4.id!))!,
      await slotOnCentral(4),
      await slotOnCentral(7),
      'LAKBES',
    );

    // Both desks book slot 8 before either syncs: one of them loses it.
    book(a, 8, 3);
    book(b, 8, 4);

    for (let i = 0; i < 2; i++) {
      expect((await syncA.settle()).error).toBeNull();
      expect((await syncB.settle()).error).toBeNull();
    }

    const onCentral = await centralBookings(web);
    expect(sorted(localBookings(a))).toEqual(sorted(onCentral));
    expect(sorted(localBookings(b))).toEqual(sorted(onCentral));
    const holding = await centralHolding(web);
    for (const [, appts] of holding) expect(appts).toHaveLength(1);
    const activeOf = (ctx: ServiceContext) =>
      sorted(new Map([...localActive(ctx)].map(([slot, x]) => [slot, [x.patient, x.status]])));
    expect(activeOf(a)).toEqual(activeOf(b));
    expect([...localActive(a).keys()].sort()).toEqual([...holding.keys()].sort());
    // Slot 8 went to A (it synced first); B's patient is in B's inbox.
    expect(localActive(a).get(unit.slotIds[8]!)?.patient).toBe(
      (a.db.prepare(`SELECT identity_number FROM patients WHERE id = ?`).get(unit.patientIds[3]) as { identity_number: string })
        .identity_number,
    );
    expect(b.db.prepare(`SELECT count(*) AS n FROM conflicts WHERE kind = 'slot_taken'`).get()).toEqual({ n: 1 });
    expect(pendingOutbox(a)).toBe(0);
    expect(pendingOutbox(b)).toBe(0);
    // What happened where: 0 cancelled, 1 -> 6, 2 -> 5, 3 cancelled, 4 -> 7.
    expect([...holding.keys()].sort()).toEqual([5, 6, 7, 8].map((i) => unit.slotIds[i]!).sort());
  });

  it('two workstations seeded with the demo on the same day meet as one unit on a central', async () => {
    const other = await startCentral({});
    const dir = tempDir();
    const at = Date.parse('2026-11-23T09:10:00+01:00');
    const [x, y] = ['x', 'y'].map((n) => openLocal(dir, n, () => at)) as [ServiceContext, ServiceContext];
    try {
      for (const d of [x, y]) {
        seedDemo(d);
        configureCentral(d, other.url);
      }
      for (const d of [x, y, x]) expect((await new SyncEngine(d, api(other.url, null, 30_000)).settle(50)).error).toBeNull();
      const onCentral = await centralBookings(api(other.url));
      // The demo's past weeks stay on each desk (seed-history.ts): central gets the rest.
      const sent = (d: ServiceContext) => {
        const kept = new Set(
          d.db.prepare(`SELECT entity_id FROM outbox WHERE json_extract(payload, '$.demoHistory') = 1`).pluck().all(),
        );
        expect(kept.size).toBeGreaterThan(0);
        return new Map([...localBookings(d)].filter(([id]) => !kept.has(id)));
      };
      expect(sorted(sent(x))).toEqual(sorted(onCentral));
      expect(sorted(sent(y))).toEqual(sorted(onCentral));
      expect(await api(other.url).searchAll('Organization', {})).toHaveLength(1);
      expect(y.db.prepare(`SELECT count(*) AS n FROM conflicts`).get()).toEqual({ n: 0 });
    } finally {
      x.db.close();
      y.db.close();
      await other.close();
    }
  }, 60_000);
});
