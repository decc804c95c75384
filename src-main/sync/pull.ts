// Pull: the central change feed, applied locally.
// Per resource type a `_lastUpdated` search from the stored cursor (`ge`), sorted by
// _lastUpdated, following the server's next links. Each page is applied in ONE SQLite
// transaction, and the cursor moves in that same transaction, so a crash re-reads the page
// and applying it twice changes nothing: an entry whose (id, versionId) the row already holds is
// skipped. Rows with changes still waiting in the outbox are left to push, whose If-Match
// decides (central wins for bookings, the unit for its schedule).
// Appointment types (HealthcareService) and resources (PractitionerRole, Location) come first,
// then the unit's templates and absences (Basic, which name them), then slots, then appointments, and the patients and slots an appointment names are read first,
// so references resolve. Appointments are read by the unit's tag (`_tag`), not the region's feed; one
// written without it is found by its Slot, whose busy or free the desk cannot explain (bookingsWithoutTag).
import type {
  Appointment,
  Basic,
  HealthcareService,
  Location,
  Patient,
  PractitionerRole,
  Resource,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import type { Caller, ServiceContext } from '../services/context.ts';
import type { ContactMode } from '../api/types.ts';
import type { Statement } from 'better-sqlite3';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { searchUrl, type CentralApi } from './central-api.ts';
import {
  appointmentFields,
  BASIC_CODE,
  basicFields,
  healthcareServiceFields,
  ID_SYSTEM,
  localIdForRemote,
  ourId,
  patientFields,
  refId,
  RESOURCE_KIND_SYSTEM,
  resourceFields,
  slotFields,
  unitTagSearch,
  type AppointmentFields,
} from './fhir/mapping.ts';
import { localDate, localTime } from '../domain/time.ts';
import {
  hasPendingOutbox,
  noteHeldElsewhere,
  noteHeldOnCentral,
  readCursor,
  unitTimeZone,
  recordConflict,
  settleOutbox,
  stmt,
  suggestFreeSlots,
  writeCursor,
} from './local.ts';
import { noteTypeRulesOnCentral, webBookingBreach, WebRulesLookups } from './web-rules.ts';
import { notePulledCancellation } from './web-cancel.ts';
import { recordAudit, recordAuditEvents, type AuditInput } from '../services/audit.ts';
import { enqueueOutbox } from '../services/outbox.ts';
import { getSlot } from '../services/slots.ts';
import { releaseOffersNoLongerFree } from '../services/waitlist-holds.ts';
import type { RuleBreach } from '../domain/booking-rules.ts';

// A desk reads a patient when one of its unit's appointments names them (missingReferences), and
// her later changes by the Patient feed: the Patients tagged with the unit (every desk tags the
// patients it sends, mapping.ts patientToFhir), never the region's whole register. Appointment types and resources
// (clinicians as PractitionerRole, rooms as Location, each with its Schedule) first: a slot
// offering a type, or on a clinician, another desk just created maps only once they are here.
// Templates and absences (Basic) after them, before slots: they name types and resources.
export const FEEDS = ['HealthcareService', 'PractitionerRole', 'Location', 'Basic', 'Slot', 'Appointment', 'Patient'] as const;
/** Feeds of the unit's own set-up, read by its Organization (`organization=`, for Basic `author=`). */
const BY_ORGANIZATION = new Set<Feed>(['HealthcareService', 'PractitionerRole', 'Location', 'Basic']);
export type Feed = (typeof FEEDS)[number];

export interface PullResult {
  pulled: number;
  applied: number;
  conflicts: number;
}

export interface ApplyResult {
  applied: number;
  conflicts: number;
  /** Local ids that changed, for the change event. */
  ids: string[];
}

/**
 * sync_state key of a resource another desk created, whose Schedule's slots (and their bookings)
 * are still to be read from the start: the Slot feed's cursor may have passed them while the
 * resource was unknown here. Written with the resource, removed with its slots.
 */
const CATCH_UP = 'schedule-catch-up:';

type StmtName =
  | 'patientByRemote'
  | 'patientById'
  | 'patientByNumber'
  | 'patientIdentity'
  | 'patientInsert'
  | 'patientUpdate'
  | 'slotByRemote'
  | 'slotById'
  | 'resourceByRemote'
  | 'typesByCode'
  | 'slotInsert'
  | 'slotUpdate'
  | 'slotTypeIds'
  | 'slotState'
  | 'bookingPatient'
  | 'slotReopen'
  | 'slotOpen'
  | 'bookingByRemote'
  | 'bookingById'
  | 'activeOnSlot'
  | 'bookingInsert'
  | 'bookingUpdate'
  | 'visitReason'
  | 'bookingLinks'
  | 'rebookedTo'
  | 'awaitLink'
  | 'linkWaiting'
  | 'linkDone';
type Stmts = Record<StmtName, Statement>;
const cache = new WeakMap<ServiceContext['db'], Stmts>();

function stmts(ctx: ServiceContext): Stmts {
  const s = cache.get(ctx.db);
  if (s) return s;
  const db = ctx.db;
  const made: Stmts = {
    patientByRemote: db.prepare(`SELECT id, remote_id, remote_version FROM patients WHERE remote_id = ?`),
    patientById: db.prepare(`SELECT id, remote_id, remote_version FROM patients WHERE id = ?`),
    patientByNumber: db.prepare(`SELECT id, remote_id, remote_version FROM patients WHERE identity_number = ?`),
    patientIdentity: db.prepare(`SELECT identity_number, identity_kind FROM patients WHERE id = ?`),
    patientInsert: db.prepare(
      `INSERT INTO patients (id, identity_number, identity_kind, given_name, family_name, phone, email, address, protected_identity,
         remote_id, remote_version, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'central')`,
    ),
    patientUpdate: db.prepare(
      `UPDATE patients SET identity_number = ?, identity_kind = ?, given_name = ?, family_name = ?, phone = ?, email = ?, address = ?,
         protected_identity = ?, remote_id = ?, remote_version = ?, version = version + 1, updated_at = ?, updated_by = 'central'
       WHERE id = ?`,
    ),
    slotByRemote: db.prepare(`SELECT id, remote_id, remote_version FROM slots WHERE remote_id = ?`),
    slotById: db.prepare(`SELECT id, remote_id, remote_version, appointment_type_ids FROM slots WHERE id = ?`),
    resourceByRemote: db.prepare(`SELECT id, unit_id FROM resources WHERE remote_id = ?`),
    typesByCode: db.prepare(`SELECT id, code, contact_modes FROM appointment_types`),
    slotInsert: db.prepare(
      `INSERT INTO slots (id, resource_id, start_at, end_at, appointment_type_ids, state, block_reason, web_published, within_care_guarantee,
         template_id, remote_id, remote_version, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM schedule_templates WHERE id = ?), ?, ?, ?, 'central')`,
    ),
    slotUpdate: db.prepare(
      `UPDATE slots SET start_at = ?, end_at = ?, appointment_type_ids = ?, state = ?, block_reason = ?, web_published = ?, within_care_guarantee = ?,
         template_id = (SELECT id FROM schedule_templates WHERE id = ?),
         remote_id = ?, remote_version = ?, version = version + 1, updated_at = ?, updated_by = 'central' WHERE id = ?`,
    ),
    slotTypeIds: db.prepare(`SELECT appointment_type_ids FROM slots WHERE id = ?`),
    bookingPatient: db.prepare(`SELECT patient_id FROM bookings WHERE id = ?`),
    slotState: db.prepare(`SELECT state, block_reason FROM slots WHERE id = ?`),
    slotOpen: db.prepare(
      `UPDATE slots SET state = 'open', block_reason = NULL, version = version + 1, updated_at = ?, updated_by = 'central' WHERE id = ?`,
    ),
    slotReopen: db.prepare(
      `UPDATE slots SET state = 'open', version = version + 1, updated_at = ?, updated_by = 'sync' WHERE id = ? AND state = 'removed'`,
    ),
    bookingByRemote: db.prepare(`SELECT id, remote_id, remote_version, status, slot_id FROM bookings WHERE remote_id = ?`),
    bookingById: db.prepare(`SELECT id, remote_id, remote_version, status, slot_id FROM bookings WHERE id = ?`),
    activeOnSlot: db.prepare(
      `SELECT id, remote_id, status FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES} AND id <> ?`,
    ),
    bookingInsert: db.prepare(
      `INSERT INTO bookings (id, slot_id, patient_id, appointment_type_id, contact_mode, status, channel, note, reason_code, reason_text,
         cancel_reason_code, cancel_reason_text, created_at, created_by, remote_id, remote_version, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'central')`,
    ),
    bookingUpdate: db.prepare(
      `UPDATE bookings SET slot_id = ?, status = ?, note = ?, reason_code = ?, reason_text = ?, cancel_reason_code = ?,
         cancel_reason_text = ?, remote_id = ?, remote_version = ?, version = version + 1, updated_at = ?, updated_by = 'central'
       WHERE id = ?`,
    ),
    visitReason: db.prepare(`SELECT reason_code AS code, reason_text AS text FROM bookings WHERE id = ?`),
    rebookedTo: db.prepare(`UPDATE bookings SET status = 'rebooked', rebooked_to = ? WHERE id = ? AND status = 'cancelled'`),
    // A rebooking whose new half is still to come waits in sync_state (a small key-value store of sync's own).
    awaitLink: db.prepare(`INSERT OR REPLACE INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)`),
    linkWaiting: db.prepare(`SELECT cursor FROM sync_state WHERE feed = ?`),
    linkDone: db.prepare(`DELETE FROM sync_state WHERE feed = ?`),
    bookingLinks: db.prepare(
      `UPDATE bookings SET rebooked_from = coalesce(?, rebooked_from), rebooked_to = coalesce(?, rebooked_to), status = ? WHERE id = ?`,
    ),
  };
  cache.set(db, made);
  return made;
}

/** Why the patient booked, as a booking row holds it. */
interface VisitReason {
  code: string | null;
  text: string | null;
}

interface Known {
  id: string;
  remote_id: string | null;
  remote_version: string | null;
}

const unchanged = (local: Known | undefined, r: Resource) =>
  local?.remote_id === r.id && local?.remote_version === r.meta?.versionId;

/**
 * Applies central resources to the local database in one transaction (a savepoint when nested).
 * `respectPending`: rows with queued local changes are left for push to reconcile.
 */
export function applyResources(ctx: ServiceContext, resources: Resource[], options: { respectPending: boolean }): ApplyResult {
  const out: ApplyResult = { applied: 0, conflicts: 0, ids: [] };
  const s = stmts(ctx);
  const now = ctx.now();
  const today = localDate(now, unitTimeZone(ctx));
  const types = new Map((s.typesByCode.all() as { id: string; code: string; contact_modes: string }[]).map((t) => [t.code, t]));
  const links: { id: string; f: AppointmentFields }[] = [];
  // The unit's own decisions on central's changes go on the audit log, as changes made by sync.
  const audits: AuditInput[] = [];
  const lookups = new WebRulesLookups(ctx);
  // Rejected web rebookings: the old time is given back once its own change of this page is applied.
  const restores: { rejectedId: string; breach: RuleBreach; fromId: string; queued?: boolean }[] = [];
  const skip = (local: Known | undefined) => local !== undefined && options.respectPending && hasPendingOutbox(ctx, local.id);
  const schedules = new Map(
    resources.filter((r): r is Schedule => r.resourceType === 'Schedule').map((r) => [ourId(r), r] as const),
  );

  ctx.db.transaction(() => {
    for (const r of resources) {
      if (r.resourceType === 'HealthcareService') {
        const t = applyType(ctx, r as HealthcareService, skip, audits);
        if (!t) continue;
        for (const [code, known] of types) if (known.id === t.id) types.delete(code); // its code may have changed
        types.set(t.code, t);
        out.ids.push(t.id);
        out.applied++;
      } else if (r.resourceType === 'PractitionerRole' || r.resourceType === 'Location') {
        const id = applyResource(ctx, r as PractitionerRole | Location, schedules, skip, audits);
        if (!id) continue;
        out.ids.push(id);
        out.applied++;
      } else if (r.resourceType === 'Basic') {
        const id = applyPlanning(ctx, r as Basic, types, skip, audits);
        if (!id) continue;
        out.ids.push(id);
        out.applied++;
      } else if (r.resourceType === 'Patient') {
        const id = applyPatient(ctx, r as Patient, today, skip, audits);
        if (!id) continue;
        out.ids.push(id);
        out.applied++;
      } else if (r.resourceType === 'Slot') {
        const sl = r as Slot;
        const mine = ourId(sl);
        const local = (s.slotByRemote.get(sl.id) ?? (mine ? s.slotById.get(mine) : undefined)) as Known | undefined;
        if (unchanged(local, sl) || skip(local)) continue;
        const f = slotFields(sl);
        const typeIds = f.typeCodes.map((c) => types.get(c)?.id).filter((x): x is string => x !== undefined);
        if (local) {
          const ids = typeIds.length
            ? JSON.stringify(typeIds)
            : (s.slotTypeIds.get(local.id) as { appointment_type_ids: string }).appointment_type_ids;
          // Central says booked where the unit has the slot closed and knows no booking, and the slot
          // still carries its block reason (a desk that unblocks clears it) or was removed (never
          // undone): someone booked a closed slot. The schedule is the unit's: the slot stays closed
          // until the booking arrives and is judged.
          const here = s.slotState.get(local.id) as { state: string; block_reason: string | null };
          const closedHere =
            sl.status === 'busy' &&
            (here.state === 'removed' || (here.state === 'blocked' && !!sl.comment)) &&
            s.activeOnSlot.get(local.id, '') === undefined;
          if (closedHere) s.awaitLink.run(`${CLOSED_SLOT}${local.id}`, here.state, now);
          s.slotUpdate.run(
            f.startAt,
            f.endAt,
            ids,
            closedHere ? here.state : f.state,
            closedHere ? here.block_reason : f.blockReason,
            f.webPublished ? 1 : 0,
            f.withinCareGuarantee ? 1 : 0,
            f.templateId,
            sl.id,
            sl.meta!.versionId,
            now,
            local.id,
          );
          linkBlock(ctx, local.id, f.state, f.absenceId);
          // Central no longer holds it for this desk's återbudslista (a web booking, another desk's rewrite): push sends the hold again.
          if (sl.status !== 'busy-tentative') noteHeldOnCentral(ctx, local.id, sl.status);
          else noteHeldElsewhere(ctx, local.id, sl.status);
          out.ids.push(local.id);
        } else {
          const resource = s.resourceByRemote.get(refId(sl.schedule.reference, 'Schedule')) as { id: string } | undefined;
          if (!resource || typeIds.length === 0) continue; // another unit's schedule, or types we do not offer
          const id = mine ?? localIdForRemote('Slot', sl.id!);
          const twin = f.state === 'removed' ? undefined : liveTwin(ctx, resource.id, f.startAt, id);
          // Two desks laid out one time with ids of their own (edited copies of a template, or a
          // single slot each): one live slot per time, the same one on every desk. The loser is
          // kept removed, here and at central, so the feed stays in step instead of stopping on
          // the second live slot.
          const pulledWins = twin ? twinPulledWins(ctx, twin, id, sl.status) : true;
          if (twin && pulledWins) retireTwin(ctx, twin.id, id);
          s.slotInsert.run(
            id,
            resource.id,
            f.startAt,
            f.endAt,
            JSON.stringify(typeIds),
            pulledWins ? f.state : 'removed',
            f.blockReason,
            f.webPublished ? 1 : 0,
            f.withinCareGuarantee ? 1 : 0,
            f.templateId,
            sl.id,
            sl.meta!.versionId,
            now,
          );
          if (twin && !pulledWins) retireTwin(ctx, id, twin.id);
          linkBlock(ctx, id, f.state, f.absenceId);
          // Laid out and held on another desk before this one saw it.
          if (pulledWins) noteHeldElsewhere(ctx, id, sl.status);
          out.ids.push(id);
        }
        out.applied++;
      } else if (r.resourceType === 'Appointment') {
        const a = r as Appointment;
        const mine = ourId(a);
        const local = (s.bookingByRemote.get(a.id) ?? (mine ? s.bookingById.get(mine) : undefined)) as
          (Known & { status: string }) | undefined;
        if (unchanged(local, a) || skip(local)) continue;
        const f = appointmentFields(a);
        const slot = s.slotByRemote.get(refId(f.slotRef, 'Slot')) as Known | undefined;
        const patient = s.patientByRemote.get(refId(f.patientRef, 'Patient')) as Known | undefined;
        if (!slot) continue; // not this unit's slot
        if (!patient) {
          // Its patient carries no number the unit can store: the booking cannot be kept here, but
          // staff are told the time is taken centrally (once per booking).
          if (ACTIVE.has(appointmentFields(a).status)) out.conflicts += unreadablePatient(ctx, slot.id, a.id!);
          continue;
        }
        // 'rebooked' needs its target row: set below once every row of the page exists.
        const status = f.status === 'rebooked' ? 'cancelled' : f.status;
        const type = local ? null : ((f.typeCode ? types.get(f.typeCode) : undefined) ?? firstTypeOfSlot(ctx, slot.id, types));
        if (!local && !type) continue;
        const mode = f.contactMode ?? (type ? (JSON.parse(type.contact_modes) as ContactMode[])[0]! : 'physical');
        const slotChangePending = hasPendingOutbox(ctx, slot.id);
        const closedKey = `${CLOSED_SLOT}${slot.id}`;
        if (ACTIVE.has(status) && s.linkWaiting.get(closedKey)) {
          s.linkDone.run(closedKey);
          // Booked by another desk of the unit, which can only book an open slot: it reopened it.
          if (f.channel !== 'web') s.slotOpen.run(now, slot.id);
        }
        // A patient's new web booking is held to the unit's rules, as at the desk (the web never overrides).
        const onCentralAt = a.meta?.lastUpdated ? Date.parse(a.meta.lastUpdated) : null;
        // A web rebooking is judged against the time it moves (cut-off); one whose old half is not here is not judged.
        const movedFrom = f.rebookedFromRef ? movedBooking(ctx, s, f.rebookedFromRef) : undefined;
        const breach =
          !local && f.channel === 'web' && ACTIVE.has(status) && (!f.rebookedFromRef || movedFrom)
            ? webBookingBreach(
                ctx,
                {
                  slotId: slot.id,
                  patientId: patient.id,
                  typeId: type!.id,
                  contactMode: mode,
                  invited: f.invited,
                  bookedAt: f.createdAt ?? onCentralAt ?? now,
                  onCentralAt,
                  slotChangePending,
                  rebooking: movedFrom,
                },
                lookups,
              )
            : null;
        if (ACTIVE.has(status) && !breach) out.conflicts += yieldSlot(ctx, slot.id, local?.id ?? '', out);
        let bookingId: string;
        // Central without a visit reason (1177 need not repeat it) leaves the one known here; the
        // new half of a web rebooking takes the old half's (the visit did not change).
        const known = s.visitReason.get(local?.id ?? movedFrom?.fromId ?? '') as VisitReason | undefined;
        const visit: VisitReason =
          f.reasonCode || f.reasonText ? { code: f.reasonCode, text: f.reasonText } : (known ?? { code: null, text: null });
        if (local) {
          s.bookingUpdate.run(
            slot.id,
            f.status === 'rebooked' && local.status === 'rebooked' ? 'rebooked' : status,
            f.note,
            visit.code,
            visit.text,
            f.cancelReasonCode,
            f.cancelReasonText,
            a.id,
            a.meta!.versionId,
            now,
            local.id,
          );
          out.ids.push(local.id);
          links.push({ id: local.id, f });
          bookingId = local.id;
        } else {
          const id = mine ?? localIdForRemote('Appointment', a.id!);
          s.bookingInsert.run(
            id,
            slot.id,
            patient.id,
            type!.id,
            mode,
            breach ? 'cancelled' : status,
            f.channel,
            f.note,
            visit.code,
            visit.text,
            breach ? WEB_REJECTED : f.cancelReasonCode,
            breach ? `Webbokningen avvisades: ${breach.messageSv}` : f.cancelReasonText,
            f.createdAt ?? now,
            f.channel === 'web' ? 'web' : 'central',
            a.id,
            a.meta!.versionId,
            now,
          );
          out.ids.push(id);
          links.push({ id, f });
          bookingId = id;
        }
        // Who cancelled is kept; the patient's own cancellation is held to the cut-offs (web-cancel.ts).
        const lateCancel = f.cancelledVia
          ? notePulledCancellation(
              ctx,
              { bookingId, cancelledVia: f.cancelledVia, statusBefore: local?.status ?? null, at: onCentralAt ?? now },
              lookups,
            )
          : null;
        if (lateCancel) {
          audits.push(lateCancel);
          out.conflicts++;
        }
        // The patient's own change on 1177 is a change of patient data here too: one event each, by
        // sync (a late cancellation's, a rejected booking's and a rebooking's old half have theirs).
        const webChange = patientsWebChange(f, local?.status ?? null, status, !!breach || !!lateCancel);
        if (webChange) {
          audits.push({
            action: 'change',
            patientId: patient.id,
            entity: 'booking',
            entityId: bookingId,
            detail: {
              op: webChange,
              channel: 'web',
              status,
              slotId: slot.id,
              ...(webChange === 'sync.web_rebooked' ? { from: movedFrom?.fromId ?? null } : {}),
            },
          });
        }
        // The log records what the unit decided about a booking central changed.
        if (breach) {
          audits.push({
            action: 'change',
            patientId: patient.id,
            entity: 'booking',
            entityId: bookingId,
            detail: { op: 'sync.web_rejected', rule: breach.code },
          });
          if (movedFrom) restores.push({ rejectedId: bookingId, breach, fromId: movedFrom.fromId });
          else rejectWebBooking(ctx, bookingId, breach, null);
          out.conflicts++;
        } else if (ACTIVE.has(status) && slotChangePending && s.slotReopen.run(now, slot.id).changes === 1) {
          // The unit removed the slot while a patient booked it on the web: the booking stands (at the
          // desk a booked slot cannot be removed either); the slot goes back in the book, and staff are told.
          recordConflict(ctx, {
            entity: 'booking',
            entityId: bookingId,
            kind: 'rejected',
            detail: { reason: REMOVAL_UNDONE_SV, rule: 'removal_undone', slotId: slot.id, patientId: patient.id },
          });
          audits.push({ action: 'change', entity: 'slot', entityId: slot.id, detail: { op: 'sync.removal_undone', bookingId } });
          out.conflicts++;
        }
        out.applied++;
      }
    }
    for (const { id, f } of links) {
      const from = f.rebookedFromRef ? bookingIdOf(s, f.rebookedFromRef) : null;
      const to = f.rebookedToRef ? bookingIdOf(s, f.rebookedToRef) : null;
      const current = (s.bookingById.get(id) as { status: string }).status;
      if (from || to) s.bookingLinks.run(from, to, f.status === 'rebooked' && to ? 'rebooked' : current, id);
      if (f.status === 'rebooked' && !to && f.rebookedToRef) {
        // Its new half has not arrived yet (a later page): link when it does.
        s.awaitLink.run(`rebooked-to:${refId(f.rebookedToRef, 'Appointment')}`, id, now);
      }
      const remote = (s.bookingById.get(id) as Known).remote_id;
      const waiting = s.linkWaiting.get(`rebooked-to:${remote}`) as { cursor: string } | undefined;
      if (waiting) {
        s.rebookedTo.run(id, waiting.cursor);
        s.linkDone.run(`rebooked-to:${remote}`);
      }
    }
    // A rejected rebooking whose old half arrived now (this page, or push reading central): give back.
    for (const { id } of links) {
      const held = s.linkWaiting.get(`${REJECTED_REBOOKING}${id}`) as { cursor: string } | undefined;
      if (!held || ACTIVE.has((s.bookingById.get(id) as { status: string }).status)) continue;
      s.linkDone.run(`${REJECTED_REBOOKING}${id}`);
      restores.push({ ...(JSON.parse(held.cursor) as { rejectedId: string; breach: RuleBreach }), fromId: id, queued: true });
    }
    for (const r of restores) {
      if (ACTIVE.has((s.bookingById.get(r.fromId) as { status: string }).status)) {
        // Its old half (cancelled on central in the same transaction) is on a later page: here the
        // patient still holds the old time. The rejection goes to central now; the old time is
        // given back, and Konflikter told, when that half is applied (above), as if both came together.
        s.awaitLink.run(`${REJECTED_REBOOKING}${r.fromId}`, JSON.stringify({ rejectedId: r.rejectedId, breach: r.breach }), now);
        requeue(ctx, r.rejectedId);
        continue;
      }
      const back = restoreOldTime(ctx, r.fromId);
      if (back) {
        out.ids.push(back);
        audits.push({
          action: 'change',
          patientId: (s.bookingPatient.get(back) as { patient_id: string }).patient_id,
          entity: 'booking',
          entityId: back,
          detail: { op: 'sync.rebooking_rejected', rejectedId: r.rejectedId },
        });
      }
      rejectWebBooking(ctx, r.rejectedId, r.breach, back, !r.queued);
    }
    if (audits.length) recordAuditEvents(ctx, SYNC_CALLER, audits);
    // A time held on återbudslistan that this page booked for someone else (a patient on 1177,
    // another desk) or closed is given back to the list, in the page's transaction.
    releaseOffersNoLongerFree(ctx, SYNC_CALLER);
  })();
  return out;
}

const ACTIVE = new Set(['preliminary', 'booked', 'arrived', 'completed', 'no_show']);

/**
 * What a patient did on 1177 that a pulled Appointment brings, as the audit op: a new web booking
 * (a rebooking's new half names its old), or her cancellation of a booking active here. Null for
 * anything else, and where another event records it: a rebooking's old half (its new half's), a
 * rejected booking or a late cancellation (the unit's decision). Runs only on a change of the row
 * (pull skips a version it holds), so a page pulled twice logs once.
 */
function patientsWebChange(
  f: AppointmentFields,
  before: string | null,
  status: string,
  decided: boolean,
): 'sync.web_booked' | 'sync.web_rebooked' | 'sync.web_cancelled' | null {
  if (decided) return null;
  if (before === null) return f.channel !== 'web' ? null : f.rebookedFromRef ? 'sync.web_rebooked' : 'sync.web_booked';
  const cancelledHere = ACTIVE.has(before) && !ACTIVE.has(status);
  return cancelledHere && f.cancelledVia === 'web' && !f.rebookedToRef ? 'sync.web_cancelled' : null;
}

type TypeRef = { id: string; code: string; contact_modes: string };

/**
 * An appointment type another desk of the unit created or changed (its HealthcareService): the
 * local row is found by central id, our identifier, or (not yet linked) its code, keeps its id,
 * and takes every column central carries; a type deactivated there is deactivated here, never
 * deleted. A row with a change of its own still queued is left to push (the same rule as for
 * slots and bookings: the unit's schedule is re-sent on central's current version, so the desk
 * that reaches central last wins, with its whole row). Returns the row, or null when nothing applied.
 */
function applyType(
  ctx: ServiceContext,
  hs: HealthcareService,
  skip: (local: Known | undefined) => boolean,
  audits: AuditInput[],
): TypeRef | null {
  const f = healthcareServiceFields(hs);
  const unit = ourUnit(ctx);
  // Another unit's service (possible only when handed resources outside the unit's feed).
  if (!f || !unit || refId(hs.providedBy?.reference, 'Organization') !== unit.remote_id) return null;
  const mine = ourId(hs);
  const byCode = stmt(ctx, `SELECT * FROM appointment_types WHERE unit_id = ? AND code = ?`);
  const local = (stmt(ctx, `SELECT * FROM appointment_types WHERE remote_id = ?`).get(hs.id) ??
    (mine ? stmt(ctx, `SELECT * FROM appointment_types WHERE id = ?`).get(mine) : undefined) ??
    (byCode.get(unit.id, f.code) as Known | undefined)) as (Known & Record<string, unknown>) | undefined;
  if (unchanged(local, hs) || skip(local)) return null;
  // One code, one type: a code held by another type here (linked to another central service)
  // cannot be taken over; that type's own change will move it first.
  const holder = byCode.get(unit.id, f.code) as Known | undefined;
  if (holder && holder.id !== local?.id) return null;
  if (local && local.remote_id !== null && local.remote_id !== hs.id) return null;
  const { code, ...rest } = f;
  const now = ctx.now();
  let id: string;
  let changed: string[];
  if (local) {
    id = local.id;
    const cols = Object.entries({ code, ...rest });
    changed = cols.filter(([c, v]) => local[c] !== v).map(([c]) => c);
    stmt(
      ctx,
      `UPDATE appointment_types SET ${cols.map(([c]) => `${c} = ?`).join(', ')}, remote_id = ?, remote_version = ?,
         version = version + 1, updated_at = ?, updated_by = 'central' WHERE id = ?`,
    ).run(...cols.map(([, v]) => v), hs.id, hs.meta!.versionId, now, id);
  } else {
    id = mine ?? localIdForRemote('HealthcareService', hs.id!);
    // name_en is required here; a service from a desk that did not send it shows the Swedish name.
    // A type this desk deleted (its outbox keeps the deletion) is not brought back.
    if (f.name_sv === undefined || stmt(ctx, DELETED_HERE).get(id)) return null;
    const cols = Object.entries({ name_en: f.name_sv, duration_min: 30, contact_modes: '["physical"]', ...f });
    changed = cols.map(([c]) => c);
    stmt(
      ctx,
      `INSERT INTO appointment_types (id, unit_id, ${cols.map(([c]) => c).join(', ')}, remote_id, remote_version, updated_at, updated_by)
         VALUES (?, ?, ${cols.map(() => '?').join(', ')}, ?, ?, ?, 'central')`,
    ).run(id, unit.id, ...cols.map(([, v]) => v), hs.id, hs.meta!.versionId, now);
  }
  // From central's time of this version on, web bookings are judged by these rules (web-rules.ts).
  if (hs.meta?.lastUpdated) noteTypeRulesOnCentral(ctx, id, Date.parse(hs.meta.lastUpdated));
  if (changed.length) {
    audits.push({
      action: 'change',
      entity: 'appointment_type',
      entityId: id,
      detail: { op: local ? 'sync.type_changed' : 'sync.type_added', code, changed },
    });
  }
  return stmt(ctx, `SELECT id, code, contact_modes FROM appointment_types WHERE id = ?`).get(id) as TypeRef;
}

/** A type this desk deleted: appointment-types.ts queues the deletion with `deleted: true`. */
const DELETED_HERE = `SELECT 1 FROM outbox WHERE entity = 'appointment_type' AND entity_id = ? AND json_extract(payload, '$.deleted') = 1`;

const RESOURCE_COLUMNS = ['name', 'profession', 'title', 'hsa_id', 'active'] as const;

const TEMPLATE_COLUMNS = [
  'resource_id',
  'name',
  'weekdays',
  'every_n_weeks',
  'valid_from',
  'valid_to',
  'start_time',
  'end_time',
  'slot_min',
  'appointment_type_ids',
  'publish_web',
  'within_care_guarantee',
  'skip_holidays',
  'active',
] as const;
const ABSENCE_COLUMNS = ['resource_id', 'start_at', 'end_at', 'reason', 'state'] as const;

/**
 * A schedule template or absence another desk of the unit made or changed (its Basic): found by
 * central id or our identifier, its id kept, every column taken (a template's types mapped from
 * their codes, as a slot's). A row with a change of its own still queued is left to push (the rule
 * of types and slots: the desk whose change reaches central last wins, with its whole row).
 * Nothing more is done here: a template is not laid out (the sender's slots come by the Slot feed,
 * and this desk's horizon makes the same ids), and an absence blocks nothing (its blocked slots come
 * by the Slot feed) but is listed, and its bookings offered for rebooking, as on the desk that made
 * it. Deactivation and withdrawal are columns; nothing is deleted. Returns the local id, or null.
 */
function applyPlanning(
  ctx: ServiceContext,
  b: Basic,
  types: Map<string, TypeRef>,
  skip: (local: Known | undefined) => boolean,
  audits: AuditInput[],
): string | null {
  const f = basicFields(b);
  const unit = ourUnit(ctx);
  if (!f || !unit || refId(b.author?.reference, 'Organization') !== unit.remote_id) return null;
  // Its clinician or room came by the resource feeds before it (push sends those first).
  const resource = stmt(ctx, `SELECT unit_id FROM resources WHERE id = ?`).get(f.resource_id) as { unit_id: string } | undefined;
  if (resource?.unit_id !== unit.id) return null;
  const template = f.kind === 'template';
  const table = template ? 'schedule_templates' : 'absences';
  const local = (stmt(ctx, `SELECT * FROM ${table} WHERE remote_id = ?`).get(b.id) ??
    stmt(ctx, `SELECT * FROM ${table} WHERE id = ?`).get(f.id)) as (Known & Record<string, unknown>) | undefined;
  if (unchanged(local, b) || skip(local)) return null;
  let values: Record<string, unknown>;
  if (f.kind === 'template') {
    const typeIds = f.typeCodes.map((c) => types.get(c)?.id).filter((x): x is string => x !== undefined);
    if (typeIds.length === 0) return null; // types this unit does not have
    const { kind: _k, id: _i, typeCodes: _c, ...columns } = f;
    values = { ...columns, appointment_type_ids: JSON.stringify(typeIds) };
  } else {
    const { kind: _k, id: _i, ...columns } = f;
    values = columns;
  }
  const cols = template ? TEMPLATE_COLUMNS : ABSENCE_COLUMNS;
  const now = ctx.now();
  const id = local?.id ?? f.id;
  const changed = cols.filter((c) => local?.[c] !== values[c]);
  if (local) {
    stmt(
      ctx,
      `UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')}, remote_id = ?, remote_version = ?,
         version = version + 1, updated_at = ?, updated_by = 'central' WHERE id = ?`,
    ).run(...cols.map((c) => values[c]), b.id, b.meta!.versionId, now, id);
  } else {
    stmt(
      ctx,
      `INSERT INTO ${table} (id, ${cols.join(', ')}, remote_id, remote_version, updated_at, updated_by)
         VALUES (?, ${cols.map(() => '?').join(', ')}, ?, ?, ?, 'central')`,
    ).run(id, ...cols.map((c) => values[c]), b.id, b.meta!.versionId, now);
  }
  if (!template && values['state'] === 'active') {
    // Its slots blocked here (by the Slot feed) before it arrived are the absence's: withdrawing it
    // here opens them. Those whose Slot named it (slot-absence); from a desk older than that, those
    // carrying its reason, unless their Slot said they were blocked by hand.
    stmt(
      ctx,
      `UPDATE slots SET absence_id = ? WHERE state = 'blocked'
          AND id IN (SELECT substr(feed, ${SLOT_ABSENCE.length + 1}) FROM sync_state WHERE feed >= ? AND feed < ? AND cursor = ?)`,
    ).run(id, SLOT_ABSENCE, `${SLOT_ABSENCE}\uffff`, id);
    stmt(ctx, `DELETE FROM sync_state WHERE feed >= ? AND feed < ? AND cursor = ?`).run(
      SLOT_ABSENCE,
      `${SLOT_ABSENCE}\uffff`,
      id,
    );
    stmt(
      ctx,
      `UPDATE slots SET absence_id = ? WHERE resource_id = ? AND state = 'blocked' AND absence_id IS NULL
          AND start_at < ? AND end_at > ? AND start_at > ? AND block_reason IN (?, ?)
          AND NOT EXISTS (SELECT 1 FROM sync_state WHERE feed = '${SLOT_ABSENCE}' || slots.id)`,
    ).run(
      id,
      values['resource_id'],
      values['end_at'],
      values['start_at'],
      (values['start_at'] as number) - 8 * 3_600_000,
      values['reason'],
      (values['reason'] as string) || 'Frånvaro',
    );
  }
  if (changed.length) {
    const what = template ? 'template' : 'absence';
    audits.push({
      action: 'change',
      entity: template ? 'schedule_template' : 'absence',
      entityId: id,
      detail: { op: local ? `sync.${what}_changed` : `sync.${what}_added`, changed },
    });
  }
  return id;
}

function removedFirst(resources: Resource[]): Resource[] {
  const removed = (r: Resource) => (r as Slot).status === 'entered-in-error';
  return [...resources.filter(removed), ...resources.filter((r) => !removed(r))];
}

/**
 * sync_state key of a pulled blocked slot whose Slot said who blocked it (`slot-absence`): the value
 * is the absence, not here yet (linked when its Basic arrives), or '' for a block by hand (never
 * linked to an absence by its reason text).
 */
const SLOT_ABSENCE = 'slot-absence:';

/**
 * Which absence a pulled slot's block is: the one its Slot names (`slot-absence`), none for a block
 * by hand, or (a Slot from a desk older than the extension) by its reason text (linkAbsence).
 */
function linkBlock(ctx: ServiceContext, slotId: string, state: string, absenceId: string | null | undefined): void {
  const s = stmts(ctx);
  s.linkDone.run(`${SLOT_ABSENCE}${slotId}`);
  // Opened (or removed) at central: no absence blocks it any more.
  if (state !== 'blocked')
    return void stmt(ctx, `UPDATE slots SET absence_id = NULL WHERE id = ? AND state <> 'blocked'`).run(slotId);
  if (absenceId === undefined) return linkAbsence(ctx, slotId);
  const known = absenceId !== null && stmt(ctx, `SELECT 1 FROM absences WHERE id = ?`).get(absenceId) !== undefined;
  stmt(ctx, `UPDATE slots SET absence_id = ? WHERE id = ?`).run(known ? absenceId : null, slotId);
  if (!known) s.awaitLink.run(`${SLOT_ABSENCE}${slotId}`, absenceId ?? '', ctx.now());
}

/**
 * A pulled blocked slot inside an active absence here is that absence's (withdrawing it opens the
 * slot): the one its block reason names, the first registered of them as the absences service picks
 * when absences overlap (an absence's blocks carry its reason, or "Frånvaro"). A block whose reason
 * names no covering absence is a scheduler's own (a meeting inside a week of sick leave) and stays
 * one, so no withdrawal here opens it.
 */
function linkAbsence(ctx: ServiceContext, slotId: string): void {
  stmt(
    ctx,
    `UPDATE slots SET absence_id = (SELECT a.id FROM absences a WHERE a.resource_id = slots.resource_id AND a.state = 'active'
                                      AND a.start_at < slots.end_at AND a.end_at > slots.start_at
                                      AND slots.block_reason IN (a.reason, coalesce(nullif(a.reason, ''), 'Frånvaro')) ORDER BY a.id LIMIT 1)
      WHERE id = ? AND state = 'blocked'`,
  ).run(slotId);
}

/**
 * A clinician, room or equipment another desk of the unit added or changed: found by our id (or
 * its Schedule's central id), its id kept, the columns central carries taken, and its Schedule's
 * id and version kept as the row's remote (push updates the Schedule). Deactivation is a column
 * (the slots it removed come through the Slot feed); nothing is deleted. A row with a change of its
 * own still queued is left to push, as for types. Returns the local id, or null when nothing applied.
 */
function applyResource(
  ctx: ServiceContext,
  r: PractitionerRole | Location,
  schedules: Map<string | null, Schedule>,
  skip: (local: Known | undefined) => boolean,
  audits: AuditInput[],
): string | null {
  const mine = ourId(r);
  const schedule = schedules.get(mine);
  const f = resourceFields(r, schedule);
  const unit = ourUnit(ctx);
  const org = r.resourceType === 'PractitionerRole' ? r.organization?.reference : r.managingOrganization?.reference;
  if (!f || !schedule?.id || !unit || refId(org, 'Organization') !== unit.remote_id) return null;
  const local = (stmt(ctx, `SELECT * FROM resources WHERE id = ?`).get(f.id) ??
    stmt(ctx, `SELECT * FROM resources WHERE remote_id = ?`).get(schedule.id)) as (Known & Record<string, unknown>) | undefined;
  if (skip(local) || (local && local.kind !== f.kind)) return null;
  const now = ctx.now();
  const version = schedule.meta!.versionId!;
  // What an older desk did not send (its HSA-id) keeps the local value.
  const carried = RESOURCE_COLUMNS.filter((c) => f[c] !== undefined);
  if (local) {
    const changed = carried.filter((c) => local[c] !== f[c]);
    if (changed.length === 0 && local.remote_id === schedule.id && local.remote_version === version) return null;
    stmt(
      ctx,
      `UPDATE resources SET ${carried.map((c) => `${c} = ?`).join(', ')}, remote_id = ?, remote_version = ?,
         version = version + 1, updated_at = ?, updated_by = 'central' WHERE id = ?`,
    ).run(...carried.map((c) => f[c]), schedule.id, version, now, local.id);
    if (changed.length) {
      audits.push({ action: 'change', entity: 'resource', entityId: local.id, detail: { op: 'sync.resource_changed', changed } });
    }
    return local.id;
  }
  stmt(
    ctx,
    `INSERT INTO resources (id, unit_id, kind, ${carried.join(', ')}, sort_order, remote_id, remote_version, updated_at, updated_by)
       VALUES (?, ?, ?, ${carried.map(() => '?').join(', ')},
               (SELECT coalesce(max(sort_order), -1) + 1 FROM resources WHERE unit_id = ?), ?, ?, ?, 'central')`,
  ).run(f.id, unit.id, f.kind, ...carried.map((c) => f[c]), unit.id, schedule.id, version, now);
  stmt(ctx, `INSERT OR REPLACE INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)`).run(
    `${CATCH_UP}${f.id}`,
    schedule.id,
    now,
  );
  audits.push({ action: 'change', entity: 'resource', entityId: f.id, detail: { op: 'sync.resource_added', kind: f.kind } });
  return f.id;
}

/** Who changes the book when central's changes are applied (audit log: no user, workstation 'sync'). */
/** A live slot of the resource at that start other than `id` (the unique index allows one). */
function liveTwin(ctx: ServiceContext, resourceId: string, startAt: number, id: string): { id: string } | undefined {
  return stmt(ctx, `SELECT id FROM slots WHERE resource_id = ? AND start_at = ? AND state <> 'removed' AND id <> ?`).get(
    resourceId,
    startAt,
    id,
  ) as { id: string } | undefined;
}

/**
 * Which of two live slots at one time stays, decided alike on every desk: the one with a booking
 * (here, or busy at central), else the smaller id.
 */
function twinPulledWins(ctx: ServiceContext, twin: { id: string }, pulledId: string, pulledStatus: Slot['status']): boolean {
  const twinBooked =
    stmt(ctx, `SELECT 1 FROM bookings WHERE slot_id = ? AND status IN ${ACTIVE_BOOKING_STATUSES}`).get(twin.id) !== undefined;
  // busy-tentative is a time held on a desk's återbudslista, not a booking: that desk counts it free too.
  const pulledBooked = pulledStatus === 'busy';
  if (twinBooked !== pulledBooked) return pulledBooked;
  return pulledId < twin.id;
}

/** The losing twin is removed here and the removal queued for central; the audit log says why. */
function retireTwin(ctx: ServiceContext, loserId: string, keptId: string): void {
  stmt(
    ctx,
    `UPDATE slots SET state = 'removed', version = version + 1, updated_at = ?, updated_by = 'sync' WHERE id = ? AND state <> 'removed'`,
  ).run(ctx.now(), loserId);
  enqueueOutbox(ctx, 'slot', loserId, 'update', getSlot(ctx, loserId));
  recordAudit(ctx, SYNC_CALLER, {
    action: 'change',
    entity: 'slot',
    entityId: loserId,
    detail: { op: 'remove', why: 'twin', kept: keptId },
  });
}

export const SYNC_CALLER: Caller = {
  userId: null,
  username: 'sync',
  displayName: 'Synkronisering',
  roles: [],
  workstation: 'sync',
};

/**
 * sync_state key of a booking whose web rebooking was rejected before its own half (cancelled,
 * rebooked-to) arrived; the value holds the rejected booking and the rule.
 */
const REJECTED_REBOOKING = 'rebooking-rejected:';

/** sync_state key of a slot central holds booked while it is closed here (pull, Slot then Appointment). */
const CLOSED_SLOT = 'closed-slot:';

/** Reason code of a web booking the unit's rules did not let in. */
export const WEB_REJECTED = 'WEB_REJECTED';

const REMOVAL_UNDONE_SV =
  'Tiden kunde inte tas bort: en patient bokade den via webben innan borttagningen nådde den centrala tidboken. Tiden och bokningen står kvar.';

function unreadablePatient(ctx: ServiceContext, slotId: string, appointmentId: string): number {
  const seen = ctx.db
    .prepare(`SELECT 1 FROM conflicts WHERE entity = 'slot' AND entity_id = ? AND json_extract(detail, '$.appointment') = ?`)
    .get(slotId, appointmentId);
  if (seen) return 0;
  const where = ctx.db
    .prepare(`SELECT s.start_at, r.name FROM slots s JOIN resources r ON r.id = s.resource_id WHERE s.id = ?`)
    .get(slotId) as { start_at: number; name: string };
  const tz = unitTimeZone(ctx);
  recordConflict(ctx, {
    entity: 'slot',
    entityId: slotId,
    kind: 'rejected',
    detail: {
      reason:
        `Tiden ${localDate(where.start_at, tz)} kl. ${localTime(where.start_at, tz)} hos ${where.name} är bokad i den centrala ` +
        'tidboken av en patient utan personnummer, samordningsnummer eller reservnummer som går att läsa; bokningen kunde inte ' +
        'läggas in här. Kontrollera den i den centrala tidboken.',
      rule: 'unreadable_patient',
      appointment: appointmentId,
      slotId,
    },
  });
  return 1;
}

/** The local booking a web rebooking moved (by its central reference), with the start it had. */
function movedBooking(ctx: ServiceContext, s: Stmts, ref: string): { fromId: string; fromStartAt: number } | undefined {
  const id = bookingIdOf(s, ref);
  if (!id) return undefined;
  const r = ctx.db.prepare(`SELECT s.start_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.id = ?`).get(id) as {
    start_at: number;
  };
  return { fromId: id, fromStartAt: r.start_at };
}

/**
 * Books the patient's old time again after their web rebooking was rejected: a new booking of the
 * old slot, a claim like a desk booking (preliminary until central confirms it; if the slot was
 * taken meanwhile, a slot_taken conflict). Only when the old time is free here; returns its id.
 */
function restoreOldTime(ctx: ServiceContext, fromId: string): string | null {
  const old = ctx.db.prepare(`SELECT * FROM bookings WHERE id = ?`).get(fromId) as {
    slot_id: string;
    patient_id: string;
    appointment_type_id: string;
    contact_mode: string;
    channel: string;
    note: string;
    status: string;
    reason_code: string | null;
    reason_text: string | null;
  };
  if (ACTIVE.has(old.status) || stmts(ctx).activeOnSlot.get(old.slot_id, '') !== undefined) return null;
  const id = ctx.newId();
  const now = ctx.now();
  stmts(ctx).bookingInsert.run(
    id,
    old.slot_id,
    old.patient_id,
    old.appointment_type_id,
    old.contact_mode,
    'preliminary',
    old.channel,
    old.note,
    // The same visit, booked again: why the patient came goes with it.
    old.reason_code,
    old.reason_text,
    null,
    null,
    now,
    'sync',
    null,
    null,
    now,
  );
  requeue(ctx, id);
  return id;
}

/**
 * A web booking that breaks the unit's rules (inserted cancelled, with the rule as its reason): its
 * cancellation goes to central (which frees the slot there and can tell the patient), and the
 * patient goes to the Konflikter inbox with free times of the type to offer instead, or, for a
 * rejected rebooking whose old time was booked again (`restoredId`), told so.
 */
function rejectWebBooking(
  ctx: ServiceContext,
  bookingId: string,
  breach: RuleBreach,
  restoredId: string | null,
  send = true,
): void {
  const b = ctx.db
    .prepare(
      `SELECT b.patient_id, b.slot_id, b.appointment_type_id, s.start_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.id = ?`,
    )
    .get(bookingId) as { patient_id: string; slot_id: string; appointment_type_id: string; start_at: number };
  if (send) requeue(ctx, bookingId);
  recordConflict(ctx, {
    entity: 'booking',
    entityId: bookingId,
    kind: 'rejected',
    detail: {
      reason:
        restoredId !== null
          ? `Ombokningen via webben avvisades: ${breach.messageSv} Patientens tidigare tid är bokad igen.`
          : `Webbokningen avvisades: ${breach.messageSv} Kontakta patienten och erbjud en annan tid.`,
      rule: breach.code,
      ...(restoredId !== null ? { restoredBookingId: restoredId } : {}),
      patientId: b.patient_id,
      slotId: b.slot_id,
      startAt: b.start_at,
      appointmentTypeId: b.appointment_type_id,
    },
    suggested:
      restoredId !== null ? [] : suggestFreeSlots(ctx, b.appointment_type_id, Math.max(ctx.now(), b.start_at - 7 * 86_400_000)),
  });
}

function bookingIdOf(s: Stmts, ref: string): string | null {
  const remote = refId(ref, 'Appointment');
  return remote ? ((s.bookingByRemote.get(remote) as { id: string } | undefined)?.id ?? null) : null;
}

function firstTypeOfSlot(
  ctx: ServiceContext,
  slotId: string,
  types: Map<string, { id: string; code: string; contact_modes: string }>,
) {
  const ids = JSON.parse(
    (stmts(ctx).slotTypeIds.get(slotId) as { appointment_type_ids: string }).appointment_type_ids,
  ) as string[];
  return [...types.values()].find((t) => t.id === ids[0]);
}

/**
 * Central holds the slot for another booking: a local active booking on it loses. One the central
 * side never confirmed becomes a slot_taken conflict; one it did is stale (central moved on).
 */
function yieldSlot(ctx: ServiceContext, slotId: string, winnerId: string, out: ApplyResult): number {
  const losers = stmts(ctx).activeOnSlot.all(slotId, winnerId) as { id: string; remote_id: string | null; status: string }[];
  let conflicts = 0;
  for (const l of losers) {
    const pending = hasPendingOutbox(ctx, l.id);
    if (l.remote_id === null) {
      resolveSlotTaken(ctx, l.id, 'Tiden bokades via webben (eller en annan kassa) medan bokningen väntade på att skickas.');
      conflicts++;
    } else {
      ctx.db
        .prepare(`UPDATE bookings SET status = 'cancelled', version = version + 1, updated_at = ? WHERE id = ?`)
        .run(ctx.now(), l.id);
      if (pending) {
        settleOutbox(ctx, l.id, Number.MAX_SAFE_INTEGER);
        recordConflict(ctx, {
          entity: 'booking',
          entityId: l.id,
          kind: 'stale_version',
          detail: { wanted: l.status, central: 'cancelled', slotId },
        });
        conflicts++;
      }
    }
    out.ids.push(l.id);
  }
  return conflicts;
}

/** Makes sure the booking's current row will be pushed (it has a queued entry). */
function requeue(ctx: ServiceContext, bookingId: string): void {
  if (hasPendingOutbox(ctx, bookingId)) return;
  ctx.db
    .prepare(`INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES ('booking', ?, 'create', '{}', ?)`)
    .run(bookingId, ctx.now());
}

/**
 * A booking the central side never accepted because its slot was taken: it is cancelled
 * locally (never silently dropped) and a conflict with free alternatives goes to the inbox. If it
 * was the new half of an unsent rebooking, the patient's old booking is restored.
 */
export function resolveSlotTaken(ctx: ServiceContext, bookingId: string, reasonSv: string): string {
  const b = ctx.db
    .prepare(`SELECT b.*, s.start_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.id = ?`)
    .get(bookingId) as {
    id: string;
    slot_id: string;
    patient_id: string;
    appointment_type_id: string;
    status: string;
    rebooked_from: string | null;
    start_at: number;
  };
  const now = ctx.now();
  ctx.db
    .prepare(
      `UPDATE bookings SET status = 'cancelled', cancel_reason_code = 'SYNC_CONFLICT', cancel_reason_text = ?, version = version + 1, updated_at = ?,
         updated_by = 'sync' WHERE id = ?`,
    )
    .run(reasonSv, now, b.id);
  // It still goes to central, as a cancelled booking: every database and central then hold the
  // same rows, and the attempt is on record there too.
  requeue(ctx, b.id);
  let restored: string | null = null;
  if (b.rebooked_from) {
    const old = ctx.db
      .prepare(`SELECT status, rebooked_to, remote_id, slot_id FROM bookings WHERE id = ?`)
      .get(b.rebooked_from) as {
      status: string;
      rebooked_to: string | null;
      remote_id: string | null;
      slot_id: string;
    };
    if (old.status === 'rebooked' && old.rebooked_to === b.id && hasPendingOutbox(ctx, b.rebooked_from)) {
      const squatters = stmts(ctx).activeOnSlot.all(old.slot_id, b.rebooked_from) as { id: string; remote_id: string | null }[];
      // The move did not happen: the old time loses the reason it was moved for (it keeps its visit's).
      const restore = ctx.db.prepare(
        `UPDATE bookings SET status = ?, rebooked_to = NULL, cancel_reason_code = NULL, cancel_reason_text = NULL, version = version + 1,
           updated_at = ? WHERE id = ?`,
      );
      if (old.remote_id !== null) {
        // Central still holds the old time for this patient: it stands. A later local booking of
        // that slot was never confirmed (central had it busy), so it loses in turn.
        for (const q of squatters) if (q.remote_id === null) resolveSlotTaken(ctx, q.id, reasonSv);
        restore.run('booked', now, b.rebooked_from);
        settleOutbox(ctx, b.rebooked_from, Number.MAX_SAFE_INTEGER);
        restored = b.rebooked_from;
      } else if (squatters.length === 0) {
        // The old time never reached central either: it goes back to being an unconfirmed claim.
        restore.run('preliminary', now, b.rebooked_from);
        restored = b.rebooked_from;
      } else {
        // Its old slot is taken here meanwhile: the patient has neither; the conflict says so.
        restore.run('cancelled', now, b.rebooked_from);
        requeue(ctx, b.rebooked_from);
      }
    }
  }
  recordAudit(ctx, SYNC_CALLER, {
    action: 'change',
    patientId: b.patient_id,
    entity: 'booking',
    entityId: b.id,
    detail: { op: 'sync.slot_taken', restoredBookingId: restored },
  });
  return recordConflict(ctx, {
    entity: 'booking',
    entityId: b.id,
    kind: 'slot_taken',
    detail: {
      patientId: b.patient_id,
      slotId: b.slot_id,
      startAt: b.start_at,
      appointmentTypeId: b.appointment_type_id,
      wanted: b.status,
      reason: reasonSv,
      restoredBookingId: restored,
    },
    suggested: suggestFreeSlots(ctx, b.appointment_type_id, Math.max(now, b.start_at - 7 * 86_400_000)),
  });
}

/**
 * The desk moved a booking that central meanwhile changed (central wins): the new half of the move,
 * never confirmed by central, is cancelled too (the two halves stand or fall together) and still
 * sent, as cancelled, so every database holds the same rows; the old one no longer points at it.
 * Returns the new half's id, or null when there was nothing to undo.
 */
export function voidUnsentRebooking(ctx: ServiceContext, oldId: string, newId: string): string | null {
  const now = ctx.now();
  const n = ctx.db
    .prepare(
      `UPDATE bookings SET status = 'cancelled', cancel_reason_code = 'SYNC_CONFLICT', cancel_reason_text = ?, version = version + 1, updated_at = ?, updated_by = 'sync'
        WHERE id = ? AND remote_id IS NULL AND status IN ${ACTIVE_BOOKING_STATUSES}`,
    )
    .run(REBOOKING_VOID_SV, now, newId).changes;
  if (n === 0) return null;
  ctx.db
    .prepare(
      `UPDATE bookings SET rebooked_to = NULL, version = version + 1, updated_at = ? WHERE id = ? AND status <> 'rebooked'`,
    )
    .run(now, oldId);
  requeue(ctx, newId);
  const b = ctx.db.prepare(`SELECT patient_id FROM bookings WHERE id = ?`).get(newId) as { patient_id: string };
  recordAudit(ctx, SYNC_CALLER, {
    action: 'change',
    patientId: b.patient_id,
    entity: 'booking',
    entityId: newId,
    detail: { op: 'sync.rebooking_void', oldBookingId: oldId },
  });
  return newId;
}

const REBOOKING_VOID_SV =
  'Ombokningen gjordes inte: bokningen ändrades centralt (t.ex. av patienten via 1177) innan ombokningen nådde den centrala tidboken.';

/**
 * A Patient from central: one an appointment of the unit names, or the Patient feed's change of a
 * patient of the unit (another desk's edit: names, contact details, protection, the identity
 * number). Found by central id, our id, then the number. A number that another patient holds here
 * is not taken (the unique index; whether they are one person is for staff to decide): the rest of
 * the change applies, Konflikter asks staff (once) and the access log says which number was not
 * taken. Pulling is no staff read: nothing is logged as read.
 */
function applyPatient(
  ctx: ServiceContext,
  p: Patient,
  today: string,
  skip: (local: Known | undefined) => boolean,
  audits: AuditInput[],
): string | null {
  const s = stmts(ctx);
  const f = patientFields(p, today);
  if (!f) return null;
  const mine = ourId(p);
  const local = (s.patientByRemote.get(p.id) ??
    (mine ? s.patientById.get(mine) : undefined) ??
    s.patientByNumber.get(f.identityNumber)) as Known | undefined;
  if (unchanged(local, p) || skip(local)) return null;
  const contact = [f.givenName, f.familyName, f.phone, f.email, f.address, f.protectedIdentity ? 1 : 0] as const;
  if (!local) {
    const id = mine ?? localIdForRemote('Patient', p.id!);
    s.patientInsert.run(id, f.identityNumber, f.identityKind, ...contact, p.id, p.meta!.versionId, ctx.now());
    return id;
  }
  const holder = s.patientByNumber.get(f.identityNumber) as Known | undefined;
  const here = s.patientIdentity.get(local.id) as { identity_number: string; identity_kind: string };
  const clash = holder !== undefined && holder.id !== local.id;
  if (clash) {
    audits.push({
      action: 'change',
      patientId: local.id,
      entity: 'patient',
      entityId: local.id,
      detail: { op: 'sync.identity_not_taken', centralIdentityNumber: f.identityNumber, heldBy: holder.id },
    });
    // Staff decide whether they are one person: once in Konflikter while the question is open.
    const asked = ctx.db
      .prepare(
        `SELECT 1 FROM conflicts WHERE entity = 'patient' AND entity_id = ? AND resolved_at IS NULL
            AND json_extract(detail, '$.identityClash.central') = ? LIMIT 1`,
      )
      .get(local.id, f.identityNumber);
    if (!asked) {
      recordConflict(ctx, {
        entity: 'patient',
        entityId: local.id,
        kind: 'stale_version',
        detail: { identityClash: { central: f.identityNumber, heldBy: holder.id } },
      });
    }
  }
  const [number, kind] = clash ? [here.identity_number, here.identity_kind] : [f.identityNumber, f.identityKind];
  s.patientUpdate.run(number, kind, ...contact, p.id, p.meta!.versionId, ctx.now(), local.id);
  return local.id;
}

const foreignSlots = new WeakMap<ServiceContext['db'], Set<string>>();

async function readByIds(api: CentralApi, type: string, ids: string[]): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    out.push(...(await api.searchAll(type, { _id: chunk.join(','), _count: String(chunk.length) })));
  }
  return out;
}

/**
 * Slots and patients that appointments refer to but this desk has not seen: a slot another desk
 * of the unit created, a patient who booked on the web. Read now (in bulk), so the appointment
 * is applied with its page instead of being passed by the cursor. Patients are read only for
 * this unit's slots: a desk keeps no copy of other units' patients.
 */
export async function missingReferences(ctx: ServiceContext, api: CentralApi, resources: Resource[]): Promise<Resource[]> {
  const s = stmts(ctx);
  const foreign = foreignSlots.get(ctx.db) ?? new Set<string>();
  foreignSlots.set(ctx.db, foreign);
  const appts = resources
    .filter((r): r is Appointment => r.resourceType === 'Appointment')
    .map((a) => {
      const f = appointmentFields(a);
      return { slot: refId(f.slotRef, 'Slot'), patient: refId(f.patientRef, 'Patient') };
    });
  const unknownSlots = [
    ...new Set(appts.map((a) => a.slot).filter((id): id is string => !!id && !foreign.has(id) && !s.slotByRemote.get(id))),
  ];
  const slots: Resource[] = [];
  const ours = new Set<string>();
  for (const r of await readByIds(api, 'Slot', unknownSlots)) {
    // A slot on a schedule that is not ours belongs to another unit: remember, do not ask again.
    if (onOurSchedule(ctx, r as Slot)) {
      slots.push(r);
      ours.add(r.id!);
    } else foreign.add(r.id!);
  }
  const unknownPatients = [
    ...new Set(
      appts
        .filter((a) => a.slot && (ours.has(a.slot) || s.slotByRemote.get(a.slot)))
        .map((a) => a.patient)
        .filter((id): id is string => !!id && !s.patientByRemote.get(id)),
    ),
  ];
  const patients = await readByIds(api, 'Patient', unknownPatients);
  return [...patients, ...slots];
}

const onOurSchedule = (ctx: ServiceContext, sl: Slot): boolean =>
  stmts(ctx).resourceByRemote.get(refId(sl.schedule.reference, 'Schedule')) !== undefined;

function ourUnit(ctx: ServiceContext): { id: string; remote_id: string | null; hsa_id: string } | undefined {
  return stmt(ctx, `SELECT id, remote_id, hsa_id FROM units ORDER BY rowid LIMIT 1`).get() as
    { id: string; remote_id: string | null; hsa_id: string } | undefined;
}

/**
 * The unit's own Appointments only: `_tag=<HSA system>|<the unit's HSA-id>` (mapping.ts unitTag), once
 * the unit is on central; before that, every Appointment (none of them names its slots yet).
 */
export function ourAppointments(ctx: ServiceContext): Record<string, string> {
  const unit = ourUnit(ctx);
  return unit?.remote_id && unit.hsa_id ? { _tag: unitTagSearch(unit.hsa_id) } : {};
}

/**
 * The unit's own services, resources, templates and absences only: `organization=Organization/<unit>`
 * (Basic: `author=`, both its codes in one search); null before the unit is on central.
 */
function ourOrganization(ctx: ServiceContext, feed: Feed): Record<string, string> | null {
  const remote = ourUnit(ctx)?.remote_id;
  if (!remote) return null;
  if (feed !== 'Basic') return { organization: `Organization/${remote}` };
  const codes = Object.values(BASIC_CODE).map((c) => `${RESOURCE_KIND_SYSTEM}|${c}`);
  return { author: `Organization/${remote}`, code: codes.join(',') };
}

/** Slots of this unit only: `schedule=Schedule/a,Schedule/b,…` (none before its schedules are on central). */
function ourSchedules(ctx: ServiceContext): Record<string, string> {
  const ids = (
    ctx.db.prepare(`SELECT remote_id FROM resources WHERE remote_id IS NOT NULL ORDER BY remote_id`).all() as {
      remote_id: string;
    }[]
  ).map((r) => `Schedule/${r.remote_id}`);
  return ids.length ? { schedule: ids.join(',') } : {};
}

/**
 * sync_state key of a slot whose central status (the value: `busy` or `free`) this desk's bookings did
 * not explain when its Slot page was applied: its Appointment may have been written without the
 * unit's tag (an older desk, a client that does not tag), so the Appointment feed would not bring it.
 * Written with the page; checked, read and removed after the Appointment feed (bookingsWithoutTag).
 */
const SLOT_CHECK = 'slot-check:';

/** A pending local change on the slot or on any booking of it: push, not central, decides it now. */
function changePendingOn(ctx: ServiceContext, slotId: string): boolean {
  return (
    stmt(
      ctx,
      `SELECT 1 FROM outbox WHERE state = 'pending' AND (entity_id = ? OR entity_id IN (SELECT id FROM bookings WHERE slot_id = ?)) LIMIT 1`,
    ).get(slotId, slotId) !== undefined
  );
}

/**
 * Whether central's status of a slot is unexplained here: `busy` with no active booking here and no
 * local change pending on it, or `free` while a booking here holds it that push is not about to send.
 */
function unexplained(ctx: ServiceContext, localSlotId: string | undefined, status: string): boolean {
  const held = localSlotId ? (stmts(ctx).activeOnSlot.all(localSlotId, '') as { id: string }[]) : [];
  if (status === 'busy') return held.length === 0 && !(localSlotId && changePendingOn(ctx, localSlotId));
  // busy-tentative: free but held on a desk's återbudslista.
  return (status === 'free' || status === 'busy-tentative') && held.some((b) => !hasPendingOutbox(ctx, b.id));
}

/**
 * Notes (in the page's transaction) the slots of a Slot page whose status this desk cannot explain,
 * and forgets a note whose slot came again explained. Only slot versions new here count, so an idle
 * poll (which gets its boundary entry back) writes and asks nothing. Run before the page is applied:
 * applying a Slot changes no booking.
 */
function noteSlotsOutOfStep(ctx: ServiceContext, resources: Resource[]): () => void {
  const s = stmts(ctx);
  const notes: { key: string; status: string | null }[] = [];
  for (const r of resources) {
    const sl = r as Slot;
    if (r.resourceType !== 'Slot' || !onOurSchedule(ctx, sl)) continue;
    const mine = ourId(sl);
    const local = (s.slotByRemote.get(sl.id) ?? (mine ? s.slotById.get(mine) : undefined)) as Known | undefined;
    if (unchanged(local, sl)) continue;
    notes.push({ key: `${SLOT_CHECK}${sl.id}`, status: unexplained(ctx, local?.id, sl.status) ? sl.status : null });
  }
  return () => {
    for (const n of notes) {
      if (n.status) s.awaitLink.run(n.key, n.status, ctx.now());
      else s.linkDone.run(n.key);
    }
  };
}

/**
 * The safety net for an Appointment written without the unit's tag: after the Appointment feed, the
 * noted slots still unexplained have their Appointments read (`Appointment?slot=Slot/a,Slot/b,…`, 50 a
 * search) and applied like feed entries, with the notes removed in the same transaction. With every
 * writer tagging, the feed has explained them all and nothing is read.
 */
async function bookingsWithoutTag(ctx: ServiceContext, api: CentralApi): Promise<PullResult> {
  const result: PullResult = { pulled: 0, applied: 0, conflicts: 0 };
  const noted = ctx.db
    .prepare(`SELECT feed, cursor FROM sync_state WHERE feed >= ? AND feed < ?`)
    .all(SLOT_CHECK, `${SLOT_CHECK}\uffff`) as { feed: string; cursor: string }[];
  if (noted.length === 0) return result;
  const s = stmts(ctx);
  // Only slots taken here (one of another schedule or of types not offered would apply nothing).
  const slotIds = noted
    .map((n) => ({ id: n.feed.slice(SLOT_CHECK.length), status: n.cursor }))
    .filter((n) => {
      const local = s.slotByRemote.get(n.id) as Known | undefined;
      return local !== undefined && unexplained(ctx, local.id, n.status);
    })
    .map((n) => n.id);
  const appointments: Resource[] = [];
  for (let i = 0; i < slotIds.length; i += 50) {
    const refs = slotIds.slice(i, i + 50).map((id) => `Slot/${id}`);
    appointments.push(...(await api.searchAll('Appointment', { slot: refs.join(','), _count: '500' })));
  }
  const referenced = await missingReferences(ctx, api, appointments);
  const applied = ctx.db.transaction(() => {
    const a = applyResources(ctx, [...referenced, ...appointments], { respectPending: true });
    for (const n of noted) s.linkDone.run(n.feed);
    return a;
  })();
  result.pulled = appointments.length;
  result.applied = applied.applied;
  result.conflicts = applied.conflicts;
  if (applied.ids.length) ctx.events.emit({ entities: ENTITIES_OF.Appointment, ids: [...new Set(applied.ids)] });
  return result;
}

const ENTITIES_OF: Record<Feed, string[]> = {
  HealthcareService: ['appointment_type'],
  PractitionerRole: ['resource'],
  Location: ['resource'],
  Basic: ['schedule_template', 'absence'],
  Slot: ['booking', 'slot', 'patient'],
  Appointment: ['booking', 'slot', 'patient'],
  Patient: ['patient', 'booking'],
};

/**
 * The Schedules of a page of roles and locations (the row keeps the Schedule's id and version),
 * read only for those that add or change something here: an idle poll, which gets its last role
 * back (`ge`), then costs no read. (A desk's push changes role and Schedule together.)
 */
async function schedulesOf(ctx: ServiceContext, api: CentralApi, resources: Resource[]): Promise<Resource[]> {
  const news = resources.filter((r) => {
    const f = resourceFields(r as PractitionerRole | Location, undefined);
    const local = f && (stmt(ctx, `SELECT * FROM resources WHERE id = ?`).get(f.id) as Record<string, unknown> | undefined);
    return !f || !local || local['remote_id'] === null || RESOURCE_COLUMNS.some((c) => f[c] !== undefined && local[c] !== f[c]);
  });
  const ids = [...new Set(news.map((r) => ourId(r as PractitionerRole)).filter((x): x is string => x !== null))];
  const out: Resource[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    out.push(
      ...(await api.searchAll('Schedule', { identifier: chunk.map((id) => `${ID_SYSTEM}|${id}`).join(','), _count: '50' })),
    );
  }
  return out;
}

/**
 * Reads, from the start, the slots of resources another desk created and their bookings (with the
 * patients they name), and applies them in one transaction with the end of the catch-up.
 */
async function catchUpNewSchedules(ctx: ServiceContext, api: CentralApi): Promise<PullResult> {
  const result: PullResult = { pulled: 0, applied: 0, conflicts: 0 };
  const waiting = ctx.db
    .prepare(`SELECT feed, cursor FROM sync_state WHERE feed >= ? AND feed < ?`)
    .all(CATCH_UP, `${CATCH_UP}\uffff`) as {
    feed: string;
    cursor: string;
  }[];
  if (waiting.length === 0) return result;
  const slots = await api.searchAll<Slot>('Slot', {
    schedule: waiting.map((w) => `Schedule/${w.cursor}`).join(','),
    _count: '500',
  });
  const appointments: Resource[] = [];
  for (let i = 0; i < slots.length; i += 50) {
    const refs = slots.slice(i, i + 50).map((sl) => `Slot/${sl.id}`);
    appointments.push(...(await api.searchAll('Appointment', { slot: refs.join(','), _count: '500' })));
  }
  result.pulled = slots.length + appointments.length;
  const patients = await missingReferences(ctx, api, appointments);
  const applied = ctx.db.transaction(() => {
    const a = applyResources(ctx, [...patients, ...slots, ...appointments], { respectPending: true });
    for (const w of waiting) ctx.db.prepare(`DELETE FROM sync_state WHERE feed = ?`).run(w.feed);
    return a;
  })();
  result.applied = applied.applied;
  result.conflicts = applied.conflicts;
  if (applied.ids.length) ctx.events.emit({ entities: ENTITIES_OF.Slot, ids: [...new Set(applied.ids)] });
  return result;
}

export interface PullOptions {
  pageSize?: number;
  feeds?: readonly Feed[];
}

/** Reads every feed from its cursor to the end; returns counts. Throws CentralError on failure. */
export async function pullChanges(ctx: ServiceContext, api: CentralApi, options: PullOptions = {}): Promise<PullResult> {
  const result: PullResult = { pulled: 0, applied: 0, conflicts: 0 };
  for (const feed of options.feeds ?? FEEDS) {
    const cursor = readCursor(ctx, feed);
    const organization = ourOrganization(ctx, feed);
    if (BY_ORGANIZATION.has(feed) && !organization) continue;
    // The unit's patients only: none before the unit is on central (never the region's register).
    if (feed === 'Patient' && !ourAppointments(ctx)._tag) continue;
    if (feed === 'Slot') {
      const caught = await catchUpNewSchedules(ctx, api);
      result.pulled += caught.pulled;
      result.applied += caught.applied;
      result.conflicts += caught.conflicts;
    }
    let url: string | null = searchUrl(api.baseUrl, feed, {
      ...(cursor ? { _lastUpdated: `ge${cursor}` } : {}),
      ...(feed === 'Slot' ? ourSchedules(ctx) : {}),
      ...(feed === 'Appointment' || feed === 'Patient' ? ourAppointments(ctx) : {}),
      ...(BY_ORGANIZATION.has(feed) ? organization : {}),
      _sort: '_lastUpdated',
      _count: String(options.pageSize ?? 500),
    });
    for (let guard = 0; url && guard < 100_000; guard++) {
      const page: { resources: Resource[]; next: string | null } = await api.searchPage(url);
      result.pulled += page.resources.length;
      const referenced =
        feed === 'PractitionerRole' || feed === 'Location'
          ? await schedulesOf(ctx, api, page.resources)
          : await missingReferences(ctx, api, page.resources);
      // Within a page a removed slot goes first: the slot a template edit lays out at its time then
      // meets no live twin here, whatever order central wrote them in.
      const resources = feed === 'Slot' ? removedFirst(page.resources) : page.resources;
      const noteOutOfStep = feed === 'Slot' ? noteSlotsOutOfStep(ctx, page.resources) : null;
      const applied = ctx.db.transaction(() => {
        noteOutOfStep?.();
        const a = applyResources(ctx, [...referenced, ...resources], { respectPending: true });
        const last = page.resources.reduce<string | null>(
          (m, r) => (r.meta?.lastUpdated && (!m || r.meta.lastUpdated > m) ? r.meta.lastUpdated : m),
          null,
        );
        // Only forward: an idle poll (`ge` returns the boundary entry again) then writes nothing, and
        // costs the desk no fsync per feed.
        if (last && (!cursor || last > cursor)) writeCursor(ctx, feed, last);
        return a;
      })();
      result.applied += applied.applied;
      result.conflicts += applied.conflicts;
      const entities = ENTITIES_OF[feed];
      if (applied.ids.length) ctx.events.emit({ entities, ids: [...new Set(applied.ids)] });
      url = page.next;
    }
  }
  // After the Appointment feed: what it did not explain of the Slot pages' busy and free.
  if ((options.feeds ?? FEEDS).includes('Appointment')) {
    const net = await bookingsWithoutTag(ctx, api);
    result.pulled += net.pulled;
    result.applied += net.applied;
    result.conflicts += net.conflicts;
  }
  return result;
}
