// A patient edited at one desk reaches the unit's other desks (two desk files, the real stand-in
// central over HTTP): contact details, names, the identity number (reserve number → personnummer,
// bookings kept) and protected identity; a desk's own unsent edit of the same patient is merged
// field by field, not lost; pulling is not a staff read; a number another patient holds here
// never stops the desk's pull.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BundleEntry, Patient, Slot } from '@medplum/fhirtypes';
import { startCentral, type Central } from '../../../src-main/demo/central/server.ts';
import { webBook } from '../../../src-main/demo/central/web-patient.ts';
import { bookSlot, getBookingDetail } from '../../../src-main/services/bookings.ts';
import { createPatient, getPatient, searchPatients, updatePatient } from '../../../src-main/services/patients.ts';
import { deskBookingStatus } from '../../../src-main/services/sync-claims.ts';
import type { Caller, ServiceContext } from '../../../src-main/services/context.ts';
import { SyncEngine } from '../../../src-main/sync/engine.ts';
import { ifMatch } from '../../../src-main/sync/central-api.ts';
import { ID_SYSTEM, localIdForRemote, patientFields, PERSONNUMMER_SYSTEM } from '../../../src-main/sync/fhir/mapping.ts';
import { subscriptionCriteria } from '../../../src-main/sync/notifications.ts';
import { listConflicts, resolveConflict } from '../../../src-main/sync/conflicts.ts';
import {
  api,
  configureCentral,
  desk,
  deskCopiedFrom,
  openLocal,
  patientNumber,
  pendingOutbox,
  seedSmallUnit,
  tempDir,
  type SmallUnit,
} from './helpers.ts';

let central: Central;
let a: ServiceContext;
let b: ServiceContext;
let unit: SmallUnit;

const WAIT = { timeout: 15_000, interval: 50 };
const scheduler: Caller = { ...desk, username: 'planerare', roles: ['scheduler'], workstation: 'plan-1' };

beforeAll(async () => {
  central = await startCentral({});
  const dir = tempDir();
  a = openLocal(dir, 'a');
  unit = seedSmallUnit(a, { slots: 8, patients: 8 });
  configureCentral(a, central.url);
  await sync(a);
  b = deskCopiedFrom(a, dir, 'b');
  await sync(b);
});

afterAll(async () => {
  a.db.close();
  b.db.close();
  await central.close();
});

async function sync(ctx: ServiceContext): Promise<void> {
  const r = await new SyncEngine(ctx, api(central.url)).settle();
  expect(r.error ?? null).toBeNull();
}

type Row = Record<string, unknown>;
const row = (ctx: ServiceContext, id: string) => ctx.db.prepare(`SELECT * FROM patients WHERE id = ?`).get(id) as Row;
const contact = (ctx: ServiceContext, id: string) => {
  const r = row(ctx, id);
  return {
    number: r['identity_number'],
    kind: r['identity_kind'],
    given: r['given_name'],
    family: r['family_name'],
    phone: r['phone'],
    email: r['email'],
    address: r['address'],
    protected: r['protected_identity'],
  };
};
const reads = (ctx: ServiceContext) =>
  (ctx.db.prepare(`SELECT count(*) AS n FROM audit_events WHERE action = 'read'`).get() as { n: number }).n;
const centralPatient = async (ctx: ServiceContext, id: string) =>
  (await api(central.url).read<Patient>('Patient', row(ctx, id)['remote_id'] as string))!;

describe("a patient's changes reach the unit's other desks", () => {
  it('contact details and names edited at desk A are at desk B after its next pull, with no access-log read', async () => {
    const p = unit.patientIds[0]!;
    updatePatient(a, desk, {
      id: p,
      givenName: 'Maria',
      phone: '070-111 22 33',
      email: 'maria@example.se',
      address: 'Storgatan 1, 123 45 Ort',
    });
    await sync(a);
    const readsBefore = reads(b);
    await sync(b);
    expect(contact(b, p)).toEqual(contact(a, p));
    expect(contact(b, p)).toMatchObject({ given: 'Maria', phone: '070-111 22 33', email: 'maria@example.se' });
    expect(contact(b, p).address).toBe('Storgatan 1, 123 45 Ort');
    // Central carries them too (e-mail and address were never sent before).
    const f = patientFields(await centralPatient(a, p));
    expect(f).toMatchObject({ givenName: 'Maria', email: 'maria@example.se', address: 'Storgatan 1, 123 45 Ort' });
    // Pulling is not a staff read: the access log of desk B got no read.
    expect(reads(b)).toBe(readsBefore);
    // Applying the same pull again changes nothing.
    const version = row(b, p)['version'];
    await sync(b);
    expect(row(b, p)['version']).toBe(version);
  });

  it("a reserve number replaced by the personnummer at desk A changes desk B's row and keeps her bookings there", async () => {
    const reserve = createPatient(a, desk, {
      identityNumber: 'RES-20261122-07',
      reserve: true,
      givenName: 'Okänd',
      familyName: 'Kvinna',
    });
    const booking = bookSlot(a, desk, {
      slotId: unit.slotIds[0]!,
      patientId: reserve.id,
      appointmentTypeId: unit.typeIds.lakbes,
      channel: 'desk',
      note: '',
      status: deskBookingStatus(a),
    });
    await sync(a);
    await sync(b);
    expect(row(b, reserve.id)['identity_kind']).toBe('reserve');

    const personnummer = patientNumber(41);
    updatePatient(a, desk, { id: reserve.id, identityNumber: personnummer, givenName: 'Eva', familyName: 'Ek' });
    await sync(a);
    await sync(b);
    expect(contact(b, reserve.id)).toMatchObject({ number: personnummer, kind: 'personnummer', given: 'Eva', family: 'Ek' });
    expect(getBookingDetail(b, desk, { id: booking.id }).patient).toMatchObject({
      id: reserve.id,
      identityNumber: personnummer,
      displayName: 'Eva Ek',
    });
    expect(searchPatients(b, desk, { query: personnummer }).map((x) => x.id)).toEqual([reserve.id]);
    expect(searchPatients(b, desk, { query: 'RES-20261122-07' })).toEqual([]);
  });

  it('a patient registered at desk A, with no booking yet, is found at desk B (no second registration of her)', async () => {
    const number = patientNumber(44);
    const p = createPatient(a, desk, { identityNumber: number, givenName: 'Ny', familyName: 'Patient', phone: '070-999 00 11' });
    await sync(a);
    const readsBefore = reads(b);
    await sync(b);
    expect(reads(b)).toBe(readsBefore);
    expect(contact(b, p.id)).toMatchObject({ number, given: 'Ny', phone: '070-999 00 11' });
    expect(() => createPatient(b, desk, { identityNumber: number, givenName: 'Ny', familyName: 'Patient' })).toThrow(
      'Det finns redan en patient med det personnumret.',
    );
  });

  it('protected identity set at desk A hides her contact details at desk B from roles that do not need them', async () => {
    const p = unit.patientIds[1]!;
    updatePatient(a, desk, { id: p, phone: '070-222 33 44' });
    await sync(a);
    await sync(b);
    expect(getPatient(b, scheduler, { id: p }).phone).toBe('070-222 33 44');

    updatePatient(a, desk, { id: p, protectedIdentity: true });
    await sync(a);
    await sync(b);
    expect(row(b, p)['protected_identity']).toBe(1);
    const seen = getPatient(b, scheduler, { id: p });
    expect(seen).toMatchObject({ protectedIdentity: true, phone: null, contactMasked: true });
    // The desk keeps the number (it needs it) and central still has it.
    expect(row(b, p)['phone']).toBe('070-222 33 44');

    // Lifted at desk A (central keeps no old security label): shown again at desk B.
    updatePatient(a, desk, { id: p, protectedIdentity: false });
    await sync(a);
    await sync(b);
    expect(getPatient(b, scheduler, { id: p })).toMatchObject({ protectedIdentity: false, phone: '070-222 33 44' });
  });

  it("desk B's own unsent edit of another field is merged with desk A's, not lost or overwriting", async () => {
    const p = unit.patientIds[2]!;
    updatePatient(a, desk, { id: p, phone: '070-333 44 55' });
    await sync(a);
    // Desk B edits the address before it has pulled desk A's phone.
    updatePatient(b, desk, { id: p, address: 'Lillgatan 2, 123 45 Ort' });
    await sync(b);
    await sync(a);
    for (const ctx of [a, b]) {
      expect(contact(ctx, p)).toMatchObject({ phone: '070-333 44 55', address: 'Lillgatan 2, 123 45 Ort' });
      expect(pendingOutbox(ctx)).toBe(0);
    }
    const f = patientFields(await centralPatient(a, p));
    expect(f).toMatchObject({ phone: '070-333 44 55', address: 'Lillgatan 2, 123 45 Ort' });
  });

  it("the same field edited at both desks: central's (the first to reach it) stands everywhere; desk B's value is in Konflikter and its access log", async () => {
    const p = unit.patientIds[3]!;
    updatePatient(a, desk, { id: p, phone: '070-444 00 01' });
    await sync(a);
    updatePatient(b, desk, { id: p, phone: '070-444 00 02', email: 'b@example.se' });
    await sync(b);
    await sync(a);
    for (const ctx of [a, b]) expect(contact(ctx, p)).toMatchObject({ phone: '070-444 00 01', email: 'b@example.se' });
    const merged = b.db
      .prepare(`SELECT detail FROM audit_events WHERE patient_id = ? AND action = 'change' AND workstation = 'sync'`)
      .all(p) as { detail: string }[];
    const detail = merged.map((m) => JSON.parse(m.detail) as { op?: string; notKept?: Record<string, unknown> });
    expect(detail).toContainEqual(expect.objectContaining({ op: 'merge', notKept: { phone: '070-444 00 02' } }));
    // Konflikter at desk B names both numbers, so the desk can ask her which is right; desk A has none.
    const [c] = listConflicts(b, desk, {}).filter((x) => x.patient?.id === p);
    expect(c).toMatchObject({ kind: 'stale_version', bookingId: null, startAt: null, suggested: [] });
    expect(c!.reason).toBe(
      'Patientens uppgifter ändrades samtidigt vid en annan kassa; den ändring som nådde den centrala tidboken först gäller. ' +
        'Kontrollera med patienten (telefon: här ”070-444 00 02”, gäller ”070-444 00 01”).',
    );
    expect(listConflicts(a, desk, {}).filter((x) => x.patient?.id === p)).toEqual([]);
    resolveConflict(b, desk, { id: c!.id, action: 'dismiss' });
    expect(listConflicts(b, desk, {}).filter((x) => x.patient?.id === p)).toEqual([]);
  });

  it('a web patient desk B got from central, edited at desk A, reaches desk B', async () => {
    const web = api(central.url);
    const slot = (await web.byIdentifier<Slot>('Slot', ID_SYSTEM, unit.slotIds[3]!))!;
    const appt = await webBook(web, slot, 'LAKBES', {
      identityNumber: patientNumber(42),
      givenName: 'Webb',
      familyName: 'Patient',
    });
    await sync(a);
    await sync(b);
    const remote = appt.participant.find((x) => x.actor?.reference?.startsWith('Patient/'))!.actor!.reference!.split('/')[1]!;
    const id = localIdForRemote('Patient', remote);
    expect(row(b, id)['given_name']).toBe('Webb');
    // 1177 (or the population register) changes her at central: both desks hear it.
    const now = (await web.read<Patient>('Patient', remote))!;
    await web.transaction([
      {
        resource: { ...now, telecom: [{ system: 'email', value: 'webb@example.se' }] },
        request: { method: 'PUT', url: `Patient/${remote}`, ifMatch: ifMatch(now.meta!.versionId!) },
      },
    ]);
    await sync(a);
    await sync(b);
    for (const ctx of [a, b]) expect(row(ctx, id)['email']).toBe('webb@example.se');
    updatePatient(a, desk, { id, phone: '070-555 66 77' });
    await sync(a);
    await sync(b);
    expect(row(b, id)['phone']).toBe('070-555 66 77');
  });

  it("a number another patient holds at desk B does not stop desk B's pull; the rest of the change is applied", async () => {
    const p = unit.patientIds[4]!;
    const other = unit.patientIds[5]!;
    const taken = row(b, other)['identity_number'] as string;
    // Another system writes p with the number of another patient (central does not refuse it).
    const c = api(central.url);
    const now = await centralPatient(b, p);
    const entry: BundleEntry = {
      resource: {
        ...now,
        identifier: [
          ...(now.identifier ?? []).filter((i) => i.system === ID_SYSTEM),
          { system: PERSONNUMMER_SYSTEM, value: taken },
        ],
        name: [{ given: ['Klas'], family: 'Krock' }],
      },
      request: { method: 'PUT', url: `Patient/${now.id}`, ifMatch: ifMatch(now.meta!.versionId!) },
    };
    await c.transaction([entry]);
    const before = row(b, p)['identity_number'];
    await sync(b);
    expect(contact(b, p)).toMatchObject({ number: before, given: 'Klas', family: 'Krock' });
    expect(row(b, other)['identity_number']).toBe(taken);
    // Staff are asked, once, whether they are one person; a later change of her asks nothing new.
    const asked = () => listConflicts(b, desk, {}).filter((x) => x.patient?.id === p);
    const holder = row(b, other);
    expect(asked()).toEqual([
      expect.objectContaining({
        kind: 'stale_version',
        bookingId: null,
        reason:
          `Den centrala tidboken anger personnumret ${taken.slice(0, 8)}-${taken.slice(8)} för patienten, men en annan patient här ` +
          `(${String(holder['given_name'])} ${String(holder['family_name'])}) har det. Numret här ändrades inte: kontrollera om det är samma person.`,
      }),
    ]);
    const again = await centralPatient(b, p);
    await c.transaction([
      {
        resource: { ...again, name: [{ given: ['Klas'], family: 'Krocksson' }] },
        request: { method: 'PUT', url: `Patient/${again.id}`, ifMatch: ifMatch(again.meta!.versionId!) },
      },
    ]);
    await sync(b);
    expect(contact(b, p)).toMatchObject({ number: before, family: 'Krocksson' });
    expect(asked()).toHaveLength(1);
  });

  it("a running desk B hears desk A's edit through its Subscription (polling set to minutes) and shows it", async () => {
    expect(subscriptionCriteria(b).get('Patient')).toBe('Patient?_tag=urn:oid:1.2.752.129.2.1.4.1|SE2321000016-7TST');
    const minutes = 10 * 60_000;
    const engine = new SyncEngine(b, api(central.url), {
      fastMs: minutes,
      idleMaxMs: minutes,
      safetyPollMs: minutes,
      reconnectMaxMs: 2000,
    });
    engine.start();
    try {
      await vi.waitFor(() => expect(engine.status().notifications).toBe('on'), WAIT);
      const p = unit.patientIds[6]!;
      const heard: string[] = [];
      const stopHearing = b.events.subscribe((e) => {
        if (e.entities.includes('patient')) heard.push(...e.ids);
      });
      updatePatient(a, desk, { id: p, phone: '070-666 77 88' });
      await sync(a);
      await vi.waitFor(() => expect(row(b, p)['phone']).toBe('070-666 77 88'), WAIT);
      // The screens are told (they refetch on the change event).
      expect(heard).toContain(p);
      stopHearing();
    } finally {
      await engine.stop();
    }
  });
});
