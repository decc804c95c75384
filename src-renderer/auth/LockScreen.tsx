// The lock over a shared desk's screen: the page stays as it was behind it; only the same user's
// password opens it again. Another person signs out (and then in) instead.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { StaffUser } from '../../src-main/api/methods/auth.ts';

export function LockScreen({ user, onUnlocked, onSignOut }: { user: StaffUser; onUnlocked: () => void; onSignOut: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const password = String(new FormData(form).get('password') ?? '');
    setBusy(true);
    call('auth.unlock', { password })
      .then(() => {
        form.reset();
        setError(null);
        onUnlocked();
      })
      .catch((err: unknown) => setError(err instanceof ApiCallError ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="tb-lock-backdrop">
      <div className="tb-auth-card" role="dialog" aria-modal="true" aria-labelledby="lock-title" aria-describedby="lock-who">
        <h1 id="lock-title">{t('auth.lockedTitle')}</h1>
        <p id="lock-who">{t('auth.lockedWho', { name: user.displayName, username: user.username })}</p>
        <form onSubmit={onSubmit} className="tb-auth-form">
          <input type="text" name="username" value={user.username} autoComplete="username" hidden readOnly />
          <label>
            {t('auth.password')}
            <input name="password" type="password" autoComplete="current-password" required autoFocus maxLength={200} />
          </label>
          {error && (
            <p className="tb-auth-error" role="alert">
              {error}
            </p>
          )}
          <div className="tb-auth-actions">
            <button type="submit" className="tb-button-primary" disabled={busy}>
              {t('auth.unlock')}
            </button>
            <button type="button" className="tb-button-link" onClick={onSignOut}>
              {t('auth.switchUser')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
