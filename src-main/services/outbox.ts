// The outbox: changes waiting for the central booking API, queued in the caller's transaction.
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
  ctx.db
    .prepare(`INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(entity, entityId, op, JSON.stringify(payload), ctx.now());
}

export function countPendingOutbox(ctx: ServiceContext): number {
  return (ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
}
