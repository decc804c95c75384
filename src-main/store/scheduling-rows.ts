// Row <-> api mapping for the scheduling tables not covered by rows.ts: templates, absences,
// patients (full), and the slot row writer.
import type { Absence, Patient, ScheduleTemplate } from '../api/methods/scheduling.ts';
import type { Db } from './database.ts';

export interface TemplateRow {
  id: string;
  resource_id: string;
  name: string;
  weekdays: string;
  every_n_weeks: number;
  valid_from: string;
  valid_to: string | null;
  start_time: string;
  end_time: string;
  slot_min: number;
  appointment_type_ids: string;
  publish_web: number;
  within_care_guarantee: number;
  skip_holidays: number;
  active: number;
  version: number;
}

export const toTemplate = (r: TemplateRow): ScheduleTemplate => ({
  id: r.id,
  resourceId: r.resource_id,
  name: r.name,
  weekdays: JSON.parse(r.weekdays) as number[],
  everyNWeeks: r.every_n_weeks,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  startTime: r.start_time,
  endTime: r.end_time,
  slotMin: r.slot_min,
  appointmentTypeIds: JSON.parse(r.appointment_type_ids) as string[],
  publishWeb: r.publish_web === 1,
  withinCareGuarantee: r.within_care_guarantee === 1,
  skipHolidays: r.skip_holidays === 1,
  active: r.active === 1,
  version: r.version,
});

export interface AbsenceRow {
  id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  reason: string;
  state: string;
}

/** A whole absences row (the mapping to FHIR needs no version; the edit form does). */
export const toAbsence = (r: AbsenceRow & { version: number }): Absence => ({
  id: r.id,
  resourceId: r.resource_id,
  startAt: r.start_at,
  endAt: r.end_at,
  reason: r.reason,
  state: r.state as Absence['state'],
  version: r.version,
});

export interface PatientRow {
  id: string;
  identity_number: string;
  identity_kind: string;
  given_name: string;
  family_name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  protected_identity: number;
  version: number;
}

/** A patient as the caller may see them: contact details hidden unless `showContact`. */
export const toPatient = (r: PatientRow, showContact: boolean): Patient => ({
  id: r.id,
  identityNumber: r.identity_number,
  identityKind: r.identity_kind as Patient['identityKind'],
  givenName: r.given_name,
  familyName: r.family_name,
  displayName: `${r.given_name} ${r.family_name}`,
  protectedIdentity: r.protected_identity === 1,
  phone: showContact ? r.phone : null,
  email: showContact ? r.email : null,
  address: showContact ? r.address : null,
  contactMasked: !showContact && (r.phone !== null || r.email !== null || r.address !== null || r.protected_identity === 1),
  version: r.version,
});

/** The columns of a new slot, in the order of SlotWriter.insertSlot's statement. */
export type NewSlotRow = [
  id: string,
  resourceId: string,
  startAt: number,
  endAt: number,
  appointmentTypeIdsJson: string,
  state: 'open' | 'blocked',
  absenceId: string | null,
  blockReason: string | null,
  webPublished: 0 | 1,
  withinCareGuarantee: 0 | 1,
  templateId: string | null,
  updatedAt: number,
  updatedBy: string,
];

/** The statement that writes new slots, prepared once per db (expansion writes 100,000s at once). */
export interface SlotWriter {
  insertSlot: (...row: NewSlotRow) => void;
}

const writers = new WeakMap<Db, SlotWriter>();

export function slotWriter(db: Db): SlotWriter {
  let w = writers.get(db);
  if (!w) {
    const ins = db.prepare<NewSlotRow>(
      `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, state, absence_id, block_reason, web_published,
         within_care_guarantee, template_id, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Bound, not wrapped in a rest-parameter arrow: no array per row of a 364,000-slot year.
    w = { insertSlot: ins.run.bind(ins) };
    writers.set(db, w);
  }
  return w;
}
