// i18n: Swedish first, English second. Strings live in sv.ts / en.ts, keyed alike.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sv } from './sv.ts';
import { en } from './en.ts';

export type Lang = 'sv' | 'en';
const LANG_KEY = 'tidbok.lang';

export function initialLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'sv';
}

void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng: initialLang(),
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});

export function setLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export default i18n;
