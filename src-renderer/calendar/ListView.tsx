// The day as a list: every booking in time order with its clinician, type, state and channel.
// Dense and sortable by eye; opening a row opens the same booking dialog as the calendar.
import { useTranslation } from 'react-i18next';
import type { AppointmentType, Booking, CalendarRange, Resource } from '../../src-main/api/types.ts';
import { formatIdentity } from '../booking/format.ts';
import { formatTimeSpan } from '../i18n/format.ts';

export interface ListViewProps {
  data: CalendarRange | undefined;
  resources: readonly Resource[];
  types: readonly AppointmentType[];
  typeFilter: string | null;
  onBooking: (b: Booking) => void;
}

export function ListView({ data, resources, types, typeFilter, onBooking }: ListViewProps) {
  const { t, i18n } = useTranslation();
  const names = new Map(resources.map((r) => [r.id, r.name]));
  const typeById = new Map(types.map((x) => [x.id, x]));
  const rows = (data?.bookings ?? [])
    .filter((b) => names.has(b.resourceId) && (!typeFilter || b.appointmentTypeId === typeFilter))
    .sort((a, b) => a.startAt - b.startAt || (names.get(a.resourceId) ?? '').localeCompare(names.get(b.resourceId) ?? ''));
  if (data && rows.length === 0) return <p className="tb-empty">{t('list.empty')}</p>;
  return (
    <div className="tb-list-wrap">
      <table className="tb-table tb-list" data-testid="booking-list">
        <caption className="tb-visually-hidden">{t('list.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('list.time')}</th>
            <th scope="col">{t('list.resource')}</th>
            <th scope="col">{t('list.patient')}</th>
            <th scope="col">{t('list.identity')}</th>
            <th scope="col">{t('list.type')}</th>
            <th scope="col">{t('list.status')}</th>
            <th scope="col">{t('list.channel')}</th>
            <th scope="col">{t('list.note')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => {
            const type = typeById.get(b.appointmentTypeId);
            return (
              <tr key={b.id} data-booking-id={b.id} className={`tb-status-row-${b.status}`}>
                <td className="tb-nowrap">
                  <button type="button" className="tb-link" onClick={() => onBooking(b)}>
                    {formatTimeSpan(b.startAt, b.endAt, i18n.language)}
                  </button>
                </td>
                <td>{names.get(b.resourceId)}</td>
                <td>
                  {b.patient.protectedIdentity ? (
                    <span className="tb-protected-mark">{t('calendar.protected')}</span>
                  ) : (
                    b.patient.displayName
                  )}
                </td>
                <td className="tb-nowrap">{formatIdentity(b.patient.identityNumber)}</td>
                <td>
                  <span className="tb-swatch" style={{ background: type?.colour }} aria-hidden="true" />{' '}
                  {type ? (i18n.language === 'en' ? type.nameEn : type.nameSv) : ''}
                </td>
                <td>
                  <span className={`tb-status-chip tb-chip-${b.status}`}>{t(`calendar.status.${b.status}`)}</span>
                </td>
                <td>
                  {b.channel === 'web' ? <span className="tb-mark tb-mark-web">1177</span> : t(`calendar.channel.${b.channel}`)}
                </td>
                <td className="tb-note-cell">{b.note}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
