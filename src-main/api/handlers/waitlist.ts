// Handlers of återbudslistan: one service call each; the two lists write one access-log read
// per patient they show, like bookings.search.
import type { waitlistMethods } from '../methods/waitlist.ts';
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

export const waitlistHandlers: HandlersFor<typeof waitlistMethods> = {
  'waitlist.add': ({ ctx, caller }, input) => addToWaitlist(ctx, caller, input),
  'waitlist.list': ({ ctx, caller }, input) => {
    const list = listWaitlist(ctx, caller, input);
    recordPatientReads(
      ctx,
      caller,
      list.map((e) => e.patient.id),
      { view: 'waitlist.list' },
    );
    return list;
  },
  'waitlist.count': ({ ctx }, input) => countWaitlist(ctx, input),
  'waitlist.update': ({ ctx, caller }, input) => updateWaitlistEntry(ctx, caller, input),
  'waitlist.withdraw': ({ ctx, caller }, input) => withdrawWaitlistEntry(ctx, caller, input),
  'waitlist.markOffered': ({ ctx, caller }, input) => markWaitlistOffered(ctx, caller, input),
  'waitlist.markWaiting': ({ ctx, caller }, input) => markWaitlistWaiting(ctx, caller, input),
  'waitlist.offerableSlots': ({ ctx }, input) => offerableSlots(ctx, input),
  'waitlist.matchesForSlot': ({ ctx, caller }, input) => {
    const matches = waitlistMatchesForSlot(ctx, caller, input);
    recordPatientReads(
      ctx,
      caller,
      matches.map((e) => e.patient.id),
      { view: 'waitlist.matchesForSlot', slotId: input.slotId },
    );
    return matches;
  },
  'waitlist.countForSlot': ({ ctx, caller }, input) => ({ count: waitlistMatchesForSlot(ctx, caller, input).length }),
};
