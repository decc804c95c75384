// Absences: a resource away for a period. Its open slots in the period are blocked (and point at
// the absence); the bookings in them are listed for rebooking. Absences of one resource may overlap
// (a course day inside a week of sick leave: both records are kept), so after every change one rule
// decides each touched slot (`reconcileAbsenceBlocks`): blocked while ANY active absence covers it,
// open once none does, and a scheduler's own block (no absence) is never lifted by an absence.
import { invalid, notFound } from '../api/result.ts';
import type { Absence, AbsenceResult } from '../api/methods/scheduling.ts';
import type { Booking } from '../api/types.ts';
import { addDays, startOfLocalDay, wallPeriod } from '../domain/time.ts';
import { BOOKING_SELECT, toBooking, toSlot, type BookingRow, type SlotRow } from '../store/rows.ts';
import { toAbsence, type AbsenceRow } from '../store/scheduling-rows.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import { enqueueOutbox } from './outbox.ts';
import { getResource } from './slots.ts';
import { currentUnit } from './unit.ts';
import { releaseOffersNoLongerFree } from './waitlist-holds.ts';

/** Slots are at most this long: a bound for the (resource, start) index when finding those overlapping a period. */
const LONGEST_SLOT_MS = 8 * 3_600_000;

export function getAbsence(ctx: ServiceContext, id: string): Absence {
  const row = ctx.db.prepare(`SELECT * FROM absences WHERE id = ?`).get(id) as (AbsenceRow & { version: number }) | undefined;
  if (!row) throw notFound('Frånvaron', id);
  return toAbsence(row);
}

/**
 * An active absence of the resource covering the time, if any. Slots it covers are blocked as it is
 * written, but an absence another desk registered arrives by sync before its blocked slots do.
 */
export function absenceCovering(
  ctx: ServiceContext,
  resourceId: string,
  startAt: number,
  endAt: number,
): { id: string; reason: string } | undefined {
  return ctx.db
    .prepare(`SELECT id, reason FROM absences WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ? LIMIT 1`)
    .get(resourceId, endAt, startAt) as { id: string; reason: string } | undefined;
}

/** Bookings not yet visited (booked / preliminary) on the resource's slots inside the period. */
export function bookingsInPeriod(ctx: ServiceContext, resourceId: string, startAt: number, endAt: number): Booking[] {
  return (
    ctx.db
      .prepare(
        `${BOOKING_SELECT}
          WHERE s.resource_id = ? AND s.start_at < ? AND s.end_at > ? AND s.start_at > ?
            AND b.status IN ('booked', 'preliminary')
          ORDER BY s.start_at`,
      )
      .all(resourceId, endAt, startAt, startAt - LONGEST_SLOT_MS) as BookingRow[]
  ).map(toBooking);
}

export function affectedBookings(ctx: ServiceContext, caller: Caller, input: { id: string }): Booking[] {
  const a = getAbsence(ctx, input.id);
  const list = a.state === 'active' ? bookingsInPeriod(ctx, a.resourceId, a.startAt, a.endAt) : [];
  recordPatientReads(
    ctx,
    caller,
    list.map((b) => b.patient.id),
    { op: 'affected_bookings', absenceId: a.id, count: list.length },
  );
  return list;
}

const blockReasonOf = (a: { reason: string }) => a.reason || 'Frånvaro';

const NOTHING_WRITTEN = { slotsChanged: 0, slotsBlocked: 0, slotsOpened: 0 };

interface CoveringAbsence {
  id: string;
  reason: string;
  start_at: number;
  end_at: number;
}

/**
 * Brings the resource's slots overlapping [fromAt, toAt) in line with its active absences: a slot
 * covered by one is blocked and names it (the one it already names while that still covers it,
 * else the first registered: Wednesday keeps "Kurs" when a week of "Sjuk" is laid over it); an
 * absence-blocked slot no active absence covers opens. Blocks by hand (no absence) stay as they
 * are. Each changed slot is bumped and queued for sync. Returns the ids blocked, opened and
 * re-pointed (another absence, or a new reason).
 */
function reconcileAbsenceBlocks(
  ctx: ServiceContext,
  caller: Caller,
  resourceId: string,
  fromAt: number,
  toAt: number,
): { blocked: string[]; opened: string[]; repointed: string[] } {
  const slots = ctx.db
    .prepare(
      `SELECT * FROM slots WHERE resource_id = ? AND start_at < ? AND end_at > ? AND start_at > ?
          AND (state = 'open' OR (state = 'blocked' AND absence_id IS NOT NULL))`,
    )
    .all(resourceId, toAt, fromAt, fromAt - LONGEST_SLOT_MS) as (SlotRow & { absence_id: string | null })[];
  // Ids are UUIDv7: their order is the order the absences were registered in.
  const absences = ctx.db
    .prepare(
      `SELECT id, reason, start_at, end_at FROM absences
        WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ? ORDER BY id`,
    )
    .all(resourceId, toAt + LONGEST_SLOT_MS, fromAt - LONGEST_SLOT_MS) as CoveringAbsence[];
  const out = { blocked: [] as string[], opened: [] as string[], repointed: [] as string[] };
  for (const s of slots) {
    const covering = absences.filter((a) => a.start_at < s.end_at && a.end_at > s.start_at);
    const by = covering.find((a) => a.id === s.absence_id) ?? covering[0];
    if (!by) {
      if (s.state === 'blocked') {
        changeSlots(ctx, caller, [s], `state = 'open', absence_id = NULL, block_reason = NULL`);
        out.opened.push(s.id);
      }
    } else if (s.state === 'open') {
      changeSlots(ctx, caller, [s], `state = 'blocked', absence_id = ?, block_reason = ?`, by.id, blockReasonOf(by));
      out.blocked.push(s.id);
    } else if (by.id !== s.absence_id || blockReasonOf(by) !== s.block_reason) {
      changeSlots(ctx, caller, [s], `absence_id = ?, block_reason = ?`, by.id, blockReasonOf(by));
      out.repointed.push(s.id);
    }
  }
  // A time held on återbudslistan that is now blocked is given back to the list.
  if (out.blocked.length > 0) releaseOffersNoLongerFree(ctx, caller);
  return out;
}

function changeSlots(ctx: ServiceContext, caller: Caller, rows: SlotRow[], sql: string, ...vals: unknown[]): number {
  const stmt = ctx.db.prepare(`UPDATE slots SET ${sql}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`);
  const get = ctx.db.prepare(`SELECT * FROM slots WHERE id = ?`);
  for (const r of rows) {
    stmt.run(...vals, ctx.now(), caller.username, r.id);
    enqueueOutbox(ctx, 'slot', r.id, 'update', toSlot(get.get(r.id) as SlotRow));
  }
  return rows.length;
}

interface PeriodInput {
  resourceId: string;
  from: string;
  fromTime?: string | undefined;
  to: string;
  toTime?: string | undefined;
}

/** The period as instants: from `from` `fromTime` (default 00:00) to `to` `toTime` (default and 24:00: the end of day `to`). */
function periodOf(ctx: ServiceContext, input: Omit<PeriodInput, 'resourceId'>): { startAt: number; endAt: number } {
  const period = wallPeriod(input, currentUnit(ctx).timeZone);
  if ('problem' in period) throw invalid(period.problem);
  return period;
}

/** The resource's other active absences overlapping the period: shown so the scheduler sees what else keeps the time blocked. */
function overlappingAbsences(ctx: ServiceContext, a: { id: string; resourceId: string; startAt: number; endAt: number }) {
  return (
    ctx.db
      .prepare(
        `SELECT * FROM absences WHERE resource_id = ? AND state = 'active' AND id <> ? AND start_at < ? AND end_at > ? ORDER BY start_at, id`,
      )
      .all(a.resourceId, a.id, a.endAt, a.startAt) as (AbsenceRow & { version: number })[]
  ).map(toAbsence);
}

/** The bookings the answer lists, with their reads logged: the scheduler sees these patients (Patientdatalagen). */
function listedAffected(ctx: ServiceContext, caller: Caller, a: Absence, op: string): Booking[] {
  const affected = bookingsInPeriod(ctx, a.resourceId, a.startAt, a.endAt);
  recordPatientReads(
    ctx,
    caller,
    affected.map((b) => b.patient.id),
    { op, absenceId: a.id, count: affected.length },
  );
  return affected;
}

/**
 * Registers an absence. It may overlap others of the resource: each is its own record (why the
 * time is blocked), and the answer names them. The same absence again (same period and reason,
 * a double click or an HR feed run twice) changes nothing and answers with the one there.
 * `affectedBookings` lists every active booking in the period, also those an overlapping absence
 * listed first: until moved they still need a time, and this absence's rebooking moves them all.
 */
export function createAbsence(ctx: ServiceContext, caller: Caller, input: PeriodInput & { reason: string }): AbsenceResult {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const resource = getResource(ctx, input.resourceId);
    if (resource.unitId !== unit.id) throw invalid('Resursen tillhör en annan enhet.');
    const { startAt, endAt } = periodOf(ctx, input);
    const same = ctx.db
      .prepare(
        `SELECT * FROM absences WHERE resource_id = ? AND state = 'active' AND start_at = ? AND end_at = ? AND reason = ? LIMIT 1`,
      )
      .get(resource.id, startAt, endAt, input.reason) as (AbsenceRow & { version: number }) | undefined;
    if (same) {
      const absence = toAbsence(same);
      const affectedBookings = listedAffected(ctx, caller, absence, 'absence_affected');
      const overlapping = overlappingAbsences(ctx, absence);
      return { absence, ...NOTHING_WRITTEN, affectedBookings, overlapping, unchanged: true };
    }
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO absences (id, resource_id, start_at, end_at, reason, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, resource.id, startAt, endAt, input.reason, ctx.now(), caller.username);
    const absence = getAbsence(ctx, id);
    enqueueOutbox(ctx, 'absence', id, 'create', absence);
    const { blocked } = reconcileAbsenceBlocks(ctx, caller, resource.id, startAt, endAt);
    const affected = listedAffected(ctx, caller, absence, 'absence_affected');
    const overlapping = overlappingAbsences(ctx, absence);
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'absence',
      entityId: id,
      detail: {
        op: 'create',
        resourceId: resource.id,
        slotsBlocked: blocked.length,
        affectedBookings: affected.length,
        overlapping: overlapping.map((a) => a.id),
      },
    });
    ctx.events.emit({ entities: ['absence', 'slot'], ids: [id, ...blocked] });
    const slots = { slotsChanged: blocked.length, slotsBlocked: blocked.length, slotsOpened: 0 };
    return { absence, ...slots, affectedBookings: affected, overlapping, unchanged: false };
  })();
}

/**
 * Changes an active absence's period and reason (shortened when the clinician is back early,
 * lengthened, moved). Slots leaving the period open unless another absence still covers them;
 * slots entering it are blocked. `slotsChanged` counts every slot written (blocked, opened, or
 * renamed with the new reason); `affectedBookings` lists the bookings in the new period.
 */
export function updateAbsence(
  ctx: ServiceContext,
  caller: Caller,
  input: Omit<PeriodInput, 'resourceId'> & { id: string; reason?: string | undefined; expectedVersion?: number | undefined },
): AbsenceResult {
  return ctx.db.transaction(() => {
    const row = ctx.db.prepare(`SELECT * FROM absences WHERE id = ?`).get(input.id) as
      (AbsenceRow & { version: number }) | undefined;
    if (!row) throw notFound('Frånvaron', input.id);
    if (row.state !== 'active') throw invalid('Frånvaron är återkallad och kan inte ändras. Lägg in en ny frånvaro i stället.');
    refuseStaleEdit(input.expectedVersion, row.version, 'Frånvaron', 'öppnade den');
    const { startAt, endAt } = periodOf(ctx, input);
    const reason = input.reason ?? row.reason;
    const before = toAbsence(row);
    if (startAt === row.start_at && endAt === row.end_at && reason === row.reason) {
      const affectedBookings = listedAffected(ctx, caller, before, 'absence_affected');
      return {
        absence: before,
        ...NOTHING_WRITTEN,
        affectedBookings,
        overlapping: overlappingAbsences(ctx, before),
        unchanged: true,
      };
    }
    ctx.db
      .prepare(
        `UPDATE absences SET start_at = ?, end_at = ?, reason = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(startAt, endAt, reason, ctx.now(), caller.username, row.id);
    const absence = getAbsence(ctx, row.id);
    enqueueOutbox(ctx, 'absence', absence.id, 'update', absence);
    // Both periods: slots the old one blocked and slots the new one covers.
    const r = reconcileAbsenceBlocks(ctx, caller, row.resource_id, Math.min(startAt, row.start_at), Math.max(endAt, row.end_at));
    const changed = [...r.blocked, ...r.opened, ...r.repointed];
    const affected = listedAffected(ctx, caller, absence, 'absence_affected');
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'absence',
      entityId: absence.id,
      detail: {
        op: 'update',
        before: { startAt: before.startAt, endAt: before.endAt, reason: before.reason },
        slotsBlocked: r.blocked.length,
        slotsOpened: r.opened.length,
        affectedBookings: affected.length,
      },
    });
    ctx.events.emit({ entities: ['absence', 'slot'], ids: [absence.id, ...changed] });
    return {
      absence,
      slotsChanged: changed.length,
      slotsBlocked: r.blocked.length,
      slotsOpened: r.opened.length,
      affectedBookings: affected,
      overlapping: overlappingAbsences(ctx, absence),
      unchanged: false,
    };
  })();
}

export function withdrawAbsence(ctx: ServiceContext, caller: Caller, input: { id: string }): AbsenceResult {
  return ctx.db.transaction(() => {
    const before = getAbsence(ctx, input.id);
    if (before.state === 'withdrawn') {
      return { absence: before, ...NOTHING_WRITTEN, affectedBookings: [], overlapping: [], unchanged: true };
    }
    ctx.db
      .prepare(`UPDATE absences SET state = 'withdrawn', version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(ctx.now(), caller.username, before.id);
    const absence = getAbsence(ctx, before.id);
    enqueueOutbox(ctx, 'absence', absence.id, 'update', absence);
    // What another absence still covers stays blocked, by that one.
    const r = reconcileAbsenceBlocks(ctx, caller, before.resourceId, before.startAt, before.endAt);
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'absence',
      entityId: absence.id,
      detail: { op: 'withdraw', slotsOpened: r.opened.length, slotsStillAway: r.repointed.length },
    });
    ctx.events.emit({ entities: ['absence', 'slot'], ids: [absence.id, ...r.opened, ...r.repointed, ...r.blocked] });
    const slots = { slotsChanged: r.opened.length, slotsBlocked: 0, slotsOpened: r.opened.length };
    return { absence, ...slots, affectedBookings: [], overlapping: [], unchanged: false };
  })();
}

export function listAbsences(
  ctx: ServiceContext,
  input: {
    resourceId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    includeWithdrawn?: boolean | undefined;
  },
): Absence[] {
  const unit = currentUnit(ctx);
  const fromAt = input.from ? startOfLocalDay(input.from, unit.timeZone) : -8.64e15;
  const toAt = input.to ? startOfLocalDay(addDays(input.to, 1), unit.timeZone) : 8.64e15;
  return (
    ctx.db
      .prepare(
        `SELECT a.* FROM absences a JOIN resources r ON r.id = a.resource_id
          WHERE r.unit_id = ? AND (? IS NULL OR a.resource_id = ?) AND a.start_at < ? AND a.end_at > ? AND (a.state = 'active' OR ?)
          ORDER BY a.start_at`,
      )
      .all(
        unit.id,
        input.resourceId ?? null,
        input.resourceId ?? null,
        toAt,
        fromAt,
        input.includeWithdrawn ? 1 : 0,
      ) as (AbsenceRow & { version: number })[]
  ).map(toAbsence);
}
