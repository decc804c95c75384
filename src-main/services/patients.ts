// Patients: identity numbers validated and normalised to 12 digits, search by number or name,
// and protected identity: contact details and upcoming times only for roles that need them.
import { AppError, conflict, invalid, notFound } from '../api/result.ts';
import type { IdentityCheck, Patient, PatientDetail } from '../api/methods/scheduling.ts';
import { mayShowContactDetails } from '../domain/availability.ts';
import { cleanIdentityInput, parseIdentityNumber, reserveNumberForms } from '../domain/personnummer.ts';
import { localDate } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES, BOOKING_SELECT, toBooking, type BookingRow } from '../store/rows.ts';
import { toPatient, type PatientRow } from '../store/scheduling-rows.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { patientMatch } from './patient-match.ts';
import { currentUnit } from './unit.ts';

function patientRow(ctx: ServiceContext, id: string): PatientRow {
  const row = ctx.db.prepare(`SELECT * FROM patients WHERE id = ?`).get(id) as PatientRow | undefined;
  if (!row) throw notFound('Patienten', id);
  return row;
}

export function patientAsSeenBy(row: PatientRow, caller: Caller): Patient {
  return toPatient(row, mayShowContactDetails(row.protected_identity === 1, caller.roles));
}

export function checkIdentityNumber(ctx: ServiceContext, input: { value: string; reserve?: boolean | undefined }): IdentityCheck {
  const today = localDate(ctx.now(), currentUnit(ctx).timeZone);
  const r = parseIdentityNumber(input.value, today, { allowReserve: input.reserve === true });
  return r.ok
    ? { ok: true, normalised: r.normalised, kind: r.kind, birthDate: r.birthDate, message: null }
    : { ok: false, normalised: null, kind: null, birthDate: null, message: r.messageSv };
}

/**
 * Why a query that is a whole identity number by its length (10 or 12 digits) can be no one's,
 * or null: says why a search found nothing (the desk's lists show it).
 */
export function identityNumberProblem(ctx: ServiceContext, query: string): string | null {
  const digits = cleanIdentityInput(query).replace(/[-+]/g, '');
  if (!/^(\d{10}|\d{12})$/.test(digits)) return null;
  const check = checkIdentityNumber(ctx, { value: query });
  return check.ok ? null : check.message;
}

/** Search by identity number (any accepted form, or the start of one) or by name; 25 hits by default. */
export function searchPatients(
  ctx: ServiceContext,
  caller: Caller,
  input: { query: string; limit?: number | undefined },
): Patient[] {
  const limit = input.limit ?? 25;
  const today = localDate(ctx.now(), currentUnit(ctx).timeZone);
  const match = patientMatch(ctx, input.query, today);
  const rows = match
    ? (ctx.db
        .prepare(
          `SELECT * FROM patients WHERE ${match.where}
            ORDER BY tidbok_sv_sort(family_name), tidbok_sv_sort(given_name), id LIMIT ?`,
        )
        .all(...match.params, limit) as PatientRow[])
    : [];
  // A list of patients shown to staff is a read of patient data (Patientdatalagen).
  // One event per patient listed, so each patient's log extract shows the search (issue 7).
  recordPatientReads(
    ctx,
    caller,
    rows.map((r) => r.id),
    { op: 'search', hits: rows.length },
  );
  return rows.map((r) => patientAsSeenBy(r, caller));
}

export function getPatient(ctx: ServiceContext, caller: Caller, input: { id: string }): PatientDetail {
  const row = patientRow(ctx, input.id);
  const show = mayShowContactDetails(row.protected_identity === 1, caller.roles);
  const upcoming = show
    ? (
        ctx.db
          .prepare(
            `${BOOKING_SELECT} WHERE b.patient_id = ? AND b.status IN ${ACTIVE_BOOKING_STATUSES} AND s.end_at > ? ORDER BY s.start_at`,
          )
          .all(row.id, ctx.now()) as BookingRow[]
      ).map(toBooking)
    : null;
  recordAudit(ctx, caller, { action: 'read', patientId: row.id, entity: 'patient', entityId: row.id, detail: { op: 'get' } });
  return { ...toPatient(row, show), upcoming };
}

export function createPatient(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    identityNumber: string;
    reserve?: boolean | undefined;
    givenName: string;
    familyName: string;
    phone?: string | null | undefined;
    email?: string | null | undefined;
    address?: string | null | undefined;
    protectedIdentity?: boolean | undefined;
  },
): Patient {
  return ctx.db.transaction(() => {
    const check = identityNoOneElseHas(ctx, input.identityNumber, input.reserve, null);
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, phone, email, address, protected_identity, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        check.normalised,
        check.kind,
        input.givenName,
        input.familyName,
        input.phone || null,
        input.email || null,
        input.address || null,
        input.protectedIdentity ? 1 : 0,
        ctx.now(),
        caller.username,
      );
    return patientChanged(ctx, caller, id, 'create', { kind: check.kind });
  })();
}

/** A valid identity number no other patient holds (`self` may hold it), normalised; else why not. */
function identityNoOneElseHas(
  ctx: ServiceContext,
  value: string,
  reserve: boolean | undefined,
  self: string | null,
): { normalised: string; kind: NonNullable<IdentityCheck['kind']> } {
  const check = checkIdentityNumber(ctx, { value, reserve });
  if (!check.ok || !check.normalised || !check.kind)
    throw invalid(check.message ?? 'Ogiltigt personnummer.', { field: 'identityNumber' });
  // A reserve number typed with and without its century is one wristband: one patient. So is one
  // typed with other dashes (RES-2026-0001, RES20260001): the search reads them alike (patient-match.ts).
  const isReserve = check.kind === 'reserve';
  const forms = isReserve ? reserveNumberForms(check.normalised) : [check.normalised];
  const clash = ctx.db
    .prepare(
      `SELECT id FROM patients
        WHERE (identity_number IN (SELECT value FROM json_each(?))
               OR (? AND identity_kind = 'reserve' AND replace(identity_number, '-', '') = ?))
          AND id IS NOT ? LIMIT 1`,
    )
    .get(JSON.stringify(forms), isReserve ? 1 : 0, check.normalised.replace(/-/g, ''), self) as { id: string } | undefined;
  if (clash) {
    const what = check.kind === 'reserve' ? 'reservnumret' : 'personnumret';
    throw conflict(`Det finns redan en patient med det ${what}.`, { patientId: clash.id });
  }
  return { normalised: check.normalised, kind: check.kind };
}

function patientChanged(ctx: ServiceContext, caller: Caller, id: string, op: 'create' | 'update', detail: object): Patient {
  const row = patientRow(ctx, id);
  enqueueOutbox(ctx, 'patient', id, op, toPatient(row, true));
  recordAudit(ctx, caller, { action: 'change', patientId: id, entity: 'patient', entityId: id, detail: { op, ...detail } });
  ctx.events.emit({ entities: ['patient'], ids: [id] });
  return patientAsSeenBy(row, caller);
}

export function updatePatient(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    id: string;
    givenName?: string | undefined;
    familyName?: string | undefined;
    phone?: string | null | undefined;
    email?: string | null | undefined;
    address?: string | null | undefined;
    protectedIdentity?: boolean | undefined;
    /**
     * A corrected number, or the real personnummer of a patient registered under a reserve number
     * or samordningsnummer; `reserve` as for a new patient. The old number stays in the access log.
     */
    identityNumber?: string | undefined;
    reserve?: boolean | undefined;
    expectedVersion?: number | undefined;
  },
): Patient {
  return ctx.db.transaction(() => {
    const before = patientRow(ctx, input.id);
    refuseStaleEdit(input.expectedVersion, before.version, 'Patientens uppgifter', 'öppnade dem');
    const identity =
      input.identityNumber === undefined ? null : identityNoOneElseHas(ctx, input.identityNumber, input.reserve, before.id);
    const newIdentity = identity && identity.normalised !== before.identity_number ? identity : null;
    // A caller who may not see the contact details may not overwrite them either, nor lift the
    // protection (and then read them).
    if (!mayShowContactDetails(before.protected_identity === 1, caller.roles)) {
      if (input.phone !== undefined || input.email !== undefined || input.address !== undefined) {
        throw new AppError('forbidden', 'Kontaktuppgifter för en patient med skyddad identitet kan inte ändras i din roll.');
      }
      if (input.protectedIdentity === false) {
        throw new AppError('forbidden', 'Skyddad identitet kan inte tas bort i din roll.');
      }
    }
    const col = (v: string | null | undefined, old: string | null) => (v === undefined ? old : v || null);
    const fields = [
      newIdentity?.normalised ?? before.identity_number,
      newIdentity?.kind ?? before.identity_kind,
      input.givenName ?? before.given_name,
      input.familyName ?? before.family_name,
      col(input.phone, before.phone),
      col(input.email, before.email),
      col(input.address, before.address),
      input.protectedIdentity === undefined ? before.protected_identity : input.protectedIdentity ? 1 : 0,
    ];
    const stored = [
      before.identity_number,
      before.identity_kind,
      before.given_name,
      before.family_name,
      before.phone,
      before.email,
      before.address,
      before.protected_identity,
    ];
    // The details as they are, saved again (a second click, a form saved unchanged): nothing to push or log.
    if (fields.every((v, i) => v === stored[i])) return patientAsSeenBy(before, caller);
    ctx.db
      .prepare(
        `UPDATE patients SET identity_number = ?, identity_kind = ?, given_name = ?, family_name = ?, phone = ?, email = ?, address = ?,
           protected_identity = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(...fields, ctx.now(), caller.username, before.id);
    const changed = Object.keys(input).filter(
      (k) => !['id', 'expectedVersion', 'reserve'].includes(k) && (k !== 'identityNumber' || newIdentity),
    );
    return patientChanged(ctx, caller, before.id, 'update', {
      changed,
      // The number samples and papers may still carry: the log links it to the patient.
      ...(newIdentity ? { previousIdentityNumber: before.identity_number, previousKind: before.identity_kind } : {}),
    });
  })();
}
