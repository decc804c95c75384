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

// Prepared once per database: template expansion queues hundreds of thousands of rows at once.
const inserts = new WeakMap<ServiceContext['db'], Statement<[string, string, string, string, number]>>();

export function countPendingOutbox(ctx: ServiceContext): number {
  return (ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
}
