// The access log leaves the desk: every audit row goes to central as a FHIR AuditEvent, in order,
// after the booking sync of each cycle. Why: a desk's SQLite file is a poor place to keep a log
// for five years (a desk is replaced, a disk dies), the region reviews access logs centrally, and
// a hash chain that lives only beside the data it protects can be rewritten whole. Central keeps
// its copy append-only: a row sent again with other content is refused, and `verifyAuditAtCentral`
// compares the desk's chain with central's copy row by row.
//
// Each AuditEvent carries every field auditHash covers (as entity.detail of the log row itself),
// so central's copy can be checked on its own. `source.site` names the desk's chain (settings
// `audit_chain_id`), which is how a region finds one desk's log. A chain may start after rows of
// another (settings `audit_chain_start`: a restored backup, a desk copied from another): those
// rows are never sent under this chain, and the check against central reads only this chain's.
import type { AuditEvent, AuditEventEntity, BundleEntry } from '@medplum/fhirtypes';
import { auditChainId, auditChainStart, auditHash, type AuditAction, type AuditRow } from '../services/audit.ts';
import type { ServiceContext } from '../services/context.ts';
import { CentralError, searchUrl, type CentralApi } from './central-api.ts';
import { ourIdentifier } from './fhir/mapping.ts';
import { readCursor, writeCursor } from './local.ts';

/** sync_state feed: the seq of the last row central has acknowledged. */
export const AUDIT_SHIPPED_FEED = 'audit-shipped';
const ACTION_SYSTEM = 'urn:tidbok:audit-action';
const USER_SYSTEM = 'urn:tidbok:user';

const FHIR_ACTION: Record<AuditAction, NonNullable<AuditEvent['action']>> = {
  read: 'R',
  change: 'U',
  print: 'R',
  export: 'R',
  login: 'E',
  logout: 'E',
};

/** The log row's fields as entity.detail types (the order auditHash reads them in does not matter here). */
const FIELDS = [
  'seq',
  'at',
  'action',
  'unit',
  'user',
  'workstation',
  'patient',
  'entity',
  'entity-id',
  'detail',
  'prev-hash',
  'hash',
];

export function toAuditEvent(
  row: AuditRow,
  chainId: string,
  refs: { username: string | null; patientRemoteId: string | null },
): AuditEvent {
  const values: Record<string, string | null> = {
    seq: String(row.seq),
    at: String(row.at),
    action: row.action,
    unit: row.unit_id,
    user: row.user_id,
    workstation: row.workstation,
    patient: row.patient_id,
    entity: row.entity,
    'entity-id': row.entity_id,
    detail: row.detail,
    'prev-hash': row.prev_hash,
    hash: row.hash,
  };
  const entities: AuditEventEntity[] = [
    {
      what: { identifier: ourIdentifier(row.id) },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' },
      name: 'tidbok-audit-row',
      detail: FIELDS.filter((f) => values[f] !== null).map((f) => ({ type: f, valueString: values[f]! })),
    },
  ];
  if (row.patient_id) {
    entities.unshift({
      what: patientReference(row.patient_id, refs.patientRemoteId),
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: ACTION_SYSTEM, code: row.action }],
    action: FHIR_ACTION[row.action],
    recorded: new Date(row.at).toISOString(),
    outcome: '0',
    agent: [
      {
        who: {
          ...(row.user_id ? { identifier: { system: USER_SYSTEM, value: row.user_id } } : {}),
          display: refs.username ?? 'system',
        },
        requestor: true,
        network: { address: row.workstation, type: '1' },
      },
    ],
    source: { site: chainId, observer: { display: 'Tidbok' } },
    entity: entities,
  };
}

function patientReference(localId: string, remoteId: string | null) {
  return remoteId
    ? { reference: `Patient/${remoteId}`, identifier: ourIdentifier(localId) }
    : { identifier: ourIdentifier(localId) };
}

/** The log row an AuditEvent carries, or null when it is not one of ours. */
export function auditRowOf(ae: AuditEvent): AuditRow | null {
  const own = ae.entity?.find((e) => e.name === 'tidbok-audit-row');
  if (!own || !ae.id) return null;
  const v = new Map((own.detail ?? []).map((d) => [d.type, d.valueString ?? null]));
  const seq = Number(v.get('seq'));
  const at = Number(v.get('at'));
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(at)) return null;
  return {
    seq,
    id: ae.id,
    at,
    action: (v.get('action') ?? '') as AuditAction,
    unit_id: v.get('unit') ?? null,
    user_id: v.get('user') ?? null,
    workstation: v.get('workstation') ?? '',
    patient_id: v.get('patient') ?? null,
    entity: v.get('entity') ?? null,
    entity_id: v.get('entity-id') ?? null,
    detail: v.get('detail') ?? '{}',
    prev_hash: v.get('prev-hash') ?? '',
    hash: v.get('hash') ?? '',
  };
}

export interface ShipOptions {
  /** Rows per batch Bundle. */
  batch?: number;
  /** Batches per call: a backlog (an export's 20,000 rows) drains over a few cycles, bookings first. */
  maxBatches?: number;
}

/** The seq after which rows are still to ship: central's acknowledgement, or this chain's start. */
function shipAfter(ctx: ServiceContext): number {
  return Math.max(Number(readCursor(ctx, AUDIT_SHIPPED_FEED) ?? 0), auditChainStart(ctx));
}

/** Rows of this desk's chain not yet acknowledged by central. */
export function unshippedAuditRows(ctx: ServiceContext): number {
  const after = shipAfter(ctx);
  return ctx.db.prepare(`SELECT count(*) FROM audit_events WHERE seq > ?`).pluck().get(after) as number;
}

/**
 * Sends the rows after the cursor, in seq order, as batch Bundles of PUT AuditEvent/<row id> (a
 * retry after a lost answer is answered with the stored event). The cursor moves past each row
 * central acknowledged; the first refused row stops the shipment and is thrown (a 409 means
 * central holds that row with other content: the desk's log was changed).
 */
export async function shipAuditLog(ctx: ServiceContext, api: CentralApi, options: ShipOptions = {}): Promise<number> {
  const batch = options.batch ?? 500;
  const maxBatches = options.maxBatches ?? 4;
  const chainId = ctx.db.transaction(() => auditChainId(ctx, true)!)();
  const rowsAfter = ctx.db.prepare(
    `SELECT a.*, u.username, p.remote_id AS patient_remote_id FROM audit_events a
       LEFT JOIN users u ON u.id = a.user_id LEFT JOIN patients p ON p.id = a.patient_id
      WHERE a.seq > ? ORDER BY a.seq LIMIT ?`,
  );
  let shipped = 0;
  for (let b = 0; b < maxBatches; b++) {
    const after = shipAfter(ctx);
    const rows = rowsAfter.all(after, batch) as (AuditRow & { username: string | null; patient_remote_id: string | null })[];
    if (rows.length === 0) break;
    const entries: BundleEntry[] = rows.map((r) => ({
      resource: toAuditEvent(r, chainId, { username: r.username, patientRemoteId: r.patient_remote_id }),
      request: { method: 'PUT', url: `AuditEvent/${r.id}` },
    }));
    const answers = await api.batch(entries);
    const refused = answers.findIndex((a) => !/^20[01]/.test(a.response?.status ?? ''));
    const acknowledged = refused === -1 ? rows.length : refused;
    if (acknowledged > 0) writeCursor(ctx, AUDIT_SHIPPED_FEED, String(rows[acknowledged - 1]!.seq));
    shipped += acknowledged;
    if (refused !== -1) {
      const status = Number.parseInt(answers[refused]!.response?.status ?? '', 10);
      throw new CentralError(
        'http',
        `central refused access-log row ${rows[refused]!.seq} (AuditEvent/${rows[refused]!.id}): ${answers[refused]!.response?.status ?? '?'}`,
        Number.isNaN(status) ? null : status,
      );
    }
    if (rows.length < batch) break;
  }
  return shipped;
}

export interface CentralAuditCheck {
  /** The last row central holds of this desk's chain (0: none yet). */
  upTo: number;
  /** The first row where the desk's log and central's copy disagree (Swedish reason), or null. */
  problem: { seq: number; reason: string } | null;
}

const DIFFERS = 'raden skiljer sig från centralens kopia (ändrad eller ersatt)';
const MISSING = 'raden finns på centralen men saknas här (raderad)';
const BAD_COPY = 'centralens kopia av raden stämmer inte med sin hash';

/**
 * Compares the desk's log with central's copy. One read is enough when all is well: the desk's
 * chain checks out locally (verifyAuditChain), so if its row at central's last seq has the hash
 * central holds, every row before it is as it was sent. Only when that row differs or is gone is
 * the whole copy read, to name the first row that differs. A desk log rewritten whole (a fresh
 * chain that verifies locally) differs at its first rewritten row.
 */
export async function verifyAuditAtCentral(ctx: ServiceContext, api: CentralApi): Promise<CentralAuditCheck> {
  const chainId = auditChainId(ctx);
  if (!chainId) return { upTo: 0, problem: null };
  const local = ctx.db.prepare(`SELECT * FROM audit_events WHERE seq = ?`);
  const differs = (c: AuditRow): string | null => {
    if (auditHash(c) !== c.hash) return BAD_COPY;
    const here = local.get(c.seq) as AuditRow | undefined;
    if (!here) return MISSING;
    return here.id !== c.id || here.hash !== c.hash ? DIFFERS : null;
  };
  const latestPage = await api.searchPage<AuditEvent>(
    searchUrl(api.baseUrl, 'AuditEvent', { site: chainId, _sort: '-_lastUpdated', _count: '1' }),
  );
  const latest = latestPage.resources.map(auditRowOf)[0];
  if (!latest) return { upTo: 0, problem: null };
  if (differs(latest) === null) return { upTo: latest.seq, problem: null };
  const central = (await api.searchAll<AuditEvent>('AuditEvent', { site: chainId, _count: '1000' }))
    .map(auditRowOf)
    .filter((r): r is AuditRow => r !== null)
    .sort((a, b) => a.seq - b.seq);
  for (const c of central) {
    const reason = differs(c);
    if (reason) return { upTo: latest.seq, problem: { seq: c.seq, reason } };
  }
  return { upTo: latest.seq, problem: { seq: latest.seq, reason: differs(latest)! } };
}

/**
 * The Åtkomstlogg page's line about central's copy: null without a central; never throws.
 * `chainStartsAfter`: the rows up to it belong to an earlier chain (a restored backup's, or the
 * desk this one was copied from) and are not this chain's to send or compare.
 */
export async function centralAuditCheck(
  ctx: ServiceContext,
  api: CentralApi | null,
): Promise<(CentralAuditCheck & { unsent: number; chainStartsAfter: number; unreachable: string | null }) | null> {
  if (!api) return null;
  const unsent = unshippedAuditRows(ctx);
  const chainStartsAfter = auditChainStart(ctx);
  try {
    return { ...(await verifyAuditAtCentral(ctx, api)), unsent, chainStartsAfter, unreachable: null };
  } catch (err) {
    return { upTo: 0, problem: null, unsent, chainStartsAfter, unreachable: err instanceof Error ? err.message : String(err) };
  }
}
