// The Sync page's line for a database opened elsewhere than where it was first opened: a copy made
// by hand (two desks that look like one to central) or the same desk moved. Nothing was reset;
// the admin either makes a proper new desk (`tidbok desk copy`) or confirms the move here.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { SyncStatusView } from '../../src-main/api/methods/sync.ts';

export function DeskMovedNotice({ moved, isAdmin }: { moved: NonNullable<SyncStatusView['deskMoved']>; isAdmin: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const confirm = useMutation({
    mutationFn: () => call('sync.confirmDeskMoved', {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['sync.status'] }),
    onError: (e) => setError(e instanceof ApiCallError ? e.error.message : String(e)),
  });
  return (
    <div className="tb-sync-desk-moved" role="alert" data-testid="sync-desk-moved">
      <p>{t('deskPlace.moved', { host: moved.recorded.host, path: moved.recorded.path })}</p>
      {isAdmin ? (
        <button type="button" className="tb-button" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
          {t('deskPlace.confirm')}
        </button>
      ) : (
        <p className="tb-sync-desk-moved-who">{t('deskPlace.askAdmin')}</p>
      )}
      {error && <p className="tb-sync-error">{error}</p>}
    </div>
  );
}
