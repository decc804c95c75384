// Besökstyper: the unit's appointment types and their web rules (read-only list for now).
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';

export function AppointmentTypesPage() {
  const { t, i18n } = useTranslation();
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  return (
    <section className="tb-page" aria-labelledby="types-heading">
      <h1 id="types-heading">{t('types.title')}</h1>
      {types.error && <p role="alert">{types.error.message}</p>}
      <table className="tb-table">
        <thead>
          <tr>
            <th scope="col">{t('types.code')}</th>
            <th scope="col">{t('types.name')}</th>
            <th scope="col">{t('types.duration')}</th>
            <th scope="col">{t('types.modes')}</th>
            <th scope="col">{t('types.web')}</th>
          </tr>
        </thead>
        <tbody>
          {types.data?.map((x) => (
            <tr key={x.id}>
              <td>
                <span className="tb-swatch" style={{ background: x.colour }} aria-hidden="true" /> {x.code}
              </td>
              <td>{i18n.language === 'en' ? x.nameEn : x.nameSv}</td>
              <td>{t('types.minutes', { count: x.durationMin })}</td>
              <td>{x.contactModes.map((m) => t(`mode.${m}`)).join(', ')}</td>
              <td>{x.invitationOnly ? t('types.invitationOnly') : x.webBookable ? t('types.yes') : t('types.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
