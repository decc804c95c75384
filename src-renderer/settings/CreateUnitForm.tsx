// A fresh (non-demo) database has no unit: the first admin sets it up here (or with
// `tidbok unit init`). Main validates the HSA-id and refuses a second unit.
import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { useNotify } from '../booking/notices.tsx';

export function CreateUnitForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const notify = useNotify();
  const hsaId = useId();
  const nameId = useId();
  const hintId = useId();
  const [hsa, setHsa] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const unit = await call('unit.create', { hsaId: hsa, name });
      notify('ok', t('settings.unit.created', { name: unit.name }));
      // Everything that failed for want of a unit may now load.
      await client.invalidateQueries();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="tb-form tb-card" onSubmit={(e) => void submit(e)} data-testid="create-unit">
      <h2>{t('settings.unit.createTitle')}</h2>
      <p className="tb-muted">{t('settings.unit.createLead')}</p>
      <div className="tb-row">
        <div className="tb-field">
          <label htmlFor={hsaId}>{t('settings.unit.hsaId')}</label>
          <input
            id={hsaId}
            value={hsa}
            onChange={(e) => setHsa(e.target.value)}
            required
            aria-describedby={hintId}
            spellCheck={false}
            autoComplete="off"
            placeholder="SE2321000016-ABCD"
          />
        </div>
        <div className="tb-field tb-grow">
          <label htmlFor={nameId}>{t('settings.unit.name')}</label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </div>
      </div>
      <p className="tb-field-hint" id={hintId}>
        {t('settings.unit.hsaHint')}
      </p>
      {error && (
        <p role="alert" className="tb-form-error">
          {error}
        </p>
      )}
      <div className="tb-dialog-actions">
        <button type="submit" className="tb-button tb-primary" disabled={busy}>
          {t('settings.unit.create')}
        </button>
      </div>
    </form>
  );
}
