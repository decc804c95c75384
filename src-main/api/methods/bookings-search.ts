// The desk's booking list: bookings of a period filtered by resource, status, channel, type,
// patient (identity number in any accepted form, or part of a name) and time of booking.
import { z } from 'zod';
import { isoDate, method, uuid } from '../define.ts';
import type { BookingStatus, Channel, ContactMode } from '../types.ts';
import { DESK_ROLES } from './scheduling.ts';

export const BOOKING_STATUSES = ['preliminary', 'booked', 'arrived', 'completed', 'cancelled', 'no_show', 'rebooked'] as const;
/** What the list shows when no status is asked for: the bookings that hold their slot. */
export const DEFAULT_LIST_STATUSES: readonly BookingStatus[] = ['preliminary', 'booked', 'arrived', 'completed', 'no_show'];
export const MAX_LIST_DAYS = 366;
export const MAX_LIST_PAGE = 500;

/** A patient as the list may show them (masked like the calendar: see services/booking-search.ts). */
export interface ListedPatient {
  id: string;
  /** Null for a protected identity: lists never show the name. */
  displayName: string | null;
  /** 12 digits; null for a protected identity unless the caller's role needs it. */
  identityNumber: string | null;
  protectedIdentity: boolean;
}

export interface BookingListRow {
  id: string;
  slotId: string;
  resourceId: string;
  resourceName: string;
  startAt: number;
  endAt: number;
  patient: ListedPatient;
  appointmentTypeId: string;
  appointmentTypeName: { sv: string; en: string };
  appointmentTypeColour: string;
  contactMode: ContactMode;
  status: BookingStatus;
  channel: Channel;
  /** Empty when the patient's identity is protected and the role does not need it (free text may identify). */
  note: string;
  /** Why the patient booked, and why it was cancelled or moved (bookings.get); null, as the note, when hidden. */
  reasonCode: string | null;
  reasonText: string | null;
  cancelReasonCode: string | null;
  cancelReasonText: string | null;
  createdAt: number;
}

export interface BookingList {
  rows: BookingListRow[];
  /** All bookings matching the filter (the rows are one page of them). */
  total: number;
  offset: number;
  limit: number;
  /**
   * Why a patient filter that looks like a whole identity number found nothing when the number
   * itself cannot be right (wrong check digit, impossible date), in Swedish; otherwise null.
   */
  patientHint: string | null;
}

const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/, 'Ange tidpunkten som ÅÅÅÅ-MM-DD TT:MM.');

export const bookingsSearchMethods = {
  /**
   * Bookings whose slot starts within [from, to] (local dates, `to` included), one page at a
   * time with the total count. Each patient shown is a read in the access log.
   */
  'bookings.search': method<BookingList>()({
    input: z
      .object({
        from: isoDate,
        to: isoDate,
        resourceIds: z.array(uuid).max(200).optional(),
        statuses: z.array(z.enum(BOOKING_STATUSES)).min(1).max(7).optional(),
        channels: z
          .array(z.enum(['desk', 'phone', 'web']))
          .min(1)
          .max(3)
          .optional(),
        appointmentTypeIds: z.array(uuid).max(200).optional(),
        /** Identity number (10 or 12 digits, with or without '-'/'+', or the start of one) or name words. */
        patient: z.string().trim().max(100).optional(),
        /** Booked at or after this local time ('YYYY-MM-DD' = from midnight, or 'YYYY-MM-DDTHH:mm'). */
        createdSince: localDateTime.optional(),
        sort: z.enum(['start', 'createdDesc']).default('start'),
        limit: z.number().int().min(1).max(MAX_LIST_PAGE).default(100),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: 'Slutdatum får inte vara före startdatum.', path: ['to'] })
      .refine((v) => Date.parse(v.to) - Date.parse(v.from) < MAX_LIST_DAYS * 86_400_000, {
        message: `Högst ${MAX_LIST_DAYS} dagar åt gången.`,
        path: ['to'],
      }),
    roles: DESK_ROLES,
    kind: 'read',
  }),
} as const;
