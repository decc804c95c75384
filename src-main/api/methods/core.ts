// Core methods: session, unit, resources, appointment-type list, calendar reads.
import { z } from 'zod';
import { ALL_ROLES, empty, isoDate, method, uuid } from '../define.ts';
import type { AppointmentType, CalendarRange, Resource, SessionInfo, Unit } from '../types.ts';

export const coreMethods = {
  'session.info': method<SessionInfo>()({ input: empty, roles: ALL_ROLES, kind: 'read' }),
  'unit.get': method<Unit>()({ input: empty, roles: ALL_ROLES, kind: 'read' }),
  'resources.list': method<Resource[]>()({
    input: z.object({ includeInactive: z.boolean().optional() }).strict(),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  'appointmentTypes.list': method<AppointmentType[]>()({
    input: z
      .object({
        includeInactive: z.boolean().optional(),
        /** Only the active types this resource may offer (its profession), e.g. for a template form. */
        forResourceId: uuid.optional(),
      })
      .strict(),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  /**
   * Slots and active bookings of [from, to) for the given (or all active) resources: `to` is the
   * first day NOT shown (one day: from D, to D+1), unlike the inclusive `to` of the other methods;
   * a refusal names it "Till (första dagen som inte visas)" (field-labels.ts METHOD_LABELS).
   */
  'calendar.range': method<CalendarRange>()({
    input: z
      .object({
        from: isoDate,
        to: isoDate,
        resourceIds: z.array(uuid).max(200).optional(),
        /** Fetched ahead of being shown (the neighbouring day or week): its patients' reads are not logged yet. */
        prefetch: z.boolean().optional(),
      })
      .strict()
      .refine((v) => v.from < v.to, { message: 'Slutdatum måste vara efter startdatum.', path: ['to'] })
      // A date that does not exist is refused by its own field, not also as too long a range.
      .refine((v) => !(Date.parse(v.to) - Date.parse(v.from) > 62 * 86_400_000), {
        message: 'Högst 62 dagar åt gången.',
        path: ['to'],
      }),
    roles: ALL_ROLES,
    kind: 'read',
  }),
  /** The first date from `from` (inclusive) on which the unit has slots; null if none within a year. */
  'calendar.nextOpenDate': method<{ date: string | null }>()({
    input: z.object({ from: isoDate, direction: z.enum(['forward', 'backward']).optional() }).strict(),
    roles: ALL_ROLES,
    kind: 'read',
  }),
} as const;
