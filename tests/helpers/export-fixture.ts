// A small unit laid over both DST weeks of 2026 (summer time starts Sunday 2026-03-29 and ends
// Sunday 2026-10-25), written with plain SQL into a real SQLite file: exports only read the
// schema. Bookings cover every channel and status, rebookings by web and desk, cancellations
// by web and staff, a protected identity and a samordningsnummer, and known lead times.
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';
import { addDays, wallClockToInstant } from '../../src-main/domain/time.ts';
import type { ServiceContext } from '../../src-main/services/context.ts';

export const FIXTURE_HSA = 'SE2321000016-9DST';
export const TZ = 'Europe/Stockholm';
/** Monday to Monday around each switch: Sunday 2026-03-29 and Sunday 2026-10-25 included. */
export const SPRING = { from: '2026-03-23', to: '2026-03-30' };
export const AUTUMN = { from: '2026-10-19', to: '2026-10-26' };

export interface Fixture {
  unitId: string;
  clinicianId: string;
  nurseId: string;
  typeIds: { visit: string; video: string; vacc: string };
  patients: { normal: string; protected: string; samordning: string; other: string };
  /** slot id -> expected local 'YYYY-MM-DD HH:mm' of its start. */
  slotLocal: Map<string, string>;
}

export function seedExportFixture(ctx: ServiceContext): Fixture {
  const { db } = ctx;
  const now = ctx.now();
  const id = () => ctx.newId();
  const unitId = id();
  db.prepare(`INSERT INTO units (id, hsa_id, name, time_zone, updated_at) VALUES (?, ?, ?, ?, ?)`).run(
    unitId,
    FIXTURE_HSA,
    'Vårdcentralen Sommartid',
    TZ,
    now,
  );
  db.prepare(
    `INSERT INTO settings (key, value) VALUES ('current_unit', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(JSON.stringify(unitId));
  const insType = db.prepare(
    `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, web_bookable, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const typeIds = { visit: id(), video: id(), vacc: id() };
  insType.run(typeIds.visit, unitId, 'LAKBES', 'Läkarbesök', 'Doctor visit', 30, '["physical"]', 1, now);
  insType.run(typeIds.video, unitId, 'LAKVID', 'Videobesök läkare', 'Video visit', 30, '["video","phone"]', 1, now);
  insType.run(typeIds.vacc, unitId, 'VACC', 'Vaccination', 'Vaccination', 15, '["physical"]', 1, now);

  const insRes = db.prepare(
    `INSERT INTO resources (id, unit_id, kind, name, profession, title, sort_order, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const clinicianId = id();
  const nurseId = id();
  insRes.run(clinicianId, unitId, 'clinician', 'Åsa Öberg', 'lakare', 'Distriktsläkare', 0, now);
  insRes.run(nurseId, unitId, 'clinician', 'Nils Ek', 'sjukskoterska', 'Sjuksköterska', 1, now);

  const insPatient = db.prepare(
    `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, phone, protected_identity, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const patients = { normal: id(), protected: id(), samordning: id(), other: id() };
  insPatient.run(
    patients.normal,
    makeIdentityNumber('1961-05-17', 982),
    'personnummer',
    'Märta',
    'Ångström',
    '0701234567',
    0,
    now,
  );
  insPatient.run(
    patients.protected,
    makeIdentityNumber('1984-02-09', 991),
    'personnummer',
    'Hemlig',
    'Person',
    '0709999999',
    1,
    now,
  );
  insPatient.run(
    patients.samordning,
    makeIdentityNumber('1990-12-01', 985, true),
    'samordningsnummer',
    'Karl-Erik',
    'Lund',
    null,
    0,
    now,
  );
  insPatient.run(patients.other, makeIdentityNumber('1950-07-30', 987), 'personnummer', 'Ulla', 'Berg', '0731112233', 0, now);

  const insSlot = db.prepare(
    `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, state, web_published, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const slotLocal = new Map<string, string>();
  const slots: { id: string; resource: string; date: string; start: number }[] = [];
  // Every day of both weeks (weekend included, so the Sundays themselves carry slots): the
  // clinician 08:00-10:00 in 30-min slots, the nurse 09:00-10:00 in 15-min slots.
  for (const week of [SPRING, AUTUMN]) {
    for (let date = week.from; date <= week.to; date = addDays(date, 1)) {
      for (let m = 8 * 60; m < 10 * 60; m += 30) {
        const slotId = id();
        const start = wallClockToInstant(date, m, TZ);
        insSlot.run(
          slotId,
          clinicianId,
          start,
          start + 30 * 60_000,
          JSON.stringify([typeIds.visit, typeIds.video]),
          'open',
          1,
          now,
        );
        slotLocal.set(slotId, `${date} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
        slots.push({ id: slotId, resource: clinicianId, date, start });
      }
      for (let m = 9 * 60; m < 10 * 60; m += 15) {
        const slotId = id();
        const start = wallClockToInstant(date, m, TZ);
        // One blocked and one removed slot per day: neither is on offer.
        const state = m === 9 * 60 + 45 ? 'blocked' : 'open';
        insSlot.run(slotId, nurseId, start, start + 15 * 60_000, JSON.stringify([typeIds.vacc]), state, 0, now);
        slotLocal.set(slotId, `${date} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
        slots.push({ id: slotId, resource: nurseId, date, start });
      }
      const removed = id();
      const at = wallClockToInstant(date, 12 * 60, TZ);
      insSlot.run(removed, nurseId, at, at + 15 * 60_000, JSON.stringify([typeIds.vacc]), 'removed', 0, now);
    }
  }

  const insBooking = db.prepare(
    `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, rebooked_from, rebooked_to,
       created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const channels = ['web', 'desk', 'phone'] as const;
  const statuses = ['booked', 'completed', 'arrived', 'no_show', 'booked', 'preliminary', 'cancelled'] as const;
  const patientList = [patients.normal, patients.protected, patients.samordning, patients.other];
  // Deterministic pattern over the slots: about two in three booked.
  slots.forEach((s, i) => {
    if (i % 3 === 2) return;
    const clinician = s.resource === clinicianId;
    const type = clinician ? (i % 2 === 0 ? typeIds.visit : typeIds.video) : typeIds.vacc;
    const mode = type === typeIds.video ? 'video' : 'physical';
    const channel = channels[i % 3]!;
    const status = statuses[i % statuses.length]!;
    const patient = patientList[i % patientList.length]!;
    const createdAt = s.start - ((i % 7) + 1) * 86_400_000 - (i % 5) * 3_600_000;
    const updatedBy = status === 'cancelled' && Math.floor(i / 7) % 2 === 0 ? 'web' : 'staff';
    insBooking.run(
      id(),
      s.id,
      patient,
      type,
      mode,
      status,
      channel,
      i % 4 === 0 ? 'Tolk behövs; "svenska"' : '',
      null,
      null,
      createdAt,
      channel === 'web' ? 'web' : 'staff',
      now,
      updatedBy,
    );
  });
  // Rebookings: an old booking (status rebooked) in the spring week moved to a free slot, once by
  // the patient on the web and once at the desk.
  const free = slots.filter((_, i) => i % 3 === 2 && slots[i]!.resource === clinicianId);
  for (const [n, channel] of (['web', 'desk'] as const).entries()) {
    const oldSlot = free[n * 2]!;
    const newSlot = free[n * 2 + 1]!;
    const oldId = id();
    const newId = id();
    insBooking.run(
      oldId,
      oldSlot.id,
      patients.other,
      typeIds.visit,
      'physical',
      'booked',
      'phone',
      '',
      null,
      null,
      oldSlot.start - 5 * 86_400_000,
      'staff',
      now,
      'staff',
    );
    insBooking.run(
      newId,
      newSlot.id,
      patients.other,
      typeIds.visit,
      'physical',
      'booked',
      channel,
      '',
      oldId,
      null,
      newSlot.start - 2 * 86_400_000,
      channel,
      now,
      channel,
    );
    db.prepare(`UPDATE bookings SET status = 'rebooked', rebooked_to = ? WHERE id = ?`).run(newId, oldId);
  }
  return { unitId, clinicianId, nurseId, typeIds, patients, slotLocal };
}
