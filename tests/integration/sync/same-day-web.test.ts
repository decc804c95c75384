// A same-day type ("dagens tider": bookable 0 days ahead) on the real stand-in central over HTTP:
// its web rules reach central as 0 and come back as 0 on another desk (not the 180 an absent
// value defaults to), and the stand-in 1177 and its patient simulator offer and book today's time
// only, never tomorrow's. Clock: Monday 2026-11-23 07:30 in Stockholm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthcareService, Slot } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBookableType, webRulesByCode } from '../../../src-main/demo/central/web-patient.ts';
import { PatientSimulator } from '../../../src-main/demo/central/simulator.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM, readWebRules } from '../../../src-main/sync/fhir/mapping.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { valueOf } from '../../helpers/results.ts';
import { api, configureCentral, deskCopiedFrom, openLocal, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';

const now = Date.parse('2026-11-23T07:30:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;
const slots = { today: '', tomorrow: '' };

const staff = testCaller(['receptionist', 'scheduler']);
async function ok<M extends MethodName>(ctx: ServiceContext, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await dispatch({ ctx, caller: staff, shell: 'web' }, method, input));
}
async function sync(ctx: ServiceContext) {
  expect((await new SyncEngine(ctx, api(central.url)).settle()).error).toBeNull();
}
const centralSlot = async (id: string) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, id))!;

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a', () => now);
  unit = seedSmallUnit(a, { slots: 0 });
  configureCentral(a, central.url);
  await sync(a);
  b = deskCopiedFrom(a, dir, 'b', () => now);
  await ok(a, 'appointmentTypes.update', { id: unit.typeIds.lakbes, bookMinLeadH: 1, bookMaxDays: 0 });
  for (const [key, date] of [
    ['today', '2026-11-23'],
    ['tomorrow', '2026-11-24'],
  ] as const) {
    const s = await ok(a, 'slots.create', {
      resourceId: unit.resourceIds[0]!,
      date,
      startTime: '10:00',
      endTime: '10:30',
      appointmentTypeIds: [unit.typeIds.lakbes],
      webPublished: true,
    });
    slots[key] = s.id;
  }
  await sync(a);
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

describe('a same-day type on the stand-in central and 1177', () => {
  it('reaches central as 0 days and another desk pulls it as 0', async () => {
    const hs = (await api(central.url).byIdentifier<HealthcareService>('HealthcareService', ID_SYSTEM, unit.typeIds.lakbes))!;
    expect(readWebRules(hs)).toMatchObject({ bookMaxDays: 0, bookMinLeadH: 1 });
    expect((await webRulesByCode(api(central.url))).get('LAKBES')).toMatchObject({ bookMaxDays: 0 });
    await sync(b);
    expect(await ok(b, 'appointmentTypes.get', { id: unit.typeIds.lakbes })).toMatchObject({ bookMaxDays: 0, bookMinLeadH: 1 });
  });

  it('offers today’s time on 1177 and not tomorrow’s, and the patient simulator books only today’s', async () => {
    const rules = await webRulesByCode(api(central.url));
    expect(webBookableType(await centralSlot(slots.today), rules, now)).toBe('LAKBES');
    expect(webBookableType(await centralSlot(slots.tomorrow), rules, now)).toBeNull();
    const sim = new PatientSimulator(api(central.url), { seed: 23, now: () => now });
    for (let i = 0; i < 40 && sim.stats.booked === 0; i++) await sim.step();
    for (let i = 0; i < 10; i++) await sim.step();
    expect(sim.stats.errors).toBe(0);
    await sync(a);
    // Every time the simulator ever booked (later cancelled or moved too): today's only.
    const booked = a.db.prepare(`SELECT DISTINCT slot_id FROM bookings WHERE channel = 'web'`).pluck().all();
    expect(booked).toEqual([slots.today]);
    expect((await centralSlot(slots.tomorrow)).status).toBe('free');
  });
});
