// Booking rules, pure: what a booking, a cancellation or a rebooking must satisfy. The same
// cut-offs apply on the web and at the desk; the desk may override them, the web never.
// Every "no" comes back as a reason code plus a Swedish sentence naming why.
import type { BookingStatus, Channel, ContactMode, ReasonCode, ReasonRule } from '../api/types.ts';
import { addDays, localDate, localEndTime, localTime, startOfLocalDay, STOCKHOLM } from './time.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Statuses that hold the slot (mirrors the partial unique index bookings_one_active_per_slot). */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['preliminary', 'booked', 'arrived', 'completed', 'no_show'];
/** Statuses that can still be cancelled or rebooked (the visit has not happened). */
export const OPEN_STATUSES: readonly BookingStatus[] = ['preliminary', 'booked'];

export function isActiveStatus(s: BookingStatus): boolean {
  return ACTIVE_STATUSES.includes(s);
}

/** The parts of an appointment type the rules read. */
export interface TypeRules {
  active: boolean;
  contactModes: readonly ContactMode[];
  professions: readonly string[];
  webBookable: boolean;
  invitationOnly: boolean;
  webCancellable: boolean;
  webRebookable: boolean;
  cancelCutoffH: number;
  rebookCutoffH: number;
  reasonNew: ReasonRule;
  reasonCancel: ReasonRule;
  reasonRebook: ReasonRule;
  reasonCodes: readonly ReasonCode[];
  bookMinLeadH: number;
  bookMaxDays: number;
}

/**
 * The rules staff may pass at the desk with a written reason (never on the web). An override may
 * name the ones the desk was shown, so that a reason given for one never silently passes another.
 */
export const OVERRIDABLE_RULES = ['too_soon', 'too_far', 'cutoff_passed', 'patient_busy', 'started'] as const;
export type OverridableRule = (typeof OVERRIDABLE_RULES)[number];

export interface RuleBreach {
  /** conflict = the state of the book says no; validation = the request itself is wrong. */
  kind: 'conflict' | 'validation';
  code: string;
  messageSv: string;
  /** Precise facts for the log and the client (the limit passed, the types offered). */
  details?: Record<string, unknown>;
}

const breach = (kind: RuleBreach['kind'], code: string, messageSv: string, details?: Record<string, unknown>): RuleBreach =>
  details ? { kind, code, messageSv, details } : { kind, code, messageSv };

/** The type by name in a message, where the caller knows it. */
const typeName = (type: { nameSv?: string }) => type.nameSv ?? 'Besökstypen';

// ------------------------------------------------------------------ deadlines
/** Last instant at which a booking starting at `startAt` may be cancelled under a cut-off of `cutoffH` hours. */
export function cutoffDeadline(startAt: number, cutoffH: number): number {
  return startAt - cutoffH * HOUR_MS;
}

export interface OnlineDecision {
  allowed: boolean;
  reason: 'type_disallows' | 'deadline_passed' | 'not_active' | 'started' | null;
  deadline: number | null;
}

function onlineDecision(
  flag: boolean,
  cutoffH: number,
  booking: { status: BookingStatus; startAt: number },
  now: number,
): OnlineDecision {
  if (!flag) return { allowed: false, reason: 'type_disallows', deadline: null };
  const deadline = cutoffDeadline(booking.startAt, cutoffH);
  if (!OPEN_STATUSES.includes(booking.status)) return { allowed: false, reason: 'not_active', deadline };
  if (now >= booking.startAt) return { allowed: false, reason: 'started', deadline };
  if (now > deadline) return { allowed: false, reason: 'deadline_passed', deadline };
  return { allowed: true, reason: null, deadline };
}

/** Whether the patient may still cancel this booking themselves on the web (1177). */
export function mayPatientCancelOnline(
  type: Pick<TypeRules, 'webCancellable' | 'cancelCutoffH'>,
  booking: { status: BookingStatus; startAt: number },
  now: number,
): OnlineDecision {
  return onlineDecision(type.webCancellable, type.cancelCutoffH, booking, now);
}

/**
 * Whether the patient may still rebook this booking themselves on the web. A deactivated type
 * cannot be booked anew, so its bookings cannot be moved online (cancelling still can).
 */
export function mayPatientRebookOnline(
  type: Pick<TypeRules, 'webRebookable' | 'rebookCutoffH' | 'active'>,
  booking: { status: BookingStatus; startAt: number },
  now: number,
): OnlineDecision {
  return onlineDecision(type.webRebookable && type.active, type.rebookCutoffH, booking, now);
}

/** Why a booking can no longer be cancelled or rebooked: often another desk got there first. */
const CLOSED_SV: Partial<Record<BookingStatus, string>> = {
  cancelled: 'Bokningen är avbokad och kan inte ändras.',
  rebooked: 'Bokningen är redan ombokad och kan inte ändras.',
  arrived: 'Patienten är redan ankomstregistrerad; bokningen kan inte ändras.',
  completed: 'Besöket är avslutat och kan inte ändras.',
  no_show: 'Besöket är markerat som uteblivet och kan inte ändras.',
};

/**
 * The cut-off as it applies at the desk or on the web: past the deadline only staff with an
 * explicit override may go on (the caller logs the override). The web never overrides.
 */
export function checkCutoff(
  process: 'cancel' | 'rebook',
  type: Pick<TypeRules, 'cancelCutoffH' | 'rebookCutoffH' | 'webCancellable' | 'webRebookable' | 'active'>,
  booking: { status: BookingStatus; startAt: number },
  channel: Channel,
  now: number,
  override: boolean,
  tz: string = STOCKHOLM,
): RuleBreach | null {
  if (!OPEN_STATUSES.includes(booking.status)) {
    return breach('conflict', 'not_active', CLOSED_SV[booking.status] ?? 'Bokningen är inte längre aktiv och kan inte ändras.');
  }
  if (channel === 'web') {
    const d = process === 'cancel' ? mayPatientCancelOnline(type, booking, now) : mayPatientRebookOnline(type, booking, now);
    if (d.reason === 'type_disallows') {
      return breach(
        'conflict',
        'web_disallowed',
        process === 'cancel' ? 'Besökstypen får inte avbokas via webben.' : 'Besökstypen får inte ombokas via webben.',
      );
    }
    if (!d.allowed)
      return breach(
        'conflict',
        'cutoff_passed',
        cutoffMessage(process, process === 'cancel' ? type.cancelCutoffH : type.rebookCutoffH, booking.startAt, tz),
      );
    return null;
  }
  const cutoffH = process === 'cancel' ? type.cancelCutoffH : type.rebookCutoffH;
  // As on the web: once the visit has begun it is too late, also under a cut-off of 0 hours.
  if ((now > cutoffDeadline(booking.startAt, cutoffH) || now >= booking.startAt) && !override) {
    return breach(
      'conflict',
      'cutoff_passed',
      `${cutoffMessage(process, cutoffH, booking.startAt, tz)} Personal kan göra det med en motiverad åsidosättning.`,
    );
  }
  return null;
}

/**
 * The rule and the moment it ran out on the unit's wall clock: the cut-off counts real hours, so
 * across a clock change 24 hours before 12:00 reads 11:00 or 13:00 the day before — said, not
 * left for the desk to work out while the patient waits on the phone.
 */
function cutoffMessage(process: 'cancel' | 'rebook', cutoffH: number, startAt: number, tz: string): string {
  const what = process === 'cancel' ? 'Avbokning' : 'Ombokning';
  const deadline = cutoffDeadline(startAt, cutoffH);
  // "senast 0 timmar före" reads oddly: a 0-hour cut-off is the visit's start.
  const rule = cutoffH === 0 ? 'innan besöket börjar' : `senast ${hoursSv(cutoffH)} före besöket`;
  return `${what} måste göras ${rule}: det gick att göra till ${localDate(deadline, tz)} kl. ${localTime(deadline, tz)}.`;
}

/** A limit as the desk reads it aloud: "1 timme", "24 timmar"; "1 dag", "30 dagar". */
const hoursSv = (n: number) => `${n} ${n === 1 ? 'timme' : 'timmar'}`;
export const daysSv = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagar'}`;
/** A type's window after its name: "kan bokas högst 30 dagar framåt"; 0 days is today only ("dagens tider"). */
export const windowSv = (days: number) => (days === 0 ? 'kan bara bokas samma dag' : `kan bokas högst ${daysSv(days)} framåt`);

/**
 * The longest minimum lead a window of `days` allows: the lead must end before the last bookable
 * day does, counted from the start of today (so some time of the window is bookable when the day
 * begins). A same-day type may have up to 23 hours; the old rule (lead at most days × 24 hours)
 * left a same-day type no lead at all.
 */
export const maxLeadForWindowH = (days: number) => (days + 1) * 24 - 1;

/** Staff's Swedish sentence when a type's minimum lead reaches past its window, or null. */
export function leadWindowProblem(t: Pick<TypeRules, 'bookMinLeadH' | 'bookMaxDays'>): string | null {
  const max = maxLeadForWindowH(t.bookMaxDays);
  if (t.bookMinLeadH <= max) return null;
  const window = t.bookMaxDays === 0 ? 'bara samma dag' : `högst ${daysSv(t.bookMaxDays)} framåt`;
  return (
    `Minsta framförhållning (${hoursSv(t.bookMinLeadH)}) når förbi sista bokningsbara dagen: den måste ta slut innan ` +
    `den dagen gör, räknat från midnatt i dag. Med bokning ${window} får den vara högst ${hoursSv(max)}.`
  );
}

// ------------------------------------------------------------------ booking window
/**
 * Earliest and latest start a booking made at `now` may have under the type's booking window.
 * The lead time is in real hours (like the cut-offs: 24 h before is 24 h before, DST or not); the
 * maximum is in calendar days: with 30 days, any time on the local date 30 days after today is
 * still bookable, whatever the hour and whether a clock change lies between.
 */
export function bookingWindow(
  type: Pick<TypeRules, 'bookMinLeadH' | 'bookMaxDays'>,
  now: number,
  tz: string = STOCKHOLM,
): { earliest: number; latest: number } {
  const lastDayEnd = startOfLocalDay(addDays(localDate(now, tz), type.bookMaxDays + 1), tz);
  return { earliest: now + type.bookMinLeadH * HOUR_MS, latest: lastDayEnd - 1 };
}

export function checkBookingWindow(
  type: Pick<TypeRules, 'bookMinLeadH' | 'bookMaxDays'> & { nameSv?: string },
  startAt: number,
  now: number,
  override: boolean,
  tz: string = STOCKHOLM,
): RuleBreach | null {
  if (startAt <= now) return breach('conflict', 'past', 'Tiden har redan passerat.');
  if (override) return null;
  const w = bookingWindow(type, now, tz);
  // The message names the limit on the unit's wall clock, so the desk can tell the patient.
  if (startAt < w.earliest) {
    const earliest = Math.ceil(w.earliest / 60_000) * 60_000;
    return breach(
      'conflict',
      'too_soon',
      `${typeName(type)} måste bokas minst ${hoursSv(type.bookMinLeadH)} i förväg: tidigast ${localDate(earliest, tz)} kl. ${localTime(earliest, tz)}.`,
      { startAt, earliest },
    );
  }
  if (startAt > w.latest) {
    return breach('conflict', 'too_far', `${typeName(type)} ${windowSv(type.bookMaxDays)}: senast ${localDate(w.latest, tz)}.`, {
      startAt,
      latest: w.latest,
    });
  }
  return null;
}

/**
 * A time whose start has passed. Once it has ended nobody is booked into it: a visit that is over
 * is not booked afterwards. While it runs, a patient standing at the desk (a walk-in at 10:05 for
 * the free 10:00–10:20) may be booked by staff with a logged override; never from the web.
 */
export function checkSlotStarted(
  slot: { startAt: number; endAt: number },
  now: number,
  channel: Channel,
  tz: string = STOCKHOLM,
): RuleBreach | null {
  if (now < slot.startAt) return null;
  if (now >= slot.endAt || channel === 'web') {
    return breach('conflict', 'past', 'Tiden har redan passerat.', { startAt: slot.startAt, endAt: slot.endAt });
  }
  return breach(
    'conflict',
    'started',
    `Tiden började kl. ${localTime(slot.startAt, tz)} och pågår till kl. ${localEndTime(slot.startAt, slot.endAt, tz)}. ` +
      'Personal kan boka en patient som är på plats med en motiverad åsidosättning.',
    { startAt: slot.startAt, endAt: slot.endAt },
  );
}

// ------------------------------------------------------------------ fit of type, slot, resource
export function professionAllowed(typeProfessions: readonly string[], resourceProfession: string | null): boolean {
  return typeProfessions.length === 0 || (resourceProfession !== null && typeProfessions.includes(resourceProfession));
}

/**
 * Why a slot of `slotMinutes` on `resource` cannot offer `type` (Swedish, for the scheduler), or
 * null. Checked when slots and templates are laid, so that no free slot is one nobody may book.
 */
export function offerProblem(
  type: { nameSv: string; active: boolean; professions: readonly string[]; durationMin: number },
  resource: { name: string; profession: string | null },
  slotMinutes: number,
): string | null {
  if (!type.active) return `${type.nameSv} är inaktiverad och kan inte erbjudas på nya tider.`;
  if (!professionAllowed(type.professions, resource.profession)) {
    return `${resource.name} kan inte ta emot ${type.nameSv}: besökstypen är för en annan yrkesgrupp.`;
  }
  if (slotMinutes < type.durationMin) {
    return `${type.nameSv} tar ${type.durationMin} minuter men tiden är ${slotMinutes} minuter.`;
  }
  return null;
}

const CONTACT_MODE_SV: Record<ContactMode, string> = { physical: 'fysiskt besök', video: 'videobesök', phone: 'telefonsamtal' };

/** Checks that the type, its contact mode and the slot fit together (not whether the slot is free). */
export function checkFit(input: {
  type: TypeRules & { durationMin: number; nameSv?: string };
  typeId: string;
  contactMode: ContactMode;
  channel: Channel;
  slot: { state: string; appointmentTypeIds: readonly string[]; webPublished: boolean; startAt: number; endAt: number };
  resource: { active: boolean; profession: string | null };
  invited?: boolean;
  /**
   * Moving a time the patient already holds: on the web that is decided by the type's web
   * rebooking flag and cut-off (checkCutoff), not by whether the type may be booked anew there;
   * staff may move it also when the type is deactivated.
   */
  rebooking?: boolean;
}): RuleBreach | null {
  const { type, slot } = input;
  // A deactivated type is booked by nobody anew, but staff may move a time a patient already holds
  // to another that still offers it; the web offers it nothing (mayPatientRebookOnline).
  if (!type.active && !(input.rebooking && input.channel !== 'web')) {
    return breach('validation', 'type_inactive', 'Besökstypen är inaktiverad och kan inte bokas.');
  }
  if (slot.state === 'removed') return breach('conflict', 'slot_removed', 'Tiden är borttagen ur schemat.');
  if (slot.state === 'blocked') return breach('conflict', 'slot_blocked', 'Tiden är spärrad.');
  if (!input.resource.active) return breach('conflict', 'resource_inactive', 'Resursen är inaktiverad.');
  if (!slot.appointmentTypeIds.includes(input.typeId)) {
    return breach('validation', 'type_not_in_slot', `${typeName(type)} erbjuds inte på den här tiden.`, {
      appointmentTypeId: input.typeId,
      offered: slot.appointmentTypeIds,
    });
  }
  if (!type.contactModes.includes(input.contactMode)) {
    const modes = type.contactModes.map((m) => CONTACT_MODE_SV[m]).join(' eller ');
    return breach(
      'validation',
      'contact_mode',
      `${typeName(type)} erbjuds inte som ${CONTACT_MODE_SV[input.contactMode]}, bara som ${modes}.`,
      { contactMode: input.contactMode, offered: type.contactModes },
    );
  }
  if (!professionAllowed(type.professions, input.resource.profession)) {
    return breach('validation', 'profession', 'Besökstypen får inte utföras av den här resursens yrkesgrupp.');
  }
  // A slot laid out before the type was lengthened: the free-slot search no longer offers it either.
  const slotMin = (slot.endAt - slot.startAt) / 60_000;
  if (slotMin < type.durationMin) {
    return breach('validation', 'slot_too_short', `Tiden är ${slotMin} minuter men besökstypen tar ${type.durationMin} minuter.`);
  }
  if (input.channel === 'web' && !input.rebooking) {
    if (type.invitationOnly && !input.invited) {
      return breach('conflict', 'invitation_only', 'Besökstypen kan bara bokas via webben efter kallelse.');
    }
    if (!type.webBookable && !type.invitationOnly) {
      return breach('conflict', 'web_not_bookable', 'Besökstypen kan inte bokas via webben.');
    }
  }
  if (input.channel === 'web' && !slot.webPublished) {
    return breach('conflict', 'not_published', 'Tiden är inte publicerad för webbokning.');
  }
  return null;
}

/**
 * Whether a patient may book the type anew on the web, as checkFit decides it: an invitation-only
 * type needs the invitation whatever its web-bookable flag (central may send both set).
 */
export function mayBookTypeOnWeb(type: Pick<TypeRules, 'webBookable' | 'invitationOnly'>, invited: boolean): boolean {
  return type.invitationOnly ? invited : type.webBookable;
}

/**
 * Why the unit cannot move a booking to a new time on its own (absence rebooking), in Swedish for
 * the scheduler, or null. The desk can still act: cancel, or rebook choosing another contact mode.
 */
export function unitMoveProblem(
  type: { nameSv: string; contactModes: readonly ContactMode[] },
  booking: { startAt: number; contactMode: ContactMode },
  now: number,
): string | null {
  if (booking.startAt <= now) return 'Besöket har redan börjat.';
  // A deactivated type is no reason: its booked patients are moved to times laid while it was offered.
  if (!type.contactModes.includes(booking.contactMode)) {
    return `${type.nameSv} erbjuds inte längre som ${CONTACT_MODE_SV[booking.contactMode]}: boka om tiden vid disken och välj kontaktsätt.`;
  }
  return null;
}

// ------------------------------------------------------------------ reasons
/**
 * The type's reason code that `given` names, whatever its case ("sjuk" is SJUK: a code is typed
 * as it is said), or undefined. Stored as the type defines it, so one code never counts as two.
 */
export function reasonCodeAsDefined(type: Pick<TypeRules, 'reasonCodes'>, given: string | undefined): string | undefined {
  const folded = given?.trim().toLocaleUpperCase('sv');
  return folded ? type.reasonCodes.find((c) => c.code.toLocaleUpperCase('sv') === folded)?.code : undefined;
}

const PROCESS_SV = { new: 'bokning', cancel: 'avbokning', rebook: 'ombokning' } as const;

/** Reason text / code as the type's rule for the process asks (mandatory, optional, unsupported). */
export function checkReason(
  process: 'new' | 'cancel' | 'rebook',
  type: Pick<TypeRules, 'reasonNew' | 'reasonCancel' | 'reasonRebook' | 'reasonCodes'>,
  given: { reasonCode?: string | undefined; reasonText?: string | undefined },
): RuleBreach | null {
  const rule = process === 'new' ? type.reasonNew : process === 'cancel' ? type.reasonCancel : type.reasonRebook;
  const code = given.reasonCode?.trim() || undefined;
  const text = given.reasonText?.trim() || undefined;
  if (rule === 'unsupported' && (code || text)) {
    return breach('validation', 'reason_unsupported', `Besökstypen tar inte emot orsak vid ${PROCESS_SV[process]}.`);
  }
  if (rule === 'mandatory' && !code && !text) {
    return breach('validation', 'reason_missing', `Ange orsak till ${PROCESS_SV[process]}en.`);
  }
  // A type without codes takes none: a code nobody defined would be stored without a meaning.
  if (code && type.reasonCodes.length === 0) {
    return breach(
      'validation',
      'reason_code',
      `Orsakskoden ${code} finns inte för besökstypen: den har inga orsakskoder. Skriv orsaken som text.`,
    );
  }
  if (code && !reasonCodeAsDefined(type, code)) {
    return breach('validation', 'reason_code', `Orsakskoden ${code} finns inte för besökstypen.`);
  }
  return null;
}

// ------------------------------------------------------------------ status marks
/**
 * Which marks are allowed from which status; undo back to 'booked' is allowed. A mark needs the
 * day of the visit (arrived early is fine); a no-show needs its time to have begun, and a physical
 * visit completed before its time needs the arrival first (phone and video need none). Marks that
 * contradict each other (arrived or completed vs. no-show: a no-show may cost the patient a fee)
 * need the earlier mark undone first, so a slip of the hand is never silently turned around.
 */
export function checkMark(
  from: BookingStatus,
  to: 'booked' | 'arrived' | 'no_show' | 'completed',
  startLocalDate: string,
  today: string,
  started: boolean,
  contactMode: ContactMode = 'physical',
): RuleBreach | null {
  if (from === 'cancelled') return breach('conflict', 'not_active', 'Bokningen är avbokad och kan inte markeras.');
  if (from === 'rebooked') {
    return breach('conflict', 'not_active', 'Bokningen är ombokad och kan inte markeras: markera den nya tiden.');
  }
  if (from === to) return null;
  if (to !== 'booked' && startLocalDate > today) {
    return breach('conflict', 'future', 'Ett besök kan markeras först den dag det äger rum.');
  }
  if (to === 'booked' && from === 'preliminary') {
    return breach('conflict', 'preliminary', 'En preliminär bokning bekräftas av centrala tjänsten, inte här.');
  }
  if (to === 'no_show' && from === 'arrived') {
    return breach(
      'conflict',
      'contradicts_mark',
      'Patienten är ankomstregistrerad och kan inte markeras som utebliven. Ångra ankomsten först om den blev fel.',
    );
  }
  if (to === 'no_show' && from === 'completed') {
    return breach(
      'conflict',
      'contradicts_mark',
      'Besöket är avslutat och kan inte markeras som uteblivet. Ångra markeringen först om den blev fel.',
    );
  }
  if (to === 'completed' && from === 'no_show') {
    return breach(
      'conflict',
      'contradicts_mark',
      'Besöket är markerat som uteblivet och kan inte avslutas. Ångra markeringen först om den blev fel.',
    );
  }
  if (to === 'no_show' && !started) {
    return breach('conflict', 'not_started', 'Uteblivet kan markeras först när besökstiden har börjat.');
  }
  // A physical visit is done only once the patient came: before its time, without an arrival, a
  // "completed" is a slip on the wrong row. A phone or video visit has no arrival at the desk and
  // the clinician often calls a little early, so it may be completed before its time.
  if (to === 'completed' && !started && contactMode === 'physical' && from !== 'arrived') {
    return breach(
      'conflict',
      'not_arrived',
      'Besöket kan inte markeras som genomfört före besökstiden utan att patienten har ankomstregistrerats. Registrera ankomsten först.',
    );
  }
  return null;
}
