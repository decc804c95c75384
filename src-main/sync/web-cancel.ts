// A patient's cancellation on 1177, pulled from central, held to the unit's cancel rules. The
// cut-offs apply to web and desk alike (issue 3), and the national contracts carry only the
// allowed-flags, so the unit judges what central let through. Unlike a web booking (web-rules.ts)
// the cancellation STANDS either way: the patient was told it is cancelled and central may already
// have given the time to someone else. A breach goes to Konflikter for the desk to follow up.
// A cancellation a desk of the unit made says so on the wire (`cancelled-via`): staff cancel past
// the cut-off only with an override their own desk logged, so it is not judged again here.
import type { BookingStatus } from '../api/types.ts';
import { isActiveStatus, mayPatientCancelOnline, type OnlineDecision } from '../domain/booking-rules.ts';
import { localDate, localTime } from '../domain/time.ts';
import type { AuditInput } from '../services/audit.ts';
import type { ServiceContext } from '../services/context.ts';
import type { CancelledVia } from './fhir/mapping.ts';
import { recordConflict, stmt } from './local.ts';
import type { WebRulesLookups } from './web-rules.ts';

export interface PulledCancellation {
  bookingId: string;
  /** Who cancelled, as central's Appointment says (no marker: the patient on the web). */
  cancelledVia: CancelledVia;
  /** The local status before central's cancellation was applied (null: a booking new to this desk). */
  statusBefore: string | null;
  /** When central recorded it (meta.lastUpdated): the rules are applied as at that moment. */
  at: number;
}

const MARKED_SV: Partial<Record<BookingStatus, string>> = {
  arrived: 'ankommen',
  completed: 'genomförd',
  no_show: 'utebliven',
};

/** Why a patient's cancellation broke the type's web rules, in Swedish for the desk. */
function breachSv(d: OnlineDecision, cutoffH: number, statusBefore: BookingStatus, when: string): string {
  const stands = 'Avbokningen gäller (tiden kan redan ha gått till någon annan); följ upp med patienten.';
  switch (d.reason) {
    case 'type_disallows':
      return `Besökstypen får inte avbokas via 1177, men patienten avbokade där ${when}. ${stands}`;
    case 'not_active':
      return `Avbokad via 1177 ${when}, fast besöket redan var markerat som ${MARKED_SV[statusBefore] ?? statusBefore}. ${stands}`;
    case 'started':
      return `Avbokad via 1177 efter besökets start: avbokningen kom ${when}. ${stands}`;
    default:
      return `Avbokad via 1177 efter avbokningsgränsen (${cutoffH} h före besöket): avbokningen kom ${when}. ${stands}`;
  }
}

/**
 * Keeps who cancelled a booking central reports cancelled, and judges the patient's own
 * cancellation of a booking that was active here. A breach becomes one `web_cancel` conflict and
 * the audit event of the decision (returned, for pull to write with the page's others); null if
 * the cancellation was in time, made by the unit, or not the patient's to judge.
 */
export function notePulledCancellation(ctx: ServiceContext, c: PulledCancellation, lookups: WebRulesLookups): AuditInput | null {
  stmt(ctx, `UPDATE bookings SET cancelled_via = ? WHERE id = ? AND cancelled_via IS NOT ?`).run(
    c.cancelledVia,
    c.bookingId,
    c.cancelledVia,
  );
  if (c.cancelledVia !== 'web' || c.statusBefore === null || !isActiveStatus(c.statusBefore as BookingStatus)) return null;
  const b = stmt(
    ctx,
    `SELECT b.patient_id, b.slot_id, b.appointment_type_id, s.start_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.id = ?`,
  ).get(c.bookingId) as { patient_id: string; slot_id: string; appointment_type_id: string; start_at: number };
  const { type, since } = lookups.type(b.appointment_type_id);
  // Cancelled before the type's current rules reached central: under earlier ones, not kept here.
  if (since !== null && c.at < since) return null;
  const statusBefore = c.statusBefore as BookingStatus;
  const d = mayPatientCancelOnline(type, { status: statusBefore, startAt: b.start_at }, c.at);
  if (d.allowed) return null;
  // Once per booking, whatever else central later changes on it.
  if (stmt(ctx, `SELECT 1 FROM conflicts WHERE entity_id = ? AND kind = 'web_cancel'`).get(c.bookingId)) return null;
  const tz = lookups.tz();
  recordConflict(ctx, {
    entity: 'booking',
    entityId: c.bookingId,
    kind: 'web_cancel',
    detail: {
      reason: breachSv(d, type.cancelCutoffH, statusBefore, `${localDate(c.at, tz)} kl. ${localTime(c.at, tz)}`),
      rule: d.reason,
      cancelledAt: c.at,
      deadline: d.deadline,
      cutoffH: type.cancelCutoffH,
      patientId: b.patient_id,
      slotId: b.slot_id,
      startAt: b.start_at,
      appointmentTypeId: b.appointment_type_id,
    },
  });
  return {
    action: 'change',
    patientId: b.patient_id,
    entity: 'booking',
    entityId: c.bookingId,
    detail: { op: 'sync.web_cancel_breach', rule: d.reason, cancelledAt: c.at, deadline: d.deadline },
  };
}
