// The local side of sync: reading rows to send, recording what the central side answered,
// settling outbox entries and writing conflicts. Every write here runs inside the caller's
// SQLite transaction.
import type { Statement } from 'better-sqlite3';
import type { ServiceContext } from '../services/context.ts';
import { findFreeSlots } from '../services/free-slots.ts';
import { enqueueOutbox } from '../services/outbox.ts';
import { HELD_ELSEWHERE } from '../services/waitlist-holds.ts';
import { getSlot } from '../services/slots.ts';

const statements = new WeakMap<ServiceContext['db'], Map<string, Statement>>();

/** A prepared statement, prepared once per database (push and pull run many small ones). */
export function stmt(ctx: ServiceContext, sql: string): Statement {
  let m = statements.get(ctx.db);
  if (!m) statements.set(ctx.db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = ctx.db.prepare(sql)));
  return s;
}

export type SyncedEntity =
  'unit' | 'resource' | 'appointment_type' | 'schedule_template' | 'absence' | 'slot' | 'patient' | 'booking';

export const TABLE: Record<SyncedEntity, string> = {
  unit: 'units',
  resource: 'resources',
  appointment_type: 'appointment_types',
  schedule_template: 'schedule_templates',
  absence: 'absences',
  slot: 'slots',
  patient: 'patients',
  booking: 'bookings',
};

export interface Remote {
  remote_id: string | null;
  remote_version: string | null;
}

export function row<T>(ctx: ServiceContext, entity: SyncedEntity, id: string): (T & Remote) | undefined {
  return stmt(ctx, `SELECT * FROM ${TABLE[entity]} WHERE id = ?`).get(id) as (T & Remote) | undefined;
}

export function setRemote(ctx: ServiceContext, entity: SyncedEntity, id: string, remoteId: string, version: string): void {
  stmt(ctx, `UPDATE ${TABLE[entity]} SET remote_id = ?, remote_version = ? WHERE id = ?`).run(remoteId, version, id);
}

export function unitTimeZone(ctx: ServiceContext): string {
  const r = stmt(ctx, `SELECT time_zone FROM units ORDER BY rowid LIMIT 1`).get() as { time_zone: string } | undefined;
  return r?.time_zone ?? 'Europe/Stockholm';
}

/** Marks every pending entry of the entity up to maxSeq as sent. */
export function settleOutbox(ctx: ServiceContext, entityId: string, maxSeq: number): void {
  stmt(ctx, `UPDATE outbox SET state = 'done', last_error = NULL WHERE entity_id = ? AND state = 'pending' AND seq <= ?`).run(
    entityId,
    maxSeq,
  );
}

/** The server refused for good: failed entries are shown on the Sync page and skipped by push. */
export function failOutbox(ctx: ServiceContext, entityId: string, maxSeq: number, error: string): void {
  stmt(
    ctx,
    `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE entity_id = ? AND state = 'pending' AND seq <= ?`,
  ).run(error.slice(0, 1000), entityId, maxSeq);
}

export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(5 * 60_000, 1000 * 2 ** Math.min(attempts, 12));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** Try again later (transient failure or a conflict that needs another round). */
export function deferOutbox(ctx: ServiceContext, entityId: string, error: string, delayMs: number | null): void {
  stmt(
    ctx,
    `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE entity_id = ? AND state = 'pending'`,
  ).run(error.slice(0, 1000), delayMs === null ? 0 : ctx.now() + delayMs, entityId);
}

export function hasPendingOutbox(ctx: ServiceContext, entityId: string): boolean {
  return stmt(ctx, `SELECT 1 FROM outbox WHERE entity_id = ? AND state = 'pending' LIMIT 1`).get(entityId) !== undefined;
}

export interface FreeSlotSuggestion {
  slotId: string;
  resourceId: string;
  startAt: number;
  endAt: number;
}

/**
 * The first free open slots of a type from `fromAt`, within the type's booking window as seen
 * now (minimum lead time, maximum days ahead): what a one-click rebooking may take.
 */
export function suggestFreeSlots(ctx: ServiceContext, typeId: string, fromAt: number, limit = 5): FreeSlotSuggestion[] {
  return findFreeSlots(ctx, { appointmentTypeId: typeId, fromAt, limit }).map((s) => ({
    slotId: s.slotId,
    resourceId: s.resourceId,
    startAt: s.startAt,
    endAt: s.endAt,
  }));
}

export type ConflictKind = 'slot_taken' | 'stale_version' | 'rejected' | 'web_cancel';

export function recordConflict(
  ctx: ServiceContext,
  c: { entity: SyncedEntity; entityId: string; kind: ConflictKind; detail: object; suggested?: FreeSlotSuggestion[] },
): string {
  const id = ctx.newId();
  stmt(
    ctx,
    `INSERT INTO conflicts (id, entity, entity_id, kind, detail, suggested, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, c.entity, c.entityId, c.kind, JSON.stringify(c.detail), JSON.stringify(c.suggested ?? []), ctx.now());
  return id;
}

/** Sync cursor of one feed. */
export function readCursor(ctx: ServiceContext, feed: string): string | null {
  const r = stmt(ctx, `SELECT cursor FROM sync_state WHERE feed = ?`).get(feed) as { cursor: string | null } | undefined;
  return r?.cursor ?? null;
}

export function writeCursor(ctx: ServiceContext, feed: string, cursor: string): void {
  stmt(
    ctx,
    `INSERT INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  ).run(feed, cursor, ctx.now());
}

// ------------------------------------------------------------------ times held on återbudslistan

/**
 * sync_state key of a slot whose Slot on central is, as far as this desk knows, `busy-tentative`
 * from its own hold: written when push sends that status, removed when push sends another or pull
 * brings another (a web booking, another desk's rewrite of the Slot).
 */
const HELD_ON_CENTRAL = 'slot-held:';

/** The slots held on this desk's återbudslista now: open, unbooked, not started (waitlist-holds.ts). */
const HELD_HERE = `SELECT s.id FROM waitlist w INDEXED BY waitlist_one_offer_per_slot JOIN slots s ON s.id = w.offered_slot_id
   WHERE w.offered_slot_id IS NOT NULL AND w.state = 'offered' AND s.start_at > @now AND s.state = 'open' AND s.booked = 0`;

/** Whether the slot is held on this desk's återbudslista now (its Slot is then sent busy-tentative). */
export function heldOnList(ctx: ServiceContext, slotId: string): boolean {
  return stmt(ctx, `SELECT 1 FROM (${HELD_HERE}) WHERE id = @slot`).get({ now: ctx.now(), slot: slotId }) !== undefined;
}

/**
 * After a Slot status was sent to or read from central: whether central now has this desk's hold.
 * Either way central's Slot is no longer another desk's hold (sent: this desk's status stands; read:
 * busy-tentative pulled is noted by noteHeldElsewhere after this).
 */
export function noteHeldOnCentral(ctx: ServiceContext, slotId: string, status: string | undefined): void {
  stmt(ctx, `DELETE FROM sync_state WHERE feed = ?`).run(`${HELD_ELSEWHERE}${slotId}`);
  if (status === 'busy-tentative') {
    stmt(ctx, `INSERT OR REPLACE INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)`).run(
      `${HELD_ON_CENTRAL}${slotId}`,
      status,
      ctx.now(),
    );
  } else stmt(ctx, `DELETE FROM sync_state WHERE feed = ?`).run(`${HELD_ON_CENTRAL}${slotId}`);
}

/**
 * After a Slot was pulled: busy-tentative that this desk does not hold is another desk's hold on
 * its återbudslista, noted for the calendar (services/waitlist-holds.ts HELD_ELSEWHERE); any other
 * status ends that note (noteHeldOnCentral, called for those).
 */
export function noteHeldElsewhere(ctx: ServiceContext, slotId: string, status: string | undefined): void {
  if (status !== 'busy-tentative' || heldOnList(ctx, slotId)) return;
  stmt(ctx, `INSERT OR REPLACE INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)`).run(
    `${HELD_ELSEWHERE}${slotId}`,
    status,
    ctx.now(),
  );
}

/**
 * Queues (in one transaction) the slots whose hold central does not have as this desk has it:
 * held here while central's Slot is not (another desk, which knows nothing of the hold, rewrote
 * it; or it was held before holds travelled), or held on central and no longer here (its time
 * passed, which no write marks). The list's own writes queue a hold's start and end; this
 * catches the rest, once per push. Returns the number queued.
 */
export function queueHoldsOutOfStep(ctx: ServiceContext): number {
  const n = HELD_ON_CENTRAL.length;
  const ids = stmt(
    ctx,
    `SELECT h.id FROM (${HELD_HERE}) h JOIN slots s ON s.id = h.id
      WHERE s.remote_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_state WHERE feed = '${HELD_ON_CENTRAL}' || h.id)
     UNION
     SELECT substr(feed, ${n + 1}) FROM sync_state
      WHERE feed >= '${HELD_ON_CENTRAL}' AND feed < '${HELD_ON_CENTRAL}\uffff'
        AND substr(feed, ${n + 1}) NOT IN (${HELD_HERE})`,
  )
    .pluck()
    .all({ now: ctx.now() }) as string[];
  const due = ids.filter((id) => !hasPendingOutbox(ctx, id));
  if (due.length === 0) return 0;
  ctx.db.transaction(() => {
    for (const id of due) enqueueOutbox(ctx, 'slot', id, 'update', getSlot(ctx, id));
  })();
  return due.length;
}
