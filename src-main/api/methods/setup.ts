// Setting up the unit and its resources: the unit of a fresh installation (admins), and the
// clinicians, rooms and equipment schedules are laid out for (schedulers and admins).
import { z } from 'zod';
import { ADMIN_ONLY, SCHEDULING_ROLES, expectedVersion, method, shownName, uuid } from '../define.ts';
import type { Resource, Unit } from '../types.ts';
import { HSA_ID_MESSAGE, HSA_ID_PATTERN, normaliseHsaId } from '../../domain/hsa.ts';

export interface ResourceDeactivationView {
  resource: Resource;
  /** Schedule templates deactivated with the resource. */
  templatesDeactivated: number;
  /** Future free slots taken out of the schedule (and off the web). */
  slotsRemoved: number;
}

const hsaId = z.string().transform(normaliseHsaId).pipe(z.string().regex(HSA_ID_PATTERN, HSA_ID_MESSAGE));
// Shown on every screen, day list and export: no control characters, as a resource's name.
const unitName = shownName.min(1, 'Ange vårdenhetens namn.').max(200, 'Högst 200 tecken.');
const resourceName = shownName.min(1, 'Ange ett namn.').max(200, 'Högst 200 tecken.');
/** A profession code as appointment types list them (lakare, sjukskoterska, ...): the two must match. */
const profession = z.string().trim().min(1).max(60);
const optionalText = z.string().trim().max(200, 'Högst 200 tecken.').nullable();

const resourceFields = {
  name: resourceName,
  profession: profession.nullable(),
  title: optionalText,
  hsaId: z.union([z.literal(''), hsaId]).nullable(),
};

export const setupMethods = {
  /** The unit of a fresh installation; refused (conflict) once the database holds a unit. */
  'unit.create': method<Unit>()({
    input: z.object({ hsaId, name: unitName }).strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
  }),
  /** Renames the unit; the HSA-id may change only until the unit has synced. */
  'unit.update': method<Unit>()({
    input: z.object({ name: unitName.optional(), hsaId: hsaId.optional() }).strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
  }),
  'resources.create': method<Resource>()({
    input: z
      .object({
        kind: z.enum(['clinician', 'room', 'equipment']),
        ...resourceFields,
        profession: resourceFields.profession.default(null),
        title: resourceFields.title.default(null),
        hsaId: resourceFields.hsaId.default(null),
      })
      .strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  'resources.update': method<Resource>()({
    input: z
      .object({ id: uuid, ...resourceFields, expectedVersion })
      .partial()
      .required({ id: true })
      .strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /**
   * Deactivating: `conflict` while the resource has future bookings; otherwise its future free
   * slots leave the schedule and its templates are deactivated. Activating restores neither.
   */
  'resources.setActive': method<ResourceDeactivationView>()({
    input: z.object({ id: uuid, active: z.boolean() }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** The unit's resources in this order (calendar columns); ids left out keep their order after them. */
  'resources.reorder': method<Resource[]>()({
    input: z.object({ ids: z.array(uuid).min(1).max(500) }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
} as const;
