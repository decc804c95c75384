// The resource calendar: the one component that knows FullCalendar, so the version can change.
// FullCalendar v6 resource time-grid (GPL-3.0-or-later licence key) draws the grid, the resource
// and date headers, the time axis and the now-line; it gets no events at all. What is in a
// column (free and blocked slots, bookings) is painted by lanes.ts into each column's own
// content element, from an index built once per loaded range. Measured in tests/bench/ui.bench.ts:
// this is what makes first paint and navigation several times faster than slots as events.
//
// FullCalendar is driven imperatively (the vanilla Calendar, not the React wrapper, which resets
// every option on each React render). Stable test hooks: data-resource-id on resource headers,
// data-booking-id on bookings, data-slot-id on every free or blocked slot.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Calendar, type CalendarOptions, type DayCellContentArg } from '@fullcalendar/core';
import resourceTimeGridPlugin from '@fullcalendar/resource-timegrid';
import scrollGridPlugin from '@fullcalendar/scrollgrid';
import type { ResourceApi, ResourceInput } from '@fullcalendar/resource';
import svLocale from '@fullcalendar/core/locales/sv';
import enLocale from '@fullcalendar/core/locales/en-gb';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AppointmentType, Booking, Resource, Slot } from '../../src-main/api/types.ts';
import { laneCounts, laneKey, type CalendarIndex } from './model.ts';
import { laneSignature, paintLane, type LaneContext, type LaneLabels } from './lanes.ts';
import { installDrag, type DropTarget } from './drag.ts';
import { addDaysIso, hhmm, startOfWeekIso, todayIso, wallParts } from './wallclock.ts';
import { formatDay, formatGridDay } from '../i18n/format.ts';

export type { DropTarget } from './drag.ts';
export type CalendarView = 'day' | 'week';

export interface ResourceCalendarProps {
  view: CalendarView;
  /** The day shown (day view) or any day of the week shown (week view). */
  date: string;
  resources: readonly Resource[];
  index: CalendarIndex;
  types: readonly AppointmentType[];
  typeFilter: string | null;
  /** Show Saturday and Sunday in the week view. */
  weekends: boolean;
  /** Public holidays and eves the unit closes on, by date: named under the week view's date. */
  holidayNames?: ReadonlyMap<string, string>;
  onSlot?: (slot: Slot) => void;
  onBooking?: (booking: Booking) => void;
  onDrop?: (booking: Booking, target: DropTarget) => void;
  /** A blocked or passed slot was clicked: say why it cannot be booked. */
  onRefused?: (reason: 'blocked' | 'passed') => void;
}

export const FULLCALENDAR_LICENSE_KEY = 'GPL-My-Project-Is-Open-Source';

const DEFAULT_MIN = 7 * 60;
const DEFAULT_MAX = 17 * 60;
const DRAGGABLE = new Set(['booked', 'preliminary']);

/**
 * Columns stay readable (a name and a time fit); wider grids scroll sideways, and columns out of
 * view are skipped by the browser (content-visibility on the lanes).
 */
const columnMinWidth = (view: CalendarView): number => (view === 'week' ? 76 : 110);

interface MountedLane {
  el: HTMLElement;
  resourceId: string;
  /** FullCalendar's date of the column (see `shiftRef`). */
  date: string;
  /** The date it shows. */
  shown: string;
  paintedWith: LaneContext | null;
  signature: string;
}

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** Visible hours: whole hours around everything loaded, never narrower than 07–17. */
function visibleHours(index: CalendarIndex): { minMin: number; maxMin: number } {
  const minMin = Number.isFinite(index.minMin) ? Math.min(DEFAULT_MIN, Math.floor(index.minMin / 60) * 60) : DEFAULT_MIN;
  const maxMin = Number.isFinite(index.maxMin) ? Math.max(DEFAULT_MAX, Math.ceil(index.maxMin / 60) * 60) : DEFAULT_MAX;
  return { minMin, maxMin };
}

function resourceLabel(resource: ResourceApi): HTMLElement {
  const box = document.createElement('div');
  box.className = 'tb-resource-label';
  const name = document.createElement('span');
  name.className = 'tb-resource-name';
  name.textContent = resource.title;
  const title = document.createElement('span');
  title.className = 'tb-resource-title';
  title.textContent = String(resource.extendedProps['subtitle'] ?? '');
  box.append(name, title);
  return box;
}

/** A week column's header: its date, and under it the holiday the unit closes on, if any. */
function fillHeader(el: HTMLElement, date: string, lang: string, holidays: ReadonlyMap<string, string> | undefined): void {
  el.textContent = formatGridDay(date, lang);
  const name = holidays?.get(date);
  el.title = name ?? '';
  if (!name) return;
  const note = document.createElement('span');
  note.className = 'tb-day-holiday';
  // The holiday library writes some names in lower case ('långfredagen'): a heading starts with a capital.
  note.textContent = name.charAt(0).toLocaleUpperCase('sv-SE') + name.slice(1);
  el.append(note);
}

/**
 * Under a week column's date: its bookings and the times still free to book ("12 bokade · 5 lediga";
 * a narrow column shows the free ones, the count of bookings is in its name and tooltip).
 */
function fillCounts(el: HTMLElement, resourceId: string, date: string, index: CalendarIndex, t: TFunction): void {
  const { booked, free } = laneCounts(index, resourceId, date, Date.now());
  const box = document.createElement('span');
  box.className = 'tb-day-counts';
  if (!index.lanes.has(laneKey(resourceId, date))) {
    box.classList.add('tb-day-counts-none');
    box.textContent = t('calendar.countNone');
  } else {
    const b = document.createElement('span');
    b.className = 'tb-count-booked';
    b.textContent = `${t('calendar.countBooked', { count: booked })} · `;
    const f = document.createElement('span');
    f.className = free > 0 ? 'tb-count-free' : 'tb-count-free tb-count-zero';
    f.textContent = t('calendar.countFree', { count: free });
    box.append(b, f);
    box.title = `${t('calendar.countBooked', { count: booked })}, ${t('calendar.countFree', { count: free })}`;
  }
  el.append(box);
}

interface MountedHeader {
  el: HTMLElement;
  /** FullCalendar's date of the column (see `shiftRef`). */
  date: string;
  resourceId: string;
  /** What it shows: a refetch or the minute tick rewrites only headers whose text changes. */
  signature: string;
}

/** Fills a week column's header for the date it shows, unless it already shows just that. */
function paintHeader(
  h: MountedHeader,
  shown: string,
  lang: string,
  holidays: ReadonlyMap<string, string> | undefined,
  index: CalendarIndex,
  t: TFunction,
): void {
  const counts = h.resourceId ? laneCounts(index, h.resourceId, shown, Date.now()) : null;
  const signature = `${shown}|${lang}|${holidays?.get(shown) ?? ''}|${counts ? `${counts.booked}/${counts.free}/${index.lanes.has(laneKey(h.resourceId, shown))}` : ''}`;
  if (signature === h.signature) return;
  h.signature = signature;
  fillHeader(h.el, shown, lang, holidays);
  if (h.resourceId) fillCounts(h.el, h.resourceId, shown, index, t);
}

export function ResourceCalendar(props: ResourceCalendarProps) {
  const { view, date, resources, index, types, typeFilter, weekends } = props;
  const { t, i18n } = useTranslation();
  const rootRef = useRef<HTMLDivElement>(null);
  const calendarRef = useRef<Calendar | null>(null);
  const lanesRef = useRef(new Map<string, MountedLane>());
  const propsRef = useRef(props);
  propsRef.current = props;
  const tRef = useRef(t);
  tRef.current = t;
  // Moving a day or a week never re-renders FullCalendar: its columns stay on one date and each
  // lane (and, in the week view, each date header, which we own too) shows that date + shift
  // days. A week moves by whole weeks, so weekdays and hidden weekends stay where they are.
  const shiftRef = useRef(0);
  const headersRef = useRef(new Map<string, MountedHeader>());
  const anchorRef = useRef(props.date);
  // A tick a minute moves the now-line (drawn by the lanes, so it follows the shifted day).
  const [minuteTick, setMinuteTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setMinuteTick((x) => x + 1), 60_000);
    return () => clearInterval(timer);
  }, []);

  // Refetched ranges carry new but equal resource objects: only a real change re-renders the columns.
  const resourcesKey = resources.map((r) => `${r.id}\u0001${r.name}\u0001${r.title ?? ''}`).join('\u0002');
  const fcResources: ResourceInput[] = useMemo(
    () => resources.map((r) => ({ id: r.id, title: r.name, sortOrder: r.sortOrder, extendedProps: { subtitle: r.title ?? '' } })),
    [resourcesKey],
  );

  const labels: LaneLabels = useMemo(
    () => ({
      free: t('calendar.free'),
      blocked: t('calendar.blocked'),
      protected: t('calendar.protected'),
      passed: t('calendar.passed'),
      started: t('walkIn.slot'),
      webPublished: t('calendar.webPublished'),
      conflict: t('calendar.conflict'),
      passSummer: t('calendar.passSummer'),
      passWinter: t('calendar.passWinter'),
      status: t('calendar.status', { returnObjects: true }) as Record<string, string>,
      channel: t('calendar.channel', { returnObjects: true }) as Record<string, string>,
      markArrived: t('calendar.markArrived'),
      markNoShow: t('calendar.markNoShow'),
      markPreliminary: t('calendar.markPreliminary'),
      markBlocked: t('calendar.markBlocked'),
      blockedBooking: t('calendar.blockedBooking'),
      markHeldElsewhere: t('calendar.markHeldElsewhere'),
      heldElsewhere: t('calendar.heldElsewhere'),
    }),
    [t],
  );
  const typeById = useMemo(() => new Map(types.map((x) => [x.id, x])), [types]);
  const resourceName = useMemo(() => new Map(fcResources.map((r) => [r.id!, r.title!])), [fcResources]);
  const hours = visibleHours(index);
  const now = wallParts(Date.now());

  // The context every lane is painted with; a new object means "repaint what you show".
  const laneCtx: LaneContext = useMemo(
    () => ({
      index,
      typeById,
      resourceName,
      labels,
      lang: i18n.language,
      minMin: hours.minMin,
      maxMin: hours.maxMin,
      typeFilter,
      dayLabel: view === 'week' ? (d: string) => formatDay(d, i18n.language) : null,
      today: todayIso(),
      nowMin: now.minutes,
    }),
    // now.minutes is read on each render on purpose; the rest decides when to repaint.
    [index, typeById, resourceName, labels, i18n.language, hours.minMin, hours.maxMin, typeFilter, minuteTick, view],
  );
  const ctxRef = useRef(laneCtx);
  ctxRef.current = laneCtx;

  // Create FullCalendar once; later changes go through setOption / gotoDate / changeView.
  useLayoutEffect(() => {
    const root = rootRef.current!;
    const lanes = lanesRef.current;
    const laneFor = (arg: DayCellContentArg & { resource?: ResourceApi }): HTMLElement | null => {
      if (!arg.resource) return null;
      const resourceId = arg.resource.id;
      const day = arg.date.toISOString().slice(0, 10);
      const shown = addDaysIso(day, shiftRef.current);
      const key = `${resourceId}|${day}`;
      let lane = lanes.get(key);
      if (!lane) {
        const el = document.createElement('div');
        el.className = 'tb-lane';
        lane = { el, resourceId, date: day, shown: '', paintedWith: null, signature: '' };
        lanes.set(key, lane);
      }
      if (lane.paintedWith !== ctxRef.current || lane.shown !== shown) {
        paintLane(lane.el, resourceId, shown, ctxRef.current);
        lane.paintedWith = ctxRef.current;
        lane.shown = shown;
        lane.signature = laneSignature(resourceId, shown, ctxRef.current);
      }
      return lane.el;
    };
    const p = propsRef.current;
    const options: CalendarOptions = {
      plugins: [resourceTimeGridPlugin, scrollGridPlugin],
      schedulerLicenseKey: FULLCALENDAR_LICENSE_KEY,
      initialView: p.view === 'week' ? 'resourceTimeGridWeek' : 'resourceTimeGridDay',
      initialDate: p.date,
      timeZone: 'UTC',
      locale: i18n.language === 'en' ? enLocale : svLocale,
      headerToolbar: false,
      allDaySlot: false,
      // Weekends hide only in the week view: a day chosen explicitly is always shown.
      weekends: p.view === 'day' || p.weekends,
      slotMinTime: hhmm(ctxRef.current.minMin),
      slotMaxTime: hhmm(ctxRef.current.maxMin),
      slotDuration: '00:15:00',
      slotLabelInterval: '01:00',
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      dayHeaderContent: (arg) => {
        const day = arg.date.toISOString().slice(0, 10);
        const resource = (arg as { resource?: ResourceApi }).resource;
        const key = `${resource?.id ?? ''}|${day}`;
        let header = headersRef.current.get(key);
        if (!header) {
          header = { el: document.createElement('span'), date: day, resourceId: resource?.id ?? '', signature: '' };
          header.el.className = 'tb-day-head';
          headersRef.current.set(key, header);
        }
        const { holidayNames } = propsRef.current;
        paintHeader(header, addDaysIso(day, shiftRef.current), i18n.language, holidayNames, ctxRef.current.index, tRef.current);
        return { domNodes: [header.el] };
      },
      dayHeaderWillUnmount: (arg) => {
        const resource = (arg as { resource?: ResourceApi }).resource;
        headersRef.current.delete(`${resource?.id ?? ''}|${arg.date.toISOString().slice(0, 10)}`);
      },
      dayMinWidth: columnMinWidth(p.view),
      expandRows: true,
      height: '100%',
      resources: fcResources,
      resourceOrder: 'sortOrder',
      resourceLabelContent: (arg) => ({ domNodes: [resourceLabel(arg.resource)] }),
      dayCellContent: (arg: DayCellContentArg) => {
        const lane = laneFor(arg);
        return lane ? { domNodes: [lane] } : true;
      },
      dayCellWillUnmount: (arg) => {
        const resource = (arg as { resource?: ResourceApi }).resource;
        if (resource) lanes.delete(`${resource.id}|${arg.date.toISOString().slice(0, 10)}`);
      },
    };
    const calendar = new Calendar(root, options);
    calendarRef.current = calendar;
    calendar.render();
    ensureTabStop(root);
    return () => {
      calendar.destroy();
      calendarRef.current = null;
      lanes.clear();
    };
    // Created once; see the effects below for changes.
  }, []);

  // Apply changes before the browser paints, in one FullCalendar render.
  const applied = useRef({ view, date, fcResources, weekends, lang: i18n.language, hours: `${hours.minMin}-${hours.maxMin}` });
  useLayoutEffect(() => {
    const calendar = calendarRef.current;
    if (!calendar) return;
    const last = applied.current;
    const hoursKey = `${hours.minMin}-${hours.maxMin}`;
    const viewChanged = last.view !== view;
    if (viewChanged) {
      shiftRef.current = 0;
      anchorRef.current = date;
    } else if (view === 'day') shiftRef.current = daysBetween(anchorRef.current, date);
    else shiftRef.current = daysBetween(startOfWeekIso(anchorRef.current), startOfWeekIso(date));
    calendar.batchRendering(() => {
      if (last.lang !== i18n.language) calendar.setOption('locale', i18n.language === 'en' ? enLocale : svLocale);
      if (last.fcResources !== fcResources) calendar.setOption('resources', fcResources);
      if (last.weekends !== weekends || viewChanged) calendar.setOption('weekends', view === 'day' || weekends);
      if (last.hours !== hoursKey) {
        calendar.setOption('slotMinTime', hhmm(hours.minMin));
        calendar.setOption('slotMaxTime', hhmm(hours.maxMin));
      }
      if (viewChanged) {
        calendar.setOption('dayMinWidth', columnMinWidth(view));
        calendar.changeView(view === 'week' ? 'resourceTimeGridWeek' : 'resourceTimeGridDay', date);
      }
    });
    for (const h of headersRef.current.values())
      paintHeader(h, addDaysIso(h.date, shiftRef.current), i18n.language, props.holidayNames, laneCtx.index, t);
    applied.current = { view, date, fcResources, weekends, lang: i18n.language, hours: hoursKey };
    // Lanes that stayed mounted repaint from the new context; new ones painted themselves.
    for (const lane of lanesRef.current.values()) {
      const shown = addDaysIso(lane.date, shiftRef.current);
      if (lane.paintedWith !== laneCtx || lane.shown !== shown) {
        const signature = laneSignature(lane.resourceId, shown, laneCtx);
        if (signature !== lane.signature) paintLane(lane.el, lane.resourceId, shown, laneCtx);
        lane.paintedWith = laneCtx;
        lane.shown = shown;
        lane.signature = signature;
      }
    }
    ensureTabStop(rootRef.current!);
  }, [view, date, fcResources, weekends, i18n.language, hours.minMin, hours.maxMin, laneCtx, props.holidayNames]);

  // Clicks, keys and drags on what the lanes painted (one listener each for the whole grid).
  useEffect(() => {
    const root = rootRef.current!;
    const activate = (target: Element) => {
      const p = propsRef.current;
      const item = target.closest<HTMLElement>('[data-slot-id], [data-booking-id]');
      if (!item || !root.contains(item)) return;
      const { index: idx } = ctxRef.current;
      if (item.dataset['bookingId']) {
        const booking = idx.bookingsById.get(item.dataset['bookingId']);
        if (booking) p.onBooking?.(booking);
      } else if (item.dataset['state'] === 'free' || item.dataset['state'] === 'started') {
        const slot = idx.slotsById.get(item.dataset['slotId']!);
        if (slot) p.onSlot?.(slot);
      } else if (item.dataset['state'] === 'blocked' || item.dataset['state'] === 'passed') {
        p.onRefused?.(item.dataset['state']);
      }
    };
    const onClick = (e: MouseEvent) => activate(e.target as Element);
    const onKey = (e: KeyboardEvent) => {
      const item = (e.target as Element).closest<HTMLElement>('.tb-item');
      if (!item) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate(item);
        return;
      }
      const next = neighbour(item, e.key);
      if (next) {
        e.preventDefault();
        focusItem(root, next);
      }
    };
    root.addEventListener('click', onClick);
    root.addEventListener('keydown', onKey);
    const uninstall = installDrag(root, {
      canDrag: (id) => {
        const booking = ctxRef.current.index.bookingsById.get(id);
        return booking !== undefined && DRAGGABLE.has(booking.status) && booking.startAt > Date.now();
      },
      onDrop: (id, target) => {
        const booking = ctxRef.current.index.bookingsById.get(id);
        if (booking) propsRef.current.onDrop?.(booking, target);
      },
    });
    return () => {
      root.removeEventListener('click', onClick);
      root.removeEventListener('keydown', onKey);
      uninstall();
    };
  }, []);

  return <div ref={rootRef} className="tb-fc" data-view={view} />;
}

/**
 * One item of the grid is in the tab order (the focused one, else the first free slot, else the
 * first item); arrow keys move from there. Also what makes the scrolling grid keyboard-reachable.
 */
function ensureTabStop(root: HTMLElement): void {
  if (root.querySelector('.tb-item[tabindex="0"]')) return;
  const first = root.querySelector<HTMLElement>('.tb-item[data-state="free"]') ?? root.querySelector<HTMLElement>('.tb-item');
  if (first) first.tabIndex = 0;
}

/** Moves keyboard focus to a calendar item (one item at a time is in the tab order). */
export function focusItem(root: HTMLElement, item: HTMLElement): void {
  for (const e of root.querySelectorAll<HTMLElement>('.tb-item[tabindex="0"]')) e.tabIndex = -1;
  item.tabIndex = 0;
  item.focus();
  item.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Arrow keys: up/down within a column, left/right to the item at the same time in the next column. */
function neighbour(item: HTMLElement, key: string): HTMLElement | null {
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    let next = (key === 'ArrowUp' ? item.previousElementSibling : item.nextElementSibling) as HTMLElement | null;
    while (next && !next.classList.contains('tb-item'))
      next = (key === 'ArrowUp' ? next.previousElementSibling : next.nextElementSibling) as HTMLElement | null;
    return next;
  }
  if (key !== 'ArrowLeft' && key !== 'ArrowRight') return null;
  const td = item.closest('td');
  let col = (key === 'ArrowLeft' ? td?.previousElementSibling : td?.nextElementSibling) as HTMLElement | null;
  const top = item.getBoundingClientRect().top;
  while (col) {
    const items = [...col.querySelectorAll<HTMLElement>('.tb-item')];
    if (items.length > 0) {
      let best = items[0]!;
      for (const x of items)
        if (Math.abs(x.getBoundingClientRect().top - top) < Math.abs(best.getBoundingClientRect().top - top)) best = x;
      return best;
    }
    col = (key === 'ArrowLeft' ? col.previousElementSibling : col.nextElementSibling) as HTMLElement | null;
  }
  return null;
}
