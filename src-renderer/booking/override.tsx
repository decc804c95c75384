// Staff may break a few rules at the desk with a written reason (logged by main): booking too
// soon or too far ahead, cancelling or rebooking after the cut-off, a patient at two clinicians at
// once (a joint visit), a walk-in booked into a free time already under way. When main refuses on
// one of those, the dialog offers the override instead of a dead end.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError } from '../api/client.ts';
import { OVERRIDABLE_RULES, type OverridableRule } from '../../src-main/api/methods/scheduling.ts';

const OVERRIDABLE: ReadonlySet<string> = new Set(OVERRIDABLE_RULES);

/** The rule an error is about, when staff may override it. */
export function overridableRule(err: unknown): OverridableRule | null {
  if (!(err instanceof ApiCallError)) return null;
  const rule = (err.error.details as { rule?: unknown } | undefined)?.rule;
  return typeof rule === 'string' && OVERRIDABLE.has(rule) ? (rule as OverridableRule) : null;
}

/**
 * The rules the desk has been shown, with the one `err` refused on added: the override names them,
 * so a reason written for one rule (a walk-in) never silently passes another (her other time).
 */
export function withRefusedRule(shown: OverridableRule[], err: unknown): OverridableRule[] {
  const rule = overridableRule(err);
  return rule && !shown.includes(rule) ? [...shown, rule] : shown;
}

export function OverrideField({
  value,
  onChange,
  autoFocus = true,
}: {
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="tb-field tb-override" data-testid="override">
      <label htmlFor={id}>{t('override.label')}</label>
      {/* Shown after main's refusal (or for a walk-in, at once), in an open dialog: the reason is what the desk types next. */}
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        minLength={3}
        maxLength={500}
        autoFocus={autoFocus}
      />
      <p className="tb-field-hint">{t('override.hint')}</p>
    </div>
  );
}
