// Appointment types reach every desk of the unit: a scheduler's type (or change of its rules) on
// desk A is pulled by desk B from central's HealthcareService feed, and B books and cancels by it.
// Two desk databases in a temp dir and the real stand-in central over HTTP; every change through
// the api as staff make it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthcareService } from '@medplum/fhirtypes';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { InputOf, MethodName, ResultOf } from '../../../src-main/api/contract.ts';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import type { ChangeEvent } from '../../../src-main/api/types.ts';
import type { ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ID_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { pullChanges } from '../../../src-main/sync/pull.ts';
import { testCaller } from '../../helpers/temp-db.ts';
import {
  api,
  configureCentral,
  openLocal,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
  deskCopiedFrom,
} from './helpers.ts';
import { valueOf } from '../../helpers/results.ts';

let central: Central;
let a: ServiceContext; // the scheduler's desk
let b: ServiceContext; // a reception desk of the same unit
let unit: SmallUnit;

const staff = testCaller(['receptionist', 'scheduler']);
async function call<M extends MethodName>(ctx: ServiceContext, method: M, input: InputOf<M>) {
  return dispatch({ ctx, caller: staff, shell: 'web' }, method, input);
}
async function ok<M extends MethodName>(ctx: ServiceContext, method: M, input: InputOf<M>): Promise<ResultOf<M>> {
  return valueOf<ResultOf<M>>(method, await call(ctx, method, input));
}
async function sync(ctx: ServiceContext) {
  const r = await new SyncEngine(ctx, api(central.url)).settle();
  expect(r.error).toBeNull();
  return r;
}
/** A row's version counts one desk's own writes (edit forms' expectedVersion): desks compare the rest. */
const withoutVersion = <T extends { version: number }>(x: T | undefined): Omit<T, 'version'> | undefined => {
  if (!x) return x;
  const { version: _version, ...rest } = x;
  return rest;
};
const typeOf = async (ctx: ServiceContext, id: string) => withoutVersion(await ok(ctx, 'appointmentTypes.get', { id }));
const typeRows = (ctx: ServiceContext) => ctx.db.prepare(`SELECT id, code FROM appointment_types ORDER BY code`).all();
/** What sync wrote on the access log about a type (workstation 'sync'). */
const typeAudits = (ctx: ServiceContext, id: string) =>
  (
    ctx.db
      .prepare(`SELECT workstation, detail FROM audit_events WHERE entity = 'appointment_type' AND entity_id = ? ORDER BY seq`)
      .all(id) as { workstation: string; detail: string }[]
  ).map((e) => ({ workstation: e.workstation, ...(JSON.parse(e.detail) as { op: string } & Record<string, unknown>) }));
/** The change events a sync round emits, so an open renderer refetches. */
function recordEvents(ctx: ServiceContext): { events: ChangeEvent[]; stop: () => void } {
  const events: ChangeEvent[] = [];
  return { events, stop: ctx.events.subscribe((e) => events.push(e)) };
}
const centralService = async (typeId: string) =>
  (await api(central.url).byIdentifier<HealthcareService>('HealthcareService', ID_SYSTEM, typeId))!;

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a');
  // Slots 2 days ahead and later, 08:00–: more than 24 h away, less than 72 h for the first day.
  unit = seedSmallUnit(a, { slots: 6, patients: 4 });
  configureCentral(a, central.url);
  await sync(a);
  // Desk B starts from the unit's database as installed (a copy after the first sync).
  b = deskCopiedFrom(a, dir, 'b');
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

describe('appointment types made or changed on one desk reach the others', () => {
  let halso: string;
  let hembesok: string;

  it("a new type and a changed cut-off and web flag are on desk B after one round, and B's booking rules follow them", async () => {
    const created = await ok(a, 'appointmentTypes.create', {
      code: 'HALSO',
      nameSv: 'Hälsosamtal',
      nameEn: 'Health talk',
      durationMin: 30,
      contactModes: ['physical', 'video'],
      professions: ['lakare', 'sjukskoterska'],
      webBookable: true,
      webCancellable: true,
      webRebookable: false,
      cancelCutoffH: 48,
      rebookCutoffH: 12,
      reasonNew: 'unsupported',
      reasonCancel: 'mandatory',
      reasonRebook: 'optional',
      reasonCodes: [{ code: 'SJUK', textSv: 'Sjukdom', textEn: 'Illness' }],
      bookMinLeadH: 2,
      bookMaxDays: 60,
      colour: '#aa3355',
    });
    halso = created.id;
    // The scheduler raises the cancel cut-off of Läkarbesök from 24 to 72 h and takes it off the web.
    await ok(a, 'appointmentTypes.update', { id: unit.typeIds.lakbes, cancelCutoffH: 72, webBookable: false });
    await sync(a);

    const seen = recordEvents(b);
    await sync(b);
    seen.stop();

    // The same type under the same id, every field as the scheduler set it.
    expect(await typeOf(b, halso)).toEqual(await typeOf(a, halso));
    expect(await typeOf(b, unit.typeIds.lakbes)).toMatchObject({ cancelCutoffH: 72, webBookable: false, code: 'LAKBES' });
    expect(await typeOf(b, unit.typeIds.lakbes)).toEqual(await typeOf(a, unit.typeIds.lakbes));
    expect(typeRows(b)).toEqual(typeRows(a));
    // An open renderer on B is told (and refetches), and the access log says sync changed them.
    expect(seen.events.some((e) => e.entities.includes('appointment_type') && e.ids.includes(halso))).toBe(true);
    expect(seen.events.some((e) => e.entities.includes('appointment_type') && e.ids.includes(unit.typeIds.lakbes))).toBe(true);
    expect(typeAudits(b, halso)).toEqual([
      expect.objectContaining({ workstation: 'sync', op: 'sync.type_added', code: 'HALSO' }),
    ]);
    expect(typeAudits(b, unit.typeIds.lakbes)).toEqual([
      expect.objectContaining({
        workstation: 'sync',
        op: 'sync.type_changed',
        changed: expect.arrayContaining(['cancel_cutoff_h', 'web_bookable']) as unknown,
      }),
    ]);

    // B books the first slot (2 days ahead: past a 72 h cut-off, not a 24 h one) and its cancellation
    // is judged by A's new cut-off: refused without a logged override.
    const booking = await ok(b, 'bookings.book', {
      slotId: unit.slotIds[0]!,
      patientId: unit.patientIds[0]!,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'desk',
      note: '',
    });
    const refused = await call(b, 'bookings.cancel', { id: booking.id, channel: 'desk' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.details).toMatchObject({ rule: 'cutoff_passed' });
    // Off the web on B as on A: the web's free-slot search no longer offers Läkarbesök.
    expect(await ok(b, 'slots.findFree', { appointmentTypeId: unit.typeIds.lakbes, webOnly: true })).toEqual([]);
    await sync(b);
    await sync(a);
    expect(pendingOutbox(a)).toBe(0);
    expect(pendingOutbox(b)).toBe(0);
  });

  it('a slot offering a type made on desk A is mapped on B once the type is pulled with it', async () => {
    const created = await ok(a, 'appointmentTypes.create', {
      code: 'HEMBES',
      nameSv: 'Hembesök',
      nameEn: 'Home visit',
      durationMin: 60,
      contactModes: ['physical'],
      webBookable: false,
    });
    hembesok = created.id;
    const tomorrowish = new Date(a.now() + 4 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const slot = await ok(a, 'slots.create', {
      resourceId: unit.resourceIds[0]!,
      date: tomorrowish,
      startTime: '13:00',
      endTime: '14:00',
      appointmentTypeIds: [hembesok],
      webPublished: false,
      withinCareGuarantee: true,
    });
    await sync(a);
    await sync(b);

    expect(await ok(b, 'slots.get', { id: slot.id })).toMatchObject({
      appointmentTypeIds: [hembesok],
      startAt: slot.startAt,
      state: 'open',
    });
    const free = await ok(b, 'slots.findFree', { appointmentTypeId: hembesok });
    expect(free.map((s) => s.slotId)).toEqual([slot.id]);
  });

  it('a type changed on B while offline is not overwritten by the older change from A: the change that reaches central last wins, whole', async () => {
    // A changes Telefontid and syncs: central has A's version.
    await ok(a, 'appointmentTypes.update', { id: unit.typeIds.tele, rebookCutoffH: 12, colour: '#117733' });
    await sync(a);
    // B, offline, changes the same type: its change waits in B's outbox.
    await ok(b, 'appointmentTypes.update', { id: unit.typeIds.tele, nameSv: 'Telefonsamtal', rebookCutoffH: 36 });
    expect(pendingOutbox(b)).toBeGreaterThan(0);

    // B reads central's feed before its own change is sent: A's older version does not overwrite it.
    await pullChanges(b, api(central.url), { feeds: ['HealthcareService'] });
    expect(await typeOf(b, unit.typeIds.tele)).toMatchObject({ nameSv: 'Telefonsamtal', rebookCutoffH: 36, colour: '#4a78b5' });

    // Back online, B's change goes to central on A's version (the unit owns its types, as its
    // schedule): B's row replaces A's there, and A pulls it. Both desks and central agree.
    await sync(b);
    await sync(a);
    const onB = await typeOf(b, unit.typeIds.tele);
    expect(onB).toMatchObject({ nameSv: 'Telefonsamtal', rebookCutoffH: 36, colour: '#4a78b5' });
    expect(await typeOf(a, unit.typeIds.tele)).toEqual(onB);
    expect((await centralService(unit.typeIds.tele)).name).toBe('Telefonsamtal');
    expect(pendingOutbox(a)).toBe(0);
    expect(pendingOutbox(b)).toBe(0);
  });

  it('a type deactivated on A is deactivated on B, never deleted: its booking stays, a new one is refused', async () => {
    const slotId = (await ok(b, 'slots.findFree', { appointmentTypeId: hembesok }))[0]!.slotId;
    const booking = await ok(b, 'bookings.book', {
      slotId,
      patientId: unit.patientIds[2]!,
      appointmentTypeId: hembesok,
      channel: 'desk',
      note: '',
    });
    await sync(b);
    await ok(a, 'appointmentTypes.setActive', { id: hembesok, active: false });
    await sync(a);
    await sync(b);

    expect(await typeOf(b, hembesok)).toEqual(await typeOf(a, hembesok));
    expect(await typeOf(b, hembesok)).toMatchObject({ active: false, code: 'HEMBES' });
    expect(await ok(b, 'bookings.get', { id: booking.id })).toMatchObject({
      status: 'booked',
      appointmentType: { active: false },
    });
    const refused = await call(b, 'bookings.book', {
      slotId: unit.slotIds[1]!,
      patientId: unit.patientIds[3]!,
      appointmentTypeId: hembesok,
      channel: 'desk',
      note: '',
    });
    expect(!refused.ok && refused.error.details).toMatchObject({ rule: 'type_inactive' });
    expect(typeAudits(b, hembesok).map((e) => [e.workstation, e.op])).toEqual([
      ['sync', 'sync.type_added'],
      ['sync', 'sync.type_changed'],
    ]);
  });
});

describe('a type deleted on the desk that made it (never used)', () => {
  it('is not brought back there by the pull, and is inactive on the other desks', async () => {
    const t = await ok(a, 'appointmentTypes.create', {
      code: 'RADERAS',
      nameSv: 'Felregistrerad typ',
      nameEn: 'Mistyped type',
      durationMin: 30,
      contactModes: ['phone'],
    });
    await sync(a);
    await sync(b);
    expect(await typeOf(b, t.id)).toMatchObject({ active: true });
    await ok(a, 'appointmentTypes.delete', { id: t.id });
    await sync(a);
    await sync(b);
    await sync(a);
    expect((await call(a, 'appointmentTypes.get', { id: t.id })).ok).toBe(false);
    expect((await centralService(t.id)).active).toBe(false);
    expect(await typeOf(b, t.id)).toMatchObject({ active: false, code: 'RADERAS' });
    expect(a.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state <> 'done'`).get()).toEqual({ n: 0 });
  });
});

describe('clinicians and rooms added or changed on one desk reach the others', () => {
  let doctor: string;
  let ekg: string;
  const inDays = (n: number) => new Date(a.now() + n * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  const resourceOf = async (ctx: ServiceContext, id: string) =>
    withoutVersion((await ok(ctx, 'resources.list', { includeInactive: true })).find((r) => r.id === id));

  it("a new clinician, its slot and a booking of it reach B, also when B's Slot feed passed them before the clinician was known", async () => {
    doctor = (
      await ok(a, 'resources.create', {
        kind: 'clinician',
        name: 'Karin Berg',
        profession: 'lakare',
        title: 'ST-läkare',
        hsaId: 'SE2321000016-9KB1',
      })
    ).id;
    ekg = (
      await ok(a, 'resources.create', { kind: 'equipment', name: 'EKG-apparat', profession: null, title: null, hsaId: null })
    ).id;
    const slot = await ok(a, 'slots.create', {
      resourceId: doctor,
      date: inDays(5),
      startTime: '09:00',
      endTime: '09:30',
      appointmentTypeIds: [unit.typeIds.lakbes],
      webPublished: false,
      withinCareGuarantee: true,
    });
    const booking = await ok(a, 'bookings.book', {
      slotId: slot.id,
      patientId: unit.patientIds[3]!,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'desk',
      note: '',
    });
    await sync(a);
    // A round of B that read the resource feeds just before A's push and the Slot and Appointment
    // feeds just after: their cursors pass the new clinician's slot and booking.
    await pullChanges(b, api(central.url), { feeds: ['Slot', 'Appointment'] });
    expect((await call(b, 'slots.get', { id: slot.id })).ok).toBe(false);

    const seen = recordEvents(b);
    await sync(b);
    seen.stop();
    expect(await resourceOf(b, doctor)).toEqual(await resourceOf(a, doctor));
    expect(await resourceOf(b, doctor)).toMatchObject({
      kind: 'clinician',
      name: 'Karin Berg',
      profession: 'lakare',
      title: 'ST-läkare',
    });
    expect(await resourceOf(b, ekg)).toEqual(await resourceOf(a, ekg));
    expect(await resourceOf(b, ekg)).toMatchObject({ kind: 'equipment', name: 'EKG-apparat', active: true });
    expect(await ok(b, 'slots.get', { id: slot.id })).toEqual(await ok(a, 'slots.get', { id: slot.id }));
    expect(await ok(b, 'bookings.get', { id: booking.id })).toMatchObject({
      status: 'booked',
      slotId: slot.id,
      patient: { id: unit.patientIds[3] },
    });
    expect(seen.events.some((e) => e.entities.includes('resource') && e.ids.includes(doctor))).toBe(true);
    expect(
      b.db.prepare(`SELECT workstation, json_extract(detail, '$.op') AS op FROM audit_events WHERE entity_id = ?`).all(doctor),
    ).toEqual([{ workstation: 'sync', op: 'sync.resource_added' }]);
    // Nothing pulled goes back out, and no catch-up is left waiting.
    expect(pendingOutbox(b)).toBe(0);
    expect(b.db.prepare(`SELECT count(*) AS n FROM sync_state WHERE feed LIKE 'schedule-catch-up:%'`).get()).toEqual({ n: 0 });
  });

  it("a rename and a deactivation on A follow on B; B's own rename still waiting to be sent is not overwritten, and wins", async () => {
    await ok(a, 'resources.update', { id: doctor, name: 'Karin Berg Lund', title: 'Specialistläkare' });
    await ok(a, 'resources.setActive', { id: ekg, active: false });
    await ok(a, 'resources.update', { id: unit.resourceIds[1]!, name: 'Provtagning A' });
    await sync(a);
    // B, offline, renames the same room: its change waits in the outbox.
    await ok(b, 'resources.update', { id: unit.resourceIds[1]!, name: 'Provtagning B' });

    await pullChanges(b, api(central.url), { feeds: ['PractitionerRole', 'Location'] });
    expect(await resourceOf(b, doctor)).toMatchObject({ name: 'Karin Berg Lund', title: 'Specialistläkare', active: true });
    expect(await resourceOf(b, ekg)).toMatchObject({ name: 'EKG-apparat', active: false });
    expect(await resourceOf(b, unit.resourceIds[1]!)).toMatchObject({ name: 'Provtagning B' });

    await sync(b);
    await sync(a);
    for (const id of [doctor, ekg, unit.resourceIds[1]!]) expect(await resourceOf(b, id)).toEqual(await resourceOf(a, id));
    expect(await resourceOf(a, unit.resourceIds[1]!)).toMatchObject({ name: 'Provtagning B' });
    expect(pendingOutbox(a)).toBe(0);
    expect(pendingOutbox(b)).toBe(0);
  });
});
