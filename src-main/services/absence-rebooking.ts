// Moving every booking hit by an absence in one step: proposals (earliest suitable free slot of
// the same type and profession, the same clinician preferred), applied all or in part in one
// transaction, and the list of patients to contact, with protected identity respected.
import { AppError, conflict, invalid } from '../api/result.ts';
import type {
  Absence,
  AbsenceRebookingResult,
  ContactListEntry,
  FreeSlot,
  Rebooking,
  RebookProposal,
} from '../api/methods/scheduling.ts';
import type { Booking } from '../api/types.ts';
import { bookingSeenBy, chooseProposal, mayShowContactDetails, overlaps } from '../domain/availability.ts';
import { unitMoveProblem } from '../domain/booking-rules.ts';
import { addDays, localDate, localTime, sameWallClockDaysLater } from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import { absenceCovering, bookingsInPeriod, getAbsence } from './absences.ts';
import { getBookingById as bookingById, rebookBooking } from './bookings.ts';
import type { Caller, ServiceContext } from './context.ts';
import { getAppointmentType } from './appointment-types.ts';
import { findFreeSlots } from './free-slots.ts';
import { getResource, getSlot } from './slots.ts';
import { currentUnit } from './unit.ts';
import { slotsHeldElsewhere } from './waitlist-holds.ts';

const DEFAULT_SEARCH_DAYS = 90;
/** The same clinician is preferred when their first free time is at most this many days later (wall clock). */
const SAME_RESOURCE_GRACE_DAYS = 7;

interface Interval {
  startAt: number;
  endAt: number;
}

function proposalsFor(ctx: ServiceContext, affected: Booking[], absence: Absence, searchDays: number): RebookProposal[] {
  const unit = currentUnit(ctx);
  const absent = getResource(ctx, absence.resourceId);
  const now = ctx.now();
  // Searched up to `searchDays` past the absence (an absence months ahead still finds times), in
  // calendar days: N × 24 h from a midnight ends an hour short of one over the autumn night. The
  // type's lead time stays: the patient has to be reached before a proposed time.
  const to = addDays(localDate(Math.max(now, absence.endAt), unit.timeZone), searchDays);
  // Times held on återbudslistan for a patient being called are hers until she answers (as
  // "Erbjud tid" leaves them out), on this desk's list or another desk's (pulled as held
  // elsewhere); the scheduler may still choose one by hand.
  const taken = new Set([
    ...(ctx.db
      .prepare(
        `SELECT w.offered_slot_id FROM waitlist w JOIN slots s ON s.id = w.offered_slot_id
          WHERE w.state = 'offered' AND s.start_at > ?`,
      )
      .pluck()
      .all(now) as string[]),
    ...slotsHeldElsewhere(ctx),
  ]);
  const candidatesByType = new Map<string, FreeSlot[]>();
  const out: RebookProposal[] = [];
  const patientBusy = ctx.db.prepare(
    `SELECT s.start_at AS startAt, s.end_at AS endAt FROM bookings b JOIN slots s ON s.id = b.slot_id
      WHERE b.patient_id = ? AND b.id <> ? AND b.status IN ${ACTIVE_BOOKING_STATUSES} AND s.end_at > ?`,
  );
  const proposedTo = new Map<string, Interval[]>();
  for (const booking of affected) {
    // Only what applying can do: a booking it would refuse is left for the desk, with the reason.
    const problem = unitMoveProblem(getAppointmentType(ctx, booking.appointmentTypeId), booking, now);
    if (problem) {
      out.push({ booking, proposal: null, sameResource: false, problem });
      continue;
    }
    let candidates = candidatesByType.get(booking.appointmentTypeId);
    if (!candidates) {
      // Enough candidates for every affected booking (each may also skip a few that clash with the
      // patient's other times), plus room for the preferred clinician: a long absence has hundreds.
      const search = {
        appointmentTypeId: booking.appointmentTypeId,
        to,
        ...(absent.profession ? { profession: absent.profession } : {}),
        limit: 200 + 2 * affected.length + taken.size,
        // A deactivated type's patients are moved too, to times that still offer it.
        movingBooked: true,
      };
      const anyone = findFreeSlots(ctx, search).filter((s) => absent.profession !== null || s.profession === null);
      // The absent clinician's own times, asked for apart: on a full unit the others' first few
      // hundred free times can all come before hers, and hers are preferred up to a week later.
      const listed = new Set(anyone.map((s) => s.slotId));
      const own = findFreeSlots(ctx, { ...search, resourceId: absent.id }).filter((s) => !listed.has(s.slotId));
      candidates = [...anyone, ...own]
        // Never a time any absence of its clinician covers (one pulled before its blocks may leave it open).
        .filter((c) => !absenceCovering(ctx, c.resourceId, c.startAt, c.endAt))
        .sort((a, b) => a.startAt - b.startAt); // stable: ties keep the search's order
      candidatesByType.set(booking.appointmentTypeId, candidates);
    }
    // Not at a time the patient is already booked elsewhere (nor proposed another of their bookings).
    const busy = [
      ...(patientBusy.all(booking.patient.id, booking.id, now) as Interval[]),
      ...(proposedTo.get(booking.patient.id) ?? []),
    ];
    const unavailable = new Set(taken);
    for (const c of candidates) if (busy.some((b) => overlaps(b.startAt, b.endAt, c.startAt, c.endAt))) unavailable.add(c.slotId);
    const chosen = chooseProposal(candidates, booking.resourceId, unavailable, (earliest) =>
      sameWallClockDaysLater(earliest, SAME_RESOURCE_GRACE_DAYS, unit.timeZone),
    );
    const proposal = chosen ? candidates.find((c) => c.slotId === chosen.slotId)! : null;
    if (proposal) {
      taken.add(proposal.slotId);
      proposedTo.set(booking.patient.id, [...(proposedTo.get(booking.patient.id) ?? []), proposal]);
    }
    out.push({ booking, proposal, sameResource: proposal?.resourceId === booking.resourceId });
  }
  return out;
}

export function proposeAbsenceRebooking(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; searchDays?: number | undefined },
): RebookProposal[] {
  const absence = getAbsence(ctx, input.id);
  if (absence.state !== 'active') return [];
  const affected = bookingsInPeriod(ctx, absence.resourceId, absence.startAt, absence.endAt);
  recordPatientReads(
    ctx,
    caller,
    affected.map((b) => b.patient.id),
    { op: 'propose', absenceId: absence.id, count: affected.length },
  );
  return proposalsFor(ctx, affected, absence, input.searchDays ?? DEFAULT_SEARCH_DAYS);
}

export function applyAbsenceRebooking(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; items?: { bookingId: string; slotId: string }[] | undefined; searchDays?: number | undefined },
): AbsenceRebookingResult {
  return ctx.db.transaction(() => {
    const absence = getAbsence(ctx, input.id);
    if (absence.state !== 'active') throw invalid('Frånvaron är återkallad; dess bokningar bokas inte om härifrån.');
    const affected = bookingsInPeriod(ctx, absence.resourceId, absence.startAt, absence.endAt);
    const byId = new Map(affected.map((b) => [b.id, b]));
    const items =
      input.items ??
      proposalsFor(ctx, affected, absence, input.searchDays ?? DEFAULT_SEARCH_DAYS).flatMap((p) =>
        p.proposal ? [{ bookingId: p.booking.id, slotId: p.proposal.slotId }] : [],
      );
    const seen = new Set<string>();
    const seenBookings = new Set<string>();
    const done = new Map<string, Rebooking>();
    for (const it of items) {
      if (seenBookings.has(it.bookingId)) throw invalid('Samma bokning finns två gånger i listan.', it);
      seenBookings.add(it.bookingId);
      const retried = byId.has(it.bookingId) ? null : alreadyMoved(ctx, absence, it);
      if (retried) done.set(it.bookingId, retried);
      else if (!byId.has(it.bookingId)) {
        throw invalid('En bokning i listan berörs inte av frånvaron (eller är redan flyttad).', it);
      }
      if (seen.has(it.slotId)) throw invalid('Samma tid har valts för två bokningar.', it);
      seen.add(it.slotId);
    }
    const rebooked: Rebooking[] = items.map((it) => {
      const retried = done.get(it.bookingId);
      if (retried) return retried;
      // An open time inside an absence (pulled before its blocks): a blocked one is refused below as any.
      const target = getSlot(ctx, it.slotId);
      if (target.state === 'open' && absenceCovering(ctx, target.resourceId, target.startAt, target.endAt)) {
        throw itemRefused(ctx, it, conflict('tiden ligger i en frånvaro.', { rule: 'absence' }));
      }
      try {
        return rebookBooking(ctx, caller, {
          id: it.bookingId,
          slotId: it.slotId,
          channel: 'desk',
          byUnit: true,
          absenceId: absence.id,
          reasonText: absence.reason || 'Frånvaro',
        });
      } catch (err) {
        if (err instanceof AppError) throw itemRefused(ctx, it, err);
        throw err;
      }
    });
    // Nothing moved by this call (none left to move, or the same apply retried): nothing to log.
    if (rebooked.length > done.size)
      recordAudit(ctx, caller, {
        action: 'change',
        entity: 'absence',
        entityId: absence.id,
        detail: {
          op: 'apply_rebooking',
          rebooked: rebooked.length - done.size,
          left: affected.length - rebooked.length + done.size,
        },
      });
    const moved = new Map(rebooked.map((r) => [r.old.id, r.new]));
    const listed = [...affected, ...[...done.values()].map((r) => r.old)].sort((a, b) => a.startAt - b.startAt);
    return { rebooked, contactList: contactEntries(ctx, caller, listed, moved) };
  })();
}

/**
 * An item this absence has already moved exactly so (the same apply retried, e.g. after a lost
 * answer): the move as it was made, so that applying twice moves once.
 */
function alreadyMoved(ctx: ServiceContext, absence: Absence, it: { bookingId: string; slotId: string }): Rebooking | null {
  const row = ctx.db.prepare(`SELECT status, rebooked_to FROM bookings WHERE id = ?`).get(it.bookingId) as
    { status: string; rebooked_to: string | null } | undefined;
  if (row?.status !== 'rebooked' || !row.rebooked_to) return null;
  const old = bookingById(ctx, it.bookingId);
  const next = bookingById(ctx, row.rebooked_to);
  const inAbsence = old.resourceId === absence.resourceId && old.startAt < absence.endAt && old.endAt > absence.startAt;
  return inAbsence && next.slotId === it.slotId ? { old, new: next } : null;
}

/**
 * One chosen time could not be used (often another desk booked it since the proposals were
 * made): the whole apply rolls back, and the scheduler learns which time and why.
 */
function itemRefused(ctx: ServiceContext, it: { bookingId: string; slotId: string }, err: AppError): AppError {
  const tz = currentUnit(ctx).timeZone;
  const slot = getSlot(ctx, it.slotId);
  const when = `${localDate(slot.startAt, tz)} ${localTime(slot.startAt, tz)} hos ${getResource(ctx, slot.resourceId).name}`;
  const rule = (err.details as { rule?: string } | undefined)?.rule;
  const why = rule === 'slot_taken' ? 'har hunnit bokas av någon annan.' : `går inte att använda: ${err.messageSv}`;
  return new AppError(err.code, `Den valda tiden ${when} ${why} Ingen bokning har flyttats; hämta nya förslag och försök igen.`, {
    ...it,
    rule,
  });
}

function contactEntries(
  ctx: ServiceContext,
  caller: Caller,
  bookings: Booking[],
  moved: Map<string, Booking>,
  elsewhere: ReadonlyMap<string, ContactListEntry['contactUnder']> = new Map(),
): ContactListEntry[] {
  const names = new Map<string, string>();
  const resourceName = (id: string) => {
    let n = names.get(id);
    if (n === undefined) names.set(id, (n = getResource(ctx, id).name));
    return n;
  };
  const phone = ctx.db.prepare(`SELECT phone FROM patients WHERE id = ?`);
  return bookings.map((b) => {
    const show = mayShowContactDetails(b.patient.protectedIdentity, caller.roles);
    const next = moved.get(b.id) ?? null;
    // A protected patient's name never leaves; the number only to roles that need it.
    const seen = bookingSeenBy(b, caller.roles).patient;
    return {
      bookingId: b.id,
      patientId: seen.id,
      displayName: seen.displayName,
      identityNumber: seen.identityNumber,
      protectedIdentity: b.patient.protectedIdentity,
      phone: show ? ((phone.get(b.patient.id) as { phone: string | null }).phone ?? null) : null,
      contactMasked: !show,
      oldStartAt: b.startAt,
      oldResourceName: resourceName(b.resourceId),
      moved: next !== null,
      newStartAt: next && show ? next.startAt : null,
      newResourceName: next && show ? resourceName(next.resourceId) : null,
      contactUnder: elsewhere.get(b.id) ?? null,
    };
  });
}

/** When an absence was registered on this desk or pulled to it: its first access-log event. */
const REGISTERED_AT = `(SELECT min(e.at) FROM audit_events e WHERE e.entity = 'absence' AND e.entity_id = a.id)`;

/**
 * Whose contact list has the call about a booking moved out of a time several absences cover: the
 * absence whose rebooking moved it (named in the move's access-log event), else (moved at the
 * desk, or before the event named it) the first absence registered over the old time by then.
 */
function whoseCall(ctx: ServiceContext, old: Booking, moved: Booking): string | null {
  const byRebooking = ctx.db
    .prepare(
      `SELECT json_extract(detail, '$.absenceId') FROM audit_events
        WHERE patient_id = ? AND at >= ? AND entity = 'booking' AND entity_id = ? AND json_extract(detail, '$.op') = 'rebook'
        ORDER BY at LIMIT 1`,
    )
    .pluck()
    .get(moved.patient.id, moved.createdAt, moved.id) as string | null | undefined;
  if (byRebooking) return byRebooking;
  return (
    (ctx.db
      .prepare(
        `SELECT a.id FROM absences a WHERE a.resource_id = ? AND a.start_at < ? AND a.end_at > ? AND ${REGISTERED_AT} <= ?
          ORDER BY ${REGISTERED_AT}, a.id LIMIT 1`,
      )
      .pluck()
      .get(old.resourceId, old.endAt, old.startAt, moved.createdAt) as string | undefined) ?? null
  );
}

/**
 * Patients to contact about an absence: those still booked in it, and those moved out of it
 * since it was registered (with their new time). A move is called about from one list only: one
 * another overlapping absence moved is shown here as already moved (`contactUnder`).
 */
export function absenceContactList(ctx: ServiceContext, caller: Caller, input: { id: string }): ContactListEntry[] {
  const absence = getAbsence(ctx, input.id);
  // Once withdrawn, those still booked in the period keep their time: only the moved need a call.
  const open = absence.state === 'active' ? bookingsInPeriod(ctx, absence.resourceId, absence.startAt, absence.endAt) : [];
  const movedRows = ctx.db
    .prepare(
      `SELECT old.id AS old_id, new.id AS new_id FROM bookings old
         JOIN slots s ON s.id = old.slot_id
         JOIN bookings new ON new.id = old.rebooked_to
        WHERE s.resource_id = ? AND s.start_at < ? AND s.end_at > ? AND old.status = 'rebooked'
          AND new.created_at >= (SELECT min(at) FROM audit_events WHERE entity = 'absence' AND entity_id = ?)`,
    )
    .all(absence.resourceId, absence.endAt, absence.startAt, absence.id) as { old_id: string; new_id: string }[];
  const all = [...open];
  const moved = new Map<string, Booking>();
  const elsewhere = new Map<string, ContactListEntry['contactUnder']>();
  for (const m of movedRows) {
    const oldB = bookingById(ctx, m.old_id);
    let newB = bookingById(ctx, m.new_id);
    const callOn = whoseCall(ctx, oldB, newB);
    if (callOn !== null && callOn !== absence.id) {
      elsewhere.set(oldB.id, { absenceId: callOn, reason: getAbsence(ctx, callOn).reason || 'Frånvaro' });
    }
    // Moved again since (at the desk): the time the patient holds now; none if it was cancelled.
    for (let hops = 0; newB.status === 'rebooked' && newB.rebookedTo && hops < 50; hops++)
      newB = bookingById(ctx, newB.rebookedTo);
    all.push(oldB);
    if (newB.status !== 'cancelled') moved.set(oldB.id, newB);
  }
  all.sort((a, b) => a.startAt - b.startAt);
  recordPatientReads(
    ctx,
    caller,
    all.map((b) => b.patient.id),
    { op: 'contact_list', absenceId: absence.id, count: all.length },
  );
  return contactEntries(ctx, caller, all, moved, elsewhere);
}
