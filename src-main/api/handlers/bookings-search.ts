// Handler of the booking list: one service call, and one access-log read per patient shown.
import type { bookingsSearchMethods } from '../methods/bookings-search.ts';
import type { HandlersFor } from '../handler-types.ts';
import { searchBookings } from '../../services/booking-search.ts';
import { recordPatientReads, VIEW_READ_STANDS_MS } from '../../services/audit.ts';
import { mayShowContactDetails } from '../../domain/availability.ts';

export const bookingsSearchHandlers: HandlersFor<typeof bookingsSearchMethods> = {
  'bookings.search': ({ ctx, caller }, input) => {
    const list = searchBookings(ctx, caller, input);
    // The list shows these patients (one page): one read event per patient (Patientdatalagen).
    recordPatientReads(
      ctx,
      caller,
      list.rows.map((r) => r.patient.id),
      { view: 'bookings.search', from: input.from, to: input.to },
      { notAgainWithinMs: VIEW_READ_STANDS_MS }, // the list refetches on every change in the unit
    );
    // Logged with the patient's id; sent without it where the caller may not know who is seen
    // (protected identity): patients.get would name them.
    if (mayShowContactDetails(true, caller.roles)) return list;
    return {
      ...list,
      rows: list.rows.map((r) => (r.patient.protectedIdentity ? { ...r, patient: { ...r.patient, id: '' } } : r)),
    };
  },
};
