// The access log (Patientdatalagen / HSLF-FS 2016:40): who did what to whose data, when, where.
// Append-only (triggers forbid UPDATE/DELETE) and hash-chained: each row's hash covers its own
// fields and the previous row's hash, so an edited or deleted row breaks the chain. Views and
// exports write one row per patient they showed or let out (recordPatientReads,
// recordAuditPerPatient: a 100k-row export appends its 20,000 rows in one batch), so a patient's
// log extract finds every access through the patient index.
import { createHash, hash } from 'node:crypto';
import type { Caller, ServiceContext } from './context.ts';
import { currentUnitId } from './unit.ts';

export type AuditAction = 'read' | 'change' | 'print' | 'export' | 'login' | 'logout';

export interface AuditInput {
  action: AuditAction;
  patientId?: string | null;
  entity?: string | null;
  entityId?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  id: string;
  at: number;
  action: AuditAction;
  unit_id: string | null;
  user_id: string | null;
  workstation: string;
  patient_id: string | null;
  entity: string | null;
  entity_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a row: sha256 over prev_hash and the row's fields in a fixed order. */
export function auditHash(row: Omit<AuditRow, 'seq' | 'hash'>): string {
  const canonical = JSON.stringify([
    row.prev_hash,
    row.id,
    row.at,
    row.action,
    row.unit_id,
    row.user_id,
    row.workstation,
    row.patient_id,
    row.entity,
    row.entity_id,
    row.detail,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const INSERT_VALUES = `INSERT INTO audit_events
  (id, at, action, unit_id, user_id, workstation, patient_id, entity, entity_id, detail, prev_hash, hash) VALUES`;
const ROW_PARAMS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const PER_STATEMENT = 50;

/** Prepared once per connection: list views append hundreds of events per call. */
const statementCache = new WeakMap<ServiceContext['db'], ReturnType<typeof prepareAuditStatements>>();

function prepareAuditStatements(db: ServiceContext['db']) {
  return {
    last: db.prepare(`SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`),
    insert: db.prepare(
      `INSERT INTO audit_events (id, at, action, unit_id, user_id, workstation, patient_id, entity, entity_id, detail, prev_hash, hash)
       VALUES (@id, @at, @action, @unit_id, @user_id, @workstation, @patient_id, @entity, @entity_id, @detail, @prev_hash, @hash)`,
    ),
    insertValues: db.prepare(`${INSERT_VALUES} ${ROW_PARAMS}`),
    /** PER_STATEMENT rows at once: a batch of 20,000 rows costs a fifth less than one by one. */
    insertMany: db.prepare(`${INSERT_VALUES} ${Array<string>(PER_STATEMENT).fill(ROW_PARAMS).join(', ')}`),
    head: db.prepare(
      `INSERT INTO settings (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    /** Patients a user's view of this kind has logged since a time (audit_by_user's range). */
    recentViewReads: db
      .prepare(
        `SELECT DISTINCT patient_id FROM audit_events
          WHERE user_id = ? AND at >= ? AND action = 'read' AND workstation = ? AND patient_id IS NOT NULL
            AND detail ->> '$.view' = ?`,
      )
      .pluck(),
  };
}

function auditStatements(db: ServiceContext['db']): ReturnType<typeof prepareAuditStatements> {
  let s = statementCache.get(db);
  if (!s) {
    s = prepareAuditStatements(db);
    statementCache.set(db, s);
  }
  return s;
}

/** Appends events in order, chained to the log's head. Call inside the transaction they record. */
function appendEvents(ctx: ServiceContext, caller: Caller, events: readonly AuditInput[]): void {
  if (events.length === 0) return;
  const stmts = auditStatements(ctx.db);
  let prev = (stmts.last.get() as { seq: number; hash: string } | undefined)?.hash ?? GENESIS_HASH;
  let seq = 0;
  const at = ctx.now();
  const unitId = currentUnitId(ctx);
  for (const event of events) {
    const row: Omit<AuditRow, 'seq' | 'hash'> = {
      id: ctx.newId(),
      at,
      action: event.action,
      unit_id: unitId,
      user_id: caller.userId,
      workstation: caller.workstation,
      patient_id: event.patientId ?? null,
      entity: event.entity ?? null,
      entity_id: event.entityId ?? null,
      detail: JSON.stringify(event.detail ?? {}),
      prev_hash: prev,
    };
    prev = auditHash(row);
    seq = Number(stmts.insert.run({ ...row, hash: prev }).lastInsertRowid);
  }
  // The head anchor: deleting rows from the end of the chain leaves no broken link, but it
  // leaves the anchor pointing past the last row.
  stmts.head.run(JSON.stringify({ seq, hash: prev }));
}

/** Appends one event. Call inside the transaction of the change it records. */
export function recordAudit(ctx: ServiceContext, caller: Caller, event: AuditInput): void {
  appendEvents(ctx, caller, [event]);
}

/**
 * Appends a batch of events with one read of the chain's head and one anchor write, e.g. the
 * per-patient events of a 100k-row export. Call inside the transaction they record.
 */
export function recordAuditEvents(ctx: ServiceContext, caller: Caller, events: readonly AuditInput[]): void {
  appendEvents(ctx, caller, events);
}

/** recordAuditPerPatient's entityId when each row is about its own patient (entity 'patient'). */
export const EACH_PATIENT = Symbol('each patient');

/**
 * The same event once per patient (an export's or a printed day list's access-log rows: 20,000
 * for a 100k-row export), appended like recordAuditEvents but with what is alike in every row
 * encoded once: the detail's JSON, and the canonical text auditHash hashes, built from
 * fragments around the row's id, patient and previous hash. The text is exactly auditHash's
 * (tests verify the chain with auditHash after such a batch). Call inside the transaction.
 */
export function recordAuditPerPatient(
  ctx: ServiceContext,
  caller: Caller,
  event: Omit<AuditInput, 'patientId' | 'entityId'> & { entityId?: string | null | typeof EACH_PATIENT },
  patientIds: readonly string[],
): void {
  if (patientIds.length === 0) return;
  const stmts = auditStatements(ctx.db);
  let prev = (stmts.last.get() as { seq: number; hash: string } | undefined)?.hash ?? GENESIS_HASH;
  const at = ctx.now();
  const unitId = currentUnitId(ctx);
  const entity = event.entity ?? null;
  const perPatient = event.entityId === EACH_PATIENT;
  const fixedEntityId = event.entityId === EACH_PATIENT ? null : (event.entityId ?? null);
  const detail = JSON.stringify(event.detail ?? {});
  const j = JSON.stringify;
  // auditHash's array: [prev_hash, id, at, action, unit_id, user_id, workstation, patient_id, entity, entity_id, detail]
  const middle = `,${j(at)},${j(event.action)},${j(unitId)},${j(caller.userId)},${j(caller.workstation)},`;
  const entityPart = `,${j(entity)},`;
  const tail = `,${j(detail)}]`;
  let seq = 0;
  let batch: unknown[] = [];
  for (const patientId of patientIds) {
    const id = ctx.newId();
    const entityId = perPatient ? patientId : fixedEntityId;
    const rowHash = hash('sha256', `[${j(prev)},${j(id)}${middle}${j(patientId)}${entityPart}${j(entityId)}${tail}`, 'hex');
    batch.push(
      id,
      at,
      event.action,
      unitId,
      caller.userId,
      caller.workstation,
      patientId,
      entity,
      entityId,
      detail,
      prev,
      rowHash,
    );
    prev = rowHash;
    if (batch.length === PER_STATEMENT * 12) {
      seq = Number(stmts.insertMany.run(batch).lastInsertRowid);
      batch = [];
    }
  }
  for (let k = 0; k < batch.length; k += 12) seq = Number(stmts.insertValues.run(batch.slice(k, k + 12)).lastInsertRowid);
  stmts.head.run(JSON.stringify({ seq, hash: prev }));
}

/**
 * One `read` event per distinct patient a view showed (calendar, lists, patient view): the
 * patient's log extract then finds every view that showed them through the patient index.
 */
export function recordPatientReads(
  ctx: ServiceContext,
  caller: Caller,
  patientIds: Iterable<string>,
  detail: Record<string, unknown>,
  options: { notAgainWithinMs?: number } = {},
): void {
  let ids = [...new Set(patientIds)];
  if (options.notAgainWithinMs && caller.userId !== null && ids.length > 0) {
    const already = new Set(
      auditStatements(ctx.db).recentViewReads.all(
        caller.userId,
        ctx.now() - options.notAgainWithinMs,
        caller.workstation,
        String(detail.view),
      ) as string[],
    );
    ids = ids.filter((id) => !already.has(id));
  }
  // One batch (a 60-resource week shows ~3,700 patients): rows as appendEvents would write them.
  recordAuditPerPatient(ctx, caller, { action: 'read', entity: 'patient', entityId: EACH_PATIENT, detail }, ids);
}

/**
 * How long a list view's read of a patient stands for the same user at the same workstation: the
 * calendar refetches on every change anywhere in the unit (another desk's booking, a web booking
 * pulled), and a row per patient per refetch buried the log (~3,900 rows per 60-resource week
 * load, ~80 ms each time) without saying anything new about who saw whom.
 */
export const VIEW_READ_STANDS_MS = 15 * 60_000;

const CHAIN_SETTING = 'audit_chain_id';

/**
 * The chain's id, by which central keeps this desk's copy of the log (sync/audit-ship.ts): made
 * once, on the first shipment (`create`).
 */
export function auditChainId(ctx: ServiceContext, create = false): string | null {
  const row = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(CHAIN_SETTING) as string | undefined;
  if (row || !create) return row ? (JSON.parse(row) as string) : null;
  const id = ctx.newId();
  ctx.db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)`).run(CHAIN_SETTING, JSON.stringify(id));
  return id;
}

const CHAIN_START_SETTING = 'audit_chain_start';

/**
 * The seq after which this desk's chain begins (0: the whole log is its own). The rows before
 * were shipped, or are shipped, under another chain id: a restored backup's (its old chain), a
 * copied desk's (the desk it was copied from). Shipping and the check against central read only
 * the rows after it; locally the log stays one unbroken hash chain.
 */
export function auditChainStart(ctx: Pick<ServiceContext, 'db'>): number {
  const v = ctx.db.prepare(`SELECT value FROM settings WHERE key = ?`).pluck().get(CHAIN_START_SETTING) as string | undefined;
  return v ? Number(JSON.parse(v)) : 0;
}

/**
 * Goes on as a new chain at central, starting after the rows the log holds now: a restored
 * backup (its rows were shipped under the old id, which central keeps; sent again under a new id
 * central would refuse them) or a copied desk (its rows are the other desk's to ship). Returns
 * the seq the new chain starts after. Call inside a transaction when it goes with other changes.
 */
export function startNewAuditChain(db: ServiceContext['db']): number {
  const last = (db.prepare(`SELECT max(seq) FROM audit_events`).pluck().get() as number | null) ?? 0;
  db.prepare(`DELETE FROM settings WHERE key = ?`).run(CHAIN_SETTING);
  db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
    CHAIN_START_SETTING,
    JSON.stringify(last),
  );
  return last;
}

/** Walks the chain; returns the first broken link (reason in Swedish, shown to admins), or null when intact. */
export function verifyAuditChain(ctx: ServiceContext): { seq: number; reason: string } | null {
  let prev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  for (const row of ctx.db.prepare(`SELECT * FROM audit_events ORDER BY seq`).iterate() as Iterable<AuditRow>) {
    if (expectedSeq !== null && row.seq !== expectedSeq) return { seq: expectedSeq, reason: 'rad saknas (raderad)' };
    if (row.prev_hash !== prev) return { seq: row.seq, reason: 'kedjan bruten (raden före är raderad eller ändrad)' };
    if (auditHash(row) !== row.hash) return { seq: row.seq, reason: 'raden är ändrad (hashen stämmer inte)' };
    prev = row.hash;
    expectedSeq = row.seq + 1;
  }
  const head = ctx.db.prepare(`SELECT value FROM settings WHERE key = 'audit_head'`).get() as { value: string } | undefined;
  if (head) {
    const anchor = JSON.parse(head.value) as { seq: number; hash: string };
    const last = expectedSeq === null ? 0 : expectedSeq - 1;
    if (anchor.seq > last) return { seq: last + 1, reason: 'rader saknas i slutet (raderade)' };
    const at = ctx.db.prepare(`SELECT hash FROM audit_events WHERE seq = ?`).get(anchor.seq) as { hash: string } | undefined;
    if (at?.hash !== anchor.hash) return { seq: anchor.seq, reason: 'raden är ändrad (stämmer inte med ankaret)' };
  }
  return null;
}
