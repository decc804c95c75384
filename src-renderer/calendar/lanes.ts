// Paints one calendar column (a resource on a date) as plain DOM: one element per free or
// blocked slot and per booking, placed in percent of the visible day. FullCalendar draws the grid,
// the headers and the now-line; this layer draws what is in it. Hundreds of FullCalendar events
// cost hundreds of ms to lay out; these elements cost a few.
import type { AppointmentType, Booking, Slot } from '../../src-main/api/types.ts';
import { laneKey, slotOffersType, surnameFirst, tint, typeName, type CalendarIndex, type LaneItem } from './model.ts';
import { hhmm } from './wallclock.ts';
import './walk-in.css';

export interface LaneLabels {
  free: string;
  blocked: string;
  protected: string;
  passed: string;
  /** A free time under way today: staff may still book a patient who is here (a walk-in). */
  started: string;
  webPublished: string;
  status: Record<string, string>;
  channel: Record<string, string>;
  conflict: string;
  /** Which 02:20 of the autumn night an item is (both read 02:20): 'sommartid' / 'vintertid'. */
  passSummer: string;
  passWinter: string;
  /** Short marks drawn inside bookings. */
  markArrived: string;
  markNoShow: string;
  markPreliminary: string;
  /** On a booking whose time is blocked (an absence): it is to be moved. */
  markBlocked: string;
  blockedBooking: string;
  /** A free time another desk has offered a patient on its återbudslista (bookable here, asked first). */
  markHeldElsewhere: string;
  heldElsewhere: string;
}

export interface LaneContext {
  index: CalendarIndex;
  typeById: Map<string, AppointmentType>;
  resourceName: Map<string, string>;
  labels: LaneLabels;
  lang: string;
  /** Visible hours, wall-clock minutes since midnight. */
  minMin: number;
  maxMin: number;
  /** Free slots not offering this type are dimmed; null shows all. */
  typeFilter: string | null;
  /** Week view: the day ("tors 26 nov.") that starts each item's accessible name; the day view's heading says it. */
  dayLabel: ((date: string) => string) | null;
  /** Today's date and the minute of now on the wall clock: earlier free slots are passed. */
  today: string;
  nowMin: number;
}

const el = (tag: string, className: string, text?: string): HTMLElement => {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

/**
 * Minutes an item needs for two lines of text: a quarter's row is 18 px (styles.css), a line 16 px.
 * Such an item may wrap (the time on a line of its own in a narrow lane) rather than cut its name.
 */
const TWO_LINES_MIN = 30;

function place(e: HTMLElement, item: LaneItem, ctx: LaneContext): void {
  const span = ctx.maxMin - ctx.minMin;
  // Slots shorter than a quarter get smaller text so they stay one legible line.
  if (item.endMin - item.startMin < 15) e.classList.add('tb-short');
  else if (item.endMin - item.startMin >= TWO_LINES_MIN) e.classList.add('tb-tall');
  const top = ((item.startMin - ctx.minMin) / span) * 100;
  const height = ((item.endMin - item.startMin) / span) * 100;
  e.style.top = `${top}%`;
  e.style.height = `${height}%`;
  if (item.cols > 1) {
    e.style.left = `${(item.col / item.cols) * 100}%`;
    e.style.width = `${100 / item.cols}%`;
  }
}

function typeLabel(slotIds: readonly string[], ctx: LaneContext): string {
  // A free time is labelled by what can be booked on it: a deactivated type only moves bookings.
  const bookable = slotIds.filter((id) => ctx.typeById.get(id)?.active !== false);
  const ids = bookable.length > 0 ? bookable : slotIds;
  const first = ids[0] === undefined ? undefined : ctx.typeById.get(ids[0]);
  const name = typeName(first, ctx.lang);
  return ids.length > 1 ? `${name} +${ids.length - 1}` : name;
}

/**
 * The full text of an item, as its accessible name and as its tooltip: a narrow lane cuts what it
 * shows, the mouse and the screen reader still get all of it.
 */
function name(e: HTMLElement, label: string): void {
  e.setAttribute('aria-label', label);
  e.title = label;
}

/** The 1177 mark: a corner of the item, not a word that takes the patient's name's room. Said in the name. */
const webMark = (): HTMLElement => {
  const mark = el('span', 'tb-web');
  mark.setAttribute('aria-hidden', 'true');
  return mark;
};

/** ' (sommartid)' after a time of the autumn night's doubled hour, where two items read the same. */
const passOf = (item: LaneItem, ctx: LaneContext): string =>
  item.pass ? ` (${item.pass === 'summer' ? ctx.labels.passSummer : ctx.labels.passWinter})` : '';
/** An item's times as read: '02:40 (sommartid)–02:10 (vintertid)' for one across the autumn change. */
const timeOf = (item: LaneItem, ctx: LaneContext): string =>
  `${hhmm(item.startMin)}${passOf(item, ctx)}–${hhmm(item.endReads)}${item.endPass ? ` (${item.endPass === 'summer' ? ctx.labels.passSummer : ctx.labels.passWinter})` : ''}`;

function slotElement(slot: Slot, item: LaneItem, date: string, day: string, ctx: LaneContext): HTMLElement {
  const blocked = slot.state === 'blocked';
  const begun = !blocked && (date < ctx.today || (date === ctx.today && item.startMin < ctx.nowMin));
  // Begun but not over: bookable at the desk with an override (main logs it); over: passed.
  const started = begun && date === ctx.today && item.endMin > ctx.nowMin;
  const passed = begun && !started;
  const matches = slotOffersType(slot, ctx.typeFilter);
  const e = el(
    'div',
    `tb-item tb-slot ${blocked ? 'tb-slot-blocked' : 'tb-slot-free'}${passed ? ' tb-passed' : ''}${matches ? '' : ' tb-dimmed'}${
      slot.webPublished ? ' tb-slot-web' : ''
    }${item.conflict ? ' tb-conflict' : ''}${started ? ' tb-slot-started' : ''}${slot.heldElsewhere ? ' tb-slot-held-elsewhere' : ''}`,
  );
  e.dataset['slotId'] = slot.id;
  e.dataset['state'] = blocked ? 'blocked' : passed ? 'passed' : started ? 'started' : 'free';
  const time = `${day}${timeOf(item, ctx)}`;
  const types = typeLabel(slot.appointmentTypeIds, ctx);
  const who = ctx.resourceName.get(slot.resourceId) ?? '';
  e.setAttribute('role', 'button');
  e.tabIndex = -1;
  e.dataset['time'] = `${hhmm(item.startMin)}${passOf(item, ctx)}`;
  if (blocked) {
    e.setAttribute('aria-disabled', 'true');
    name(e, `${ctx.labels.blocked} ${time}, ${who}${slot.blockReason ? `: ${slot.blockReason}` : ''}`);
    e.textContent = slot.blockReason || ctx.labels.blocked;
  } else {
    if (passed) e.setAttribute('aria-disabled', 'true');
    name(
      e,
      `${passed ? ctx.labels.passed : started ? ctx.labels.started : ctx.labels.free} ${time}, ${who}, ${types}${slot.webPublished ? `, ${ctx.labels.webPublished}` : ''}${slot.heldElsewhere ? `, ${ctx.labels.heldElsewhere}` : ''}`,
    );
    e.textContent = types;
    if (slot.heldElsewhere) e.prepend(el('span', 'tb-held-elsewhere-mark', ctx.labels.markHeldElsewhere), ' ');
    if (slot.webPublished && !passed) e.append(webMark());
    // First, so that a narrow column still shows it: the time is open, but under way.
    if (started) e.prepend(el('span', 'tb-started-mark', ctx.labels.started), ' ');
  }
  return e;
}

function bookingElement(booking: Booking, slot: Slot | undefined, item: LaneItem, day: string, ctx: LaneContext): HTMLElement {
  const type = ctx.typeById.get(booking.appointmentTypeId);
  // A patient still booked on a time since blocked (the clinician's absence): to be rebooked.
  const toMove = slot?.state === 'blocked' && (booking.status === 'booked' || booking.status === 'preliminary');
  const colour = type?.colour ?? '#4a78b5';
  const filteredOut = ctx.typeFilter !== null && booking.appointmentTypeId !== ctx.typeFilter;
  const e = el(
    'div',
    `tb-item tb-booking tb-status-${booking.status} tb-channel-${booking.channel}${filteredOut ? ' tb-dimmed' : ''}${
      item.conflict ? ' tb-conflict' : ''
    }${toMove ? ' tb-booking-blocked' : ''}`,
  );
  e.dataset['bookingId'] = booking.id;
  e.dataset['status'] = booking.status;
  e.dataset['channel'] = booking.channel;
  e.style.setProperty('--tb-type', colour);
  e.style.background = tint(colour);
  e.setAttribute('role', 'button');
  e.tabIndex = -1;
  const who = booking.patient.protectedIdentity ? ctx.labels.protected : booking.patient.displayName;
  const tName = typeName(type, ctx.lang);
  const status = ctx.labels.status[booking.status] ?? booking.status;
  const channel = ctx.labels.channel[booking.channel] ?? booking.channel;
  name(
    e,
    `${day}${timeOf(item, ctx)} ${who}, ${tName}, ${status}, ${channel}${item.conflict ? `, ${ctx.labels.conflict}` : ''}${
      toMove ? `, ${ctx.labels.blockedBooking}${slot.blockReason ? `: ${slot.blockReason}` : ''}` : ''
    }`,
  );
  // One element and one text node per booking (time and type come from CSS generated content);
  // a mark span only where there is something to mark. DOM size is what costs at 4,000 items.
  e.dataset['time'] = `${hhmm(item.startMin)}${passOf(item, ctx)}`;
  e.dataset['type'] = tName;
  // The marks, in one box: a two-line item in a narrow lane puts them beside its time, not before the name.
  const marks: HTMLElement[] = [];
  if (booking.status === 'arrived') marks.push(el('span', 'tb-mark tb-mark-arrived', ctx.labels.markArrived));
  else if (booking.status === 'no_show') marks.push(el('span', 'tb-mark tb-mark-noshow', ctx.labels.markNoShow));
  else if (booking.status === 'preliminary') marks.push(el('span', 'tb-mark tb-mark-prel', ctx.labels.markPreliminary));
  if (item.conflict) marks.push(el('span', 'tb-mark tb-mark-conflict', '!'));
  if (toMove) marks.push(el('span', 'tb-mark tb-mark-blocked', ctx.labels.markBlocked));
  if (marks.length > 0) {
    const box = el('span', 'tb-marks');
    box.append(...marks);
    e.append(box);
    e.classList.add('tb-marked');
  }
  if (booking.channel === 'web') e.append(webMark());
  // The week view leads with the surname: a narrow lane shows a few letters, and they should find the patient.
  e.append(ctx.dayLabel && !booking.patient.protectedIdentity ? surnameFirst(who) : who);
  if (booking.patient.protectedIdentity) e.classList.add('tb-booking-protected');
  return e;
}

/**
 * What a lane shows, as a string: a refetch after someone else's change repaints only the columns
 * whose content differs (a new web booking repaints one column, not forty).
 */
export function laneSignature(resourceId: string, date: string, ctx: LaneContext): string {
  const items = ctx.index.lanes.get(laneKey(resourceId, date)) ?? [];
  let sig = `${date}|${ctx.lang}|${ctx.dayLabel ? 'day' : ''}|${ctx.typeFilter}|${ctx.minMin}-${ctx.maxMin}|${date === ctx.today ? ctx.nowMin : ''}|${ctx.resourceName.get(resourceId)}`;
  for (const i of items) {
    sig +=
      i.kind === 'slot'
        ? `|s${i.slot.id}${i.slot.state}${i.slot.webPublished ? 'w' : ''}${i.slot.heldElsewhere ? 'h' : ''}${i.slot.appointmentTypeIds.join()}${i.slot.blockReason ?? ''}`
        : `|b${i.booking.id}${i.booking.status}${i.booking.channel}${i.booking.appointmentTypeId}${i.booking.patient.displayName}${i.slot?.state ?? ''}${i.slot?.blockReason ?? ''}`;
    sig += `${i.startMin}-${i.endMin}/${i.col}${i.cols}`;
  }
  return sig;
}

/** Replaces the content of a column's lane element with what the index holds for it. */
export function paintLane(lane: HTMLElement, resourceId: string, date: string, ctx: LaneContext): void {
  // The keyboard focus stays on its time when the lane is repainted under it (a refetch after a
  // booking turns the free slot into a booking; another desk's change repaints the column).
  const focusedTime = lane.contains(document.activeElement) ? itemSlotId(document.activeElement as HTMLElement, ctx) : undefined;
  const items = ctx.index.lanes.get(laneKey(resourceId, date));
  const frag = document.createDocumentFragment();
  const day = ctx.dayLabel ? `${ctx.dayLabel(date)} ` : '';
  if (items) {
    for (const item of items) {
      const e =
        item.kind === 'slot'
          ? slotElement(item.slot, item, date, day, ctx)
          : bookingElement(item.booking, item.slot, item, day, ctx);
      place(e, item, ctx);
      frag.append(e);
    }
  }
  // The now-line: drawn here, not by FullCalendar, so it follows the day the lane shows. An
  // element above the items; in a lane without items, the lane's own background (Chromium did not
  // paint a lone positioned child added to an empty lane there).
  const hasItems = (items?.length ?? 0) > 0;
  lane.style.background = '';
  if (date === ctx.today && ctx.nowMin >= ctx.minMin && ctx.nowMin <= ctx.maxMin) {
    const at = ((ctx.nowMin - ctx.minMin) / (ctx.maxMin - ctx.minMin)) * 100;
    if (hasItems) {
      const line = el('div', 'tb-now');
      line.setAttribute('aria-hidden', 'true');
      line.style.top = `${at}%`;
      frag.append(line);
    } else {
      lane.style.background = `linear-gradient(to bottom, transparent calc(${at}% - 1px), #c8102e calc(${at}% - 1px), #c8102e calc(${at}% + 1px), transparent calc(${at}% + 1px))`;
    }
  }
  lane.classList.toggle('tb-lane-items', hasItems);
  lane.replaceChildren(frag);
  if (focusedTime) {
    const again = [...lane.querySelectorAll<HTMLElement>('.tb-item')].find((e) => itemSlotId(e, ctx) === focusedTime);
    if (again) {
      again.tabIndex = 0;
      again.focus({ preventScroll: true });
    }
  }
}

/** The slot a calendar item stands for: its own, or its booking's. */
function itemSlotId(e: HTMLElement, ctx: LaneContext): string | undefined {
  return e.dataset['slotId'] ?? ctx.index.bookingsById.get(e.dataset['bookingId'] ?? '')?.slotId;
}
