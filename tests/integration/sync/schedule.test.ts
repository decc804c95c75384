// The unit's schedule reaches central: a blocked slot becomes busy-unavailable (the web cannot
// book it), unblocking frees it again; and when a web patient booked the slot just before the
// block was pushed, the block still goes through on central's current version and the desk sees
// the web booking it must now move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webBookableType, webRulesByCode } from '../../../src-main/demo/central/web-patient.ts';
import { blockSlot, unblockSlot } from '../../../src-main/services/slots.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import {
  api,
  configureCentral,
  desk,
  localActive,
  openLocal,
  patientNumber,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
  deskCopiedFrom,
} from './helpers.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
let engine: SyncEngine;
const scheduler = { ...desk, roles: ['scheduler'] as const };

beforeAll(async () => {
  central = await startCentral({});
  ctx = openLocal(tempDir(), 'desk');
  unit = seedSmallUnit(ctx);
  configureCentral(ctx, central.url);
  engine = new SyncEngine(ctx, api(central.url));
  await engine.settle();
});

afterAll(async () => {
  ctx.db.close();
  await central.close();
});

const onCentral = async (i: number) => (await api(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[i]!))!;

describe('schedule changes', () => {
  it("reach the unit's other desks through the Slot feed (this unit's schedules only)", async () => {
    const other = deskCopiedFrom(ctx, tempDir(), 'other');
    try {
      blockSlot(ctx, scheduler, { id: unit.slotIds[2]!, reason: 'Möte' });
      await engine.settle();
      // Another unit's slot on central must not arrive here.
      await api(central.url).transaction([
        {
          resource: {
            resourceType: 'Slot',
            schedule: { reference: 'Schedule/annan-enhet' },
            status: 'free',
            start: '2026-12-01T08:00:00+01:00',
            end: '2026-12-01T08:30:00+01:00',
          },
          request: { method: 'POST', url: 'Slot' },
        },
      ]);
      const r = await new SyncEngine(other, api(central.url)).settle();
      expect(r.error).toBeNull();
      const row = other.db.prepare(`SELECT state, block_reason FROM slots WHERE id = ?`).get(unit.slotIds[2]) as {
        state: string;
        block_reason: string;
      };
      expect(row).toEqual({ state: 'blocked', block_reason: 'Möte' });
      expect(other.db.prepare(`SELECT count(*) AS n FROM slots`).get()).toEqual(
        ctx.db.prepare(`SELECT count(*) AS n FROM slots`).get(),
      );
      unblockSlot(ctx, scheduler, { id: unit.slotIds[2]! });
      await engine.settle();
    } finally {
      other.db.close();
    }
  });

  it('a blocked slot is busy-unavailable on central and closed to the web; unblocked it is free again', async () => {
    blockSlot(ctx, scheduler, { id: unit.slotIds[0]!, reason: 'Utbildning' });
    expect((await engine.settle()).error).toBeNull();
    const blocked = await onCentral(0);
    expect(blocked).toMatchObject({ status: 'busy-unavailable', comment: 'Utbildning' });
    const rules = await webRulesByCode(api(central.url));
    expect(webBookableType(blocked, rules, Date.now())).toBeNull();
    unblockSlot(ctx, scheduler, { id: unit.slotIds[0]! });
    await engine.settle();
    expect((await onCentral(0)).status).toBe('free');
    expect(pendingOutbox(ctx)).toBe(0);
  });

  it('a block pushed after a web booking of the slot still applies, and the desk sees the booking', async () => {
    await webBook(api(central.url), await onCentral(1), 'LAKBES', {
      identityNumber: patientNumber(70),
      givenName: 'Webb',
      familyName: 'Tidig',
    });
    blockSlot(ctx, scheduler, { id: unit.slotIds[1]!, reason: 'Sjuk personal' });
    expect((await engine.settle()).error).toBeNull();
    expect((await onCentral(1)).status).toBe('busy-unavailable');
    expect(localActive(ctx).get(unit.slotIds[1]!)).toMatchObject({ channel: 'web', patient: patientNumber(70) });
    expect(pendingOutbox(ctx)).toBe(0);
  });
});
