// The end of a held återbudstid (waitlist.offered_slot_id, migration 0010) that no one ends by
// hand: the time was booked for someone else or closed. Kept apart from waitlist.ts so that the
// writers of bookings and slots can call it without importing the list's other rules.
import type { Statement } from 'better-sqlite3';
import { ACTIVE_BOOKING_STATUSES } from '../store/rows.ts';
import { recordAudit } from './audit.ts';
import type { Caller, ServiceContext } from './context.ts';
import type { Slot } from '../api/types.ts';
import type { FreeSlot } from '../api/methods/scheduling.ts';

/** Why a held time ended by itself (the audit detail's `reason`); `booked`: she has it now. */
export type OfferEnd = 'taken' | 'closed' | 'type_removed' | 'booked';

/**
 * Ends every held offer whose time can no longer be given to its patient: booked for someone else
 * (this desk, another desk, the patient's own web booking pulled by sync), blocked or removed (by
 * hand, an absence, a template, central), or no longer offering her type. She waits again in her
 * place with her priority and wishes, as after "Tillbaka till väntande". When she has booked the
 * held time herself outside the list (at the desk's "Boka tid", a rebooking, or on 1177, pulled
 * by sync), her wait is over: the entry closes as booked, as booking her from the list does
 * (which closes it before this runs, so it is not seen here).
 *
 * Called inside the transaction of every write that can make a time unavailable: the bookings
 * service's insert, slotChanged, absences, templates, and each page sync pulls. No SQL trigger:
 * the release is a change to a patient's entry, so it writes its access-log row (hash-chained in
 * code) and a change event for the list. It sweeps all held offers rather than the writer's slots:
 * they are a handful (one per time, on the partial unique index), and an offer a writer missed is
 * ended by the next write that calls this.
 */
export function releaseOffersNoLongerFree(ctx: ServiceContext, caller: Caller): number {
  const s = statements(ctx);
  const ended = s.ended.all() as { id: string; patient_id: string; offered_slot_id: string; why: OfferEnd; own: string | null }[];
  for (const row of ended) {
    const booked = row.why === 'booked';
    (booked ? s.close : s.release).run(ctx.now(), caller.username, row.id);
    recordAudit(ctx, caller, {
      action: 'change',
      patientId: row.patient_id,
      entity: 'waitlist',
      entityId: row.id,
      detail: booked
        ? { op: 'booked', bookingId: row.own, from: 'offered', outsideList: true }
        : { op: 'offer_ended', reason: row.why, from: 'offered', released: row.offered_slot_id },
    });
    ctx.events.emit({ entities: ['waitlist'], ids: [row.id] });
  }
  return ended.length;
}

/** Prepared once per connection: every booking and slot write asks. */
const cache = new WeakMap<ServiceContext['db'], { ended: Statement; release: Statement; close: Statement }>();

function statements(ctx: ServiceContext): { ended: Statement; release: Statement; close: Statement } {
  let s = cache.get(ctx.db);
  if (s) return s;
  s = {
    ended: ctx.db.prepare(
      `SELECT w.id, w.patient_id, w.offered_slot_id, b.id AS own,
              CASE WHEN b.id IS NOT NULL AND b.patient_id = w.patient_id AND b.appointment_type_id = w.appointment_type_id
                     THEN 'booked'
                   WHEN s.state <> 'open' THEN 'closed'
                   WHEN b.id IS NOT NULL THEN 'taken'
                   WHEN NOT EXISTS (SELECT 1 FROM json_each(s.appointment_type_ids) WHERE value = w.appointment_type_id)
                     THEN 'type_removed'
              END AS why
         FROM waitlist w INDEXED BY waitlist_one_offer_per_slot
         JOIN slots s ON s.id = w.offered_slot_id
         LEFT JOIN bookings b ON b.slot_id = s.id AND b.status IN ${ACTIVE_BOOKING_STATUSES}
        WHERE w.offered_slot_id IS NOT NULL AND w.state = 'offered' AND why IS NOT NULL`,
    ),
    release: ctx.db.prepare(
      `UPDATE waitlist SET state = 'waiting', offered_slot_id = NULL, version = version + 1, updated_at = ?, updated_by = ?
        WHERE id = ?`,
    ),
    close: ctx.db.prepare(
      `UPDATE waitlist SET state = 'booked', offered_slot_id = NULL, version = version + 1, updated_at = ?, updated_by = ?
        WHERE id = ?`,
    ),
  };
  cache.set(ctx.db, s);
  return s;
}

// ---------------------------------------------------------------- held on another desk's list

/**
 * sync_state key of a slot another desk of the unit holds on its återbudslista: sync pulled its
 * Slot as busy-tentative and this desk holds no offer on it. Written and removed by sync
 * (sync/local.ts noteHeldElsewhere); read by the calendar, which marks the time (booking it here
 * stays allowed: it ends the hold on that desk). No migration: sync_state already holds such notes.
 */
export const HELD_ELSEWHERE = 'slot-held-elsewhere:';

/** The slot as slots.get gives it: marked when open, unbooked and held on another desk's återbudslista. */
export function withHeldElsewhere(ctx: ServiceContext, slot: Slot): Slot {
  if (slot.state !== 'open') return slot;
  const held = ctx.db
    .prepare(`SELECT 1 FROM sync_state, slots s WHERE feed = ? AND s.id = ? AND s.booked = 0`)
    .get(`${HELD_ELSEWHERE}${slot.id}`, slot.id);
  return held ? { ...slot, heldElsewhere: true } : slot;
}

const heldElsewhereStatements = new WeakMap<ServiceContext['db'], Statement>();

/** The slots held on another desk's återbudslista, as far as this desk's last pull knows: few, one query. */
export function slotsHeldElsewhere(ctx: ServiceContext): Set<string> {
  // Prepared once per database: every calendar range and Första lediga tid page asks.
  let stmt = heldElsewhereStatements.get(ctx.db);
  if (!stmt) {
    const n = HELD_ELSEWHERE.length;
    stmt = ctx.db.prepare(`SELECT substr(feed, ${n + 1}) FROM sync_state WHERE feed >= ? AND feed < ?`).pluck();
    heldElsewhereStatements.set(ctx.db, stmt);
  }
  return new Set(stmt.all(HELD_ELSEWHERE, `${HELD_ELSEWHERE}\uffff`) as string[]);
}

/**
 * Första lediga tid's page (slots.findFree): each time held on another desk's återbudslista marked,
 * still listed. One sync_state query per page, none for an empty page; findFreeSlots itself, which
 * rebooking, sync and the CLI call too, stays as it was.
 */
export function markHeldElsewhere(ctx: ServiceContext, free: FreeSlot[]): FreeSlot[] {
  if (free.length === 0) return free;
  const held = slotsHeldElsewhere(ctx);
  if (held.size === 0) return free;
  return free.map((f) => (held.has(f.slotId) ? { ...f, heldElsewhere: true } : f));
}
