// Second round, concurrency: the desk (typed API) racing the web channel (1177 patients on the
// stand-in central, as FHIR) and a pull in flight. Expected answers come from DESIGN's sync
// contract (central decides for bookings patients make; a lost desk claim never disappears
// silently: Konflikter with suggested free slots) and the booking rules, not from Tidbok.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import Database from 'better-sqlite3';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { Booking } from '../../../src-main/api/types.ts';
import type { Patient } from '../../../src-main/api/methods/scheduling.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook, type WebPatient } from '../../../src-main/demo/central/web-patient.ts';
import type { Caller, ServiceContext } from '../../../src-main/services/context.ts';
import { FhirCentralApi } from '../../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { pushOutbox } from '../../../src-main/sync/push.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { apiResultAs, startShell, type RunningShell } from '../../helpers/web-shell.ts';
import { demoApi } from '../scheduling/helpers.ts';
import { runTidbok } from '../../helpers/cli-process.ts';
import {
  api,
  centralBookings,
  centralHolding,
  configureCentral,
  deskCopiedFrom,
  localBookings,
  openLocal,
  patientNumber,
  seedSmallUnit,
  sorted,
  tempDir,
  type SmallUnit,
} from '../sync/helpers.ts';
import { refusalOf, valueOf } from '../../helpers/results.ts';

const ACTIVE = `('preliminary','booked','arrived','completed','no_show')`;
let central: Central;
let ctx: ServiceContext;
let dir: string;
let unit: SmallUnit;
const now = Date.parse('2026-11-23T09:00:00+01:00'); // Monday
const anna: Caller = {
  userId: null,
  username: 'anna.r',
  displayName: 'Anna Reception',
  roles: ['receptionist'],
  workstation: 'kassa-1',
};
const per: Caller = { userId: null, username: 'per.s', displayName: 'Per Schema', roles: ['scheduler'], workstation: 'schema-1' };

async function call<M extends MethodName>(method: M, input: InputOf<M>, caller: Caller = anna) {
  return dispatch({ ctx, caller, shell: 'web' }, method, input);
}
async function ok<M extends MethodName>(method: M, input: InputOf<M>, caller: Caller = anna): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await call(method, input, caller));
}
async function refused<M extends MethodName>(method: M, input: InputOf<M>): Promise<ApiError> {
  return refusalOf(method, await call(method, input));
}
const web = () => api(central.url);
const engine = () => new SyncEngine(ctx, api(central.url));
/**
 * A sync round whose pull has read central's booking feed and waits, holding that page, until
 * `apply()`: what the desk does meanwhile happens after the page was read and before it is applied.
 */
async function pullHeldAfterReading(): Promise<{ apply: () => Promise<Awaited<ReturnType<SyncEngine['settle']>>> }> {
  let read!: () => void;
  let go!: () => void;
  const pageRead = new Promise<void>((r) => (read = r));
  const gate = new Promise<void>((r) => (go = r));
  let held = false;
  const central_ = new FhirCentralApi({
    baseUrl: central.url,
    token: null,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const url = String(input);
      if (!held && (init?.method ?? 'GET') === 'GET' && url.includes('/Appointment?') && url.includes('_lastUpdated')) {
        held = true;
        read();
        await gate;
      }
      return res;
    },
  });
  const done = new SyncEngine(ctx, central_).settle();
  await pageRead;
  return {
    apply: () => {
      go();
      return done;
    },
  };
}
async function sync() {
  const r = await engine().settle();
  expect(r.error).toBeNull();
}
const onCentral = async (slotId: string) => (await web().byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
const appt = async (id: string) => (await web().read<Appointment>('Appointment', id))!;
const person = (i: number): WebPatient => ({
  identityNumber: patientNumber(i),
  givenName: `Webb${i}`,
  familyName: 'Patientsson',
});
const deskPatient = (i: number) => unit.patientIds[i]!;
const lakbes = () => unit.typeIds.lakbes;

const DAYS = ['2026-12-02', '2026-12-04', '2026-12-07', '2026-12-08'];
const used = new Map<string, number>();
/** A fresh published 30-minute LAKBES slot for Anna Lindqvist, 08:00 onwards (each test its own times). */
async function freshSlot(on?: string): Promise<string> {
  const date = on ?? DAYS.find((d) => (used.get(d) ?? 0) < 24)!;
  const n = used.get(date) ?? 0;
  used.set(date, n + 1);
  const start = 8 * 60 + 30 * n;
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const s = await ok(
    'slots.create',
    {
      resourceId: unit.resourceIds[0]!,
      date,
      startTime: hhmm(start),
      endTime: hhmm(start + 30),
      appointmentTypeIds: [lakbes()],
      webPublished: true,
      withinCareGuarantee: true,
    },
    per,
  );
  return s.id;
}

const row = (id: string) =>
  ctx.db
    .prepare(`SELECT status, channel, patient_id, rebooked_from, rebooked_to, reason_code FROM bookings WHERE id = ?`)
    .get(id) as {
    status: string;
    channel: string;
    patient_id: string;
    rebooked_from: string | null;
    rebooked_to: string | null;
    reason_code: string | null;
  };
const activeOn = (slotId: string) =>
  ctx.db
    .prepare(`SELECT id, patient_id, channel, status FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`)
    .all(slotId) as {
    id: string;
    patient_id: string;
    channel: string;
    status: string;
  }[];
const openConflicts = () => ok('conflicts.list', {});

/** The invariants after every race: one active booking per slot and per resource time, central and desk equal. */
async function invariants(): Promise<void> {
  expect(
    ctx.db.prepare(`SELECT slot_id FROM bookings WHERE status IN ${ACTIVE} GROUP BY slot_id HAVING count(*) > 1`).all(),
  ).toEqual([]);
  expect(
    ctx.db
      .prepare(
        `SELECT a.id FROM bookings a JOIN slots sa ON sa.id = a.slot_id, bookings b JOIN slots sb ON sb.id = b.slot_id
          WHERE a.id < b.id AND a.status IN ${ACTIVE} AND b.status IN ${ACTIVE} AND sa.resource_id = sb.resource_id
            AND sa.start_at < sb.end_at AND sb.start_at < sa.end_at`,
      )
      .all(),
  ).toEqual([]);
  expect(sorted(localBookings(ctx))).toEqual(sorted(await centralBookings(web())));
  for (const [, held] of await centralHolding(web())) expect(held).toHaveLength(1);
  expect(ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state <> 'done'`).get()).toEqual({ n: 0 });
  // A booking made at this desk: one version and one audit event per change (its own, or sync's decision on
  // it; an event about both halves of a move names the other half in its detail).
  expect(
    ctx.db
      .prepare(
        `SELECT b.id, b.version, (SELECT count(*) FROM audit_events e WHERE e.action = 'change'
            AND b.id IN (e.entity_id, json_extract(e.detail, '$.from'), json_extract(e.detail, '$.restoredBookingId'),
              json_extract(e.detail, '$.oldBookingId'))) AS audits
           FROM bookings b WHERE b.created_by = ?`,
      )
      .all(anna.username)
      .filter((r) => (r as { version: number; audits: number }).version !== (r as { audits: number }).audits),
  ).toEqual([]);
  // No local booking is preliminary once everything is settled: central confirmed or refused each claim.
  expect(ctx.db.prepare(`SELECT count(*) AS n FROM bookings WHERE status = 'preliminary'`).get()).toEqual({ n: 0 });
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  central = await startCentral({});
  dir = tempDir();
  ctx = openLocal(dir, 'desk', () => now);
  unit = seedSmallUnit(ctx, { slots: 0, patients: 8 });
  configureCentral(ctx, central.url);
  await sync();
});

afterAll(async () => {
  vi.useRealTimers();
  ctx.db.close();
  await central.close();
});

describe('a pull in flight while the desk writes', () => {
  it('the desk books a time the web took, while the pull bringing that web booking is on its way: the web booking stands, the desk patient is in Konflikter', async () => {
    const X = await freshSlot();
    await freshSlot(); // a free time to suggest
    await sync();
    const w = await webBook(web(), await onCentral(X), 'LAKBES', person(40));
    const pulling = await pullHeldAfterReading();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(0),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    expect(desk.status).toBe('preliminary');
    expect((await pulling.apply()).error).toBeNull();
    await sync();
    const [holder] = activeOn(X);
    expect(holder).toMatchObject({ channel: 'web', status: 'booked' });
    expect(row(desk.id).status).toBe('cancelled');
    const c = (await openConflicts()).find((x) => x.bookingId === desk.id)!;
    expect(c).toMatchObject({ kind: 'slot_taken', patient: { id: deskPatient(0) } });
    expect(c.suggested.length).toBeGreaterThan(0);
    for (const s of c.suggested) expect(activeOn(s.slotId)).toEqual([]);
    expect(c.suggested.map((s) => s.slotId)).not.toContain(X);
    expect((await appt(w.id!)).status).toBe('booked');
    await invariants();
  });

  it('tidbok books from the command line a time the web took, while the pull bringing it is on its way: told it is preliminary, then in Konflikter', async () => {
    const X = await freshSlot();
    await freshSlot(); // a free time to suggest
    await sync();
    await webBook(web(), await onCentral(X), 'LAKBES', person(57));
    const pulling = await pullHeldAfterReading();
    const cli = await runTidbok(
      [
        'bookings',
        'book',
        '--slot',
        X,
        '--patient',
        patientNumber(7),
        '--type',
        'LAKBES',
        '--channel',
        'phone',
        '--db',
        ctx.db.name,
        '--json',
      ],
      new Date(now).toISOString(),
    );
    expect(cli.code).toBe(0);
    const made = JSON.parse(cli.out) as { id: string; status: string };
    expect(made.status).toBe('preliminary');
    expect((await pulling.apply()).error).toBeNull();
    await sync();
    expect(activeOn(X)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(made.id).status).toBe('cancelled');
    expect((await openConflicts()).find((c) => c.bookingId === made.id)).toMatchObject({ kind: 'slot_taken' });
    await invariants();
  });

  it("the desk moves a booking while the pull with the patient's own web move of it is on its way: her move stands, the desk's is undone", async () => {
    const [A, B, C] = [await freshSlot(), await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(58));
    await sync();
    const booked = activeOn(A)[0]!.id;
    const patient = row(booked).patient_id;
    await webRebook(web(), await appt(w.id!), await onCentral(A), await onCentral(B), 'LAKBES');
    const pulling = await pullHeldAfterReading();
    const moved = await ok('bookings.rebook', { id: booked, slotId: C, channel: 'phone' });
    expect((await pulling.apply()).error).toBeNull();
    await sync();
    expect(activeOn(B)).toMatchObject([{ channel: 'web', patient_id: patient, status: 'booked' }]);
    expect(activeOn(C)).toEqual([]);
    expect(row(moved.new.id).status).toBe('cancelled');
    expect(
      ctx.db.prepare(`SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ${ACTIVE}`).get(patient),
    ).toEqual({
      n: 1,
    });
    expect((await openConflicts()).find((x) => x.bookingId === booked)).toMatchObject({ kind: 'stale_version' });
    await invariants();
  });

  it('the desk moves a web booking while the pull with its web cancellation is on its way: the cancellation stands, the move is not made', async () => {
    const [A, B] = [await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(41));
    await sync();
    const booked = activeOn(A)[0]!.id;
    await webCancel(web(), await appt(w.id!), await onCentral(A));
    const pulling = await pullHeldAfterReading();
    const moved = await ok('bookings.rebook', { id: booked, slotId: B, channel: 'phone' });
    expect((await pulling.apply()).error).toBeNull();
    await sync();
    expect(row(booked).status).toBe('cancelled');
    expect(row(moved.new.id).status).toBe('cancelled');
    expect(activeOn(A)).toEqual([]);
    expect(activeOn(B)).toEqual([]);
    expect((await onCentral(B)).status).toBe('free');
    expect((await openConflicts()).find((x) => x.bookingId === booked)).toMatchObject({ kind: 'stale_version' });
    await invariants();
  });
});

describe('a pull meeting a scheduler, a locked book, a cancellation made twice', () => {
  it('a scheduler registers an absence over a time the web booked, while the pull bringing it is on its way: the booking stands and is on the absence list', async () => {
    const X = await freshSlot('2026-12-03');
    await sync();
    await webBook(web(), await onCentral(X), 'LAKBES', person(48));
    const pulling = await pullHeldAfterReading();
    const absence = await ok(
      'absences.create',
      {
        resourceId: unit.resourceIds[0]!,
        from: '2026-12-03',
        fromTime: '07:00',
        to: '2026-12-03',
        toTime: '12:00',
        reason: 'Kurs',
      },
      per,
    );
    expect(absence.affectedBookings).toEqual([]);
    expect((await pulling.apply()).error).toBeNull();
    await sync();
    expect(activeOn(X)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    const affected = await ok('absences.affectedBookings', { id: absence.absence.id });
    expect(affected.map((b) => [b.slotId, b.channel])).toEqual([[X, 'web']]);
    expect((await onCentral(X)).status).toBe('busy-unavailable');
    await invariants();
  });

  it('a pull that finds the book locked by another process past the wait: busy, nothing applied or lost, the next round brings it', async () => {
    const [X, Y] = [await freshSlot(), await freshSlot()];
    await sync();
    await webBook(web(), await onCentral(Y), 'LAKBES', person(49));
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(5),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    const holder = new Database(ctx.db.name); // another desk's process, writing
    holder.exec('BEGIN IMMEDIATE');
    ctx.db.pragma('busy_timeout = 100');
    try {
      const r = await engine().settle();
      expect(r.failure).toBe('busy');
      expect(activeOn(Y)).toEqual([]);
    } finally {
      ctx.db.pragma('busy_timeout = 5000');
      holder.exec('ROLLBACK');
      holder.close();
    }
    await sync();
    expect(activeOn(Y)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(desk.id).status).toBe('booked');
    expect((await onCentral(X)).status).toBe('busy');
    await invariants();
  });

  it("central confirms the desk's claim while another process holds the book: busy, then confirmed once, nothing doubled", async () => {
    const X = await freshSlot();
    await sync();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(6),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    const holder = new Database(ctx.db.name);
    const lockingAnswer = new FhirCentralApi({
      baseUrl: central.url,
      token: null,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        // The claim is committed on central; its answer arrives while another process writes here.
        if (init?.method === 'POST' && !holder.inTransaction) holder.exec('BEGIN IMMEDIATE');
        return res;
      },
    });
    ctx.db.pragma('busy_timeout = 100');
    try {
      const r = await new SyncEngine(ctx, lockingAnswer).settle();
      expect(r.failure).toBe('busy');
      expect(row(desk.id).status).toBe('preliminary');
    } finally {
      ctx.db.pragma('busy_timeout = 5000');
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await onCentral(X)).status).toBe('busy');
    const before = (await openConflicts()).length;
    await sync();
    expect(activeOn(X)).toMatchObject([{ id: desk.id, status: 'booked' }]);
    expect((await openConflicts()).length).toBe(before);
    await invariants();
  });

  it('the desk and the web patient both cancel the same booking: cancelled once, no conflict, the time free on both sides', async () => {
    const X = await freshSlot();
    await sync();
    const w = await webBook(web(), await onCentral(X), 'LAKBES', person(50));
    await sync();
    const booked = activeOn(X)[0]!.id;
    const before = (await openConflicts()).length;
    await ok('bookings.cancel', { id: booked, channel: 'phone', reasonText: 'Ringde in' });
    await webCancel(web(), await appt(w.id!), await onCentral(X));
    await sync();
    expect(row(booked).status).toBe('cancelled');
    expect((await onCentral(X)).status).toBe('free');
    expect((await openConflicts()).length).toBe(before);
    await invariants();
  });
});

describe('two shells on one database file, each running its sync engine', () => {
  it('both send and pull the same changes at once: nothing doubled on central, no conflict, nothing failed', async () => {
    const [X, Y, Z, W, V] = [await freshSlot(), await freshSlot(), await freshSlot(), await freshSlot(), await freshSlot()];
    await sync();
    const second = openLocal(dir, 'desk', () => now); // the second shell's connection to the same file
    try {
      const a = await ok('bookings.book', {
        slotId: X,
        patientId: deskPatient(0),
        appointmentTypeId: lakbes(),
        channel: 'phone',
      });
      const b = await ok('bookings.book', { slotId: Y, patientId: deskPatient(1), appointmentTypeId: lakbes(), channel: 'desk' });
      const moved = await ok('bookings.rebook', { id: b.id, slotId: Z, channel: 'desk' });
      const c = await ok('bookings.book', {
        slotId: W,
        patientId: deskPatient(2),
        appointmentTypeId: lakbes(),
        channel: 'phone',
      });
      await ok('bookings.cancel', { id: c.id, channel: 'phone', reasonText: 'Fel tid' });
      await webBook(web(), await onCentral(V), 'LAKBES', person(56));
      const before = (await openConflicts()).length;
      const rounds = await Promise.all([engine().settle(), new SyncEngine(second, api(central.url)).settle()]);
      for (const r of rounds) expect(r.error).toBeNull();
      await sync();
      expect(activeOn(X)).toMatchObject([{ id: a.id, status: 'booked' }]);
      expect(activeOn(Z)).toMatchObject([{ id: moved.new.id, status: 'booked' }]);
      expect(activeOn(Y)).toEqual([]);
      expect(activeOn(W)).toEqual([]);
      expect(activeOn(V)).toMatchObject([{ channel: 'web', status: 'booked' }]);
      expect((await openConflicts()).length).toBe(before);
      expect(ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'failed'`).get()).toEqual({ n: 0 });
      await invariants();
    } finally {
      second.db.close();
    }
  });
});

describe('Konflikter after the web won a time the desk booked offline', () => {
  it('a patient with protected identity is listed without name or time, and two desks resolving the row at once book her once', async () => {
    const X = await freshSlot();
    const [S1, S2] = [await freshSlot(), await freshSlot()];
    const patient = deskPatient(6);
    await ok('patients.update', { id: patient, protectedIdentity: true });
    await sync();
    const desk = await ok('bookings.book', { slotId: X, patientId: patient, appointmentTypeId: lakbes(), channel: 'phone' });
    await webBook(web(), await onCentral(X), 'LAKBES', person(54));
    await sync();
    const c = (await openConflicts()).find((x) => x.bookingId === desk.id)!;
    expect(c).toMatchObject({
      kind: 'slot_taken',
      patient: { id: patient, displayName: '', protectedIdentity: true },
      startAt: null,
      resourceName: null,
    });
    const bo: Caller = { ...anna, username: 'bo.r', workstation: 'kassa-2' };
    const [first, second] = await Promise.all([
      call('conflicts.resolve', { id: c.id, action: 'rebook', slotId: S1 }),
      call('conflicts.resolve', { id: c.id, action: 'rebook', slotId: S2 }, bo),
    ]);
    expect(first.ok).toBe(true);
    // The desk that came second is told another desk got there first (a conflict, as for a time taken), and by whom.
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Konflikten är redan hanterad.',
        details: { rule: 'already_resolved', resolvedBy: 'anna.r' },
      },
    });
    expect(activeOn(S1)).toMatchObject([{ patient_id: patient }]);
    expect(activeOn(S2)).toEqual([]);
    await sync();
    expect(activeOn(S1)).toMatchObject([{ patient_id: patient, status: 'booked' }]);
    await invariants();
  });

  it('the suggested time the receptionist picks is taken on the web meanwhile: a new row for the patient, nothing lost', async () => {
    const X = await freshSlot();
    await freshSlot();
    await sync();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(3),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    await webBook(web(), await onCentral(X), 'LAKBES', person(59));
    await sync();
    const c = (await openConflicts()).find((x) => x.bookingId === desk.id)!;
    const pick = c.suggested[0]!.slotId;
    await webBook(web(), await onCentral(pick), 'LAKBES', person(60));
    const resolved = await ok('conflicts.resolve', { id: c.id, action: 'rebook', slotId: pick });
    expect(resolved.booking!.status).toBe('preliminary');
    await sync();
    expect(activeOn(pick)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(resolved.booking!.id).status).toBe('cancelled');
    expect((await openConflicts()).find((x) => x.bookingId === resolved.booking!.id)).toMatchObject({
      kind: 'slot_taken',
      patient: { id: deskPatient(3) },
    });
    await invariants();
  });
});

describe('desk changes not yet on central, racing the web', () => {
  it('booked and cancelled at the desk before it reached central, the web books that time: the web booking stands, no conflict', async () => {
    const X = await freshSlot();
    await sync();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(1),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    await ok('bookings.cancel', { id: desk.id, channel: 'phone', reasonText: 'Fel patient' });
    await webBook(web(), await onCentral(X), 'LAKBES', person(42));
    const before = (await openConflicts()).length;
    await sync();
    expect(activeOn(X)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(desk.id).status).toBe('cancelled');
    expect((await openConflicts()).length).toBe(before);
    await invariants();
  });

  it('booked, then moved at the desk before either reached central, the web takes the first time: the patient is on the second, the web patient on the first', async () => {
    const [X, Y] = [await freshSlot(), await freshSlot()];
    await sync();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(2),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    const moved = await ok('bookings.rebook', { id: desk.id, slotId: Y, channel: 'phone' });
    await webBook(web(), await onCentral(X), 'LAKBES', person(43));
    const before = (await openConflicts()).length;
    await sync();
    expect(activeOn(Y)).toMatchObject([{ id: moved.new.id, patient_id: deskPatient(2), status: 'booked' }]);
    expect(activeOn(X)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(desk.id)).toMatchObject({ status: 'rebooked', rebooked_to: moved.new.id });
    expect((await openConflicts()).length).toBe(before);
    await invariants();
  });

  it('booked, then moved at the desk before either reached central, the web takes the new time: the patient keeps the first, confirmed, and the desk is told', async () => {
    const [X, Y] = [await freshSlot(), await freshSlot()];
    await sync();
    const desk = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(7),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    const moved = await ok('bookings.rebook', { id: desk.id, slotId: Y, channel: 'phone' });
    await webBook(web(), await onCentral(Y), 'LAKBES', person(55));
    await sync();
    expect(activeOn(Y)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(moved.new.id).status).toBe('cancelled');
    expect(activeOn(X)).toMatchObject([{ id: desk.id, patient_id: deskPatient(7), status: 'booked' }]);
    expect((await onCentral(X)).status).toBe('busy');
    expect((await openConflicts()).find((c) => c.bookingId === moved.new.id)).toMatchObject({
      kind: 'slot_taken',
      patient: { id: deskPatient(7) },
    });
    await invariants();
  });

  it('the desk cancels a web booking and books another patient into its time, while the web patient moves away: both patients keep a time', async () => {
    const [X, B] = [await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(X), 'LAKBES', person(61));
    await sync();
    const theirs = activeOn(X)[0]!;
    await ok('bookings.cancel', { id: theirs.id, channel: 'phone', reasonText: 'Ringde och avbokade' });
    const mine = await ok('bookings.book', {
      slotId: X,
      patientId: deskPatient(4),
      appointmentTypeId: lakbes(),
      channel: 'phone',
    });
    await webRebook(web(), await appt(w.id!), await onCentral(X), await onCentral(B), 'LAKBES');
    await sync();
    expect(activeOn(X)).toMatchObject([{ id: mine.id, status: 'booked' }]);
    expect(activeOn(B)).toMatchObject([{ channel: 'web', patient_id: theirs.patient_id, status: 'booked' }]);
    await invariants();
  });

  it('a web rebooking into a time the desk booked offline: the web patient moves there, the desk patient is in Konflikter', async () => {
    const [A, B] = [await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(44));
    await sync();
    const desk = await ok('bookings.book', {
      slotId: B,
      patientId: deskPatient(3),
      appointmentTypeId: lakbes(),
      channel: 'desk',
    });
    await webRebook(web(), await appt(w.id!), await onCentral(A), await onCentral(B), 'LAKBES');
    await sync();
    expect(activeOn(A)).toEqual([]);
    expect(activeOn(B)).toMatchObject([{ channel: 'web', status: 'booked' }]);
    expect(row(desk.id).status).toBe('cancelled');
    const c = (await openConflicts()).find((x) => x.bookingId === desk.id)!;
    expect(c).toMatchObject({ kind: 'slot_taken', patient: { id: deskPatient(3) } });
    expect(c.suggested.length).toBeGreaterThan(0);
    for (const s of c.suggested) expect(activeOn(s.slotId)).toEqual([]);
    expect(c.suggested.map((s) => s.slotId)).not.toContain(B);
    await invariants();
  });

  it('the desk and the web patient both move the same booking to different times: the web move stands, the desk move is undone and named', async () => {
    const [A, B, C] = [await freshSlot(), await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(45));
    await sync();
    const booked = activeOn(A)[0]!.id;
    const moved = await ok('bookings.rebook', { id: booked, slotId: C, channel: 'phone' });
    await webRebook(web(), await appt(w.id!), await onCentral(A), await onCentral(B), 'LAKBES');
    await sync();
    expect(activeOn(B)).toMatchObject([{ channel: 'web', status: 'booked', patient_id: row(booked).patient_id }]);
    expect(activeOn(A)).toEqual([]);
    expect(activeOn(C)).toEqual([]);
    expect(row(moved.new.id).status).toBe('cancelled');
    expect((await onCentral(C)).status).toBe('free');
    expect(
      ctx.db
        .prepare(`SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ${ACTIVE}`)
        .get(row(booked).patient_id),
    ).toEqual({ n: 1 });
    expect((await openConflicts()).find((x) => x.bookingId === booked)).toMatchObject({
      kind: 'stale_version',
      reason: expect.stringMatching(/Centralt: ombokad\. Ombokningen som gjordes här blev inte av\.$/) as unknown,
    });
    await invariants();
  });
});

describe('the desk and the web patient move one booking to the same new time', () => {
  it('the patient is on it once (the web move); Konflikter does not offer to book her again', async () => {
    const [A, S] = [await freshSlot(), await freshSlot()];
    await freshSlot(); // a free time a wrong suggestion could use
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(51));
    await sync();
    const booked = activeOn(A)[0]!.id;
    const patient = row(booked).patient_id;
    const moved = await ok('bookings.rebook', { id: booked, slotId: S, channel: 'phone' });
    await webRebook(web(), await appt(w.id!), await onCentral(A), await onCentral(S), 'LAKBES');
    await sync();
    expect(activeOn(S)).toMatchObject([{ channel: 'web', status: 'booked', patient_id: patient }]);
    expect(row(moved.new.id).status).toBe('cancelled');
    expect(
      ctx.db.prepare(`SELECT count(*) AS n FROM bookings WHERE patient_id = ? AND status IN ${ACTIVE}`).get(patient),
    ).toEqual({
      n: 1,
    });
    // She did not lose a time: no row asks staff to find her one.
    const rows = (await openConflicts()).filter((c) => c.patient?.id === patient);
    expect(rows.filter((c) => c.kind === 'slot_taken')).toEqual([]);
    await invariants();
  });
});

describe('two desks of the unit (own database files) move one booking at once', () => {
  const bo: Caller = { ...anna, username: 'bo.r', displayName: 'Bo Reception', workstation: 'kassa-2' };
  it.each([
    ['to different times', false],
    ['to the same time', true],
  ] as const)('%s: the move that reached central first stands on both desks, the other is undone there', async (_n, same) => {
    const [A, S1, S2] = [await freshSlot(), await freshSlot(), await freshSlot()];
    await sync();
    await webBook(web(), await onCentral(A), 'LAKBES', person(same ? 53 : 52));
    await sync();
    const other = deskCopiedFrom(ctx, dir, `kassa2-${String(same)}`, () => now);
    try {
      const booked = activeOn(A)[0]!.id;
      const patient = row(booked).patient_id;
      const first = await ok('bookings.rebook', { id: booked, slotId: S1, channel: 'phone' });
      const r = await dispatch({ ctx: other, caller: bo, shell: 'web' }, 'bookings.rebook', {
        id: booked,
        slotId: same ? S1 : S2,
        channel: 'phone',
      });
      if (!r.ok) throw new Error(r.error.message);
      const second = (r.value as { new: { id: string } }).new.id;
      await sync();
      expect((await new SyncEngine(other, api(central.url)).settle()).error).toBeNull();
      await sync();
      for (const desk of [ctx, other]) {
        const active = desk.db
          .prepare(`SELECT id, slot_id FROM bookings WHERE patient_id = ? AND status IN ${ACTIVE}`)
          .all(patient) as { id: string; slot_id: string }[];
        expect(active).toEqual([{ id: first.new.id, slot_id: S1 }]);
        expect(sorted(localBookings(desk))).toEqual(sorted(await centralBookings(web())));
      }
      expect(other.db.prepare(`SELECT status FROM bookings WHERE id = ?`).get(second)).toEqual({ status: 'cancelled' });
      expect(
        other.db
          .prepare(`SELECT kind FROM conflicts WHERE json_extract(detail, '$.patientId') = ? OR entity_id IN (?, ?)`)
          .all(patient, booked, second),
      ).toEqual([{ kind: 'stale_version' }]);
      if (!same) expect((await onCentral(S2)).status).toBe('free');
      await invariants();
    } finally {
      other.db.close();
    }
  });
});

describe("the desk's own move, its answer lost on the way back", () => {
  it('is taken as made when sent again (central points at our new half): no conflict, nothing undone', async () => {
    const [A, C] = [await freshSlot(), await freshSlot()];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(47));
    await sync();
    const booked = activeOn(A)[0]!.id;
    const moved = await ok('bookings.rebook', { id: booked, slotId: C, channel: 'phone' });
    let lost = 0;
    const lossy = new FhirCentralApi({
      baseUrl: central.url,
      token: null,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'POST' && lost++ === 0) throw new TypeError('socket hang up'); // committed, answer lost
        return res;
      },
    });
    const before = (await openConflicts()).length;
    expect((await pushOutbox(ctx, lossy)).error?.kind).toBe('network');
    expect((await appt(w.id!)).status).toBe('cancelled'); // the move did land on central
    await sync();
    expect(row(booked)).toMatchObject({ status: 'rebooked', rebooked_to: moved.new.id });
    expect(activeOn(C)).toMatchObject([{ id: moved.new.id, status: 'booked' }]);
    expect((await appt(w.id!)).status).toBe('cancelled');
    expect((await openConflicts()).length).toBe(before);
    await invariants();
  });
});

describe('återbudslistan and the web', () => {
  it('a time held for a waiting patient is booked on the web: the web booking stands and the patient waits again', async () => {
    const X = await freshSlot();
    await sync();
    const entry = await ok('waitlist.add', { patientId: deskPatient(4), appointmentTypeId: lakbes() });
    await ok('waitlist.markOffered', { id: entry.id, slotId: X });
    await webBook(web(), await onCentral(X), 'LAKBES', person(46));
    await sync();
    expect(activeOn(X)).toMatchObject([{ channel: 'web' }]);
    const [after] = (await ok('waitlist.list', {})).filter((e) => e.id === entry.id);
    expect(after).toMatchObject({ state: 'waiting' });
    // The list's booking of that time is refused in Swedish, not made twice.
    const e = await refused('bookings.book', {
      slotId: X,
      patientId: deskPatient(4),
      appointmentTypeId: lakbes(),
      channel: 'phone',
      waitlistEntryId: entry.id,
    });
    expect(e).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
    await invariants();
  });
});

describe('two web shells on one database file, each with its own signed-in user', () => {
  it('a double-clicked booking and another desk moving a patient into the same time: one booking, the rest refused in Swedish, the winner logged under her own name; Erbjud tid racing a booking leaves the time booked and the entry waiting', async () => {
    const book = demoApi();
    const types = await book.ok('appointmentTypes.list', {});
    const lakbes = types.find((t) => t.code === 'LAKBES')!.id;
    const free = await book.ok('slots.findFree', { appointmentTypeId: lakbes, from: '2026-12-01', limit: 7 });
    const [targets, homes] = [free.slice(0, 3), free.slice(3, 6)];
    const people: Patient[] = [];
    for (let i = 0; i < 7; i++) {
      people.push(
        await book.ok('patients.create', {
          identityNumber: makeIdentityNumber(`1979-0${1 + i}-1${i}`, 960 + i),
          givenName: 'Dubbel',
          familyName: `Klick ${i}`,
        }),
      );
    }
    // Patients 3-5 hold a time each, to be moved by the second desk into the contested times.
    const held: Booking[] = [];
    for (let i = 0; i < 3; i++) {
      held.push(
        await book.ok('bookings.book', { slotId: homes[i]!.slotId, patientId: people[3 + i]!.id, appointmentTypeId: lakbes }),
      );
    }
    const users = book.ctx.db.prepare(`SELECT id, username FROM users`).all() as { id: string; username: string }[];
    const userId = (name: string) => users.find((u) => u.username === name)!.id;
    const count = (sql: string) => (book.ctx.db.prepare(sql).get() as { n: number }).n;
    const before = {
      outbox: count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`),
      audits: count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`),
    };
    const env = { TIDBOK_NOW: new Date(book.ctx.now()).toISOString() };
    const shells: RunningShell[] = await Promise.all([
      startShell({ dbPath: book.path, env }),
      startShell({ dbPath: book.path, env }),
    ]);
    try {
      const reception = apiResultAs(() => shells[0]!, 'reception', 'demo-reception');
      const schema = apiResultAs(() => shells[1]!, 'schema', 'demo-schema');
      await Promise.all([reception('unit.get'), schema('unit.get')]); // signed in before the race
      const results = await Promise.all(
        targets.flatMap((t, i) => {
          const input = { slotId: t.slotId, patientId: people[i]!.id, appointmentTypeId: lakbes };
          return [
            reception('bookings.book', input),
            reception('bookings.book', input),
            schema('bookings.rebook', { id: held[i]!.id, slotId: t.slotId, channel: 'phone' }),
          ];
        }),
      );
      let made = 0;
      targets.forEach((t, i) => {
        const [first, again, move] = results.slice(3 * i, 3 * i + 3);
        const wins = [first, again, move].filter((r) => r!.ok);
        expect(wins).toHaveLength(1);
        for (const r of [first, again, move].filter((x) => !x!.ok))
          expect(r!.error).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
        // The double click that lost to its own twin says so, for the dialog to take the booking as made.
        if (first!.ok || again!.ok) {
          const lost = (first!.ok ? again : first)!.error as { details?: { samePatient?: boolean } };
          expect(lost.details?.samePatient).toBe(true);
        }
        const active = book.ctx.db
          .prepare(`SELECT id, patient_id, created_by FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE}`)
          .all(t.slotId) as { id: string; patient_id: string; created_by: string }[];
        expect(active).toHaveLength(1);
        const byMove = move!.ok;
        expect(active[0]!.patient_id).toBe(byMove ? people[3 + i]!.id : people[i]!.id);
        expect(active[0]!.created_by).toBe(byMove ? 'schema' : 'reception');
        // The patient moved away keeps her old time when the move lost.
        expect(book.count(`SELECT count(*) AS n FROM bookings WHERE id = ? AND status IN ${ACTIVE}`, held[i]!.id)).toBe(
          byMove ? 0 : 1,
        );
        const logged = book.ctx.db
          .prepare(`SELECT user_id FROM audit_events WHERE action = 'change' AND entity = 'booking' AND entity_id = ?`)
          .all(active[0]!.id) as { user_id: string }[];
        expect(logged).toEqual([{ user_id: userId(byMove ? 'schema' : 'reception') }]);
        made += byMove ? 2 : 1;
      });
      // One outbox row per booking row written (a move writes two) and one audit event per change; none from refusals.
      expect(count(`SELECT count(*) AS n FROM outbox WHERE entity = 'booking'`)).toBe(before.outbox + made);
      expect(count(`SELECT count(*) AS n FROM audit_events WHERE action = 'change' AND entity = 'booking'`)).toBe(
        before.audits + 3,
      );

      // Erbjud tid on återbudslistan and a plain booking of the same free time, at once from the two shells:
      // a hold never stops a desk booking, so whichever commits first, the time is booked and she waits again.
      const offered = free[6]!.slotId;
      const entry = await book.ok('waitlist.add', { patientId: people[6]!.id, appointmentTypeId: lakbes });
      const [offer, booking] = await Promise.all([
        reception('waitlist.markOffered', { id: entry.id, slotId: offered }),
        schema('bookings.book', { slotId: offered, patientId: people[5]!.id, appointmentTypeId: lakbes }),
      ]);
      expect(booking.ok).toBe(true);
      if (!offer.ok) expect(offer.error).toMatchObject({ code: 'conflict', message: 'Tiden är inte längre ledig.' });
      const after = (await book.ok('waitlist.list', {})).find((e) => e.id === entry.id)!;
      expect(after).toMatchObject({ state: 'waiting', offeredSlot: null });
    } finally {
      await Promise.all(shells.map((s) => s.stop()));
      book.ctx.db.close();
    }
  }, 120_000);
});
