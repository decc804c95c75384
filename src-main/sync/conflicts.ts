// The Konflikter inbox: what sync could not settle by itself, with free alternatives and
// one-click rebooking through the ordinary booking path (rules, outbox, audit all apply).
import { conflict, notFound, invalid } from '../api/result.ts';
import type { ConflictSuggestion, ConflictView, FailedEntry } from '../api/methods/sync.ts';
import type { Booking } from '../api/types.ts';
import { bookSlot } from '../services/bookings.ts';
import { recordAudit } from '../services/audit.ts';
import type { Caller, ServiceContext } from '../services/context.ts';
import { mayShowContactDetails } from '../domain/availability.ts';
import { deskBookingStatus } from '../services/sync-claims.ts';
import { suggestFreeSlots } from './local.ts';

interface ConflictRow {
  id: string;
  kind: ConflictView['kind'];
  entity: string;
  entity_id: string;
  detail: string;
  suggested: string;
  created_at: number;
  resolved_at: number | null;
  resolution: string | null;
  patient_id: string | null;
  given_name: string | null;
  family_name: string | null;
  identity_number: string | null;
  protected_identity: number | null;
  start_at: number | null;
  resource_name: string | null;
  type_id: string | null;
  type_name: string | null;
}

const REASON: Record<ConflictView['kind'], string> = {
  slot_taken: 'Tiden bokades på annat håll (webben eller en annan kassa) innan bokningen nådde den centrala tidboken.',
  stale_version: 'Bokningen ändrades centralt (t.ex. av patienten via 1177) samtidigt som här; den centrala ändringen gäller.',
  rejected: 'Den centrala tidboken tog inte emot ändringen.',
  web_cancel: 'Avbokad via 1177 i strid med besökstypens regler för avbokning.',
};

/** Central's Appointment status, as staff say it. */
const CENTRAL_STATUS_SV: Record<string, string> = {
  booked: 'bokad',
  pending: 'preliminär',
  arrived: 'ankommen',
  fulfilled: 'genomförd',
  noshow: 'uteblev',
  cancelled: 'avbokad',
  rebooked: 'ombokad',
};

function staleReason(central: string, moveVoided: boolean): string {
  const now = `${REASON.stale_version} Centralt: ${CENTRAL_STATUS_SV[central] ?? central}.`;
  return moveVoided ? `${now} Ombokningen som gjordes här blev inte av.` : now;
}

/** A patient edited at two desks (sync/patient-merge.ts): per field, this desk's value and the one that stands. */
interface PatientEditFields {
  notKept: Record<string, unknown>;
  kept: Record<string, unknown>;
}

const FIELD_SV: Record<string, string> = {
  identityNumber: 'personnummer',
  givenName: 'förnamn',
  familyName: 'efternamn',
  phone: 'telefon',
  email: 'e-post',
  address: 'adress',
  protectedIdentity: 'skyddad identitet',
};

/**
 * Why, naming each field both desks changed, what was typed here and what stands. The values only to
 * roles that may see the patient's contact details (`seen`); otherwise the field names alone.
 */
function patientEditReason(f: PatientEditFields, seen: boolean): string {
  const said = (v: unknown) => (v === null || v === '' ? 'tomt' : v === true ? 'ja' : v === false ? 'nej' : String(v));
  const parts = Object.keys(f.notKept).map((k) =>
    seen ? `${FIELD_SV[k] ?? k}: här ”${said(f.notKept[k])}”, gäller ”${said(f.kept[k])}”` : (FIELD_SV[k] ?? k),
  );
  return `Patientens uppgifter ändrades samtidigt vid en annan kassa; den ändring som nådde den centrala tidboken först gäller. Kontrollera med patienten (${parts.join('; ')}).`;
}

/**
 * Central names for this patient a number another patient holds here (pull kept the number here).
 * The number and the other patient's name only to roles that may see them.
 */
function identityClashReason(ctx: ServiceContext, c: { central: string; heldBy: string }, seen: boolean): string {
  const other = ctx.db.prepare(`SELECT given_name, family_name, protected_identity FROM patients WHERE id = ?`).get(c.heldBy) as
    { given_name: string; family_name: string; protected_identity: number } | undefined;
  const who = seen && other && other.protected_identity === 0 ? ` (${other.given_name} ${other.family_name})` : '';
  const number = seen ? ` ${formatNumber(c.central)}` : '';
  return `Den centrala tidboken anger personnumret${number} för patienten, men en annan patient här${who} har det. Numret här ändrades inte: kontrollera om det är samma person.`;
}

const formatNumber = (n: string) => (/^\d{12}$/.test(n) ? `${n.slice(0, 8)}-${n.slice(8)}` : n);

function view(ctx: ServiceContext, caller: Caller, r: ConflictRow): ConflictView {
  const detail = JSON.parse(r.detail) as {
    reason?: string;
    central?: string;
    wanted?: string;
    rule?: string;
    voidedBookingId?: string;
    restoredBookingId?: string;
    fields?: PatientEditFields;
    identityClash?: { central: string; heldBy: string };
  };
  const hidden = r.protected_identity === 1;
  // As in every list (bookingSeenBy): a protected patient's name never; the number and the id
  // (patients.get would name her) only to roles whose work needs them.
  const seen = mayShowContactDetails(hidden, caller.roles);
  const names = new Map(
    (ctx.db.prepare(`SELECT id, name FROM resources`).all() as { id: string; name: string }[]).map((x) => [x.id, x.name]),
  );
  // Free times are looked up afresh while the conflict is open: the ones noted when it arose may be gone.
  // A rejected web booking offers times too; an undone slot removal kept its booking, and a rejected
  // web rebooking gave the patient the old time back: those need none.
  const rebookable =
    r.kind === 'slot_taken' ||
    (r.kind === 'rejected' && detail.rule !== 'removal_undone' && detail.restoredBookingId === undefined);
  const open = r.resolved_at === null && rebookable && r.type_id !== null;
  const raw = open
    ? suggestFreeSlots(ctx, r.type_id!, ctx.now())
    : (JSON.parse(r.suggested) as Omit<ConflictSuggestion, 'resourceName'>[]);
  const suggested = raw.map((s) => ({
    ...s,
    resourceName: names.get(s.resourceId) ?? '',
  }));
  return {
    id: r.id,
    kind: r.kind,
    createdAt: r.created_at,
    bookingId: r.entity === 'booking' ? r.entity_id : null,
    patient:
      r.patient_id === null
        ? null
        : {
            id: seen ? r.patient_id : '',
            displayName: hidden ? '' : `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim(),
            identityNumber: seen ? (r.identity_number ?? '') : '',
            protectedIdentity: hidden,
          },
    // Where and when a patient with protected identity is seen never shows in a list.
    startAt: hidden ? null : r.start_at,
    resourceName: hidden ? null : r.resource_name,
    appointmentTypeId: r.type_id,
    appointmentTypeName: r.type_name,
    reason: detail.fields
      ? patientEditReason(detail.fields, seen)
      : detail.identityClash
        ? identityClashReason(ctx, detail.identityClash, seen)
        : r.kind === 'stale_version' && detail.central
          ? staleReason(detail.central, detail.voidedBookingId !== undefined)
          : (r.kind === 'rejected' || r.kind === 'web_cancel') && detail.reason
            ? detail.reason
            : REASON[r.kind],
    suggested,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  };
}

const SELECT = `
  SELECT c.id, c.kind, c.entity, c.entity_id, c.detail, c.suggested, c.created_at, c.resolved_at, c.resolution,
         p.id AS patient_id, p.given_name, p.family_name, p.identity_number, p.protected_identity,
         s.start_at, r.name AS resource_name, t.id AS type_id, t.name_sv AS type_name
    FROM conflicts c
    LEFT JOIN bookings b ON b.id = c.entity_id AND c.entity = 'booking'
    LEFT JOIN patients p ON p.id = coalesce(b.patient_id, CASE WHEN c.entity = 'patient' THEN c.entity_id END)
    LEFT JOIN slots s ON s.id = b.slot_id
    LEFT JOIN resources r ON r.id = s.resource_id
    LEFT JOIN appointment_types t ON t.id = b.appointment_type_id`;

export function listConflicts(
  ctx: ServiceContext,
  caller: Caller,
  input: { includeResolved?: boolean | undefined },
): ConflictView[] {
  const rows = ctx.db
    .prepare(`${SELECT} WHERE (c.resolved_at IS NULL OR ?) ORDER BY c.resolved_at IS NOT NULL, c.created_at DESC LIMIT 500`)
    .all(input.includeResolved ? 1 : 0) as ConflictRow[];
  const views = rows.map((r) => view(ctx, caller, r));
  // A list that shows patients is a read of their data (Patientdatalagen), masked or not.
  for (const p of new Set(rows.map((r) => r.patient_id).filter((x): x is string => !!x))) {
    recordAudit(ctx, caller, { action: 'read', patientId: p, entity: 'conflicts', detail: { view: 'conflicts.list' } });
  }
  return views;
}

function conflictRow(ctx: ServiceContext, id: string): ConflictRow {
  const r = ctx.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ConflictRow | undefined;
  if (!r) throw notFound('Konflikten', id);
  return r;
}

export function resolveConflict(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; action: 'rebook'; slotId: string } | { id: string; action: 'dismiss'; note?: string | undefined },
): { conflict: ConflictView; booking: Booking | null } {
  return ctx.db.transaction(() => {
    const c = conflictRow(ctx, input.id);
    if (c.resolved_at !== null) {
      // Another desk (or a double click) got there first: a conflict, as a time taken meanwhile is, naming who.
      const by = ctx.db.prepare(`SELECT resolved_by FROM conflicts WHERE id = ?`).get(c.id) as { resolved_by: string | null };
      throw conflict('Konflikten är redan hanterad.', { rule: 'already_resolved', resolvedBy: by.resolved_by });
    }
    let booking: Booking | null = null;
    if (input.action === 'rebook') {
      if (!c.patient_id || !c.type_id) throw invalid('Konflikten gäller ingen bokning som kan bokas om.');
      booking = bookSlot(ctx, caller, {
        slotId: input.slotId,
        patientId: c.patient_id,
        appointmentTypeId: c.type_id,
        channel: 'desk',
        note: '',
        status: deskBookingStatus(ctx),
      });
    }
    const resolution = JSON.stringify(
      input.action === 'rebook' ? { action: 'rebook', bookingId: booking!.id } : { action: 'dismiss', note: input.note ?? '' },
    );
    ctx.db
      .prepare(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?`)
      .run(ctx.now(), caller.username, resolution, c.id);
    recordAudit(ctx, caller, {
      action: 'change',
      patientId: c.patient_id,
      entity: 'conflict',
      entityId: c.id,
      detail: { op: `conflict.${input.action}` },
    });
    ctx.events.emit({ entities: ['conflict', 'booking'], ids: [c.id, ...(booking ? [booking.id] : [])] });
    return { conflict: view(ctx, caller, conflictRow(ctx, c.id)), booking };
  })();
}

const ENTITY_SV: Record<string, string> = {
  unit: 'Vårdenhet',
  resource: 'Resurs',
  appointment_type: 'Besökstyp',
  slot: 'Tid',
  patient: 'Patient',
  booking: 'Bokning',
};

export function listFailed(ctx: ServiceContext): FailedEntry[] {
  return (
    ctx.db
      .prepare(
        `SELECT seq, entity, entity_id AS entityId, op, attempts, last_error AS lastError, created_at AS createdAt
           FROM outbox WHERE state = 'failed' ORDER BY seq DESC LIMIT 500`,
      )
      .all() as Omit<FailedEntry, 'label'>[]
  ).map((f) => ({ ...f, label: ENTITY_SV[f.entity] ?? f.entity }));
}

export function retryFailed(ctx: ServiceContext, input: { seqs?: number[] | undefined }): { requeued: number } {
  const r = input.seqs
    ? ctx.db
        .prepare(
          `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0 WHERE state = 'failed' AND seq IN (SELECT value FROM json_each(?))`,
        )
        .run(JSON.stringify(input.seqs))
    : ctx.db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0 WHERE state = 'failed'`).run();
  if (r.changes > 0) ctx.events.emit({ entities: ['sync'], ids: [] }); // nothing requeued: nothing to announce
  return { requeued: r.changes };
}
