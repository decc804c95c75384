// The Sync page: are we in step with the central booking API, what is waiting, what it refused,
// and the Konflikter inbox: a patient who lost a slot is never dropped silently; staff rebook
// them with one click into a suggested free time, or mark the conflict handled.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { ConflictView } from '../../src-main/api/methods/sync.ts';
import { useAuth } from '../auth/AuthGate.tsx';
import { DeskMovedNotice } from './DeskMovedNotice.tsx';
import { formatStamp, formatStart } from '../i18n/format.ts';
import './sync.css';

function useFormat() {
  const unit = useQuery({ queryKey: ['unit.get'], queryFn: () => call('unit.get', {}) });
  const { i18n } = useTranslation();
  const tz = unit.data?.timeZone ?? 'Europe/Stockholm';
  return { slot: (at: number) => formatStart(at, i18n.language), stamp: (at: number) => formatStamp(at, tz) };
}

function StatusCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => call('sync.status', {}), refetchInterval: 5000 });
  const now = useMutation({
    mutationFn: () => call('sync.now', {}),
    onSettled: () => void qc.invalidateQueries(),
  });
  const isAdmin = useAuth().status.user?.roles.includes('admin') ?? false;
  const s = status.data;
  if (!s) return <p>{t('app.loading')}</p>;
  return (
    <section className={`tb-sync-card tb-sync-card-${s.mode}`} aria-labelledby="sync-status-heading" data-testid="sync-status">
      <h2 id="sync-status-heading" className="tb-visually-hidden">
        {t('sync.statusHeading')}
      </h2>
      <p className="tb-sync-state">
        <span className="tb-sync-dot" aria-hidden="true" />
        <strong>{s.mode === 'error' ? t(`sync.problem.${s.errorKind ?? 'program'}`) : t(`sync.mode.${s.mode}`)}</strong>
      </p>
      {s.mode === 'error' && <p className="tb-sync-problem">{t(`sync.problemDetail.${s.errorKind ?? 'program'}`)}</p>}
      {s.deskMoved && <DeskMovedNotice moved={s.deskMoved} isAdmin={isAdmin} />}
      <dl className="tb-sync-facts">
        <div>
          <dt>{t('sync.waiting')}</dt>
          <dd data-testid="sync-pending">{t('sync.pending', { count: s.pending })}</dd>
        </div>
        <div>
          <dt>{t('sync.conflictsCount')}</dt>
          <dd>{s.conflicts}</dd>
        </div>
        <div>
          <dt>{t('sync.failedCount')}</dt>
          <dd>{s.failed}</dd>
        </div>
        {s.configured && (
          <div>
            <dt>{t('sync.lastSync')}</dt>
            <dd>{s.lastSyncAt ? fmt.stamp(s.lastSyncAt) : t('sync.never')}</dd>
          </div>
        )}
        {s.configured && (
          <div>
            <dt>{t('syncNotifications.label')}</dt>
            <dd data-testid="sync-notifications">{t(`syncNotifications.state.${s.notifications}`)}</dd>
          </div>
        )}
        {s.configured && (
          <div>
            <dt>{t('sync.auditLog')}</dt>
            <dd data-testid="sync-audit">{t('sync.auditUnsent', { count: s.auditUnsent })}</dd>
          </div>
        )}
        {s.centralUrl && (
          <div className="tb-sync-url">
            <dt>{t('sync.central')}</dt>
            <dd>{s.centralUrl}</dd>
          </div>
        )}
      </dl>
      {s.auditError && (
        <p className="tb-sync-lasterror" data-testid="sync-audit-error">
          {t('sync.auditError', { error: s.auditError })}
        </p>
      )}
      {s.lastError && (
        <p className="tb-sync-lasterror">
          {t('sync.lastError')}: <span data-testid="sync-last-error">{s.lastError}</span>
          {s.nextAttemptAt !== null && <> · {t('sync.nextAttempt', { time: fmt.stamp(s.nextAttemptAt) })}</>}
        </p>
      )}
      {s.configured && (
        <p className="tb-sync-actions">
          <button type="button" className="tb-button" onClick={() => now.mutate()} disabled={now.isPending}>
            {now.isPending ? t('sync.syncing') : t('sync.syncNow')}
          </button>
          {now.data && (
            <span role="status">
              {now.data.error
                ? t('sync.runFailed', { error: now.data.error })
                : t('sync.result', { pushed: now.data.pushed, pulled: now.data.pulled, conflicts: now.data.conflicts })}
            </span>
          )}
        </p>
      )}
    </section>
  );
}

function ConflictItem({ c }: { c: ConflictView }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const resolve = useMutation({
    mutationFn: (input: { action: 'rebook'; slotId: string } | { action: 'dismiss' }) =>
      call('conflicts.resolve', { id: c.id, ...input }),
    onSuccess: () => void qc.invalidateQueries(),
    onError: (e) => setError(e instanceof ApiCallError ? e.error.message : String(e)),
  });
  const number = c.patient?.identityNumber ?? '';
  const shown = /^\d{12}$/.test(number) ? `${number.slice(0, 8)}-${number.slice(8)}` : number;
  // A protected patient comes without a name (and without a number to roles that do not need it).
  const name = c.patient ? [c.patient.displayName, shown].filter(Boolean).join(', ') : '—';
  return (
    <li className="tb-sync-conflict" data-conflict-id={c.id}>
      <div className="tb-sync-conflict-head">
        <span className={`tb-sync-conflict-kind tb-sync-conflict-${c.kind}`}>{t(`sync.kind.${c.kind}`)}</span>
        <strong className="tb-sync-conflict-patient">{name}</strong>
        {c.patient?.protectedIdentity && <span className="tb-protected">{t('sync.protected')}</span>}
        <span className="tb-sync-conflict-when">{fmt.stamp(c.createdAt)}</span>
      </div>
      <p className="tb-sync-conflict-what">
        {c.appointmentTypeName ?? ''}
        {c.startAt !== null && (
          <>
            {' · '}
            {/* A patient's web cancellation names the time they gave up, not one they want. */}
            {c.kind === 'web_cancel' ? t('sync.cancelledTime') : t('sync.wanted')}:{' '}
            <span className="tb-nowrap">{fmt.slot(c.startAt)}</span>
            {c.resourceName ? `, ${c.resourceName}` : ''}
          </>
        )}
      </p>
      <p className="tb-sync-conflict-reason">{c.reason}</p>
      {c.resolvedAt === null ? (
        <div className="tb-sync-conflict-actions">
          {/* A taken time, or a web booking the unit rejected: offer the patient other free times. */}
          {(c.kind === 'slot_taken' || c.suggested.length > 0) &&
            (c.suggested.length ? (
              <div role="group" aria-label={t('sync.suggestions')} className="tb-sync-conflict-slots">
                <span className="tb-sync-conflict-label">{t('sync.suggestions')}:</span>
                {c.suggested.map((s) => (
                  <button
                    key={s.slotId}
                    type="button"
                    className="tb-button tb-primary"
                    disabled={resolve.isPending}
                    data-slot-id={s.slotId}
                    onClick={() => resolve.mutate({ action: 'rebook', slotId: s.slotId })}
                  >
                    {t('sync.rebook', { time: fmt.slot(s.startAt) })}
                    <span className="tb-sync-conflict-slot-who">{s.resourceName}</span>
                  </button>
                ))}
              </div>
            ) : (
              <p>{t('sync.noSuggestions')}</p>
            ))}
          <button
            type="button"
            className="tb-button"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate({ action: 'dismiss' })}
          >
            {t('sync.dismiss')}
          </button>
        </div>
      ) : (
        <p className="tb-sync-conflict-done">{t('sync.resolved', { at: fmt.stamp(c.resolvedAt) })}</p>
      )}
      {error && (
        <p className="tb-sync-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function Conflicts() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['conflicts.list'], queryFn: () => call('conflicts.list', {}) });
  return (
    <section aria-labelledby="conflicts-heading" className="tb-sync-section">
      <h2 id="conflicts-heading">
        {t('sync.conflictsHeading')} {list.data && list.data.length > 0 && <span className="tb-count">{list.data.length}</span>}
      </h2>
      {list.data && list.data.length === 0 && <p className="tb-muted">{t('sync.noConflicts')}</p>}
      <ul className="tb-sync-conflicts">
        {list.data?.map((c) => (
          <ConflictItem key={c.id} c={c} />
        ))}
      </ul>
    </section>
  );
}

function Failed() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const failed = useQuery({ queryKey: ['sync.failed'], queryFn: () => call('sync.failed', {}) });
  const retry = useMutation({ mutationFn: () => call('sync.retryFailed', {}), onSettled: () => void qc.invalidateQueries() });
  if (!failed.data || failed.data.length === 0) return null;
  return (
    <section aria-labelledby="failed-heading" className="tb-sync-section">
      <h2 id="failed-heading">{t('sync.failedHeading')}</h2>
      <table className="tb-table tb-sync-failed">
        <thead>
          <tr>
            <th scope="col">{t('sync.col.what')}</th>
            <th scope="col">{t('sync.col.when')}</th>
            <th scope="col">{t('sync.col.attempts')}</th>
            <th scope="col">{t('sync.col.error')}</th>
          </tr>
        </thead>
        <tbody>
          {failed.data.map((f) => (
            <tr key={f.seq}>
              <td>{f.label}</td>
              <td className="tb-nowrap">{fmt.stamp(f.createdAt)}</td>
              <td>{f.attempts}</td>
              <td className="tb-sync-errtext">{f.lastError}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" className="tb-button" onClick={() => retry.mutate()} disabled={retry.isPending}>
          {t('sync.retryAll')}
        </button>
      </p>
    </section>
  );
}

/** Admin: the central booking API's address and, on the desktop, its token (kept encrypted). */
function CentralSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => call('sync.status', {}) });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: (input: { centralUrl: string | null; token?: string }) => call('sync.configure', input),
    onSuccess: () => {
      setMessage({ ok: true, text: t('sync.settings.saved') });
      void qc.invalidateQueries();
    },
    onError: (e) => setMessage({ ok: false, text: e instanceof ApiCallError ? e.error.message : String(e) }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const url = String(data.get('centralUrl') ?? '').trim();
    const token = String(data.get('token') ?? '').trim();
    save.mutate({ centralUrl: url === '' ? null : url, ...(token ? { token } : {}) });
  };
  return (
    <section aria-labelledby="central-settings-heading" className="tb-sync-section">
      <h2 id="central-settings-heading">{t('sync.settings.heading')}</h2>
      <form className="tb-sync-settings" onSubmit={submit}>
        <label>
          <span>{t('sync.settings.url')}</span>
          <input
            name="centralUrl"
            type="url"
            defaultValue={status.data?.centralUrl ?? ''}
            key={status.data?.centralUrl ?? ''}
            placeholder="https://tidbok.region.se/fhir/R4"
            autoComplete="off"
          />
        </label>
        <label>
          <span>{t('sync.settings.token')}</span>
          <input name="token" type="password" autoComplete="off" aria-describedby="token-help" />
        </label>
        <p id="token-help" className="tb-muted">
          {t('sync.settings.tokenHelp')}
        </p>
        <p>
          <button type="submit" className="tb-button tb-primary" disabled={save.isPending}>
            {t('sync.settings.save')}
          </button>
        </p>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'tb-sync-ok' : 'tb-sync-error'}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}

export function SyncPage() {
  const { t } = useTranslation();
  const isAdmin = useAuth().status.user?.roles.includes('admin') ?? false;
  return (
    <section aria-labelledby="page-heading" className="tb-page tb-sync-page">
      <h1 id="page-heading">{t('sync.title')}</h1>
      <StatusCard />
      <Conflicts />
      <Failed />
      {isAdmin && <CentralSettings />}
    </section>
  );
}
