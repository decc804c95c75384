// The patient simulator books, cancels and rebooks like 1177 users, only where the web rules
// allow: web-published slots, web-bookable types that need no invitation, inside the booking
// window; and the desk sees what it did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { PatientSimulator } from '../../../src-main/demo/central/simulator.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM, TYPE_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import {
  api,
  centralHolding,
  configureCentral,
  localActive,
  openLocal,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;

beforeAll(async () => {
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk');
  unit = seedSmallUnit(ctx, { slots: 24 });
  // Half the slots are not published on the web; the desk-only type is on every slot.
  for (const id of unit.slotIds.slice(12)) ctx.db.prepare(`UPDATE slots SET web_published = 0 WHERE id = ?`).run(id);
  configureCentral(ctx, central.url);
  await new SyncEngine(ctx, api(central.url)).settle();
});

afterAll(async () => {
  ctx.db.close();
  await central.close();
});

describe('patient simulator', () => {
  it('acts only where the web rules allow, and the desk sees it', async () => {
    const sim = new PatientSimulator(api(central.url), { seed: 42 });
    for (let i = 0; i < 30; i++) await sim.step();
    expect(sim.stats.booked).toBeGreaterThan(5);
    expect(sim.stats.cancelled + sim.stats.rebooked).toBeGreaterThan(0);
    expect(sim.stats.errors).toBe(0);

    const slots = await api(central.url).searchAll<Slot>('Slot', {});
    const published = new Set(unit.slotIds.slice(0, 12));
    const ourSlot = new Map(slots.map((s) => [s.id!, s.identifier!.find((i) => i.system === ID_SYSTEM)!.value!]));
    const appts = await api(central.url).searchAll<Appointment>('Appointment', {});
    for (const a of appts) {
      expect(published.has(ourSlot.get(a.slot![0]!.reference!.split('/')[1]!)!)).toBe(true);
      expect(a.serviceType?.[0]?.coding?.find((c) => c.system === TYPE_SYSTEM)?.code).toBe('LAKBES');
    }
    for (const [, held] of await centralHolding(api(central.url))) expect(held).toHaveLength(1);

    await new SyncEngine(ctx, api(central.url)).settle();
    const holding = await centralHolding(api(central.url));
    expect([...localActive(ctx).keys()].sort()).toEqual([...holding.keys()].sort());
    expect([...localActive(ctx).values()].every((b) => b.channel === 'web')).toBe(true);
  });
});
