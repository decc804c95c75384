// The local side of sync: reading rows to send, recording what the central side answered,
// settling outbox entries and writing conflicts. Every write here runs inside the caller's
// SQLite transaction.
import type { Statement } from 'better-sqlite3';
import type { ServiceContext } from '../services/context.ts';
import { findFreeSlots } from '../services/free-slots.ts';

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
