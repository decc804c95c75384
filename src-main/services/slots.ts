// Single slots: add, change, block/unblock, remove (state 'removed', never deleted: the sync
// feed must see it).
import { conflict, invalid, notFound } from '../api/result.ts';
import type { Resource, Slot } from '../api/types.ts';
import { overlaps } from '../domain/availability.ts';
import { offerProblem } from '../domain/booking-rules.ts';
import { MAX_BOOK_DAYS } from '../domain/appointment-type-fields.ts';
import {
  addDays,
  doubledHourPass,
  localDate,
  MAX_SLOT_MINUTES,
  missingWallTimeProblem,
  slotTimesProblem,
  wallClockAtOffset,
  wallClockInstantAfter,
  wallClockToInstant,
  wallTimeOffsets,
  wallTimeToMinutes,
} from '../domain/time.ts';
import { ACTIVE_BOOKING_STATUSES, toResource, toSlot, type ResourceRow, type SlotRow } from '../store/rows.ts';
import { slotWriter } from '../store/scheduling-rows.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { currentUnit } from './unit.ts';
import { releaseOffersNoLongerFree } from './waitlist-holds.ts';

export function getSlot(ctx: ServiceContext, id: string): Slot {
  const row = ctx.db.prepare(`SELECT * FROM slots WHERE id = ?`).get(id) as SlotRow | undefined;
  if (!row) throw notFound('Tiden', id);
  return toSlot(row);
}

export function getResource(ctx: ServiceContext, id: string): Resource {
  const row = ctx.db.prepare(`SELECT * FROM resources WHERE id = ?`).get(id) as ResourceRow | undefined;
  if (!row) throw notFound('Resursen', id);
  return toResource(row);
}

/** The active booking holding a slot, if any. */
export function activeBookingId(ctx: ServiceContext, slotId: string): string | null {
  const row = ctx.db.prepare(`SELECT id FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES}`).get(slotId) as
    { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Checks that every id names an appointment type of the current unit that `resource` may offer in
 * slots of `slotMinutes` (active, the resource's profession, long enough).
 */
export function assertTypesOffered(
  ctx: ServiceContext,
  typeIds: readonly string[],
  resource: Pick<Resource, 'name' | 'profession'>,
  slotMinutes: number,
): void {
  const unit = currentUnit(ctx);
  const ids = [...new Set(typeIds)];
  const rows = ctx.db
    .prepare(
      `SELECT name_sv, active, professions, duration_min FROM appointment_types
        WHERE unit_id = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(unit.id, JSON.stringify(ids)) as { name_sv: string; active: number; professions: string; duration_min: number }[];
  if (rows.length !== ids.length) throw invalid('En eller flera besökstyper finns inte.');
  for (const r of rows) {
    const type = {
      nameSv: r.name_sv,
      active: r.active === 1,
      professions: JSON.parse(r.professions) as string[],
      durationMin: r.duration_min,
    };
    const problem = offerProblem(type, resource, slotMinutes);
    if (problem) throw invalid(problem);
  }
}

/** Live (not removed) slots of a resource overlapping [startAt, endAt), except `exceptId`. */
export function overlappingSlots(
  ctx: ServiceContext,
  resourceId: string,
  startAt: number,
  endAt: number,
  exceptId?: string,
): SlotRow[] {
  // Slots are at most 8 h long, which bounds how far back an overlapping slot can start.
  return (
    ctx.db
      .prepare(
        `SELECT * FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at < ? AND start_at > ? AND id IS NOT ?`,
      )
      .all(resourceId, endAt, startAt - 8 * 3_600_000, exceptId ?? null) as SlotRow[]
  ).filter((s) => overlaps(s.start_at, s.end_at, startAt, endAt));
}

/** Outbox row, audit event and change event for one changed slot. */
export function slotChanged(ctx: ServiceContext, caller: Caller, slot: Slot, op: 'create' | 'update', detail: object): void {
  enqueueOutbox(ctx, 'slot', slot.id, op, slot);
  recordAudit(ctx, caller, { action: 'change', entity: 'slot', entityId: slot.id, detail: { op, ...detail } });
  // Blocked, removed or another type list: a time held on återbudslistan may be closed to its patient.
  releaseOffersNoLongerFree(ctx, caller);
  ctx.events.emit({ entities: ['slot'], ids: [slot.id] });
}

export function createSlot(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    resourceId: string;
    date: string;
    startTime: string;
    endTime: string;
    utcOffset?: string | undefined;
    endUtcOffset?: string | undefined;
    appointmentTypeIds: string[];
    webPublished: boolean;
    withinCareGuarantee: boolean;
  },
): Slot {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const resource = getResource(ctx, input.resourceId);
    if (resource.unitId !== unit.id || !resource.active) throw invalid('Resursen är inaktiv eller tillhör en annan enhet.');
    // Today stays open (a walk-in seen this morning is registered afterwards); earlier days are
    // history. Holidays are allowed on purpose: templates skip them, a single slot is the
    // scheduler's explicit choice (a jour opening on nationaldagen).
    const today = localDate(ctx.now(), unit.timeZone);
    if (input.date < today) throw invalid(`${input.date} har redan varit: en ny tid kan läggas idag (${today}) eller senare.`);
    // A date past every type's booking window is a mistyped year: nobody could book it, nor see it.
    const last = addDays(today, MAX_BOOK_DAYS);
    if (input.date > last) {
      throw invalid(
        `${input.date} ligger längre fram än någon besökstyp kan bokas (högst ${MAX_BOOK_DAYS} dagar): en ny tid kan läggas till och med ${last}.`,
      );
    }
    const wrongOrder = slotTimesProblem(input.date, input.startTime, input.endTime, unit.timeZone);
    if (wrongOrder) throw invalid(wrongOrder);
    for (const time of [input.startTime, input.endTime]) {
      const problem = missingWallTimeProblem(input.date, time, unit.timeZone);
      if (problem) throw invalid(problem);
    }
    const { startAt, endAt } = slotInstants(input, unit.timeZone);
    if (endAt <= startAt) throw invalid('Sluttiden måste vara efter starttiden.');
    if (endAt - startAt > MAX_SLOT_MINUTES * 60_000) throw invalid(tooLongProblem(input, endAt - startAt));
    assertTypesOffered(ctx, input.appointmentTypeIds, resource, (endAt - startAt) / 60_000);
    if (overlappingSlots(ctx, resource.id, startAt, endAt).length > 0) {
      throw conflict('Resursen har redan en tid som överlappar den nya.');
    }
    // A slot added inside an active absence starts out blocked by it.
    const absence = ctx.db
      .prepare(
        `SELECT id, reason FROM absences WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ? LIMIT 1`,
      )
      .get(resource.id, endAt, startAt) as { id: string; reason: string } | undefined;
    const id = ctx.newId();
    const types = [...new Set(input.appointmentTypeIds)];
    slotWriter(ctx.db).insertSlot(
      id,
      resource.id,
      startAt,
      endAt,
      JSON.stringify(types),
      absence ? 'blocked' : 'open',
      absence?.id ?? null,
      absence ? absence.reason || 'Frånvaro' : null, // as the absence's own blocks (services/absences.ts)
      input.webPublished ? 1 : 0,
      input.withinCareGuarantee ? 1 : 0,
      null,
      ctx.now(),
      caller.username,
    );
    const slot = getSlot(ctx, id);
    slotChanged(ctx, caller, slot, 'create', {});
    return slot;
  })();
}

/**
 * A new slot's instants from its wall-clock times. Without an offset a start the autumn clock
 * shows twice is its second pass (standard time, as a template's), and the end is the first time
 * the clock shows it after the start (01:30–02:00 ends at the first 02:00). `utcOffset` names the
 * start's pass when it lies in that hour (else the end's, as before `endUtcOffset`); `endUtcOffset`
 * the end's. An end reading earlier than a start in that hour (02:40–02:10) runs across the change:
 * the start is then in the first pass, the only reading that puts the end after it.
 */
function slotInstants(
  input: { date: string; startTime: string; endTime: string; utcOffset?: string | undefined; endUtcOffset?: string | undefined },
  tz: string,
): { startAt: number; endAt: number } {
  const startMin = wallTimeToMinutes(input.startTime);
  const endMin = wallTimeToMinutes(input.endTime);
  const startOffsets = wallTimeOffsets(input.date, startMin, tz);
  const startTwice = startOffsets.length === 2;
  const endTwice = endMin < 24 * 60 && wallTimeOffsets(input.date, endMin, tz).length === 2;
  const named = (time: string, offset: string) => {
    const r = wallClockAtOffset(input.date, time, offset, tz);
    if ('problem' in r) throw invalid(r.problem);
    return r.at;
  };
  const endNamedByUtcOffset = input.endUtcOffset === undefined && !startTwice && endTwice;
  const startOffset = endNamedByUtcOffset ? undefined : input.utcOffset;
  const endOffset = input.endUtcOffset ?? (endNamedByUtcOffset ? input.utcOffset : undefined);
  const across = startTwice && endTwice && endMin <= startMin;
  const startAt =
    startOffset !== undefined
      ? named(input.startTime, startOffset)
      : across
        ? named(input.startTime, startOffsets[0]!)
        : wallClockToInstant(input.date, startMin, tz);
  const endAt =
    endOffset !== undefined ? named(input.endTime, endOffset) : wallClockInstantAfter(input.date, endMin, startAt, tz);
  if (endAt <= startAt && (startTwice || endTwice)) {
    const pass = (instant: number) => {
      const p = doubledHourPass(instant, tz);
      return p ? ` (${p})` : '';
    };
    throw invalid(
      `Sluttiden ${input.endTime}${pass(endAt)} är inte efter starttiden ${input.startTime}${pass(startAt)}. ` +
        'En tid över omställningen går från sommartid till vintertid, till exempel 02:40 sommartid – 02:10 vintertid.',
    );
  }
  return { startAt, endAt };
}

/** Why a slot over 8 real hours is refused; on a DST night the clock's hours are not the real ones. */
function tooLongProblem(input: { date: string; startTime: string; endTime: string }, ms: number): string {
  const wallMin = wallTimeToMinutes(input.endTime) - wallTimeToMinutes(input.startTime);
  const realMin = ms / 60_000;
  if (realMin <= wallMin) return 'En tid får vara högst 8 timmar.';
  const real = `${Math.floor(realMin / 60)} timmar${realMin % 60 ? ` ${realMin % 60} minuter` : ''}`;
  return (
    `En tid får vara högst 8 timmar. ${input.startTime}–${input.endTime} ${input.date} är ${real}: ` +
    'klockan ställs tillbaka en timme den natten.'
  );
}

/**
 * A slot of an earlier day is history (as for createSlot): removing, blocking or changing it would
 * rewrite what the book offered that day (utilisation, the central side's record). Today's stay
 * open to correction.
 */
function assertNotHistory(ctx: ServiceContext, slot: { startAt: number }): void {
  const tz = currentUnit(ctx).timeZone;
  const day = localDate(slot.startAt, tz);
  if (day < localDate(ctx.now(), tz))
    throw conflict(`Tiden ${day} har redan varit och hör till historiken: den kan inte ändras.`);
}

function bump(ctx: ServiceContext, caller: Caller, id: string, sets: string, ...vals: unknown[]): void {
  ctx.db
    .prepare(`UPDATE slots SET ${sets}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
    .run(...vals, ctx.now(), caller.username, id);
}

export function updateSlot(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    id: string;
    appointmentTypeIds?: string[] | undefined;
    webPublished?: boolean | undefined;
    withinCareGuarantee?: boolean | undefined;
  },
): Slot {
  return ctx.db.transaction(() => {
    const before = getSlot(ctx, input.id);
    if (before.state === 'removed') throw conflict('Tiden är borttagen ur schemat.');
    assertNotHistory(ctx, before);
    if (activeBookingId(ctx, before.id)) throw conflict('Tiden är bokad och kan inte ändras. Boka om patienten först.');
    const types = input.appointmentTypeIds ? [...new Set(input.appointmentTypeIds)] : before.appointmentTypeIds;
    if (input.appointmentTypeIds) {
      assertTypesOffered(ctx, types, getResource(ctx, before.resourceId), (before.endAt - before.startAt) / 60_000);
    }
    const webPublished = input.webPublished ?? before.webPublished;
    const withinCareGuarantee = input.withinCareGuarantee ?? before.withinCareGuarantee;
    // A form saved as it was (the same types in any order) writes nothing, unless the slot waits
    // for its template: then saving is the scheduler's own choice, which clears the mark below.
    const sameTypes =
      types.length === before.appointmentTypeIds.length && types.every((t) => before.appointmentTypeIds.includes(t));
    const marked = ctx.db.prepare(`SELECT 1 FROM slots_behind_template WHERE slot_id = ?`).get(before.id) !== undefined;
    if (sameTypes && webPublished === before.webPublished && withinCareGuarantee === before.withinCareGuarantee && !marked) {
      return before;
    }
    bump(
      ctx,
      caller,
      before.id,
      'appointment_type_ids = ?, web_published = ?, within_care_guarantee = ?',
      JSON.stringify(types),
      webPublished ? 1 : 0,
      withinCareGuarantee ? 1 : 0,
    );
    // The scheduler's own choice for this time wins over a template change it was waiting for.
    ctx.db.prepare(`DELETE FROM slots_behind_template WHERE slot_id = ?`).run(before.id);
    const slot = getSlot(ctx, before.id);
    slotChanged(ctx, caller, slot, 'update', { changed: Object.keys(input).filter((k) => k !== 'id') });
    return slot;
  })();
}

/**
 * A booked time is not blocked by hand: nothing would list its booking for rebooking (an absence
 * does, and the calendar shows the booking as any other), so the patient would come to a closed time.
 */
function assertNotBooked(ctx: ServiceContext, slotId: string): void {
  if (activeBookingId(ctx, slotId)) {
    throw conflict(
      'Tiden är bokad. Boka om eller avboka patienten först, eller lägg in en frånvaro: den listar bokningarna som behöver flyttas.',
    );
  }
}

export function blockSlot(ctx: ServiceContext, caller: Caller, input: { id: string; reason: string }): Slot {
  return ctx.db.transaction(() => {
    const before = getSlot(ctx, input.id);
    if (before.state === 'removed') throw conflict('Tiden är borttagen ur schemat.');
    assertNotHistory(ctx, before);
    if (before.state === 'blocked') {
      // Blocked by an absence: the scheduler's own block takes over and outlives the absence.
      const row = ctx.db.prepare(`SELECT absence_id FROM slots WHERE id = ?`).get(before.id) as { absence_id: string | null };
      if (!row.absence_id) {
        // Blocked by hand already: a new reason replaces the old one; none, or the same, changes nothing.
        if (!input.reason || input.reason === before.blockReason) return before;
        bump(ctx, caller, before.id, `block_reason = ?`, input.reason);
        const slot = getSlot(ctx, before.id);
        slotChanged(ctx, caller, slot, 'update', { state: 'blocked', reasonChanged: true });
        return slot;
      }
      assertNotBooked(ctx, before.id);
      bump(ctx, caller, before.id, `absence_id = NULL, block_reason = ?`, input.reason || before.blockReason);
      const slot = getSlot(ctx, before.id);
      slotChanged(ctx, caller, slot, 'update', { state: 'blocked', fromAbsence: row.absence_id });
      return slot;
    }
    assertNotBooked(ctx, before.id);
    bump(ctx, caller, before.id, `state = 'blocked', block_reason = ?`, input.reason || null);
    const slot = getSlot(ctx, before.id);
    slotChanged(ctx, caller, slot, 'update', { state: 'blocked' });
    return slot;
  })();
}

export function unblockSlot(ctx: ServiceContext, caller: Caller, input: { id: string }): Slot {
  return ctx.db.transaction(() => {
    const before = ctx.db.prepare(`SELECT * FROM slots WHERE id = ?`).get(input.id) as
      (SlotRow & { absence_id: string | null }) | undefined;
    if (!before) throw notFound('Tiden', input.id);
    if (before.state === 'removed') throw conflict('Tiden är borttagen ur schemat.');
    assertNotHistory(ctx, { startAt: before.start_at });
    if (before.state === 'open') return toSlot(before);
    if (before.absence_id) {
      const active = ctx.db.prepare(`SELECT 1 FROM absences WHERE id = ? AND state = 'active'`).get(before.absence_id);
      if (active) throw conflict('Tiden är spärrad av en frånvaro. Återkalla frånvaron i stället.');
    }
    // The scheduler's own block lifted while the clinician is away: the absence blocks it now (as a
    // slot added inside one), so it never opens during the absence and opens when it is withdrawn.
    const away = ctx.db
      .prepare(
        `SELECT id, reason FROM absences WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ? LIMIT 1`,
      )
      .get(before.resource_id, before.end_at, before.start_at) as { id: string; reason: string } | undefined;
    if (away) bump(ctx, caller, before.id, `absence_id = ?, block_reason = ?`, away.id, away.reason || 'Frånvaro');
    else bump(ctx, caller, before.id, `state = 'open', block_reason = NULL, absence_id = NULL`);
    const slot = getSlot(ctx, before.id);
    slotChanged(ctx, caller, slot, 'update', away ? { state: 'blocked', toAbsence: away.id } : { state: 'open' });
    return slot;
  })();
}

export function removeSlot(ctx: ServiceContext, caller: Caller, input: { id: string }): Slot {
  return ctx.db.transaction(() => {
    const before = getSlot(ctx, input.id);
    if (before.state === 'removed') return before;
    assertNotHistory(ctx, before);
    if (activeBookingId(ctx, before.id))
      throw conflict('Tiden är bokad och kan inte tas bort. Avboka eller boka om patienten först.');
    bump(ctx, caller, before.id, `state = 'removed'`);
    const slot = getSlot(ctx, before.id);
    slotChanged(ctx, caller, slot, 'update', { state: 'removed' });
    return slot;
  })();
}
