// Återbudslistan: a time held for one patient (waitlist.offered_slot_id) ends by itself once it can
// no longer be given to her, through the api on a real SQLite file (demo unit, Monday 2026-11-23
// 09:10), and through sync's pull from the real stand-in central over HTTP. Ended in the same
// transaction as the write that closed it: someone else booked into it (book, rebook), the slot
// blocked, removed, taken by an absence or no longer offering her type. She waits again in her
// place with her priority, and the time is free to offer the next patient once it is free again.
// A time that has started is listed as passed, the entry as waiting, and nothing is written.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import type { AppointmentType, Resource } from '../../../src-main/api/types.ts';
import type { FreeSlot } from '../../../src-main/api/methods/scheduling.ts';
import type { WaitlistEntry } from '../../../src-main/api/methods/waitlist.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook } from '../../../src-main/demo/central/web-patient.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { demoApi, type Api } from './helpers.ts';
import { api as centralApi, configureCentral, openLocal, patientNumber, seedSmallUnit, tempDir } from '../sync/helpers.ts';

let api: Api;
let lakbes: AppointmentType;
let erik: Resource;

async function patient(givenName: string, day: string) {
  return api.ok('patients.create', {
    identityNumber: makeIdentityNumber(day, 246),
    givenName,
    familyName: 'Hållsson',
    phone: '0701234567',
  });
}

/** The n:th free Läkarbesök with Erik from Wednesday on (each test takes its own). */
async function freeLakbes(n: number): Promise<FreeSlot> {
  const free = await api.ok('slots.findFree', {
    appointmentTypeId: lakbes.id,
    resourceId: erik.id,
    from: '2026-11-25',
    limit: 12,
  });
  if (!free[n]) throw new Error(`only ${free.length} free LAKBES slots with Erik`);
  return free[n];
}

const entryRow = (id: string) =>
  api.ctx.db
    .prepare(`SELECT state, offered_slot_id AS slot, priority, created_at AS createdAt FROM waitlist WHERE id = ?`)
    .get(id) as {
    state: string;
    slot: string | null;
    priority: number;
    createdAt: number;
  };
const lastAudit = (id: string) =>
  JSON.parse(
    api.ctx.db
      .prepare(`SELECT detail FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get(id) as string,
  ) as Record<string, unknown>;

/** Two patients on the list for Läkarbesök (Agnes brådskande), the time held for Agnes. */
async function heldFor(n: number) {
  const [a, b] = [await patient('Agnes', `1950-0${1 + (n % 9)}-03`), await patient('Bodil', `1961-0${1 + (n % 9)}-05`)];
  const agnes = await api.ok('waitlist.add', { patientId: a.id, appointmentTypeId: lakbes.id, priority: 2 });
  const bodil = await api.ok('waitlist.add', { patientId: b.id, appointmentTypeId: lakbes.id });
  const slot = await freeLakbes(n);
  await api.ok('waitlist.markOffered', { id: agnes.id, slotId: slot.slotId });
  return { a, b, agnes, bodil, slot };
}

/** Back to waiting with her place and priority, the hold gone, and the audit saying why. */
function expectReleased(entry: WaitlistEntry, slotId: string, reason: string, by = 'test') {
  expect(entryRow(entry.id)).toEqual({ state: 'waiting', slot: null, priority: entry.priority, createdAt: entry.createdAt });
  expect(lastAudit(entry.id)).toEqual({ op: 'offer_ended', reason, from: 'offered', released: slotId });
  const who = api.ctx.db.prepare(`SELECT updated_by FROM waitlist WHERE id = ?`).pluck().get(entry.id);
  expect(who).toBe(by);
}

beforeEach(async () => {
  api = demoApi();
  lakbes = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKBES')!;
  erik = (await api.ok('resources.list', {})).find((r) => r.name === 'Erik Johansson')!;
});

describe('a held time ends when its slot can no longer be given to her', () => {
  it('booked for someone else at the desk: she waits again in her place; freed again, the time can be offered to the next', async () => {
    const { b, agnes, bodil, slot } = await heldFor(0);
    const order = (await api.ok('waitlist.list', {})).map((e) => e.id);
    const other = await patient('Cilla', '1975-04-04');
    const booking = await api.ok('bookings.book', { slotId: slot.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    expectReleased(agnes, slot.slotId, 'taken');
    expect((await api.ok('waitlist.list', {})).map((e) => e.id)).toEqual(order);
    expect(api.events.some((e) => e.entities.includes('waitlist') && e.ids.includes(agnes.id))).toBe(true);

    // Cancelled again: no stale hold keeps the freed time from Bodil.
    await api.ok('bookings.cancel', { id: booking.id, reasonCode: 'SJUK', override: { reason: 'test' } });
    const offered = await api.ok('waitlist.markOffered', { id: bodil.id, slotId: slot.slotId });
    expect(offered).toMatchObject({ state: 'offered', offeredSlot: { id: slot.slotId, taken: false, passed: false } });
    // She says yes: booking her from the list into her own held time is no reason to end it; it closes her entry.
    await api.ok('bookings.book', {
      slotId: slot.slotId,
      patientId: b.id,
      appointmentTypeId: lakbes.id,
      waitlistEntryId: bodil.id,
    });
    expect(entryRow(bodil.id)).toMatchObject({ state: 'booked', slot: null });
    expect(lastAudit(bodil.id)).toMatchObject({ op: 'booked', from: 'offered' });
  });

  it('someone else’s booking moved into it (bookings.rebook) ends the hold too', async () => {
    const { agnes, slot } = await heldFor(1);
    const other = await patient('Dora', '1972-08-09');
    const later = await freeLakbes(9);
    const booked = await api.ok('bookings.book', { slotId: later.slotId, patientId: other.id, appointmentTypeId: lakbes.id });
    await api.ok('bookings.rebook', { id: booked.id, slotId: slot.slotId, override: { reason: 'test' } });
    expectReleased(agnes, slot.slotId, 'taken');
  });

  it('booked for her outside the list (Boka tid, or her booking moved into it): her wait is over, the entry closes as booked', async () => {
    const { a, b, agnes, bodil, slot } = await heldFor(4);
    const booking = await api.ok('bookings.book', { slotId: slot.slotId, patientId: a.id, appointmentTypeId: lakbes.id });
    expect(entryRow(agnes.id)).toMatchObject({ state: 'booked', slot: null });
    expect(lastAudit(agnes.id)).toEqual({ op: 'booked', bookingId: booking.id, from: 'offered', outsideList: true });
    const listed = (await api.ok('waitlist.list', {})).map((e) => e.id);
    expect([agnes.id, bodil.id].filter((id) => listed.includes(id))).toEqual([bodil.id]);

    // Bodil holds a time and already has a later one: moving that booking into the held time ends her wait too.
    const held = await freeLakbes(5);
    await api.ok('waitlist.markOffered', { id: bodil.id, slotId: held.slotId });
    const later = await freeLakbes(9);
    const own = await api.ok('bookings.book', { slotId: later.slotId, patientId: b.id, appointmentTypeId: lakbes.id });
    expect(entryRow(bodil.id)).toMatchObject({ state: 'offered', slot: held.slotId });
    const moved = await api.ok('bookings.rebook', { id: own.id, slotId: held.slotId, override: { reason: 'test' } });
    expect(entryRow(bodil.id)).toMatchObject({ state: 'booked', slot: null });
    expect(lastAudit(bodil.id)).toEqual({ op: 'booked', bookingId: moved.new.id, from: 'offered', outsideList: true });
  });

  it('blocked, removed, taken by an absence, or no longer offering her type: closed to her, she waits again', async () => {
    const blocked = await heldFor(3);
    await api.ok('slots.block', { id: blocked.slot.slotId, reason: 'Möte' });
    expectReleased(blocked.agnes, blocked.slot.slotId, 'closed');

    api = demoApi();
    const removed = await heldFor(4);
    await api.ok('slots.remove', { id: removed.slot.slotId });
    expectReleased(removed.agnes, removed.slot.slotId, 'closed');

    api = demoApi();
    const away = await heldFor(5);
    const day = new Date(away.slot.startAt + 3_600_000).toISOString().slice(0, 10);
    await api.ok('absences.create', { resourceId: erik.id, from: day, to: day, reason: 'Sjuk' });
    expectReleased(away.agnes, away.slot.slotId, 'closed');

    api = demoApi();
    const retyped = await heldFor(6);
    const lakvid = (await api.ok('appointmentTypes.list', {})).find((t) => t.code === 'LAKVID')!;
    await api.ok('slots.update', { id: retyped.slot.slotId, appointmentTypeIds: [lakvid.id] });
    expectReleased(retyped.agnes, retyped.slot.slotId, 'type_removed');
  });

  it('a time that has started is listed as passed, the entry as waiting; it holds nothing and nothing is written', async () => {
    const { agnes, bodil, slot } = await heldFor(0);
    const version = api.ctx.db.prepare(`SELECT version FROM waitlist WHERE id = ?`).pluck().get(agnes.id);
    api.ctx.now = () => slot.startAt;
    const listed = (await api.ok('waitlist.list', {})).find((e) => e.id === agnes.id)!;
    expect(listed).toMatchObject({
      state: 'waiting',
      priority: 2,
      createdAt: agnes.createdAt,
      offeredSlot: { id: slot.slotId, startAt: slot.startAt, passed: true },
    });
    // The filters and the count say the same: waiting, not offered.
    expect((await api.ok('waitlist.list', { states: ['waiting'] })).map((e) => e.id)).toContain(agnes.id);
    expect((await api.ok('waitlist.list', { states: ['offered'] })).map((e) => e.id)).not.toContain(agnes.id);
    expect(await api.ok('waitlist.count', { states: ['offered'] })).toEqual({ count: 0 });
    expect(api.ctx.db.prepare(`SELECT version FROM waitlist WHERE id = ?`).pluck().get(agnes.id)).toBe(version);
    // A started time is offered to nobody; she can be offered a later one at once.
    expect(await api.err('waitlist.markOffered', { id: bodil.id, slotId: slot.slotId })).toMatchObject({
      code: 'conflict',
      details: { rule: 'past' },
    });
    const next = await freeLakbes(3);
    const again = await api.ok('waitlist.markOffered', { id: agnes.id, slotId: next.slotId });
    expect(again).toMatchObject({ state: 'offered', offeredSlot: { id: next.slotId, passed: false } });
  });
});

describe('Erbjud tid on the list: the free times that fit the entry’s wish', () => {
  it('the free-slot search with her type, clinician and period, less the times held for others and not earlier than her own', async () => {
    const [a, b] = [await patient('Ebba', '1940-01-02'), await patient('Frida', '1945-03-04')];
    const ebba = await api.ok('waitlist.add', {
      patientId: a.id,
      appointmentTypeId: lakbes.id,
      resourceId: erik.id,
      earliest: '2026-11-25',
      latest: '2026-12-04',
    });
    const frida = await api.ok('waitlist.add', { patientId: b.id, appointmentTypeId: lakbes.id });
    const search = await api.ok('slots.findFree', {
      appointmentTypeId: lakbes.id,
      resourceId: erik.id,
      from: '2026-11-25',
      to: '2026-12-04',
      limit: 9,
    });
    expect(await api.ok('waitlist.offerableSlots', { id: ebba.id, limit: 8 })).toEqual(search.slice(0, 8));
    // One of them held for Frida: left out, the next one fills the page.
    await api.ok('waitlist.markOffered', { id: frida.id, slotId: search[1]!.slotId });
    expect(await api.ok('waitlist.offerableSlots', { id: ebba.id, limit: 8 })).toEqual([search[0], ...search.slice(2, 9)]);
    // Ebba already holds the fourth time: only earlier ones are worth a call.
    await api.ok('bookings.book', { slotId: search[3]!.slotId, patientId: a.id, appointmentTypeId: lakbes.id });
    expect(await api.ok('waitlist.offerableSlots', { id: ebba.id })).toEqual([search[0], search[2]]);
    // Chosen on the page: the same hold as from the booking dialog.
    const held = await api.ok('waitlist.markOffered', { id: ebba.id, slotId: search[2]!.slotId });
    expect(held.offeredSlot).toEqual({ id: search[2]!.slotId, startAt: search[2]!.startAt, taken: false, passed: false });
    expect(await api.ok('waitlist.offerableSlots', { id: frida.id, limit: 3 })).not.toContainEqual(search[2]);
  });
});

describe('a patient’s web booking pulled from central into the held time', () => {
  let central: Central | undefined;
  afterAll(async () => {
    vi.useRealTimers();
    await central?.close();
  });

  it('ends the hold in the pull’s transaction; the entry waits again, logged as sync', async () => {
    const now = Date.parse('2026-10-19T09:00:00+02:00');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    central = await startCentral({});
    const ctx = openLocal(tempDir(), 'desk', () => now);
    const unit = seedSmallUnit(ctx, { slots: 4, patients: 2 });
    configureCentral(ctx, central.url);
    const call = async <M extends MethodName>(method: M, input: InputOf<M>): Promise<ResultOf<M>> => {
      const r = await dispatch({ ctx, caller: testCaller(), shell: 'web' }, method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as ResultOf<M>;
    };
    const sync = async () => expect((await new SyncEngine(ctx, centralApi(central!.url)).settle()).error).toBeNull();
    await sync();
    const entry = await call('waitlist.add', {
      patientId: unit.patientIds[0]!,
      appointmentTypeId: unit.typeIds.lakbes,
      priority: 1,
    });
    const slotId = unit.slotIds[1]!;
    await call('waitlist.markOffered', { id: entry.id, slotId });

    const onCentral = (await centralApi(central.url).byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
    await webBook(centralApi(central.url), onCentral, 'LAKBES', {
      identityNumber: patientNumber(30),
      givenName: 'Webb',
      familyName: 'Patientsson',
    });
    await sync();
    const booked = ctx.db.prepare(`SELECT channel FROM bookings WHERE slot_id = ? AND status = 'booked'`).pluck().get(slotId);
    expect(booked).toBe('web');
    const row = ctx.db
      .prepare(`SELECT state, offered_slot_id AS slot, priority, updated_by AS by FROM waitlist WHERE id = ?`)
      .get(entry.id);
    expect(row).toEqual({ state: 'waiting', slot: null, priority: 1, by: 'sync' });
    const audit = ctx.db
      .prepare(`SELECT user_id, detail FROM audit_events WHERE entity = 'waitlist' AND entity_id = ? ORDER BY seq DESC LIMIT 1`)
      .get(entry.id) as { detail: string };
    expect(JSON.parse(audit.detail)).toEqual({ op: 'offer_ended', reason: 'taken', from: 'offered', released: slotId });
    // The next patient can be offered another time of the day at once.
    const other = await call('waitlist.add', { patientId: unit.patientIds[1]!, appointmentTypeId: unit.typeIds.lakbes });
    await call('waitlist.markOffered', { id: other.id, slotId: unit.slotIds[2]! });
  });
});
