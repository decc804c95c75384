// Statistik: how the unit's patients book (web share, rebookings, cancellations, no-shows),
// slot utilisation and lead time for a period. Charts for the eye (recharts), every number also
// in a table for screen readers and copying, and the same figures as CSV.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiCallError, call } from '../api/client.ts';
import type { Statistics, UtilisationRow, WeekStats } from '../../src-main/api/methods/export.ts';
import { addDaysIso, todayIso } from '../calendar/wallclock.ts';
import { typeName } from '../calendar/model.ts';
import { downloadFile } from '../export/download.ts';
import { useAuth } from '../auth/AuthGate.tsx';
import { formatNumber, formatPercent } from '../i18n/format.ts';
import '../export/export.css';

// Colours with at least 3:1 contrast against white and each other's neighbours.
const COLOURS = { web: '#1f5fa8', desk: '#b5651d', phone: '#2e7d4f' } as const;
const CHANNELS = ['web', 'desk', 'phone'] as const;
// Words in the legend and tooltips in the text colour: the desk's orange is 3:1 for bars, not for text.
const TEXT = { color: '#1c2330' } as const;

function mondayOf(date: string): string {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addDaysIso(date, -((wd + 6) % 7));
}

function useFormats() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const num = (v: number) => formatNumber(v, lang);
  return {
    pct: (v: number | null) => (v === null ? t('stats.none') : formatPercent(v, lang)),
    num,
    days: (hours: number | null) => {
      if (hours === null) return t('stats.none');
      const d = Math.round((hours / 24) * 10) / 10;
      return t('stats.kpi.days', { count: d === 1 ? 1 : 2, value: num(d) });
    },
    week: (label: string) => t('stats.week', { week: Number(label.slice(-2)) }),
  };
}

/** The per-week table's number columns (heading `stats.col.<key>`), in order; counts grouped as the figures above. */
const WEEK_COLUMNS: { key: string; value: (w: WeekStats, f: ReturnType<typeof useFormats>) => ReactNode }[] = [
  { key: 'web', value: (w, f) => f.num(w.bookings.web) },
  { key: 'desk', value: (w, f) => f.num(w.bookings.desk) },
  { key: 'phone', value: (w, f) => f.num(w.bookings.phone) },
  { key: 'total', value: (w, f) => f.num(w.bookings.total) },
  { key: 'webShare', value: (w, f) => f.pct(w.bookings.total === 0 ? null : w.bookings.web / w.bookings.total) },
  { key: 'rebookings', value: (w, f) => f.num(w.rebookings) },
  { key: 'cancellations', value: (w, f) => f.num(w.cancellations) },
  { key: 'noShows', value: (w, f) => f.num(w.noShows) },
  { key: 'open', value: (w, f) => f.num(w.openSlots) },
  { key: 'booked', value: (w, f) => f.num(w.bookedSlots) },
];

function Kpi({
  label,
  value,
  sub,
  testId,
  wide,
}: {
  label: string;
  value: string;
  sub?: string;
  testId: string;
  wide?: boolean;
}) {
  return (
    <li className={wide ? 'tb-kpi tb-kpi-wide' : 'tb-kpi'} data-testid={testId}>
      <div className="tb-kpi-label">{label}</div>
      <div className="tb-kpi-value">{value}</div>
      {sub && <div className="tb-kpi-sub">{sub}</div>}
    </li>
  );
}

function Chart({ title, description, children, id }: { title: string; description: string; children: ReactNode; id: string }) {
  return (
    <figure className="tb-chart" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <p id={`${id}-desc`} className="tb-visually-hidden">
        {description}
      </p>
      <div style={{ width: '100%', height: 260 }}>{children}</div>
    </figure>
  );
}

function UtilisationTable({ title, rows, testId }: { title: string; rows: UtilisationRow[]; testId: string }) {
  const { t } = useTranslation();
  const f = useFormats();
  return (
    <div className="tb-stats-scroll">
      <table className="tb-table" data-testid={testId}>
        <caption className="tb-visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stats.col.name')}</th>
            <th scope="col" className="tb-num">
              {t('stats.col.open')}
            </th>
            <th scope="col" className="tb-num">
              {t('stats.col.booked')}
            </th>
            <th scope="col" className="tb-num">
              {t('stats.col.rate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              <td className="tb-num">{f.num(r.open)}</td>
              <td className="tb-num">{f.num(r.booked)}</td>
              <td className="tb-num">{f.pct(r.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ stats }: { stats: Statistics }) {
  const { t, i18n } = useTranslation();
  const f = useFormats();
  // The statistics name types in Swedish (as the CSV does); on screen, in the reader's language.
  const types = useQuery({
    queryKey: ['appointmentTypes.list', 'all'],
    queryFn: () => call('appointmentTypes.list', { includeInactive: true }),
  });
  const typeRows = stats.utilisation.byType.map((r) => {
    const type = types.data?.find((x) => x.id === r.id);
    return type ? { ...r, name: typeName(type, i18n.language) } : r;
  });
  const weeks = stats.weeks.map((w) => ({
    label: f.week(w.week),
    web: w.bookings.web,
    desk: w.bookings.desk,
    phone: w.bookings.phone,
  }));
  const util = stats.utilisation.byResource
    .filter((r) => r.open > 0)
    .map((r) => ({ name: r.name, rate: Math.round((r.rate ?? 0) * 1000) / 10 }));
  return (
    <>
      <ul className="tb-kpis" aria-label={t('stats.title')}>
        <Kpi
          wide
          testId="kpi-bookings"
          label={t('stats.kpi.bookings')}
          value={f.num(stats.bookings.total)}
          sub={CHANNELS.map((c) => `${t(`stats.channel.${c}`)} ${f.num(stats.bookings[c])}`).join(' · ')}
        />
        <Kpi testId="kpi-webshare" label={t('stats.kpi.webShare')} value={f.pct(stats.bookings.webShare)} />
        <Kpi
          testId="kpi-rebookings"
          label={t('stats.kpi.rebookings')}
          value={f.num(stats.rebookings.total)}
          sub={t('stats.kpi.webDesk', { web: f.num(stats.rebookings.web), desk: f.num(stats.rebookings.desk) })}
        />
        <Kpi
          testId="kpi-cancellations"
          label={t('stats.kpi.cancellations')}
          value={f.num(stats.cancellations.total)}
          sub={t('stats.kpi.webDesk', { web: f.num(stats.cancellations.web), desk: f.num(stats.cancellations.desk) })}
        />
        <Kpi
          testId="kpi-noshows"
          label={t('stats.kpi.noShows')}
          value={f.num(stats.noShows.count)}
          sub={t('stats.kpi.ofVisits', { rate: f.pct(stats.noShows.rate) })}
        />
        <Kpi
          testId="kpi-utilisation"
          label={t('stats.kpi.utilisation')}
          value={f.pct(stats.utilisation.rate)}
          sub={t('stats.kpi.bookedOfOpen', { booked: f.num(stats.utilisation.booked), open: f.num(stats.utilisation.open) })}
        />
        <Kpi
          testId="kpi-leadtime"
          label={t('stats.kpi.leadTime')}
          value={f.days(stats.leadTime.medianHours)}
          sub={t('stats.kpi.p90', { p90: f.days(stats.leadTime.p90Hours) })}
        />
      </ul>

      <div className="tb-charts">
        <Chart id="chart-weeks" title={t('stats.chartWeeks')} description={t('stats.chartWeeksDesc')}>
          <ResponsiveContainer>
            <BarChart data={weeks} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#dde1e7" />
              <XAxis dataKey="label" tick={{ fontSize: 12, fill: '#4d5868' }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#4d5868' }} />
              <Tooltip itemStyle={TEXT} />
              <Legend wrapperStyle={{ fontSize: 13 }} formatter={(name: string) => <span style={TEXT}>{name}</span>} />
              {CHANNELS.map((c) => (
                <Bar
                  key={c}
                  dataKey={c}
                  name={t(`stats.channel.${c}`)}
                  stackId="channel"
                  fill={COLOURS[c]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </Chart>
        <Chart id="chart-util" title={t('stats.chartUtilisation')} description={t('stats.chartUtilisationDesc')}>
          <ResponsiveContainer>
            <BarChart data={util} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#dde1e7" />
              <XAxis
                type="number"
                domain={[0, 100]}
                tickFormatter={(v: number) => f.pct(v / 100)}
                tick={{ fontSize: 12, fill: '#4d5868' }}
              />
              <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12, fill: '#1c2330' }} />
              <Tooltip itemStyle={TEXT} formatter={(v) => f.pct(Number(v) / 100)} />
              <Bar dataKey="rate" name={t('stats.col.rate')} fill={COLOURS.web} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </Chart>
      </div>

      <div className="tb-stats-tables">
        <section aria-labelledby="weeks-title">
          <h2 id="weeks-title">{t('stats.tableWeeks')}</h2>
          <div className="tb-stats-scroll">
            <table className="tb-table" data-testid="stats-weeks">
              <thead>
                <tr>
                  <th scope="col">{t('stats.col.week')}</th>
                  {WEEK_COLUMNS.map((c) => (
                    <th key={c.key} scope="col" className="tb-num">
                      {t(`stats.col.${c.key}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.weeks.map((w) => (
                  <tr key={w.week} data-week={w.week}>
                    <th scope="row">{f.week(w.week)}</th>
                    {WEEK_COLUMNS.map((c) => (
                      <td key={c.key} className="tb-num">
                        {c.value(w, f)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="res-title">
          <h2 id="res-title">{t('stats.tableResources')}</h2>
          <UtilisationTable title={t('stats.tableResources')} rows={stats.utilisation.byResource} testId="stats-resources" />
        </section>
        <section aria-labelledby="types-title">
          <h2 id="types-title">{t('stats.tableTypes')}</h2>
          <UtilisationTable title={t('stats.tableTypes')} rows={typeRows} testId="stats-types" />
        </section>
      </div>
    </>
  );
}

export function StatisticsPage() {
  const { t } = useTranslation();
  const isAdmin = useAuth().status.user?.roles.includes('admin') ?? false;
  const today = todayIso();
  const [period, setPeriod] = useState({ from: addDaysIso(mondayOf(today), -28), to: addDaysIso(mondayOf(today), 13) });
  const [draft, setDraft] = useState(period);
  const [csvError, setCsvError] = useState<string | null>(null);
  const stats = useQuery({
    queryKey: ['stats.summary', period],
    queryFn: () => call('stats.summary', period),
    enabled: isAdmin,
  });

  const onShow = (e: FormEvent) => {
    e.preventDefault();
    setPeriod(draft);
  };
  const onCsv = () => {
    setCsvError(null);
    call('stats.csv', period)
      .then(downloadFile)
      .catch((err: unknown) => setCsvError(err instanceof ApiCallError ? err.message : String(err)));
  };
  if (!isAdmin) {
    return (
      <section className="tb-page tb-stats" aria-labelledby="page-heading">
        <h1 id="page-heading">{t('stats.title')}</h1>
        <p>{t('stats.adminOnly')}</p>
      </section>
    );
  }
  const error = stats.error instanceof ApiCallError ? stats.error.message : stats.error ? String(stats.error) : csvError;

  return (
    <section className="tb-page tb-stats" aria-labelledby="page-heading">
      <h1 id="page-heading">{t('stats.title')}</h1>
      <p className="tb-export-intro">{t('stats.intro')}</p>
      <form className="tb-stats-filter" onSubmit={onShow}>
        <label className="tb-field">
          {t('stats.from')}
          <input type="date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label className="tb-field">
          {t('stats.to')}
          <input
            type="date"
            required
            value={draft.to}
            min={draft.from}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <button type="submit" className="tb-button tb-primary">
          {t('stats.show')}
        </button>
        <button type="button" className="tb-button" onClick={onCsv} disabled={!stats.data}>
          {t('stats.exportCsv')}
        </button>
      </form>
      {error && (
        <p role="alert" className="tb-export-error">
          {error}
        </p>
      )}
      {stats.isPending && <p role="status">{t('stats.loading')}</p>}
      {stats.data && <Report stats={stats.data} />}
    </section>
  );
}
