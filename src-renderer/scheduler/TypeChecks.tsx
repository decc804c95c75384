// The appointment types a slot or template offers, as checkboxes with their colours: shared by
// the template form and the new-slot form.
import { useTranslation } from 'react-i18next';
import type { AppointmentType } from '../../src-main/api/types.ts';

export function TypeChecks({
  types,
  chosen,
  onChange,
}: {
  types: readonly AppointmentType[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className="tb-fieldset">
      <legend>{t('tpl.types')}</legend>
      <div className="tb-check-grid">
        {types.map((x) => (
          <label key={x.id} className="tb-check">
            <input
              type="checkbox"
              checked={chosen.includes(x.id)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, x.id] : chosen.filter((id) => id !== x.id))}
            />
            <span className="tb-swatch" style={{ background: x.colour }} aria-hidden="true" />
            {i18n.language === 'en' ? x.nameEn : x.nameSv}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
