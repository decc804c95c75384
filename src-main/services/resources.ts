// The unit's resources (clinicians, rooms, equipment): add, edit, order, (de)activate. A resource
// is never deleted: slots, bookings and the access log refer to it for as long as they exist.
import { conflict, invalid, notFound } from '../api/result.ts';
import type { Resource, ResourceKind } from '../api/types.ts';
import { ACTIVE_BOOKING_STATUSES, toResource, type ResourceRow } from '../store/rows.ts';
import { recordAudit } from './audit.ts';
import { refuseStaleEdit } from './edit-versions.ts';
import type { Caller, ServiceContext } from './context.ts';
import { enqueueOutbox } from './outbox.ts';
import { removeSlot } from './slots.ts';
import { deactivateTemplate } from './templates.ts';
import { checkHsaId, currentUnit } from './unit.ts';
import { asKnownProfession } from './professions.ts';

/** What staff set on a resource. `profession` is the code appointment types list (lakare, ...). */
export interface ResourceFields {
  name: string;
  profession: string | null;
  title: string | null;
  hsaId: string | null;
}

export interface ResourceDeactivation {
  resource: Resource;
  /** Schedule templates of the resource that were deactivated with it. */
  templatesDeactivated: number;
  /** Future free slots taken out of the schedule (and off the web). */
  slotsRemoved: number;
}

export function getResourceById(ctx: ServiceContext, id: string): Resource {
  const row = ctx.db.prepare(`SELECT * FROM resources WHERE id = ?`).get(id) as ResourceRow | undefined;
  if (!row) throw notFound('Resursen', id);
  return toResource(row);
}

function resourceChanged(ctx: ServiceContext, caller: Caller, r: Resource, op: 'create' | 'update', detail: object): void {
  enqueueOutbox(ctx, 'resource', r.id, op, r);
  recordAudit(ctx, caller, { action: 'change', entity: 'resource', entityId: r.id, detail: { op, ...detail } });
  ctx.events.emit({ entities: ['resource'], ids: [r.id] });
}

/** Trimmed fields, checked against the kind: a clinician needs a profession, a room has none. */
function clean(kind: ResourceKind, f: ResourceFields): ResourceFields {
  const name = f.name.trim();
  if (!name) throw invalid('Ange ett namn.', { field: 'name' });
  const blank = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  const profession = kind === 'clinician' ? blank(f.profession) : null;
  if (kind === 'clinician' && profession === null) {
    throw invalid('Ange yrke för vårdpersonal (t.ex. läkare), så att rätt besökstyper kan bokas.', { field: 'profession' });
  }
  const hsaId = blank(f.hsaId);
  return { name, profession, title: blank(f.title), hsaId: hsaId === null ? null : checkHsaId(hsaId) };
}

function assertHsaIdFree(ctx: ServiceContext, unitId: string, hsaId: string | null, exceptId: string | null): void {
  if (hsaId === null) return;
  const clash = ctx.db
    .prepare(`SELECT name FROM resources WHERE unit_id = ? AND hsa_id = ? AND id IS NOT ?`)
    .get(unitId, hsaId, exceptId) as { name: string } | undefined;
  if (clash) throw conflict(`HSA-id ${hsaId} används redan av ${clash.name}.`, { field: 'hsaId' });
}

/**
 * Upcoming bookings of types the new profession may not perform would stay booked on times no
 * search offers and no desk could book again, with nothing listing them (a typo such as "lakre"
 * does it to every one): refused, as deactivating a resource with bookings is.
 */
function assertBookingsFitProfession(ctx: ServiceContext, r: Resource, profession: string | null): void {
  const rows = ctx.db
    .prepare(
      `SELECT t.name_sv AS name, count(*) AS n
         FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN appointment_types t ON t.id = b.appointment_type_id
        WHERE s.resource_id = ? AND s.start_at >= ? AND b.status IN ${ACTIVE_BOOKING_STATUSES}
          AND json_array_length(t.professions) > 0
          AND NOT EXISTS (SELECT 1 FROM json_each(t.professions) p WHERE p.value IS ?)
        GROUP BY t.id ORDER BY t.name_sv`,
    )
    .all(r.id, ctx.now(), profession) as { name: string; n: number }[];
  const total = rows.reduce((sum, row) => sum + row.n, 0);
  if (total === 0) return;
  throw conflict(
    `${r.name} har ${total} ${total === 1 ? 'kommande bokning' : 'kommande bokningar'} av besökstyper som yrket ${profession ?? '(inget)'} inte får utföra (${rows.map((row) => row.name).join(', ')}). ` +
      `Boka om ${total === 1 ? 'den' : 'dem'} först, eller välj ett yrke som får utföra ${total === 1 ? 'den' : 'dem'}.`,
    { field: 'profession', bookings: total },
  );
}

export function createResource(ctx: ServiceContext, caller: Caller, input: ResourceFields & { kind: ResourceKind }): Resource {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const f = clean(input.kind, input);
    if (f.profession !== null) f.profession = asKnownProfession(ctx, f.profession);
    assertHsaIdFree(ctx, unit.id, f.hsaId, null);
    const id = ctx.newId();
    // New resources go last in the unit's order (calendar columns, free-slot ties).
    ctx.db
      .prepare(
        `INSERT INTO resources (id, unit_id, kind, name, profession, title, hsa_id, sort_order, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(sort_order), -1) + 1 FROM resources WHERE unit_id = ?), ?, ?)`,
      )
      .run(id, unit.id, input.kind, f.name, f.profession, f.title, f.hsaId, unit.id, ctx.now(), caller.username);
    const r = getResourceById(ctx, id);
    resourceChanged(ctx, caller, r, 'create', { kind: r.kind, name: r.name });
    return r;
  })();
}

export function updateResource(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; expectedVersion?: number | undefined } & { [K in keyof ResourceFields]?: ResourceFields[K] | undefined },
): Resource {
  return ctx.db.transaction(() => {
    const before = getResourceById(ctx, input.id);
    const f = clean(before.kind, {
      name: input.name ?? before.name,
      profession: input.profession === undefined ? before.profession : input.profession,
      title: input.title === undefined ? before.title : input.title,
      hsaId: input.hsaId === undefined ? before.hsaId : input.hsaId,
    });
    if (f.profession !== null) f.profession = asKnownProfession(ctx, f.profession);
    assertHsaIdFree(ctx, before.unitId, f.hsaId, before.id);
    const columns = { name: 'name', profession: 'profession', title: 'title', hsaId: 'hsa_id' } as const;
    const changed = (Object.keys(columns) as (keyof ResourceFields)[]).filter((k) => f[k] !== before[k]);
    if (changed.length === 0) return before;
    if (changed.includes('profession')) assertBookingsFitProfession(ctx, before, f.profession);
    refuseStaleEdit(input.expectedVersion, before.version, 'Resursen', 'öppnade den');
    ctx.db
      .prepare(
        `UPDATE resources SET ${changed.map((k) => `${columns[k]} = ?`).join(', ')}, version = version + 1, updated_at = ?, updated_by = ?
          WHERE id = ?`,
      )
      .run(...changed.map((k) => f[k]), ctx.now(), caller.username, before.id);
    const r = getResourceById(ctx, before.id);
    resourceChanged(ctx, caller, r, 'update', { changed });
    return r;
  })();
}

/**
 * Activates or deactivates a resource. Deactivating is what a scheduler does when a clinician
 * leaves: it is refused while the resource has future bookings (they must be rebooked first), and
 * otherwise takes the resource's future free slots out of the schedule, so the web and the
 * free-slot search no longer offer them, and deactivates its templates, so the rolling horizon
 * does not lay them out again. Activating again restores neither: the scheduler sets up the
 * schedule anew (Schemamallar).
 */
export function setResourceActive(
  ctx: ServiceContext,
  caller: Caller,
  input: { id: string; active: boolean },
): ResourceDeactivation {
  return ctx.db.transaction(() => {
    const before = getResourceById(ctx, input.id);
    if (before.active === input.active) return { resource: before, templatesDeactivated: 0, slotsRemoved: 0 };
    const now = ctx.now();
    let templatesDeactivated = 0;
    let slotsRemoved = 0;
    if (!input.active) {
      const booked = (
        ctx.db
          .prepare(
            `SELECT count(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE s.resource_id = ? AND s.start_at >= ? AND b.status IN ${ACTIVE_BOOKING_STATUSES}`,
          )
          .get(before.id, now) as { n: number }
      ).n;
      if (booked > 0) {
        throw conflict(
          `${before.name} har ${booked} ${booked === 1 ? 'kommande bokning' : 'kommande bokningar'}. Boka om eller avboka ${booked === 1 ? 'den' : 'dem'} först (t.ex. via Frånvaro).`,
          { bookings: booked },
        );
      }
      const freeBefore = countFutureSlots(ctx, before.id, now);
      const templates = ctx.db
        .prepare(`SELECT id FROM schedule_templates WHERE resource_id = ? AND active = 1`)
        .all(before.id) as { id: string }[];
      for (const t of templates) deactivateTemplate(ctx, caller, { id: t.id });
      templatesDeactivated = templates.length;
      // Slots laid out by hand (or left by earlier template changes) go one by one.
      const manual = ctx.db
        .prepare(`SELECT id FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ?`)
        .all(before.id, now) as { id: string }[];
      for (const s of manual) removeSlot(ctx, caller, { id: s.id });
      slotsRemoved = freeBefore;
    }
    ctx.db
      .prepare(`UPDATE resources SET active = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(input.active ? 1 : 0, now, caller.username, before.id);
    const resource = getResourceById(ctx, before.id);
    resourceChanged(ctx, caller, resource, 'update', { active: input.active, templatesDeactivated, slotsRemoved });
    return { resource, templatesDeactivated, slotsRemoved };
  })();
}

function countFutureSlots(ctx: ServiceContext, resourceId: string, now: number): number {
  return (
    ctx.db
      .prepare(`SELECT count(*) AS n FROM slots WHERE resource_id = ? AND state <> 'removed' AND start_at >= ?`)
      .get(resourceId, now) as { n: number }
  ).n;
}

/** Puts the unit's resources in the given order (calendar columns); ids not given keep their place after them. */
export function reorderResources(ctx: ServiceContext, caller: Caller, input: { ids: string[] }): Resource[] {
  return ctx.db.transaction(() => {
    const unit = currentUnit(ctx);
    const all = (
      ctx.db.prepare(`SELECT * FROM resources WHERE unit_id = ? ORDER BY sort_order, name`).all(unit.id) as ResourceRow[]
    ).map(toResource);
    const known = new Set(all.map((r) => r.id));
    if (new Set(input.ids).size !== input.ids.length) throw invalid('En resurs får bara finnas en gång i ordningen.');
    const unknown = input.ids.find((id) => !known.has(id));
    if (unknown) throw notFound('Resursen', unknown);
    const given = new Set(input.ids);
    const order = [...input.ids, ...all.filter((r) => !given.has(r.id)).map((r) => r.id)];
    const update = ctx.db.prepare(
      `UPDATE resources SET sort_order = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
    );
    const moved: string[] = [];
    order.forEach((id, i) => {
      const r = all.find((x) => x.id === id)!;
      if (r.sortOrder === i) return;
      update.run(i, ctx.now(), caller.username, id);
      enqueueOutbox(ctx, 'resource', id, 'update', { ...r, sortOrder: i });
      moved.push(id);
    });
    if (moved.length > 0) {
      recordAudit(ctx, caller, { action: 'change', entity: 'resource', detail: { op: 'reorder', order } });
      ctx.events.emit({ entities: ['resource'], ids: moved });
    }
    return order.map((id) => getResourceById(ctx, id));
  })();
}
