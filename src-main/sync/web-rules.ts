// The unit's booking rules applied to a booking a patient made on the web (1177) and pulled from
// central. The unit owns the rules (DESIGN: the national contracts carry only the resulting
// flags) and the web never overrides them, so a central that let a booking through anyway does
// not get it into the book: pull records it cancelled, sends that to central, and puts the
// patient in the Konflikter inbox (pull.ts rejectWebBooking).
import { checkBookingWindow, checkCutoff, checkFit, type RuleBreach } from '../domain/booking-rules.ts';
import type { ContactMode } from '../api/types.ts';
import type { ServiceContext } from '../services/context.ts';
import { getAppointmentType } from '../services/appointment-types.ts';
import { patientOverlap } from '../services/bookings.ts';
import { getResource } from '../services/slots.ts';
import { toSlot, type SlotRow } from '../store/rows.ts';
import type { AppointmentType, Resource } from '../api/types.ts';
import { stmt } from './local.ts';
import { currentUnit } from '../services/unit.ts';

export interface PulledWebBooking {
  slotId: string;
  patientId: string;
  typeId: string;
  contactMode: ContactMode;
  /** Booked after an invitation or triage (the Appointment is basedOn a ServiceRequest). */
  invited: boolean;
  /** When the patient booked (Appointment.created): the booking window is judged then, not at pull. */
  bookedAt: number;
  /** Central's time of the Appointment (meta.lastUpdated), compared with when the type's rules reached central. */
  onCentralAt: number | null;
  /**
   * A schedule change of the slot (block, removal, unpublishing) is still on its way to central:
   * the patient booked the slot as central showed it, open and published.
   */
  slotChangePending: boolean;
  /** The patient moved a booking they held (a web rebooking): its id and start. */
  rebooking?: { fromId: string; fromStartAt: number } | undefined;
}

const RULES_AT = 'type-rules-at:';

/**
 * Push calls this when central took a version of the type (its web rules): from then on central
 * offers the type under these rules. Server time (meta.lastUpdated).
 */
export function noteTypeRulesOnCentral(ctx: ServiceContext, typeId: string, at: number): void {
  ctx.db
    .prepare(`INSERT OR REPLACE INTO sync_state (feed, cursor, updated_at) VALUES (?, ?, ?)`)
    .run(`${RULES_AT}${typeId}`, String(at), ctx.now());
}

function typeRulesOnCentralSince(ctx: ServiceContext, typeId: string): number | null {
  const r = stmt(ctx, `SELECT cursor FROM sync_state WHERE feed = ?`).get(`${RULES_AT}${typeId}`) as
    { cursor: string } | undefined;
  return r ? Number(r.cursor) : null;
}

/** What the bookings of one pulled page share (types, resources, the unit's zone): read once. */
export class WebRulesLookups {
  private readonly types = new Map<string, { type: AppointmentType; since: number | null }>();
  private readonly resources = new Map<string, Resource>();
  private zone: string | null = null;
  constructor(private readonly ctx: ServiceContext) {}
  type(id: string) {
    let t = this.types.get(id);
    if (!t) this.types.set(id, (t = { type: getAppointmentType(this.ctx, id), since: typeRulesOnCentralSince(this.ctx, id) }));
    return t;
  }
  resource(id: string): Resource {
    let r = this.resources.get(id);
    if (!r) this.resources.set(id, (r = getResource(this.ctx, id)));
    return r;
  }
  tz(): string {
    return (this.zone ??= currentUnit(this.ctx).timeZone);
  }
}

/** Why the unit does not take this web booking, or null. */
export function webBookingBreach(
  ctx: ServiceContext,
  b: PulledWebBooking,
  lookups: WebRulesLookups = new WebRulesLookups(ctx),
): RuleBreach | null {
  const slot = toSlot(stmt(ctx, `SELECT * FROM slots WHERE id = ?`).get(b.slotId) as SlotRow);
  const { type: current, since } = lookups.type(b.typeId);
  const asBooked = b.slotChangePending ? { ...slot, state: 'open', webPublished: true } : slot;
  // Booked before the type's current rules reached central: the patient booked under the earlier
  // ones, which are not kept here; only the slot (whose changes push reconciles) is judged then.
  const underOlderRules = since !== null && b.onCentralAt !== null && b.onCentralAt < since;
  const type = underOlderRules ? { ...current, active: true, webBookable: true, invitationOnly: false } : current;
  const resource = lookups.resource(slot.resourceId);
  return (
    checkFit({
      type,
      typeId: type.id,
      contactMode: b.contactMode,
      channel: 'web',
      slot: asBooked,
      resource,
      invited: b.invited,
      rebooking: b.rebooking !== undefined,
    }) ??
    (b.rebooking && !underOlderRules
      ? checkCutoff(
          'rebook',
          type,
          { status: 'booked', startAt: b.rebooking.fromStartAt },
          'web',
          b.bookedAt,
          false,
          lookups.tz(),
        )
      : null) ??
    (underOlderRules ? null : checkBookingWindow(type, slot.startAt, b.bookedAt, false, lookups.tz())) ??
    // One person, one clinician at a time: the desk may book a joint visit with an override, the web never.
    (resource.kind === 'clinician' ? patientOverlap(ctx, b.patientId, slot, b.rebooking?.fromId) : null)
  );
}
