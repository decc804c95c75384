// An end time that may be 24:00, the next midnight (an evening until midnight, a 24-hour unit):
// <input type="time"> stops at 23:59, so midnight is a checkbox beside it, and the field then
// reads 24:00. Used by the template form and the new-slot form.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import './templates.css';

export const END_OF_DAY = '24:00';

export function EndTimeField({ value, onChange }: { value: string; onChange: (time: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const midnight = value === END_OF_DAY;
  return (
    <div className="tb-field">
      <label htmlFor={id}>{t('tpl.end')}</label>
      <div className="tb-end-time">
        {midnight ? (
          <input id={id} type="text" value={END_OF_DAY} readOnly aria-readonly="true" />
        ) : (
          <input id={id} type="time" value={value} onChange={(e) => onChange(e.target.value)} required />
        )}
        <label className="tb-check" title={t('tpl.endMidnight')}>
          <input
            type="checkbox"
            checked={midnight}
            aria-label={t('tpl.endMidnight')}
            onChange={(e) => onChange(e.target.checked ? END_OF_DAY : '23:00')}
          />
          {END_OF_DAY}
        </label>
      </div>
    </div>
  );
}
