// Staff accounts for admins: who may sign in with which roles, unlock after failed sign-ins,
// deactivate, set a new password; and how soon an idle screen locks.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiCallError, call } from '../api/client.ts';
import type { StaffUser } from '../../src-main/api/methods/auth.ts';
import type { Role } from '../../src-main/api/types.ts';
import { useAuth } from '../auth/AuthGate.tsx';

const ROLES: Role[] = ['receptionist', 'scheduler', 'admin'];

function message(err: unknown): string {
  return err instanceof ApiCallError ? err.message : String(err);
}

function NewUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (input: { username: string; displayName: string; password: string; roles: Role[] }) =>
      call('users.create', input),
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const roles = ROLES.filter((r) => data.get(`role-${r}`) === 'on');
    create.mutate(
      {
        username: String(data.get('username') ?? ''),
        displayName: String(data.get('displayName') ?? ''),
        password: String(data.get('password') ?? ''),
        roles,
      },
      {
        onSuccess: () => {
          form.reset();
          setError(null);
          onDone();
        },
        onError: (err) => setError(message(err)),
      },
    );
  };
  return (
    <form className="tb-audit-filter" onSubmit={onSubmit} aria-labelledby="new-user-title">
      <h2 id="new-user-title" className="tb-visually-hidden">
        {t('users.new')}
      </h2>
      <label>
        {t('auth.displayName')}
        <input name="displayName" required maxLength={200} />
      </label>
      <label>
        {t('auth.username')}
        <input name="username" required maxLength={64} autoComplete="off" />
      </label>
      <label>
        {t('auth.newPassword')}
        <input name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" />
      </label>
      <fieldset className="tb-users-roles">
        <legend>{t('users.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r}>
            <input type="checkbox" name={`role-${r}`} defaultChecked={r === 'receptionist'} /> {t(`users.role.${r}`)}
          </label>
        ))}
      </fieldset>
      <div className="tb-audit-buttons">
        <button type="submit" className="tb-button-primary" disabled={create.isPending}>
          {t('users.create')}
        </button>
      </div>
      {error && (
        <p className="tb-auth-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function LockSetting() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({ mutationFn: (minutes: number) => call('auth.setInactivityLock', { minutes }) });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const minutes = Number(new FormData(e.currentTarget).get('minutes'));
    save.mutate(minutes, {
      onSuccess: (r) => {
        setSaved(t('users.lockSaved', { count: r.lockAfterMin }));
        void queryClient.invalidateQueries({ queryKey: ['auth.status'] });
      },
      onError: (err) => setSaved(message(err)),
    });
  };
  return (
    <form className="tb-audit-filter" onSubmit={onSubmit}>
      <label>
        {t('users.lockAfter')}
        <input name="minutes" type="number" min={1} max={240} required defaultValue={status.lockAfterMin} />
      </label>
      <div className="tb-audit-buttons">
        <button type="submit">{t('users.save')}</button>
      </div>
      {saved && <p role="status">{saved}</p>}
    </form>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users.list'], queryFn: () => call('users.list', {}) });
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['users.list'] });
  const update = (input: { id: string; active?: boolean; unlock?: boolean; password?: string }) =>
    call('users.update', input)
      .then(() => {
        setError(null);
        refresh();
      })
      .catch((err: unknown) => setError(message(err)));
  // The user whose new password is being typed (inline: Electron has no window.prompt).
  const [settingPassword, setSettingPassword] = useState<string | null>(null);
  const onPassword = (e: FormEvent<HTMLFormElement>, u: StaffUser) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    void update({ id: u.id, password }).then(() => setSettingPassword(null));
  };
  const now = Date.now();

  return (
    <section className="tb-page tb-audit" aria-labelledby="page-heading">
      <h1 id="page-heading">{t('users.title')}</h1>
      <NewUserForm onDone={refresh} />
      {error && (
        <p className="tb-auth-error" role="alert">
          {error}
        </p>
      )}
      <table className="tb-table" data-testid="users">
        <thead>
          <tr>
            <th scope="col">{t('auth.displayName')}</th>
            <th scope="col">{t('auth.username')}</th>
            <th scope="col">{t('users.roles')}</th>
            <th scope="col">{t('users.state')}</th>
            <th scope="col">
              <span className="tb-visually-hidden">{t('users.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => {
            const locked = u.lockedUntil !== null && u.lockedUntil > now;
            return (
              <tr key={u.id}>
                <td>{u.displayName}</td>
                <td>{u.username}</td>
                <td>{u.roles.map((r) => t(`users.role.${r}`)).join(', ')}</td>
                <td>{!u.active ? t('users.inactive') : locked ? t('users.locked') : t('users.active')}</td>
                <td className="tb-users-actions">
                  {locked && (
                    <button type="button" onClick={() => void update({ id: u.id, unlock: true })}>
                      {t('users.unlock')}
                    </button>
                  )}
                  {settingPassword === u.id ? (
                    <form className="tb-users-password" onSubmit={(e) => onPassword(e, u)}>
                      <label>
                        <span className="tb-visually-hidden">{t('users.passwordFor', { name: u.displayName })}</span>
                        <input
                          name="password"
                          type="password"
                          required
                          minLength={10}
                          maxLength={200}
                          autoComplete="new-password"
                          autoFocus
                        />
                      </label>
                      <button type="submit">{t('users.save')}</button>
                      <button type="button" onClick={() => setSettingPassword(null)}>
                        {t('users.cancel')}
                      </button>
                    </form>
                  ) : (
                    <button type="button" onClick={() => setSettingPassword(u.id)}>
                      {t('users.newPassword')}
                    </button>
                  )}
                  <button type="button" onClick={() => void update({ id: u.id, active: !u.active })}>
                    {u.active ? t('users.deactivate') : t('users.activate')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t('users.lockTitle')}</h2>
      <LockSetting />
    </section>
  );
}
