// The unit's booking rules applied to a booking a patient made on the web (1177) and pulled from
// central. The unit owns the rules (DESIGN: the national contracts carry only the resulting
// flags) and the web never overrides them, so a central that let a booking through anyway does
// not get it into the book: pull records it cancelled, sends that to central, and puts the
// patient in the Konflikter inbox (pull.ts rejectWebBooking).
import { checkBookingWindow, checkFit, type RuleBreach } from '../domain/booking-rules.ts';
import type { ContactMode } from '../api/types.ts';
import type { ServiceContext } from '../services/context.ts';
import { getAppointmentType } from '../services/appointment-types.ts';
import { getResource, getSlot } from '../services/slots.ts';
import { currentUnit } from '../services/unit.ts';

export interface PulledWebBooking {
  slotId: string;
  typeId: string;
  contactMode: ContactMode;
  /** Booked after an invitation or triage (the Appointment is basedOn a ServiceRequest). */
  invited: boolean;
  /** When the patient booked (Appointment.created): the booking window is judged then, not at pull. */
  bookedAt: number;
  /**
   * A schedule change of the slot (block, removal, unpublishing) is still on its way to central:
   * the patient booked the slot as central showed it, open and published.
   */
  slotChangePending: boolean;
}

/** Why the unit does not take this web booking, or null. */
export function webBookingBreach(ctx: ServiceContext, b: PulledWebBooking): RuleBreach | null {
  const slot = getSlot(ctx, b.slotId);
  const type = getAppointmentType(ctx, b.typeId);
  const asBooked = b.slotChangePending ? { ...slot, state: 'open', webPublished: true } : slot;
  return (
    checkFit({
      type,
      typeId: type.id,
      contactMode: b.contactMode,
      channel: 'web',
      slot: asBooked,
      resource: getResource(ctx, slot.resourceId),
      invited: b.invited,
    }) ?? checkBookingWindow(type, slot.startAt, b.bookedAt, false, currentUnit(ctx).timeZone)
  );
}
