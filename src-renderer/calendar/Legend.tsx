// What the calendar's marks mean, drawn with the same classes the calendar uses.
import { useTranslation } from 'react-i18next';

export function Legend() {
  const { t } = useTranslation();
  const items: [string, string, string?][] = [
    ['tb-slot tb-slot-free', t('calendar.legendFree')],
    ['tb-slot tb-slot-free tb-slot-held-elsewhere', t('calendar.legendHeldElsewhere')],
    ['tb-booking', t('calendar.status.booked')],
    ['tb-booking tb-status-arrived', t('calendar.status.arrived'), t('calendar.markArrived')],
    ['tb-booking tb-status-no_show', t('calendar.status.no_show'), t('calendar.markNoShow')],
    ['tb-booking tb-status-preliminary', t('calendar.status.preliminary'), t('calendar.markPreliminary')],
    ['tb-booking', t('calendar.legendWeb'), '1177'],
    ['tb-slot tb-slot-free', t('calendar.legendWebFree'), '1177'],
    ['tb-slot tb-slot-blocked', t('calendar.legendBlocked')],
    ['tb-booking tb-booking-blocked', t('calendar.legendBlockedBooking')],
    ['tb-booking tb-conflict', t('calendar.legendConflict'), '!'],
  ];
  return (
    <details className="tb-legend">
      <summary>{t('calendar.legend')}</summary>
      <ul>
        {items.map(([cls, label, mark]) => (
          <li key={label}>
            <span className={`tb-legend-swatch ${cls}`} aria-hidden="true">
              {mark === '1177' && <span className="tb-web" />}
              {mark && mark !== '1177' && (
                <span
                  className={`tb-mark ${mark === '!' ? 'tb-mark-conflict' : cls.includes('arrived') ? 'tb-mark-arrived' : cls.includes('no_show') ? 'tb-mark-noshow' : 'tb-mark-prel'}`}
                >
                  {mark}
                </span>
              )}
            </span>
            {label}
          </li>
        ))}
      </ul>
    </details>
  );
}
