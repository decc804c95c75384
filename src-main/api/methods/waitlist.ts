// Återbudslistan: patients who want an earlier time if someone cancels. An entry names the
// appointment type, optionally a clinician or a profession, an optional period and a priority;
// when a slot frees up, waitlist.matchesForSlot lists the entries that fit it, and booking from
// the list (bookings.book with waitlistEntryId) marks the entry booked in the same transaction.
// Entries stay local: the central booking API has no mapping for them (src-main/README.md).
import { z } from 'zod';
import { expectedVersion, isoDate, method, uuid } from '../define.ts';
import type { ListedPatient } from './bookings-search.ts';
import { DESK_ROLES, type FreeSlot } from './scheduling.ts';

export const WAITLIST_STATES = ['waiting', 'offered', 'booked', 'withdrawn'] as const;
export type WaitlistState = (typeof WAITLIST_STATES)[number];
/** What the list shows when no state is asked for: the entries still waiting for a time. */
export const OPEN_WAITLIST_STATES: readonly WaitlistState[] = ['waiting', 'offered'];

/**
 * 0 normal, 1 förtur (e.g. the care guarantee is near, or a doctor asked for an earlier time),
 * 2 brådskande (medically urgent, should be seen as soon as anything frees up). Not "akut":
 * acute patients get a same-day time, never a place on a cancellation list.
 */
/** Why an offered entry goes back to waiting: the patient said no, or could not be reached. */
export const WAITLIST_RETURN_REASONS = ['declined', 'no_answer'] as const;
export type WaitlistReturnReason = (typeof WAITLIST_RETURN_REASONS)[number];

export const WAITLIST_PRIORITIES = [0, 1, 2] as const;
export type WaitlistPriority = (typeof WAITLIST_PRIORITIES)[number];

export interface WaitlistEntry {
  id: string;
  /** Masked like bookings.search: no name for a protected identity, no number unless the role needs it. */
  patient: ListedPatient & { phone: string | null };
  appointmentTypeId: string;
  appointmentTypeName: { sv: string; en: string };
  appointmentTypeColour: string;
  resourceId: string | null;
  resourceName: string | null;
  profession: string | null;
  earliest: string | null;
  latest: string | null;
  priority: WaitlistPriority;
  state: WaitlistState;
  /** Empty when the patient's identity is protected and the role does not need it (free text may identify). */
  note: string;
  createdAt: number;
  updatedAt: number;
  /** Row version: the entry form sends it back as `expectedVersion`. */
  version: number;
  /**
   * The patient's next upcoming active booking of this type, if any: taking a freed time from the
   * list should move that booking (bookings.rebook with waitlistEntryId), not add a second one.
   * `startAt` is null where the patient's upcoming times are hidden from the caller.
   */
  heldBooking: { id: string; startAt: number | null } | null;
  /**
   * The free time the patient was called about while the entry is offered: held for her, so no one
   * else on the list is offered it until she answers. `startAt` is hidden like heldBooking's.
   * The hold ends by itself when someone else books the time or it is blocked, removed or no longer
   * offers the type (the entry waits again); `taken` is left for her own booking of it made outside
   * the list. `passed`: the time has started, so nothing is held and the entry lists as waiting.
   */
  offeredSlot: { id: string; startAt: number | null; taken: boolean; passed: boolean } | null;
}

const priority = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const note = z.string().trim().max(1000);

const wish = {
  /** A clinician (or room) the patient wants; or else `profession`; neither = anyone who may do the type. */
  resourceId: uuid.nullable().optional(),
  profession: z.string().trim().min(1).max(60).nullable().optional(),
  /** First and last local date the patient can come, both included. */
  earliest: isoDate.nullable().optional(),
  latest: isoDate.nullable().optional(),
};

type Wishful = {
  resourceId?: string | null | undefined;
  profession?: string | null | undefined;
  earliest?: string | null | undefined;
  latest?: string | null | undefined;
};

/** Resource or profession, not both; a period that does not end before it starts. */
function checkWishInput(v: Wishful, ctx: z.RefinementCtx): void {
  if (v.resourceId && v.profession) {
    ctx.addIssue({ code: 'custom', message: 'Önska antingen en resurs eller en yrkesgrupp, inte båda.', path: ['profession'] });
  }
  if (v.earliest && v.latest && v.earliest > v.latest) {
    ctx.addIssue({ code: 'custom', message: 'Sista dag får inte vara före första dag.', path: ['latest'] });
  }
}

export const waitlistMethods = {
  /** Puts a patient on the list for a type; one open entry per patient and type. */
  'waitlist.add': method<WaitlistEntry>()({
    input: z
      .object({
        patientId: uuid,
        appointmentTypeId: uuid,
        ...wish,
        priority: priority.default(0),
        note: note.default(''),
      })
      .strict()
      .superRefine(checkWishInput),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** Open entries (waiting and offered, by default), highest priority first, then oldest. Each patient shown is a read. */
  'waitlist.list': method<WaitlistEntry[]>()({
    input: z
      .object({
        states: z.array(z.enum(WAITLIST_STATES)).min(1).max(4).optional(),
        appointmentTypeId: uuid.optional(),
        resourceId: uuid.optional(),
        limit: z.number().int().min(1).max(1000).default(500),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /**
   * How many entries `waitlist.list` with the same filters would give, past its limit too: the
   * page says when it shows fewer than there are. A number only, so no read is logged.
   */
  'waitlist.count': method<{ count: number }>()({
    input: z
      .object({
        states: z.array(z.enum(WAITLIST_STATES)).min(1).max(4).optional(),
        appointmentTypeId: uuid.optional(),
        resourceId: uuid.optional(),
      })
      .strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /** Changes the wish, period, priority or note of an open entry (fields left out stay). */
  'waitlist.update': method<WaitlistEntry>()({
    input: z
      .object({
        id: uuid,
        appointmentTypeId: uuid.optional(),
        ...wish,
        priority: priority.optional(),
        note: note.optional(),
        expectedVersion: expectedVersion.optional(),
      })
      .strict()
      .superRefine(checkWishInput),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /** The patient no longer wants an earlier time. */
  'waitlist.withdraw': method<WaitlistEntry>()({
    input: z.object({ id: uuid }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /**
   * The receptionist called the patient about a time. With `slotId` the time is held for her: it
   * must offer the entry's type and be free, and is offered to one entry at a time (conflict
   * `waitlist_slot_offered` otherwise; `waitlist_slot_offered_elsewhere` while another desk of the
   * unit holds it on its list) until she answers.
   */
  'waitlist.markOffered': method<WaitlistEntry>()({
    input: z.object({ id: uuid, slotId: uuid.optional() }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /**
   * "Erbjud tid" from the list: the first free times that fit an open entry's wish (free-slot
   * search with its type, resource or profession and period), without the times held for another
   * patient (on this desk's list or, as sync noted, another desk's) or not earlier than a time of the type she already holds. Times only: no read is logged.
   */
  'waitlist.offerableSlots': method<FreeSlot[]>()({
    input: z.object({ id: uuid, limit: z.number().int().min(1).max(50).default(8) }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /**
   * Tillbaka till väntande: the patient declined the offered time or did not answer. The entry
   * waits again in its old place with its priority and wish; the time it was offered is released
   * for the next patient. Only an offered entry.
   */
  'waitlist.markWaiting': method<WaitlistEntry>()({
    input: z.object({ id: uuid, reason: z.enum(WAITLIST_RETURN_REASONS).default('declined') }).strict(),
    roles: DESK_ROLES,
    kind: 'change',
  }),
  /**
   * The open entries that fit a free slot: the type is offered there and bookable now (fit and
   * booking window), the wished resource or profession, the period, and no earlier booked time
   * of the type. Highest priority first, then oldest. Empty when the slot is not free.
   */
  'waitlist.matchesForSlot': method<WaitlistEntry[]>()({
    input: z.object({ slotId: uuid }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
  /**
   * How many open entries fit a free slot, and no more: no patient leaves main, so no read is
   * logged (the hint after a cancellation shows a number; the list itself is matchesForSlot).
   */
  'waitlist.countForSlot': method<{ count: number }>()({
    input: z.object({ slotId: uuid }).strict(),
    roles: DESK_ROLES,
    kind: 'read',
  }),
} as const;
