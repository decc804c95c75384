// Migration 0012 rebuilds appointment_types so that book_max_days may be 0 (a same-day type,
// "dagens tider"). SQLite cannot alter a CHECK: the table is copied into a new one, which needs
// foreign keys off while it runs (the runner turns them off for a migration marked so, and checks
// them before commit). The released v1 fixture, migrated to schema 11, must come through with
// every type, every reference to one, and its foreign keys whole — and 0 then stored.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REBUILDS_TABLES, StoreOpenError, openDatabase, schemaVersion } from '../../../src-main/store/database.ts';
import { migrationsUpTo, tempDbPath } from '../../helpers/temp-db.ts';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/db/v1.db');

describe('migration 0012: same-day types', () => {
  it('keeps every type and every reference to one, with foreign keys on and whole, and then stores 0 days', () => {
    const path = tempDbPath();
    copyFileSync(FIXTURE, path);
    const at11 = openDatabase(path, { migrationsDir: migrationsUpTo(11) });
    expect(schemaVersion(at11)).toBe(11);
    const types = at11.prepare(`SELECT * FROM appointment_types ORDER BY id`).all();
    const bookingTypes = at11.prepare(`SELECT id, appointment_type_id FROM bookings ORDER BY id`).all();
    expect(types.length).toBeGreaterThan(3);
    expect(bookingTypes.length).toBeGreaterThan(100);
    expect(() => at11.prepare(`UPDATE appointment_types SET book_max_days = 0`).run()).toThrow(/CHECK constraint failed/);
    at11.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(12);
    expect(db.prepare(`SELECT * FROM appointment_types ORDER BY id`).all()).toEqual(types);
    expect(db.prepare(`SELECT id, appointment_type_id FROM bookings ORDER BY id`).all()).toEqual(bookingTypes);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The children still point at the table by its name (not at a temporary one).
    const childSql = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'bookings'`).pluck().get() as string;
    expect(childSql).toMatch(/REFERENCES appointment_types\(id\)/);
    // 0 is now a window; below it and above three years are not; unknown codes are still refused.
    db.prepare(`UPDATE appointment_types SET book_max_days = 0`).run();
    expect(() => db.prepare(`UPDATE appointment_types SET book_max_days = -1`).run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`UPDATE appointment_types SET book_max_days = 1096`).run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`UPDATE bookings SET appointment_type_id = 'nobody' WHERE rowid = 1`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a rebuild that would leave a broken reference, and leaves the file at its old version', () => {
    const path = tempDbPath();
    copyFileSync(FIXTURE, path);
    const dir = migrationsUpTo(12);
    // A rebuild that forgets to copy the rows: every booking's type would dangle.
    writeFileSync(
      join(dir, '0013_broken_rebuild.sql'),
      `${REBUILDS_TABLES}\nCREATE TABLE t_new (id TEXT PRIMARY KEY) STRICT;\nDELETE FROM appointment_types;\n`,
    );
    expect(() => openDatabase(path, { migrationsDir: dir })).toThrow(StoreOpenError);
    expect(() => openDatabase(path, { migrationsDir: dir })).toThrow(
      /0013_broken_rebuild failed: foreign key check: \d+ rows, e\.g\. \w+ -> appointment_types/,
    );
    const db = openDatabase(path, { migrationsDir: migrationsUpTo(12) });
    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare(`SELECT count(*) FROM appointment_types`).pluck().get()).toBeGreaterThan(3);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
