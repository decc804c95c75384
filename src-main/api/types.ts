// Shapes the api returns. Shared with the renderer as types only.

export type Role = 'receptionist' | 'scheduler' | 'admin';
export const ROLES: readonly Role[] = ['receptionist', 'scheduler', 'admin'];

export type ContactMode = 'physical' | 'video' | 'phone';
export type BookingStatus = 'preliminary' | 'booked' | 'arrived' | 'completed' | 'cancelled' | 'no_show' | 'rebooked';
export type Channel = 'desk' | 'phone' | 'web';
export type SlotState = 'open' | 'blocked' | 'removed';
export type ReasonRule = 'mandatory' | 'optional' | 'unsupported';
export type ResourceKind = 'clinician' | 'room' | 'equipment';

export interface Unit {
  id: string;
  hsaId: string;
  name: string;
  timeZone: string;
}

export interface Resource {
  id: string;
  unitId: string;
  kind: ResourceKind;
  name: string;
  profession: string | null;
  title: string | null;
  hsaId: string | null;
  sortOrder: number;
  active: boolean;
  /** Row version: an edit form sends it back as `expectedVersion`. */
  version: number;
}

export interface ReasonCode {
  code: string;
  textSv: string;
  textEn: string;
}

export interface AppointmentType {
  id: string;
  unitId: string;
  code: string;
  nameSv: string;
  nameEn: string;
  durationMin: number;
  contactModes: ContactMode[];
  professions: string[];
  webBookable: boolean;
  invitationOnly: boolean;
  webCancellable: boolean;
  webRebookable: boolean;
  cancelCutoffH: number;
  rebookCutoffH: number;
  reasonNew: ReasonRule;
  reasonCancel: ReasonRule;
  reasonRebook: ReasonRule;
  reasonCodes: ReasonCode[];
  bookMinLeadH: number;
  bookMaxDays: number;
  colour: string;
  active: boolean;
  /** Row version: an edit form sends it back as `expectedVersion`. */
  version: number;
}

export interface Slot {
  id: string;
  resourceId: string;
  startAt: number;
  endAt: number;
  appointmentTypeIds: string[];
  state: SlotState;
  blockReason: string | null;
  webPublished: boolean;
  withinCareGuarantee: boolean;
  templateId: string | null;
  /**
   * calendar.range and slots.get, on an open unbooked slot: another desk of the unit holds it on its
   * återbudslista (central's Slot is busy-tentative). It may still be booked here, which ends
   * that hold; the desk asks first.
   */
  heldElsewhere?: true;
}

/** A patient as a list or calendar shows them: protected identity masks what must not show. */
export interface PatientSummary {
  id: string;
  displayName: string;
  identityNumber: string;
  protectedIdentity: boolean;
}

export interface Booking {
  id: string;
  slotId: string;
  resourceId: string;
  startAt: number;
  endAt: number;
  patient: PatientSummary;
  appointmentTypeId: string;
  contactMode: ContactMode;
  status: BookingStatus;
  channel: Channel;
  note: string;
  rebookedFrom: string | null;
  rebookedTo: string | null;
  createdAt: number;
}

export interface CalendarRange {
  from: string;
  to: string;
  resources: Resource[];
  slots: Slot[];
  /** Active bookings (not cancelled / rebooked) in the range. */
  bookings: Booking[];
  /** Dates in [from, to) on which no resource has any slot. */
  closedDates: string[];
  /**
   * Whether the access log holds this view's reads of its patients: false for a range fetched
   * ahead (`prefetch`), which the renderer fetches again the moment it shows it.
   */
  readsLogged: boolean;
}

export interface SessionInfo {
  unit: Unit;
  user: { id: string; username: string; displayName: string; roles: Role[] };
  workstation: string;
  shell: 'electron' | 'web';
  /** errorKind: in mode 'error', what failed (the desk's own database, central refusing, Tidbok itself). */
  sync: { mode: 'local' | 'online' | 'offline' | 'error'; errorKind: 'local' | 'central' | 'program' | null; pending: number };
}

/** Change notification: the renderer refetches what it shows of these entities. */
export interface ChangeEvent {
  entities: string[];
  ids: string[];
}
