// The access-log rows of an export are appended by recordAuditPerPatient, which builds the text
// auditHash hashes from fragments encoded once. Its rows must be exactly what auditHash and the
// chain check expect, whatever the strings hold, and interleave with rows recordAudit writes.
import { describe, expect, it } from 'vitest';
import {
  auditHash,
  recordAudit,
  recordAuditPerPatient,
  verifyAuditChain,
  type AuditRow,
} from '../../../src-main/services/audit.ts';
import { openTestDb } from '../../helpers/temp-db.ts';

describe('recordAuditPerPatient', () => {
  it('writes one chained row per patient that auditHash and verifyAuditChain accept', () => {
    const { ctx } = openTestDb({ demo: true });
    const caller = { userId: null, username: 'x', displayName: 'X', roles: ['admin'] as const, workstation: 'Rum "3" – å\\ä' };
    const patients = ctx.db.prepare(`SELECT id FROM patients ORDER BY id LIMIT 120`).pluck().all() as string[];
    const detail = { format: 'pdf', note: 'citat "ja", radbrytning\noch emoji 🩺', nested: { n: 1.5, list: [null, true] } };
    ctx.db.transaction(() => {
      recordAudit(ctx, caller, { action: 'read', entity: 'x' });
      recordAuditPerPatient(ctx, caller, { action: 'print', entity: 'export', entityId: 'e-1', detail }, patients);
      recordAudit(ctx, caller, { action: 'read', entity: 'y' });
    })();
    const rows = ctx.db.prepare(`SELECT * FROM audit_events WHERE entity_id = 'e-1' ORDER BY seq`).all() as AuditRow[];
    // More than one multi-row statement's worth, and a remainder written row by row.
    expect(patients.length).toBe(120);
    expect(rows.map((r) => r.patient_id)).toEqual(patients);
    for (const r of rows) {
      expect(r.hash).toBe(auditHash(r));
      expect(r).toMatchObject({ action: 'print', entity: 'export', user_id: null, workstation: caller.workstation });
      expect(JSON.parse(r.detail)).toEqual(detail);
    }
    expect(verifyAuditChain(ctx)).toBeNull();
  });

  it('writes nothing for no patients', () => {
    const { ctx } = openTestDb();
    const count = () => ctx.db.prepare(`SELECT count(*) FROM audit_events`).pluck().get() as number;
    const before = count();
    recordAuditPerPatient(
      ctx,
      { userId: null, username: 'x', displayName: 'X', roles: [], workstation: 'w' },
      { action: 'export' },
      [],
    );
    expect(count()).toBe(before);
  });
});
