// The booking window is the same on 1177 as at the desk. The desk counts a type's "at most N days
// ahead" in calendar days (any time on the Nth local date is bookable, domain bookingWindow), but
// the stand-in 1177 (the patient simulator's webBookableType) counted N × 24 hours from the
// moment it looked: at 09:00 a time on the last day after 09:00 was bookable at the desk and in
// the desk's own web search, yet never offered to a patient on 1177. Found by an outside probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBookableType, webRulesByCode } from '../../../src-main/demo/central/web-patient.ts';
import { PatientSimulator } from '../../../src-main/demo/central/simulator.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { localDate, localTime } from '../../../src-main/domain/time.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { api, configureCentral, openLocal, seedSmallUnit, tempDir, type SmallUnit } from './helpers.ts';
import { testCaller } from '../../helpers/temp-db.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
let engine: SyncEngine;
let now = Date.parse('2026-12-01T09:00:00+01:00');

const call = async (method: string, input: unknown) => {
  const r = await dispatch({ ctx, caller: testCaller(['scheduler', 'receptionist']), shell: 'web' }, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as never;
};
const wall = (ms: number) => `${localDate(ms)} ${localTime(ms)}`;

beforeAll(async () => {
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk', () => now);
  unit = seedSmallUnit(ctx, { slots: 0 });
  configureCentral(ctx, central.url);
  engine = new SyncEngine(ctx, api(central.url));
  await call('appointmentTypes.update', { id: unit.typeIds.lakbes, bookMinLeadH: 24, bookMaxDays: 10 });
  const doctor = unit.resourceIds[0]!;
  for (const [date, start, end] of [
    ['2026-12-02', '08:30', '09:00'], // 23.5 h ahead: too soon
    ['2026-12-02', '09:00', '09:30'], // exactly 24 h ahead
    ['2026-12-11', '08:00', '08:30'], // the tenth day, before the hour it is now
    ['2026-12-11', '14:00', '14:30'], // the tenth day, after it
    ['2026-12-11', '23:30', '24:00'], // the tenth day's last half hour
    ['2026-12-12', '00:00', '00:30'], // the eleventh day: too far
  ]) {
    await call('slots.create', {
      resourceId: doctor,
      date,
      startTime: start,
      endTime: end,
      appointmentTypeIds: [unit.typeIds.lakbes],
      webPublished: true,
    });
  }
  expect((await engine.settle()).error).toBeNull();
});

afterAll(async () => {
  ctx.db.close();
  await central.close();
});

describe('a type bookable 24 h to 10 days ahead, at 09:00 on Tuesday 1 December 2026', () => {
  it('is offered on 1177 exactly where the desk books it and its web search lists it', async () => {
    const desk: { slotId: string; startAt: number }[] = await call('slots.findFree', {
      appointmentTypeId: unit.typeIds.lakbes,
      webOnly: true,
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(desk.map((s) => wall(s.startAt))).toEqual([
      '2026-12-02 09:00',
      '2026-12-11 08:00',
      '2026-12-11 14:00',
      '2026-12-11 23:30',
    ]);
    const rules = await webRulesByCode(api(central.url));
    const onWeb: string[] = [];
    for (const id of ctx.db.prepare(`SELECT id FROM slots ORDER BY start_at`).pluck().all() as string[]) {
      const slot = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, id))!;
      if (webBookableType(slot, rules, now) === 'LAKBES') onWeb.push(wall(Date.parse(slot.start)));
    }
    expect(onWeb).toEqual(desk.map((s) => wall(s.startAt)));
  });

  it('moves the last day with the calendar, not with 24-hour steps, over the clock change', async () => {
    // Saturday 17 October 2026, 23:30 CEST: the tenth day is Tuesday 27 October (a 25-hour Sunday
    // between), all of it, so its 23:30 too; the desk agrees.
    now = Date.parse('2026-10-17T23:30:00+02:00');
    const doctor = unit.resourceIds[0]!;
    const s: { id: string; startAt: number } = await call('slots.create', {
      resourceId: doctor,
      date: '2026-10-27',
      startTime: '23:30',
      endTime: '24:00',
      appointmentTypeIds: [unit.typeIds.lakbes],
      webPublished: true,
    });
    expect((await engine.settle()).error).toBeNull();
    const desk: { slotId: string }[] = await call('slots.findFree', {
      appointmentTypeId: unit.typeIds.lakbes,
      webOnly: true,
      from: '2026-10-27',
      to: '2026-10-27',
    });
    expect(desk.map((f) => f.slotId)).toEqual([s.id]);
    const slot = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, s.id))!;
    expect(webBookableType(slot, await webRulesByCode(api(central.url)), now)).toBe('LAKBES');
  });

  it('offers no time of a type the unit has deactivated (the desk books it anew nowhere), also to a simulator already running', async () => {
    now = Date.parse('2026-12-01T09:00:00+01:00');
    const sim = new PatientSimulator(api(central.url), { seed: 7, now: () => now });
    for (let i = 0; i < 40 && sim.stats.booked === 0; i++) await sim.step();
    expect(sim.stats.booked).toBeGreaterThan(0);
    expect((await engine.settle()).error).toBeNull();
    const free = async () =>
      (await call('slots.findFree', {
        appointmentTypeId: unit.typeIds.lakbes,
        webOnly: true,
        from: '2026-12-01',
        to: '2026-12-31',
      })) as {
        slotId: string;
      }[];
    const offered = async () => {
      const rules = await webRulesByCode(api(central.url));
      const ids: string[] = [];
      for (const id of ctx.db.prepare(`SELECT id FROM slots ORDER BY start_at`).pluck().all() as string[]) {
        const slot = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, id))!;
        if (webBookableType(slot, rules, now) !== null) ids.push(id);
      }
      return ids;
    };
    expect(await offered()).toEqual((await free()).map((f) => f.slotId));
    await call('appointmentTypes.setActive', { id: unit.typeIds.lakbes, active: false });
    expect((await engine.settle()).error).toBeNull();
    expect([await free(), await offered()]).toEqual([[], []]);
    // The running simulator reads the rules as they are now: it books nothing more, and may still
    // cancel (a deactivated type's bookings are cancelled online as before) but not move them.
    const booked = sim.stats.booked;
    const rebooked = sim.stats.rebooked;
    for (let i = 0; i < 15; i++) await sim.step();
    expect([sim.stats.booked, sim.stats.rebooked, sim.stats.errors]).toEqual([booked, rebooked, 0]);
  });

  it('offers no time shorter than the type has become (lengthened after the slots were laid)', async () => {
    await call('appointmentTypes.setActive', { id: unit.typeIds.lakbes, active: true });
    await call('appointmentTypes.update', { id: unit.typeIds.lakbes, durationMin: 45 });
    expect((await engine.settle()).error).toBeNull();
    const rules = await webRulesByCode(api(central.url));
    const offered: string[] = [];
    for (const id of ctx.db.prepare(`SELECT id FROM slots ORDER BY start_at`).pluck().all() as string[]) {
      const slot = (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, id))!;
      if (webBookableType(slot, rules, now) !== null) offered.push(id);
    }
    const desk = await call('slots.findFree', {
      appointmentTypeId: unit.typeIds.lakbes,
      webOnly: true,
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect([desk, offered]).toEqual([[], []]);
  });

  it('offers no time of a clinician whose profession the type no longer names, also to a running simulator', async () => {
    await call('appointmentTypes.update', { id: unit.typeIds.lakbes, durationMin: 30 });
    expect((await engine.settle()).error).toBeNull();
    const sim = new PatientSimulator(api(central.url), { seed: 11, now: () => now });
    const before = sim.stats.booked;
    // The doctor's slots keep the type (its earlier times stay bookable by staff elsewhere); only nurses may now perform it.
    await call('appointmentTypes.update', { id: unit.typeIds.lakbes, professions: ['sjukskoterska'] });
    expect((await engine.settle()).error).toBeNull();
    const desk = await call('slots.findFree', {
      appointmentTypeId: unit.typeIds.lakbes,
      webOnly: true,
      from: '2026-12-01',
      to: '2026-12-31',
    });
    for (let i = 0; i < 10; i++) await sim.step();
    expect([desk, sim.stats.booked - before, sim.stats.errors]).toEqual([[], 0, 0]);
  });
});
