// The api contract: one table, method name -> zod input schema -> result type -> roles.
// Handlers (handlers.ts) implement it; both shells and the renderer's client are typed by it.
// Pure: zod and types only, so the renderer may import it.
import { z } from 'zod';
import type { AppointmentType, CalendarRange, Resource, Role, SessionInfo, Unit } from './types.ts';

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum ska skrivas ÅÅÅÅ-MM-DD.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ogiltigt datum.');
export const uuid = z.string().uuid('Ogiltigt id.');

interface MethodDef<I extends z.ZodType, R> {
  input: I;
  /** Phantom: carries the result type. */
  result: R;
  roles: readonly Role[];
  /** 'read' methods change nothing; 'change' methods run in one transaction. */
  kind: 'read' | 'change';
}

const ALL: readonly Role[] = ['receptionist', 'scheduler', 'admin'];

function method<R>() {
  return <I extends z.ZodType>(def: { input: I; roles: readonly Role[]; kind: 'read' | 'change' }): MethodDef<I, R> => ({
    ...def,
    result: undefined as unknown as R,
  });
}

const empty = z.object({}).strict();

export const contract = {
  'session.info': method<SessionInfo>()({ input: empty, roles: ALL, kind: 'read' }),
  'unit.get': method<Unit>()({ input: empty, roles: ALL, kind: 'read' }),
  'resources.list': method<Resource[]>()({
    input: z.object({ includeInactive: z.boolean().optional() }).strict(),
    roles: ALL,
    kind: 'read',
  }),
  'appointmentTypes.list': method<AppointmentType[]>()({
    input: z.object({ includeInactive: z.boolean().optional() }).strict(),
    roles: ALL,
    kind: 'read',
  }),
  /** Slots and active bookings of [from, to) for the given (or all active) resources. */
  'calendar.range': method<CalendarRange>()({
    input: z
      .object({
        from: isoDate,
        to: isoDate,
        resourceIds: z.array(uuid).max(200).optional(),
      })
      .strict()
      .refine((v) => v.from < v.to, { message: 'Slutdatum måste vara efter startdatum.', path: ['to'] })
      .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 62 * 86_400_000, {
        message: 'Högst 62 dagar åt gången.',
        path: ['to'],
      }),
    roles: ALL,
    kind: 'read',
  }),
  /** The first date on or after `from` on which the unit has slots (null: none within a year). */
  'calendar.nextOpenDate': method<{ date: string | null }>()({
    input: z.object({ from: isoDate, direction: z.enum(['forward', 'backward']).optional() }).strict(),
    roles: ALL,
    kind: 'read',
  }),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type InputOf<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Contract[M]['input']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];
export const METHOD_NAMES = Object.keys(contract) as MethodName[];
