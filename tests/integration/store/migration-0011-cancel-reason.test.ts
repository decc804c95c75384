// Migration 0011 gives a cancellation's (or rebooking's) reason columns of its own. A database at
// schema 10 (the released v1 fixture, migrated as far as 0010, with a few bookings in each state
// added) keeps every reason: an active booking's stays the visit's; a cancelled or rebooked one's
// was the cancellation's and moves; its visit reason was overwritten back then and stays unknown.
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../src-main/store/database.ts';
import { migrationsUpTo, tempDbPath } from '../../helpers/temp-db.ts';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/db/v1.db');

type Row = {
  id: string;
  status: string;
  reason_code: string | null;
  reason_text: string | null;
  cancel_reason_code?: string | null;
  cancel_reason_text?: string | null;
  version: number;
};

describe('migration 0011: a cancellation’s reason moves to its own columns', () => {
  it('moves the reason of cancelled and rebooked bookings, keeps an active booking’s, writes no outbox row', () => {
    const path = tempDbPath();
    copyFileSync(FIXTURE, path);
    const at10 = openDatabase(path, { migrationsDir: migrationsUpTo(10) });
    expect(schemaVersion(at10)).toBe(10);
    // Bookings as the code before 0011 left them: a visit reason on an active booking, a rebooked
    // one carrying why it was moved (in the visit's columns), a cancelled one with text only.
    const ids = (
      at10.prepare(`SELECT id FROM bookings WHERE status = 'booked' ORDER BY id LIMIT 4`).all() as { id: string }[]
    ).map((r) => r.id);
    const [active, rebooked, target, textOnly] = ids as [string, string, string, string];
    at10.prepare(`UPDATE bookings SET reason_code = 'HOSTA', reason_text = 'sedan september' WHERE id = ?`).run(active);
    at10
      .prepare(
        `UPDATE bookings SET status = 'rebooked', rebooked_to = ?, reason_code = 'PATIENT', reason_text = NULL WHERE id = ?`,
      )
      .run(target, rebooked);
    at10
      .prepare(`UPDATE bookings SET status = 'cancelled', reason_code = NULL, reason_text = 'Förhinder' WHERE id = ?`)
      .run(textOnly);
    const before = at10.prepare(`SELECT id, status, reason_code, reason_text, version FROM bookings ORDER BY id`).all() as Row[];
    const outboxBefore = (at10.prepare(`SELECT count(*) AS n FROM outbox`).get() as { n: number }).n;
    expect(before.filter((r) => r.status === 'cancelled' && r.reason_code === 'KAN_EJ').length).toBeGreaterThan(5);
    at10.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(11);
    const after = new Map(
      (
        db
          .prepare(`SELECT id, status, reason_code, reason_text, cancel_reason_code, cancel_reason_text, version FROM bookings`)
          .all() as Row[]
      ).map((r) => [r.id, r]),
    );
    expect(after.size).toBe(before.length);
    for (const old of before) {
      const now = after.get(old.id)!;
      const ended = old.status === 'cancelled' || old.status === 'rebooked';
      expect(now, old.id).toEqual({
        ...old,
        reason_code: ended ? null : old.reason_code,
        reason_text: ended ? null : old.reason_text,
        cancel_reason_code: ended ? old.reason_code : null,
        cancel_reason_text: ended ? old.reason_text : null,
      });
    }
    expect(after.get(active)).toMatchObject({ reason_code: 'HOSTA', reason_text: 'sedan september', cancel_reason_code: null });
    expect(after.get(rebooked)).toMatchObject({ reason_code: null, cancel_reason_code: 'PATIENT', cancel_reason_text: null });
    expect(after.get(textOnly)).toMatchObject({ reason_text: null, cancel_reason_code: null, cancel_reason_text: 'Förhinder' });
    // A new place for old data, not a change of any booking: nothing to send to central.
    expect((db.prepare(`SELECT count(*) AS n FROM outbox`).get() as { n: number }).n).toBe(outboxBefore);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
