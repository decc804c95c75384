// Bokningar: the desk's list beside the calendar. "Who is booked tomorrow for Anna Lindqvist",
// "web bookings since this morning", "find Tolvan's time", "today's no-shows": a filter bar over
// bookings.search and a dense table whose rows open the booking dialog (arrived, no-show, cancel,
// rebook). Refreshes on the change stream like every query (main.tsx invalidates on `changed`).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../src-main/api/contract.ts';
import type { BookingListRow } from '../../src-main/api/methods/bookings-search.ts';
import type { Booking, BookingStatus, Channel, Slot } from '../../src-main/api/types.ts';
import { call } from '../api/client.ts';
import { BookingDialog } from '../booking/BookingDialog.tsx';
import { RebookDialog } from '../booking/RebookDialog.tsx';
import { NextFreePanel } from '../booking/NextFreePanel.tsx';
import { NoticeProvider } from '../booking/notices.tsx';
import { formatIdentity } from '../booking/format.ts';
import { formatDateTime, formatDay, formatStart, formatTime, formatTimeSpan } from '../i18n/format.ts';
import { PatientDialog } from '../patients/PatientDialog.tsx';
import { addDaysIso, startOfWeekIso, todayIso, wallParts } from '../calendar/wallclock.ts';
import './bookings.css';

type Period = 'today' | 'tomorrow' | 'week' | 'custom';
type StatusChoice = 'active' | 'all' | BookingStatus;
const PERIODS: readonly Period[] = ['today', 'tomorrow', 'week', 'custom'];
const STATUSES: readonly BookingStatus[] = ['preliminary', 'booked', 'arrived', 'completed', 'no_show', 'cancelled', 'rebooked'];
const ALL_STATUSES = [...STATUSES];
const CHANNELS: readonly Channel[] = ['desk', 'phone', 'web'];
const PAGE = 100;

type Open =
  | { kind: 'booking'; bookingId: string }
  | { kind: 'pickSlot'; booking: Booking }
  | { kind: 'rebook'; booking: Booking; slot: Slot }
  | { kind: 'patient'; patientId: string }
  | null;

function periodDates(period: Exclude<Period, 'custom'>, today: string): { from: string; to: string } {
  if (period === 'tomorrow') return { from: addDaysIso(today, 1), to: addDaysIso(today, 1) };
  if (period === 'week') {
    const from = startOfWeekIso(today);
    return { from, to: addDaysIso(from, 6) };
  }
  return { from: today, to: today };
}

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function BookingsPage() {
  return (
    <NoticeProvider>
      <BookingsScreen />
    </NoticeProvider>
  );
}

function BookingsScreen() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const ids = { from: useId(), to: useId(), status: useId(), channel: useId(), type: useId(), since: useId(), sort: useId() };
  const today = todayIso();
  const [period, setPeriod] = useState<Period>('today');
  const [dates, setDates] = useState(() => periodDates('today', today));
  const [resourceIds, setResourceIds] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusChoice>('active');
  const [channel, setChannel] = useState<Channel | ''>('');
  const [typeId, setTypeId] = useState('');
  const [createdSince, setCreatedSince] = useState('');
  const [sort, setSort] = useState<'start' | 'createdDesc'>('start');
  const [patientText, setPatientText] = useState('');
  const [patient, setPatient] = useState('');
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Open>(null);
  const patientRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLDivElement>(null);
  const fromRef = useRef<HTMLInputElement>(null);
  // The row whose booking was opened: when a change removes it from the list (cancelled), focus
  // moves to the row now in its place instead of being lost.
  const openedRow = useRef<{ id: string; index: number } | null>(null);
  // A new page or filter starts at the top of the table.
  useEffect(() => {
    if (mainRef.current) mainRef.current.scrollTop = 0;
  }, [offset]);

  const resources = useQuery({
    queryKey: ['resources.list', 'all'],
    queryFn: () => call('resources.list', { includeInactive: true }),
  });
  // Deactivated types too: their bookings are still listed, filtered by and moved.
  const types = useQuery({
    queryKey: ['appointmentTypes.list', 'all'],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
  });

  const input: InputOf<'bookings.search'> = {
    from: dates.from,
    to: dates.to,
    ...(resourceIds.length ? { resourceIds } : {}),
    ...(status === 'all' ? { statuses: ALL_STATUSES } : status === 'active' ? {} : { statuses: [status] }),
    ...(channel ? { channels: [channel] } : {}),
    ...(typeId ? { appointmentTypeIds: [typeId] } : {}),
    ...(patient ? { patient } : {}),
    ...(createdSince ? { createdSince } : {}),
    sort,
    limit: PAGE,
    offset,
  };
  const list = useQuery({
    queryKey: ['bookings.search', input],
    queryFn: () => call('bookings.search', input),
    placeholderData: keepPreviousData,
    enabled: dates.from !== '' && dates.to !== '',
  });

  // Any filter change starts again at the first page.
  const refilter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };

  function choosePeriod(p: Period) {
    setPeriod(p);
    setOffset(0);
    if (p !== 'custom') setDates(periodDates(p, today));
    else fromRef.current?.focus();
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setPatient(patientText.trim());
    setOffset(0);
  }

  function clearFilters() {
    choosePeriod('today');
    setResourceIds([]);
    setStatus('active');
    setChannel('');
    setTypeId('');
    setCreatedSince('');
    setSort('start');
    setPatientText('');
    setPatient('');
  }

  // The calendar's keys where they mean the same: s or / finds a patient, t shows today.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (e.key === 's' || e.key === '/') {
        e.preventDefault();
        patientRef.current?.focus();
      } else if (e.key === 't') {
        e.preventDefault();
        choosePeriod('today');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const closeDialog = () => {
    setOpen(null);
    // The change event refetches too; this makes the list follow at once.
    void client.invalidateQueries({ queryKey: ['bookings.search'] });
  };

  const data = list.data;
  const rows = data?.rows ?? [];
  // One day chosen (Idag, I morgon): the filter names the day, so the table leaves its date column
  // out; that column is what pushed the Swedish table off a 1366-pixel screen.
  const oneDay = dates.from === dates.to && rows.every((r) => wallParts(r.startAt).date === dates.from);

  function openRow(bookingId: string, index: number) {
    openedRow.current = { id: bookingId, index };
    setOpen({ kind: 'booking', bookingId });
  }
  useEffect(() => {
    const opened = openedRow.current;
    if (open || !opened || rows.some((r) => r.id === opened.id)) return;
    openedRow.current = null;
    if (document.activeElement !== document.body) return;
    const buttons = mainRef.current?.querySelectorAll<HTMLButtonElement>('tbody tr button') ?? [];
    const next = buttons[Math.min(opened.index, buttons.length - 1)];
    if (next) next.focus();
    else patientRef.current?.focus();
  }, [rows, open]);
  const lang = i18n.language;
  const resourceName = (r: BookingListRow) => r.resourceName;
  const chosenResources = resources.data?.filter((r) => resourceIds.includes(r.id)) ?? [];

  return (
    <section className="tb-page tb-bookings" aria-labelledby="bookings-heading">
      <div className="tb-page-head">
        <h1 id="bookings-heading">{t('bookingsPage.title')}</h1>
        <p className="tb-muted tb-bookings-count" role="status" data-testid="bookings-count">
          {data ? t('bookingsPage.count', { count: data.total }) : t('app.loading')}
        </p>
        <span className="tb-bookings-sort">
          <label htmlFor={ids.sort}>{t('bookingsPage.sort')}</label>
          <select id={ids.sort} value={sort} onChange={(e) => refilter(setSort)(e.target.value as 'start' | 'createdDesc')}>
            <option value="start">{t('bookingsPage.sortStart')}</option>
            <option value="createdDesc">{t('bookingsPage.sortCreated')}</option>
          </select>
        </span>
      </div>

      <form className="tb-filterbar tb-bookings-filter" onSubmit={onSearch} role="search" aria-label={t('bookingsPage.filters')}>
        <div className="tb-bookings-row">
          <div className="tb-segmented" role="group" aria-label={t('bookingsPage.period')}>
            {PERIODS.map((p) => (
              <button
                key={p}
                type="button"
                className="tb-button tb-small"
                aria-pressed={period === p}
                onClick={() => choosePeriod(p)}
                {...(p === 'today' ? { 'aria-keyshortcuts': 't' } : {})}
              >
                {t(`bookingsPage.periods.${p}`)}
              </button>
            ))}
          </div>
          <label htmlFor={ids.from}>{t('bookingsPage.from')}</label>
          <input
            id={ids.from}
            ref={fromRef}
            type="date"
            value={dates.from}
            onChange={(e) => {
              setPeriod('custom');
              setOffset(0);
              const from = e.target.value;
              setDates((d) => ({ from, to: from && d.to < from ? from : d.to }));
            }}
          />
          <label htmlFor={ids.to}>{t('bookingsPage.to')}</label>
          <input
            id={ids.to}
            type="date"
            value={dates.to}
            min={dates.from}
            onChange={(e) => {
              setPeriod('custom');
              setOffset(0);
              setDates((d) => ({ ...d, to: e.target.value }));
            }}
          />
          <ResourcePicker
            resources={resources.data ?? []}
            chosen={resourceIds}
            onChange={refilter(setResourceIds)}
            summary={
              chosenResources.length === 0
                ? t('bookingsPage.allResources')
                : chosenResources.length === 1
                  ? chosenResources[0]!.name
                  : t('bookingsPage.nResources', { count: chosenResources.length })
            }
          />
          <span className="tb-bookings-patient">
            <label htmlFor="bookings-patient">{t('bookingsPage.patient')}</label>
            <input
              id="bookings-patient"
              ref={patientRef}
              type="search"
              value={patientText}
              onChange={(e) => setPatientText(e.target.value)}
              placeholder={t('bookingsPage.patientPlaceholder')}
              aria-describedby="bookings-patient-hint"
              aria-keyshortcuts="s /"
              autoComplete="off"
              maxLength={100}
            />
            <span id="bookings-patient-hint" className="tb-visually-hidden">
              {t('bookingsPage.patientHint')}
            </span>
            <button type="submit" className="tb-button tb-primary tb-small">
              {t('bookingsPage.search')}
            </button>
          </span>
        </div>
        <div className="tb-bookings-row">
          <label htmlFor={ids.status}>{t('bookingsPage.status')}</label>
          <select id={ids.status} value={status} onChange={(e) => refilter(setStatus)(e.target.value as StatusChoice)}>
            <option value="active">{t('bookingsPage.activeStatuses')}</option>
            <option value="all">{t('bookingsPage.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`calendar.status.${s}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.channel}>{t('bookingsPage.channel')}</label>
          <select id={ids.channel} value={channel} onChange={(e) => refilter(setChannel)(e.target.value as Channel | '')}>
            <option value="">{t('calendar.filter.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`calendar.channel.${c}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.type}>{t('bookingsPage.type')}</label>
          <select id={ids.type} value={typeId} onChange={(e) => refilter(setTypeId)(e.target.value)}>
            <option value="">{t('calendar.filter.all')}</option>
            {types.data?.map((x) => (
              <option key={x.id} value={x.id}>
                {lang === 'en' ? x.nameEn : x.nameSv}
              </option>
            ))}
          </select>
          <label htmlFor={ids.since}>{t('bookingsPage.createdSince')}</label>
          <input
            id={ids.since}
            type="datetime-local"
            value={createdSince}
            onChange={(e) => refilter(setCreatedSince)(e.target.value)}
          />
          <button
            type="button"
            className="tb-button tb-small"
            aria-pressed={createdSince === `${today}T00:00`}
            onClick={() => refilter(setCreatedSince)(createdSince === `${today}T00:00` ? '' : `${today}T00:00`)}
          >
            {t('bookingsPage.bookedToday')}
          </button>
          <button type="button" className="tb-link tb-bookings-clear" onClick={clearFilters}>
            {t('bookingsPage.clear')}
          </button>
        </div>
      </form>

      {list.error && (
        <p className="tb-auth-error" role="alert">
          {list.error.message}
        </p>
      )}

      <div className="tb-bookings-body">
        <div className="tb-bookings-main" ref={mainRef}>
          {data && rows.length === 0 ? (
            <p className="tb-empty">
              {t('bookingsPage.empty')}
              {data.patientHint && (
                <>
                  {' '}
                  <strong role="status">{data.patientHint}</strong>
                </>
              )}
            </p>
          ) : (
            <table
              className="tb-table tb-list tb-page-table tb-bookings-table"
              data-testid="bookings-table"
              aria-busy={list.isFetching}
            >
              <caption className="tb-visually-hidden">{t('bookingsPage.caption')}</caption>
              <thead>
                <tr>
                  {!oneDay && <th scope="col">{t('bookingsPage.col.date')}</th>}
                  <th scope="col">{t('bookingsPage.col.time')}</th>
                  <th scope="col">{t('bookingsPage.col.resource')}</th>
                  <th scope="col">{t('bookingsPage.col.patient')}</th>
                  <th scope="col">{t('bookingsPage.col.type')}</th>
                  <th scope="col">{t('bookingsPage.col.contact')}</th>
                  <th scope="col">{t('bookingsPage.col.status')}</th>
                  <th scope="col">{t('bookingsPage.col.channel')}</th>
                  <th scope="col">{t('bookingsPage.col.created')}</th>
                  <th scope="col">{t('bookingsPage.col.note')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, index) => {
                  const day = wallParts(r.startAt).date;
                  return (
                    <tr
                      key={r.id}
                      data-booking-id={r.id}
                      className={`tb-status-row-${r.status}`}
                      onClick={(e) => {
                        // The time button handles its own click (and the keyboard).
                        if (!(e.target instanceof HTMLButtonElement)) openRow(r.id, index);
                      }}
                    >
                      {!oneDay && <td className="tb-nowrap">{formatDay(day, lang)}</td>}
                      <td className="tb-nowrap">
                        <button
                          type="button"
                          className="tb-link"
                          onClick={() => openRow(r.id, index)}
                          aria-label={t('bookingsPage.open', {
                            when: formatStart(r.startAt, lang),
                            who: r.patient.displayName ?? t('calendar.protected'),
                          })}
                        >
                          {formatTimeSpan(r.startAt, r.endAt, lang)}
                        </button>
                      </td>
                      <td>{resourceName(r)}</td>
                      <td>
                        {r.patient.protectedIdentity ? (
                          <span className="tb-protected-mark tb-protected-inline">{t('calendar.protected')}</span>
                        ) : (
                          <span className="tb-bookings-name">{r.patient.displayName}</span>
                        )}{' '}
                        {r.patient.identityNumber && (
                          <span className="tb-bookings-pnr">{formatIdentity(r.patient.identityNumber)}</span>
                        )}
                      </td>
                      <td>
                        <span className="tb-swatch" style={{ background: r.appointmentTypeColour }} aria-hidden="true" />{' '}
                        {lang === 'en' ? r.appointmentTypeName.en : r.appointmentTypeName.sv}
                      </td>
                      <td className="tb-nowrap">{t(`mode.${r.contactMode}`)}</td>
                      <td>
                        <span className={`tb-status-chip tb-chip-${r.status}`}>{t(`calendar.status.${r.status}`)}</span>
                      </td>
                      <td className="tb-nowrap">
                        {r.channel === 'web' ? (
                          <span className="tb-mark tb-mark-web" title={t('calendar.channel.web')}>
                            1177
                          </span>
                        ) : (
                          t(`calendar.channel.${r.channel}`)
                        )}
                      </td>
                      <td className="tb-nowrap tb-muted">
                        {/* When it was booked, compact: the time alone if today. */}
                        {wallParts(r.createdAt).date === today
                          ? formatTime(r.createdAt, lang)
                          : formatDateTime(r.createdAt, lang)}
                      </td>
                      <td className="tb-bookings-notecell">
                        <span className="tb-bookings-note" title={r.note || undefined}>
                          {r.note}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          {data && data.total > PAGE && (
            <nav className="tb-bookings-pager" aria-label={t('bookingsPage.paging')}>
              <button
                type="button"
                className="tb-button tb-small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                {t('bookingsPage.prev')}
              </button>
              <span>{t('bookingsPage.range', { first: offset + 1, last: offset + rows.length, total: data.total })}</span>
              <button
                type="button"
                className="tb-button tb-small"
                disabled={offset + PAGE >= data.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                {t('bookingsPage.next')}
              </button>
            </nav>
          )}
        </div>
        {(open?.kind === 'pickSlot' || open?.kind === 'rebook') && (
          <NextFreePanel
            types={types.data ?? []}
            resources={resources.data?.filter((r) => r.active) ?? []}
            initialTypeId={open.booking.appointmentTypeId}
            rebookingId={open.booking.id}
            from={today}
            onClose={closeDialog}
            onPick={(slot) => setOpen({ kind: 'rebook', booking: open.booking, slot })}
            banner={
              <p className="tb-moving">
                {t('rebook.choosing', {
                  name: open.booking.patient.protectedIdentity ? t('calendar.protected') : open.booking.patient.displayName,
                })}
              </p>
            }
          />
        )}
      </div>
      {open?.kind === 'booking' && (
        <BookingDialog
          bookingId={open.bookingId}
          onClose={closeDialog}
          onOpenPatient={(patientId) => setOpen({ kind: 'patient', patientId })}
          onRebook={(booking) => setOpen({ kind: 'pickSlot', booking })}
        />
      )}
      {open?.kind === 'rebook' && (
        <RebookDialog
          booking={open.booking}
          slot={open.slot}
          types={types.data ?? []}
          resources={resources.data ?? []}
          onClose={closeDialog}
        />
      )}
      {open?.kind === 'patient' && (
        <PatientDialog
          patientId={open.patientId}
          onClose={closeDialog}
          onOpenBooking={(bookingId) => setOpen({ kind: 'booking', bookingId })}
        />
      )}
    </section>
  );
}

/** Resources as checkboxes in a disclosure: several clinicians at once, keyboard-operable. */
function ResourcePicker({
  resources,
  chosen,
  onChange,
  summary,
}: {
  resources: readonly { id: string; name: string; active: boolean }[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  summary: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDetailsElement>(null);
  const set = new Set(chosen);
  const shown = resources.filter((r) => r.active || set.has(r.id));
  // A disclosure that behaves like a menu: Escape or a click elsewhere closes it.
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);
  return (
    <details
      className="tb-bookings-resources"
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && ref.current?.open) {
          e.preventDefault();
          ref.current.open = false;
          ref.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary>
        <span className="tb-bookings-summary-label">{t('bookingsPage.resource')}</span> {summary}
      </summary>
      <fieldset>
        <legend className="tb-visually-hidden">{t('bookingsPage.resource')}</legend>
        {shown.map((r) => (
          <label key={r.id}>
            <input
              type="checkbox"
              checked={set.has(r.id)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, r.id] : chosen.filter((id) => id !== r.id))}
            />
            {r.name}
          </label>
        ))}
        {chosen.length > 0 && (
          <button type="button" className="tb-link" onClick={() => onChange([])}>
            {t('bookingsPage.allResources')}
          </button>
        )}
      </fieldset>
    </details>
  );
}
