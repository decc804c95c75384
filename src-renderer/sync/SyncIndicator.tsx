// The header's sync indicator. Offline is calm (the desk works on, changes wait); an error that
// waiting will not mend (the desk's own database, central refusing the desk) is unmistakable and
// leads to the Sync page, where the precise error for IT is shown.
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../src-main/api/types.ts';
import './sync.css';

export function SyncIndicator({ sync }: { sync: SessionInfo['sync'] }) {
  const { t } = useTranslation();
  const pending = sync.pending > 0 && <span className="tb-sync-pending"> · {t('header.pending', { count: sync.pending })}</span>;
  if (sync.mode === 'error') {
    // An alert: a receptionist using a screen reader hears it when it appears.
    return (
      <span role="alert">
        <a href="#/sync" className="tb-sync tb-sync-error" data-testid="sync-state">
          <span className="tb-sync-dot" aria-hidden="true" />
          {t(`sync.problem.${sync.errorKind ?? 'program'}`)}
          {pending}
        </a>
      </span>
    );
  }
  return (
    <span className={`tb-sync tb-sync-${sync.mode}`} data-testid="sync-state">
      <span className="tb-sync-dot" aria-hidden="true" />
      {t(`header.sync.${sync.mode}`)}
      {pending}
    </span>
  );
}
