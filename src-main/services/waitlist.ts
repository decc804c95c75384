// Återbudslistan: add, change, withdraw, mark offered (a freed time held for one patient until she
// answers) and back to waiting (the time released); the open entries by type or resource;
// the entries that fit a slot that just freed up, and the free times that fit an entry. A held
// time ends by itself once it can no longer be given to her: in the transaction of the write that
// booked it for someone else or closed it (waitlist-holds.ts, small so that the booking and slot
// writers can import it), and on read once the time has started (LISTED_STATE).
// Whether a type may be booked in the slot now is decided by the booking rules (checkFit, the
// booking window), exactly as bookings.book decides it; this file adds only the patient's wish
// (resource or profession, period) and "no earlier time already booked". Each change: the row and
// its audit event in one transaction.
// The entries stay local (the central booking API has no mapping for them), but a held time does
// not: its slot is queued when a hold starts or ends by hand (queueHeldSlot), and push sends it
// busy-tentative while held, so 1177 does not give it away while the patient is being called.
//
// Masking as in bookings.search (services/booking-search.ts): a protected patient's name never
// shows in a list; the identity number, phone and note only to roles that need them.
import { conflict, invalid, notFound } from '../api/result.ts';
import type { AppointmentType } from '../api/types.ts';
import {
  OPEN_WAITLIST_STATES,
  type WaitlistEntry,
  type WaitlistPriority,
  type WaitlistReturnReason,
  type WaitlistState,
} from '../api/methods/waitlist.ts';
import { mayShowContactDetails } from '../domain/availability.ts';
import { checkBookingWindow, checkFit, OPEN_STATUSES, professionAllowed } from '../domain/booking-rules.ts';
import { asKnownProfession } from './professions.ts';
import { localDate } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import type { FreeSlot } from '../api/methods/scheduling.ts';
import { getAppointmentType } from './appointment-types.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { findFreeSlots } from './free-slots.ts';
import { getResource, getSlot } from './slots.ts';
import { currentUnit } from './unit.ts';
import { enqueueOutbox } from './outbox.ts';
import { slotsHeldElsewhere, withHeldElsewhere } from './waitlist-holds.ts';

interface EntryRow {
  id: string;
  patient_id: string;
  appointment_type_id: string;
  resource_id: string | null;
  profession: string | null;
  earliest: string | null;
  latest: string | null;
  priority: number;
  state: WaitlistState;
  note: string;
  offered_slot_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

interface ListedRow extends EntryRow {
  given_name: string;
  family_name: string;
  identity_number: string;
  protected_identity: number;
  phone: string | null;
  name_sv: string;
  name_en: string;
  colour: string;
  resource_name: string | null;
  offered_start_at: number | null;
  offered_taken: number | null;
}

const LIST_SELECT = `
  SELECT w.id, w.patient_id, w.appointment_type_id, w.resource_id, w.profession, w.earliest, w.latest, w.priority,
         w.state, w.note, w.offered_slot_id, w.created_at, w.updated_at, w.version,
         p.given_name, p.family_name, p.identity_number, p.protected_identity, p.phone,
         t.name_sv, t.name_en, t.colour, r.name AS resource_name,
         os.start_at AS offered_start_at, (os.booked = 1 OR os.state <> 'open') AS offered_taken
    FROM waitlist w
    JOIN patients p ON p.id = w.patient_id
    JOIN appointment_types t ON t.id = w.appointment_type_id
    LEFT JOIN resources r ON r.id = w.resource_id
    LEFT JOIN slots os ON os.id = w.offered_slot_id`;

/** What listWaitlist's filters select, shared by the list and its count. */
const LIST_FROM = `
    FROM waitlist w
    JOIN appointment_types t ON t.id = w.appointment_type_id
    LEFT JOIN slots os ON os.id = w.offered_slot_id`;

/**
 * The state an entry lists in: an offer whose time has started holds nothing any more, so it
 * waits again (computed on read: nothing happens at the moment a time passes that could write it).
 * One parameter: now.
 */
const LISTED_STATE = `(CASE WHEN w.state = 'offered' AND os.start_at <= ? THEN 'waiting' ELSE w.state END)`;

/** Highest priority first; within a priority, whoever has waited longest. */
const ORDER = `ORDER BY w.priority DESC, w.created_at, w.id`;

const json = (xs: readonly unknown[]) => JSON.stringify(xs);

/** Each entry's patient's next upcoming active booking of the entry's type (see WaitlistEntry.heldBooking). */
function heldBookings(ctx: ServiceContext, rows: readonly ListedRow[]): Map<string, { id: string; startAt: number }> {
  if (rows.length === 0) return new Map();
  const held = ctx.db
    .prepare(
      // SQLite's bare columns with min(): b.id comes from the row with the earliest start.
      `SELECT w.id AS entryId, b.id AS id, min(s.start_at) AS startAt
         FROM waitlist w
         JOIN bookings b ON b.patient_id = w.patient_id AND b.appointment_type_id = w.appointment_type_id
         JOIN slots s ON s.id = b.slot_id
        WHERE w.id IN (SELECT value FROM json_each(?)) AND b.status IN (SELECT value FROM json_each(?)) AND s.start_at > ?
        GROUP BY w.id`,
    )
    .all(json(rows.map((r) => r.id)), json(OPEN_STATUSES), ctx.now()) as { entryId: string; id: string; startAt: number }[];
  return new Map(held.map((h) => [h.entryId, { id: h.id, startAt: h.startAt }]));
}

function toEntries(ctx: ServiceContext, rows: readonly ListedRow[], seesProtected: boolean): WaitlistEntry[] {
  const held = heldBookings(ctx, rows);
  const now = ctx.now();
  return rows.map((r) => toEntry(r, seesProtected, held.get(r.id) ?? null, now));
}

function toEntry(
  row: ListedRow,
  seesProtected: boolean,
  held: { id: string; startAt: number } | null,
  now: number,
): WaitlistEntry {
  const isProtected = row.protected_identity === 1;
  const shown = !isProtected || seesProtected;
  // As LISTED_STATE: the offered time has started, so she waits again in her place.
  const passed = row.state === 'offered' && row.offered_start_at !== null && row.offered_start_at <= now;
  return {
    id: row.id,
    patient: {
      id: row.patient_id,
      displayName: isProtected ? null : `${row.given_name} ${row.family_name}`,
      identityNumber: shown ? row.identity_number : null,
      protectedIdentity: isProtected,
      phone: shown ? row.phone : null,
    },
    appointmentTypeId: row.appointment_type_id,
    appointmentTypeName: { sv: row.name_sv, en: row.name_en },
    appointmentTypeColour: row.colour,
    resourceId: row.resource_id,
    resourceName: row.resource_name,
    profession: row.profession,
    earliest: row.earliest,
    latest: row.latest,
    priority: row.priority as WaitlistPriority,
    state: passed ? 'waiting' : row.state,
    note: shown ? row.note : '',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    heldBooking: held && { id: held.id, startAt: shown ? held.startAt : null },
    offeredSlot: row.offered_slot_id
      ? {
          id: row.offered_slot_id,
          startAt: shown ? row.offered_start_at : null,
          taken: row.offered_taken === 1,
          passed,
        }
      : null,
  };
}

function entryRow(ctx: ServiceContext, id: string): EntryRow {
  const row = ctx.db.prepare(`SELECT * FROM waitlist WHERE id = ?`).get(id) as EntryRow | undefined;
  if (!row) throw notFound('Posten på återbudslistan', id);
  return row;
}

function entryAsSeenBy(ctx: ServiceContext, caller: Caller, id: string): WaitlistEntry {
  const row = ctx.db.prepare(`${LIST_SELECT} WHERE w.id = ?`).get(id) as ListedRow;
  return toEntries(ctx, [row], mayShowContactDetails(true, caller.roles))[0]!;
}

const CLOSED_SV: Record<'booked' | 'withdrawn', string> = {
  booked: 'Patienten har redan fått en tid från återbudslistan.',
  withdrawn: 'Posten är borttagen från återbudslistan.',
};

function requireOpen(row: EntryRow): void {
  if (row.state === 'booked' || row.state === 'withdrawn') throw conflict(CLOSED_SV[row.state], { rule: 'waitlist_closed' });
}

function changed(ctx: ServiceContext, caller: Caller, row: EntryRow, detail: Record<string, unknown>): void {
  recordAudit(ctx, caller, { action: 'change', patientId: row.patient_id, entity: 'waitlist', entityId: row.id, detail });
  ctx.events.emit({ entities: ['waitlist'], ids: [row.id] });
}

interface Wish {
  appointmentTypeId: string;
  resourceId: string | null;
  profession: string | null;
}

/** The wish must be one the type can meet: an active type, a resource or profession that may perform it. */
function checkWish(ctx: ServiceContext, wish: Wish): AppointmentType {
  const type = getAppointmentType(ctx, wish.appointmentTypeId);
  if (!type.active) throw invalid(`${type.nameSv} är inaktiverad och kan inte väntas på.`);
  if (wish.resourceId) {
    const resource = getResource(ctx, wish.resourceId);
    if (!resource.active) throw invalid(`${resource.name} är inaktiverad.`);
    if (!professionAllowed(type.professions, resource.profession)) {
      throw invalid(`${resource.name} kan inte ta emot ${type.nameSv}: besökstypen är för en annan yrkesgrupp.`);
    }
  }
  if (wish.profession && !professionAllowed(type.professions, wish.profession)) {
    throw invalid(`${type.nameSv} utförs inte av den yrkesgruppen.`);
  }
  return type;
}

/** One open entry per patient and type: a second would only make the list longer, not the wait shorter. */
function checkNotListed(ctx: ServiceContext, patientId: string, type: AppointmentType, exceptId: string | null): void {
  const other = ctx.db
    .prepare(
      `SELECT 1 FROM waitlist WHERE patient_id = ? AND appointment_type_id = ? AND state IN ('waiting', 'offered') AND id IS NOT ?`,
    )
    .get(patientId, type.id, exceptId);
  if (other) throw conflict(`Patienten står redan på återbudslistan för ${type.nameSv}.`, { rule: 'waitlist_duplicate' });
}

export interface WaitlistAddInput {
  patientId: string;
  appointmentTypeId: string;
  resourceId?: string | null | undefined;
  profession?: string | null | undefined;
  earliest?: string | null | undefined;
  latest?: string | null | undefined;
  priority: WaitlistPriority;
  note: string;
}

export function addToWaitlist(ctx: ServiceContext, caller: Caller, input: WaitlistAddInput): WaitlistEntry {
  return ctx.db.transaction(() => {
    if (!ctx.db.prepare(`SELECT 1 FROM patients WHERE id = ?`).get(input.patientId)) throw notFound('Patienten', input.patientId);
    const wish = {
      appointmentTypeId: input.appointmentTypeId,
      resourceId: input.resourceId ?? null,
      profession: input.resourceId || !input.profession ? null : asKnownProfession(ctx, input.profession),
    };
    const type = checkWish(ctx, wish);
    checkNotListed(ctx, input.patientId, type, null);
    const id = ctx.newId();
    const now = ctx.now();
    ctx.db
      .prepare(
        `INSERT INTO waitlist (id, patient_id, appointment_type_id, resource_id, profession, earliest, latest, priority, state, note,
           created_at, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.patientId,
        type.id,
        wish.resourceId,
        wish.profession,
        input.earliest ?? null,
        input.latest ?? null,
        input.priority,
        input.note,
        now,
        now,
        caller.username,
      );
    const row = entryRow(ctx, id);
    changed(ctx, caller, row, { op: 'add', appointmentTypeId: type.id, priority: input.priority });
    return entryAsSeenBy(ctx, caller, id);
  })();
}

export interface WaitlistUpdateInput {
  id: string;
  appointmentTypeId?: string | undefined;
  resourceId?: string | null | undefined;
  profession?: string | null | undefined;
  earliest?: string | null | undefined;
  latest?: string | null | undefined;
  priority?: WaitlistPriority | undefined;
  note?: string | undefined;
  expectedVersion?: number | undefined;
}

export function updateWaitlistEntry(ctx: ServiceContext, caller: Caller, input: WaitlistUpdateInput): WaitlistEntry {
  return ctx.db.transaction(() => {
    const before = entryRow(ctx, input.id);
    requireOpen(before);
    refuseStaleEdit(input.expectedVersion, before.version, 'Posten på återbudslistan', 'öppnade den');
    // A resource wish replaces a profession wish and the other way round.
    const resourceId = input.resourceId !== undefined ? input.resourceId : input.profession ? null : before.resource_id;
    const profession = input.profession
      ? asKnownProfession(ctx, input.profession)
      : input.profession === undefined && !input.resourceId
        ? before.profession
        : null;
    const wish = { appointmentTypeId: input.appointmentTypeId ?? before.appointment_type_id, resourceId, profession };
    const type = checkWish(ctx, wish);
    checkNotListed(ctx, before.patient_id, type, before.id);
    const earliest = input.earliest !== undefined ? input.earliest : before.earliest;
    const latest = input.latest !== undefined ? input.latest : before.latest;
    if (earliest && latest && earliest > latest) throw invalid('Sista dag får inte vara före första dag.');
    const priority = input.priority ?? before.priority;
    const note = input.note ?? before.note;
    const next = [type.id, resourceId, profession, earliest, latest, priority, note];
    const stored = [
      before.appointment_type_id,
      before.resource_id,
      before.profession,
      before.earliest,
      before.latest,
      before.priority,
      before.note,
    ];
    // The entry as it is, saved again: nothing to write or log.
    if (next.every((v, i) => v === stored[i])) return entryAsSeenBy(ctx, caller, before.id);
    ctx.db
      .prepare(
        `UPDATE waitlist SET appointment_type_id = ?, resource_id = ?, profession = ?, earliest = ?, latest = ?, priority = ?, note = ?,
           version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(...next, ctx.now(), caller.username, before.id);
    const fields = Object.keys(input).filter((k) => k !== 'id');
    changed(ctx, caller, before, { op: 'update', fields });
    return entryAsSeenBy(ctx, caller, before.id);
  })();
}

/**
 * Moves an open entry to another state. Any move but to `offered` clears the offered time: the
 * time is released for the next patient on the list (migration 0010).
 */
function setState(
  ctx: ServiceContext,
  caller: Caller,
  before: EntryRow,
  state: 'waiting' | 'offered' | 'withdrawn',
  offeredSlotId: string | null,
  detail: Record<string, unknown>,
): WaitlistEntry {
  ctx.db
    .prepare(
      `UPDATE waitlist SET state = ?, offered_slot_id = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(state, offeredSlotId, ctx.now(), caller.username, before.id);
  if (before.offered_slot_id !== offeredSlotId) {
    if (before.offered_slot_id) queueHeldSlot(ctx, before.offered_slot_id);
    if (offeredSlotId) queueHeldSlot(ctx, offeredSlotId);
  }
  changed(ctx, caller, before, {
    ...detail,
    from: before.state,
    ...(before.offered_slot_id && before.offered_slot_id !== offeredSlotId ? { released: before.offered_slot_id } : {}),
  });
  return entryAsSeenBy(ctx, caller, before.id);
}

export function withdrawWaitlistEntry(ctx: ServiceContext, caller: Caller, input: { id: string }): WaitlistEntry {
  return ctx.db.transaction(() => {
    const before = entryRow(ctx, input.id);
    requireOpen(before);
    return setState(ctx, caller, before, 'withdrawn', null, { op: 'withdraw' });
  })();
}

/**
 * A free time may be offered to one patient on the list at a time: it must offer the entry's type,
 * be open and unbooked, and not be offered to anyone else (the unique index would refuse it too).
 */
function checkOfferable(ctx: ServiceContext, entry: EntryRow, slotId: string): void {
  const slot = getSlot(ctx, slotId);
  if (!slot.appointmentTypeIds.includes(entry.appointment_type_id)) {
    throw invalid('Tiden kan inte bokas för besökstypen som patienten väntar på.', { rule: 'waitlist_slot_type' });
  }
  const booked = ctx.db.prepare(`SELECT 1 FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES}`).get(slot.id);
  if (slot.state !== 'open' || booked) throw conflict('Tiden är inte längre ledig.', { rule: 'slot_taken' });
  if (slot.startAt <= ctx.now()) throw conflict('Tiden har redan passerat.', { rule: 'past' });
  const other = ctx.db
    .prepare(`SELECT 1 FROM waitlist WHERE offered_slot_id = ? AND state = 'offered' AND id <> ?`)
    .get(slot.id, entry.id);
  if (other) {
    throw conflict(
      'Tiden är redan erbjuden till en annan patient på återbudslistan. Vänta på svar, eller lägg tillbaka den patienten som väntande först.',
      { rule: 'waitlist_slot_offered' },
    );
  }
  // Another desk has called its patient about it (sync noted the hold): offered here too, two
  // patients would each be promised the time. Booking it stays allowed (the booking dialog asks).
  if (withHeldElsewhere(ctx, slot).heldElsewhere) {
    throw conflict(
      'Tiden är redan erbjuden en patient på återbudslistan på en annan dator. Välj en annan tid, eller vänta tills erbjudandet där är besvarat.',
      { rule: 'waitlist_slot_offered_elsewhere' },
    );
  }
}

/**
 * The receptionist called the patient about a time. With slotId the time is held for her until
 * she answers (no one else on the list is offered it); without, the call was about times in general.
 */
export function markWaitlistOffered(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; slotId?: string | undefined },
): WaitlistEntry {
  return ctx.db.transaction(() => {
    const before = entryRow(ctx, input.id);
    requireOpen(before);
    // "Erbjud tid" again on the time she already holds: still held, nothing to write or log.
    if (input.slotId && before.state === 'offered' && before.offered_slot_id === input.slotId) {
      return entryAsSeenBy(ctx, caller, before.id);
    }
    if (input.slotId) checkOfferable(ctx, before, input.slotId);
    return setState(ctx, caller, before, 'offered', input.slotId ?? null, { op: 'offered', slotId: input.slotId ?? null });
  })();
}

/**
 * Back to waiting after an offer. Only the state and the offered time change, so the entry keeps
 * its priority, wish, period and place (created_at, "väntar sedan"), and the time it was offered
 * is free to offer to the next patient; an entry not offered has nothing to take back.
 */
export function markWaitlistWaiting(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; reason?: WaitlistReturnReason | undefined },
): WaitlistEntry {
  return ctx.db.transaction(() => {
    const before = entryRow(ctx, input.id);
    requireOpen(before);
    if (before.state !== 'offered') {
      throw conflict('Posten väntar redan: patienten har inte erbjudits någon tid.', { rule: 'waitlist_not_offered' });
    }
    return setState(ctx, caller, before, 'waiting', null, { op: 'returned', reason: input.reason ?? 'declined' });
  })();
}

/**
 * Booking from the list (bookings.book with waitlistEntryId): the entry becomes `booked`, in the
 * booking's transaction. It must be open and be the same patient's wait for the same type.
 */
export function bookedFromWaitlist(
  ctx: ServiceContext,
  caller: Caller,
  entryId: string,
  booking: { id: string; patientId: string; appointmentTypeId: string },
): void {
  const before = entryRow(ctx, entryId);
  if (before.patient_id !== booking.patientId) {
    throw invalid('Posten på återbudslistan gäller en annan patient.', { rule: 'waitlist_patient' });
  }
  if (before.appointment_type_id !== booking.appointmentTypeId) {
    throw invalid('Posten på återbudslistan gäller en annan besökstyp.', { rule: 'waitlist_type' });
  }
  requireOpen(before);
  ctx.db
    .prepare(
      `UPDATE waitlist SET state = 'booked', offered_slot_id = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(ctx.now(), caller.username, entryId);
  // Booked into the held time, the booking's claim sends the slot with it; into another, the held one is freed.
  if (before.offered_slot_id) queueHeldSlot(ctx, before.offered_slot_id);
  changed(ctx, caller, before, { op: 'booked', bookingId: booking.id, from: before.state });
}

/**
 * A hold started or ended by hand: the slot goes to central again, busy-tentative while held and
 * free after (sync/push.ts). Holds that end by themselves need no row of their own: the write that
 * ended them (a booking, a block) sends the slot, and push catches a time that has passed.
 */
function queueHeldSlot(ctx: ServiceContext, slotId: string): void {
  enqueueOutbox(ctx, 'slot', slotId, 'update', getSlot(ctx, slotId));
}

/**
 * "Erbjud tid" on the list: the first free times that fit the entry's wish, from the free-slot
 * search (type, resource or profession, earliest/latest, within the type's booking window), less
 * the times held for another patient (here, or on another desk's list as sync noted) and, when
 * she already holds a time of the type, the times not earlier than it (she waits for an earlier
 * one). No patient is shown: only the times.
 */
export function offerableSlots(ctx: ServiceContext, input: { id: string; limit: number }): FreeSlot[] {
  const entry = entryRow(ctx, input.id);
  requireOpen(entry);
  // Held for another patient, on this desk's list or (as sync noted) on another desk's: a time
  // offered to two patients would be promised twice, so it is left out, not shown marked.
  const held = slotsHeldElsewhere(ctx);
  const heldHere = ctx.db
    .prepare(
      `SELECT w.offered_slot_id FROM waitlist w JOIN slots s ON s.id = w.offered_slot_id
        WHERE w.state = 'offered' AND w.offered_slot_id IS NOT NULL AND w.id <> ? AND s.start_at > ?`,
    )
    .pluck()
    .all(entry.id, ctx.now()) as string[];
  for (const id of heldHere) held.add(id);
  const own = ctx.db
    .prepare(
      `SELECT min(s.start_at) AS startAt FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.patient_id = ? AND b.appointment_type_id = ? AND b.status IN (SELECT value FROM json_each(?)) AND s.start_at > ?`,
    )
    .get(entry.patient_id, entry.appointment_type_id, json(OPEN_STATUSES), ctx.now()) as { startAt: number | null };
  const free = findFreeSlots(ctx, {
    appointmentTypeId: entry.appointment_type_id,
    resourceId: entry.resource_id ?? undefined,
    profession: entry.profession ?? undefined,
    from: entry.earliest ?? undefined,
    to: entry.latest ?? undefined,
    // Enough to fill the page after the held ones are left out.
    limit: input.limit + held.size,
  });
  return free.filter((f) => !held.has(f.slotId) && (own.startAt === null || f.startAt < own.startAt)).slice(0, input.limit);
}

export interface WaitlistListInput {
  states?: WaitlistState[] | undefined;
  appointmentTypeId?: string | undefined;
  resourceId?: string | undefined;
  limit: number;
}

/**
 * The list, the unit's types only. With a resource: the entries it could serve by their wish
 * (that resource, its profession, or no wish) and by the type (the resource's profession may do it).
 */
function listFilter(ctx: ServiceContext, input: Omit<WaitlistListInput, 'limit'>): { where: string; params: unknown[] } {
  const conds = ['t.unit_id = ?', `${LISTED_STATE} IN (SELECT value FROM json_each(?))`];
  const params: unknown[] = [currentUnit(ctx).id, ctx.now(), json(input.states ?? OPEN_WAITLIST_STATES)];
  if (input.appointmentTypeId) {
    conds.push('w.appointment_type_id = ?');
    params.push(input.appointmentTypeId);
  }
  if (input.resourceId) {
    const resource = getResource(ctx, input.resourceId);
    conds.push(
      `(w.resource_id = ? OR (w.resource_id IS NULL AND (w.profession IS NULL OR w.profession = ?)
         AND (t.professions = '[]' OR ? IN (SELECT value FROM json_each(t.professions)))))`,
    );
    params.push(resource.id, resource.profession, resource.profession);
  }
  return { where: conds.join(' AND '), params };
}

export function listWaitlist(ctx: ServiceContext, caller: Caller, input: WaitlistListInput): WaitlistEntry[] {
  const { where, params } = listFilter(ctx, input);
  const rows = ctx.db.prepare(`${LIST_SELECT} WHERE ${where} ${ORDER} LIMIT ?`).all(...params, input.limit) as ListedRow[];
  const seesProtected = mayShowContactDetails(true, caller.roles);
  return toEntries(ctx, rows, seesProtected);
}

/** How many entries the same filters select, however many the list was limited to (no patient shown). */
export function countWaitlist(ctx: ServiceContext, input: Omit<WaitlistListInput, 'limit'>): { count: number } {
  const { where, params } = listFilter(ctx, input);
  return ctx.db.prepare(`SELECT count(*) AS count ${LIST_FROM} WHERE ${where}`).get(...params) as { count: number };
}

/**
 * The open entries that fit a free slot. Types: those offered in the slot that the booking rules
 * let the desk book there now (checkFit with the type's first contact mode, the booking window
 * without override). Wish: that resource or its profession, or none. Period: the slot's local date
 * within [earliest, latest]. And the patient holds no upcoming booked time of the type before
 * the slot: they would not want a later one.
 */
export function waitlistMatchesForSlot(ctx: ServiceContext, caller: Caller, input: { slotId: string }): WaitlistEntry[] {
  const slot = getSlot(ctx, input.slotId);
  const taken = ctx.db.prepare(`SELECT 1 FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES}`).get(slot.id);
  if (taken) return [];
  const resource = getResource(ctx, slot.resourceId);
  const tz = currentUnit(ctx).timeZone;
  const now = ctx.now();
  const bookable = slot.appointmentTypeIds.filter((typeId) => {
    const type = getAppointmentType(ctx, typeId);
    const contactMode = type.contactModes[0]!;
    const fit = checkFit({ type, typeId, contactMode, channel: 'desk', slot, resource });
    return !fit && !checkBookingWindow(type, slot.startAt, now, false, tz);
  });
  if (bookable.length === 0) return [];
  const slotDate = localDate(slot.startAt, tz);
  const rows = ctx.db
    .prepare(
      `${LIST_SELECT}
        WHERE w.state IN ('waiting', 'offered')
          AND w.appointment_type_id IN (SELECT value FROM json_each(@types))
          AND (w.resource_id IS NULL OR w.resource_id = @resourceId)
          AND (w.profession IS NULL OR w.profession = @profession)
          AND (w.earliest IS NULL OR w.earliest <= @slotDate)
          AND (w.latest IS NULL OR w.latest >= @slotDate)
          AND NOT EXISTS (
            SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
             WHERE b.patient_id = w.patient_id AND b.appointment_type_id = w.appointment_type_id
               AND b.status IN (SELECT value FROM json_each(@open)) AND s.start_at > @now AND s.start_at < @slotStart)
        ${ORDER}`,
    )
    .all({
      types: json(bookable),
      resourceId: resource.id,
      profession: resource.profession,
      slotDate,
      open: json(OPEN_STATUSES),
      now,
      slotStart: slot.startAt,
    }) as ListedRow[];
  const seesProtected = mayShowContactDetails(true, caller.roles);
  return toEntries(ctx, rows, seesProtected);
}
