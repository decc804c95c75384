// Kalender: the receptionist's day and week, clinicians and rooms as columns, or the day as a
// list. Loads only the visible range (neighbours prefetched), refetches when main says something
// changed, and opens the booking dialogs. Keyboard first: see keyboard/shortcuts.ts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getISOWeek } from 'date-fns';
import { useTranslation } from 'react-i18next';
import type { Booking, Slot } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { focusItem, ResourceCalendar, type DropTarget } from './ResourceCalendar.tsx';
import { buildIndex, freeToBook } from './model.ts';
import { rangeFor, rangeKey, step, type PageView } from './ranges.ts';
import { addDaysIso, isoWeekday, todayIso, wallParts } from './wallclock.ts';
import { formatDate, formatLongDate } from '../i18n/format.ts';
import { ListView } from './ListView.tsx';
import { Legend } from './Legend.tsx';
import { BookDialog } from '../booking/BookDialog.tsx';
import { BookingDialog } from '../booking/BookingDialog.tsx';
import { RebookDialog } from '../booking/RebookDialog.tsx';
import { NextFreePanel } from '../booking/NextFreePanel.tsx';
import { NoticeProvider, useNotify } from '../booking/notices.tsx';
import { PatientSearchDialog } from '../patients/PatientSearchDialog.tsx';
import { PatientDialog } from '../patients/PatientDialog.tsx';
import { HelpOverlay } from '../keyboard/HelpOverlay.tsx';
import { useCalendarShortcuts, type CalendarAction } from '../keyboard/shortcuts.ts';

type Open =
  | { kind: 'book'; slot: Slot; typeId: string | null }
  | { kind: 'booking'; bookingId: string }
  | { kind: 'rebook'; booking: Booking; slot: Slot }
  | { kind: 'patientSearch' }
  | { kind: 'patient'; patientId: string }
  | { kind: 'help' }
  | null;

const VIEWS: readonly PageView[] = ['day', 'week', 'list'];

/** `prefetch`: fetched ahead of being shown, so main logs no reads of its patients yet. */
function rangeQuery(r: { from: string; to: string }, prefetch = false) {
  return {
    queryKey: rangeKey(r),
    queryFn: () => call('calendar.range', { from: r.from, to: r.to, ...(prefetch && { prefetch }) }),
  };
}

export function CalendarPage() {
  return (
    <NoticeProvider>
      <CalendarScreen />
    </NoticeProvider>
  );
}

function CalendarScreen() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const [view, setView] = useState<PageView>('day');
  const [date, setDate] = useState(() => todayIso());
  const [profession, setProfession] = useState('');
  const [resourceId, setResourceId] = useState('');
  const [typeId, setTypeId] = useState('');
  const [freePanel, setFreePanel] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  // Rebooking without a drag: the booking whose new slot is being chosen.
  const [moving, setMoving] = useState<Booking | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // Where the focus goes back to when Första lediga tid closes (it held the focus).
  const freeButton = useRef<HTMLButtonElement>(null);
  function closeFreePanel() {
    setFreePanel(false);
    setMoving(null);
    freeButton.current?.focus();
  }

  const visible = rangeFor(view, date);
  const range = useQuery({ ...rangeQuery(visible), placeholderData: (prev) => prev });
  // Deactivated types too: their bookings keep showing by name and can still be moved (not booked anew).
  const types = useQuery({
    queryKey: ['appointmentTypes.list', 'all'],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
  });

  // Prefetch the neighbouring ranges once the visible one is in: next/previous paint from cache.
  useEffect(() => {
    if (!range.isSuccess) return;
    for (const dir of [1, -1] as const) void client.prefetchQuery(rangeQuery(rangeFor(view, step(view, date, dir)), true));
  }, [client, range.isSuccess, view, date]);

  const data = range.data && range.data.from === visible.from ? range.data : undefined;
  // A range fetched ahead paints at once from the cache and is fetched again, logged, now that
  // its patients are on screen (the access log records what staff saw, not what was prefetched).
  const { refetch } = range;
  const unlogged = data !== undefined && !data.readsLogged;
  useEffect(() => {
    if (unlogged) void refetch();
  }, [unlogged, refetch, visible.from]);
  const index = useMemo(() => buildIndex(data ? [data] : []), [data]);
  const allResources = useMemo(() => data?.resources ?? range.data?.resources ?? [], [data, range.data]);
  const professions = useMemo(
    () => [...new Set(allResources.map((r) => r.profession).filter((p): p is string => !!p))],
    [allResources],
  );
  const resources = useMemo(
    () => allResources.filter((r) => (!profession || r.profession === profession) && (!resourceId || r.id === resourceId)),
    [allResources, profession, resourceId],
  );
  const activeTypes = useMemo(() => (types.data ?? []).filter((x) => x.active), [types.data]);
  const weekends = useMemo(() => (data?.slots ?? []).some((s) => isoWeekday(wallParts(s.startAt).date) >= 6), [data]);

  const shown = new Set(resources.map((r) => r.id));
  const bookings = data ? data.bookings.filter((b) => shown.has(b.resourceId)).length : 0;
  // Free = still bookable: open, not booked, not yet started.
  const nowAt = Date.now();
  const free = data ? data.slots.filter((s) => shown.has(s.resourceId) && freeToBook(s, index, nowAt)).length : 0;
  const closed = view !== 'week' && data !== undefined && data.closedDates.includes(date);
  const nextOpen = useQuery({
    queryKey: ['calendar.nextOpenDate', date],
    queryFn: () => call('calendar.nextOpenDate', { from: addDaysIso(date, 1) }),
    enabled: closed,
  });
  // Closed public holidays and eves are named ('Helgdag: Kristi himmelsfärdsdag' on a closed day,
  // the name under the date in the week view), not guessed at. A week may reach into next year.
  const years = [...new Set([visible.from.slice(0, 4), addDaysIso(visible.to, -1).slice(0, 4)])];
  const holidays = useQuery({
    queryKey: ['holidays.list', years.join(',')],
    queryFn: async () => (await Promise.all(years.map((y) => call('holidays.list', { year: Number(y) })))).flat(),
    staleTime: 5 * 60_000,
  });
  const holidayNames = useMemo(
    () => new Map((holidays.data ?? []).filter((h) => h.closed).map((h) => [h.date, h.name])),
    [holidays.data],
  );
  const holiday = closed ? holidayNames.get(date) : undefined;

  const go = (d: string) => setDate(d);

  function firstFreeElement(): HTMLElement | null {
    return gridRef.current?.querySelector<HTMLElement>('[data-state="free"]:not(.tb-dimmed)') ?? null;
  }

  function onDrop(booking: Booking, target: DropTarget) {
    if (target.ok) {
      const slot = index.slotsById.get(target.slotId);
      if (slot) setOpen({ kind: 'rebook', booking, slot });
      return;
    }
    notify('error', t(`rebook.refused.${target.reason}`));
  }

  function run(action: CalendarAction) {
    switch (action) {
      case 'today':
        return go(todayIso());
      case 'next':
        return go(step(view, date, 1));
      case 'prev':
        return go(step(view, date, -1));
      case 'day':
      case 'week':
      case 'list':
        return setView(action);
      case 'nextFree': {
        const el = firstFreeElement();
        if (el && gridRef.current) focusItem(gridRef.current, el);
        else setFreePanel(true);
        return;
      }
      case 'newBooking': {
        const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        const el = focused?.dataset['state'] === 'free' ? focused : firstFreeElement();
        const slot = el ? index.slotsById.get(el.dataset['slotId']!) : undefined;
        if (slot) setOpen({ kind: 'book', slot, typeId: typeId || null });
        else setFreePanel(true);
        return;
      }
      case 'searchPatient':
        return setOpen({ kind: 'patientSearch' });
      case 'help':
        return setOpen({ kind: 'help' });
    }
  }
  useCalendarShortcuts(run);

  const movingName = moving ? (moving.patient.protectedIdentity ? t('calendar.protected') : moving.patient.displayName) : '';
  // The week number above the date or dates: the heading stays two short lines at any date, so
  // the toolbar never wraps at desk widths (1280 px and up).
  const lastDay = addDaysIso(visible.to, weekends ? -1 : -3); // Without weekend slots: Monday to Friday.
  const heading = {
    week: t('calendar.weekNumber', { week: getISOWeek(new Date(`${view === 'week' ? visible.from : date}T12:00:00Z`)) }),
    dates:
      view === 'week'
        ? t('calendar.weekRange', {
            // A week starts on Monday: no weekday names. A week across New Year names both years.
            from: formatDate(visible.from, i18n.language, visible.from.slice(0, 4) !== lastDay.slice(0, 4)),
            to: formatDate(lastDay, i18n.language, true),
          })
        : formatLongDate(date, i18n.language),
  };

  return (
    <section className="tb-calendar-page" aria-labelledby="calendar-heading">
      <div className="tb-toolbar" role="toolbar" aria-label={t('calendar.title')}>
        {/* Idag and the arrows come first, so they stay put under the mouse while the heading changes. */}
        <div className="tb-toolbar-group">
          <button type="button" onClick={() => go(todayIso())} className="tb-button" aria-keyshortcuts="t">
            {t('calendar.today')}
          </button>
          <button
            type="button"
            onClick={() => go(step(view, date, -1))}
            className="tb-button tb-icon-button"
            aria-label={view === 'week' ? t('calendar.prevWeek') : t('calendar.prevDay')}
            aria-keyshortcuts="p"
          >
            ‹
          </button>
          <button
            type="button"
            onClick={() => go(step(view, date, 1))}
            className="tb-button tb-icon-button"
            aria-label={view === 'week' ? t('calendar.nextWeek') : t('calendar.nextDay')}
            aria-keyshortcuts="n"
          >
            ›
          </button>
        </div>
        <h1 id="calendar-heading" className="tb-date-heading">
          <span className="tb-heading-week">
            {heading.week}
            <span className="tb-visually-hidden"> · </span>
          </span>
          <span className="tb-heading-dates">{heading.dates}</span>
        </h1>
        <div className="tb-toolbar-group">
          <label className="tb-date-picker">
            <span className="tb-visually-hidden">{t('calendar.pickDate')}</span>
            <input type="date" value={date} onChange={(e) => e.target.value && go(e.target.value)} />
          </label>
        </div>
        <div className="tb-segmented" role="group" aria-label={t('calendar.viewLabel')}>
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className="tb-button"
              aria-pressed={view === v}
              onClick={() => setView(v)}
              aria-keyshortcuts={v === 'day' ? 'd' : v === 'week' ? 'v' : 'l'}
            >
              {t(`calendar.view.${v}`)}
            </button>
          ))}
        </div>
        <button
          ref={freeButton}
          type="button"
          className="tb-button"
          aria-expanded={freePanel}
          aria-controls="next-free-panel"
          onClick={() => setFreePanel((x) => !x)}
          aria-keyshortcuts="f"
        >
          {t('nextFree.title')}
        </button>
        <button type="button" className="tb-button" onClick={() => setOpen({ kind: 'patientSearch' })} aria-keyshortcuts="s">
          {t('patients.search')}
        </button>
        <button
          type="button"
          className="tb-button tb-icon-button"
          onClick={() => setOpen({ kind: 'help' })}
          aria-label={t('keys.title')}
          aria-keyshortcuts="?"
        >
          ?
        </button>
      </div>
      <div className="tb-filterbar">
        <label>
          <span>{t('calendar.filter.profession')}</span>
          <select
            value={profession}
            onChange={(e) => {
              setProfession(e.target.value);
              setResourceId('');
            }}
          >
            <option value="">{t('calendar.filter.all')}</option>
            {professions.map((p) => (
              <option key={p} value={p}>
                {t(`profession.${p}`, { defaultValue: p })}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('calendar.filter.resource')}</span>
          <select value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
            <option value="">{t('calendar.filter.all')}</option>
            {allResources
              .filter((r) => !profession || r.profession === profession)
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          <span>{t('calendar.filter.type')}</span>
          <select value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            <option value="">{t('calendar.filter.all')}</option>
            {activeTypes.map((x) => (
              <option key={x.id} value={x.id}>
                {i18n.language === 'en' ? x.nameEn : x.nameSv}
              </option>
            ))}
          </select>
        </label>
        <Legend />
        {data && !closed && (
          <p className="tb-summary" aria-live="polite">
            {t('calendar.summary', { bookings, free })}
          </p>
        )}
      </div>
      {range.error && (
        <p role="alert" className="tb-error">
          {range.error.message}
        </p>
      )}
      {closed && (
        <div className="tb-closed" role="status" data-testid="closed-day">
          <p>
            <strong>{t('calendar.closed', { date: formatLongDate(date, i18n.language) })}</strong>{' '}
            {holiday ? t('calendar.closedHoliday', { name: holiday }) : t('calendar.closedHint')}
          </p>
          {nextOpen.data?.date ? (
            <button type="button" className="tb-button tb-primary" onClick={() => nextOpen.data?.date && go(nextOpen.data.date)}>
              {t('calendar.goNextOpen', { date: formatLongDate(nextOpen.data.date, i18n.language) })}
            </button>
          ) : nextOpen.data ? (
            <p>{t('calendar.noOpenDay')}</p>
          ) : null}
        </div>
      )}
      {moving && (
        <div className="tb-moving-bar" role="status" data-testid="rebook-mode">
          <span>{t('rebook.choosing', { name: movingName })}</span>
          <button type="button" className="tb-button tb-small" onClick={closeFreePanel}>
            {t('rebook.stop')}
          </button>
        </div>
      )}
      <div className="tb-calendar-body">
        <div className="tb-calendar" data-testid="calendar" aria-busy={range.isFetching} ref={gridRef}>
          {view === 'list' ? (
            <ListView
              data={data}
              resources={resources}
              types={types.data ?? []}
              typeFilter={typeId || null}
              onBooking={(b) => setOpen({ kind: 'booking', bookingId: b.id })}
            />
          ) : (
            types.data && (
              <ResourceCalendar
                view={view}
                date={date}
                resources={resources}
                index={index}
                types={types.data}
                typeFilter={typeId || null}
                weekends={weekends}
                holidayNames={holidayNames}
                onSlot={(slot) =>
                  setOpen(moving ? { kind: 'rebook', booking: moving, slot } : { kind: 'book', slot, typeId: typeId || null })
                }
                onBooking={(b) => setOpen({ kind: 'booking', bookingId: b.id })}
                onDrop={onDrop}
                onRefused={(reason) => notify('error', t(`rebook.refused.${reason}`))}
              />
            )
          )}
        </div>
        {freePanel && (
          <NextFreePanel
            key={moving?.id ?? 'book'}
            types={types.data ?? []}
            rebookingId={moving?.id}
            resources={allResources}
            initialTypeId={moving?.appointmentTypeId ?? typeId}
            // A rebooking asks for the first free time from today, not from the day the booking was on.
            from={moving || date < todayIso() ? todayIso() : date}
            onClose={closeFreePanel}
            focusFirstTime={moving !== null}
            onPick={(slot, pickedType) =>
              setOpen(moving ? { kind: 'rebook', booking: moving, slot } : { kind: 'book', slot, typeId: pickedType })
            }
            banner={moving && <p className="tb-moving">{t('rebook.choosing', { name: movingName })}</p>}
          />
        )}
      </div>
      {open?.kind === 'book' && (
        <BookDialog
          slot={open.slot}
          presetTypeId={open.typeId}
          types={activeTypes}
          resources={allResources}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'booking' && (
        <BookingDialog
          bookingId={open.bookingId}
          onClose={() => setOpen(null)}
          onOpenPatient={(patientId) => setOpen({ kind: 'patient', patientId })}
          onRebook={(b) => {
            setOpen(null);
            setMoving(b);
            setFreePanel(true);
          }}
        />
      )}
      {open?.kind === 'rebook' && (
        <RebookDialog
          booking={open.booking}
          slot={open.slot}
          types={types.data ?? []}
          resources={allResources}
          onClose={() => setOpen(null)}
          onRebooked={() => {
            setMoving(null);
            setFreePanel(false);
          }}
        />
      )}
      {open?.kind === 'patientSearch' && (
        <PatientSearchDialog onClose={() => setOpen(null)} onOpen={(patientId) => setOpen({ kind: 'patient', patientId })} />
      )}
      {open?.kind === 'patient' && (
        <PatientDialog
          patientId={open.patientId}
          onClose={() => setOpen(null)}
          onOpenBooking={(bookingId, day) => {
            if (day) go(day);
            setOpen({ kind: 'booking', bookingId });
          }}
        />
      )}
      {open?.kind === 'help' && <HelpOverlay onClose={() => setOpen(null)} />}
    </section>
  );
}
