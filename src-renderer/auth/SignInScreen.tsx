// Sign-in, and the first start of an empty database (create the admin). Swedish first, labelled
// fields, errors announced (role=alert), nothing but the form on the screen.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import { LanguageSelect } from '../i18n/LanguageSelect.tsx';

function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <main className="tb-auth" id="main">
      <div className="tb-auth-card">
        <div className="tb-auth-top">
          <p className="tb-auth-brand">{t('app.name')}</p>
          {/* Chosen before signing in: the screen is the first thing a new colleague reads. */}
          <LanguageSelect className="tb-auth-lang" />
        </div>
        <h1>{title}</h1>
        {intro}
        {children}
      </div>
    </main>
  );
}

function useSubmit(run: (data: FormData) => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    run(data)
      .catch((err: unknown) => setError(err instanceof ApiCallError ? err.message : String(err)))
      .finally(() => setBusy(false));
  };
  return { error, busy, onSubmit };
}

const text = (data: FormData, key: string) => String(data.get(key) ?? '');

export function SignInScreen({ demo, onSignedIn }: { demo: boolean; onSignedIn: (token: string | undefined) => void }) {
  const { t } = useTranslation();
  const { error, busy, onSubmit } = useSubmit(async (data) => {
    const r = await call('auth.signIn', { username: text(data, 'username'), password: text(data, 'password') });
    onSignedIn(r.token);
  });
  return (
    <AuthCard title={t('auth.signInTitle')} intro={demo ? <p className="tb-auth-demo">{t('auth.demoHint')}</p> : null}>
      <form onSubmit={onSubmit} className="tb-auth-form" aria-describedby={error ? 'auth-error' : undefined}>
        <label>
          {t('auth.username')}
          <input name="username" autoComplete="username" required autoFocus maxLength={64} />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autoComplete="current-password" required maxLength={200} />
        </label>
        {error && (
          <p id="auth-error" className="tb-auth-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="tb-button-primary" disabled={busy}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </AuthCard>
  );
}

export function SetupAdminScreen({ onSignedIn }: { onSignedIn: (token: string | undefined) => void }) {
  const { t } = useTranslation();
  const { error, busy, onSubmit } = useSubmit(async (data) => {
    if (text(data, 'password') !== text(data, 'repeat')) throw new Error(t('auth.passwordsDiffer'));
    const r = await call('auth.setupAdmin', {
      username: text(data, 'username'),
      displayName: text(data, 'displayName'),
      password: text(data, 'password'),
    });
    onSignedIn(r.token);
  });
  return (
    <AuthCard title={t('auth.setupTitle')} intro={<p>{t('auth.setupIntro')}</p>}>
      <form onSubmit={onSubmit} className="tb-auth-form">
        <label>
          {t('auth.displayName')}
          <input name="displayName" autoComplete="name" required autoFocus maxLength={200} />
        </label>
        <label>
          {t('auth.username')}
          <input name="username" autoComplete="username" required maxLength={64} />
        </label>
        <label>
          {t('auth.newPassword')}
          <input name="password" type="password" autoComplete="new-password" required minLength={10} maxLength={200} />
        </label>
        <label>
          {t('auth.repeatPassword')}
          <input name="repeat" type="password" autoComplete="new-password" required minLength={10} maxLength={200} />
        </label>
        {error && (
          <p className="tb-auth-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="tb-button-primary" disabled={busy}>
          {t('auth.createAdmin')}
        </button>
      </form>
    </AuthCard>
  );
}
