// The app frame: header (unit, user, sync state, language), navigation, and the current page.
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.ts';
import { LanguageSelect } from '../i18n/LanguageSelect.tsx';
import { CalendarPage } from '../calendar/CalendarPage.tsx';
import { AppointmentTypesPage } from '../scheduler/AppointmentTypesPage.tsx';
import { TemplatesPage } from '../scheduler/TemplatesPage.tsx';
import { AbsencesPage } from '../scheduler/AbsencesPage.tsx';
import { AuthGate, useAuth } from '../auth/AuthGate.tsx';
import { UserMenu } from '../auth/UserMenu.tsx';
import { AuditPage } from '../admin/AuditPage.tsx';
import { UsersPage } from '../admin/UsersPage.tsx';
import { ExportPage } from '../export/ExportPage.tsx';
import { StatisticsPage } from '../stats/StatisticsPage.tsx';
import { SyncPage } from '../sync/SyncPage.tsx';
import { SyncIndicator } from '../sync/SyncIndicator.tsx';
import { SettingsPage, isNoUnitError } from '../settings/SettingsPage.tsx';
import { BookingsPage } from '../bookings/BookingsPage.tsx';
import { WaitlistPage } from '../waitlist/WaitlistPage.tsx';

export const PAGES = [
  'calendar',
  'bookings',
  'waitlist',
  'appointmentTypes',
  'templates',
  'absences',
  'export',
  'statistics',
  'sync',
  'settings',
  'audit',
  'users',
] as const;
export type Page = (typeof PAGES)[number];
/** Pages only an admin can use: the menu leaves them out for other roles (a link still says why). */
const ADMIN_PAGES: ReadonlySet<Page> = new Set(['statistics', 'audit', 'users']);

function pageFromHash(): Page {
  const h = window.location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(h) ? (h as Page) : 'calendar';
}

/** Nothing but the sign-in screen shows until someone signs in (auth/AuthGate.tsx). */
export function App() {
  return (
    <AuthGate>
      <AppFrame />
    </AuthGate>
  );
}

function AppFrame() {
  const isAdmin = useAuth().status.user?.roles.includes('admin') ?? false;
  const { t } = useTranslation();
  const [page, setPage] = useState<Page>(pageFromHash);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const session = useQuery({ queryKey: ['session.info'], queryFn: () => call('session.info', {}) });

  let content: ReactNode;
  switch (page) {
    case 'calendar':
      content = <CalendarPage />;
      break;
    case 'bookings':
      content = <BookingsPage />;
      break;
    case 'waitlist':
      content = <WaitlistPage />;
      break;
    case 'audit':
      content = <AuditPage />;
      break;
    case 'users':
      content = <UsersPage />;
      break;
    case 'export':
      content = <ExportPage />;
      break;
    case 'statistics':
      content = <StatisticsPage />;
      break;
    case 'sync':
      content = <SyncPage />;
      break;
    case 'templates':
      content = <TemplatesPage />;
      break;
    case 'absences':
      content = <AbsencesPage />;
      break;
    case 'appointmentTypes':
      content = <AppointmentTypesPage />;
      break;
    case 'settings':
      content = <SettingsPage />;
      break;
  }

  // A fresh database has no unit yet: setting it up is the first screen (settings/CreateUnitForm.tsx),
  // and the menu says so.
  const noUnit = isNoUnitError(session.error);
  if (noUnit) content = <SettingsPage />;
  const current: Page = noUnit ? 'settings' : page;
  const sync = session.data?.sync;
  return (
    <div className="tb-app">
      <a href="#main" className="tb-skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="tb-header">
        <span className="tb-brand">{t('app.name')}</span>
        <span className="tb-unit" title={t('header.unit')}>
          {noUnit ? t('header.noUnit') : (session.data?.unit.name ?? '…')}
        </span>
        <span className="tb-header-spacer" />
        {sync && <SyncIndicator sync={sync} />}
        <UserMenu />
        <LanguageSelect />
      </header>
      <nav className="tb-nav" aria-label={t('nav.label')}>
        <ul>
          {PAGES.filter((p) => !ADMIN_PAGES.has(p) || isAdmin).map((p) => (
            <li key={p}>
              <a href={`#/${p}`} aria-current={p === current ? 'page' : undefined} data-page={p}>
                {t(`nav.${p}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="tb-main" tabIndex={-1}>
        {content}
      </main>
    </div>
  );
}
