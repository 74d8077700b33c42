/**
 * The language of an answer, read the same way by Fastify's hook and by the fast path:
 * `?lang=` switches and is remembered in a cookie; pages are Japanese unless the customer chose
 * English (an English browser setting alone does not switch a Japanese brokerage's screens); API
 * clients may choose with Accept-Language.
 */
import type { SerializeOptions } from '@fastify/cookie';
import { pickLocale, type Locale } from '../i18n';
import { LANG_COOKIE, cookieOptions } from './cookies';

export const LANG_COOKIE_OPTIONS: SerializeOptions = { ...cookieOptions(365 * 86_400), secure: true, httpOnly: true };

export interface LocaleChoice {
  locale: Locale;
  /** A language chosen by `?lang=` in this request, to be remembered in LANG_COOKIE. */
  remember: Locale | null;
}

export function chooseLocale(r: { queryLang: unknown; cookieLang: string | undefined; acceptLanguage: string | undefined; api: boolean }): LocaleChoice {
  const remember = r.queryLang === 'en' || r.queryLang === 'ja' ? r.queryLang : null;
  return { locale: pickLocale(remember ?? r.cookieLang, r.api ? r.acceptLanguage : undefined), remember };
}
