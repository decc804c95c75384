// The access log for admins: search by patient, user and period, export the hits as CSV, and the
// patient's log extract (which units, users and times accessed them). Every search is itself
// logged by main.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { AuditAction, PatientLogExtract } from '../../src-main/api/methods/auth.ts';
import type { InputOf } from '../../src-main/api/contract.ts';
import { formatStamp } from '../i18n/format.ts';

type Filter = InputOf<'audit.search'>;
const ACTIONS: AuditAction[] = ['read', 'change', 'print', 'export', 'login', 'logout'];

function useDateTime(): (at: number) => string {
  const unit = useQuery({ queryKey: ['unit.get'], queryFn: () => call('unit.get', {}) });
  const tz = unit.data?.timeZone ?? 'Europe/Stockholm';
  return (at) => formatStamp(at, tz);
}

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

function filterFrom(form: HTMLFormElement): Filter {
  const data = new FormData(form);
  const get = (k: string) => {
    const v = String(data.get(k) ?? '').trim();
    return v === '' ? undefined : v;
  };
  const action = get('action') as AuditAction | undefined;
  return {
    ...(get('identityNumber') ? { identityNumber: get('identityNumber')! } : {}),
    ...(get('userId') ? { userId: get('userId')! } : {}),
    ...(get('from') ? { from: get('from')! } : {}),
    ...(get('to') ? { to: get('to')! } : {}),
    ...(action ? { action } : {}),
  };
}

const WEB_CHANGES = ['sync.web_booked', 'sync.web_rebooked', 'sync.web_cancelled'] as const;

/** The patient's own change on 1177 a row records (sync pulled it), if it is one. */
function webChangeOf(detail: string): (typeof WEB_CHANGES)[number] | null {
  const op = (JSON.parse(detail) as { op?: unknown }).op;
  return WEB_CHANGES.find((w) => w === op) ?? null;
}

function ChainStatus() {
  const { t } = useTranslation();
  const verify = useQuery({ queryKey: ['audit.verify'], queryFn: () => call('audit.verify', {}) });
  if (!verify.data) return null;
  const v = verify.data;
  const c = v.central;
  return (
    <div className="tb-audit-chains" role="status">
      <p className={v.intact ? 'tb-audit-chain tb-audit-chain-ok' : 'tb-audit-chain tb-audit-chain-broken'}>
        {v.intact
          ? t('audit.chainOk', { count: v.events })
          : t('audit.chainBroken', { seq: v.broken?.seq, reason: v.broken?.reason })}
      </p>
      {c && (
        <p
          className={
            c.problem
              ? 'tb-audit-chain tb-audit-chain-broken'
              : c.unreachable
                ? 'tb-audit-chain'
                : 'tb-audit-chain tb-audit-chain-ok'
          }
          data-testid="audit-central"
        >
          {c.problem
            ? t('audit.centralProblem', { seq: c.problem.seq, reason: c.problem.reason })
            : c.unreachable
              ? t('audit.centralUnreachable', { error: c.unreachable })
              : t('audit.centralOk', { seq: c.upTo, count: c.unsent })}
          {c.chainStartsAfter > 0 && ` ${t('deskPlace.ownChain', { seq: c.chainStartsAfter })}`}
        </p>
      )}
    </div>
  );
}

function Extract({ extract, dateTime }: { extract: PatientLogExtract; dateTime: (at: number) => string }) {
  const { t } = useTranslation();
  return (
    <section className="tb-audit-extract" aria-labelledby="extract-title">
      <div className="tb-audit-extract-head">
        <h2 id="extract-title">
          {t('audit.extractTitle', { name: extract.patient.name, number: extract.patient.identityNumber })}
        </h2>
        <button type="button" onClick={() => window.print()}>
          {t('audit.print')}
        </button>
      </div>
      {extract.entries.length === 0 ? (
        <p>{t('audit.noHits')}</p>
      ) : (
        <table className="tb-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.unit')}</th>
              <th scope="col">{t('audit.col.user')}</th>
              <th scope="col">{t('audit.col.workstation')}</th>
            </tr>
          </thead>
          <tbody>
            {extract.entries.map((e, i) => (
              <tr key={i}>
                <td>{dateTime(e.at)}</td>
                <td>{t(`audit.action.${e.action}`)}</td>
                <td>{e.unitName ?? '–'}</td>
                <td>{e.user ?? '–'}</td>
                <td>{e.workstation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const [filter, setFilter] = useState<Filter | null>(null);
  const [extract, setExtract] = useState<PatientLogExtract | null>(null);
  const [error, setError] = useState<string | null>(null);
  const users = useQuery({ queryKey: ['users.list'], queryFn: () => call('users.list', {}) });
  const hits = useQuery({
    queryKey: ['audit.search', filter],
    queryFn: () => call('audit.search', { ...filter, limit: 500 }),
    enabled: filter !== null,
  });
  const fail = (err: unknown) => setError(err instanceof ApiCallError ? err.message : String(err));

  const onSearch = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setExtract(null);
    setFilter(filterFrom(e.currentTarget));
  };
  const onExport = (form: HTMLFormElement | null) => {
    if (!form) return;
    setError(null);
    call('audit.export', filterFrom(form))
      .then((r) => download(r.filename, r.csv))
      .catch(fail);
  };
  const onExtract = (form: HTMLFormElement | null) => {
    if (!form) return;
    const f = filterFrom(form);
    setError(null);
    if (!f.identityNumber) return setError(t('audit.needPatient'));
    call('audit.patientExtract', {
      identityNumber: f.identityNumber,
      ...(f.from ? { from: f.from } : {}),
      ...(f.to ? { to: f.to } : {}),
    })
      .then(setExtract)
      .catch(fail);
  };

  const searchError = hits.error instanceof ApiCallError ? hits.error.message : null;
  return (
    <section className="tb-page tb-audit" aria-labelledby="page-heading">
      <h1 id="page-heading">{t('audit.title')}</h1>
      <ChainStatus />
      <form className="tb-audit-filter" onSubmit={onSearch} id="audit-filter">
        <label>
          {t('audit.patient')}
          <input name="identityNumber" inputMode="numeric" placeholder={t('audit.patientPlaceholder')} maxLength={20} />
        </label>
        <label>
          {t('audit.user')}
          <select name="userId" defaultValue="">
            <option value="">{t('audit.anyUser')}</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.from')}
          <input name="from" type="date" />
        </label>
        <label>
          {t('audit.to')}
          <input name="to" type="date" />
        </label>
        <label>
          {t('audit.actionLabel')}
          <select name="action" defaultValue="">
            <option value="">{t('audit.anyAction')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`audit.action.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="tb-audit-buttons">
          <button type="submit" className="tb-button-primary">
            {t('audit.search')}
          </button>
          <button type="button" onClick={(e) => onExport(e.currentTarget.form)}>
            {t('audit.export')}
          </button>
          <button type="button" onClick={(e) => onExtract(e.currentTarget.form)}>
            {t('audit.extract')}
          </button>
        </div>
      </form>
      {(error ?? searchError) && (
        <p className="tb-auth-error" role="alert">
          {error ?? searchError}
        </p>
      )}
      {extract && <Extract extract={extract} dateTime={dateTime} />}
      {/* Until the first search the page would end at the form, saying nothing. */}
      {!extract && filter === null && <p className="tb-muted">{t('audit.startHint')}</p>}
      {!extract && hits.data && (
        <>
          <p role="status" className="tb-audit-count">
            {hits.data.truncated
              ? t('audit.hitsTruncated', { count: hits.data.entries.length })
              : t('audit.hits', { count: hits.data.entries.length })}
          </p>
          <table className="tb-table" data-testid="audit-results">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.user')}</th>
                <th scope="col">{t('audit.col.workstation')}</th>
                <th scope="col">{t('audit.col.patient')}</th>
                <th scope="col">{t('audit.col.what')}</th>
              </tr>
            </thead>
            <tbody>
              {hits.data.entries.map((e) => (
                <tr key={e.seq}>
                  <td>{dateTime(e.at)}</td>
                  <td>{t(`audit.action.${e.action}`)}</td>
                  <td>{e.userDisplayName ?? e.username ?? '–'}</td>
                  <td>{e.workstation}</td>
                  <td>{e.patientName ? `${e.patientName} (${e.patientIdentityNumber ?? ''})` : '–'}</td>
                  <td>
                    {e.entity ? t(`audit.entity.${e.entity}`, { defaultValue: e.entity }) : '–'}
                    {webChangeOf(e.detail) && `, ${t(`audit.webChange.${webChangeOf(e.detail)!}`)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
