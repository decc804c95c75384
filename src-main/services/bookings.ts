// Bookings: book, cancel, rebook (atomic: the old booking becomes 'rebooked' and points at the
// new), mark arrived / no-show / completed. Rules live in domain/booking-rules.ts; this file
// loads what they read, writes the rows, the outbox, the access log and the change event.
// The partial unique index on bookings(slot_id) is the last line against a double booking.
import { AppError, conflict, invalid, notFound } from '../api/result.ts';
import type { BookingDetail, OnlinePermission, Rebooking } from '../api/methods/scheduling.ts';
import type { AppointmentType, Booking, BookingStatus, Channel, ContactMode } from '../api/types.ts';
import { mayShowContactDetails } from '../domain/availability.ts';
import {
  checkBookingWindow,
  checkCutoff,
  checkFit,
  checkMark,
  checkReason,
  checkSlotStarted,
  mayPatientCancelOnline,
  mayPatientRebookOnline,
  OVERRIDABLE_RULES,
  reasonCodeAsDefined,
  type RuleBreach,
} from '../domain/booking-rules.ts';
import { localDate, localEndTime, localTime } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES, BOOKING_SELECT, toBooking, type BookingRow } from '../store/rows.ts';
import { getAppointmentType } from './appointment-types.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { getResource, getSlot } from './slots.ts';
import { currentUnit } from './unit.ts';
import { deskBookingStatus } from './sync-claims.ts';
import { followTemplateWhenFree } from './templates.ts';
import { bookedFromWaitlist } from './waitlist.ts';
import { releaseOffersNoLongerFree } from './waitlist-holds.ts';
import { refuseStaleEdit } from './edit-versions.ts';

interface FullBookingRow extends BookingRow {
  /** Why the patient booked (the visit): kept when the booking is cancelled or moved. */
  reason_code: string | null;
  reason_text: string | null;
  /** Why it was cancelled or moved (migration 0011). */
  cancel_reason_code: string | null;
  cancel_reason_text: string | null;
  version: number;
}

const FULL_SELECT = BOOKING_SELECT.replace(
  'b.created_at',
  'b.created_at, b.reason_code, b.reason_text, b.cancel_reason_code, b.cancel_reason_text, b.version',
);

/** A booking's two reasons, as the api and the outbox carry them. */
function reasons(row: FullBookingRow) {
  return {
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
    cancelReasonCode: row.cancel_reason_code,
    cancelReasonText: row.cancel_reason_text,
  };
}

function bookingRow(ctx: ServiceContext, id: string): FullBookingRow {
  const row = ctx.db.prepare(`${FULL_SELECT} WHERE b.id = ?`).get(id) as FullBookingRow | undefined;
  if (!row) throw notFound('Bokningen', id);
  return row;
}

export function getBookingById(ctx: ServiceContext, id: string): Booking {
  return toBooking(bookingRow(ctx, id));
}

function fail(b: RuleBreach): never {
  throw new AppError(b.kind, b.messageSv, { rule: b.code, ...b.details });
}

/** A type the slot does not offer: the message also says what it does offer, as the desk would ask. */
function offeredInstead(ctx: ServiceContext, b: RuleBreach, offered: readonly string[]): RuleBreach {
  if (b.code !== 'type_not_in_slot' || offered.length === 0) return b;
  const names = offered.map((id) => getAppointmentType(ctx, id).nameSv);
  return { ...b, messageSv: `${b.messageSv} Tiden erbjuder ${names.join(', ')}.` };
}

export interface StaffOverride {
  reason: string;
  /** Only these rules pass (the ones the desk was shown); without, every overridable rule does. */
  rules?: readonly string[] | undefined;
}

/** Whether staff's override passes `rule`: a reason given for one rule never silently passes another. */
function overrides(override: StaffOverride | undefined, rule: string): boolean {
  if (override === undefined || !(OVERRIDABLE_RULES as readonly string[]).includes(rule)) return false;
  return override.rules === undefined || override.rules.includes(rule);
}

/**
 * What an override let through, for the access log: every rule it passed (`rule` is the first,
 * as older entries have it) and why; null when no rule needed overriding.
 */
function overrideUsed(override: StaffOverride | undefined, ...breachesWithout: (RuleBreach | null)[]): object | null {
  const rules = breachesWithout.flatMap((b) => (b ? [b.code] : []));
  return override && rules.length > 0 ? { rule: rules[0], rules, reason: override.reason } : null;
}

function payload(row: FullBookingRow): object {
  return { ...toBooking(row), patientId: row.patient_id, ...reasons(row) };
}

function bookingChanged(
  ctx: ServiceContext,
  caller: Caller,
  rows: { row: FullBookingRow; op: 'create' | 'update' }[],
  detail: Record<string, unknown>,
): void {
  for (const { row, op } of rows) enqueueOutbox(ctx, 'booking', row.id, op, payload(row));
  const main = rows[0]!.row;
  recordAudit(ctx, caller, { action: 'change', patientId: main.patient_id, entity: 'booking', entityId: main.id, detail });
  ctx.events.emit({ entities: ['booking', 'slot'], ids: rows.flatMap(({ row }) => [row.id, row.slot_id]) });
}

interface SlotChoice {
  slotId: string;
  typeId: string;
  contactMode: ContactMode | undefined;
  channel: Channel;
  override: StaffOverride | undefined;
  invited?: boolean | undefined;
  /** A booking being moved away from: its slot time does not count as busy. */
  replacing?: string;
  /** The unit moves a booking it cancelled itself (absence): the booking window does not apply. */
  windowExempt?: boolean;
  /** The patient to be booked: a slot they hold already is told apart (a retried or double-clicked booking). */
  patientId?: string;
  /** Who asks: a protected patient's other time is named only to roles that may see her times. */
  caller?: Caller;
}

/** Checks a slot for a booking of `typeId`; returns the slot, type, contact mode and any override used. */
function checkSlotChoice(ctx: ServiceContext, c: SlotChoice) {
  const slot = getSlot(ctx, c.slotId);
  const type = getAppointmentType(ctx, c.typeId);
  const resource = getResource(ctx, slot.resourceId);
  const contactMode = c.contactMode ?? type.contactModes[0]!;
  const channelOverride = c.channel === 'web' ? undefined : c.override;
  const fit = checkFit({
    type,
    typeId: type.id,
    contactMode,
    channel: c.channel,
    slot,
    resource,
    invited: c.invited === true,
    rebooking: c.replacing !== undefined,
  });
  if (fit) fail(offeredInstead(ctx, fit, slot.appointmentTypeIds));
  const now = ctx.now();
  const tz = currentUnit(ctx).timeZone;
  // A time that has begun takes a walk-in only by a staff override (the unit's own moves never).
  const started = checkSlotStarted(slot, now, c.channel, tz);
  if (started && !overrides(channelOverride, started.code)) fail(started);
  const windowBreach = started ?? checkBookingWindow(type, slot.startAt, now, false, tz);
  if (windowBreach && !(overrides(channelOverride, windowBreach.code) || c.windowExempt)) fail(windowBreach);
  const taken = ctx.db
    .prepare(`SELECT id, patient_id FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES} AND id IS NOT ?`)
    .get(slot.id, c.replacing ?? null) as { id: string; patient_id: string } | undefined;
  if (taken) {
    const own = c.patientId !== undefined && taken.patient_id === c.patientId;
    throw conflict('Tiden är redan bokad.', { rule: 'slot_taken', ...(own ? { samePatient: true, bookingId: taken.id } : {}) });
  }
  // Slots of a resource never overlap by construction; this guards a resource's time anyway.
  const clash = ctx.db
    .prepare(
      `SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE s.resource_id = ? AND s.start_at < ? AND s.end_at > ? AND s.start_at > ? AND s.id <> ?
          AND b.status IN ${ACTIVE_BOOKING_STATUSES} AND b.id IS NOT ? LIMIT 1`,
    )
    .get(slot.resourceId, slot.endAt, slot.startAt, slot.startAt - 8 * 3_600_000, slot.id, c.replacing ?? null);
  if (clash) throw conflict('Resursen har redan en bokning som överlappar tiden.', { rule: 'resource_busy' });
  const patientBusy =
    c.patientId === undefined || resource.kind !== 'clinician' ? null : patientOverlap(ctx, c.patientId, slot, c.replacing);
  if (patientBusy && !overrides(channelOverride, patientBusy.code))
    fail(c.caller ? patientBusySeenBy(ctx, patientBusy, c.patientId!, c.caller) : patientBusy);
  return {
    slot,
    type,
    contactMode,
    windowPassed: windowBreach,
    patientBusy,
    override: overrideUsed(channelOverride, windowBreach, patientBusy),
  };
}

/**
 * The patient already has an active time with another clinician overlapping this clinician's slot
 * (asked only for a clinician's slot): a person cannot see two clinicians at once, so the desk is
 * stopped; a joint visit (doctor and nurse together) is booked with a staff override, logged like
 * the other overrides. Rooms and equipment do not count: a sample taken in the lab room during a
 * long visit is a plan, not a mistake.
 */
export function patientOverlap(
  ctx: ServiceContext,
  patientId: string,
  slot: { id: string; startAt: number; endAt: number },
  replacing: string | undefined,
): RuleBreach | null {
  const other = ctx.db
    .prepare(
      `SELECT b.id, s.start_at, s.end_at, r.name FROM bookings b
         JOIN slots s ON s.id = b.slot_id JOIN resources r ON r.id = s.resource_id
        WHERE b.patient_id = ? AND b.status IN ${ACTIVE_BOOKING_STATUSES} AND s.start_at < ? AND s.end_at > ?
          AND s.id <> ? AND b.id IS NOT ? AND r.kind = 'clinician'
        ORDER BY s.start_at LIMIT 1`,
    )
    .get(patientId, slot.endAt, slot.startAt, slot.id, replacing ?? null) as
    { id: string; start_at: number; end_at: number; name: string } | undefined;
  if (!other) return null;
  const tz = currentUnit(ctx).timeZone;
  return {
    kind: 'conflict',
    code: 'patient_busy',
    messageSv:
      `Patienten har redan en tid som överlappar: ${localDate(other.start_at, tz)} kl. ` +
      `${localTime(other.start_at, tz)}–${localEndTime(other.start_at, other.end_at, tz)} hos ${other.name}.`,
    details: { bookingId: other.id },
  };
}

/**
 * The patient_busy refusal as `caller` may read it: for a protected patient and a role that may
 * not see her upcoming times (getPatient's rule), without the other time, clinician or booking id.
 */
function patientBusySeenBy(ctx: ServiceContext, busy: RuleBreach, patientId: string, caller: Caller): RuleBreach {
  const row = ctx.db.prepare(`SELECT protected_identity FROM patients WHERE id = ?`).get(patientId) as
    { protected_identity: number } | undefined;
  if (mayShowContactDetails(row?.protected_identity === 1, caller.roles)) return busy;
  return { ...busy, messageSv: 'Patienten har redan en tid som överlappar.', details: {} };
}

function insertBooking(
  ctx: ServiceContext,
  caller: Caller,
  b: {
    slotId: string;
    patientId: string;
    typeId: string;
    contactMode: ContactMode;
    status: BookingStatus;
    channel: Channel;
    note: string;
    rebookedFrom: string | null;
    reasonCode: string | null;
    reasonText: string | null;
  },
): string {
  const id = ctx.newId();
  const now = ctx.now();
  try {
    ctx.db
      .prepare(
        `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, rebooked_from,
           reason_code, reason_text, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        b.slotId,
        b.patientId,
        b.typeId,
        b.contactMode,
        b.status,
        b.channel,
        b.note,
        b.rebookedFrom,
        b.reasonCode,
        b.reasonText,
        now,
        caller.username,
        now,
        caller.username,
      );
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw conflict('Tiden är redan bokad.', { rule: 'slot_taken' });
    throw err;
  }
  return id;
}

export interface BookInput {
  slotId: string;
  patientId: string;
  appointmentTypeId: string;
  contactMode?: ContactMode | undefined;
  channel: Channel;
  note: string;
  reasonCode?: string | undefined;
  reasonText?: string | undefined;
  override?: StaffOverride | undefined;
  /** Web bookings of invitation-only types: the patient holds an invitation. */
  invited?: boolean | undefined;
  /** 'preliminary' for desk bookings made offline (the sync layer confirms them). */
  status?: 'booked' | 'preliminary';
  /** Booked from återbudslistan: that entry becomes booked in this transaction. */
  waitlistEntryId?: string | undefined;
}

export function bookSlot(ctx: ServiceContext, caller: Caller, input: BookInput): Booking {
  return ctx.db.transaction(() => {
    const patient = ctx.db.prepare(`SELECT id FROM patients WHERE id = ?`).get(input.patientId);
    if (!patient) throw notFound('Patienten', input.patientId);
    const choice = checkSlotChoice(ctx, {
      slotId: input.slotId,
      typeId: input.appointmentTypeId,
      contactMode: input.contactMode,
      channel: input.channel,
      override: input.override,
      invited: input.invited,
      patientId: input.patientId,
      caller,
    });
    const reason = checkReason('new', choice.type, input);
    if (reason) fail(reason);
    const id = insertBooking(ctx, caller, {
      slotId: choice.slot.id,
      patientId: input.patientId,
      typeId: choice.type.id,
      contactMode: choice.contactMode,
      status: input.status ?? 'booked',
      channel: input.channel,
      note: input.note,
      rebookedFrom: null,
      reasonCode: reasonCodeAsDefined(choice.type, input.reasonCode) ?? null,
      reasonText: input.reasonText?.trim() || null,
    });
    const row = bookingRow(ctx, id);
    // Before the change event: a refused entry rolls the booking back without announcing it.
    if (input.waitlistEntryId) {
      bookedFromWaitlist(ctx, caller, input.waitlistEntryId, {
        id,
        patientId: input.patientId,
        appointmentTypeId: choice.type.id,
      });
    }
    // After the list's own close: a time held for another patient is no longer hers to take, and
    // a time held for this one, booked outside the list, ends her wait.
    releaseOffersNoLongerFree(ctx, caller);
    bookingChanged(ctx, caller, [{ row, op: 'create' }], { op: 'book', channel: input.channel, override: choice.override });
    return toBooking(row);
  })();
}

function typeOf(ctx: ServiceContext, row: FullBookingRow): AppointmentType {
  return getAppointmentType(ctx, row.appointment_type_id);
}

export function cancelBooking(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    id: string;
    channel: Channel;
    reasonCode?: string | undefined;
    reasonText?: string | undefined;
    override?: StaffOverride | undefined;
  },
): Booking {
  return ctx.db.transaction(() => {
    const before = bookingRow(ctx, input.id);
    const type = typeOf(ctx, before);
    const booking = { status: before.status as BookingStatus, startAt: before.start_at };
    const now = ctx.now();
    const strict = checkCutoff('cancel', type, booking, input.channel, now, false, currentUnit(ctx).timeZone);
    if (strict && (strict.code !== 'cutoff_passed' || input.channel === 'web' || !overrides(input.override, strict.code))) {
      fail(strict);
    }
    const reason = checkReason('cancel', type, input);
    if (reason) fail(reason);
    ctx.db
      .prepare(
        `UPDATE bookings SET status = 'cancelled', cancel_reason_code = ?, cancel_reason_text = ?, cancelled_via = ?, version = version + 1,
           updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      // Who cancelled travels to central (`cancelled-via`): other desks then do not take it for the patient's.
      .run(
        reasonCodeAsDefined(type, input.reasonCode) ?? null,
        input.reasonText?.trim() || null,
        input.channel,
        now,
        caller.username,
        before.id,
      );
    followTemplateWhenFree(ctx, caller, [before.slot_id]);
    const row = bookingRow(ctx, before.id);
    bookingChanged(ctx, caller, [{ row, op: 'update' }], {
      op: 'cancel',
      channel: input.channel,
      reasonCode: row.cancel_reason_code,
      override: overrideUsed(input.override, strict),
    });
    return toBooking(row);
  })();
}

export function rebookBooking(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    id: string;
    slotId: string;
    contactMode?: ContactMode | undefined;
    channel: Channel;
    note?: string | undefined;
    reasonCode?: string | undefined;
    reasonText?: string | undefined;
    override?: StaffOverride | undefined;
    /** Absence rebooking moves bookings the unit cancelled itself: the patient cut-off does not apply. */
    byUnit?: boolean;
    /** The absence whose rebooking moves it (logged): the call to the patient is on its contact list. */
    absenceId?: string;
    /** Moved from återbudslistan: that entry becomes booked in this transaction. */
    waitlistEntryId?: string | undefined;
  },
): Rebooking {
  return ctx.db.transaction(() => {
    const before = bookingRow(ctx, input.id);
    const type = typeOf(ctx, before);
    const now = ctx.now();
    const strict = checkCutoff(
      'rebook',
      type,
      { status: before.status as BookingStatus, startAt: before.start_at },
      input.channel,
      now,
      false,
      currentUnit(ctx).timeZone,
    );
    const overridable =
      strict?.code === 'cutoff_passed' &&
      input.channel !== 'web' &&
      (overrides(input.override, strict.code) || input.byUnit === true);
    if (strict && !overridable) fail(strict);
    // After the status: a booking already moved says so, whichever time was asked for.
    if (before.slot_id === input.slotId) throw invalid('Välj en annan tid än den bokade.');
    if (!input.byUnit) {
      const reason = checkReason('rebook', type, input);
      if (reason) fail(reason);
    }
    const choice = checkSlotChoice(ctx, {
      slotId: input.slotId,
      typeId: type.id,
      contactMode: input.contactMode ?? (before.contact_mode as ContactMode),
      channel: input.channel,
      override: input.override,
      replacing: before.id,
      windowExempt: input.byUnit === true,
      patientId: before.patient_id,
      caller,
    });
    const newId = insertBooking(ctx, caller, {
      slotId: choice.slot.id,
      patientId: before.patient_id,
      typeId: type.id,
      contactMode: choice.contactMode,
      // The new time is a claim too: preliminary until central confirms it when a central is
      // configured; without one nothing would ever confirm it, so it is booked (also when the old
      // time was still preliminary).
      status: deskBookingStatus(ctx),
      channel: input.channel,
      note: input.note ?? before.note,
      rebookedFrom: before.id,
      // The same visit, moved: why it was booked goes with it (the old row keeps it too, and why it was moved).
      reasonCode: before.reason_code,
      reasonText: before.reason_text,
    });
    ctx.db
      .prepare(
        `UPDATE bookings SET status = 'rebooked', rebooked_to = ?, cancel_reason_code = ?, cancel_reason_text = ?, version = version + 1,
           updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(
        newId,
        reasonCodeAsDefined(type, input.reasonCode) ?? null,
        input.reasonText?.trim() || null,
        now,
        caller.username,
        before.id,
      );
    followTemplateWhenFree(ctx, caller, [before.slot_id]);
    // Before the change event: a refused entry rolls the move back without announcing it.
    if (input.waitlistEntryId) {
      bookedFromWaitlist(ctx, caller, input.waitlistEntryId, {
        id: newId,
        patientId: before.patient_id,
        appointmentTypeId: type.id,
      });
    }
    releaseOffersNoLongerFree(ctx, caller); // as in bookSlot
    const oldRow = bookingRow(ctx, before.id);
    const newRow = bookingRow(ctx, newId);
    bookingChanged(
      ctx,
      caller,
      [
        { row: newRow, op: 'create' },
        { row: oldRow, op: 'update' },
      ],
      {
        op: 'rebook',
        from: before.id,
        channel: input.channel,
        byUnit: input.byUnit === true,
        ...(input.absenceId === undefined ? {} : { absenceId: input.absenceId }),
        override: overrideUsed(input.override, strict, choice.windowPassed, choice.patientBusy),
      },
    );
    return { old: toBooking(oldRow), new: toBooking(newRow) };
  })();
}

export function markBooking(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; status: 'booked' | 'arrived' | 'no_show' | 'completed' },
): Booking {
  return ctx.db.transaction(() => {
    const before = bookingRow(ctx, input.id);
    const tz = currentUnit(ctx).timeZone;
    const breach = checkMark(
      before.status as BookingStatus,
      input.status,
      localDate(before.start_at, tz),
      localDate(ctx.now(), tz),
      ctx.now() >= before.start_at,
      before.contact_mode as ContactMode,
    );
    if (breach) fail(breach);
    if (before.status === input.status) return toBooking(before);
    // Undoing a mark on a time the central service has never confirmed (it holds no id for it)
    // leaves it preliminary: the desk must not turn an unconfirmed claim into a booked time.
    const unconfirmed = () =>
      deskBookingStatus(ctx) === 'preliminary' &&
      (ctx.db.prepare(`SELECT remote_id FROM bookings WHERE id = ?`).get(before.id) as { remote_id: string | null }).remote_id ===
        null;
    const to = input.status === 'booked' && unconfirmed() ? 'preliminary' : input.status;
    ctx.db
      .prepare(`UPDATE bookings SET status = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(to, ctx.now(), caller.username, before.id);
    const row = bookingRow(ctx, before.id);
    bookingChanged(ctx, caller, [{ row, op: 'update' }], { op: 'mark', from: before.status, to });
    return toBooking(row);
  })();
}

export function setBookingNote(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; note: string; expectedVersion?: number | undefined },
): Booking {
  return ctx.db.transaction(() => {
    const before = bookingRow(ctx, input.id);
    if (before.note === input.note) return toBooking(before);
    refuseStaleEdit(input.expectedVersion, before.version, 'Bokningen', 'öppnade den');
    ctx.db
      .prepare(`UPDATE bookings SET note = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(input.note, ctx.now(), caller.username, before.id);
    const row = bookingRow(ctx, before.id);
    bookingChanged(ctx, caller, [{ row, op: 'update' }], { op: 'note' });
    return toBooking(row);
  })();
}

export function onlinePermissions(
  ctx: ServiceContext,
  input: { id: string },
): { cancel: OnlinePermission; rebook: OnlinePermission } {
  const row = bookingRow(ctx, input.id);
  const type = typeOf(ctx, row);
  const booking = { status: row.status as BookingStatus, startAt: row.start_at };
  return { cancel: mayPatientCancelOnline(type, booking, ctx.now()), rebook: mayPatientRebookOnline(type, booking, ctx.now()) };
}

export function getBookingDetail(ctx: ServiceContext, caller: Caller, input: { id: string }): BookingDetail {
  const row = bookingRow(ctx, input.id);
  const type = typeOf(ctx, row);
  const resource = getResource(ctx, row.resource_id);
  recordAudit(ctx, caller, {
    action: 'read',
    patientId: row.patient_id,
    entity: 'booking',
    entityId: row.id,
    detail: { op: 'get' },
  });
  const perms = onlinePermissions(ctx, input);
  return {
    ...toBooking(row),
    ...reasons(row),
    appointmentType: type,
    resourceName: resource.name,
    onlineCancel: perms.cancel,
    onlineRebook: perms.rebook,
    version: row.version,
  };
}

/** A patient's bookings, newest first; hidden (empty) for protected identity unless the role needs them. */
export function bookingsForPatient(
  ctx: ServiceContext,
  caller: Caller,
  input: { patientId: string; includeHistory?: boolean | undefined },
): Booking[] {
  const p = ctx.db.prepare(`SELECT protected_identity FROM patients WHERE id = ?`).get(input.patientId) as
    { protected_identity: number } | undefined;
  if (!p) throw notFound('Patienten', input.patientId);
  recordAudit(ctx, caller, { action: 'read', patientId: input.patientId, entity: 'booking', detail: { op: 'for_patient' } });
  if (!mayShowContactDetails(p.protected_identity === 1, caller.roles)) return [];
  const rows = ctx.db
    .prepare(
      `${BOOKING_SELECT} WHERE b.patient_id = ? ${input.includeHistory ? '' : `AND b.status IN ${ACTIVE_BOOKING_STATUSES}`}
        ORDER BY s.start_at DESC`,
    )
    .all(input.patientId) as BookingRow[];
  return rows.map(toBooking);
}
