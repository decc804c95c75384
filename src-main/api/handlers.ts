// Handler table: one function per contract method, each calling one service.
import type { ParsedInputOf, MethodName, ResultOf } from './contract.ts';
import type { Caller, ServiceContext } from '../services/context.ts';
import { calendarRange, nextOpenDate } from '../services/calendar.ts';
import { currentUnit, listAppointmentTypes, listResources } from '../services/unit.ts';
import { countPendingOutbox } from '../services/outbox.ts';

export interface HandlerEnv {
  ctx: ServiceContext;
  caller: Caller;
  shell: 'electron' | 'web';
}

type Handlers = { [M in MethodName]: (env: HandlerEnv, input: ParsedInputOf<M>) => ResultOf<M> };

export const handlers: Handlers = {
  'session.info': ({ ctx, caller, shell }) => ({
    unit: currentUnit(ctx),
    user: { id: caller.userId ?? '', username: caller.username, displayName: caller.displayName, roles: [...caller.roles] },
    workstation: caller.workstation,
    shell,
    sync: { mode: 'local', pending: countPendingOutbox(ctx) },
  }),
  'unit.get': ({ ctx }) => currentUnit(ctx),
  'resources.list': ({ ctx }, input) => listResources(ctx, input),
  'appointmentTypes.list': ({ ctx }, input) => listAppointmentTypes(ctx, input),
  'calendar.range': ({ ctx }, input) => calendarRange(ctx, input),
  'calendar.nextOpenDate': ({ ctx }, input) => nextOpenDate(ctx, input),
};
