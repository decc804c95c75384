// Reading the access log: search by patient, user and period, CSV export, and the patient's log
// extract (which units, users and times accessed them). Reading the log shows patient names, so
// these reads are themselves audit events.
import { stringify } from 'csv-stringify/sync';
import type { AuditEntry, AuditPage, PatientLogExtract } from '../api/methods/auth.ts';
import { notFound } from '../api/result.ts';
import { addDays, localDate, startOfLocalDay } from '../domain/time.ts';
import { parseIdentityNumber } from '../domain/personnummer.ts';
import type { Caller, ServiceContext } from './context.ts';
import { recordAudit, verifyAuditChain } from './audit.ts';
import { currentUnit } from './unit.ts';
import { patientMatch } from './patient-match.ts';

export interface AuditFilter {
  patientId?: string | undefined;
  identityNumber?: string | undefined;
  userId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  action?: AuditEntry['action'] | undefined;
  limit?: number | undefined;
}

interface EntryRow {
  seq: number;
  at: number;
  action: AuditEntry['action'];
  unit_hsa_id: string | null;
  unit_name: string | null;
  user_id: string | null;
  username: string | null;
  user_display_name: string | null;
  workstation: string;
  patient_id: string | null;
  patient_name: string | null;
  identity_number: string | null;
  entity: string | null;
  entity_id: string | null;
  detail: string;
}

/** The patient id an identity number (any accepted spelling) names; not_found if none. */
function patientIdFor(ctx: ServiceContext, identityNumber: string): string {
  const today = localDate(ctx.now(), currentUnit(ctx).timeZone);
  const parsed = parseIdentityNumber(identityNumber, today, { allowReserve: true });
  // A personnummer as the patient search reads it (a centenarian's typed without '+' too); a
  // reserve number exactly as stored.
  const match = parsed.ok && parsed.kind !== 'reserve' ? patientMatch(ctx, identityNumber, today) : null;
  const rows = (
    match
      ? ctx.db.prepare(`SELECT id FROM patients WHERE ${match.where} LIMIT 2`).all(...match.params)
      : ctx.db
          .prepare(`SELECT id FROM patients WHERE identity_number = ?`)
          .all(parsed.ok ? parsed.normalised : identityNumber.trim())
  ) as { id: string }[];
  if (rows.length !== 1) throw notFound('Patienten');
  return rows[0]!.id;
}

function query(ctx: ServiceContext, filter: AuditFilter, limit: number): AuditPage {
  const tz = currentUnit(ctx).timeZone;
  const patientId = filter.patientId ?? (filter.identityNumber ? patientIdFor(ctx, filter.identityNumber) : null);
  const rows = ctx.db
    .prepare(
      `SELECT a.seq, a.at, a.action, un.hsa_id AS unit_hsa_id, un.name AS unit_name, a.user_id, us.username,
              us.display_name AS user_display_name, a.workstation, a.patient_id,
              p.given_name || ' ' || p.family_name AS patient_name, p.identity_number, a.entity, a.entity_id, a.detail
         FROM audit_events a
         LEFT JOIN units un ON un.id = a.unit_id
         LEFT JOIN users us ON us.id = a.user_id
         LEFT JOIN patients p ON p.id = a.patient_id
        WHERE (@patient IS NULL OR a.patient_id = @patient)
          AND (@user IS NULL OR a.user_id = @user)
          AND (@action IS NULL OR a.action = @action)
          AND a.at >= @from AND a.at < @to
        ORDER BY a.seq DESC
        LIMIT @limit`,
    )
    .all({
      patient: patientId,
      user: filter.userId ?? null,
      action: filter.action ?? null,
      from: filter.from ? startOfLocalDay(filter.from, tz) : 0,
      to: filter.to ? startOfLocalDay(addDays(filter.to, 1), tz) : Number.MAX_SAFE_INTEGER,
      limit: limit + 1,
    }) as EntryRow[];
  const entries = rows.slice(0, limit).map((r): AuditEntry => ({
    seq: r.seq,
    at: r.at,
    action: r.action,
    unitHsaId: r.unit_hsa_id,
    unitName: r.unit_name,
    userId: r.user_id,
    username: r.username,
    userDisplayName: r.user_display_name ?? systemActor(r),
    workstation: r.workstation,
    patientId: r.patient_id,
    patientName: r.patient_name,
    patientIdentityNumber: r.identity_number,
    entity: r.entity,
    entityId: r.entity_id,
    detail: r.detail,
  }));
  return { entries, truncated: rows.length > limit };
}

/**
 * Who acted on a row no user wrote: sync applying central's changes (workstation `sync`), and for a
 * patient's own change on 1177 that it brought (detail `channel: 'web'`), the patient.
 */
function systemActor(r: EntryRow): string | null {
  if (r.user_id !== null || r.workstation !== 'sync') return null;
  return (JSON.parse(r.detail) as { channel?: unknown }).channel === 'web' ? 'Patienten via 1177' : 'Synkronisering';
}

function filterDetail(filter: AuditFilter): Record<string, unknown> {
  // The identity number searched for is not copied into the log: the patient id says who.
  const { identityNumber: _n, ...rest } = filter;
  return rest;
}

export function searchAudit(ctx: ServiceContext, caller: Caller, filter: AuditFilter): AuditPage {
  const page = query(ctx, filter, filter.limit ?? 500);
  const patients = new Set(page.entries.map((e) => e.patientId).filter((p): p is string => p !== null));
  recordAudit(ctx, caller, {
    action: 'read',
    entity: 'audit_events',
    detail: { view: 'audit.search', filter: filterDetail(filter), rows: page.entries.length, patients: [...patients] },
  });
  return page;
}

export function exportAudit(
  ctx: ServiceContext,
  caller: Caller,
  filter: AuditFilter,
): { filename: string; csv: string; rows: number } {
  const page = query(ctx, filter, filter.limit ?? 5000);
  const tz = currentUnit(ctx).timeZone;
  const csv = stringify(
    page.entries.map((e) => [
      new Date(e.at).toISOString(),
      e.action,
      e.unitHsaId ?? '',
      e.unitName ?? '',
      e.username ?? '',
      e.userDisplayName ?? '',
      e.workstation,
      e.patientIdentityNumber ?? '',
      e.patientName ?? '',
      e.entity ?? '',
      e.entityId ?? '',
      e.detail,
    ]),
    {
      header: true,
      columns: [
        'tid_utc',
        'handelse',
        'enhet_hsa_id',
        'enhet',
        'anvandare',
        'namn',
        'arbetsstation',
        'personnummer',
        'patient',
        'objekt',
        'objekt_id',
        'detaljer',
      ],
      bom: true,
    },
  );
  recordAudit(ctx, caller, {
    action: 'export',
    entity: 'audit_events',
    detail: { view: 'audit.export', filter: filterDetail(filter), rows: page.entries.length },
  });
  return { filename: `atkomstlogg-${localDate(ctx.now(), tz)}.csv`, csv, rows: page.entries.length };
}

export function patientLogExtract(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    patientId?: string | undefined;
    identityNumber?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
): PatientLogExtract {
  const patientId = input.patientId ?? patientIdFor(ctx, input.identityNumber ?? '');
  const patient = ctx.db
    .prepare(`SELECT id, given_name || ' ' || family_name AS name, identity_number FROM patients WHERE id = ?`)
    .get(patientId) as { id: string; name: string; identity_number: string } | undefined;
  if (!patient) throw notFound('Patienten', patientId);
  // Oldest first: an extract reads as a history. Sign-ins and the log's own reads are not about the patient.
  const page = query(ctx, { patientId, from: input.from, to: input.to }, 100_000);
  const entries = page.entries
    .slice()
    .reverse()
    .map((e) => ({
      at: e.at,
      action: e.action,
      unitHsaId: e.unitHsaId,
      unitName: e.unitName,
      user: e.userDisplayName ?? e.username,
      workstation: e.workstation,
    }));
  recordAudit(ctx, caller, { action: 'export', patientId, entity: 'audit_events', detail: { view: 'audit.patientExtract' } });
  return {
    patient: { id: patient.id, name: patient.name, identityNumber: patient.identity_number },
    from: input.from ?? null,
    to: input.to ?? null,
    entries,
  };
}

export function verifyAudit(ctx: ServiceContext): {
  intact: boolean;
  events: number;
  broken: { seq: number; reason: string } | null;
} {
  const broken = verifyAuditChain(ctx);
  const events = (ctx.db.prepare(`SELECT count(*) AS n FROM audit_events`).get() as { n: number }).n;
  return { intact: broken === null, events, broken };
}
