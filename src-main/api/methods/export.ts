// Export, day-list print and statistics methods. Result shapes are declared here so the renderer
// can import them with the contract. Files travel as base64 in the result: the renderer cannot
// write files, so it turns them into a download (web shell) or a save dialog (desktop).
import { z } from 'zod';
import { ALL_ROLES, isoDate, method, uuid } from '../define.ts';
import type { Role } from '../types.ts';

/** Exports without patient data are open to schedulers; the handler demands admin for the rest. */
export const EXPORT_ROLES: readonly Role[] = ['scheduler', 'admin'];
export const STATS_ROLES: readonly Role[] = ['admin'];

export interface ExportFile {
  fileName: string;
  mimeType: string;
  /** The file's bytes, base64. */
  base64: string;
  rows: number;
  /** Distinct patients whose data the file carries (each got an access-log event). */
  patients: number;
}

export interface ChannelCounts {
  web: number;
  desk: number;
  phone: number;
  total: number;
}
/** Split by who acted: the patient on the web, or staff (desk and phone). */
export interface WebDeskCounts {
  web: number;
  desk: number;
  total: number;
}

export interface UtilisationRow {
  id: string;
  name: string;
  /** Open slots (blocked and removed ones are not on offer). */
  open: number;
  /** Open slots holding an active booking. */
  booked: number;
  /** booked / open, or null without open slots. */
  rate: number | null;
}

export interface WeekStats {
  /** ISO week, e.g. '2026-W13'. */
  week: string;
  /** Monday of the week, 'YYYY-MM-DD'. */
  monday: string;
  bookings: ChannelCounts;
  rebookings: number;
  cancellations: number;
  noShows: number;
  openSlots: number;
  bookedSlots: number;
}

export interface Statistics {
  unit: { hsaId: string; name: string };
  from: string;
  to: string;
  /** New bookings (not made by rebooking) by the channel they were made through. */
  bookings: ChannelCounts & { webShare: number | null };
  rebookings: WebDeskCounts;
  cancellations: WebDeskCounts;
  noShows: { count: number; visits: number; rate: number | null };
  utilisation: { open: number; booked: number; rate: number | null; byResource: UtilisationRow[]; byType: UtilisationRow[] };
  /** Hours from booking to visit, over active bookings. */
  leadTime: { count: number; medianHours: number | null; p90Hours: number | null };
  weeks: WeekStats[];
}

const statsInput = z
  .object({ from: isoDate, to: isoDate, separator: z.enum(['semicolon', 'comma']).optional() })
  .strict()
  .refine((v) => v.from <= v.to, { message: 'Slutdatum får inte vara före startdatum.', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 731 * 86_400_000, {
    message: 'Högst två år åt gången.',
    path: ['to'],
  });

export const exportInput = z
  .object({
    from: isoDate,
    /** Last day of the period, included. */
    to: isoDate,
    resourceIds: z.array(uuid).min(1).max(200).optional(),
    content: z.enum(['bookings', 'slots', 'both']),
    patientData: z.enum(['full', 'pseudonymised', 'none']),
    format: z.enum(['csv', 'xlsx', 'ics', 'pdf']),
    separator: z.enum(['semicolon', 'comma']).optional(),
    layout: z.enum(['combined', 'perResource']).optional(),
  })
  .strict()
  .refine((v) => v.from <= v.to, { message: 'Slutdatum får inte vara före startdatum.', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, {
    message: 'Högst ett år åt gången.',
    path: ['to'],
  });

export const exportMethods = {
  /** A file of the unit's slots and/or bookings for a period (access-logged). */
  'export.create': method<ExportFile>()({ input: exportInput, roles: EXPORT_ROLES, kind: 'read', async: true }),
  /** The printable day list (PDF) of one day for the given clinicians; receptionists may print it. */
  'export.dayList': method<ExportFile>()({
    input: z
      .object({
        date: isoDate,
        resourceIds: z.array(uuid).min(1).max(200).optional(),
        includeFree: z.boolean().optional(),
        pseudonymise: z.boolean().optional(),
      })
      .strict(),
    roles: ALL_ROLES,
    kind: 'read',
    async: true,
  }),
  /** Web share, rebookings, cancellations, no-shows, utilisation and lead time for a period. */
  'stats.summary': method<Statistics>()({ input: statsInput, roles: STATS_ROLES, kind: 'read' }),
  /** The same figures as a CSV file (one section per table, Swedish headers). */
  'stats.csv': method<ExportFile>()({
    input: statsInput,
    roles: STATS_ROLES,
    kind: 'read',
  }),
} as const;
