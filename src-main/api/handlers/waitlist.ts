// Handlers of återbudslistan: one service call each; the two lists write one access-log read
// per patient they show, like bookings.search.
import type { WaitlistEntry, waitlistMethods } from '../methods/waitlist.ts';
import type { Role } from '../types.ts';
import { mayShowContactDetails } from '../../domain/availability.ts';
import type { HandlersFor } from '../handler-types.ts';
import { recordPatientReads } from '../../services/audit.ts';
import {
  addToWaitlist,
  countWaitlist,
  listWaitlist,
  markWaitlistOffered,
  markWaitlistWaiting,
  offerableSlots,
  updateWaitlistEntry,
  waitlistMatchesForSlot,
  withdrawWaitlistEntry,
} from '../../services/waitlist.ts';

/**
 * An entry as the caller may see it, after its read is logged (as bookings.search): a protected
 * patient's id, held booking and offered slot only to roles that need them. The entry's id is
 * known to whoever put her on the list, and the booking's or slot's id would give her time and
 * clinician (bookings.get, slots.get), which patients.get and bookings.forPatient hide.
 */
const seen = (roles: readonly Role[], e: WaitlistEntry): WaitlistEntry =>
  mayShowContactDetails(e.patient.protectedIdentity, roles)
    ? e
    : {
        ...e,
        patient: { ...e.patient, id: '' },
        heldBooking: e.heldBooking && { ...e.heldBooking, id: '' },
        offeredSlot: e.offeredSlot && { ...e.offeredSlot, id: '' },
      };

export const waitlistHandlers: HandlersFor<typeof waitlistMethods> = {
  'waitlist.add': ({ ctx, caller }, input) => seen(caller.roles, addToWaitlist(ctx, caller, input)),
  'waitlist.list': ({ ctx, caller }, input) => {
    const list = listWaitlist(ctx, caller, input);
    recordPatientReads(
      ctx,
      caller,
      list.map((e) => e.patient.id),
      { view: 'waitlist.list' },
    );
    return list.map((e) => seen(caller.roles, e));
  },
  'waitlist.count': ({ ctx }, input) => countWaitlist(ctx, input),
  'waitlist.update': ({ ctx, caller }, input) => seen(caller.roles, updateWaitlistEntry(ctx, caller, input)),
  'waitlist.withdraw': ({ ctx, caller }, input) => seen(caller.roles, withdrawWaitlistEntry(ctx, caller, input)),
  'waitlist.markOffered': ({ ctx, caller }, input) => seen(caller.roles, markWaitlistOffered(ctx, caller, input)),
  'waitlist.markWaiting': ({ ctx, caller }, input) => seen(caller.roles, markWaitlistWaiting(ctx, caller, input)),
  'waitlist.offerableSlots': ({ ctx }, input) => offerableSlots(ctx, input),
  'waitlist.matchesForSlot': ({ ctx, caller }, input) => {
    const matches = waitlistMatchesForSlot(ctx, caller, input);
    recordPatientReads(
      ctx,
      caller,
      matches.map((e) => e.patient.id),
      { view: 'waitlist.matchesForSlot', slotId: input.slotId },
    );
    return matches.map((e) => seen(caller.roles, e));
  },
  'waitlist.countForSlot': ({ ctx, caller }, input) => ({ count: waitlistMatchesForSlot(ctx, caller, input).length }),
};
