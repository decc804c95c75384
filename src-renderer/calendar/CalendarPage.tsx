// Kalender: the receptionist's day, clinicians as columns. Loads only the visible day and
// refetches when main says something changed.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { ResourceCalendar } from './ResourceCalendar.tsx';
import { addDaysIso, formatLongDate, todayIso } from './wallclock.ts';

export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState(() => todayIso());
  const range = useQuery({
    queryKey: ['calendar.range', date],
    queryFn: () => call('calendar.range', { from: date, to: addDaysIso(date, 1) }),
    placeholderData: (prev) => prev,
  });
  const types = useQuery({ queryKey: ['appointmentTypes.list'], queryFn: () => call('appointmentTypes.list', {}) });
  const closed = range.data !== undefined && range.data.from === date && range.data.closedDates.includes(date);
  const nextOpen = useQuery({
    queryKey: ['calendar.nextOpenDate', date],
    queryFn: () => call('calendar.nextOpenDate', { from: addDaysIso(date, 1) }),
    enabled: closed,
  });

  const bookings = range.data?.bookings.length ?? 0;
  const free = range.data ? range.data.slots.filter((s) => s.state === 'open').length - bookings : 0;

  return (
    <section className="tb-calendar-page" aria-labelledby="calendar-heading">
      <div className="tb-toolbar" role="toolbar" aria-label={t('calendar.title')}>
        <h1 id="calendar-heading" className="tb-date-heading">
          {formatLongDate(date, i18n.language)}
        </h1>
        <div className="tb-toolbar-group">
          <button type="button" onClick={() => setDate(todayIso())} className="tb-button">
            {t('calendar.today')}
          </button>
          <button
            type="button"
            onClick={() => setDate(addDaysIso(date, -1))}
            className="tb-button tb-icon-button"
            aria-label={t('calendar.prevDay')}
          >
            ‹
          </button>
          <button
            type="button"
            onClick={() => setDate(addDaysIso(date, 1))}
            className="tb-button tb-icon-button"
            aria-label={t('calendar.nextDay')}
          >
            ›
          </button>
          <label className="tb-date-picker">
            <span className="tb-visually-hidden">{t('calendar.pickDate')}</span>
            <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
          </label>
        </div>
        {range.data && !closed && (
          <p className="tb-summary" aria-live="polite">
            {t('calendar.summary', { bookings, free: Math.max(free, 0) })}
          </p>
        )}
      </div>
      {range.error && (
        <p role="alert" className="tb-error">
          {range.error.message}
        </p>
      )}
      {closed && (
        <div className="tb-closed" role="status" data-testid="closed-day">
          <p>
            <strong>{t('calendar.closed', { date: formatLongDate(date, i18n.language) })}</strong> {t('calendar.closedHint')}
          </p>
          {nextOpen.data?.date ? (
            <button
              type="button"
              className="tb-button tb-primary"
              onClick={() => nextOpen.data?.date && setDate(nextOpen.data.date)}
            >
              {t('calendar.goNextOpen', { date: formatLongDate(nextOpen.data.date, i18n.language) })}
            </button>
          ) : nextOpen.data ? (
            <p>{t('calendar.noOpenDay')}</p>
          ) : null}
        </div>
      )}
      <div className="tb-calendar" data-testid="calendar" aria-busy={range.isFetching}>
        {range.data && types.data && <ResourceCalendar date={date} data={range.data} types={types.data} />}
      </div>
    </section>
  );
}
