// Deterministic data for the export benchmark: one unit, 20 clinicians, 20,000 patients and
// exactly 100,000 booked slots over 2026, inserted with plain SQL into a fresh database file.
import { openDatabase } from '../../src-main/store/database.ts';
import { makeIdentityNumber } from '../../src-main/domain/personnummer.ts';
import { addDays, isoWeekday, wallClockToInstant } from '../../src-main/domain/time.ts';

export const BENCH_HSA = 'SE2321000016-BNCH';
export const BOOKINGS = 100_000;

export function createExportBenchDb(path: string): void {
  const db = openDatabase(path);
  const now = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  // Ids in UUID shape, deterministic: a counter in the last group.
  const id = () => `01900000-0000-7000-8000-${(n++).toString(16).padStart(12, '0')}`;
  db.transaction(() => {
    const unit = id();
    db.prepare(`INSERT INTO units (id, hsa_id, name, updated_at) VALUES (?, ?, 'Vårdcentralen Benchmark', ?)`).run(
      unit,
      BENCH_HSA,
      now,
    );
    const types = [id(), id(), id()];
    const insType = db.prepare(
      `INSERT INTO appointment_types (id, unit_id, code, name_sv, name_en, duration_min, contact_modes, updated_at) VALUES (?, ?, ?, ?, ?, 20, '["physical","video","phone"]', ?)`,
    );
    types.forEach((t, i) =>
      insType.run(t, unit, `T${i}`, ['Läkarbesök', 'Sjuksköterskebesök', 'Telefontid'][i], `Type ${i}`, now),
    );
    const resources = Array.from({ length: 20 }, () => id());
    const insRes = db.prepare(
      `INSERT INTO resources (id, unit_id, kind, name, profession, sort_order, updated_at) VALUES (?, ?, 'clinician', ?, 'lakare', ?, ?)`,
    );
    resources.forEach((r, i) => insRes.run(r, unit, `Kliniker ${String(i + 1).padStart(2, '0')}`, i, now));
    const patients = Array.from({ length: 20_000 }, () => id());
    const insPatient = db.prepare(
      `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, phone, protected_identity, updated_at)
       VALUES (?, ?, 'personnummer', ?, ?, ?, ?, ?)`,
    );
    patients.forEach((p, i) => {
      const birth = `${1930 + (i % 90)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const number = makeIdentityNumber(birth, i % 1000);
      insPatient.run(
        p,
        `${number.slice(0, 8)}${String(i % 10_000).padStart(4, '0')}`,
        `Förnamn${i}`,
        `Efternamn${i}`,
        `0701${String(i).padStart(6, '0')}`,
        i % 500 === 0 ? 1 : 0,
        now,
      );
    });
    const insSlot = db.prepare(
      `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const insBooking = db.prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?)`,
    );
    const typeList = JSON.stringify(types);
    let made = 0;
    for (let date = '2026-01-05'; made < BOOKINGS; date = addDays(date, 1)) {
      if (isoWeekday(date) > 5) continue;
      for (const r of resources) {
        for (let m = 8 * 60; m < 16 * 60 && made < BOOKINGS; m += 20) {
          const slot = id();
          const start = wallClockToInstant(date, m);
          insSlot.run(slot, r, start, start + 20 * 60_000, typeList, now);
          const k = made;
          insBooking.run(
            id(),
            slot,
            patients[(k * 7919) % patients.length],
            types[k % 3],
            ['physical', 'video', 'phone'][k % 3],
            ['web', 'desk', 'phone'][k % 3],
            k % 5 === 0 ? 'Tolk behövs' : '',
            start - 86_400_000 * (1 + (k % 30)),
            now,
          );
          made++;
        }
      }
    }
  })();
  db.close();
}
