// Acceptance: late cancellations on 1177. The cancel cut-offs apply to web and desk alike (issue
// 3), with an explicit, logged override at the desk only; the national contracts carry only the
// allowed-flags, so the unit judges a patient's cancellation that central let through. It
// stands (the patient was told; central may have given the time away) and goes to Konflikter.
// Two desks (two databases) and the real stand-in central over HTTP; the patient's late
// cancellations are written to central directly (the stand-in's own web patient refuses them).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { ifMatch } from '../../../src-main/sync/central-api.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { EXT, ID_SYSTEM, REASON_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { applyResources, pullChanges } from '../../../src-main/sync/pull.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import {
  api,
  centralBookings,
  configureCentral,
  localBookings,
  openLocal,
  patientNumber,
  seedSmallUnit,
  sorted,
  tempDir,
  type SmallUnit,
  deskCopiedFrom,
} from './helpers.ts';
import { valueOf } from '../../helpers/results.ts';

let central: Central;
let a: ServiceContext; // this desk
let b: ServiceContext; // another desk of the unit
let unit: SmallUnit;
let now = Date.parse('2026-10-19T09:00:00+02:00');
const types: Record<string, string> = {};

/**
 * The desks' clock and central's (meta.lastUpdated) are one: the rules are judged at central's
 * time. It only moves forward through the file, as central's does.
 */
function at(iso: string): void {
  now = Date.parse(iso);
  vi.setSystemTime(now);
}

async function ok<M extends MethodName>(ctx: ServiceContext, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(
    method,
    await dispatch({ ctx, caller: testCaller(['receptionist', 'scheduler']), shell: 'web' }, method, input),
  );
}
const web = () => api(central.url);
async function sync(ctx: ServiceContext) {
  const r = await new SyncEngine(ctx, api(central.url)).settle();
  expect(r.error).toBeNull();
  return r;
}

async function slot(date: string, start: string, end: string, code: string): Promise<string> {
  const s = await ok(a, 'slots.create', {
    resourceId: unit.resourceIds[0]!,
    date,
    startTime: start,
    endTime: end,
    appointmentTypeIds: [types[code]!],
    webPublished: true,
    withinCareGuarantee: true,
  });
  return s.id;
}

/** A desk booking of the slot, confirmed by central. */
async function deskBooking(slotId: string, patient: number, code: string): Promise<string> {
  const booking = await ok(a, 'bookings.book', {
    slotId,
    patientId: unit.patientIds[patient]!,
    appointmentTypeId: types[code]!,
    channel: 'desk',
    note: '',
  });
  await sync(a);
  expect(row(a, booking.id).status).toBe('booked');
  return booking.id;
}

const centralSlot = async (slotId: string) => (await web().byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
/** Central's Appointment of a local booking (a desk's carries our id; a web one is known by its remote id). */
async function centralAppointment(ctx: ServiceContext, bookingId: string): Promise<Appointment> {
  const remote = row(ctx, bookingId).remote_id!;
  return (await web().read<Appointment>('Appointment', remote))!;
}

/** Some other client cancels on central: the Appointment as given, and its Slot freed, in one transaction. */
async function cancelOnCentral(appointment: Appointment, slotId: string): Promise<void> {
  const s = await centralSlot(slotId);
  await web().transaction([
    {
      resource: appointment,
      request: { method: 'PUT', url: `Appointment/${appointment.id}`, ifMatch: ifMatch(appointment.meta!.versionId!) },
    },
    { resource: { ...s, status: 'free' }, request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: ifMatch(s.meta!.versionId!) } },
  ]);
}

const row = (ctx: ServiceContext, id: string) =>
  ctx.db.prepare(`SELECT status, cancelled_via, remote_id FROM bookings WHERE id = ?`).get(id) as {
    status: string;
    cancelled_via: string | null;
    remote_id: string | null;
  };
const bookingOn = (ctx: ServiceContext, slotId: string) =>
  (ctx.db.prepare(`SELECT id FROM bookings WHERE slot_id = ? ORDER BY rowid DESC`).get(slotId) as { id: string }).id;
const lateCancelRows = async (ctx: ServiceContext, bookingId: string) =>
  (await ok(ctx, 'conflicts.list', { includeResolved: true })).filter(
    (c) => c.bookingId === bookingId && c.kind === 'web_cancel',
  );
const syncDecisions = (ctx: ServiceContext, bookingId: string) =>
  (
    ctx.db
      .prepare(
        `SELECT workstation, patient_id, detail FROM audit_events WHERE entity_id = ? AND workstation = 'sync' ORDER BY seq`,
      )
      .all(bookingId) as { workstation: string; patient_id: string | null; detail: string }[]
  )
    .map((e): Record<string, unknown> => ({ patientId: e.patient_id, ...(JSON.parse(e.detail) as Record<string, unknown>) }))
    // The unit's decisions, not the log of the patient's own changes on 1177 (channel web).
    .filter((e) => e['channel'] !== 'web');
const countWhere = (ctx: ServiceContext, sql: string) => (ctx.db.prepare(sql).get() as { n: number }).n;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a', () => now);
  unit = seedSmallUnit(a, { slots: 0, patients: 4 });
  types.LAKBES = unit.typeIds.lakbes; // web-cancellable, cancel cut-off 24 h
  types.FAST = a.newId(); // web-bookable, not web-cancellable
  a.db
    .prepare(
      `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable,
         web_cancellable, web_rebookable, cancel_cutoff_h, rebook_cutoff_h, book_min_lead_h, book_max_days, updated_at)
       VALUES (?, ?, ?, ?, ?, 30, '["physical"]', '[]', 1, ?, 0, 24, 24, 0, 180, ?)`,
    )
    .run(types.FAST, unit.unitId, 'FAST', 'Hälsokontroll', 'Health check', 0, now);
  types.KONT = a.newId(); // web-cancellable, cut-off 24 h until a scheduler raises it
  a.db
    .prepare(
      `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable,
         web_cancellable, web_rebookable, cancel_cutoff_h, rebook_cutoff_h, book_min_lead_h, book_max_days, updated_at)
       VALUES (?, ?, ?, ?, ?, 30, '["physical"]', '[]', 1, ?, 0, 24, 24, 0, 180, ?)`,
    )
    .run(types.KONT, unit.unitId, 'KONT', 'Kontrollbesök', 'Follow-up', 1, now);
  configureCentral(a, central.url);
  await sync(a);
  // The other desk starts from the unit's database as installed (a copy after the first sync).
  b = deskCopiedFrom(a, dir, 'b', () => now);
});

afterAll(async () => {
  vi.useRealTimers();
  a.db.close();
  b.db.close();
  await central.close();
});

describe("a patient's cancellation on 1177, judged by the unit's cut-offs", () => {
  let late: string;

  it('after the cut-off: it stands, Konflikter names the patient, the time and the rule in Swedish, the log has the decision', async () => {
    at('2026-10-19T09:00:00+02:00');
    const S = await slot('2026-10-21', '10:00', '10:30', 'LAKBES');
    await sync(a);
    await webBook(web(), await centralSlot(S), 'LAKBES', {
      identityNumber: patientNumber(20),
      givenName: 'Webb20',
      familyName: 'Patientsson',
    });
    await sync(a);
    late = bookingOn(a, S);
    expect(row(a, late).status).toBe('booked');

    // 22 hours before the visit: past the 24-hour cut-off.
    at('2026-10-20T12:00:00+02:00');
    await webCancel(web(), await centralAppointment(a, late), await centralSlot(S));
    const r = await sync(a);

    expect(r.conflicts).toBe(1);
    expect(row(a, late)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
    const rows = await lateCancelRows(a, late);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'web_cancel',
      patient: { identityNumber: patientNumber(20), displayName: 'Webb20 Patientsson' },
      startAt: Date.parse('2026-10-21T10:00:00+02:00'),
      appointmentTypeName: 'Läkarbesök',
      suggested: [],
      resolvedAt: null,
    });
    expect(rows[0]!.reason).toMatch(
      /^Avbokad via 1177 efter avbokningsgränsen \(24 h före besöket\): avbokningen kom 2026-10-20 kl\. 12:00\. Avbokningen gäller/,
    );
    expect(syncDecisions(a, late)).toEqual([
      {
        patientId: (a.db.prepare(`SELECT patient_id FROM bookings WHERE id = ?`).get(late) as { patient_id: string }).patient_id,
        op: 'sync.web_cancel_breach',
        rule: 'deadline_passed',
        cancelledAt: now,
        deadline: Date.parse('2026-10-20T10:00:00+02:00'),
      },
    ]);
    // Never un-cancelled: nothing goes back to central, both sides hold it cancelled and the time free.
    expect(countWhere(a, `SELECT count(*) AS n FROM outbox WHERE state <> 'done'`)).toBe(0);
    expect((await centralAppointment(a, late)).status).toBe('cancelled');
    expect((await centralSlot(S)).status).toBe('free');
    expect(sorted(localBookings(a))).toEqual(sorted(await centralBookings(web())));
  });

  it('the same page applied again adds no second row and no second log entry', async () => {
    const before = {
      rows: countWhere(a, `SELECT count(*) AS n FROM conflicts WHERE kind = 'web_cancel'`),
      log: countWhere(a, `SELECT count(*) AS n FROM audit_events WHERE workstation = 'sync'`),
    };
    const appointment = await centralAppointment(a, late);
    expect(applyResources(a, [appointment], { respectPending: true }).conflicts).toBe(0);
    // From the start of the feed again: every page read and applied once more.
    a.db.prepare(`DELETE FROM sync_state WHERE feed = 'Appointment'`).run();
    const again = await pullChanges(a, web(), { feeds: ['Appointment'] });
    expect(again.pulled).toBeGreaterThan(0);
    expect(again.conflicts).toBe(0);
    expect({
      rows: countWhere(a, `SELECT count(*) AS n FROM conflicts WHERE kind = 'web_cancel'`),
      log: countWhere(a, `SELECT count(*) AS n FROM audit_events WHERE workstation = 'sync'`),
    }).toEqual(before);
  });

  it('in time, to the second and across the DST change, it gives no row', async () => {
    const exact = await deskBooking(await slot('2026-10-23', '11:00', '11:30', 'LAKBES'), 0, 'LAKBES');
    // Sunday 25 October, the clocks go back at 03:00: 24 hours before 10:00 (+01) is Saturday 11:00 (+02).
    const dst = await deskBooking(await slot('2026-10-25', '10:00', '10:30', 'LAKBES'), 1, 'LAKBES');

    at('2026-10-22T11:00:00+02:00'); // exactly 24 h before
    await webCancel(web(), await centralAppointment(a, exact), await centralSlot(slotOf(exact)));
    at('2026-10-24T10:45:00+02:00'); // 24 h 15 min before, though 10:45 on the wall clock is later than 10:00
    await webCancel(web(), await centralAppointment(a, dst), await centralSlot(slotOf(dst)));
    expect((await sync(a)).conflicts).toBe(0);

    for (const id of [exact, dst]) {
      expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
      expect(await lateCancelRows(a, id)).toEqual([]);
      expect(syncDecisions(a, id)).toEqual([]);
    }
  });

  it('a type that may not be cancelled on the web: a row naming that rule, even well before the visit', async () => {
    const id = await deskBooking(await slot('2026-10-30', '09:00', '09:30', 'FAST'), 2, 'FAST');
    at('2026-10-24T11:00:00+02:00');
    await webCancel(web(), await centralAppointment(a, id), await centralSlot(slotOf(id)));
    await sync(a);

    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
    const rows = await lateCancelRows(a, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toMatch(
      /^Besökstypen får inte avbokas via 1177, men patienten avbokade där 2026-10-24 kl\. 11:00\. Avbokningen gäller/,
    );
    expect(syncDecisions(a, id)).toMatchObject([{ op: 'sync.web_cancel_breach', rule: 'type_disallows' }]);
  });
});

describe("another desk's late cancellation", () => {
  it('carries its channel on the wire and its own logged override; this desk takes it without a row', async () => {
    const id = await deskBooking(await slot('2026-10-27', '09:00', '09:30', 'LAKBES'), 3, 'LAKBES');
    await sync(b);
    expect(row(b, id).status).toBe('booked');

    // Two hours before the visit the patient phones the other desk, which cancels past the cut-off.
    at('2026-10-27T07:00:00+01:00');
    await ok(b, 'bookings.cancel', { id, channel: 'phone', reasonText: 'Sjuk', override: { reason: 'Patienten är sjuk' } });
    await sync(b);
    const onCentral = await centralAppointment(b, id);
    expect(onCentral.status).toBe('cancelled');
    expect(onCentral.extension?.filter((e) => e.url === EXT.cancelledVia)).toEqual([
      { url: EXT.cancelledVia, valueCode: 'phone' },
    ]);
    const override = b.db
      .prepare(`SELECT detail FROM audit_events WHERE entity_id = ? AND json_extract(detail, '$.op') = 'cancel'`)
      .get(id) as { detail: string };
    expect(JSON.parse(override.detail)).toMatchObject({ override: { reason: 'Patienten är sjuk' } });

    expect((await sync(a)).conflicts).toBe(0);
    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'phone' });
    expect(await lateCancelRows(a, id)).toEqual([]);
    expect(await lateCancelRows(b, id)).toEqual([]);
    expect(syncDecisions(a, id)).toEqual([]);
  });
});

describe('a cancellation without the marker, from a desk older than it', () => {
  // Decision (sync/fhir/README.md): no marker means from outside the unit, except a reason coded in
  // Tidbok's own system, which 1177 does not know: such a cancellation was written by a Tidbok desk.
  const olderDeskCancel = async (id: string, reason: NonNullable<Appointment['cancelationReason']>) => {
    const current = await centralAppointment(a, id);
    await cancelOnCentral({ ...current, status: 'cancelled', cancelationReason: reason }, slotOf(id));
  };

  it("with a Tidbok reason code it is the unit's: no row", async () => {
    const id = await deskBooking(await slot('2026-10-29', '10:00', '10:30', 'LAKBES'), 0, 'LAKBES');
    at('2026-10-29T08:00:00+01:00');
    await olderDeskCancel(id, { coding: [{ system: REASON_SYSTEM, code: 'SJUK' }], text: 'Sjuk' });
    await sync(a);
    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'unit' });
    expect(await lateCancelRows(a, id)).toEqual([]);
  });

  it("without one it is taken for the patient's: a late one is a row staff can close", async () => {
    const id = await deskBooking(await slot('2026-10-29', '11:00', '11:30', 'LAKBES'), 1, 'LAKBES');
    at('2026-10-29T08:30:00+01:00');
    await olderDeskCancel(id, { text: 'Patienten ringde' });
    await sync(a);
    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
    const [conflict] = await lateCancelRows(a, id);
    expect(conflict!.reason).toMatch(/^Avbokad via 1177 efter avbokningsgränsen \(24 h före besöket\)/);
    const closed = await ok(a, 'conflicts.resolve', { id: conflict!.id, action: 'dismiss', note: 'Ringt från kassa 2' });
    expect(closed.conflict.resolvedAt).toBe(now);
    expect(row(a, id).status).toBe('cancelled');
  });
});

describe('the cut-off changed while the cancellation was on its way', () => {
  it("a patient who cancelled under the rules central showed is not judged by the unit's newer ones", async () => {
    const id = await deskBooking(await slot('2026-11-03', '10:00', '10:30', 'KONT'), 2, 'KONT');
    // 26 hours before: in time under the 24 hours central shows.
    at('2026-11-02T08:00:00+01:00');
    await webCancel(web(), await centralAppointment(a, id), await centralSlot(slotOf(id)));
    // Before this desk hears of it, a scheduler raises the cut-off to 48 hours.
    at('2026-11-02T08:05:00+01:00');
    await ok(a, 'appointmentTypes.update', { id: types.KONT!, cancelCutoffH: 48 });
    await sync(a);
    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
    expect(await lateCancelRows(a, id)).toEqual([]);

    // Once central has the new rules, a cancellation 30 hours before is late.
    const next = await deskBooking(await slot('2026-11-04', '14:00', '14:30', 'KONT'), 3, 'KONT');
    at('2026-11-03T08:00:00+01:00');
    await webCancel(web(), await centralAppointment(a, next), await centralSlot(slotOf(next)));
    await sync(a);
    const [late48] = await lateCancelRows(a, next);
    expect(late48!.reason).toMatch(/^Avbokad via 1177 efter avbokningsgränsen \(48 h före besöket\)/);
  });
});

describe('the desk changed the booking while the patient cancelled it late', () => {
  it('central wins the race (stale_version) and the late cancellation is still named, once each', async () => {
    const id = await deskBooking(await slot('2026-11-05', '10:00', '10:30', 'LAKBES'), 0, 'LAKBES');
    at('2026-11-04T12:00:00+01:00');
    await webCancel(web(), await centralAppointment(a, id), await centralSlot(slotOf(id)));
    await ok(a, 'bookings.setNote', { id, note: 'Tolk behövs' });
    await sync(a);

    expect(row(a, id)).toMatchObject({ status: 'cancelled', cancelled_via: 'web' });
    const kinds = (await ok(a, 'conflicts.list', {})).filter((c) => c.bookingId === id).map((c) => c.kind);
    expect(kinds.sort()).toEqual(['stale_version', 'web_cancel']);
    expect(syncDecisions(a, id)).toMatchObject([{ op: 'sync.web_cancel_breach', rule: 'deadline_passed' }]);
    expect(sorted(localBookings(a))).toEqual(sorted(await centralBookings(web())));
  });
});

function slotOf(bookingId: string): string {
  return (a.db.prepare(`SELECT slot_id FROM bookings WHERE id = ?`).get(bookingId) as { slot_id: string }).slot_id;
}
