// Availability, pure: overlaps of time intervals, choosing rebooking proposals, and what a
// caller may see of a patient with protected identity.
import type { PatientSummary, Role } from '../api/types.ts';

/** Half-open intervals [aStart, aEnd) and [bStart, bEnd) share at least one instant. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/**
 * A sorted list of busy intervals with fast overlap checks, for planning many slots of one
 * resource at once (template expansion) without a query per slot. Each interval may carry a tag
 * (expansion: the slot's template), found by its start; starts are then unique (one live slot per
 * resource and start).
 */
export class IntervalSet<T = undefined> {
  private starts: number[] = [];
  private ends: number[] = [];
  private tags: (T | undefined)[] = [];

  constructor(intervals: Iterable<{ startAt: number; endAt: number; tag?: T }> = []) {
    const sorted = [...intervals].sort((a, b) => a.startAt - b.startAt);
    for (const i of sorted) {
      this.starts.push(i.startAt);
      this.ends.push(i.endAt);
      this.tags.push(i.tag);
    }
  }

  /** The index of the interval starting at `startAt`, or -1 (a Map of 364,000 starts costs more than the search). */
  indexOfStart(startAt: number): number {
    const i = this.lowerBound(startAt);
    return this.starts[i] === startAt ? i : -1;
  }

  /** The tag of the interval at `index` (indexOfStart). */
  tagAt(index: number): T | undefined {
    return this.tags[index];
  }

  /** Index of the first interval starting at or after `t`. */
  private lowerBound(t: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlapsAny(startAt: number, endAt: number): boolean {
    const i = this.lowerBound(endAt);
    // Intervals never nest deeply in a schedule; walking back a few is enough, but be exact.
    for (let j = i - 1; j >= 0; j--) {
      if (this.ends[j]! > startAt) return true;
      if (this.starts[j]! + MAX_SLOT_MS <= startAt) break;
    }
    return false;
  }

  add(startAt: number, endAt: number, tag?: T): void {
    // Expansion adds in time order: at the end, no search and no splice.
    const n = this.starts.length;
    if (n === 0 || this.starts[n - 1]! < startAt) {
      this.starts.push(startAt);
      this.ends.push(endAt);
      this.tags.push(tag);
      return;
    }
    const i = this.lowerBound(startAt);
    this.starts.splice(i, 0, startAt);
    this.ends.splice(i, 0, endAt);
    this.tags.splice(i, 0, tag);
  }
}

/** Slots are at most 8 hours (schema: slot_min ≤ 480), which bounds the backward walk. */
const MAX_SLOT_MS = 480 * 60_000;

// ------------------------------------------------------------------ rebooking proposals
export interface Candidate {
  slotId: string;
  resourceId: string;
  startAt: number;
}

/**
 * The proposal for one booking: the earliest candidate, except that the same clinician is
 * preferred when their earliest candidate starts no later than `sameResourceUntil` (a grace in
 * ms after the overall earliest, or the latest start given the earliest's start: "a week later"
 * on the wall clock is not 7 × 24 h when the clock moves in between). Patients usually want to
 * keep their clinician, but not at any price. `candidates` must be sorted by start; `taken`
 * holds slots already proposed to others.
 */
export function chooseProposal(
  candidates: readonly Candidate[],
  originalResourceId: string,
  taken: ReadonlySet<string>,
  sameResourceUntil: number | ((earliestStartAt: number) => number),
): Candidate | null {
  let earliest: Candidate | null = null;
  let latestSame = Infinity;
  let same: Candidate | null = null;
  for (const c of candidates) {
    if (taken.has(c.slotId)) continue;
    if (!earliest) {
      earliest = c;
      latestSame = typeof sameResourceUntil === 'number' ? c.startAt + sameResourceUntil : sameResourceUntil(c.startAt);
    }
    if (c.resourceId === originalResourceId) {
      same = c;
      break;
    }
    if (c.startAt > latestSame) break;
  }
  if (same && same.startAt <= latestSame) return same;
  return earliest;
}

// ------------------------------------------------------------------ protected identity
/** Roles whose work needs a patient's contact details (calling about a moved time, reminders). */
export const ROLES_NEEDING_CONTACT: readonly Role[] = ['receptionist'];

/**
 * Whether contact details and upcoming times of a patient may be shown to a caller. Patients
 * without protected identity: always. With protected identity (skyddad folkbokföring /
 * sekretessmarkering): only to roles whose work needs them.
 */
export function mayShowContactDetails(protectedIdentity: boolean, roles: readonly Role[]): boolean {
  return !protectedIdentity || roles.some((r) => ROLES_NEEDING_CONTACT.includes(r));
}

/**
 * A booking as a caller with `roles` may see it. A protected patient's name is never sent (the
 * screens say "Skyddad identitet"); the patient's id, identity number, the booking note and its
 * reasons only to roles whose work needs contact details. Other patients' bookings pass unchanged.
 */
/** A booking's reasons as bookings.get and the booking list carry them (not every booking shape has them). */
const REASON_FIELDS = ['reasonCode', 'reasonText', 'cancelReasonCode', 'cancelReasonText'] as const;

export function bookingSeenBy<B extends { patient: PatientSummary; note: string }>(booking: B, roles: readonly Role[]): B {
  if (!booking.patient.protectedIdentity) return booking;
  const shown = mayShowContactDetails(true, roles);
  return {
    ...booking,
    note: shown ? booking.note : '',
    // Why she came (and why she cancelled) is free text as the note is, and health information besides.
    ...(shown ? {} : Object.fromEntries(REASON_FIELDS.filter((k) => k in booking).map((k) => [k, null]))),
    // Nor the patient's id for those roles: patients.get would name who is seen here and when.
    patient: {
      ...booking.patient,
      id: shown ? booking.patient.id : '',
      displayName: '',
      identityNumber: shown ? booking.patient.identityNumber : '',
    },
  };
}
