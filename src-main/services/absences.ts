// Absences: a resource away for a period. Its open slots in the period are blocked (and point at
// the absence); the bookings in them are listed for rebooking. Withdrawing opens them again.
import { conflict, invalid, notFound } from '../api/result.ts';
import type { Absence, AbsenceResult } from '../api/methods/scheduling.ts';
import type { Booking } from '../api/types.ts';
import { addDays, missingWallTimeProblem, startOfLocalDay, wallClockToInstant, wallTimeToMinutes } from '../domain/time.ts';
import { BOOKING_SELECT, toBooking, toSlot, type BookingRow, type SlotRow } from '../store/rows.ts';
import { toAbsence, type AbsenceRow } from '../store/scheduling-rows.ts';
import { recordAudit, recordPatientReads } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { getResource } from './slots.ts';
import { currentUnit } from './unit.ts';
import { releaseOffersNoLongerFree } from './waitlist-holds.ts';

export function getAbsence(ctx: ServiceContext, id: string): Absence {
  const row = ctx.db.prepare(`SELECT * FROM absences WHERE id = ?`).get(id) as AbsenceRow | undefined;
  if (!row) throw notFound('Frånvaron', id);
  return toAbsence(row);
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
      .all(resourceId, endAt, startAt, startAt - 8 * 3_600_000) as BookingRow[]
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

function changeSlots(ctx: ServiceContext, caller: Caller, rows: SlotRow[], sql: string, ...vals: unknown[]): number {
  const stmt = ctx.db.prepare(`UPDATE slots SET ${sql}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`);
  const get = ctx.db.prepare(`SELECT * FROM slots WHERE id = ?`);
  for (const r of rows) {
    stmt.run(...vals, ctx.now(), caller.username, r.id);
    enqueueOutbox(ctx, 'slot', r.id, 'update', toSlot(get.get(r.id) as SlotRow));
  }
  return rows.length;
}

export function createAbsence(
  ctx: ServiceContext,
  caller: Caller,
  input: {
    resourceId: string;
    from: string;
    fromTime?: string | undefined;
    to: string;
    toTime?: string | undefined;
    reason: string;
  },
): AbsenceResult {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const resource = getResource(ctx, input.resourceId);
    if (resource.unitId !== unit.id) throw invalid('Resursen tillhör en annan enhet.');
    const problem =
      (input.fromTime && missingWallTimeProblem(input.from, input.fromTime, unit.timeZone)) ||
      (input.toTime && missingWallTimeProblem(input.to, input.toTime, unit.timeZone));
    if (problem) throw invalid(problem);
    const startAt = wallClockToInstant(input.from, input.fromTime ? wallTimeToMinutes(input.fromTime) : 0, unit.timeZone);
    const endAt = input.toTime
      ? wallClockToInstant(input.to, wallTimeToMinutes(input.toTime), unit.timeZone)
      : startOfLocalDay(addDays(input.to, 1), unit.timeZone);
    if (endAt <= startAt) throw invalid('Frånvaron måste sluta efter att den börjar.');
    const overlapping = ctx.db
      .prepare(`SELECT 1 FROM absences WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ?`)
      .get(resource.id, endAt, startAt);
    if (overlapping) throw conflict('Resursen har redan en frånvaro som överlappar perioden.');
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO absences (id, resource_id, start_at, end_at, reason, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, resource.id, startAt, endAt, input.reason, ctx.now(), caller.username);
    const absence = getAbsence(ctx, id);
    enqueueOutbox(ctx, 'absence', id, 'create', absence);
    const open = ctx.db
      .prepare(`SELECT * FROM slots WHERE resource_id = ? AND state = 'open' AND start_at < ? AND end_at > ? AND start_at > ?`)
      .all(resource.id, endAt, startAt, startAt - 8 * 3_600_000) as SlotRow[];
    const slotsChanged = changeSlots(
      ctx,
      caller,
      open,
      `state = 'blocked', absence_id = ?, block_reason = ?`,
      id,
      input.reason || 'Frånvaro',
    );
    // A blocked time held on återbudslistan is given back to the list.
    releaseOffersNoLongerFree(ctx, caller);
    const affected = bookingsInPeriod(ctx, resource.id, startAt, endAt);
    // The answer lists these patients to the scheduler: a read of each (Patientdatalagen).
    recordPatientReads(
      ctx,
      caller,
      affected.map((b) => b.patient.id),
      { op: 'absence_affected', absenceId: id, count: affected.length },
    );
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'absence',
      entityId: id,
      detail: { op: 'create', resourceId: resource.id, slotsBlocked: slotsChanged, affectedBookings: affected.length },
    });
    ctx.events.emit({ entities: ['absence', 'slot'], ids: [id, ...open.map((s) => s.id)] });
    return { absence, slotsChanged, affectedBookings: affected };
  })();
}

export function withdrawAbsence(ctx: ServiceContext, caller: Caller, input: { id: string }): AbsenceResult {
  return ctx.db.transaction(() => {
    const before = getAbsence(ctx, input.id);
    if (before.state === 'withdrawn') return { absence: before, slotsChanged: 0, affectedBookings: [] };
    ctx.db
      .prepare(`UPDATE absences SET state = 'withdrawn', version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(ctx.now(), caller.username, before.id);
    const absence = getAbsence(ctx, before.id);
    enqueueOutbox(ctx, 'absence', absence.id, 'update', absence);
    const blocked = ctx.db.prepare(`SELECT * FROM slots WHERE absence_id = ? AND state = 'blocked'`).all(before.id) as SlotRow[];
    // A slot straddling the boundary to an adjacent absence stays blocked, by that one.
    const other = ctx.db.prepare(
      `SELECT id, reason FROM absences WHERE resource_id = ? AND state = 'active' AND start_at < ? AND end_at > ? LIMIT 1`,
    );
    const stillAway = new Map<string, { id: string; reason: string }>();
    for (const s of blocked) {
      const a = other.get(s.resource_id, s.end_at, s.start_at) as { id: string; reason: string } | undefined;
      if (a) stillAway.set(s.id, a);
    }
    const reopened = blocked.filter((s) => !stillAway.has(s.id));
    for (const s of blocked.filter((x) => stillAway.has(x.id))) {
      const a = stillAway.get(s.id)!;
      changeSlots(ctx, caller, [s], `absence_id = ?, block_reason = ?`, a.id, a.reason || 'Frånvaro');
    }
    const slotsChanged = changeSlots(ctx, caller, reopened, `state = 'open', absence_id = NULL, block_reason = NULL`);
    recordAudit(ctx, caller, {
      action: 'change',
      entity: 'absence',
      entityId: absence.id,
      detail: { op: 'withdraw', slotsOpened: slotsChanged },
    });
    ctx.events.emit({ entities: ['absence', 'slot'], ids: [absence.id, ...blocked.map((s) => s.id)] });
    return { absence, slotsChanged, affectedBookings: [] };
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
      ) as AbsenceRow[]
  ).map(toAbsence);
}
