// Acceptance: the web channel (1177 patients on the central booking API, as FHIR) racing the
// desk (the typed API) on one unit. Each case's answer comes from DESIGN's sync contract and
// the issue's booking rules, not from Tidbok's output.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import type { ApiError } from '../../../src-main/api/result.ts';
import type { Role } from '../../../src-main/api/types.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook, webCancel, webRebook, type WebPatient } from '../../../src-main/demo/central/web-patient.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM, unitTagsOf } from '../../../src-main/sync/fhir/mapping.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import {
  api,
  centralBookings,
  centralHolding,
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
import { refusalOf, valueOf } from '../../helpers/results.ts';

let central: Central;
let ctx: ServiceContext;
let unit: SmallUnit;
let now = Date.parse('2026-10-19T09:00:00+02:00');
const types: Record<string, string> = {};
let nurse: string;
let dir: string;

async function call<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]) {
  return dispatch({ ctx, caller: testCaller(roles), shell: 'web' }, method, input);
}
async function ok<M extends MethodName>(method: M, input: InputOf<M>, roles?: readonly Role[]): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await call(method, input, roles));
}
async function err<M extends MethodName>(method: M, input: InputOf<M>): Promise<ApiError> {
  return refusalOf(method, await call(method, input));
}
const web = () => api(central.url);
const sync = async () => {
  const r = await new SyncEngine(ctx, api(central.url)).settle();
  expect(r.error).toBeNull();
  return r;
};
const onCentral = async (slotId: string) => (await web().byIdentifier<Slot>('Slot', ID_SYSTEM, slotId))!;
const person = (i: number, extra: Partial<WebPatient> = {}): WebPatient => ({
  identityNumber: patientNumber(i),
  givenName: `Webb${i}`,
  familyName: 'Patientsson',
  ...extra,
});

/** A new slot via the API on a local date and time (Stockholm). */
async function slot(
  date: string,
  start: string,
  end: string,
  typeCodes: string[],
  webPublished = true,
  resourceId = unit.resourceIds[0]!,
): Promise<string> {
  const s = await ok('slots.create', {
    resourceId,
    date,
    startTime: start,
    endTime: end,
    appointmentTypeIds: typeCodes.map((c) => types[c]!),
    webPublished,
    withinCareGuarantee: true,
  });
  return s.id;
}

beforeAll(async () => {
  // The patient's browser and central share the unit's clock (Appointment.created is judged).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  central = await startCentral({});
  dir = tempDir();
  ctx = openLocal(dir, 'desk', () => now);
  unit = seedSmallUnit(ctx, { slots: 0, patients: 4 });
  types.LAKBES = unit.typeIds.lakbes;
  types.TELE = unit.typeIds.tele;
  const ins = ctx.db.prepare(
    `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable, invitation_only,
       web_cancellable, web_rebookable, cancel_cutoff_h, rebook_cutoff_h, book_min_lead_h, book_max_days, updated_at)
     VALUES (?, ?, ?, ?, ?, 30, '["physical"]', '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const add = (code: string, name: string, f: [number, number, number, number, number, number, number, number]) => {
    types[code] = ctx.newId();
    ins.run(types[code], unit.unitId, code, name, name, ...f, now);
  };
  // web_bookable, invitation_only, web_cancellable, web_rebookable, cancel_h, rebook_h, lead_h, max_days
  add('INBJ', 'Kallelse', [1, 1, 1, 1, 24, 24, 0, 180]);
  add('KORT', 'Specialistbesök', [1, 0, 1, 1, 72, 72, 48, 14]);
  add('FAST', 'Hälsokontroll', [1, 0, 0, 0, 24, 24, 0, 180]);
  nurse = ctx.newId();
  ctx.db
    .prepare(
      `INSERT INTO resources (id, unit_id, kind, name, profession, title, updated_at) VALUES (?, ?, 'clinician', 'Karin Berg', 'sjukskoterska', 'Distriktssköterska', ?)`,
    )
    .run(nurse, unit.unitId, now);
  configureCentral(ctx, central.url);
  await sync();
});

afterAll(async () => {
  vi.useRealTimers();
  ctx.db.close();
  await central.close();
});

const calendarOf = async (date: string, roles: readonly Role[] = ['receptionist']) =>
  ok('calendar.range', { from: date, to: nextDay(date) }, roles);
const nextDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const row = (id: string) =>
  ctx.db
    .prepare(
      `SELECT status, channel, cancel_reason_code, cancel_reason_text, rebooked_from, rebooked_to FROM bookings WHERE id = ?`,
    )
    .get(id) as {
    status: string;
    channel: string;
    cancel_reason_code: string | null;
    cancel_reason_text: string | null;
    rebooked_from: string | null;
    rebooked_to: string | null;
  };
const bookingOn = (slotId: string, active = true) =>
  ctx.db
    .prepare(
      `SELECT id FROM bookings WHERE slot_id = ? ${active ? `AND status IN ('preliminary','booked','arrived','completed','no_show')` : ''} ORDER BY rowid DESC`,
    )
    .get(slotId) as { id: string } | undefined;
const audited = (entityId: string) =>
  (
    ctx.db.prepare(`SELECT action, workstation, detail FROM audit_events WHERE entity_id = ? ORDER BY seq`).all(entityId) as {
      action: string;
      workstation: string;
      detail: string;
    }[]
  ).map((e) => ({ action: e.action, workstation: e.workstation, op: (JSON.parse(e.detail) as { op?: string }).op }));
const openConflicts = async () => ok('conflicts.list', {}, ['receptionist']);
/** Central and this desk hold the same bookings, row by row, and no slot is held twice on central. */
async function converged(): Promise<void> {
  expect(sorted(localBookings(ctx))).toEqual(sorted(await centralBookings(web())));
  for (const [, held] of await centralHolding(web())) expect(held).toHaveLength(1);
  expect(ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state <> 'done'`).get()).toEqual({ n: 0 });
}

describe('a web patient and the desk race for one slot', () => {
  it('the web booking reached central first: it stands everywhere, the desk booking goes to Konflikter in Swedish, the log shows both', async () => {
    const S = await slot('2026-10-20', '08:00', '08:30', ['LAKBES']);
    await sync();
    const desk = await ok(
      'bookings.book',
      { slotId: S, patientId: unit.patientIds[0]!, appointmentTypeId: types.LAKBES!, channel: 'desk', note: '' },
      ['receptionist'],
    );
    // A central is configured: the desk's booking is a claim until central confirms it.
    expect(desk.status).toBe('preliminary');
    await webBook(web(), await onCentral(S), 'LAKBES', person(20));
    await sync();

    const web20 = bookingOn(S)!.id;
    expect(row(web20)).toMatchObject({ status: 'booked', channel: 'web' });
    expect(row(desk.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'SYNC_CONFLICT' });
    const inbox = (await openConflicts()).filter((c) => c.bookingId === desk.id);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ kind: 'slot_taken', patient: { id: unit.patientIds[0] }, startAt: desk.startAt });
    expect(inbox[0]!.reason).toMatch(/webben/);
    // Booking it again at the desk now is refused in Swedish, naming why.
    const again = await err('bookings.book', {
      slotId: S,
      patientId: unit.patientIds[0]!,
      appointmentTypeId: types.LAKBES!,
      channel: 'desk',
      note: '',
    });
    expect(again).toMatchObject({ code: 'conflict', message: 'Tiden är redan bokad.' });
    // The calendar shows the web patient's booking, not the desk's.
    expect((await calendarOf('2026-10-20')).bookings.filter((b) => b.slotId === S).map((b) => b.id)).toEqual([web20]);
    // The audit log: the desk's booking and sync's cancellation of it (workstation 'sync').
    expect(audited(desk.id)).toEqual([
      { action: 'change', workstation: 'test-ws', op: 'book' },
      { action: 'change', workstation: 'sync', op: 'sync.slot_taken' },
    ]);
    await converged();
  });

  it('a desk rebooking into a slot the web took first: the patient keeps the old time, and the desk is told', async () => {
    const [A, S] = [
      await slot('2026-10-20', '10:00', '10:30', ['LAKBES']),
      await slot('2026-10-20', '10:30', '11:00', ['LAKBES']),
    ];
    await sync();
    const held = await ok(
      'bookings.book',
      { slotId: A, patientId: unit.patientIds[3]!, appointmentTypeId: types.LAKBES!, channel: 'phone', note: '' },
      ['receptionist'],
    );
    await sync();
    const moved = await ok('bookings.rebook', { id: held.id, slotId: S, channel: 'phone' }, ['receptionist']);
    expect(moved.new.status).toBe('preliminary');
    await webBook(web(), await onCentral(S), 'LAKBES', person(22));
    await sync();
    expect(row(held.id)).toMatchObject({ status: 'booked', rebooked_to: null });
    expect(row(moved.new.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'SYNC_CONFLICT' });
    expect(row(bookingOn(S)!.id)).toMatchObject({ channel: 'web', status: 'booked' });
    const c = (await openConflicts()).find((x) => x.bookingId === moved.new.id)!;
    expect(c).toMatchObject({ kind: 'slot_taken', patient: { id: unit.patientIds[3] } });
    expect((await onCentral(A)).status).toBe('busy');
    await converged();
  });

  it('the desk booking reached central first: the web patient is refused by central, the desk keeps it', async () => {
    const S = await slot('2026-10-20', '09:00', '09:30', ['LAKBES']);
    await sync();
    const seenByPatient = await onCentral(S); // the patient's page was loaded before the desk booked
    const desk = await ok(
      'bookings.book',
      { slotId: S, patientId: unit.patientIds[1]!, appointmentTypeId: types.LAKBES!, channel: 'desk', note: '' },
      ['receptionist'],
    );
    await sync();
    expect(row(desk.id).status).toBe('booked');
    const refused = await webBook(web(), seenByPatient, 'LAKBES', person(21)).then(
      () => null,
      (e: unknown) => e as { status?: number },
    );
    expect([409, 412]).toContain(refused?.status);
    expect((await onCentral(S)).status).toBe('busy');
    await sync();
    expect(bookingOn(S)?.id).toBe(desk.id);
    await converged();
  });
});

describe("a pulled web booking is held to the unit's rules, as at the desk", () => {
  // [case, type, web-published, date, start, the rule it breaks (null = it stands), Swedish reason]
  const cases: [string, string, boolean, string, string, string | null, RegExp | null][] = [
    ['type not web-bookable', 'TELE', true, '2026-10-22', '10:00', 'web_not_bookable', /kan inte bokas via webben/],
    ['invitation-only without invitation', 'INBJ', true, '2026-10-22', '10:30', 'invitation_only', /efter kallelse/],
    ['slot not web-published', 'LAKBES', false, '2026-10-22', '11:00', 'not_published', /inte publicerad/],
    // now = Mon 2026-10-19 09:00; KORT needs 48 h lead and at most 14 days ahead.
    [
      '47.5 h ahead, 48 h lead',
      'KORT',
      true,
      '2026-10-21',
      '08:30',
      'too_soon',
      /minst 48 timmar i förväg: tidigast 2026-10-21 kl. 09:00/,
    ],
    ['exactly 48 h ahead', 'KORT', true, '2026-10-21', '09:00', null, null],
    ['last day of the window, 14 days', 'KORT', true, '2026-11-02', '15:00', null, null],
    ['15 days ahead', 'KORT', true, '2026-11-03', '08:00', 'too_far', /högst 14 dagar framåt: senast 2026-11-02/],
  ];
  const made: { name: string; slotId: string; patient: string }[] = [];

  beforeAll(async () => {
    for (const [name, code, published, date, start] of cases) {
      const [h, m] = start.split(':').map(Number) as [number, number];
      const end = `${String(h + (m === 30 ? 1 : 0)).padStart(2, '0')}:${m === 30 ? '00' : '30'}`;
      made.push({ name, slotId: await slot(date, start, end, [code], published), patient: '' });
    }
    await sync();
    for (const [i, [, code]] of cases.entries()) {
      // A central that does not enforce the rules it was given lets each of these through.
      await webBook(web(), await onCentral(made[i]!.slotId), code, person(60 + i));
      made[i]!.patient = patientNumber(60 + i);
    }
    await sync();
  });

  it.each(cases.map((c, i) => [c[0], i] as const))('%s', async (_name, i) => {
    const [, , , , , rule, reason] = cases[i]!;
    const { slotId } = made[i]!;
    const booking = bookingOn(slotId, false)!;
    const centralSlot = await onCentral(slotId);
    const onCentralNow = (await centralBookings(web())).get(booking.id)!;
    if (rule === null) {
      expect(row(booking.id)).toMatchObject({ status: 'booked', channel: 'web' });
      expect(centralSlot.status).toBe('busy');
      expect(onCentralNow.status).toBe('booked');
      return;
    }
    // Not in the book: recorded cancelled with the rule as its reason, so nothing is lost ...
    expect(row(booking.id)).toMatchObject({ status: 'cancelled', channel: 'web', cancel_reason_code: 'WEB_REJECTED' });
    expect(row(booking.id).cancel_reason_text).toMatch(reason!);
    // ... central learns it (the Appointment cancelled, the slot free again) ...
    expect(onCentralNow).toMatchObject({ status: 'cancelled', patient: made[i]!.patient });
    expect(centralSlot.status).toBe('free');
    const appt = (await web().searchAll<Appointment>('Appointment', { slot: `Slot/${centralSlot.id}` }))[0]!;
    expect(appt.cancelationReason?.text).toMatch(reason!);
    // ... and staff see the patient to contact in Konflikter, the reason in Swedish.
    const c = (await openConflicts()).find((x) => x.bookingId === booking.id);
    expect(c).toMatchObject({ kind: 'rejected', patient: { identityNumber: made[i]!.patient } });
    expect(c!.reason).toMatch(reason!);
    expect(c!.reason).toMatch(/^Webbokningen avvisades: .*Kontakta patienten/);
    expect(audited(booking.id)).toEqual([{ action: 'change', workstation: 'sync', op: 'sync.web_rejected' }]);
  });

  // A central that books a slot the unit had already closed on it (busy-unavailable, entered-in-error).
  it.each([
    ['blocked (the block already on central)', 'block', 'busy-unavailable', 'slot_blocked', /Tiden är spärrad/, 'blocked'],
    ['removed (the removal already on central)', 'remove', 'entered-in-error', 'slot_removed', /borttagen ur schemat/, 'removed'],
  ] as const)('a slot %s stays closed; the web booking is rejected', async (_n, how, fhirStatus, rule, reason, state) => {
    const S = await slot('2026-11-04', how === 'block' ? '08:00' : '08:30', how === 'block' ? '08:30' : '09:00', ['LAKBES']);
    await sync();
    if (how === 'block') await ok('slots.block', { id: S, reason: 'Utbildning' });
    else await ok('slots.remove', { id: S });
    await sync();
    expect((await onCentral(S)).status).toBe(fhirStatus);
    // A central (or a 1177 integration) that does not check the Slot's status.
    await webBook(web(), await onCentral(S), 'LAKBES', person(how === 'block' ? 72 : 73), { anyStatus: true });
    await sync();
    const booking = bookingOn(S, false)!;
    expect(row(booking.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
    expect(row(booking.id).cancel_reason_text).toMatch(reason);
    expect((await ok('slots.get', { id: S })).state).toBe(state);
    if (how === 'block') expect((await ok('slots.get', { id: S })).blockReason).toBe('Utbildning');
    expect((await onCentral(S)).status).toBe(fhirStatus);
    expect((await openConflicts()).find((c) => c.bookingId === booking.id)).toMatchObject({ kind: 'rejected' });
    expect(audited(booking.id)).toEqual([{ action: 'change', workstation: 'sync', op: 'sync.web_rejected' }]);
    await converged();
  });

  it('a type the slot does not offer is rejected, naming the type', async () => {
    const S = await slot('2026-11-04', '09:00', '09:30', ['KORT']);
    await sync();
    await webBook(web(), await onCentral(S), 'LAKBES', person(74));
    await sync();
    const booking = bookingOn(S, false)!;
    expect(row(booking.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
    expect(row(booking.id).cancel_reason_text).toBe('Webbokningen avvisades: Läkarbesök erbjuds inte på den här tiden.');
    expect((await onCentral(S)).status).toBe('free');
    await converged();
  });

  it('another desk of the unit that unblocks a slot (clearing its reason) and books it opens it here too', async () => {
    const S = await slot('2026-11-04', '10:00', '10:30', ['LAKBES']);
    await ok('slots.block', { id: S, reason: '' });
    await sync();
    // The other desk: unblock and book in one claim (the Slot goes busy-unavailable -> busy on central).
    const s = await onCentral(S);
    await web().transaction([
      {
        fullUrl: 'urn:uuid:3f0c2a5e-0000-4000-8000-000000000009',
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: patientNumber(75) }],
          name: [{ family: 'Kassasson', given: ['Per'] }],
        },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        resource: {
          resourceType: 'Appointment',
          meta: { tag: unitTagsOf(s) },
          status: 'booked',
          serviceType: [{ coding: [{ system: 'urn:tidbok:appointment-type', code: 'LAKBES' }] }],
          slot: [{ reference: `Slot/${s.id}` }],
          start: s.start,
          end: s.end,
          created: new Date(now).toISOString(),
          participant: [{ actor: { reference: 'urn:uuid:3f0c2a5e-0000-4000-8000-000000000009' }, status: 'accepted' }],
          extension: [{ url: 'https://tidbok.se/fhir/StructureDefinition/booking-channel', valueCode: 'desk' }],
        },
        request: { method: 'POST', url: 'Appointment' },
      },
      {
        resource: { ...s, status: 'busy' },
        request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: `W/"${s.meta!.versionId}"` },
      },
    ]);
    await sync();
    expect((await ok('slots.get', { id: S })).state).toBe('open');
    expect(row(bookingOn(S)!.id)).toMatchObject({ status: 'booked', channel: 'desk' });
    await converged();
  });

  it('the booking window is judged when the patient booked, not when an offline desk pulls it', async () => {
    const S = await slot('2026-10-21', '10:00', '10:30', ['KORT']); // 49 h ahead: inside the 48 h lead
    await sync();
    await webBook(web(), await onCentral(S), 'KORT', person(76));
    const back = now;
    now += 2 * 3_600_000; // the desk was offline: at pull time the slot is 47 h ahead
    vi.setSystemTime(now);
    try {
      await sync();
      expect(row(bookingOn(S)!.id)).toMatchObject({ status: 'booked', channel: 'web' });
    } finally {
      now = back;
      vi.setSystemTime(now);
    }
  });

  it('a booking made before the type was closed to the web stands, even when the desk pushes the change before it pulls', async () => {
    const [before, after] = [
      await slot('2026-11-06', '08:00', '08:30', ['FAST']),
      await slot('2026-11-06', '09:00', '09:30', ['FAST']),
    ];
    await sync();
    await webBook(web(), await onCentral(before), 'FAST', person(77));
    const back = now;
    now += 60_000;
    vi.setSystemTime(now);
    try {
      await ok('appointmentTypes.update', { id: types.FAST!, webBookable: false });
      // One cycle: push (the new rules reach central) and then pull (the booking made under the old ones).
      await sync();
      expect(row(bookingOn(before)!.id)).toMatchObject({ status: 'booked', channel: 'web' });
      now += 60_000;
      vi.setSystemTime(now);
      await webBook(web(), await onCentral(after), 'FAST', person(78));
      await sync();
      expect(row(bookingOn(after, false)!.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
      await converged();
    } finally {
      await ok('appointmentTypes.update', { id: types.FAST!, webBookable: true });
      await sync();
      now = back;
      vi.setSystemTime(now);
    }
  });

  it('a patient cannot hold two clinicians at once: an overlapping web booking is rejected; a room does not count', async () => {
    const [doctor, withNurse, room] = [
      await slot('2026-11-09', '08:00', '08:30', ['LAKBES']),
      await slot('2026-11-09', '08:15', '08:45', ['LAKBES'], true, nurse),
      await slot('2026-11-09', '08:15', '08:45', ['LAKBES'], true, unit.resourceIds[1]!),
    ];
    await ok(
      'bookings.book',
      { slotId: doctor, patientId: unit.patientIds[2]!, appointmentTypeId: types.LAKBES!, channel: 'phone', note: '' },
      ['receptionist'],
    );
    await sync();
    const same = { identityNumber: patientNumber(2), givenName: 'Testa2', familyName: 'Patientsson' };
    await webBook(web(), await onCentral(withNurse), 'LAKBES', same);
    await webBook(web(), await onCentral(room), 'LAKBES', same);
    await sync();
    const rejected = bookingOn(withNurse, false)!;
    expect(row(rejected.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
    expect(row(rejected.id).cancel_reason_text).toBe(
      'Webbokningen avvisades: Patienten har redan en tid som överlappar: 2026-11-09 kl. 08:00–08:30 hos Anna Lindqvist.',
    );
    expect(row(bookingOn(room)!.id)).toMatchObject({ status: 'booked', channel: 'web' });
    await converged();
  });

  it('an invitation (the Appointment based on a ServiceRequest) lets an invitation-only booking stand', async () => {
    const S = await slot('2026-10-23', '10:00', '10:30', ['INBJ']);
    await sync();
    const s = await onCentral(S);
    const patient = person(70);
    await web().transaction([
      {
        fullUrl: 'urn:uuid:3f0c2a5e-0000-4000-8000-000000000001',
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: patient.identityNumber }],
          name: [{ family: patient.familyName, given: [patient.givenName] }],
        },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        resource: {
          resourceType: 'Appointment',
          meta: { tag: unitTagsOf(s) },
          status: 'booked',
          serviceType: [{ coding: [{ system: 'urn:tidbok:appointment-type', code: 'INBJ' }] }],
          basedOn: [{ reference: 'ServiceRequest/kallelse-1' }],
          slot: [{ reference: `Slot/${s.id}` }],
          start: s.start,
          end: s.end,
          created: new Date(now).toISOString(),
          participant: [{ actor: { reference: 'urn:uuid:3f0c2a5e-0000-4000-8000-000000000001' }, status: 'accepted' }],
        },
        request: { method: 'POST', url: 'Appointment' },
      },
      {
        resource: { ...s, status: 'busy' },
        request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: `W/"${s.meta!.versionId}"` },
      },
    ]);
    await sync();
    expect(row(bookingOn(S)!.id)).toMatchObject({ status: 'booked', channel: 'web' });
    await converged();
  });

  it('two desks of the unit both judge the web booking and end equal with central', async () => {
    const S = await slot('2026-10-23', '15:00', '15:30', ['TELE']);
    await sync();
    const b = deskCopiedFrom(ctx, dir, 'desk-b', () => now);
    try {
      await webBook(web(), await onCentral(S), 'TELE', person(140));
      // Desk B pulls first (rejects, sends the cancellation); desk A pulls the same booking later.
      expect((await new SyncEngine(b, api(central.url)).settle()).error).toBeNull();
      await sync();
      expect((await new SyncEngine(b, api(central.url)).settle()).error).toBeNull();
      const onCentralNow = await centralBookings(web());
      expect(sorted(localBookings(ctx))).toEqual(sorted(onCentralNow));
      expect(sorted(localBookings(b))).toEqual(sorted(onCentralNow));
      expect((await onCentral(S)).status).toBe('free');
    } finally {
      b.db.close();
    }
  });

  it('a desk booking of an unpublished slot wins over a web booking central let through meanwhile', async () => {
    const S = await slot('2026-10-23', '13:00', '13:30', ['LAKBES'], false);
    await sync();
    const desk = await ok(
      'bookings.book',
      { slotId: S, patientId: unit.patientIds[1]!, appointmentTypeId: types.LAKBES!, channel: 'phone', note: '' },
      ['receptionist'],
    );
    await webBook(web(), await onCentral(S), 'LAKBES', person(79));
    await sync();
    expect(row(desk.id).status).toBe('booked');
    const web79 = ctx.db
      .prepare(`SELECT b.id FROM bookings b JOIN patients p ON p.id = b.patient_id WHERE b.slot_id = ? AND p.identity_number = ?`)
      .get(S, patientNumber(79)) as { id: string };
    expect(row(web79.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
    expect((await centralHolding(web())).get(S)?.map((x) => x.status)).toEqual(['booked']);
    expect((await openConflicts()).filter((c) => c.bookingId === desk.id)).toEqual([]);
    await converged();
  });

  it('a rejected web booking does not push a desk booking of the same slot aside, and the desk can book it afterwards', async () => {
    const S = await slot('2026-10-23', '11:00', '11:30', ['TELE']);
    await sync();
    await webBook(web(), await onCentral(S), 'TELE', person(71));
    await sync();
    expect(bookingOn(S)).toBeUndefined();
    const desk = await ok(
      'bookings.book',
      { slotId: S, patientId: unit.patientIds[2]!, appointmentTypeId: types.TELE!, channel: 'phone', note: '' },
      ['receptionist'],
    );
    await sync();
    expect(row(desk.id).status).toBe('booked');
    await converged();
  });
});

describe('schedule changes racing a web booking (made on central before the change was pushed)', () => {
  it('an absence: the slot becomes busy-unavailable on central, the web booking stands and is on the absence list', async () => {
    const A = await slot('2026-10-27', '08:00', '08:30', ['LAKBES']);
    const free = await slot('2026-10-27', '08:30', '09:00', ['LAKBES']);
    await sync();
    const absence = await ok('absences.create', {
      resourceId: unit.resourceIds[0]!,
      from: '2026-10-27',
      fromTime: '07:00',
      to: '2026-10-27',
      toTime: '09:00',
      reason: 'Sjuk',
    });
    expect(absence.affectedBookings).toEqual([]); // the desk knew of no booking yet
    await webBook(web(), await onCentral(A), 'LAKBES', person(80));
    await sync();
    expect((await onCentral(A)).status).toBe('busy-unavailable');
    expect((await onCentral(free)).status).toBe('busy-unavailable');
    const affected = await ok('absences.affectedBookings', { id: absence.absence.id }, ['receptionist']);
    expect(affected.map((b) => [b.slotId, b.channel, b.patient.identityNumber])).toEqual([[A, 'web', patientNumber(80)]]);
    // The unit moves the patient to the first free time of the type; the patient's 1177 sees the move.
    const [proposal] = await ok('absences.proposeRebooking', { id: absence.absence.id }, ['receptionist']);
    const to = proposal!.proposal!.slotId;
    const first = await ok('slots.findFree', { appointmentTypeId: types.LAKBES!, limit: 1 }, ['receptionist']);
    expect(to).toBe(first[0]!.slotId);
    await ok('absences.applyRebooking', { id: absence.absence.id }, ['receptionist']);
    await sync();
    const oldAppt = (await web().searchAll<Appointment>('Appointment', { slot: `Slot/${(await onCentral(A)).id}` }))[0]!;
    expect(oldAppt.status).toBe('cancelled');
    expect((await onCentral(to)).status).toBe('busy');
    expect(row(bookingOn(to)!.id)).toMatchObject({ status: 'booked', rebooked_from: affected[0]!.id });
    await converged();
  });

  it('a removal: the slot comes back with its web booking (a booked slot cannot be removed), and staff are told', async () => {
    const R = await slot('2026-10-27', '13:00', '13:30', ['LAKBES']);
    await sync();
    await ok('slots.remove', { id: R });
    await webBook(web(), await onCentral(R), 'LAKBES', person(81));
    await sync();
    const b = bookingOn(R)!;
    expect(row(b.id)).toMatchObject({ status: 'booked', channel: 'web' });
    expect((await calendarOf('2026-10-27')).bookings.map((x) => x.id)).toContain(b.id);
    expect((await ok('slots.get', { id: R })).state).toBe('open');
    expect((await onCentral(R)).status).toBe('busy');
    const c = (await openConflicts()).find((x) => x.bookingId === b.id);
    expect(c).toMatchObject({ kind: 'rejected', suggested: [] });
    expect(c!.reason).toMatch(/kunde inte tas bort.*står kvar/);
    expect(audited(R).map((e) => e.op)).toContain('sync.removal_undone');
    await converged();
  });
});

describe("the patient's own changes reach the receptionist's calendar", () => {
  // now = Mon 2026-10-19 09:00. KORT: rebook cut-off 72 h; FAST: not rebookable on the web.
  it.each([
    [
      'inside the 72 h cut-off',
      'KORT',
      '2026-10-22',
      '2026-10-30',
      '08:00',
      true,
      /Ombokning måste göras senast 72 timmar före besöket/,
    ],
    [
      'into a slot not published on the web',
      'LAKBES',
      '2026-11-11',
      '2026-11-12',
      '08:00',
      false,
      /inte publicerad för webbokning/,
    ],
    [
      'of a type the patient may not rebook online',
      'FAST',
      '2026-11-11',
      '2026-11-12',
      '09:00',
      true,
      /får inte ombokas via webben/,
    ],
  ] as const)(
    'a web rebooking %s is rejected and the patient gets the old time back',
    async (_n, code, date, toDate, start, published, reason) => {
      const end = `${start.slice(0, 2)}:30`;
      const from = await slot(date, start, end, [code]);
      const to = await slot(toDate, start, end, [code], published);
      await sync();
      const w = await webBook(web(), await onCentral(from), code, person(150 + Number(start.slice(0, 2))));
      await sync();
      const held = bookingOn(from)!.id;
      await webRebook(
        web(),
        (await web().read<Appointment>('Appointment', w.id!))!,
        await onCentral(from),
        await onCentral(to),
        code,
      );
      await sync();
      const newHalf = bookingOn(to, false)!.id;
      expect(row(newHalf)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'WEB_REJECTED' });
      expect(row(newHalf).cancel_reason_text).toMatch(reason);
      expect(row(held).status).toBe('rebooked');
      // The old time is the patient's again, confirmed by central; the new one is free there.
      const back = bookingOn(from)!;
      expect(row(back.id)).toMatchObject({ status: 'booked', channel: 'web' });
      expect((await onCentral(from)).status).toBe('busy');
      expect((await onCentral(to)).status).toBe('free');
      const c = (await openConflicts()).find((x) => x.bookingId === newHalf)!;
      expect(c).toMatchObject({ kind: 'rejected', suggested: [] }); // the old time is back: nothing to offer
      expect(c.reason).toMatch(/^Ombokningen via webben avvisades: .*Patientens tidigare tid är bokad igen\.$/);
      await converged();
    },
  );

  it('the patient cancels on the web while the desk moves the booking: central wins, and the move is not made', async () => {
    const [A, B] = [
      await slot('2026-11-10', '08:00', '08:30', ['LAKBES']),
      await slot('2026-11-10', '08:30', '09:00', ['LAKBES']),
    ];
    await sync();
    const w = await webBook(web(), await onCentral(A), 'LAKBES', person(130));
    await sync();
    const booked = bookingOn(A)!.id;
    const moved = await ok('bookings.rebook', { id: booked, slotId: B, channel: 'phone' }, ['receptionist']);
    await webCancel(web(), (await web().read<Appointment>('Appointment', w.id!))!, await onCentral(A));
    await sync();
    expect(row(booked)).toMatchObject({ status: 'cancelled', rebooked_to: null });
    expect(row(moved.new.id)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'SYNC_CONFLICT' });
    expect(bookingOn(B)).toBeUndefined();
    expect((await onCentral(B)).status).toBe('free');
    const c = (await openConflicts()).find((x) => x.bookingId === booked)!;
    expect(c.kind).toBe('stale_version');
    expect(c.reason).toBe(
      'Bokningen ändrades centralt (t.ex. av patienten via 1177) samtidigt som här; den centrala ändringen gäller. ' +
        'Centralt: avbokad. Ombokningen som gjordes här blev inte av.',
    );
    await converged();
  });

  it("the desk cancels while the patient rebooks on the web: the patient's rebooking stands", async () => {
    const [C, D] = [
      await slot('2026-11-10', '09:00', '09:30', ['LAKBES']),
      await slot('2026-11-10', '09:30', '10:00', ['LAKBES']),
    ];
    await sync();
    const w = await webBook(web(), await onCentral(C), 'LAKBES', person(131));
    await sync();
    const booked = bookingOn(C)!.id;
    await ok('bookings.cancel', { id: booked, channel: 'phone', reasonText: 'Sjuk' }, ['receptionist']);
    await webRebook(
      web(),
      (await web().read<Appointment>('Appointment', w.id!))!,
      await onCentral(C),
      await onCentral(D),
      'LAKBES',
    );
    await sync();
    const now_ = bookingOn(D)!.id;
    expect(row(booked)).toMatchObject({ status: 'rebooked', rebooked_to: now_ });
    expect(row(now_)).toMatchObject({ status: 'booked', channel: 'web', rebooked_from: booked });
    expect((await openConflicts()).find((x) => x.bookingId === booked)).toMatchObject({
      kind: 'stale_version',
      reason: expect.stringMatching(/Centralt: ombokad\.$/) as unknown,
    });
    await converged();
  });

  it('a web rebooking replaces the Appointment; a cancellation carries its reason code; the freed time is free again', async () => {
    const [X, Y] = [
      await slot('2026-10-28', '08:00', '08:30', ['LAKBES']),
      await slot('2026-10-29', '08:00', '08:30', ['LAKBES']),
    ];
    await sync();
    const first = await webBook(web(), await onCentral(X), 'LAKBES', person(90));
    await sync();
    const moved = await webRebook(
      web(),
      (await web().read<Appointment>('Appointment', first.id!))!,
      await onCentral(X),
      await onCentral(Y),
      'LAKBES',
    );
    await sync();
    const oldId = bookingOn(X, false)!.id;
    const newId = bookingOn(Y)!.id;
    expect(row(oldId)).toMatchObject({ status: 'rebooked', rebooked_to: newId });
    expect(row(newId)).toMatchObject({ status: 'booked', channel: 'web', rebooked_from: oldId });
    expect((await calendarOf('2026-10-28')).bookings.map((b) => b.slotId)).not.toContain(X);
    expect((await calendarOf('2026-10-29')).bookings.map((b) => [b.id, b.patient.identityNumber])).toEqual([
      [newId, patientNumber(90)],
    ]);

    const a = (await web().read<Appointment>('Appointment', moved.id!))!;
    const y = await onCentral(Y);
    await web().transaction([
      {
        resource: {
          ...a,
          status: 'cancelled',
          cancelationReason: { coding: [{ system: 'urn:tidbok:reason', code: 'FORHINDER' }], text: 'Förhinder' },
        },
        request: { method: 'PUT', url: `Appointment/${a.id}`, ifMatch: `W/"${a.meta!.versionId}"` },
      },
      {
        resource: { ...y, status: 'free' },
        request: { method: 'PUT', url: `Slot/${y.id}`, ifMatch: `W/"${y.meta!.versionId}"` },
      },
    ]);
    await sync();
    expect(row(newId)).toMatchObject({ status: 'cancelled', cancel_reason_code: 'FORHINDER', cancel_reason_text: 'Förhinder' });
    expect((await calendarOf('2026-10-29')).bookings).toEqual([]);
    const freeAgain = await ok('slots.findFree', { appointmentTypeId: types.LAKBES!, from: '2026-10-29', to: '2026-10-29' }, [
      'receptionist',
    ]);
    expect(freeAgain.map((f) => f.slotId)).toContain(Y);
    await converged();
  });

  it('a patient with protected identity who booked on the web is marked, and the receptionist sees no name', async () => {
    const Z = await slot('2026-10-28', '13:00', '13:30', ['LAKBES']);
    await sync();
    const p = person(91, { givenName: 'Sara', familyName: 'Skyddad' });
    await web().transaction([
      {
        resource: {
          resourceType: 'Patient',
          meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
          identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: p.identityNumber }],
          name: [{ family: p.familyName, given: [p.givenName] }],
        },
        request: { method: 'POST', url: 'Patient' },
      },
    ]);
    await webBook(web(), await onCentral(Z), 'LAKBES', p);
    await sync();
    const shown = (await calendarOf('2026-10-28')).bookings.find((b) => b.slotId === Z)!;
    expect(shown.patient.protectedIdentity).toBe(true);
    expect(JSON.stringify(shown)).not.toMatch(/Sara|Skyddad/);
    // Rejected (a desk-only type), the patient is in Konflikter without where and when.
    const T = await slot('2026-10-28', '14:00', '14:30', ['TELE']);
    await sync();
    await webBook(web(), await onCentral(T), 'TELE', p);
    await sync();
    const c = (await openConflicts()).find((x) => x.bookingId === bookingOn(T, false)!.id)!;
    expect(c).toMatchObject({ kind: 'rejected', startAt: null, resourceName: null, patient: { protectedIdentity: true } });
    await converged();
  });
});

describe('times across the clock changes round-trip through FHIR unchanged', () => {
  // [date, wall-clock start, the instant on the wire, the web cancel deadline: 24 real hours before]
  const cases: [string, string, string, string][] = [
    ['2026-10-24', '08:00', '2026-10-24T08:00:00+02:00', '2026-10-23T08:00:00+02:00'],
    ['2026-10-25', '08:00', '2026-10-25T08:00:00+01:00', '2026-10-24T09:00:00+02:00'],
    ['2026-10-25', '23:00', '2026-10-25T23:00:00+01:00', '2026-10-25T00:00:00+02:00'],
    ['2027-03-27', '08:00', '2027-03-27T08:00:00+01:00', '2027-03-26T08:00:00+01:00'],
    ['2027-03-28', '08:00', '2027-03-28T08:00:00+02:00', '2027-03-27T07:00:00+01:00'],
    ['2027-03-28', '00:30', '2027-03-28T00:30:00+01:00', '2027-03-27T00:30:00+01:00'],
  ];
  it.each(cases)('%s %s is %s on central, in the web booking and back in the calendar', async (date, start, wire, deadline) => {
    const [h, m] = start.split(':').map(Number) as [number, number];
    const endMin = h * 60 + m + 30;
    const end = `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
    const S = await slot(date, start, end, ['LAKBES']);
    await sync();
    const s = await onCentral(S);
    expect(s.start).toBe(wire);
    expect(Date.parse(s.end) - Date.parse(s.start)).toBe(30 * 60_000);
    const a = await webBook(web(), s, 'LAKBES', person(100 + cases.findIndex((c) => c[2] === wire)));
    expect(a.start).toBe(wire);
    await sync();
    const b = (await calendarOf(date)).bookings.find((x) => x.slotId === S)!;
    expect(b.startAt).toBe(Date.parse(wire));
    expect(b.endAt - b.startAt).toBe(30 * 60_000);
    // The patient's own cancel deadline, as the desk sees it for the pulled web booking.
    const may = await ok('bookings.onlinePermissions', { id: b.id }, ['receptionist']);
    expect(may.cancel).toMatchObject({ allowed: true, deadline: Date.parse(deadline) });
  });
});

describe('identity numbers another system wrote on central', () => {
  const pnr = (birth: string, serial: number, samordning = false) => makeIdentityNumber(birth, serial, samordning);
  const dashed12 = (n: string) => `${n.slice(0, 8)}-${n.slice(8)}`;
  const short = (n: string, sep = '-') => `${n.slice(2, 8)}${sep}${n.slice(8)}`;
  const badSum = (n: string) => n.slice(0, 11) + String((Number(n[11]) + 1) % 10);
  // [case, identifier system, value on central, stored number, kind] (today 2026-10-19)
  const P = 'urn:oid:1.2.752.129.2.1.3.1';
  const S = 'urn:oid:1.2.752.129.2.1.3.3';
  const cases: [string, string, string, string, string][] = [
    ['12 digits with a dash', P, dashed12(pnr('1972-04-10', 981)), pnr('1972-04-10', 981), 'personnummer'],
    ['10 digits with a dash', P, short(pnr('1973-05-11', 982)), pnr('1973-05-11', 982), 'personnummer'],
    ['10 digits, born 2015', P, short(pnr('2015-01-31', 983)), pnr('2015-01-31', 983), 'personnummer'],
    ["10 digits with '+', 100 years or older", P, short(pnr('1924-02-29', 984), '+'), pnr('1924-02-29', 984), 'personnummer'],
    [
      'a samordningsnummer under the personnummer system',
      P,
      pnr('1985-06-07', 985, true),
      pnr('1985-06-07', 985, true),
      'samordningsnummer',
    ],
    ['a samordningsnummer, 10 digits', S, short(pnr('1990-12-31', 986, true)), pnr('1990-12-31', 986, true), 'samordningsnummer'],
    [
      'a wrong check digit: kept, as a reserve number',
      P,
      badSum(pnr('1974-06-12', 987)),
      badSum(pnr('1974-06-12', 987)),
      'reserve',
    ],
  ];

  it('are stored normalised to 12 digits, and their web bookings reach the desk (sync is not stopped by one)', async () => {
    const slots: string[] = [];
    for (const i of cases.keys()) slots.push(await slot('2026-11-05', `${10 + i}:00`, `${10 + i}:30`, ['LAKBES']));
    await sync();
    for (const [i, [, system, value]] of cases.entries()) {
      const s = await onCentral(slots[i]!);
      await web().transaction([
        {
          fullUrl: 'urn:uuid:3f0c2a5e-0000-4000-8000-0000000000a1',
          resource: { resourceType: 'Patient', identifier: [{ system, value }], name: [{ family: 'Form', given: [String(i)] }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'Appointment',
            meta: { tag: unitTagsOf(s) },
            status: 'booked',
            serviceType: [{ coding: [{ system: 'urn:tidbok:appointment-type', code: 'LAKBES' }] }],
            slot: [{ reference: `Slot/${s.id}` }],
            start: s.start,
            end: s.end,
            created: new Date(now).toISOString(),
            participant: [{ actor: { reference: 'urn:uuid:3f0c2a5e-0000-4000-8000-0000000000a1' }, status: 'accepted' }],
          },
          request: { method: 'POST', url: 'Appointment' },
        },
        {
          resource: { ...s, status: 'busy' },
          request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: `W/"${s.meta!.versionId}"` },
        },
      ]);
    }
    await sync();
    const stored = slots.map(
      (id) =>
        ctx.db
          .prepare(
            `SELECT p.identity_number AS n, p.identity_kind AS kind, b.status FROM bookings b JOIN patients p ON p.id = b.patient_id WHERE b.slot_id = ?`,
          )
          .get(id) as { n: string; kind: string; status: string } | undefined,
    );
    expect(stored).toEqual(cases.map(([, , , n, kind]) => ({ n, kind, status: 'booked' })));
  });

  it('a web booking by a patient with no number the unit can read is not dropped silently: Konflikter names the time', async () => {
    const X = await slot('2026-11-05', '18:00', '18:30', ['LAKBES']);
    await sync();
    const s = await onCentral(X);
    const regional = { system: 'urn:oid:1.2.752.97.3.1.3', value: 'RES-0042-XY' }; // a region's own reserve numbers
    await web().transaction([
      {
        fullUrl: 'urn:uuid:3f0c2a5e-0000-4000-8000-0000000000b1',
        resource: { resourceType: 'Patient', identifier: [regional], name: [{ family: 'Okänd', given: ['Ingen'] }] },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        resource: {
          resourceType: 'Appointment',
          meta: { tag: unitTagsOf(s) },
          status: 'booked',
          serviceType: [{ coding: [{ system: 'urn:tidbok:appointment-type', code: 'LAKBES' }] }],
          slot: [{ reference: `Slot/${s.id}` }],
          start: s.start,
          end: s.end,
          created: new Date(now).toISOString(),
          participant: [{ actor: { reference: 'urn:uuid:3f0c2a5e-0000-4000-8000-0000000000b1' }, status: 'accepted' }],
        },
        request: { method: 'POST', url: 'Appointment' },
      },
      {
        resource: { ...s, status: 'busy' },
        request: { method: 'PUT', url: `Slot/${s.id}`, ifMatch: `W/"${s.meta!.versionId}"` },
      },
    ]);
    await sync();
    await sync(); // seen again: still one entry
    const about = (await openConflicts()).filter((c) => c.reason.includes('2026-11-05 kl. 18:00'));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatchObject({ kind: 'rejected', patient: null });
    expect(about[0]!.reason).toBe(
      'Tiden 2026-11-05 kl. 18:00 hos Anna Lindqvist är bokad i den centrala tidboken av en patient utan personnummer, ' +
        'samordningsnummer eller reservnummer som går att läsa; bokningen kunde inte läggas in här. Kontrollera den i den centrala tidboken.',
    );
  });

  it('a patient the desk knows, written in another form on central, stays one patient', async () => {
    const known = patientNumber(3); // unit.patientIds[3]
    const X = await slot('2026-11-05', '17:00', '17:30', ['LAKBES']);
    await sync();
    await webBook(web(), await onCentral(X), 'LAKBES', {
      identityNumber: short(known),
      givenName: 'Testa3',
      familyName: 'Patientsson',
    });
    await sync();
    const b = ctx.db.prepare(`SELECT patient_id FROM bookings WHERE slot_id = ?`).get(X) as { patient_id: string };
    expect(b.patient_id).toBe(unit.patientIds[3]);
    expect(ctx.db.prepare(`SELECT count(*) AS n FROM patients WHERE identity_number = ?`).get(known)).toEqual({ n: 1 });
  });
});
