// Who is at the desk: shows the sign-in (or first-admin) screen until someone signs in, and a
// lock screen over the untouched page after inactivity or "Lås". The page behind the lock stays
// mounted, so a receptionist comes back to the same day, dialog and scroll position.
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, keepSessionToken, onAuthRequired } from '../api/client.ts';
import type { AuthStatus } from '../../src-main/api/methods/auth.ts';
import { SignInScreen, SetupAdminScreen } from './SignInScreen.tsx';
import { LockScreen } from './LockScreen.tsx';
import { useIdleTimer } from './idle.ts';
import './auth.css';

interface AuthApi {
  status: AuthStatus;
  lock(): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthApi | null>(null);

export function useAuth(): AuthApi {
  const api = useContext(AuthContext);
  if (!api) throw new Error('useAuth outside AuthGate');
  return api;
}

const STATUS_KEY = ['auth.status'];

export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: STATUS_KEY, queryFn: () => call('auth.status', {}), staleTime: Infinity, retry: false });
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: STATUS_KEY }), [queryClient]);
  useEffect(() => onAuthRequired(refresh), [refresh]);

  /** Another user (or none): nothing the previous one saw may linger in the cache. */
  const forgetCache = useCallback(() => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== STATUS_KEY[0] });
    refresh();
  }, [queryClient, refresh]);
  const signedIn = useCallback(
    (token: string | undefined) => {
      keepSessionToken(token);
      forgetCache();
    },
    [forgetCache],
  );
  const lock = useCallback(async () => {
    await call('auth.lock', {}).catch(() => undefined);
    refresh();
  }, [refresh]);
  const signOut = useCallback(async () => {
    await call('auth.signOut', {}).catch(() => undefined);
    keepSessionToken(null);
    forgetCache();
  }, [forgetCache]);
  const unlocked = useCallback(() => {
    // Same user, same page: refetch what the page shows, keep everything else.
    void queryClient.invalidateQueries();
  }, [queryClient]);

  const state = status.data?.state;
  useIdleTimer(
    state === 'active' ? (status.data?.lockAfterMin ?? 10) * 60_000 : null,
    () => void lock(),
    // Any call marks the session as in use in main; auth.status is the lightest one.
    () => void call('auth.status', {}).catch(() => undefined),
  );
  const api = useMemo(() => (status.data ? { status: status.data, lock, signOut } : null), [status.data, lock, signOut]);

  if (status.isPending) return <p className="tb-auth-loading">{t('app.loading')}</p>;
  if (status.isError || !api) {
    return (
      <p className="tb-auth-loading" role="alert">
        {status.error?.message ?? t('app.error')}
      </p>
    );
  }
  if (state === 'setup') return <SetupAdminScreen onSignedIn={signedIn} />;
  if (state === 'signedOut') return <SignInScreen demo={api.status.demo} onSignedIn={signedIn} />;
  const locked = state === 'locked';
  return (
    <AuthContext.Provider value={api}>
      <div className="tb-auth-frame" inert={locked} aria-hidden={locked || undefined}>
        {children}
      </div>
      {locked && api.status.user && <LockScreen user={api.status.user} onUnlocked={unlocked} onSignOut={() => void signOut()} />}
    </AuthContext.Provider>
  );
}
