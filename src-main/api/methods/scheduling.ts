// Scheduling methods: appointment types, schedule templates, slots, absences, patients,
// bookings, free-slot search and absence rebooking. Result shapes are declared here (besides
// the shared ones in types.ts) so the renderer can import them with the contract.
import { z } from 'zod';
import {
  ALL_ROLES,
  SCHEDULING_ROLES,
  anyIsoDate,
  emailAddress,
  expectedVersion,
  isoDate,
  method,
  personName,
  shownName,
  phoneNumber,
  uuid,
  startWallTime,
  endWallTime,
  utcOffset,
} from '../define.ts';
import type { AppointmentType, Booking, BookingStatus, Channel, ContactMode, Role, Slot } from '../types.ts';
import type { ClockChangeDay } from '../../domain/templates.ts';
import { slotTimesProblem } from '../../domain/time.ts';
import { OVERRIDABLE_RULES } from '../../domain/booking-rules.ts';
import { appointmentTypeFields, colour, contactMode, reasonRule } from '../../domain/appointment-type-fields.ts';

// ---------------------------------------------------------------- roles
/** Desk work: book, cancel, rebook, mark, search patients. */
export const DESK_ROLES: readonly Role[] = ['receptionist', 'scheduler', 'admin'];

// ---------------------------------------------------------------- result shapes
/**
 * An edited type and what the edit did to free slots: how many future, open, unbooked slots
 * offering it it no longer fits (too short for its duration, or a resource of another profession).
 * Those slots stay in the schedule but cannot be booked until their templates are changed.
 */
export interface AppointmentTypeChange extends AppointmentType {
  unfitFreeSlots: { tooShort: number; wrongProfession: number };
  /**
   * Future booked times of the type it no longer fits, for the same two reasons or because they
   * are booked in a contact mode it no longer offers: left booked as they were (the patient keeps
   * the time, at its old length and mode), for the desk to check or rebook; as template edits
   * report the booked slots they leave (`ExpansionReport.bookedUnchanged`).
   */
  unfitBooked: UnfitBookedSlot[];
}

/** One reason per booking: a wrong profession wins, then too short, then the dropped mode. */
export type UnfitBookedSlot = BookedSlotNotice &
  ({ reason: 'tooShort' | 'wrongProfession' } | { reason: 'contactMode'; contactMode: ContactMode });

/**
 * A type (de)activated. Deactivated, the active schedule templates it leaves with no active type:
 * they lay out nothing more (expansion skips them) until a type is added or it is active again.
 */
export interface AppointmentTypeActivation extends AppointmentType {
  templatesLeftEmpty: { templateId: string; templateName: string; resourceId: string; resourceName: string }[];
}

export interface ScheduleTemplate {
  id: string;
  resourceId: string;
  name: string;
  weekdays: number[];
  everyNWeeks: number;
  validFrom: string;
  validTo: string | null;
  startTime: string;
  endTime: string;
  slotMin: number;
  appointmentTypeIds: string[];
  publishWeb: boolean;
  withinCareGuarantee: boolean;
  skipHolidays: boolean;
  active: boolean;
  /** Row version: the template form sends it back as `expectedVersion`. */
  version: number;
}

export interface PlannedSlotView {
  date: string;
  startTime: string;
  endTime: string;
  startAt: number;
  endAt: number;
}

export interface TemplatePreview {
  slots: PlannedSlotView[];
  /** Days the template would run on but skips (public holiday or closed eve). */
  skipped: { date: string; holiday: string }[];
  /** Open days on which the clock moves inside the template's hours (DST), and the slot starts it touches. */
  clockChanges: ClockChangeDay[];
  /**
   * With a resource: the times among `slots` that saving would not lay out because the resource
   * already has a time then (another template's, a hand-made one, or a booked one an edit leaves;
   * pass `templateId` when previewing an edit). Saving lays out `slots` less these.
   */
  overlapping: PlannedSlotView[];
}

/** A slot a change could not touch because it holds an active booking. */
export interface BookedSlotNotice {
  slotId: string;
  startAt: number;
  endAt: number;
  bookingId: string;
  patientName: string;
  protectedIdentity: boolean;
}

export interface ExpansionReport {
  from: string;
  to: string;
  created: number;
  /** Planned slots that already existed (expansion is idempotent). */
  existing: number;
  /** Unbooked future slots changed in place (types, web flag) after a template edit. */
  updated: number;
  /** Unbooked future slots removed (state 'removed') after a template edit or deactivation. */
  removed: number;
  /** Planned slots not created because another live slot of the resource overlaps them. */
  skippedOverlaps: number;
  skippedHolidays: { date: string; holiday: string }[];
  /** Booked future slots left as they were. */
  bookedUnchanged: BookedSlotNotice[];
}

export interface TemplateChange {
  template: ScheduleTemplate;
  expansion: ExpansionReport;
}

/** How far ahead the unit's templates are laid out (a setting of the unit). */
export interface ScheduleHorizon {
  weeks: number;
  /** The last day the horizon reaches today. */
  until: string;
  /** Active web- or desk-bookable types whose booking window reaches past the horizon. */
  typesBeyond: { id: string; code: string; nameSv: string; nameEn: string; bookMaxDays: number }[];
}

export interface ScheduleHorizonChange extends ScheduleHorizon {
  /** The templates laid out over the new horizon at once (nothing is taken away when it shrinks). */
  expansion: ExpansionReport;
}

export interface HolidayRulesView {
  julafton: boolean;
  nyarsafton: boolean;
  midsommarafton: boolean;
}

/** The eves the unit closes on after a change, and what the change did to the book. */
export interface HolidayRulesChange extends HolidayRulesView {
  /** Unbooked slots taken off eves the unit now closes on. */
  slotsRemoved: number;
  /** Template slots laid out on eves the unit now opens on (as far as the book reaches). */
  slotsCreated: number;
  /** Booked slots on eves the unit now closes on: kept, for the desk to rebook. */
  bookedKept: BookedSlotNotice[];
}

export interface HolidayDay {
  date: string;
  name: string;
  eve: 'julafton' | 'nyarsafton' | 'midsommarafton' | null;
  /** Whether the unit is closed that day under its current rules. */
  closed: boolean;
}

export interface Absence {
  id: string;
  resourceId: string;
  startAt: number;
  endAt: number;
  reason: string;
  state: 'active' | 'withdrawn';
  /** Row version: the edit form sends it back as `expectedVersion`. */
  version: number;
}

export interface AbsenceResult {
  absence: Absence;
  /**
   * Slots of the resource blocked (create), unblocked (withdraw), or written in any way (update:
   * blocked, opened, or given the new reason) by this change.
   */
  slotsChanged: number;
  /** Of those, the slots newly blocked, and those opened again (a changed period may do both). */
  slotsBlocked: number;
  slotsOpened: number;
  /** Active bookings in the period: they need rebooking (also those another absence listed first). */
  affectedBookings: Booking[];
  /** The resource's other active absences overlapping this one: they keep their part blocked too. */
  overlapping: Absence[];
  /** Nothing was written: the same absence was already registered (or already withdrawn, or edited to what it was). */
  unchanged: boolean;
}

export interface Patient {
  id: string;
  identityNumber: string;
  identityKind: 'personnummer' | 'samordningsnummer' | 'reserve';
  givenName: string;
  familyName: string;
  displayName: string;
  protectedIdentity: boolean;
  /** Null when hidden (protected identity and the caller's role does not need them). */
  phone: string | null;
  email: string | null;
  address: string | null;
  /** True when contact details were hidden from this caller. */
  contactMasked: boolean;
  /** Row version: an edit form sends it back as `expectedVersion`. */
  version: number;
}

export interface PatientDetail extends Patient {
  /** Upcoming active bookings; null when hidden by protected identity. */
  upcoming: Booking[] | null;
}

export interface IdentityCheck {
  ok: boolean;
  normalised: string | null;
  kind: 'personnummer' | 'samordningsnummer' | 'reserve' | null;
  birthDate: string | null;
  /** Swedish error text when not ok. */
  message: string | null;
}

export interface OnlinePermission {
  allowed: boolean;
  /** Why not: the type does not allow it online, the deadline passed, or the booking is not active. */
  reason: 'type_disallows' | 'deadline_passed' | 'not_active' | 'started' | null;
  /** Last instant at which it is allowed (null when the type disallows it). */
  deadline: number | null;
}

export interface BookingDetail extends Booking {
  /** Why the patient booked (the visit); kept when the booking is cancelled or moved, and by the new time of a move. */
  reasonCode: string | null;
  reasonText: string | null;
  /** Why it was cancelled, or for a rebooked booking why it was moved (FHIR's cancelationReason); null while active. */
  cancelReasonCode: string | null;
  cancelReasonText: string | null;
  appointmentType: AppointmentType;
  resourceName: string;
  onlineCancel: OnlinePermission;
  onlineRebook: OnlinePermission;
  /** Row version: the note editor sends it back as `expectedVersion`. */
  version: number;
}

export interface Rebooking {
  old: Booking;
  new: Booking;
}

export interface FreeSlot {
  slotId: string;
  resourceId: string;
  resourceName: string;
  profession: string | null;
  startAt: number;
  endAt: number;
  webPublished: boolean;
  appointmentTypeIds: string[];
  /**
   * slots.findFree only: another desk of the unit holds the time on its återbudslista (as Slot's
   * heldElsewhere). Still listed and bookable here after the dialog's confirmation.
   */
  heldElsewhere?: true;
}

export interface RebookProposal {
  booking: Booking;
  /** Earliest suitable free slot, or null when none was found within the search range. */
  proposal: FreeSlot | null;
  sameResource: boolean;
  /** Why the unit cannot move this booking itself (begun, type inactive, contact mode gone): the desk acts. */
  problem?: string;
}

export interface ContactListEntry {
  bookingId: string;
  patientId: string;
  displayName: string;
  identityNumber: string;
  protectedIdentity: boolean;
  /** Null when hidden by protected identity for this caller. */
  phone: string | null;
  contactMasked: boolean;
  oldStartAt: number;
  oldResourceName: string;
  /** Moved out of the absence (to a time the patient still holds); the time itself may be hidden. */
  moved: boolean;
  /** Null when not moved, or hidden by protected identity for this caller. */
  newStartAt: number | null;
  newResourceName: string | null;
  /**
   * Moved by another, overlapping absence's rebooking (moved at the desk: the first absence
   * registered over it): the call is on that absence's list and this one shows it as already
   * moved, so one move is one call. Null: call from this list.
   */
  contactUnder: { absenceId: string; reason: string } | null;
}

export interface AbsenceRebookingResult {
  rebooked: Rebooking[];
  /** Patients to contact about their moved (or not movable) time. */
  contactList: ContactListEntry[];
}

// ---------------------------------------------------------------- input pieces
/**
 * How staff took a booking, cancellation or rebooking. 'web' is the patient's own channel on 1177:
 * only the sync pull records it (services accept it from there), so Statistik's web share and the
 * web rules never count a desk's work.
 */
const channel = z.enum(['desk', 'phone'], {
  // Any other value gets zod's message after the field's label (dispatch, field-labels.ts).
  error: (issue) =>
    issue.input === 'web'
      ? 'Kanal: Webb (1177) är patientens egen kanal och kommer bara in via synken. Ange desk (reception) eller phone (telefon).'
      : undefined,
});
/** The channels staff may give (everything but the patient's own 'web'). */
export type DeskChannel = z.infer<typeof channel>;
const reason = {
  reasonCode: z.string().min(1).max(40).optional(),
  reasonText: z.string().max(1000).optional(),
};
export { OVERRIDABLE_RULES };
export type OverridableRule = (typeof OVERRIDABLE_RULES)[number];
/**
 * Staff override of a cut-off, the booking window, a time under way or a patient's other time at
 * the desk: always logged with its reason. `rules`: only these pass (the ones the desk was shown);
 * without it, every overridable rule does (scripts, the CLI).
 */
const override = z
  .object({
    reason: z.string().trim().min(3, 'Ange varför regeln åsidosätts.').max(500),
    rules: z.array(z.enum(OVERRIDABLE_RULES)).min(1).max(OVERRIDABLE_RULES.length).optional(),
  })
  .strict();

// Staff's names are held to what a list can show (shownName); a type pulled from central keeps the
// shared bounds of appointment-type-fields.
const typeNames = { nameSv: shownName.min(1).max(200), nameEn: shownName.min(1).max(200) };
const appointmentTypeCreate = z
  .object({
    ...appointmentTypeFields,
    ...typeNames,
    professions: appointmentTypeFields.professions.default([]),
    webBookable: z.boolean().default(false),
    invitationOnly: z.boolean().default(false),
    webCancellable: z.boolean().default(false),
    webRebookable: z.boolean().default(false),
    cancelCutoffH: appointmentTypeFields.cancelCutoffH.default(24),
    rebookCutoffH: appointmentTypeFields.rebookCutoffH.default(24),
    reasonNew: reasonRule.default('optional'),
    reasonCancel: reasonRule.default('optional'),
    reasonRebook: reasonRule.default('optional'),
    reasonCodes: appointmentTypeFields.reasonCodes.default([]),
    bookMinLeadH: appointmentTypeFields.bookMinLeadH.default(0),
    bookMaxDays: appointmentTypeFields.bookMaxDays.default(180),
    colour: colour.default('#4a78b5'),
  })
  .strict();
const appointmentTypeUpdate = z
  .object({ id: uuid, ...appointmentTypeFields, ...typeNames, expectedVersion })
  .partial()
  .required({ id: true })
  .strict();

const templateFields = {
  resourceId: uuid,
  name: z.string().trim().max(200),
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1, 'Välj minst en veckodag.')
    .refine((a) => new Set(a).size === a.length, 'Veckodagar får inte upprepas.'),
  everyNWeeks: z.number().int().min(1).max(52),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  startTime: startWallTime,
  endTime: endWallTime,
  slotMin: z.number().int().min(5).max(480),
  appointmentTypeIds: z.array(uuid).min(1, 'Välj minst en besökstyp.').max(50),
  publishWeb: z.boolean(),
  withinCareGuarantee: z.boolean(),
  skipHolidays: z.boolean(),
};
const templateSpec = z
  .object({
    ...templateFields,
    name: templateFields.name.default(''),
    everyNWeeks: templateFields.everyNWeeks.default(1),
    validTo: templateFields.validTo.default(null),
    publishWeb: z.boolean().default(false),
    withinCareGuarantee: z.boolean().default(true),
    skipHolidays: z.boolean().default(true),
  })
  .strict();
// Only two well-formed times are compared: a malformed one is its own field's error, not also an end before it.
const timesInOrder = (v: { startTime?: string | undefined; endTime?: string | undefined }) =>
  v.startTime === undefined ||
  v.endTime === undefined ||
  !/^\d\d:\d\d$/.test(v.startTime) ||
  !/^\d\d:\d\d$/.test(v.endTime) ||
  v.startTime < v.endTime;
const datesInOrder = (v: { validFrom?: string | undefined; validTo?: string | null | undefined }) =>
  v.validFrom === undefined || v.validTo === undefined || v.validTo === null || v.validFrom <= v.validTo;
const horizonWeeks = z.number().int().min(1).max(104);

export const schedulingMethods = {
  // ------------------------------------------------------------ appointment types
  'appointmentTypes.get': method<AppointmentType>()({ input: z.object({ id: uuid }).strict(), roles: ALL_ROLES, kind: 'read' }),
  'appointmentTypes.create': method<AppointmentType>()({ input: appointmentTypeCreate, roles: SCHEDULING_ROLES, kind: 'change' }),
  /** Changes the given fields only; says how many future free slots the type no longer fits. */
  'appointmentTypes.update': method<AppointmentTypeChange>()({
    input: appointmentTypeUpdate,
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Deactivated types stay on existing slots and bookings but cannot be booked anew; names the templates left empty. */
  'appointmentTypes.setActive': method<AppointmentTypeActivation>()({
    input: z.object({ id: uuid, active: z.boolean() }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Deletes a type that was never used; a type in use gives `conflict` (deactivate it instead). */
  'appointmentTypes.delete': method<{ id: string }>()({
    input: z.object({ id: uuid }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),

  // ------------------------------------------------------------ holidays
  /** Public holidays and eves of a year, with whether the unit is closed on each. */
  'holidays.list': method<HolidayDay[]>()({
    input: z.object({ year: z.number().int().min(2000).max(2100) }).strict(),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  'holidays.getRules': method<HolidayRulesView>()({ input: z.object({}).strict(), roles: ALL_ROLES, kind: 'read' }),
  /**
   * Which eves the unit treats as closed days. The book follows: unbooked template slots leave a
   * newly closed eve (booked ones stay, listed), a newly opened eve gets its template slots.
   */
  'holidays.setRules': method<HolidayRulesChange>()({
    input: z
      .object({ julafton: z.boolean().optional(), nyarsafton: z.boolean().optional(), midsommarafton: z.boolean().optional() })
      .strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),

  // ------------------------------------------------------------ schedule templates
  'templates.list': method<ScheduleTemplate[]>()({
    input: z.object({ resourceId: uuid.optional(), includeInactive: z.boolean().optional() }).strict(),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  'templates.get': method<ScheduleTemplate>()({ input: z.object({ id: uuid }).strict(), roles: ALL_ROLES, kind: 'read' }),
  /**
   * The slots a template would create in [from, to) (default: validFrom or today, horizon 12 weeks):
   * `to` is the first day not included, named so in refusals (field-labels.ts METHOD_LABELS).
   */
  'templates.preview': method<TemplatePreview>()({
    input: z
      .object({
        template: templateSpec.omit({ resourceId: true }).extend({ resourceId: uuid.optional() }),
        /** The template being edited: its own free future times give way to the edit, not overlap it. */
        templateId: uuid.optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
      })
      .strict()
      .refine((v) => timesInOrder(v.template), {
        message: 'Sluttiden måste vara efter starttiden.',
        path: ['template', 'endTime'],
      }),
    roles: SCHEDULING_ROLES,
    kind: 'read',
  }),
  /** Creates a template and expands it over the horizon (default 12 weeks). */
  'templates.create': method<TemplateChange>()({
    input: z
      .object({ template: templateSpec, horizonWeeks: horizonWeeks.optional() })
      .strict()
      .refine((v) => timesInOrder(v.template), {
        message: 'Sluttiden måste vara efter starttiden.',
        path: ['template', 'endTime'],
      })
      .refine((v) => datesInOrder(v.template), {
        message: 'Slutdatum måste vara efter startdatum.',
        path: ['template', 'validTo'],
      }),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /**
   * Changes a template; future slots without active bookings follow it, booked ones are left and
   * reported in `expansion.bookedUnchanged`.
   */
  'templates.update': method<TemplateChange>()({
    input: z
      .object({
        id: uuid,
        changes: z.object(templateFields).omit({ resourceId: true }).partial().strict(),
        horizonWeeks: horizonWeeks.optional(),
        expectedVersion: expectedVersion.optional(),
      })
      .strict()
      .refine((v) => timesInOrder(v.changes), { message: 'Sluttiden måste vara efter starttiden.', path: ['changes', 'endTime'] })
      .refine((v) => datesInOrder(v.changes), {
        message: 'Slutdatum måste vara efter startdatum.',
        path: ['changes', 'validTo'],
      }),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Deactivates a template: its future unbooked slots are removed, booked ones reported. */
  'templates.deactivate': method<TemplateChange>()({
    input: z.object({ id: uuid }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  'templates.getHorizon': method<ScheduleHorizon>()({ input: z.object({}).strict(), roles: ALL_ROLES, kind: 'read' }),
  /** Sets how many weeks ahead the unit's templates are laid out, and lays them out that far at once. */
  'templates.setHorizon': method<ScheduleHorizonChange>()({
    input: z.object({ weeks: horizonWeeks }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Expands active templates (all, or the given) from today over the horizon; idempotent. */
  'templates.expand': method<ExpansionReport>()({
    input: z.object({ templateIds: z.array(uuid).max(500).optional(), horizonWeeks: horizonWeeks.optional() }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),

  // ------------------------------------------------------------ single slots
  'slots.get': method<Slot>()({ input: z.object({ id: uuid }).strict(), roles: ALL_ROLES, kind: 'read' }),
  /** Adds one slot outside the templates; `conflict` if it overlaps a live slot of the resource. */
  'slots.create': method<Slot>()({
    input: z
      .object({
        resourceId: uuid,
        // Any year: the service says how far ahead a slot may go (the longest booking window).
        date: anyIsoDate,
        startTime: startWallTime,
        endTime: endWallTime,
        /**
         * Which pass of a time the clock shows twice (02:00–02:59 the night summer time ends):
         * '+02:00' the first (sommartid), '+01:00' the second (vintertid, the default). Names the
         * start's pass, or the end's when only the end is in that hour; refused for other times.
         */
        utcOffset: utcOffset.optional(),
        /**
         * The end's pass, when the end is in that hour. Without it the end is the first time the
         * clock shows it after the start; 02:40–02:10 that night runs from 02:40 sommartid to 02:10
         * vintertid (30 minutes) without either named.
         */
        endUtcOffset: utcOffset.optional(),
        appointmentTypeIds: z.array(uuid).min(1, 'Välj minst en besökstyp.').max(50),
        webPublished: z.boolean().default(false),
        withinCareGuarantee: z.boolean().default(true),
      })
      .strict()
      .superRefine((v, ctx) => {
        // zod runs this also when a field was refused; its own issue names that one.
        if (
          !startWallTime.safeParse(v.startTime).success ||
          !endWallTime.safeParse(v.endTime).success ||
          !isoDate.safeParse(v.date).success
        )
          return;
        const problem = slotTimesProblem(v.date, v.startTime, v.endTime);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['endTime'] });
      }),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Changes the types offered or the web flag of an unbooked slot. */
  'slots.update': method<Slot>()({
    input: z
      .object({
        id: uuid,
        appointmentTypeIds: z.array(uuid).min(1).max(50).optional(),
        webPublished: z.boolean().optional(),
        withinCareGuarantee: z.boolean().optional(),
      })
      .strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  'slots.block': method<Slot>()({
    input: z.object({ id: uuid, reason: z.string().trim().max(500).default('') }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  'slots.unblock': method<Slot>()({ input: z.object({ id: uuid }).strict(), roles: SCHEDULING_ROLES, kind: 'change' }),
  /** Takes an unbooked slot out of the schedule (state 'removed'); a booked slot gives `conflict`. */
  'slots.remove': method<Slot>()({ input: z.object({ id: uuid }).strict(), roles: SCHEDULING_ROLES, kind: 'change' }),
  /**
   * First N free, bookable slots of a type ("första lediga tid"), earliest first, within the
   * type's booking window. `webOnly` limits to web-published slots of types a patient may book
   * on the web (an invitation-only type only with `invited`: domain mayBookTypeOnWeb). Without
   * `to`, the search looks 180 calendar days ahead: from `from`'s date (that day included), or
   * from now through the whole 180th day after today (as far as a 180-day booking window).
   */
  'slots.findFree': method<FreeSlot[]>()({
    input: z
      .object({
        appointmentTypeId: uuid,
        from: isoDate.optional(),
        to: isoDate.optional(),
        resourceId: uuid.optional(),
        profession: z.string().min(1).max(60).optional(),
        webOnly: z.boolean().optional(),
        /** For invitation-only types on the web: the patient holds an invitation. */
        invited: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        /** The booking being moved: its type is searched also when deactivated (its patient keeps a time). */
        rebookingId: uuid.optional(),
      })
      .strict()
      // Both ends are inclusive dates: one day is from = to.
      .refine((v) => !v.from || !v.to || v.from <= v.to, {
        message: 'Slutdatum får inte vara före startdatum.',
        path: ['to'],
      }),
    roles: ALL_ROLES,
    kind: 'read',
  }),

  // ------------------------------------------------------------ absences
  /**
   * Registers an absence from `from` `fromTime` (default 00:00) to `to` `toTime` (default, and
   * 24:00: the end of day `to`, the next local midnight): blocks the resource's slots and lists the bookings that need rebooking.
   */
  'absences.create': method<AbsenceResult>()({
    input: z
      .object({
        resourceId: uuid,
        from: isoDate,
        fromTime: startWallTime.optional(),
        to: isoDate,
        // 24:00: the end of day `to`, as when no time is given.
        toTime: endWallTime.optional(),
        reason: z.string().trim().max(500).default(''),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: 'Slutdatum måste vara samma som eller efter startdatum.', path: ['to'] }),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  'absences.list': method<Absence[]>()({
    input: z
      .object({
        resourceId: uuid.optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        includeWithdrawn: z.boolean().optional(),
      })
      .strict()
      // A reversed period would list nothing, as if there were no absences.
      .refine((v) => !v.from || !v.to || v.from <= v.to, {
        message: 'Slutdatum får inte vara före startdatum.',
        path: ['to'],
      }),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  /**
   * Changes an active absence's period (and reason, when given): slots leaving the period open
   * unless another absence of the resource still covers them; slots entering it are blocked.
   */
  'absences.update': method<AbsenceResult>()({
    input: z
      .object({
        id: uuid,
        from: isoDate,
        fromTime: startWallTime.optional(),
        to: isoDate,
        // 24:00: the end of day `to`, as when no time is given.
        toTime: endWallTime.optional(),
        reason: z.string().trim().max(500).optional(),
        expectedVersion: expectedVersion.optional(),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: 'Slutdatum måste vara samma som eller efter startdatum.', path: ['to'] }),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Withdraws an absence: the slots it blocked open again, but for those another absence still covers. */
  'absences.withdraw': method<AbsenceResult>()({
    input: z.object({ id: uuid }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Active bookings inside an absence. */
  'absences.affectedBookings': method<Booking[]>()({ input: z.object({ id: uuid }).strict(), roles: DESK_ROLES, kind: 'read' }),
  /**
   * For each affected booking: the earliest suitable free slot from now on (same type and
   * profession, within the type's booking window, not clashing with the patient's other times,
   * not a time held on återbudslistan for a patient being called, on this desk's list or another
   * desk's (pulled as held elsewhere); the same clinician when their
   * first free time is at most a week later), searched up to
   * `searchDays` (default 90) past the absence. Booking already begun: no proposal.
   */
  'absences.proposeRebooking': method<RebookProposal[]>()({
    input: z.object({ id: uuid, searchDays: z.number().int().min(1).max(365).optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /**
   * Applies proposals in one transaction: all (omit `items`) or the chosen subset. A chosen slot
   * that was taken meanwhile fails the whole call with `conflict`.
   */
  'absences.applyRebooking': method<AbsenceRebookingResult>()({
    input: z
      .object({
        id: uuid,
        items: z
          .array(z.object({ bookingId: uuid, slotId: uuid }).strict())
          .max(2000)
          .optional(),
        searchDays: z.number().int().min(1).max(365).optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Patients with a booking hit by the absence, to contact (protected identity respected). */
  'absences.contactList': method<ContactListEntry[]>()({
    input: z.object({ id: uuid }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),

  // ------------------------------------------------------------ patients
  /** By identity number (any accepted form, or its start) or by name. */
  'patients.search': method<Patient[]>()({
    input: z
      .object({
        query: z.string().trim().min(2, 'Skriv minst två tecken.').max(100),
        limit: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  'patients.get': method<PatientDetail>()({ input: z.object({ id: uuid }).strict(), roles: DESK_ROLES, kind: 'read' }),
  /** Validates an identity number as typed (for forms): normalised 12 digits or a Swedish error. */
  'patients.checkIdentityNumber': method<IdentityCheck>()({
    input: z.object({ value: z.string().max(40), reserve: z.boolean().optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  'patients.create': method<Patient>()({
    input: z
      .object({
        identityNumber: z.string().trim().min(1).max(40),
        /** Accept a reserve number (fails the checksum by design). */
        reserve: z.boolean().optional(),
        givenName: personName,
        familyName: personName,
        phone: phoneNumber.nullable().optional(),
        email: emailAddress.nullable().optional(),
        address: z.string().trim().max(500).nullable().optional(),
        protectedIdentity: z.boolean().optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  'patients.update': method<Patient>()({
    input: z
      .object({
        id: uuid,
        givenName: personName.optional(),
        familyName: personName.optional(),
        phone: phoneNumber.nullable().optional(),
        email: emailAddress.nullable().optional(),
        address: z.string().trim().max(500).nullable().optional(),
        protectedIdentity: z.boolean().optional(),
        /** A corrected number, or the real one of a patient registered under a reserve number. */
        identityNumber: z.string().trim().min(1).max(40).optional(),
        reserve: z.boolean().optional(),
        expectedVersion: expectedVersion.optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),

  // ------------------------------------------------------------ bookings
  'bookings.get': method<BookingDetail>()({ input: z.object({ id: uuid }).strict(), roles: DESK_ROLES, kind: 'read' }),
  /** Every booking of a patient (history included), newest first. */
  'bookings.forPatient': method<Booking[]>()({
    input: z.object({ patientId: uuid, includeHistory: z.boolean().optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /**
   * Books a patient into a slot. `conflict` when the slot is taken, blocked, removed or outside
   * the booking window; `validation` when the type, contact mode, profession or reason does not fit.
   * `override` lets staff book outside the booking window (logged).
   */
  'bookings.book': method<Booking>()({
    input: z
      .object({
        slotId: uuid,
        patientId: uuid,
        appointmentTypeId: uuid,
        contactMode: contactMode.optional(),
        channel: channel.default('desk'),
        note: z.string().max(2000).default(''),
        ...reason,
        override: override.optional(),
        /** Booked from återbudslistan: the entry (same patient and type) becomes booked in the same transaction. */
        waitlistEntryId: uuid.optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Cancels with reason per the type's rules; past the cut-off only with a staff `override` (logged). */
  'bookings.cancel': method<Booking>()({
    input: z.object({ id: uuid, channel: channel.default('desk'), ...reason, override: override.optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Moves a booking atomically: the old one becomes 'rebooked' and points at the new one. */
  'bookings.rebook': method<Rebooking>()({
    input: z
      .object({
        id: uuid,
        slotId: uuid,
        contactMode: contactMode.optional(),
        channel: channel.default('desk'),
        note: z.string().max(2000).optional(),
        ...reason,
        override: override.optional(),
        /**
         * Moved to an earlier time from återbudslistan (the patient held a later one): the entry
         * (same patient and type) becomes booked in the same transaction.
         */
        waitlistEntryId: uuid.optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Arrived, no-show, completed (or back to booked to undo a mistaken mark). */
  'bookings.mark': method<Booking>()({
    input: z.object({ id: uuid, status: z.enum(['booked', 'arrived', 'no_show', 'completed']) }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  'bookings.setNote': method<Booking>()({
    input: z.object({ id: uuid, note: z.string().max(2000), expectedVersion: expectedVersion.optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Whether the patient may still cancel / rebook this booking online (type flags and deadline). */
  'bookings.onlinePermissions': method<{ cancel: OnlinePermission; rebook: OnlinePermission }>()({
    input: z.object({ id: uuid }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
} as const;

export type { BookingStatus, Channel, ContactMode };
