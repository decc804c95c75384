// A transaction of the desk begins by taking the write lock (store/database.ts): a service that
// reads and then writes is never refused its write because another process on the file committed
// in between (SQLite's stale-snapshot SQLITE_BUSY, which no busy timeout helps); instead the other
// process waits its turn.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src-main/store/database.ts';
import { tempDbPath } from '../../helpers/temp-db.ts';

describe('transactions begin with the write lock', () => {
  it('another connection cannot commit between a transaction’s read and its write', () => {
    const path = tempDbPath();
    const desk = openDatabase(path);
    const other = new Database(path);
    other.pragma('busy_timeout = 0'); // in this one thread it cannot wait for the desk
    const otherWrite = desk.transaction(() => {
      desk.prepare(`SELECT count(*) FROM settings`).get(); // read first, as the services do
      let refused: string | null = null;
      try {
        other.prepare(`INSERT INTO settings (key, value) VALUES ('other', '1')`).run();
      } catch (err) {
        refused = (err as { code?: string }).code ?? 'error';
      }
      desk.prepare(`INSERT INTO settings (key, value) VALUES ('desk', '1')`).run();
      return refused;
    })();
    expect(otherWrite).toBe('SQLITE_BUSY');
    expect(desk.prepare(`SELECT key FROM settings WHERE key IN ('desk', 'other')`).pluck().all()).toEqual(['desk']);
    // Once the desk's transaction is over, the other connection writes as usual.
    other.prepare(`INSERT INTO settings (key, value) VALUES ('other', '1')`).run();
    other.close();
    desk.close();
  });

  it('nested transactions stay savepoints: an inner failure rolls back only the inner part', () => {
    const desk = openDatabase(tempDbPath());
    desk.transaction(() => {
      desk.prepare(`INSERT INTO settings (key, value) VALUES ('outer', '1')`).run();
      expect(() =>
        desk.transaction(() => {
          desk.prepare(`INSERT INTO settings (key, value) VALUES ('inner', '1')`).run();
          throw new Error('inner fails');
        })(),
      ).toThrow('inner fails');
    })();
    expect(desk.prepare(`SELECT key FROM settings WHERE key IN ('outer', 'inner')`).pluck().all()).toEqual(['outer']);
    desk.close();
  });
});
