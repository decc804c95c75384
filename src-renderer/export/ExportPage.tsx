// Export: slots and bookings of a period as CSV, XLSX, ICS or PDF day lists (admins; schedulers
// without patient data), and the day list a receptionist prints for tomorrow. Main builds the
// file, checks the role and writes the access log; this page only asks and downloads.
import { useState, type FormEvent } from 'react';
import { ResourceOptions, useActiveResources } from '../api/resources.tsx';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { InputOf } from '../../src-main/api/contract.ts';
import { useAuth } from '../auth/AuthGate.tsx';
import { addDaysIso, todayIso } from '../calendar/wallclock.ts';
import { downloadFile } from './download.ts';
import { printDayList, printsOnDesktop } from './print.ts';
import './export.css';

type ExportInput = InputOf<'export.create'>;
type Format = ExportInput['format'];
type Content = ExportInput['content'];
type PatientData = ExportInput['patientData'];

/** Monday of the ISO week of a 'YYYY-MM-DD' date. */
function mondayOf(date: string): string {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addDaysIso(date, -((wd + 6) % 7));
}

function Radio<T extends string>(props: {
  name: string;
  value: T;
  current: T;
  onChange: (v: T) => void;
  label: string;
  disabled?: boolean;
}) {
  return (
    <label className="tb-choice">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.current === props.value}
        disabled={props.disabled}
        onChange={() => props.onChange(props.value)}
      />
      {props.label}
    </label>
  );
}

function message(err: unknown): string {
  return err instanceof ApiCallError ? err.message : String(err);
}

function PeriodExport({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const today = todayIso();
  const [from, setFrom] = useState(mondayOf(today));
  const [to, setTo] = useState(addDaysIso(mondayOf(today), 6));
  const [content, setContent] = useState<Content>('both');
  const [patientData, setPatientData] = useState<PatientData>(isAdmin ? 'full' : 'none');
  const [format, setFormat] = useState<Format>('xlsx');
  const [separator, setSeparator] = useState<'semicolon' | 'comma'>('semicolon');
  const [layout, setLayout] = useState<'combined' | 'perResource'>('combined');
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resources = useActiveResources();
  const all = resources.data ?? [];
  const selected = chosen ?? new Set(all.map((r) => r.id));

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    setBusy(true);
    const input: ExportInput = {
      from,
      to,
      content,
      patientData: content === 'slots' ? 'none' : patientData,
      format,
      ...(selected.size < all.length ? { resourceIds: [...selected] } : {}),
      ...(format === 'csv' ? { separator } : {}),
      ...(format === 'xlsx' ? { layout } : {}),
    };
    call('export.create', input)
      .then((file) => {
        downloadFile(file);
        setStatus(
          `${t('export.done', { file: file.fileName, rows: file.rows, count: file.patients })}${file.patients > 0 ? ` ${t('export.logged')}` : ''}`,
        );
      })
      .catch((err: unknown) => setError(message(err)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="tb-export-card" onSubmit={onSubmit} aria-labelledby="export-heading" data-testid="export-form">
      <h2 id="export-heading">{t('export.periodTitle')}</h2>
      <p className="tb-export-intro">{t('export.intro')}</p>
      <div className="tb-export-grid">
        <fieldset>
          <legend>{t('export.period')}</legend>
          <label className="tb-field">
            {t('export.from')}
            <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="tb-field">
            {t('export.to')}
            <input type="date" required value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('export.resources')}</legend>
          <label className="tb-choice tb-choice-strong">
            <input
              type="checkbox"
              checked={all.length > 0 && selected.size === all.length}
              onChange={(e) => setChosen(e.target.checked ? null : new Set())}
            />
            {t('export.allResources')}
          </label>
          <div className="tb-export-resources">
            {all.map((r) => (
              <label key={r.id} className="tb-choice">
                <input type="checkbox" checked={selected.has(r.id)} onChange={() => toggle(r.id)} />
                {r.name}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('export.content')}</legend>
          <Radio name="content" value="both" current={content} onChange={setContent} label={t('export.contentBoth')} />
          <Radio name="content" value="bookings" current={content} onChange={setContent} label={t('export.contentBookings')} />
          <Radio name="content" value="slots" current={content} onChange={setContent} label={t('export.contentSlots')} />
        </fieldset>
        <fieldset disabled={content === 'slots'}>
          <legend>{t('export.patientData')}</legend>
          <Radio
            name="patientData"
            value="full"
            current={patientData}
            onChange={setPatientData}
            label={t('export.patientFull')}
            disabled={!isAdmin}
          />
          <Radio
            name="patientData"
            value="pseudonymised"
            current={patientData}
            onChange={setPatientData}
            label={t('export.patientPseudo')}
            disabled={!isAdmin}
          />
          <Radio
            name="patientData"
            value="none"
            current={patientData}
            onChange={setPatientData}
            label={t('export.patientNone')}
          />
          {!isAdmin && <p className="tb-export-hint">{t('export.adminOnly')}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('export.format')}</legend>
          <Radio name="format" value="xlsx" current={format} onChange={setFormat} label={t('export.formatXlsx')} />
          <Radio name="format" value="csv" current={format} onChange={setFormat} label={t('export.formatCsv')} />
          <Radio name="format" value="ics" current={format} onChange={setFormat} label={t('export.formatIcs')} />
          <Radio name="format" value="pdf" current={format} onChange={setFormat} label={t('export.formatPdf')} />
          {format === 'csv' && (
            <label className="tb-field">
              {t('export.separator')}
              <select value={separator} onChange={(e) => setSeparator(e.target.value as 'semicolon' | 'comma')}>
                <option value="semicolon">{t('export.separatorSemicolon')}</option>
                <option value="comma">{t('export.separatorComma')}</option>
              </select>
            </label>
          )}
          {format === 'xlsx' && (
            <label className="tb-field">
              {t('export.sheets')}
              <select value={layout} onChange={(e) => setLayout(e.target.value as 'combined' | 'perResource')}>
                <option value="combined">{t('export.sheetsCombined')}</option>
                <option value="perResource">{t('export.sheetsPerResource')}</option>
              </select>
            </label>
          )}
        </fieldset>
      </div>
      <div className="tb-export-actions">
        <button type="submit" className="tb-button tb-primary" disabled={busy || selected.size === 0}>
          {busy ? t('export.working') : t('export.submit')}
        </button>
        <span role="status" className="tb-export-status">
          {status}
        </span>
      </div>
      {error && (
        <p role="alert" className="tb-export-error">
          {error}
        </p>
      )}
    </form>
  );
}

function DayListPrint() {
  const { t } = useTranslation();
  const [date, setDate] = useState(addDaysIso(todayIso(), 1));
  const [resourceId, setResourceId] = useState('');
  const [includeFree, setIncludeFree] = useState(true);
  const [pseudonymise, setPseudonymise] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const input = { date, includeFree, pseudonymise, ...(resourceId ? { resourceIds: [resourceId] } : {}) };
  const settle = (work: Promise<string>) => {
    setError(null);
    setStatus(null);
    setBusy(true);
    work
      .then(setStatus)
      .catch((err: unknown) => setError(message(err)))
      .finally(() => setBusy(false));
  };
  const download = () =>
    settle(
      call('export.dayList', input).then((file) => {
        downloadFile(file);
        return t('export.printed');
      }),
    );
  const print = () =>
    settle(
      printDayList(input).then((outcome) =>
        outcome === 'printed'
          ? t('export.sentToPrinter')
          : outcome === 'cancelled'
            ? t('export.printCancelled')
            : t('export.printed'),
      ),
    );

  return (
    <form
      className="tb-export-card"
      aria-labelledby="daylist-heading"
      data-testid="daylist-form"
      onSubmit={(e) => {
        e.preventDefault();
        download();
      }}
    >
      <h2 id="daylist-heading">{t('export.dayListTitle')}</h2>
      <p className="tb-export-intro">{t('export.dayListIntro')}</p>
      <div className="tb-export-row">
        <label className="tb-field">
          {t('export.date')}
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="tb-field">
          {t('export.resource')}
          <select value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
            <ResourceOptions allLabel={t('export.allResources')} />
          </select>
        </label>
        <label className="tb-choice">
          <input type="checkbox" checked={includeFree} onChange={(e) => setIncludeFree(e.target.checked)} />
          {t('export.includeFree')}
        </label>
        <label className="tb-choice">
          <input type="checkbox" checked={pseudonymise} onChange={(e) => setPseudonymise(e.target.checked)} />
          {t('export.pseudonymise')}
        </label>
      </div>
      <div className="tb-export-actions">
        <button type="submit" className="tb-button tb-primary" disabled={busy}>
          {t('export.downloadPdf')}
        </button>
        <button
          type="button"
          className="tb-button"
          disabled={busy}
          onClick={print}
          title={printsOnDesktop() ? t('export.printHintDesktop') : t('export.printHint')}
        >
          {t('export.print')}
        </button>
        <span role="status" className="tb-export-status">
          {status}
        </span>
      </div>
      {error && (
        <p role="alert" className="tb-export-error">
          {error}
        </p>
      )}
    </form>
  );
}

export function ExportPage() {
  const { t } = useTranslation();
  const roles = useAuth().status.user?.roles ?? [];
  const isAdmin = roles.includes('admin');
  const mayExport = isAdmin || roles.includes('scheduler');
  return (
    <section className="tb-page tb-export" aria-labelledby="page-heading">
      <h1 id="page-heading">{t('export.title')}</h1>
      {mayExport && <PeriodExport isAdmin={isAdmin} />}
      <DayListPrint />
    </section>
  );
}
