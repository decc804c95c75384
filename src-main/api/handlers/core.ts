// Handlers of the core methods: each calls one service.
import type { coreMethods } from '../methods/core.ts';
import type { HandlersFor } from '../handler-types.ts';
import { calendarRange, nextOpenDate } from '../../services/calendar.ts';
import { currentUnit, listAppointmentTypes, listResources } from '../../services/unit.ts';
import { countPendingOutbox } from '../../services/outbox.ts';
import { recordPatientReads, VIEW_READ_STANDS_MS } from '../../services/audit.ts';
import { syncMode } from '../../sync/engine.ts';
import { bookingSeenBy } from '../../domain/availability.ts';

export const coreHandlers: HandlersFor<typeof coreMethods> = {
  'session.info': ({ ctx, caller, shell }) => ({
    unit: currentUnit(ctx),
    user: { id: caller.userId ?? '', username: caller.username, displayName: caller.displayName, roles: [...caller.roles] },
    workstation: caller.workstation,
    shell,
    sync: { ...syncMode(ctx), pending: countPendingOutbox(ctx) },
  }),
  'unit.get': ({ ctx }) => currentUnit(ctx),
  'resources.list': ({ ctx }, input) => listResources(ctx, input),
  'appointmentTypes.list': ({ ctx }, input) => listAppointmentTypes(ctx, input),
  'calendar.range': ({ ctx, caller }, input) => {
    const range = calendarRange(ctx, input);
    // The day/week view shows these patients: one read event per patient (Patientdatalagen), once
    // per VIEW_READ_STANDS_MS (refetches on others' changes repeat nothing). A range fetched
    // ahead has shown nobody yet: the renderer asks again, logged, when it shows it.
    if (!input.prefetch) {
      recordPatientReads(
        ctx,
        caller,
        range.bookings.map((b) => b.patient.id),
        { view: 'calendar.range', from: input.from, to: input.to },
        { notAgainWithinMs: VIEW_READ_STANDS_MS },
      );
    }
    // Bookings leave the api as the caller may see them (protected identity).
    return { ...range, bookings: range.bookings.map((b) => bookingSeenBy(b, caller.roles)), readsLogged: !input.prefetch };
  },
  'calendar.nextOpenDate': ({ ctx }, input) => nextOpenDate(ctx, input),
};
