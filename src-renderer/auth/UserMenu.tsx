// The header's right end: who is signed in (and that this is the demo), lock and sign out.
import { useTranslation } from 'react-i18next';
import { useAuth } from './AuthGate.tsx';

export function UserMenu() {
  const { t } = useTranslation();
  const { status, lock, signOut } = useAuth();
  if (!status.user) return null;
  return (
    <span className="tb-user-menu">
      {status.demo && (
        <span className="tb-demo-badge" title={t('auth.demoTitle')}>
          {t('auth.demo')}
        </span>
      )}
      <span className="tb-user" title={t('header.user')} data-testid="signed-in-user">
        {status.user.displayName}
      </span>
      <button type="button" className="tb-header-button" onClick={() => void lock()}>
        {t('auth.lock')}
      </button>
      <button type="button" className="tb-header-button" onClick={() => void signOut()}>
        {t('auth.signOut')}
      </button>
    </span>
  );
}
