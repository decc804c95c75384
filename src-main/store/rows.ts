// Row <-> domain mapping, in one place. SQL column names are snake_case; api types camelCase.
import type {
  AppointmentType,
  Booking,
  BookingStatus,
  Channel,
  ContactMode,
  PatientSummary,
  ReasonCode,
  ReasonRule,
  Resource,
  ResourceKind,
  Slot,
  SlotState,
  Unit,
} from '../api/types.ts';

export interface UnitRow {
  id: string;
  hsa_id: string;
  name: string;
  time_zone: string;
}
export const toUnit = (r: UnitRow): Unit => ({ id: r.id, hsaId: r.hsa_id, name: r.name, timeZone: r.time_zone });

export interface ResourceRow {
  id: string;
  unit_id: string;
  kind: string;
  name: string;
  profession: string | null;
  title: string | null;
  hsa_id: string | null;
  sort_order: number;
  active: number;
  version: number;
}
export const toResource = (r: ResourceRow): Resource => ({
  id: r.id,
  unitId: r.unit_id,
  kind: r.kind as ResourceKind,
  name: r.name,
  profession: r.profession,
  title: r.title,
  hsaId: r.hsa_id,
  sortOrder: r.sort_order,
  active: r.active === 1,
  version: r.version,
});

export interface AppointmentTypeRow {
  id: string;
  unit_id: string;
  code: string;
  name_sv: string;
  name_en: string;
  duration_min: number;
  contact_modes: string;
  professions: string;
  web_bookable: number;
  invitation_only: number;
  web_cancellable: number;
  web_rebookable: number;
  cancel_cutoff_h: number;
  rebook_cutoff_h: number;
  reason_new: string;
  reason_cancel: string;
  reason_rebook: string;
  reason_codes: string;
  book_min_lead_h: number;
  book_max_days: number;
  colour: string;
  active: number;
  version: number;
}
export const toAppointmentType = (r: AppointmentTypeRow): AppointmentType => ({
  id: r.id,
  unitId: r.unit_id,
  code: r.code,
  nameSv: r.name_sv,
  nameEn: r.name_en,
  durationMin: r.duration_min,
  contactModes: JSON.parse(r.contact_modes) as ContactMode[],
  professions: JSON.parse(r.professions) as string[],
  webBookable: r.web_bookable === 1,
  invitationOnly: r.invitation_only === 1,
  webCancellable: r.web_cancellable === 1,
  webRebookable: r.web_rebookable === 1,
  cancelCutoffH: r.cancel_cutoff_h,
  rebookCutoffH: r.rebook_cutoff_h,
  reasonNew: r.reason_new as ReasonRule,
  reasonCancel: r.reason_cancel as ReasonRule,
  reasonRebook: r.reason_rebook as ReasonRule,
  reasonCodes: JSON.parse(r.reason_codes) as ReasonCode[],
  bookMinLeadH: r.book_min_lead_h,
  bookMaxDays: r.book_max_days,
  colour: r.colour,
  active: r.active === 1,
  version: r.version,
});

export interface SlotRow {
  id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  appointment_type_ids: string;
  state: string;
  block_reason: string | null;
  web_published: number;
  within_care_guarantee: number;
  template_id: string | null;
}
export const toSlot = (r: SlotRow): Slot => ({
  id: r.id,
  resourceId: r.resource_id,
  startAt: r.start_at,
  endAt: r.end_at,
  appointmentTypeIds: JSON.parse(r.appointment_type_ids) as string[],
  state: r.state as SlotState,
  blockReason: r.block_reason,
  webPublished: r.web_published === 1,
  withinCareGuarantee: r.within_care_guarantee === 1,
  templateId: r.template_id,
});

/** A booking joined with its slot and patient (see BOOKING_SELECT). */
export interface BookingRow {
  id: string;
  slot_id: string;
  resource_id: string;
  start_at: number;
  end_at: number;
  patient_id: string;
  given_name: string;
  family_name: string;
  identity_number: string;
  protected_identity: number;
  appointment_type_id: string;
  contact_mode: string;
  status: string;
  channel: string;
  note: string;
  rebooked_from: string | null;
  rebooked_to: string | null;
  created_at: number;
}

export const BOOKING_SELECT = `
  SELECT b.id, b.slot_id, s.resource_id, s.start_at, s.end_at, b.patient_id,
         p.given_name, p.family_name, p.identity_number, p.protected_identity,
         b.appointment_type_id, b.contact_mode, b.status, b.channel, b.note,
         b.rebooked_from, b.rebooked_to, b.created_at
    FROM bookings b
    JOIN slots s ON s.id = b.slot_id
    JOIN patients p ON p.id = b.patient_id`;

export const toPatientSummary = (r: BookingRow): PatientSummary => ({
  id: r.patient_id,
  displayName: `${r.given_name} ${r.family_name}`,
  identityNumber: r.identity_number,
  protectedIdentity: r.protected_identity === 1,
});

export const toBooking = (r: BookingRow): Booking => ({
  id: r.id,
  slotId: r.slot_id,
  resourceId: r.resource_id,
  startAt: r.start_at,
  endAt: r.end_at,
  patient: toPatientSummary(r),
  appointmentTypeId: r.appointment_type_id,
  contactMode: r.contact_mode as ContactMode,
  status: r.status as BookingStatus,
  channel: r.channel as Channel,
  note: r.note,
  rebookedFrom: r.rebooked_from,
  rebookedTo: r.rebooked_to,
  createdAt: r.created_at,
});

export const ACTIVE_BOOKING_STATUSES = "('preliminary', 'booked', 'arrived', 'completed', 'no_show')";
