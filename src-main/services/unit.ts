// The unit this workstation serves, its resources and appointment types.
import { conflict, invalid, notFound } from '../api/result.ts';
import type { AppointmentType, Resource, Unit } from '../api/types.ts';
import { toAppointmentType, toResource, toUnit, type AppointmentTypeRow, type ResourceRow, type UnitRow } from '../store/rows.ts';
import { HSA_ID_MESSAGE, isHsaId, normaliseHsaId } from '../domain/hsa.ts';
import { professionAllowed } from '../domain/booking-rules.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';

/** The unit named by the `current_unit` setting, else the only/first unit. */
export function currentUnit(ctx: ServiceContext): Unit {
  const row = ctx.db
    .prepare(
      `SELECT u.* FROM units u
        LEFT JOIN settings s ON s.key = 'current_unit' AND json_extract(s.value, '$') = u.id
        ORDER BY s.key IS NULL, u.rowid LIMIT 1`,
    )
    .get() as UnitRow | undefined;
  if (!row) throw notFound('Vårdenheten');
  return toUnit(row);
}

/** The current unit's id, or null in an empty database (audit rows may precede the unit). */
export function currentUnitId(ctx: ServiceContext): string | null {
  const row = ctx.db
    .prepare(
      `SELECT coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'current_unit'), (SELECT id FROM units ORDER BY rowid LIMIT 1)) AS id`,
    )
    .get() as { id: string | null };
  return row.id;
}

export function findUnitByHsaId(ctx: ServiceContext, hsaId: string): Unit | null {
  const row = ctx.db.prepare(`SELECT * FROM units WHERE hsa_id = ?`).get(hsaId) as UnitRow | undefined;
  return row ? toUnit(row) : null;
}

export function listResources(ctx: ServiceContext, input: { includeInactive?: boolean | undefined }): Resource[] {
  const unit = currentUnit(ctx);
  return (
    ctx.db
      .prepare(`SELECT * FROM resources WHERE unit_id = ? AND (active = 1 OR ?) ORDER BY sort_order, name`)
      .all(unit.id, input.includeInactive ? 1 : 0) as ResourceRow[]
  ).map(toResource);
}

export function listAppointmentTypes(
  ctx: ServiceContext,
  input: { includeInactive?: boolean | undefined; forResourceId?: string | undefined },
): AppointmentType[] {
  const unit = currentUnit(ctx);
  const all = (
    ctx.db
      .prepare(`SELECT * FROM appointment_types WHERE unit_id = ? AND (active = 1 OR ?) ORDER BY name_sv`)
      .all(unit.id, input.includeInactive && !input.forResourceId ? 1 : 0) as AppointmentTypeRow[]
  ).map(toAppointmentType);
  if (!input.forResourceId) return all;
  const row = ctx.db
    .prepare(`SELECT profession FROM resources WHERE id = ? AND unit_id = ?`)
    .get(input.forResourceId, unit.id) as { profession: string | null } | undefined;
  if (!row) throw notFound('Resursen', input.forResourceId);
  return all.filter((t) => professionAllowed(t.professions, row.profession));
}

// ------------------------------------------------------------------ setting up the unit
/** An HSA-id as stored, or a Swedish validation error (the CLI and the api both end here). */
export function checkHsaId(value: string): string {
  const v = normaliseHsaId(value);
  if (!isHsaId(v)) throw invalid(HSA_ID_MESSAGE, { field: 'hsaId' });
  return v;
}

function unitChanged(ctx: ServiceContext, caller: Caller, unit: Unit, op: 'create' | 'update', detail: object): void {
  enqueueOutbox(ctx, 'unit', unit.id, op, unit);
  recordAudit(ctx, caller, { action: 'change', entity: 'unit', entityId: unit.id, detail: { op, ...detail } });
  ctx.events.emit({ entities: ['unit'], ids: [unit.id] });
}

/**
 * Sets up the care unit of a fresh installation. A workstation serves one unit: a database that
 * already holds one (the demo, or a unit set up before) is refused, never merged.
 */
export function createUnit(ctx: ServiceContext, caller: Caller, input: { hsaId: string; name: string }): Unit {
  return ctx.db.transaction(() => {
    const hsaId = checkHsaId(input.hsaId);
    const name = input.name.trim();
    if (!name) throw invalid('Ange vårdenhetens namn.', { field: 'name' });
    const existing = ctx.db.prepare(`SELECT name, hsa_id FROM units LIMIT 1`).get() as
      { name: string; hsa_id: string } | undefined;
    if (existing) {
      throw conflict(
        `Databasen har redan en vårdenhet (${existing.name}, ${existing.hsa_id}). En arbetsstation tjänar en enhet.`,
      );
    }
    const id = ctx.newId();
    ctx.db
      .prepare(
        `INSERT INTO units (id, hsa_id, name, time_zone, updated_at, updated_by) VALUES (?, ?, ?, 'Europe/Stockholm', ?, ?)`,
      )
      .run(id, hsaId, name, ctx.now(), caller.username);
    ctx.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('current_unit', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(JSON.stringify(id));
    // The first admin may have been created before the unit existed: they belong to it now.
    ctx.db.prepare(`UPDATE users SET unit_id = ? WHERE unit_id IS NULL`).run(id);
    const unit = currentUnit(ctx);
    unitChanged(ctx, caller, unit, 'create', { hsaId, name });
    return unit;
  })();
}

/** Renames the unit; its HSA-id may change only until the central side knows it (remote_id). */
export function updateUnit(
  ctx: ServiceContext,
  caller: Caller,
  input: { name?: string | undefined; hsaId?: string | undefined },
): Unit {
  return ctx.db.transaction(() => {
    const before = currentUnit(ctx);
    const name = input.name?.trim();
    if (name !== undefined && !name) throw invalid('Ange vårdenhetens namn.', { field: 'name' });
    const hsaId = input.hsaId === undefined ? undefined : checkHsaId(input.hsaId);
    const changed: Record<string, string> = {};
    if (name !== undefined && name !== before.name) changed.name = name;
    if (hsaId !== undefined && hsaId !== before.hsaId) {
      const row = ctx.db.prepare(`SELECT remote_id FROM units WHERE id = ?`).get(before.id) as { remote_id: string | null };
      if (row.remote_id !== null) {
        throw conflict('HSA-id kan inte ändras efter att enheten har synkroniserats med den centrala tjänsten.', {
          field: 'hsaId',
        });
      }
      changed.hsa_id = hsaId;
    }
    const cols = Object.keys(changed);
    if (cols.length === 0) return before;
    ctx.db
      .prepare(
        `UPDATE units SET ${cols.map((c) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
      )
      .run(...Object.values(changed), ctx.now(), caller.username, before.id);
    const unit = currentUnit(ctx);
    unitChanged(ctx, caller, unit, 'update', { changed: cols, ...(changed.hsa_id ? { from: before.hsaId } : {}) });
    return unit;
  })();
}
