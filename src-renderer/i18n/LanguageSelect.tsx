// Svenska / English: in the header, and on the sign-in card (before anyone has signed in).
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from './index.ts';

export function LanguageSelect({ className = 'tb-lang' }: { className?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <label className={className}>
      <span className="tb-visually-hidden">{t('header.language')}</span>
      <select value={i18n.language} onChange={(e) => setLang(e.target.value as Lang)}>
        <option value="sv">Svenska</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
