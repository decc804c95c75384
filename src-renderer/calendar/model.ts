// What one calendar column (a resource on a date) shows: free and blocked slots and bookings,
// placed in minutes of the unit's wall clock. Built once per loaded range, then read by the lane
// painter for every column FullCalendar mounts, so navigation and repaint never recompute it.
import type { AppointmentType, Booking, CalendarRange, Slot } from '../../src-main/api/types.ts';
import { wallParts } from './wallclock.ts';

/**
 * `col`/`cols`: side-by-side places for items sharing wall-clock minutes. `conflict`: the item
 * overlaps another in real time. The two differ only in the autumn night's doubled hour, where
 * 02:20 summer time and 02:20 standard time share their minutes an hour apart: side by side, no conflict.
 */
export type LaneItem = ({ kind: 'slot'; slot: Slot } | { kind: 'booking'; booking: Booking; slot: Slot | undefined }) & {
  startMin: number;
  endMin: number;
  col: number;
  cols: number;
  conflict: boolean;
  pass?: DoubledPass;
  /**
   * The minutes the end reads: endMin, except for a time across the autumn change itself (02:40
   * sommartid–02:10 vintertid), drawn down to 03:00 where the first pass ends, whose end reads 02:10.
   */
  endReads: number;
  /** Set with `pass` on such a time: its end is in the other pass. */
  endPass?: DoubledPass;
};

/**
 * Of two items on the same wall-clock minutes an hour apart (the autumn night's 02:00–02:59): the
 * first, summer time, or the second, standard time. Said in the item's name, as both read 02:20.
 */
export type DoubledPass = 'summer' | 'winter';

export interface CalendarIndex {
  /** key `${resourceId}|${date}` -> items sorted by start. */
  lanes: Map<string, LaneItem[]>;
  slotsById: Map<string, Slot>;
  bookingsById: Map<string, Booking>;
  /** The booking holding a slot, by slot id. */
  bookingBySlot: Map<string, Booking>;
  /** Earliest start and latest end over everything, in wall-clock minutes (for the visible hours). */
  minMin: number;
  maxMin: number;
  /** Dates (YYYY-MM-DD) that have anything at all. */
  dates: Set<string>;
}

export const laneKey = (resourceId: string, date: string): string => `${resourceId}|${date}`;

/** Indexes one or more loaded ranges (the visible one and prefetched neighbours alike). */
export function buildIndex(ranges: readonly CalendarRange[]): CalendarIndex {
  const lanes = new Map<string, LaneItem[]>();
  const slotsById = new Map<string, Slot>();
  const bookingsById = new Map<string, Booking>();
  const bookingBySlot = new Map<string, Booking>();
  const dates = new Set<string>();
  let minMin = Infinity;
  let maxMin = -Infinity;
  const push = (resourceId: string, date: string, item: LaneItem) => {
    const key = laneKey(resourceId, date);
    const list = lanes.get(key);
    if (list) list.push(item);
    else lanes.set(key, [item]);
    dates.add(date);
    if (item.startMin < minMin) minMin = item.startMin;
    if (item.endMin > maxMin) maxMin = item.endMin;
  };
  for (const range of ranges) {
    for (const s of range.slots) slotsById.set(s.id, s);
    for (const b of range.bookings) {
      bookingsById.set(b.id, b);
      bookingBySlot.set(b.slotId, b);
    }
  }
  for (const s of slotsById.values()) {
    if (bookingBySlot.has(s.id)) continue;
    const start = wallParts(s.startAt);
    const end = wallParts(s.endAt);
    push(s.resourceId, start.date, {
      kind: 'slot',
      slot: s,
      ...placed(start, end),
      col: 0,
      cols: 1,
      conflict: false,
    });
  }
  for (const b of bookingsById.values()) {
    const start = wallParts(b.startAt);
    const end = wallParts(b.endAt);
    push(b.resourceId, start.date, {
      kind: 'booking',
      booking: b,
      slot: slotsById.get(b.slotId),
      ...placed(start, end),
      col: 0,
      cols: 1,
      conflict: false,
    });
  }
  for (const list of lanes.values()) packLane(list);
  return { lanes, slotsById, bookingsById, bookingBySlot, minMin, maxMin, dates };
}

type WallParts = { date: string; minutes: number };

function placed(start: WallParts, end: WallParts): Pick<LaneItem, 'startMin' | 'endMin' | 'endReads' | 'pass' | 'endPass'> {
  // A slot ending at midnight ends at 24:00 of its own day.
  const endMin = end.date === start.date ? end.minutes : 24 * 60;
  if (endMin > start.minutes) return { startMin: start.minutes, endMin, endReads: endMin };
  // Only the doubled autumn hour has an end reading no later than its start: drawn to the hour's end.
  return {
    startMin: start.minutes,
    endMin: (Math.floor(start.minutes / 60) + 1) * 60,
    endReads: endMin,
    pass: 'summer',
    endPass: 'winter',
  };
}

/**
 * Sorts a column's items and gives overlapping ones side-by-side places. Slots of one resource
 * do not overlap in a healthy schedule, so an overlap is itself worth seeing (a conflict).
 */
function packLane(items: LaneItem[]): void {
  items.sort((a, b) => a.startMin - b.startMin || a.endMin - b.endMin);
  let cluster: LaneItem[] = [];
  let clusterEnd = -1;
  const colEnds: number[] = [];
  const close = () => {
    for (const it of cluster) {
      it.cols = colEnds.length;
      const own = instants(it);
      it.conflict = cluster.some((o) => o !== it && instants(o).startAt < own.endAt && own.startAt < instants(o).endAt);
      // Sharing minutes without sharing time: only the doubled hour does that.
      const twin = cluster.find(
        (o) =>
          o !== it &&
          o.startMin < it.endMin &&
          it.startMin < o.endMin &&
          !(instants(o).startAt < own.endAt && own.startAt < instants(o).endAt),
      );
      if (twin) it.pass = own.startAt < instants(twin).startAt ? 'summer' : 'winter';
    }
    cluster = [];
    colEnds.length = 0;
  };
  for (const it of items) {
    if (it.startMin >= clusterEnd && cluster.length > 0) close();
    let col = colEnds.findIndex((end) => end <= it.startMin);
    if (col === -1) {
      col = colEnds.length;
      colEnds.push(it.endMin);
    } else colEnds[col] = it.endMin;
    it.col = col;
    cluster.push(it);
    clusterEnd = Math.max(clusterEnd, it.endMin);
  }
  close();
}

const instants = (it: LaneItem): { startAt: number; endAt: number } => (it.kind === 'slot' ? it.slot : it.booking);

/** Free to book: open, not booked and not yet begun (what the summary and the week's day headers count). */
export const freeToBook = (slot: Slot, index: CalendarIndex, nowAt: number): boolean =>
  slot.state === 'open' && slot.startAt > nowAt && !index.bookingBySlot.has(slot.id);

/** One column's bookings and times still free to book: the week view's day header says them. */
export function laneCounts(
  index: CalendarIndex,
  resourceId: string,
  date: string,
  nowAt: number,
): { booked: number; free: number } {
  let booked = 0;
  let free = 0;
  for (const it of index.lanes.get(laneKey(resourceId, date)) ?? []) {
    if (it.kind === 'booking') booked++;
    else if (freeToBook(it.slot, index, nowAt)) free++;
  }
  return { booked, free };
}

/**
 * "Karlsson, Nils" for "Nils Karlsson": where a week lane has room for a few letters, they are the
 * surname's, as staff find a patient by it. A particle stays with the surname ("von Platen, Anna").
 */
export function surnameFirst(displayName: string): string {
  const parts = displayName.trim().split(/\s+/);
  if (parts.length < 2) return displayName;
  let at = parts.length - 1;
  while (at > 1 && PARTICLES.has(parts[at - 1]!)) at--;
  return `${parts.slice(at).join(' ')}, ${parts.slice(0, at).join(' ')}`;
}
const PARTICLES = new Set(['von', 'af', 'de', 'van', 'der', 'den', 'la', 'du', 'di', 'da', 'al', 'el', 'bin', 'ibn']);

/** Whether a free slot may be offered for booking of the given type filter. */
export function slotOffersType(slot: Slot, typeId: string | null): boolean {
  return typeId === null || slot.appointmentTypeIds.includes(typeId);
}

export function typeName(type: AppointmentType | undefined, lang: string): string {
  if (!type) return '';
  return lang === 'en' ? type.nameEn : type.nameSv;
}

/** Type colour mixed with white: a calm tint that keeps dark text at AA contrast. */
export function tint(hex: string, amount = 0.18): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return '#eef1f5';
  const n = parseInt(m[1]!, 16);
  const mix = (c: number) => Math.round(255 - (255 - c) * amount);
  return `rgb(${mix((n >> 16) & 255)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}
