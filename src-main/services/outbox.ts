// The outbox: changes waiting for the central booking API, queued in the caller's transaction.
import type { Statement } from 'better-sqlite3';
import type { ServiceContext } from './context.ts';

export type OutboxEntity =
  'unit' | 'resource' | 'appointment_type' | 'schedule_template' | 'slot' | 'patient' | 'booking' | 'absence';

export function enqueueOutbox(
  ctx: ServiceContext,
  entity: OutboxEntity,
  entityId: string,
  op: 'create' | 'update',
  payload: unknown,
): void {
  let insert = inserts.get(ctx.db);
  if (!insert) {
    insert = ctx.db.prepare<[string, string, string, string, number]>(
      `INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?)`,
    );
    inserts.set(ctx.db, insert);
  }
  insert.run(entity, entityId, op, JSON.stringify(payload), ctx.now());
}

/** The entity_id prefix of an expansion's one outbox row (the push unfolds it per slot). */
export const EXPANSION_PREFIX = 'expansion:';

/**
 * The sync record of a template expansion: one outbox row for all the slots it created, not one
 * per slot. Expanding a year for a unit creates ~350k slots; a row each was a third of the
 * expansion's time, and the push would only re-read those rows to learn which slots are new. The
 * push unfolds this row into the slots' own entries (sync/push.ts unfoldExpansions) before it
 * sends them; until then the row keeps the change pending.
 */
export function enqueueExpansion(
  ctx: ServiceContext,
  templates: readonly { id: string }[],
  from: string,
  to: string,
  created: number,
): void {
  const payload = { templateIds: templates.map((t) => t.id), from, to, created };
  enqueueOutbox(ctx, 'slot', `${EXPANSION_PREFIX}${ctx.newId()}`, 'create', payload);
}

// Prepared once per database: the sync side queues many rows at once.
const inserts = new WeakMap<ServiceContext['db'], Statement<[string, string, string, string, number]>>();

export function countPendingOutbox(ctx: ServiceContext): number {
  return (ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
}
