// Patient search (shortcut S or /): identity number in any accepted form, or a name.
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { Dialog } from '../keyboard/Dialog.tsx';
import { formatIdentity } from '../booking/format.ts';
import { useDebounced } from '../booking/useDebounced.ts';

export function PatientSearchDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (patientId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 180);
  const found = useQuery({
    queryKey: ['patients.search', q],
    queryFn: () => call('patients.search', { query: q, limit: 20 }),
    enabled: q.length >= 2,
  });
  return (
    <Dialog title={t('patients.search')} onClose={onClose} testId="patient-search">
      <div className="tb-form">
        <div className="tb-field">
          <label htmlFor={id}>{t('patients.searchLabel')}</label>
          <input
            id={id}
            data-autofocus
            autoComplete="off"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && found.data?.[0]) onOpen(found.data[0].id);
            }}
            placeholder={t('book.patientPlaceholder')}
          />
        </div>
        {found.error && (
          <p role="alert" className="tb-form-error">
            {found.error.message}
          </p>
        )}
        {found.data && found.data.length === 0 && <p className="tb-muted">{t('book.noMatch')}</p>}
        {found.data && found.data.length > 0 && (
          <ul className="tb-results" aria-label={t('book.results')}>
            {found.data.map((p) => (
              <li key={p.id}>
                <button type="button" className="tb-result" onClick={() => onOpen(p.id)}>
                  <strong>{p.protectedIdentity ? t('calendar.protected') : p.displayName}</strong>
                  <span className="tb-muted">{formatIdentity(p.identityNumber)}</span>
                  {p.protectedIdentity && <span className="tb-protected-mark">{t('patients.protectedMark')}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
