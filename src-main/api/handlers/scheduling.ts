// Handlers of the scheduling methods: each calls one service. (Stubs while services land.)
import type { schedulingMethods } from '../methods/scheduling.ts';
import type { HandlersFor } from '../handler-types.ts';
import { AppError } from '../result.ts';

const notYet = (): never => {
  throw new AppError('unavailable', 'Funktionen är inte klar ännu.');
};

export const schedulingHandlers: HandlersFor<typeof schedulingMethods> = {
  'appointmentTypes.get': notYet,
  'appointmentTypes.create': notYet,
  'appointmentTypes.update': notYet,
  'appointmentTypes.setActive': notYet,
  'appointmentTypes.delete': notYet,
  'holidays.list': notYet,
  'holidays.getRules': notYet,
  'holidays.setRules': notYet,
  'templates.list': notYet,
  'templates.get': notYet,
  'templates.preview': notYet,
  'templates.create': notYet,
  'templates.update': notYet,
  'templates.deactivate': notYet,
  'templates.expand': notYet,
  'slots.get': notYet,
  'slots.create': notYet,
  'slots.update': notYet,
  'slots.block': notYet,
  'slots.unblock': notYet,
  'slots.remove': notYet,
  'slots.findFree': notYet,
  'absences.create': notYet,
  'absences.list': notYet,
  'absences.withdraw': notYet,
  'absences.affectedBookings': notYet,
  'absences.proposeRebooking': notYet,
  'absences.applyRebooking': notYet,
  'absences.contactList': notYet,
  'patients.search': notYet,
  'patients.get': notYet,
  'patients.checkIdentityNumber': notYet,
  'patients.create': notYet,
  'patients.update': notYet,
  'bookings.get': notYet,
  'bookings.forPatient': notYet,
  'bookings.book': notYet,
  'bookings.cancel': notYet,
  'bookings.rebook': notYet,
  'bookings.mark': notYet,
  'bookings.setNote': notYet,
  'bookings.onlinePermissions': notYet,
};
