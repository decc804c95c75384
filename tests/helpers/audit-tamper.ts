// What someone with write access to a desk's database file could do to its access log: drop the
// append-only triggers, change or drop rows, and rehash the whole chain and its anchor so that the
// local check (verifyAuditChain) passes again. Only central's copy can tell (sync/audit-ship.ts).
import type { Database } from 'better-sqlite3';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../src-main/services/audit.ts';

export function rewriteAuditLog(db: Database, change: (rows: AuditRow[]) => AuditRow[]): void {
  db.exec(`DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete`);
  const rows = change(db.prepare(`SELECT * FROM audit_events ORDER BY seq`).all() as AuditRow[]);
  db.transaction(() => {
    db.exec(`DELETE FROM audit_events`);
    const ins = db.prepare(
      `INSERT INTO audit_events (seq, id, at, action, unit_id, user_id, workstation, patient_id, entity, entity_id, detail, prev_hash, hash)
       VALUES (@seq, @id, @at, @action, @unit_id, @user_id, @workstation, @patient_id, @entity, @entity_id, @detail, @prev_hash, @hash)`,
    );
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const row = { ...r, prev_hash: prev };
      row.hash = auditHash(row);
      ins.run(row);
      prev = row.hash;
    }
    db.prepare(`UPDATE settings SET value = ? WHERE key = 'audit_head'`).run(
      JSON.stringify({ seq: rows.at(-1)?.seq ?? 0, hash: prev }),
    );
  })();
}
