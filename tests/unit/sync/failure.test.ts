// Where a failed sync cycle puts the fault, and how soon it is tried again.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CentralError } from '../../../src-main/sync/central-api.ts';
import { failureKind, PROBLEM_BACKOFF_MAX_MS, retryDelayMs } from '../../../src-main/sync/failure.ts';

/** The error a real SQLite statement throws. */
function sqliteError(setup: string, sql: string): unknown {
  const db = new Database(':memory:');
  db.exec(setup);
  try {
    db.exec(sql);
  } catch (err) {
    return err;
  } finally {
    db.close();
  }
  throw new Error('no error');
}

/** A real database file with a damaged page, read. */
function corruptRead(): unknown {
  const path = join(mkdtempSync(join(tmpdir(), 'tidbok-corrupt-')), 'desk.db');
  const db = new Database(path);
  db.exec(`CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)`);
  db.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO t SELECT printf('row %d', i) FROM n`,
  );
  db.close();
  const file = readFileSync(path);
  file.fill(0xa5, 3 * 4096 + 8, 3 * 4096 + 4000); // inside a B-tree page: its cells are now garbage
  writeFileSync(path, file);
  const damaged = new Database(path);
  try {
    damaged.prepare(`SELECT count(*), max(x) FROM t WHERE x > ''`).get();
    damaged.prepare(`SELECT count(*) FROM t`).get();
    damaged.exec('PRAGMA quick_check');
  } catch (err) {
    expect((err as { code: string }).code).toMatch(/^SQLITE_CORRUPT/);
    return err;
  } finally {
    damaged.close();
  }
  throw new Error('no error');
}

describe('failureKind', () => {
  it('the network, timeouts, 5xx, 429 and 408 are offline; other answers from central are central', () => {
    expect(failureKind(new CentralError('network', 'ECONNREFUSED'))).toBe('offline');
    expect(failureKind(new CentralError('timeout', 'timed out'))).toBe('offline');
    for (const status of [500, 503, 429, 408]) expect(failureKind(new CentralError('http', 'x', status))).toBe('offline');
    for (const status of [400, 401, 403, 404]) expect(failureKind(new CentralError('http', 'x', status))).toBe('central');
  });

  it("the desk's own database is local, except SQLITE_BUSY (another writer, transient); anything else is the program", () => {
    const trigger = sqliteError(
      `CREATE TABLE t (x); CREATE TRIGGER no BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'no'); END;`,
      'INSERT INTO t VALUES (1)',
    );
    expect((trigger as { code: string }).code).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(failureKind(trigger)).toBe('local');
    expect(failureKind(sqliteError('CREATE TABLE t (x)', 'PRAGMA query_only = 1; INSERT INTO t VALUES (1)'))).toBe('local');
    expect(failureKind(corruptRead())).toBe('local');
    expect(failureKind(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe('busy');
    expect(failureKind(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('program');
  });
});

describe('retryDelayMs', () => {
  const at = (kind: Parameters<typeof retryDelayMs>[0], n: number, r: number) =>
    retryDelayMs(kind, n, { random: () => r, offlineMaxMs: 30_000 });
  it('offline: from 1 s, doubling, at most the offline cap', () => {
    expect([1, 2, 3].map((n) => at('offline', n, 0))).toEqual([1000, 2000, 4000]);
    expect(at('offline', 20, 1)).toBe(30_000);
  });
  it('a problem that needs IT: from 16 s, doubling, at most 5 min, whatever the jitter', () => {
    expect([1, 2, 3].map((n) => at('local', n, 0))).toEqual([16_000, 32_000, 64_000]);
    for (const kind of ['local', 'central', 'program'] as const)
      for (let n = 1; n < 40; n++) {
        expect(at(kind, n, 0)).toBeGreaterThanOrEqual(15_000);
        expect(at(kind, n, 1)).toBeLessThanOrEqual(PROBLEM_BACKOFF_MAX_MS);
      }
  });
});
