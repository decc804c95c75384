// Old databases keep their data: the fixture of every released schema version migrates to the
// newest with every row and value of its tables intact, and the shipped schema (the snapshot)
// loses or changes no table or column; adding is fine.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, openDatabase, schemaVersion, type Db } from '../../../src-main/store/database.ts';
import { createContext } from '../../../src-main/services/context.ts';
import { verifyAuditChain } from '../../../src-main/services/audit.ts';
import { signIn } from '../../../src-main/services/auth.ts';
import { schemaShape, type SchemaShape } from '../../../src-main/store/schema-shape.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
const versions = readdirSync(join(FIXTURES, 'db'))
  .filter((f) => /^v\d+\.db$/.test(f))
  .sort();

/**
 * Tables that only mirrored other tables' data for search, dropped on purpose by a migration
 * (their data is derived, so nothing is lost). Every other shipped table must survive.
 */
const DROPPED_DERIVED: Record<string, string> = {
  slot_types: 'migration 0005: the free-slot search index moved onto slots (slots_free)',
};

/**
 * Values a migration moved to another column on purpose, read where they went (an SQL expression
 * per old column): nothing is lost, it only has a new place.
 */
const MOVED: Record<string, Record<string, string>> = {
  // Migration 0011: a cancelled or rebooked booking's reason was the cancellation's or rebooking's
  // (it had overwritten the visit's); it moved to columns of its own.
  bookings: {
    reason_code: `CASE WHEN status IN ('cancelled', 'rebooked') THEN cancel_reason_code ELSE reason_code END`,
    reason_text: `CASE WHEN status IN ('cancelled', 'rebooked') THEN cancel_reason_text ELSE reason_text END`,
  },
};

/** Row count and a hash over every value of the given columns (or where `moved` says they went), in primary-key order. */
function tableDigest(
  db: Db,
  table: string,
  columns: string[],
  moved: Record<string, string> = {},
): { rows: number; hash: string } {
  const list = columns.map((c) => moved[c] ?? `"${c}"`).join(', ');
  const rows = db.prepare(`SELECT ${list} FROM "${table}" ORDER BY ${list}`).raw().all();
  return { rows: rows.length, hash: createHash('sha256').update(JSON.stringify(rows)).digest('hex') };
}

describe('released schema versions migrate with their data', () => {
  it('has a fixture for the first released version', () => {
    expect(versions).toContain('v1.db');
  });

  it.each(versions)('%s', async (fixture) => {
    const path = tempDbPath();
    copyFileSync(join(FIXTURES, 'db', fixture), path);
    const old = new Database(path, { readonly: true });
    const oldShape = Object.fromEntries(Object.entries(schemaShape(old)).filter(([t]) => !(t in DROPPED_DERIVED)));
    const before = Object.fromEntries(Object.entries(oldShape).map(([t, cols]) => [t, tableDigest(old, t, Object.keys(cols))]));
    expect(before['bookings']!.rows).toBeGreaterThan(100);
    old.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(loadMigrations().length);
    for (const [table, cols] of Object.entries(oldShape)) {
      expect(tableDigest(db, table, Object.keys(cols), MOVED[table]), table).toEqual(before[table]);
    }
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The data still works: the access log verifies, the staff can sign in with their passwords.
    const ctx = createContext(db);
    expect(verifyAuditChain(ctx)).toBeNull();
    const session = await signIn(ctx, { username: 'admin', password: 'demo-admin', workstation: 'test' });
    expect(session.user.roles).toContain('admin');
    db.close();
  });
});

describe('schema snapshot', () => {
  const snapshot = JSON.parse(readFileSync(join(FIXTURES, 'schema-snapshot.json'), 'utf8')) as SchemaShape;
  const db = openDatabase(tempDbPath());
  const current = schemaShape(db);
  db.close();

  it('records the shipped tables', () => {
    expect(Object.keys(snapshot)).toEqual(
      expect.arrayContaining(['units', 'slots', 'patients', 'bookings', 'audit_events', 'outbox']),
    );
  });

  it('drops only derived tables, each for a stated reason', () => {
    for (const table of Object.keys(DROPPED_DERIVED)) {
      expect(snapshot[table], `${table} was shipped`).toBeDefined();
      expect(current[table], `${table} is gone`).toBeUndefined();
    }
  });

  it.each(Object.keys(snapshot).filter((t) => !(t in DROPPED_DERIVED)))('keeps every shipped column of %s as it was', (table) => {
    expect(current[table], `table ${table} was dropped`).toBeDefined();
    for (const [column, shape] of Object.entries(snapshot[table]!)) {
      expect(current[table]![column], `${table}.${column} was dropped or renamed`).toBeDefined();
      expect(current[table]![column], `${table}.${column} changed`).toEqual(shape);
    }
  });
});
