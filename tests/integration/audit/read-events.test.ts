// Every read method writes exactly the access-log events it should. The rule (DESIGN.md,
// Patientdatalagen): a view that shows patients writes one `read` event per distinct patient
// shown, with the patient's id, so the patient's log extract finds it; a view without patient
// data writes nothing; exports and prints write one event per patient in the file. The table
// must name every read method of the contract: a new one fails here until its rule is stated.
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, contract, type MethodName } from '../../../src-main/api/contract.ts';
import { dispatch } from '../../../src-main/api/dispatch.ts';
import type { CalendarRange } from '../../../src-main/api/types.ts';
import { openTestDb, testCaller } from '../../helpers/temp-db.ts';
import { verifyAuditChain } from '../../../src-main/services/audit.ts';

const { ctx } = openTestDb({ demo: true });
const env = { ctx, caller: testCaller(), shell: 'web' as const };

interface Fixture {
  day: CalendarRange;
  patientId: string;
  identityNumber: string;
  bookingId: string;
  absenceId: string;
  resourceId: string;
  typeId: string;
  slotId: string;
  templateId: string;
}
let fx: Fixture;

/** A free slot that a waiting patient fits (that patient is put on the list first). */
function slotWithWaitlistMatch(): { slotId: string } {
  const patientId = ctx.db
    .prepare(
      `SELECT id FROM patients p WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.patient_id = p.id
           AND b.appointment_type_id = ? AND b.status IN ('booked', 'preliminary')) LIMIT 1`,
    )
    .pluck()
    .get(fx.typeId) as string;
  waitlistFixture(patientId);
  const slotId = ctx.db
    .prepare(
      `SELECT id FROM slots s WHERE state = 'open' AND booked = 0 AND start_at > ? + 86400000
           AND EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = ?) ORDER BY start_at LIMIT 1`,
    )
    .pluck()
    .get(ctx.now(), fx.typeId) as string;
  return { slotId };
}

type Row = { action: string; patient_id: string | null; entity: string | null };
type Rule =
  | { rule: 'none' }
  /** One `read` per distinct patient the result shows. */
  | { rule: 'perPatient'; shown: (result: never) => string[] }
  /** One event of this action about the log itself (no patient), or about the given patient. */
  | { rule: 'one'; action: 'read' | 'export'; patient?: () => string }
  /** One event of this action per patient in the produced file (the result says how many). */
  | { rule: 'perPatientInFile'; action: 'export' | 'print' };

const ids = <T>(xs: T[], f: (x: T) => string) => xs.map(f);

const TABLE: Record<string, { input: () => unknown } & Rule> = {
  'session.info': { input: () => ({}), rule: 'none' },
  'unit.get': { input: () => ({}), rule: 'none' },
  'resources.list': { input: () => ({}), rule: 'none' },
  'appointmentTypes.list': { input: () => ({}), rule: 'none' },
  'appointmentTypes.get': { input: () => ({ id: fx.typeId }), rule: 'none' },
  'calendar.nextOpenDate': { input: () => ({ from: '2026-11-28' }), rule: 'none' },
  'calendar.range': {
    input: () => ({ from: '2026-11-23', to: '2026-11-24' }),
    rule: 'perPatient',
    shown: (r: CalendarRange) => ids(r.bookings, (b) => b.patient.id),
  },
  'holidays.list': { input: () => ({ year: 2026 }), rule: 'none' },
  'holidays.getRules': { input: () => ({}), rule: 'none' },
  'templates.list': { input: () => ({}), rule: 'none' },
  'templates.get': { input: () => ({ id: fx.templateId }), rule: 'none' },
  'templates.getHorizon': { input: () => ({}), rule: 'none' },
  'templates.preview': {
    input: () => ({
      template: {
        resourceId: fx.resourceId,
        weekdays: [1],
        validFrom: '2026-12-01',
        validTo: null,
        startTime: '08:00',
        endTime: '09:00',
        slotMin: 30,
        appointmentTypeIds: [fx.typeId],
        publishWeb: false,
        withinCareGuarantee: true,
        skipHolidays: true,
      },
      from: '2026-12-01',
      to: '2026-12-14',
    }),
    rule: 'none',
  },
  'slots.get': { input: () => ({ id: fx.slotId }), rule: 'none' },
  'slots.findFree': { input: () => ({ appointmentTypeId: fx.typeId }), rule: 'none' },
  'absences.list': { input: () => ({}), rule: 'none' },
  'absences.affectedBookings': {
    input: () => ({ id: fx.absenceId }),
    rule: 'perPatient',
    shown: (r: { patient: { id: string } }[]) => ids(r, (b) => b.patient.id),
  },
  'absences.proposeRebooking': {
    input: () => ({ id: fx.absenceId }),
    rule: 'perPatient',
    shown: (r: { booking: { patient: { id: string } } }[]) => ids(r, (p) => p.booking.patient.id),
  },
  'absences.contactList': {
    input: () => ({ id: fx.absenceId }),
    rule: 'perPatient',
    shown: (r: { patientId: string }[]) => ids(r, (e) => e.patientId),
  },
  'patients.search': {
    input: () => ({ query: fx.identityNumber.slice(0, 8) }),
    rule: 'perPatient',
    shown: (r: { id: string }[]) => ids(r, (p) => p.id),
  },
  'patients.get': { input: () => ({ id: fx.patientId }), rule: 'perPatient', shown: (r: { id: string }) => [r.id] },
  'patients.checkIdentityNumber': { input: () => ({ value: fx.identityNumber }), rule: 'none' },
  'bookings.get': {
    input: () => ({ id: fx.bookingId }),
    rule: 'perPatient',
    shown: (r: { patient: { id: string } }) => [r.patient.id],
  },
  'bookings.forPatient': {
    input: () => ({ patientId: fx.patientId }),
    rule: 'perPatient',
    shown: () => [fx.patientId],
  },
  'bookings.onlinePermissions': { input: () => ({ id: fx.bookingId }), rule: 'none' },
  'bookings.search': {
    input: () => ({ from: '2026-11-23', to: '2026-11-23' }),
    rule: 'perPatient',
    shown: (r: { rows: { patient: { id: string } }[] }) => ids(r.rows, (b) => b.patient.id),
  },
  'waitlist.list': {
    input: () => {
      waitlistFixture(fx.patientId);
      return {};
    },
    rule: 'perPatient',
    shown: (r: { patient: { id: string } }[]) => ids(r, (e) => e.patient.id),
  },
  'waitlist.matchesForSlot': {
    // A patient without a booked time of the type waits for it; a free slot of the type days ahead fits.
    input: slotWithWaitlistMatch,
    rule: 'perPatient',
    shown: (r: { patient: { id: string } }[]) => ids(r, (e) => e.patient.id),
  },
  // A number only, even when someone fits: no patient is shown, so nothing is logged.
  'waitlist.countForSlot': { input: slotWithWaitlistMatch, rule: 'none' },
  // The free times that fit an entry's wish: times only, no patient shown.
  'waitlist.offerableSlots': {
    input: () => {
      const id = ctx.newId();
      ctx.db
        .prepare(`INSERT INTO waitlist (id, patient_id, appointment_type_id, created_at, updated_at) VALUES (?, ?, ?, 0, 0)`)
        .run(id, fx.patientId, fx.typeId);
      return { id };
    },
    rule: 'none',
  },
  // The whole list's size past its limit: a number only, no patient shown.
  'waitlist.count': {
    input: () => {
      waitlistFixture(fx.patientId);
      return {};
    },
    rule: 'none',
  },
  'auth.status': { input: () => ({}), rule: 'none' },
  'users.list': { input: () => ({}), rule: 'none' },
  'audit.verify': { input: () => ({}), rule: 'none' },
  'audit.search': { input: () => ({ patientId: fx.patientId }), rule: 'one', action: 'read' },
  'audit.export': { input: () => ({ from: '2026-11-23' }), rule: 'one', action: 'export' },
  'audit.patientExtract': {
    input: () => ({ identityNumber: fx.identityNumber }),
    rule: 'one',
    action: 'export',
    patient: () => fx.patientId,
  },
  'export.create': {
    input: () => ({ from: '2026-11-23', to: '2026-11-24', content: 'bookings', patientData: 'full', format: 'csv' }),
    rule: 'perPatientInFile',
    action: 'export',
  },
  'export.dayList': { input: () => ({ date: '2026-11-23' }), rule: 'perPatientInFile', action: 'print' },
  'stats.summary': { input: () => ({ from: '2026-11-01', to: '2026-11-30' }), rule: 'none' },
  'stats.csv': { input: () => ({ from: '2026-11-01', to: '2026-11-30' }), rule: 'none' },
  'sync.status': { input: () => ({}), rule: 'none' },
  'sync.failed': { input: () => ({}), rule: 'none' },
  'conflicts.list': {
    // The inbox lists the patient who lost a slot: one conflict for the fixture's booking.
    input: () => {
      ctx.db
        .prepare(
          `INSERT INTO conflicts (id, entity, entity_id, kind, created_at) VALUES ('conflict-fixture', 'booking', ?, 'slot_taken', 0)`,
        )
        .run(fx.bookingId);
      return {};
    },
    rule: 'perPatient',
    shown: (r: { patient: { id: string } | null }[]) => ids(r, (c) => c.patient!.id),
  },
};

beforeAll(async () => {
  const day = await dispatch(env, 'calendar.range', { from: '2026-11-23', to: '2026-11-24' });
  if (!day.ok) throw new Error(day.error.message);
  const range = day.value as CalendarRange;
  const booking = range.bookings.find((b) => !b.patient.protectedIdentity)!;
  const resourceId = booking.resourceId;
  const absence = await dispatch(env, 'absences.create', { resourceId, from: '2026-11-24', to: '2026-11-24', reason: 'Kurs' });
  if (!absence.ok) throw new Error(absence.error.message);
  const template = ctx.db.prepare(`SELECT id FROM schedule_templates LIMIT 1`).get() as { id: string };
  fx = {
    day: range,
    patientId: booking.patient.id,
    identityNumber: booking.patient.identityNumber,
    bookingId: booking.id,
    absenceId: (absence.value as { absence: { id: string } }).absence.id,
    resourceId,
    typeId: booking.appointmentTypeId,
    slotId: booking.slotId,
    templateId: template.id,
  };
});

/** An open återbudslista entry for the fixture's type (no wish, no period). */
function waitlistFixture(patientId: string): void {
  ctx.db
    .prepare(
      `INSERT OR IGNORE INTO waitlist (id, patient_id, appointment_type_id, created_at, updated_at) VALUES (?, ?, ?, 0, 0)`,
    )
    .run(`waitlist-${patientId}`, patientId, fx.typeId);
}

const readMethods = METHOD_NAMES.filter((m) => contract[m].kind === 'read');

describe('access-log events of read methods', () => {
  it.each(readMethods)('%s', async (name: MethodName) => {
    const entry = TABLE[name];
    expect(entry, `${name} is a read method without a stated audit rule: add it to TABLE`).toBeDefined();
    const before = (ctx.db.prepare(`SELECT coalesce(max(seq), 0) AS s FROM audit_events`).get() as { s: number }).s;
    const r = await dispatch(env, name, entry!.input());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const value = (r as { value: unknown }).value;
    const rows = ctx.db
      .prepare(`SELECT action, patient_id, entity FROM audit_events WHERE seq > ? ORDER BY seq`)
      .all(before) as Row[];

    switch (entry!.rule) {
      case 'none':
        expect(rows).toEqual([]);
        break;
      case 'perPatient': {
        const shown = [...new Set((entry as unknown as { shown: (r: unknown) => string[] }).shown(value))].sort();
        expect(shown.length, 'the fixture must show at least one patient').toBeGreaterThan(0);
        expect(rows.every((x) => x.action === 'read')).toBe(true);
        expect(rows.map((x) => x.patient_id).sort()).toEqual(shown);
        break;
      }
      case 'one': {
        const patient = 'patient' in entry! && entry.patient ? entry.patient() : null;
        expect(rows).toEqual([{ action: entry!.action, patient_id: patient, entity: 'audit_events' }]);
        break;
      }
      case 'perPatientInFile': {
        const patients = (value as { patients: number }).patients;
        expect(patients).toBeGreaterThan(0);
        expect(rows.every((x) => x.action === entry!.action)).toBe(true);
        expect(new Set(rows.map((x) => x.patient_id)).size).toBe(patients);
        expect(rows).toHaveLength(patients);
        break;
      }
    }
  });

  it('leaves an intact chain behind', () => {
    expect(verifyAuditChain(ctx)).toBeNull();
  });
});
