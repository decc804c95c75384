// Första lediga tid: type, profession or clinician, from date, web-only -> the first free slots;
// one click opens the booking for that slot with the type preset.
import { useId, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Resource, Slot } from '../../src-main/api/types.ts';
import type { FreeSlot } from '../../src-main/api/methods/scheduling.ts';
import { call } from '../api/client.ts';
import { formatSpan } from './format.ts';

export interface NextFreePanelProps {
  types: readonly AppointmentType[];
  resources: readonly Resource[];
  initialTypeId: string;
  from: string;
  onClose: () => void;
  onPick: (slot: Slot, typeId: string) => void;
  /** Set while rebooking: says whose new time is being chosen. */
  banner?: ReactNode;
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
  };
}

export function NextFreePanel({ types, resources, initialTypeId, from, onClose, onPick, banner }: NextFreePanelProps) {
  const { t, i18n } = useTranslation();
  const ids = { type: useId(), who: useId(), from: useId(), web: useId() };
  const [typeId, setTypeId] = useState(initialTypeId || types[0]?.id || '');
  const [who, setWho] = useState('');
  const [fromDate, setFromDate] = useState(from);
  const [webOnly, setWebOnly] = useState(false);
  const professions = [...new Set(resources.map((r) => r.profession).filter((p): p is string => !!p))];
  const input = {
    appointmentTypeId: typeId,
    from: fromDate,
    limit: 10,
    ...(who.startsWith('p:') ? { profession: who.slice(2) } : {}),
    ...(who.startsWith('r:') ? { resourceId: who.slice(2) } : {}),
    ...(webOnly ? { webOnly: true } : {}),
  };
  const found = useQuery({
    queryKey: ['slots.findFree', input],
    queryFn: () => call('slots.findFree', input),
    enabled: typeId !== '',
  });

  return (
    <aside id="next-free-panel" className="tb-side-panel" aria-labelledby="next-free-heading" data-testid="next-free-panel">
      <div className="tb-side-head">
        <h2 id="next-free-heading">{t('nextFree.title')}</h2>
        <button type="button" className="tb-button tb-icon-button" onClick={onClose} aria-label={t('common.close')}>
          ×
        </button>
      </div>
      {banner}
      <div className="tb-form tb-form-compact">
        <div className="tb-field">
          <label htmlFor={ids.type}>{t('nextFree.type')}</label>
          <select id={ids.type} value={typeId} onChange={(e) => setTypeId(e.target.value)}>
            {types.map((x) => (
              <option key={x.id} value={x.id}>
                {i18n.language === 'en' ? x.nameEn : x.nameSv}
              </option>
            ))}
          </select>
        </div>
        <div className="tb-field">
          <label htmlFor={ids.who}>{t('nextFree.who')}</label>
          <select id={ids.who} value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">{t('nextFree.anyone')}</option>
            <optgroup label={t('nextFree.profession')}>
              {professions.map((p) => (
                <option key={p} value={`p:${p}`}>
                  {t(`profession.${p}`, { defaultValue: p })}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('nextFree.clinician')}>
              {resources.map((r) => (
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
      {found.data && found.data.length === 0 && <p className="tb-muted">{t('nextFree.none')}</p>}
      {found.data && found.data.length > 0 && (
        <ol className="tb-free-list" aria-label={t('nextFree.results')}>
          {found.data.map((f) => (
            <li key={f.slotId} data-free-slot-id={f.slotId}>
              <div>
                <strong>{formatSpan(f.startAt, f.endAt, i18n.language)}</strong>
                <span className="tb-muted">
                  {f.resourceName}
                  {f.webPublished && <span className="tb-mark tb-mark-web tb-mark-inline">1177</span>}
                </span>
              </div>
              <button
                type="button"
                className="tb-button tb-primary"
                onClick={() => onPick(toSlot(f), typeId)}
                aria-label={t('nextFree.bookAria', { when: formatSpan(f.startAt, f.endAt, i18n.language), who: f.resourceName })}
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
