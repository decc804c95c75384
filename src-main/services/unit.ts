// The unit this workstation serves, its resources and appointment types.
import { notFound } from '../api/result.ts';
import type { AppointmentType, Resource, Unit } from '../api/types.ts';
import { toAppointmentType, toResource, toUnit, type AppointmentTypeRow, type ResourceRow, type UnitRow } from '../store/rows.ts';
import type { ServiceContext } from './context.ts';

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

export function listAppointmentTypes(ctx: ServiceContext, input: { includeInactive?: boolean | undefined }): AppointmentType[] {
  const unit = currentUnit(ctx);
  return (
    ctx.db
      .prepare(`SELECT * FROM appointment_types WHERE unit_id = ? AND (active = 1 OR ?) ORDER BY name_sv`)
      .all(unit.id, input.includeInactive ? 1 : 0) as AppointmentTypeRow[]
  ).map(toAppointmentType);
}
