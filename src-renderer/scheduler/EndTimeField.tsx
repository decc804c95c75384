// An end time that may be 24:00, the next midnight (an evening until midnight, a 24-hour unit):
// <input type="time"> stops at 23:59, so midnight is a checkbox beside it, and the field then
// reads 24:00. Used by the template form, the new-slot form and the absence form (whose end time
// is optional: `label` names it, `optional` leaves it empty when 24:00 is unticked).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import './templates.css';

export const END_OF_DAY = '24:00';

export function EndTimeField({
  value,
  onChange,
  label,
  id: givenId,
  optional = false,
}: {
  value: string;
  onChange: (time: string) => void;
  label?: string;
  id?: string;
  optional?: boolean;
}) {
  const { t } = useTranslation();
  const ownId = useId();
  const id = givenId ?? ownId;
  const midnight = value === END_OF_DAY;
  return (
    <div className="tb-field">
      <label htmlFor={id}>{label ?? t('tpl.end')}</label>
      <div className="tb-end-time">
        {midnight ? (
          <input id={id} type="text" value={END_OF_DAY} readOnly aria-readonly="true" />
        ) : (
          <input id={id} type="time" value={value} onChange={(e) => onChange(e.target.value)} required={!optional} />
        )}
        <label className="tb-check" title={t('tpl.endMidnight')}>
          <input
            type="checkbox"
            checked={midnight}
            aria-label={t('tpl.endMidnight')}
            onChange={(e) => onChange(e.target.checked ? END_OF_DAY : optional ? '' : '23:00')}
          />
          {END_OF_DAY}
        </label>
      </div>
    </div>
  );
}
