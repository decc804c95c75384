// Första lediga tid: type, profession or clinician, from date, web-only -> the first free slots;
// one click opens the booking for that slot with the type preset. Opened, it takes the focus (the
// type to choose; while rebooking, whose type is known, the first time); Enter in a search field
// goes to the first time; Escape closes it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Resource, Slot } from '../../src-main/api/types.ts';
import type { FreeSlot } from '../../src-main/api/methods/scheduling.ts';
import { call } from '../api/client.ts';
import { addDaysIso, todayIso } from '../calendar/wallclock.ts';
import { formatDay, formatSpan } from '../i18n/format.ts';
import '../calendar/walk-in.css';

export interface NextFreePanelProps {
  types: readonly AppointmentType[];
  resources: readonly Resource[];
  initialTypeId: string;
  from: string;
  onClose: () => void;
  onPick: (slot: Slot, typeId: string) => void;
  /** Set while rebooking: says whose new time is being chosen. */
  banner?: ReactNode;
  /** Rebooking: the type is the booking's, so the first offered time takes the focus, not the type. */
  focusFirstTime?: boolean;
  /**
   * Rebooking: the booking being moved. Its type (`initialTypeId`) is offered and searched also
   * when deactivated; other deactivated types never are.
   */
  rebookingId?: string | undefined;
}

export function toSlot(f: FreeSlot): Slot {
  return {
    id: f.slotId,
    resourceId: f.resourceId,
    startAt: f.startAt,
    endAt: f.endAt,
    appointmentTypeIds: f.appointmentTypeIds,
    state: 'open',
    blockReason: null,
    webPublished: f.webPublished,
    withinCareGuarantee: true,
    templateId: null,
    ...(f.heldElsewhere ? { heldElsewhere: true as const } : {}),
  };
}

export function NextFreePanel({
  types,
  resources,
  initialTypeId,
  from,
  onClose,
  onPick,
  banner,
  focusFirstTime,
  rebookingId,
}: NextFreePanelProps) {
  const { t, i18n } = useTranslation();
  const ids = { type: useId(), who: useId(), from: useId(), web: useId() };
  // A deactivated type only for moving a booking of it (to times laid while it was offered).
  const offered = types.filter((x) => x.active || (rebookingId !== undefined && x.id === initialTypeId));
  const [typeId, setTypeId] = useState(initialTypeId || offered[0]?.id || '');
  const [who, setWho] = useState('');
  const [fromDate, setFromDate] = useState(from);
  const [webOnly, setWebOnly] = useState(false);
  // Only those who may perform the chosen type (its professions; none listed = anyone): a
  // clinician or profession that cannot would only ever answer "no free times".
  const type = types.find((x) => x.id === typeId);
  const performs = (p: string | null) => !type || type.professions.length === 0 || (p !== null && type.professions.includes(p));
  const fitting = resources.filter((r) => performs(r.profession));
  const professions = [...new Set(fitting.map((r) => r.profession).filter((p): p is string => !!p))];
  // A choice the new type rules out counts as anyone (and shows so).
  const fits = who.startsWith('p:') ? professions.includes(who.slice(2)) : fitting.some((r) => `r:${r.id}` === who);
  const whoShown = fits ? who : '';
  // Nothing can be found whatever the book holds: say why, as tidbok slots free does.
  const lastDay = type ? addDaysIso(todayIso(), type.bookMaxDays) : '';
  const why = !type
    ? null
    : webOnly && !type.webBookable
      ? t(type.invitationOnly ? 'nextFreeWhy.invitationOnly' : 'nextFreeWhy.notOnWeb')
      : fromDate > lastDay
        ? t('nextFreeWhy.beyondWindow', { count: type.bookMaxDays, date: formatDay(lastDay, i18n.language, true) })
        : null;
  const input = {
    appointmentTypeId: typeId,
    from: fromDate,
    limit: 10,
    ...(whoShown.startsWith('p:') ? { profession: whoShown.slice(2) } : {}),
    ...(whoShown.startsWith('r:') ? { resourceId: whoShown.slice(2) } : {}),
    ...(webOnly ? { webOnly: true } : {}),
    ...(rebookingId !== undefined && typeId === initialTypeId ? { rebookingId } : {}),
  };
  const found = useQuery({
    queryKey: ['slots.findFree', input],
    queryFn: () => call('slots.findFree', input),
    enabled: typeId !== '',
  });

  const panel = useRef<HTMLElement>(null);
  const typeField = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (!focusFirstTime) typeField.current?.focus();
  }, [focusFirstTime]);
  // Once, when the first answer is in; not again when the desk changes the search.
  const timeFocused = useRef(false);
  useEffect(() => {
    if (!focusFirstTime || timeFocused.current || !found.data) return;
    timeFocused.current = true;
    (panel.current?.querySelector<HTMLElement>('[data-free-slot-id] button') ?? typeField.current)?.focus();
  }, [focusFirstTime, found.data]);
  // A time booked from here leaves the list (its button had the focus, and the dialog gave it
  // back there): the focus goes to the next time, ready for the next call, not to the page.
  const pickedHere = useRef(false);
  useEffect(() => {
    if (!pickedHere.current || !found.data) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    pickedHere.current = false;
    (panel.current?.querySelector<HTMLElement>('[data-free-slot-id] button') ?? typeField.current)?.focus();
  }, [found.data]);

  return (
    <aside
      ref={panel}
      id="next-free-panel"
      className="tb-side-panel"
      aria-labelledby="next-free-heading"
      data-testid="next-free-panel"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        onClose();
      }}
    >
      <div className="tb-side-head">
        <h2 id="next-free-heading">{t('nextFree.title')}</h2>
        <button type="button" className="tb-button tb-icon-button" onClick={onClose} aria-label={t('common.close')}>
          ×
        </button>
      </div>
      {banner}
      {/* Enter in a search field goes to the first time found: type, Enter, Enter books. */}
      <div
        className="tb-form tb-form-compact"
        onKeyDown={(e) => {
          if (e.key !== 'Enter' || !(e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement)) return;
          const first = panel.current?.querySelector<HTMLElement>('[data-free-slot-id] button');
          if (!first) return;
          e.preventDefault();
          first.focus();
        }}
      >
        <div className="tb-field">
          <label htmlFor={ids.type}>{t('nextFree.type')}</label>
          <select ref={typeField} id={ids.type} value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            {offered.map((x) => (
              <option key={x.id} value={x.id}>
                {x.active
                  ? i18n.language === 'en'
                    ? x.nameEn
                    : x.nameSv
                  : t('nextFree.inactiveType', { name: i18n.language === 'en' ? x.nameEn : x.nameSv })}
              </option>
            ))}
          </select>
          {type && !type.active && (
            <p className="tb-field-hint" data-testid="next-free-inactive">
              {t('nextFree.inactiveHint')}
            </p>
          )}
        </div>
        <div className="tb-field">
          <label htmlFor={ids.who}>{t('nextFree.who')}</label>
          <select id={ids.who} value={whoShown} onChange={(e) => setWho(e.target.value)}>
            <option value="">{t('nextFree.anyone')}</option>
            <optgroup label={t('nextFree.profession')}>
              {professions.map((p) => (
                <option key={p} value={`p:${p}`}>
                  {t(`profession.${p}`, { defaultValue: p })}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('nextFree.clinician')}>
              {fitting.map((r) => (
                <option key={r.id} value={`r:${r.id}`}>
                  {r.name}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="tb-row">
          <div className="tb-field">
            <label htmlFor={ids.from}>{t('nextFree.from')}</label>
            <input id={ids.from} type="date" value={fromDate} onChange={(e) => e.target.value && setFromDate(e.target.value)} />
          </div>
          <label className="tb-check" htmlFor={ids.web}>
            <input id={ids.web} type="checkbox" checked={webOnly} onChange={(e) => setWebOnly(e.target.checked)} />
            {t('nextFree.webOnly')}
          </label>
        </div>
      </div>
      {found.error && (
        <p role="alert" className="tb-form-error">
          {found.error.message}
        </p>
      )}
      {/* What a changed search found, read out without leaving the field (the list is further on). */}
      <p className="tb-visually-hidden" aria-live="polite" data-testid="next-free-found">
        {found.data?.[0]
          ? t('nextFree.found', {
              count: found.data.length,
              when: formatSpan(found.data[0].startAt, found.data[0].endAt, i18n.language),
              who: found.data[0].resourceName,
            })
          : ''}
      </p>
      {found.data && found.data.length === 0 && (
        <p className="tb-muted" data-testid="next-free-none">
          {t('nextFree.none')}
          {why && ` ${why}`}
        </p>
      )}
      {found.data && found.data.length > 0 && (
        <ol className="tb-free-list" aria-label={t('nextFree.results')}>
          {found.data.map((f) => (
            <li key={f.slotId} data-free-slot-id={f.slotId}>
              <div>
                <strong>{formatSpan(f.startAt, f.endAt, i18n.language)}</strong>
                <span className="tb-muted">
                  {f.resourceName}
                  {f.webPublished && <span className="tb-mark tb-mark-web tb-mark-inline">1177</span>}
                  {/* Another desk has offered it on its återbudslista: listed, the dialog asks before booking. */}
                  {f.heldElsewhere && (
                    <span
                      className="tb-mark tb-mark-inline tb-held-elsewhere-mark"
                      title={t('calendar.heldElsewhere')}
                      data-testid="next-free-held-elsewhere"
                    >
                      {t('calendar.markHeldElsewhere')}
                    </span>
                  )}
                </span>
              </div>
              <button
                type="button"
                className="tb-button tb-primary"
                onClick={() => {
                  pickedHere.current = true;
                  onPick(toSlot(f), typeId);
                }}
                aria-label={`${t('nextFree.bookAria', { when: formatSpan(f.startAt, f.endAt, i18n.language), who: f.resourceName })}${f.heldElsewhere ? `, ${t('calendar.heldElsewhere')}` : ''}`}
              >
                {t('nextFree.book')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
