// Handlers of the core methods: each calls one service.
import type { coreMethods } from '../methods/core.ts';
import type { HandlersFor } from '../handler-types.ts';
import { calendarRange, nextOpenDate } from '../../services/calendar.ts';
import { currentUnit, listAppointmentTypes, listResources } from '../../services/unit.ts';
import { countPendingOutbox } from '../../services/outbox.ts';

export const coreHandlers: HandlersFor<typeof coreMethods> = {
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
