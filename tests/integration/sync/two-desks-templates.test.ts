// Two desks of one unit lay out the same templates: the second desk starts from a copy of the
// first's database, so both hold the unit's templates and each one's horizon lays out the same new
// days before it has seen the other's. Central must end with one slot per time and both desks in
// step (before template slots had ids of their own per desk, central got two slots per time and
// both desks' pull stopped for good on a second live slot at the same resource and start).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { createTemplate, expandTemplates } from '../../../src-main/services/templates.ts';
import { createSlot } from '../../../src-main/services/slots.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import {
  api,
  configureCentral,
  desk,
  openLocal,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
  deskCopiedFrom,
  weekdayTemplate,
} from './helpers.ts';

const NOW = Date.parse('2026-11-23T09:10:00+01:00');
let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const liveSlots = (ctx: ServiceContext) =>
  ctx.db
    .prepare(`SELECT id, resource_id, start_at, end_at FROM slots WHERE state <> 'removed' ORDER BY resource_id, start_at`)
    .all() as { id: string; resource_id: string; start_at: number; end_at: number }[];

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a', () => NOW);
  unit = seedSmallUnit(a, { slots: 0, patients: 2 });
  createTemplate(a, desk, {
    template: weekdayTemplate(unit.resourceIds[0]!, [unit.typeIds.lakbes]),
    horizonWeeks: 2,
  });
  configureCentral(a, central.url);
  expect((await new SyncEngine(a, api(central.url)).settle()).error).toBeNull();
  // The second desk is installed from the first's database (as two-desks.test.ts does).
  b = deskCopiedFrom(a, dir, 'b', () => NOW);
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

describe('two desks laying out the same templates', () => {
  it('make one slot per time at central, and both go on syncing', async () => {
    // Both desks' horizons reach two more weeks before either has synced them.
    const more = { from: '2026-12-07', to: '2026-12-21' };
    const madeA = expandTemplates(a, desk, more).created;
    const madeB = expandTemplates(b, desk, more).created;
    expect(madeA).toBe(80); // 10 weekdays x 8 half-hour slots
    expect(madeB).toBe(madeA);

    const engineA = new SyncEngine(a, api(central.url));
    const engineB = new SyncEngine(b, api(central.url));
    for (const engine of [engineA, engineB, engineA, engineB]) expect((await engine.settle()).error).toBeNull();
    expect(engineA.status()).toMatchObject({ mode: 'online', pending: 0, failed: 0, conflicts: 0 });
    expect(engineB.status()).toMatchObject({ mode: 'online', pending: 0, failed: 0, conflicts: 0 });

    const slots = await api(central.url).searchAll<Slot>('Slot', { _count: '1000' });
    const times = slots.filter((s) => s.status !== 'entered-in-error').map((s) => `${s.schedule.reference}@${s.start}`);
    expect(times).toHaveLength(liveSlots(a).length); // every slot of both ranges, once
    expect(times.length).toBeGreaterThan(80);
    expect(new Set(times).size).toBe(times.length);
    expect(liveSlots(b)).toEqual(liveSlots(a));
  });

  it('keep one of two slots both desks made by hand at the same time, the same one everywhere', async () => {
    const single = {
      resourceId: unit.resourceIds[0]!,
      date: '2026-12-05', // a Saturday: no template slot there
      startTime: '10:00',
      endTime: '10:30',
      appointmentTypeIds: [unit.typeIds.lakbes],
      webPublished: true,
      withinCareGuarantee: true,
    };
    const x = createSlot(a, desk, single).id;
    const y = createSlot(b, desk, single).id;
    expect(x).not.toBe(y);
    const engineA = new SyncEngine(a, api(central.url));
    const engineB = new SyncEngine(b, api(central.url));
    for (const engine of [engineA, engineB, engineA, engineB, engineA]) expect((await engine.settle()).error).toBeNull();
    const kept = x < y ? x : y;
    const at = (ctx: ServiceContext) =>
      ctx.db.prepare(`SELECT id, state FROM slots WHERE id IN (?, ?) ORDER BY id`).all(x, y) as { id: string; state: string }[];
    expect(at(a)).toEqual(at(b));
    expect(at(a).find((r) => r.id === kept)?.state).toBe('open');
    expect(at(a).filter((r) => r.state === 'removed')).toHaveLength(1);
    const central10 = (await api(central.url).searchAll<Slot>('Slot', { _count: '1000' })).filter(
      (s) => Date.parse(s.start) === Date.parse('2026-12-05T10:00:00+01:00'),
    );
    expect(central10.map((s) => s.status).sort()).toEqual(['entered-in-error', 'free']);
    expect(engineA.status()).toMatchObject({ mode: 'online', pending: 0, failed: 0 });
    expect(engineB.status()).toMatchObject({ mode: 'online', pending: 0, failed: 0 });
  });
});
