// Patient search (shortcut S or /): identity number in any accepted form, or a name.
import { useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { Dialog } from '../keyboard/Dialog.tsx';
import { formatIdentity } from '../booking/format.ts';
import { useDebounced } from '../booking/useDebounced.ts';

/** Hits listed: a common name matches more, typing more of the name or number narrows them. */
const SHOWN_MATCHES = 20;

export function PatientSearchDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (patientId: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 180);
  const client = useQueryClient();
  const searchFor = (text: string) => ({
    queryKey: ['patients.search', text, SHOWN_MATCHES],
    // Exactly what is listed: every patient returned is logged as read (README, access log).
    queryFn: () => call('patients.search', { query: text, limit: SHOWN_MATCHES }),
  });
  const found = useQuery({ ...searchFor(q), enabled: q.length >= 2 });
  /** Enter opens the first hit for what is typed now, not for what the lagging search last saw. */
  async function openFirst(): Promise<void> {
    const text = query.trim();
    if (text.length < 2) return;
    const hits = await client.fetchQuery(searchFor(text));
    if (hits[0]) onOpen(hits[0].id);
  }
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
              if (e.key !== 'Enter') return;
              // Else the Enter goes on to the patient view's first button (Stäng) once it opens.
              e.preventDefault();
              void openFirst();
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
        {found.data && found.data.length === SHOWN_MATCHES && (
          <p className="tb-muted">{t('book.moreMatches', { count: SHOWN_MATCHES })}</p>
        )}
      </div>
    </Dialog>
  );
}
