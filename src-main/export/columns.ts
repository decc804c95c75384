// The columns of the tabular exports (CSV and XLSX), in one list so both files always agree.
// Headers and labels are Swedish: the files go to Swedish Excel and to regional reporting.
import type { BookingStatus, Channel, ContactMode } from '../api/types.ts';
import type { ExportRow, ExportScope } from './query.ts';

export const STATUS_SV: Record<BookingStatus, string> = {
  preliminary: 'Preliminär',
  booked: 'Bokad',
  arrived: 'Ankommen',
  completed: 'Genomförd',
  cancelled: 'Avbokad',
  no_show: 'Uteblev',
  rebooked: 'Ombokad',
};
export const CHANNEL_SV: Record<Channel, string> = { web: 'Webb (1177)', phone: 'Telefon', desk: 'Reception' };
export const MODE_SV: Record<ContactMode, string> = { physical: 'Fysiskt', video: 'Video', phone: 'Telefon' };

export function slotStatusSv(row: ExportRow): string {
  if (row.booked) return 'Bokad';
  return row.slotState === 'blocked' ? 'Spärrad' : 'Ledig';
}

export type Column =
  | {
      key: string;
      header: string;
      width: number;
      kind: 'text';
      value: (row: ExportRow) => string;
      /** Never holds a separator, quote or line break (ids, our own labels): CSV skips the quoting check. */
      plain?: true;
    }
  /** An instant, written as local ISO text in CSV and as a typed date cell in XLSX. */
  | { key: string; header: string; width: number; kind: 'datetime'; value: (row: ExportRow) => number | null }
  /** An instant as ISO 8601 text with its offset ('2026-10-25T02:20:00+01:00') in both files. */
  | { key: string; header: string; width: number; kind: 'instant'; value: (row: ExportRow) => number | null };

/** The columns for a scope: booking columns unless slots only, patient columns by patient data. */
export function columnsFor(scope: Pick<ExportScope, 'content' | 'patientData'>): Column[] {
  const withBookings = scope.content !== 'slots';
  const withSlots = scope.content !== 'bookings';
  const withPatient = withBookings && scope.patientData !== 'none';
  const full = withPatient && scope.patientData === 'full';
  const cols: (Column | false)[] = [
    { key: 'start', header: 'Start', width: 17, kind: 'datetime', value: (r) => r.startAt },
    { key: 'end', header: 'Slut', width: 17, kind: 'datetime', value: (r) => r.endAt },
    { key: 'resource', header: 'Resurs', width: 22, kind: 'text', value: (r) => r.resourceName },
    { key: 'title', header: 'Titel', width: 18, kind: 'text', value: (r) => r.resourceTitle ?? '' },
    withSlots && { key: 'slotStatus', header: 'Tidstatus', width: 10, kind: 'text', value: slotStatusSv, plain: true },
    withSlots && {
      key: 'web',
      header: 'Webbpublicerad',
      width: 15,
      kind: 'text',
      value: (r) => (r.webPublished ? 'Ja' : 'Nej'),
      plain: true,
    },
    withSlots && { key: 'offered', header: 'Erbjudna typer', width: 18, kind: 'text', value: (r) => r.offeredTypes.join(', ') },
    withBookings && { key: 'type', header: 'Besökstyp', width: 22, kind: 'text', value: (r) => r.booking?.typeName ?? '' },
    withBookings && { key: 'typeCode', header: 'Typkod', width: 9, kind: 'text', value: (r) => r.booking?.typeCode ?? '' },
    withBookings && {
      key: 'contactMode',
      header: 'Kontaktsätt',
      width: 12,
      kind: 'text',
      value: (r) => (r.booking ? MODE_SV[r.booking.contactMode] : ''),
      plain: true,
    },
    withBookings && {
      key: 'status',
      header: 'Bokningsstatus',
      width: 14,
      kind: 'text',
      value: (r) => (r.booking ? STATUS_SV[r.booking.status] : ''),
      plain: true,
    },
    withBookings && {
      key: 'channel',
      header: 'Kanal',
      width: 13,
      kind: 'text',
      value: (r) => (r.booking ? CHANNEL_SV[r.booking.channel] : ''),
      plain: true,
    },
    withBookings && {
      key: 'bookedAt',
      header: 'Bokades',
      width: 17,
      kind: 'datetime',
      value: (r) => r.booking?.createdAt ?? null,
    },
    withPatient && { key: 'patient', header: 'Patient', width: 24, kind: 'text', value: (r) => r.booking?.patient?.name ?? '' },
    full && {
      key: 'identityNumber',
      header: 'Personnummer',
      width: 15,
      kind: 'text',
      value: (r) => r.booking?.patient?.identityNumber ?? '',
    },
    full && { key: 'phone', header: 'Telefon', width: 14, kind: 'text', value: (r) => r.booking?.patient?.phone ?? '' },
    full && { key: 'note', header: 'Anteckning', width: 30, kind: 'text', value: (r) => r.booking?.note ?? '' },
    { key: 'slotId', header: 'Tid-id', width: 38, kind: 'text', value: (r) => r.slotId, plain: true },
    withBookings && {
      key: 'bookingId',
      header: 'Boknings-id',
      width: 38,
      kind: 'text',
      value: (r) => r.booking?.id ?? '',
      plain: true,
    },
    // The wall-clock columns read the same on both passes of the autumn night's doubled hour
    // (02:20 summer time and 02:20 winter time): these name the instant. Last, so the columns
    // before them keep their places for the systems that already import the files.
    { key: 'startInstant', header: 'Start (ISO 8601)', width: 26, kind: 'instant', value: (r) => r.startAt },
    { key: 'endInstant', header: 'Slut (ISO 8601)', width: 26, kind: 'instant', value: (r) => r.endAt },
    withBookings && {
      key: 'bookedAtInstant',
      header: 'Bokades (ISO 8601)',
      width: 26,
      kind: 'instant',
      value: (r) => r.booking?.createdAt ?? null,
    },
  ];
  return cols.filter((c): c is Column => c !== false);
}
