// Shared set-up for the sync tests: a small unit in a real SQLite file, the real stand-in
// central over HTTP, and readers that compare both sides.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Appointment, Patient, Slot } from '@medplum/fhirtypes';
import { openDatabase } from '../../../src-main/store/database.ts';
import { createContext, type Caller, type ServiceContext } from '../../../src-main/services/context.ts';
import { makeIdentityNumber } from '../../../src-main/domain/personnummer.ts';
import { addDays, localDate, wallClockToInstant } from '../../../src-main/domain/time.ts';
import { CENTRAL_URL_SETTING } from '../../../src-main/services/sync-claims.ts';
import { giveDeskOwnIdentity, placeOf } from '../../../src-main/services/desk-identity.ts';
import type { TemplateInput } from '../../../src-main/services/templates.ts';
import { FhirCentralApi, type CentralApi } from '../../../src-main/sync/central-api.ts';
import {
  appointmentFields,
  ID_SYSTEM,
  localIdForRemote,
  ourId,
  patientFields,
  refId,
} from '../../../src-main/sync/fhir/mapping.ts';

export const TZ = 'Europe/Stockholm';
export const desk: Caller = {
  userId: null,
  username: 'kassa',
  displayName: 'Kassan',
  roles: ['receptionist'],
  workstation: 'kassa-1',
};

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tidbok-sync-'));
}

export interface SmallUnit {
  unitId: string;
  typeIds: { lakbes: string; tele: string };
  resourceIds: string[];
  slotIds: string[];
  patientIds: string[];
}

/**
 * A unit with one doctor and one room, a web-bookable and a desk-only type, `slots` web-published
 * 30-minute slots from 08:00 on the days after `now`, and `patients` patients.
 */
export function seedSmallUnit(ctx: ServiceContext, options: { slots?: number; patients?: number } = {}): SmallUnit {
  const now = ctx.now();
  const unitId = uuidv7();
  const db = ctx.db;
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO units (id, hsa_id, name, time_zone, updated_at) VALUES (?, 'SE2321000016-7TST', 'Vårdcentralen Test', ?, ?)`,
    ).run(unitId, TZ, now);
    db.prepare(`INSERT INTO settings (key, value) VALUES ('current_unit', ?)`).run(JSON.stringify(unitId));
    const lakbes = uuidv7();
    const tele = uuidv7();
    const insType = db.prepare(
      `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, professions, web_bookable, web_cancellable,
         web_rebookable, cancel_cutoff_h, rebook_cutoff_h, book_min_lead_h, book_max_days, updated_at)
       VALUES (?, ?, ?, ?, ?, 30, ?, '[]', ?, ?, ?, 24, 24, 0, 180, ?)`,
    );
    insType.run(lakbes, unitId, 'LAKBES', 'Läkarbesök', 'Doctor visit', '["physical"]', 1, 1, 1, now);
    insType.run(tele, unitId, 'TELE', 'Telefontid', 'Phone appointment', '["phone"]', 0, 0, 0, now);
    const doctor = uuidv7();
    const room = uuidv7();
    const insRes = db.prepare(
      `INSERT INTO resources (id, unit_id, kind, name, profession, title, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    insRes.run(doctor, unitId, 'clinician', 'Anna Lindqvist', 'lakare', 'Distriktsläkare', now);
    insRes.run(room, unitId, 'room', 'Provtagningsrum 1', null, null, now);
    const slotIds: string[] = [];
    const insSlot = db.prepare(
      `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, web_published, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
    );
    const n = options.slots ?? 6;
    const firstDay = addDays(localDate(now, TZ), 2);
    for (let i = 0; i < n; i++) {
      const day = addDays(firstDay, Math.floor(i / 16));
      const start = wallClockToInstant(day, 8 * 60 + (i % 16) * 30, TZ);
      const id = uuidv7();
      insSlot.run(id, doctor, start, start + 30 * 60_000, JSON.stringify([lakbes, tele]), now);
      slotIds.push(id);
    }
    const patientIds: string[] = [];
    const insPatient = db.prepare(
      `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, updated_at) VALUES (?, ?, 'personnummer', ?, ?, ?)`,
    );
    for (let i = 0; i < (options.patients ?? 4); i++) {
      const id = uuidv7();
      insPatient.run(id, patientNumber(i), `Testa${i}`, 'Patientsson', now);
      patientIds.push(id);
    }
    return { unitId, typeIds: { lakbes, tele }, resourceIds: [doctor, room], slotIds, patientIds };
  })();
}

/** A synthetic personnummer (serials 980–999 are never issued). */
export function patientNumber(i: number): string {
  return makeIdentityNumber(`19${String(50 + (i % 49)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, 980 + (i % 20), false);
}

export function openLocal(dir: string, name: string, now?: () => number): ServiceContext {
  const db = openDatabase(join(dir, `${name}.db`));
  return createContext(db, now ? { now } : {});
}

/**
 * Another desk of the unit, installed as a unit installs one (`tidbok desk copy`): from `from`'s
 * database as it is now (a copy after its first sync), as `<name>.db` in `dir`, given its own
 * identity (services/desk-identity.ts). The file is copied after a checkpoint rather than by the
 * online backup, so the helper stays synchronous; the identity is what `desk copy` gives.
 */
export function deskCopiedFrom(from: ServiceContext, dir: string, name: string, now?: () => number): ServiceContext {
  const copy = deskPlainCopyFrom(from, dir, name, now);
  giveDeskOwnIdentity(
    copy,
    { ...desk, username: 'installer' },
    { copiedFrom: placeOf(from.db.name), here: placeOf(copy.db.name) },
  );
  return copy;
}

/** The same file copied by hand and nothing else: the first desk twice (the problem desk copy solves). */
export function deskPlainCopyFrom(from: ServiceContext, dir: string, name: string, now?: () => number): ServiceContext {
  from.db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(from.db.name, join(dir, `${name}.db`));
  return openLocal(dir, name, now);
}

export function configureCentral(ctx: ServiceContext, url: string): void {
  ctx.db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(CENTRAL_URL_SETTING, JSON.stringify(url));
}

export function api(url: string, token: string | null = null, timeoutMs = 5000): CentralApi {
  return new FhirCentralApi({ baseUrl: url, token, timeoutMs });
}

/** Central's appointments that hold a slot, by our slot id. */
export async function centralHolding(central: CentralApi): Promise<Map<string, Appointment[]>> {
  const slots = await central.searchAll<Slot>('Slot', { _count: '1000' });
  const slotById = new Map(slots.map((s) => [s.id!, s.identifier?.find((i) => i.system === ID_SYSTEM)?.value ?? s.id!]));
  const appts = await central.searchAll<Appointment>('Appointment', { _count: '1000' });
  const out = new Map<string, Appointment[]>();
  for (const a of appts) {
    if (!['booked', 'pending', 'arrived', 'fulfilled', 'noshow'].includes(a.status)) continue;
    const slot = slotById.get(a.slot![0]!.reference!.split('/')[1]!)!;
    out.set(slot, [...(out.get(slot) ?? []), a]);
  }
  return out;
}

export function localActive(ctx: ServiceContext): Map<string, { id: string; patient: string; status: string; channel: string }> {
  const rows = ctx.db
    .prepare(
      `SELECT b.id, b.slot_id, p.identity_number AS patient, b.status, b.channel FROM bookings b JOIN patients p ON p.id = b.patient_id
        WHERE b.status IN ('preliminary','booked','arrived','completed','no_show')`,
    )
    .all() as { id: string; slot_id: string; patient: string; status: string; channel: string }[];
  return new Map(rows.map((r) => [r.slot_id, r]));
}

export function pendingOutbox(ctx: ServiceContext): number {
  return (ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
}

export interface BookingFact {
  slot: string;
  patient: string;
  status: string;
}

/** Every Appointment on central, keyed by the local booking id it maps to. */
export async function centralBookings(central: CentralApi): Promise<Map<string, BookingFact>> {
  const slots = await central.searchAll<Slot>('Slot', { _count: '1000' });
  const slotId = new Map(slots.map((s) => [s.id!, ourId(s) ?? localIdForRemote('Slot', s.id!)]));
  const patients = await central.searchAll<Patient>('Patient', { _count: '1000' });
  const number = new Map(patients.map((p) => [p.id!, patientFields(p)?.identityNumber ?? '?']));
  const out = new Map<string, BookingFact>();
  for (const a of await central.searchAll<Appointment>('Appointment', { _count: '1000' })) {
    const id = ourId(a) ?? localIdForRemote('Appointment', a.id!);
    if (out.has(id)) throw new Error(`booking ${id} is on central twice`);
    const f = appointmentFields(a);
    out.set(id, {
      slot: slotId.get(refId(f.slotRef, 'Slot')!)!,
      patient: number.get(refId(f.patientRef, 'Patient')!)!,
      status: f.status,
    });
  }
  return out;
}

/** Every local booking, keyed by id (compared row by row with central's). */
export function localBookings(ctx: ServiceContext): Map<string, BookingFact> {
  const rows = ctx.db
    .prepare(`SELECT b.id, b.slot_id, p.identity_number, b.status FROM bookings b JOIN patients p ON p.id = b.patient_id`)
    .all() as { id: string; slot_id: string; identity_number: string; status: string }[];
  return new Map(rows.map((r) => [r.id, { slot: r.slot_id, patient: r.identity_number, status: r.status }]));
}

export function sorted(m: Map<string, unknown>): [string, unknown][] {
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * A weekday template's input as the sync tests make them: every week from Monday 23 November
 * 2026, published, within the care guarantee, holidays skipped; `fields` changes the rest.
 */
export function weekdayTemplate(
  resourceId: string,
  appointmentTypeIds: string[],
  fields: Partial<TemplateInput> = {},
): TemplateInput {
  return {
    resourceId,
    name: 'Förmiddag',
    weekdays: [1, 2, 3, 4, 5],
    everyNWeeks: 1,
    validFrom: '2026-11-23',
    validTo: null,
    startTime: '08:00',
    endTime: '12:00',
    slotMin: 30,
    appointmentTypeIds,
    publishWeb: true,
    withinCareGuarantee: true,
    skipHolidays: true,
    ...fields,
  };
}
