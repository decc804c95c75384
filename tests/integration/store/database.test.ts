// The store over real SQLite files: migrations from empty, pragmas, constraints, and refusal
// of files that are not ours (which must be left byte-for-byte untouched).
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import {
  loadMigrations,
  openDatabase,
  schemaVersion,
  StoreOpenError,
  TIDBOK_APPLICATION_ID,
} from '../../../src-main/store/database.ts';
import { openTestDb, tempDbPath } from '../../helpers/temp-db.ts';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function expectOpenError(file: string, code: StoreOpenError['code']): void {
  let caught: unknown;
  try {
    openDatabase(file).close();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreOpenError);
  expect((caught as StoreOpenError).code).toBe(code);
}

describe('openDatabase', () => {
  it('creates the whole schema in an empty file, with the pragmas DESIGN asks for', () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    const newest = loadMigrations().at(-1)!.version;
    expect(schemaVersion(db)).toBe(newest);
    expect(db.pragma('application_id', { simple: true })).toBe(TIDBOK_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (
      db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).all() as { name: string; sql: string }[]
    ).filter((t) => !t.name.startsWith('sqlite_'));
    for (const name of [
      'units',
      'resources',
      'appointment_types',
      'schedule_templates',
      'slots',
      'patients',
      'bookings',
      'absences',
      'users',
      'sessions',
      'audit_events',
      'outbox',
      'sync_state',
      'conflicts',
      'waitlist',
    ]) {
      const t = tables.find((x) => x.name === name);
      expect(t, name).toBeDefined();
      expect(t!.sql, `${name} is STRICT`).toMatch(/\)\s*STRICT/);
    }
    db.close();
  });

  it('is idempotent: reopening runs no migration again and keeps the data', () => {
    const { db, path } = openTestDb({ demo: true });
    const before = (db.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
    db.close();
    const again = openDatabase(path);
    expect((again.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n).toBe(before);
    again.close();
  });

  it('refuses a database from a newer Tidbok and leaves it untouched', () => {
    const path = tempDbPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = sha(path);
    expectOpenError(path, 'too_new');
    expect(sha(path)).toBe(before);
  });

  it('refuses a SQLite file that is not a Tidbok database and leaves it untouched', () => {
    const path = tempDbPath('other.db');
    const raw = new Database(path);
    raw.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hej');");
    raw.close();
    const before = sha(path);
    expectOpenError(path, 'not_tidbok');
    expect(sha(path)).toBe(before);
  });

  it('refuses a file that is not SQLite at all and never truncates it', () => {
    const path = tempDbPath('letter.db');
    writeFileSync(path, 'Kära patient, din tid är flyttad.\n'.repeat(200));
    const before = sha(path);
    expectOpenError(path, 'not_tidbok');
    expect(sha(path)).toBe(before);
  });

  it('refuses a corrupt Tidbok database and leaves it untouched', () => {
    const { db, path } = openTestDb({ demo: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(path);
    // Scribble over pages in the middle of the file (not the header page).
    for (let i = 4096 * 3; i < Math.min(bytes.length, 4096 * 12); i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
    const before = sha(path);
    expectOpenError(path, 'corrupt');
    expect(sha(path)).toBe(before);
  });
});

describe('schema constraints', () => {
  it('makes a second active booking of one slot impossible, but allows one after a cancellation', () => {
    const { db } = openTestDb({ demo: true });
    const booked = db
      .prepare(`SELECT slot_id, patient_id, appointment_type_id FROM bookings WHERE status = 'booked' LIMIT 1`)
      .get() as { slot_id: string; patient_id: string; appointment_type_id: string };
    const insert = (id: string, status: string) =>
      db
        .prepare(
          `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'physical', ?, 'desk', 0, 0)`,
        )
        .run(id, booked.slot_id, booked.patient_id, booked.appointment_type_id, status);
    expect(() => insert('0190a000-0000-7000-8000-000000000001', 'booked')).toThrow(/UNIQUE constraint failed: bookings.slot_id/);
    expect(() => insert('0190a000-0000-7000-8000-000000000002', 'preliminary')).toThrow(/UNIQUE/);
    // A cancelled booking does not hold the slot.
    expect(() => insert('0190a000-0000-7000-8000-000000000003', 'cancelled')).not.toThrow();
  });

  it('enforces foreign keys and CHECK constraints', () => {
    const { db } = openTestDb({ demo: true });
    expect(() =>
      db
        .prepare(
          `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, created_at, updated_at)
           VALUES ('x', 'no-such-slot', 'no-such-patient', 'no-such-type', 'physical', 'booked', 'desk', 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    const slot = db.prepare(`SELECT id FROM slots LIMIT 1`).get() as { id: string };
    expect(() => db.prepare(`UPDATE slots SET state = 'maybe' WHERE id = ?`).run(slot.id)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE slots SET end_at = start_at WHERE id = ?`).run(slot.id)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE patients SET identity_number = '19121212121X' WHERE rowid = 1`).run()).toThrow(/CHECK/);
  });

  it('keeps the access log append-only', () => {
    const { db } = openTestDb({ demo: true });
    db.prepare(
      `INSERT INTO audit_events (id, at, action, workstation, prev_hash, hash) VALUES ('a1', 0, 'read', 'ws', 'p', 'h')`,
    ).run();
    expect(() => db.prepare(`UPDATE audit_events SET action = 'change'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_events`).run()).toThrow(/append-only/);
  });

  it('uses UUIDv7 ids (time-ordered) for seeded rows', () => {
    const { db } = openTestDb({ demo: true });
    const ids = (db.prepare(`SELECT id FROM slots ORDER BY rowid LIMIT 50`).all() as { id: string }[]).map((r) => r.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
