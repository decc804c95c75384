// Sync methods: status for the header and the Sync page, "sync now", entries the central side
// refused, and the Konflikter inbox with one-click rebooking.
import { z } from 'zod';
import { ADMIN_ONLY, ALL_ROLES, empty, method, SCHEDULING_ROLES, uuid } from '../define.ts';
import type { Booking, PatientSummary, Role } from '../types.ts';

const DESK: readonly Role[] = ['receptionist', 'scheduler', 'admin'];

export interface SyncStatusView {
  configured: boolean;
  /** 'error': sync stopped on something waiting will not mend; `errorKind` says what, `lastError` precisely. */
  mode: 'local' | 'online' | 'offline' | 'error';
  errorKind: 'local' | 'central' | 'program' | null;
  centralUrl: string | null;
  pending: number;
  failed: number;
  conflicts: number;
  lastSyncAt: number | null;
  lastError: string | null;
  /** When the running engine tries again after a failure. */
  nextAttemptAt: number | null;
  /** Access-log rows not yet acknowledged by central, and why the last shipment failed. */
  auditUnsent: number;
  auditError: string | null;
  /** Central's change notifications: 'on' while its Subscription websocket is bound; 'reconnecting' /
   *  'unsupported': the desk polls; 'off': sync not running. */
  notifications: 'on' | 'reconnecting' | 'unsupported' | 'off';
  /** The database was first opened elsewhere (another computer or path): a copy made by hand, or
   *  the same desk moved. Nothing was reset; an admin says which (`sync.confirmDeskMoved`). */
  deskMoved: { recorded: DeskPlaceView; here: DeskPlaceView } | null;
}

export interface DeskPlaceView {
  host: string;
  path: string;
}

export interface SyncRunView {
  pushed: number;
  pulled: number;
  conflicts: number;
  failed: number;
  error: string | null;
}

export interface FailedEntry {
  seq: number;
  entity: string;
  entityId: string;
  op: 'create' | 'update';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  /** What the entry is about, in Swedish (no patient data). */
  label: string;
}

export interface ConflictSuggestion {
  slotId: string;
  resourceId: string;
  resourceName: string;
  startAt: number;
  endAt: number;
}

export interface ConflictView {
  id: string;
  /** web_cancel: a patient's cancellation on 1177 that broke the type's web rules (it stands; follow up). */
  kind: 'slot_taken' | 'stale_version' | 'rejected' | 'web_cancel';
  createdAt: number;
  /** Null for a patient's details edited at two desks (the row is about her, not a booking). */
  bookingId: string | null;
  /** The patient who lost the slot (masked per protected identity like any list). */
  patient: PatientSummary | null;
  startAt: number | null;
  resourceName: string | null;
  appointmentTypeId: string | null;
  appointmentTypeName: string | null;
  /** Why, in Swedish. */
  reason: string;
  suggested: ConflictSuggestion[];
  resolvedAt: number | null;
  resolution: string | null;
}

export const syncMethods = {
  'sync.status': method<SyncStatusView>()({ input: empty, roles: ALL_ROLES, kind: 'read' }),
  /** Runs push and pull now and waits for them (network). */
  'sync.now': method<SyncRunView>()({ input: empty, roles: ALL_ROLES, kind: 'change', async: true }),
  'sync.failed': method<FailedEntry[]>()({ input: empty, roles: ALL_ROLES, kind: 'read' }),
  /** Queues refused entries again (after the cause was fixed). */
  'sync.retryFailed': method<{ requeued: number }>()({
    input: z.object({ seqs: z.array(z.number().int().positive()).max(1000).optional() }).strict(),
    roles: SCHEDULING_ROLES,
    kind: 'change',
  }),
  /** Admin: the central booking API's address (null = work locally) and, on the desktop, its token. */
  'sync.configure': method<SyncStatusView>()({
    input: z
      .object({
        centralUrl: z
          .string()
          .trim()
          .url('Ange en fullständig adress, t.ex. https://tidbok.region.se/fhir/R4.')
          .max(500)
          .nullable(),
        token: z.string().trim().min(1).max(4096).optional(),
      })
      .strict(),
    roles: ADMIN_ONLY,
    kind: 'change',
    async: true,
  }),
  /** Admin: "same desk, moved": the database's new place is recorded and the Sync page's flag clears. */
  'sync.confirmDeskMoved': method<SyncStatusView>()({ input: empty, roles: ADMIN_ONLY, kind: 'change' }),
  'conflicts.list': method<ConflictView[]>()({
    input: z.object({ includeResolved: z.boolean().optional() }).strict(),
    roles: DESK,
    kind: 'read',
  }),
  /** Rebooks the patient into a suggested (or any free) slot, or closes the conflict. */
  'conflicts.resolve': method<{ conflict: ConflictView; booking: Booking | null }>()({
    input: z.discriminatedUnion('action', [
      z.object({ id: uuid, action: z.literal('rebook'), slotId: uuid }).strict(),
      z.object({ id: uuid, action: z.literal('dismiss'), note: z.string().max(500).optional() }).strict(),
    ]),
    roles: DESK,
    kind: 'change',
  }),
} as const;
