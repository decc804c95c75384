// Handlers of the scheduling methods: each calls one service.
import type { schedulingMethods } from '../methods/scheduling.ts';
import type { HandlersFor } from '../handler-types.ts';
import {
  createAppointmentType,
  deleteAppointmentType,
  getAppointmentType,
  setAppointmentTypeActive,
  updateAppointmentType,
} from '../../services/appointment-types.ts';
import { getHolidayRules, listHolidays } from '../../services/holidays.ts';
import { markHeldElsewhere, withHeldElsewhere } from '../../services/waitlist-holds.ts';
import {
  createTemplate,
  deactivateTemplate,
  expandTemplates,
  getScheduleHorizon,
  getTemplate,
  listTemplates,
  previewTemplate,
  setEveRules,
  setScheduleHorizon,
  updateTemplate,
} from '../../services/templates.ts';
import { blockSlot, createSlot, getSlot, removeSlot, unblockSlot, updateSlot } from '../../services/slots.ts';
import { findFreeSlots } from '../../services/free-slots.ts';
import { deskBookingStatus } from '../../services/sync-claims.ts';
import { affectedBookings, createAbsence, listAbsences, updateAbsence, withdrawAbsence } from '../../services/absences.ts';
import { absenceContactList, applyAbsenceRebooking, proposeAbsenceRebooking } from '../../services/absence-rebooking.ts';
import { checkIdentityNumber, createPatient, getPatient, searchPatients, updatePatient } from '../../services/patients.ts';
import {
  bookingsForPatient,
  bookSlot,
  cancelBooking,
  getBookingDetail,
  markBooking,
  onlinePermissions,
  rebookBooking,
  setBookingNote,
} from '../../services/bookings.ts';
import { bookingSeenBy } from '../../domain/availability.ts';
import type { Booking, Role } from '../types.ts';
import type { Rebooking } from '../methods/scheduling.ts';

// Bookings leave the api as the caller may see them (protected identity): one place, every method.
const seen = <B extends Booking>(roles: readonly Role[], b: B): B => bookingSeenBy(b, roles);
const seenRebooking = (roles: readonly Role[], r: Rebooking): Rebooking => ({ old: seen(roles, r.old), new: seen(roles, r.new) });

export const schedulingHandlers: HandlersFor<typeof schedulingMethods> = {
  'appointmentTypes.get': ({ ctx }, input) => getAppointmentType(ctx, input.id),
  'appointmentTypes.create': ({ ctx, caller }, input) => createAppointmentType(ctx, caller, input),
  'appointmentTypes.update': ({ ctx, caller }, input) => updateAppointmentType(ctx, caller, input),
  'appointmentTypes.setActive': ({ ctx, caller }, input) => setAppointmentTypeActive(ctx, caller, input),
  'appointmentTypes.delete': ({ ctx, caller }, input) => deleteAppointmentType(ctx, caller, input),

  'holidays.list': ({ ctx }, input) => listHolidays(ctx, input),
  'holidays.getRules': ({ ctx }) => getHolidayRules(ctx),
  'holidays.setRules': ({ ctx, caller }, input) => setEveRules(ctx, caller, input),

  'templates.list': ({ ctx }, input) => listTemplates(ctx, input),
  'templates.get': ({ ctx }, input) => getTemplate(ctx, input.id),
  'templates.preview': ({ ctx }, input) => previewTemplate(ctx, input),
  'templates.create': ({ ctx, caller }, input) => createTemplate(ctx, caller, input),
  'templates.update': ({ ctx, caller }, input) => updateTemplate(ctx, caller, input),
  'templates.deactivate': ({ ctx, caller }, input) => deactivateTemplate(ctx, caller, input),
  'templates.getHorizon': ({ ctx }) => getScheduleHorizon(ctx),
  'templates.setHorizon': ({ ctx, caller }, input) => setScheduleHorizon(ctx, caller, input),
  'templates.expand': ({ ctx, caller }, input) => expandTemplates(ctx, caller, input),

  'slots.get': ({ ctx }, input) => withHeldElsewhere(ctx, getSlot(ctx, input.id)),
  'slots.create': ({ ctx, caller }, input) => createSlot(ctx, caller, input),
  'slots.update': ({ ctx, caller }, input) => updateSlot(ctx, caller, input),
  'slots.block': ({ ctx, caller }, input) => blockSlot(ctx, caller, input),
  'slots.unblock': ({ ctx, caller }, input) => unblockSlot(ctx, caller, input),
  'slots.remove': ({ ctx, caller }, input) => removeSlot(ctx, caller, input),
  'slots.findFree': ({ ctx }, input) => markHeldElsewhere(ctx, findFreeSlots(ctx, input)),

  'absences.create': ({ ctx, caller }, input) => {
    const r = createAbsence(ctx, caller, input);
    return { ...r, affectedBookings: r.affectedBookings.map((b) => seen(caller.roles, b)) };
  },
  'absences.list': ({ ctx }, input) => listAbsences(ctx, input),
  'absences.update': ({ ctx, caller }, input) => {
    const r = updateAbsence(ctx, caller, input);
    return { ...r, affectedBookings: r.affectedBookings.map((b) => seen(caller.roles, b)) };
  },
  'absences.withdraw': ({ ctx, caller }, input) => {
    const r = withdrawAbsence(ctx, caller, input);
    return { ...r, affectedBookings: r.affectedBookings.map((b) => seen(caller.roles, b)) };
  },
  'absences.affectedBookings': ({ ctx, caller }, input) => affectedBookings(ctx, caller, input).map((b) => seen(caller.roles, b)),
  'absences.proposeRebooking': ({ ctx, caller }, input) =>
    proposeAbsenceRebooking(ctx, caller, input).map((p) => ({ ...p, booking: seen(caller.roles, p.booking) })),
  'absences.applyRebooking': ({ ctx, caller }, input) => {
    const r = applyAbsenceRebooking(ctx, caller, input);
    return { ...r, rebooked: r.rebooked.map((x) => seenRebooking(caller.roles, x)) };
  },
  'absences.contactList': ({ ctx, caller }, input) => absenceContactList(ctx, caller, input),

  'patients.search': ({ ctx, caller }, input) => searchPatients(ctx, caller, input),
  'patients.get': ({ ctx, caller }, input) => getPatient(ctx, caller, input),
  'patients.checkIdentityNumber': ({ ctx }, input) => checkIdentityNumber(ctx, input),
  'patients.create': ({ ctx, caller }, input) => createPatient(ctx, caller, input),
  'patients.update': ({ ctx, caller }, input) => updatePatient(ctx, caller, input),

  'bookings.get': ({ ctx, caller }, input) => seen(caller.roles, getBookingDetail(ctx, caller, input)),
  'bookings.forPatient': ({ ctx, caller }, input) => bookingsForPatient(ctx, caller, input).map((b) => seen(caller.roles, b)),
  // With a central configured, the booking waits as preliminary until central confirms the claim.
  'bookings.book': ({ ctx, caller }, input) =>
    seen(caller.roles, bookSlot(ctx, caller, { ...input, status: deskBookingStatus(ctx) })),
  'bookings.cancel': ({ ctx, caller }, input) => seen(caller.roles, cancelBooking(ctx, caller, input)),
  'bookings.rebook': ({ ctx, caller }, input) => seenRebooking(caller.roles, rebookBooking(ctx, caller, input)),
  'bookings.mark': ({ ctx, caller }, input) => seen(caller.roles, markBooking(ctx, caller, input)),
  'bookings.setNote': ({ ctx, caller }, input) => seen(caller.roles, setBookingNote(ctx, caller, input)),
  'bookings.onlinePermissions': ({ ctx }, input) => onlinePermissions(ctx, input),
};
