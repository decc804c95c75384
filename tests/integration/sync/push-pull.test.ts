// Push and pull against the real stand-in central over HTTP: idempotency with a lost
// response, applying a page twice, and the required conflict (desk offline vs web patient).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webRulesByCode, webBookableType, webCancel, webRebook } from '../../../src-main/demo/central/web-patient.ts';
import { bookSlot, cancelBooking } from '../../../src-main/services/bookings.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import { FhirCentralApi } from '../../../src-main/sync/central-api.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { enqueueUnsent, pushOutbox } from '../../../src-main/sync/push.ts';
import { pullChanges } from '../../../src-main/sync/pull.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import {
  api,
  centralBookings,
  centralHolding,
  localBookings,
  sorted,
  configureCentral,
  desk,
  localActive,
  openLocal,
  patientNumber,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;

beforeEach(async () => {
  central = await startCentral({ token: 'hemligt' });
  ctx = openLocal(tempDir(), 'desk');
  unit = seedSmallUnit(ctx);
  configureCentral(ctx, central.url);
  enqueueUnsent(ctx);
});

afterEach(async () => {
  ctx.db.close();
  await central.close();
});

const online = () => api(central.url, 'hemligt');

async function slotOnCentral(localSlotId: string): Promise<Slot> {
  return (await online().byIdentifier<Slot>('Slot', ID_SYSTEM, localSlotId))!;
}

function deskBook(slotId: string, patientId: string) {
  return bookSlot(ctx, desk, {
    slotId,
    patientId,
    appointmentTypeId: unit.typeIds.lakbes,
    channel: 'desk',
    note: '',
    status: deskBookingStatus(ctx),
  });
}

describe('push', () => {
  it('puts the unit, its schedule and patients on central, then the outbox is empty', async () => {
    const r = await pushOutbox(ctx, online());
    expect(r.error).toBeNull();
    expect(r.failed).toBe(0);
    expect(pendingOutbox(ctx)).toBe(0);
    const slots = await online().searchAll<Slot>('Slot', {});
    expect(slots).toHaveLength(unit.slotIds.length);
    expect(new Set(slots.map((s) => s.identifier?.find((i) => i.system === ID_SYSTEM)?.value))).toEqual(new Set(unit.slotIds));
    const again = await pushOutbox(ctx, online());
    expect(again.pushed).toBe(0);
    // Every reference resolved: no bundle placeholder left behind on central.
    for (const type of [
      'Organization',
      'Practitioner',
      'PractitionerRole',
      'Location',
      'Schedule',
      'HealthcareService',
      'Slot',
      'Patient',
    ]) {
      const all = await online().searchAll(type, {});
      expect(all.length, type).toBeGreaterThan(0);
      expect(JSON.stringify(all), type).not.toContain('urn:uuid:');
    }
  });

  it('confirms a desk booking with the central side (preliminary until then)', async () => {
    await pushOutbox(ctx, online());
    const b = deskBook(unit.slotIds[0]!, unit.patientIds[0]!);
    expect(b.status).toBe('preliminary');
    const r = await pushOutbox(ctx, online());
    expect(r.error).toBeNull();
    expect(localActive(ctx).get(unit.slotIds[0]!)?.status).toBe('booked');
    const holding = await centralHolding(online());
    expect(holding.get(unit.slotIds[0]!)).toHaveLength(1);
    expect((await slotOnCentral(unit.slotIds[0]!)).status).toBe('busy');
  });

  it('never duplicates when the answer to a committed transaction is lost', async () => {
    await pushOutbox(ctx, online());
    deskBook(unit.slotIds[1]!, unit.patientIds[1]!);
    let lost = 0;
    const lossy = new FhirCentralApi({
      baseUrl: central.url,
      token: 'hemligt',
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'POST' && lost++ === 0) throw new TypeError('socket hang up'); // committed, answer lost
        return res;
      },
    });
    const first = await pushOutbox(ctx, lossy);
    expect(first.error?.kind).toBe('network');
    expect(pendingOutbox(ctx)).toBeGreaterThan(0);
    const second = await pushOutbox(ctx, lossy);
    expect(second.error).toBeNull();
    expect(pendingOutbox(ctx)).toBe(0);
    const holding = await centralHolding(online());
    expect(holding.get(unit.slotIds[1]!)).toHaveLength(1);
    const all = await online().searchAll('Appointment', {});
    expect(all).toHaveLength(1);
    expect(localActive(ctx).get(unit.slotIds[1]!)?.status).toBe('booked');
  });

  it('marks an entity the server refuses for good as failed and pushes the others', async () => {
    await pushOutbox(ctx, online());
    // A patient whose name the server cannot accept (FHIR strings may not be only whitespace).
    ctx.db.prepare(`UPDATE patients SET given_name = ' ' WHERE id = ?`).run(unit.patientIds[2]);
    ctx.db
      .prepare(`INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES ('patient', ?, 'update', '{}', 0)`)
      .run(unit.patientIds[2]);
    deskBook(unit.slotIds[3]!, unit.patientIds[3]!);
    const r = await pushOutbox(ctx, online());
    expect(r.failed).toBe(1);
    expect(pendingOutbox(ctx)).toBe(0);
    const failed = ctx.db.prepare(`SELECT entity_id, last_error FROM outbox WHERE state = 'failed'`).all() as {
      entity_id: string;
      last_error: string;
    }[];
    expect(failed.map((f) => f.entity_id)).toEqual([unit.patientIds[2]]);
    expect(failed[0]!.last_error).toMatch(/400/);
    expect(localActive(ctx).get(unit.slotIds[3]!)?.status).toBe('booked');
  });
});

describe('pull', () => {
  it('brings web bookings, cancellations and rebookings into the local book, and a page applied twice changes nothing', async () => {
    await pushOutbox(ctx, online());
    await pullChanges(ctx, online());
    const rules = await webRulesByCode(online());
    const s0 = await slotOnCentral(unit.slotIds[0]!);
    expect(webBookableType(s0, rules, Date.now())).toBe('LAKBES');
    const events: string[][] = [];
    ctx.events.subscribe((e) => events.push(e.ids));

    const a = await webBook(online(), s0, 'LAKBES', {
      identityNumber: patientNumber(40),
      givenName: 'Webb',
      familyName: 'Patient',
    });
    let r = await pullChanges(ctx, online());
    expect(r.applied).toBeGreaterThan(0);
    let booked = localActive(ctx).get(unit.slotIds[0]!);
    expect(booked).toMatchObject({ patient: patientNumber(40), status: 'booked', channel: 'web' });
    expect(events.flat()).toContain(booked!.id);

    // The same page again (cursor back): nothing changes.
    const versions = () => ctx.db.prepare(`SELECT sum(version) AS v, count(*) AS n FROM bookings`).get();
    const before = versions();
    ctx.db.prepare(`DELETE FROM sync_state`).run();
    r = await pullChanges(ctx, online());
    expect(r.applied).toBe(0);
    expect(versions()).toEqual(before);

    // Rebook on the web to slot 2, then cancel that.
    const s0now = await slotOnCentral(unit.slotIds[0]!);
    const s2 = await slotOnCentral(unit.slotIds[2]!);
    const fresh = (await online().read<typeof a>('Appointment', a.id!))!;
    const moved = await webRebook(online(), fresh, s0now, s2, 'LAKBES');
    await pullChanges(ctx, online());
    expect(localActive(ctx).has(unit.slotIds[0]!)).toBe(false);
    booked = localActive(ctx).get(unit.slotIds[2]!);
    expect(booked?.patient).toBe(patientNumber(40));
    const old = ctx.db.prepare(`SELECT status, rebooked_to FROM bookings WHERE remote_id = ?`).get(a.id) as {
      status: string;
      rebooked_to: string;
    };
    expect(old).toEqual({ status: 'rebooked', rebooked_to: booked!.id });

    await webCancel(online(), (await online().read<typeof a>('Appointment', moved.id!))!, await slotOnCentral(unit.slotIds[2]!));
    await pullChanges(ctx, online());
    expect(localActive(ctx).size).toBe(0);
  });
});

describe('conflict: desk offline vs web patient', () => {
  it('keeps exactly one booking of the slot on central and puts the other patient in the inbox', async () => {
    await pushOutbox(ctx, online());
    await pullChanges(ctx, online());
    const S = unit.slotIds[4]!;
    // Offline: the desk books S (preliminary; the push cannot reach central).
    const offline = api('http://127.0.0.1:9/fhir/R4', 'hemligt', 500);
    const b = deskBook(S, unit.patientIds[0]!);
    expect(b.status).toBe('preliminary');
    const failed = await pushOutbox(ctx, offline);
    expect(failed.error?.transient).toBe(true);
    expect(localActive(ctx).get(S)?.status).toBe('preliminary');

    // Meanwhile a web patient books S on central.
    await webBook(online(), await slotOnCentral(S), 'LAKBES', {
      identityNumber: patientNumber(41),
      givenName: 'Webb',
      familyName: 'Snabb',
    });

    // Reconnect.
    const pushed = await pushOutbox(ctx, online());
    expect(pushed.conflicts).toBe(1);
    await pullChanges(ctx, online());

    const holding = await centralHolding(online());
    expect(holding.get(S)).toHaveLength(1);
    expect(localActive(ctx).get(S)).toMatchObject({ patient: patientNumber(41), channel: 'web', status: 'booked' });
    const conflicts = ctx.db
      .prepare(`SELECT kind, entity_id, detail, suggested FROM conflicts WHERE resolved_at IS NULL`)
      .all() as {
      kind: string;
      entity_id: string;
      detail: string;
      suggested: string;
    }[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.kind).toBe('slot_taken');
    expect(conflicts[0]!.entity_id).toBe(b.id);
    expect(JSON.parse(conflicts[0]!.detail).patientId).toBe(unit.patientIds[0]);
    expect((JSON.parse(conflicts[0]!.suggested) as unknown[]).length).toBeGreaterThan(0);
    expect(pendingOutbox(ctx)).toBe(0);
    // Row by row the desk and central agree; the desk's attempt is on central as cancelled.
    const onCentral = await centralBookings(online());
    expect(onCentral.get(b.id)).toMatchObject({ slot: S, status: 'cancelled' });
    expect(sorted(localBookings(ctx))).toEqual(sorted(onCentral));
  });

  it('also when the web booking is pulled before the desk booking is pushed', async () => {
    await pushOutbox(ctx, online());
    const S = unit.slotIds[5]!;
    const b = deskBook(S, unit.patientIds[1]!);
    await webBook(online(), await slotOnCentral(S), 'LAKBES', {
      identityNumber: patientNumber(42),
      givenName: 'Webb',
      familyName: 'Först',
    });
    const pulled = await pullChanges(ctx, online());
    expect(pulled.conflicts).toBe(1);
    await pushOutbox(ctx, online());
    expect((await centralHolding(online())).get(S)).toHaveLength(1);
    expect(localActive(ctx).get(S)?.patient).toBe(patientNumber(42));
    const row = ctx.db.prepare(`SELECT status FROM bookings WHERE id = ?`).get(b.id) as { status: string };
    expect(row.status).toBe('cancelled');
    expect(ctx.db.prepare(`SELECT count(*) AS n FROM conflicts WHERE entity_id = ?`).get(b.id)).toEqual({ n: 1 });
  });

  it('a desk cancellation reaches central and frees the slot for the web', async () => {
    await pushOutbox(ctx, online());
    const b = deskBook(unit.slotIds[0]!, unit.patientIds[0]!);
    await pushOutbox(ctx, online());
    cancelBooking(ctx, desk, { id: b.id, channel: 'desk', reasonText: 'Sjuk' });
    const r = await pushOutbox(ctx, online());
    expect(r.error).toBeNull();
    expect((await slotOnCentral(unit.slotIds[0]!)).status).toBe('free');
    expect((await centralHolding(online())).size).toBe(0);
  });
});
