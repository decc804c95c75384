// A patient edited at this desk while another desk's edit of her reached central first (push's
// If-Match answered 412). Neither side owns a patient as central owns bookings and the unit its
// schedule, so the two edits are merged field by field against the version this desk started from
// (read back from central, `vread`): a field only one side changed takes that side's value; a field
// both changed differently keeps central's (the first to reach it, already on the other desks), and
// this desk's value goes to Konflikter (`stale_version` on the patient, both values named, so staff
// can call her and enter the right one) and on the access log (`op: 'merge'`, `notKept`).
// Without the base version (central keeps no history) the desk's row is sent as before.
import type { Patient } from '@medplum/fhirtypes';
import { recordAudit } from '../services/audit.ts';
import type { ServiceContext } from '../services/context.ts';
import { localDate } from '../domain/time.ts';
import type { PatientRow } from '../store/scheduling-rows.ts';
import { patientFields, type PatientFields } from './fhir/mapping.ts';
import { recordConflict, settleOutbox, stmt, unitTimeZone } from './local.ts';
import { SYNC_CALLER } from './pull.ts';

type Field = Exclude<keyof PatientFields, 'identityKind'>;
const FIELDS: Field[] = ['identityNumber', 'givenName', 'familyName', 'phone', 'email', 'address', 'protectedIdentity'];

/** The patient's row here, its kind narrowed to what the mapping knows. */
type LocalPatient = Omit<PatientRow, 'identity_kind'> & { identity_kind: PatientFields['identityKind'] };

const fieldsOf = (r: LocalPatient): PatientFields => ({
  identityNumber: r.identity_number,
  identityKind: r.identity_kind,
  givenName: r.given_name,
  familyName: r.family_name,
  phone: r.phone,
  email: r.email,
  address: r.address,
  protectedIdentity: r.protected_identity === 1,
});

/**
 * Merges central's current Patient into this desk's row (in the caller's transaction) and takes its
 * version as the base. Returns 'settled' when the merged row is central's (nothing left to send: the
 * outbox entries up to `maxSeq` are settled), 'resend' when this desk's part must still be sent (on
 * central's version), or null without a base to merge against (the caller sends the row as before).
 */
export function mergePatientEdit(
  ctx: ServiceContext,
  id: string,
  central: Patient,
  base: Patient | null,
  maxSeq: number,
): 'settled' | 'resend' | null {
  const today = localDate(ctx.now(), unitTimeZone(ctx));
  const theirs = patientFields(central, today);
  const start = base ? patientFields(base, today) : null;
  const row = stmt(ctx, `SELECT * FROM patients WHERE id = ?`).get(id) as LocalPatient | undefined;
  if (!theirs || !start || !row) return null;
  const ours = fieldsOf(row);
  const merged: PatientFields = { ...ours };
  const notKept: Partial<Record<Field, unknown>> = {};
  for (const f of FIELDS) {
    if (ours[f] === theirs[f] || ours[f] !== start[f]) continue;
    // Only central changed it: take central's.
    Object.assign(merged, { [f]: theirs[f] });
  }
  for (const f of FIELDS) {
    if (ours[f] === theirs[f] || ours[f] === start[f] || theirs[f] === start[f]) continue;
    // Both changed it, differently: central's stands (the other desks have it already).
    Object.assign(merged, { [f]: theirs[f] });
    notKept[f] = ours[f];
  }
  if (merged.identityNumber === theirs.identityNumber) merged.identityKind = theirs.identityKind;
  // A number another patient holds here is not taken (the unique index): this desk's stays and is sent.
  const holder = stmt(ctx, `SELECT id FROM patients WHERE identity_number = ? AND id <> ?`).get(merged.identityNumber, id);
  if (holder) {
    merged.identityNumber = ours.identityNumber;
    merged.identityKind = ours.identityKind;
  }
  stmt(
    ctx,
    `UPDATE patients SET identity_number = ?, identity_kind = ?, given_name = ?, family_name = ?, phone = ?, email = ?, address = ?,
       protected_identity = ?, remote_id = ?, remote_version = ?, version = version + 1, updated_at = ?, updated_by = 'sync'
     WHERE id = ?`,
  ).run(
    merged.identityNumber,
    merged.identityKind,
    merged.givenName,
    merged.familyName,
    merged.phone,
    merged.email,
    merged.address,
    merged.protectedIdentity ? 1 : 0,
    central.id,
    central.meta!.versionId,
    ctx.now(),
    id,
  );
  const changed = FIELDS.filter((f) => merged[f] !== ours[f]);
  if (changed.length || Object.keys(notKept).length) {
    recordAudit(ctx, SYNC_CALLER, {
      action: 'change',
      patientId: id,
      entity: 'patient',
      entityId: id,
      detail: { op: 'merge', changed, ...(Object.keys(notKept).length ? { kept: 'central', notKept } : {}) },
    });
  }
  if (Object.keys(notKept).length) {
    const kept = Object.fromEntries(Object.keys(notKept).map((f) => [f, theirs[f as Field]]));
    recordConflict(ctx, { entity: 'patient', entityId: id, kind: 'stale_version', detail: { fields: { notKept, kept } } });
  }
  ctx.events.emit({ entities: ['patient', 'booking', 'conflict'], ids: [id] });
  const same = FIELDS.every((f) => merged[f] === theirs[f]);
  if (same) settleOutbox(ctx, id, maxSeq || Number.MAX_SAFE_INTEGER);
  return same ? 'settled' : 'resend';
}
