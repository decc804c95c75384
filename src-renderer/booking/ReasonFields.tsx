// Reason for a new booking, a cancellation or a rebooking, as the type's rule says: mandatory,
// optional or not asked at all; a code from the type's list and/or a free text.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReasonCode, ReasonRule } from '../../src-main/api/types.ts';

export interface ReasonFieldsProps {
  rule: ReasonRule;
  codes: readonly ReasonCode[];
  code: string;
  text: string;
  onCode: (code: string) => void;
  onText: (text: string) => void;
  legend: string;
}

export function ReasonFields({ rule, codes, code, text, onCode, onText, legend }: ReasonFieldsProps) {
  const { t, i18n } = useTranslation();
  const codeId = useId();
  const textId = useId();
  if (rule === 'unsupported') return null;
  const required = rule === 'mandatory';
  return (
    <fieldset className="tb-fieldset">
      <legend>
        {legend}{' '}
        {required ? (
          <span className="tb-required">({t('common.required')})</span>
        ) : (
          <span className="tb-muted">({t('common.optional')})</span>
        )}
      </legend>
      <div className="tb-row">
        {codes.length > 0 && (
          <div className="tb-field">
            <label htmlFor={codeId}>{t('reason.code')}</label>
            <select id={codeId} value={code} onChange={(e) => onCode(e.target.value)} required={required && !text.trim()}>
              <option value="">{t('reason.none')}</option>
              {codes.map((c) => (
                <option key={c.code} value={c.code}>
                  {i18n.language === 'en' ? c.textEn : c.textSv}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="tb-field tb-grow">
          <label htmlFor={textId}>{t('reason.text')}</label>
          <input
            id={textId}
            value={text}
            onChange={(e) => onText(e.target.value)}
            maxLength={1000}
            required={required && !code}
          />
        </div>
      </div>
    </fieldset>
  );
}
