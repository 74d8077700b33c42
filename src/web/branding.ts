/**
 * The brokerage's branding on the screens, from config (src/config-branding.ts): its colours as a
 * stylesheet of CSS custom properties (served from our origin, so the CSP stays `style-src 'self'`),
 * its logo, the header's name, the footer (help links, the support number as a tel: link, company
 * and 金融商品取引業者 registration lines) and the login page's help links with the phishing warning.
 * Pure functions but for the two routes; the layout places what they return.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Branding } from '../config-branding';
import type { Brand } from '../domain/context';
import type { Locale, MessageKey, Translate } from '../i18n';
import { html, type Html } from './html';

export const BRAND_STYLESHEET_PATH = '/static/brand.css';
export const LOGO_PATH = '/static/logo';
export const FAVICON_PATH = '/static/favicon.svg';

/** The colours as custom properties public/style.css reads (--brand, --accent and their text colours). */
export function brandStylesheet(b: Branding): string {
  const c = b.colours;
  return `:root { --brand: ${c.brand}; --brand-text: ${c.brandText}; --accent: ${c.accent}; --accent-text: ${c.accentText}; }\n`;
}

/** `tel:` with the digits only (and a leading +), so a phone dials `0120-954-171` as typed on the page. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** The support number as a link a phone can call. */
export function phoneLink(phone: string): Html {
  return html`<a href="${telHref(phone)}">${phone}</a>`;
}

/**
 * A message whose `{phone}` is the support number, with the number as a tel: link. The message is
 * translated around a placeholder and each part escaped, so no translated text becomes markup.
 */
export function withPhoneLink(t: Translate, key: MessageKey, phone: string, vars: Record<string, string | number> = {}): Html {
  const MARK = '\u0000';
  const parts = t(key, { ...vars, phone: MARK }).split(MARK);
  return html`${parts.flatMap((part, i) => (i === 0 ? [part] : [phoneLink(phone), part]))}`;
}

/** The names for this page's language: the English ones on English pages when configured. */
export function brandNames(brand: Brand, b: Branding, locale: Locale): { brokerName: string; serviceName: string } {
  return locale === 'en' ? b.english : { brokerName: brand.brokerName, serviceName: brand.serviceName };
}

/** The header's brand: the logo (its alt text the broker's name) or the name in text, then the service name. */
export function brandHeader(brand: Brand, b: Branding, locale: Locale): Html {
  const names = brandNames(brand, b, locale);
  const mark = b.logo ? html`<img src="${LOGO_PATH}" alt="${names.brokerName}">` : html`<strong>${names.brokerName}</strong>`;
  return html`<div class="brand">${mark} <span>${names.serviceName}</span></div>`;
}

const JAPANESE_SCRIPT = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * A configured line is written once, often only in Japanese (the company's registered name, the
 * 金融商品取引業者 line): on an English page it says so, for screen readers (WCAG 3.1.2).
 */
function japaneseOn(locale: Locale, text: string): Html {
  return locale === 'en' && JAPANESE_SCRIPT.test(text) ? html` lang="ja"` : html``;
}

/** Inside <footer class="site">, above the language switch: help links, support, company and registration. */
export function footerContent(brand: Brand, b: Branding, t: Translate, locale: Locale): Html {
  const links = [b.links.help ? html`<a href="${b.links.help}">${t('footer.help')}</a>` : null, b.links.faq ? html`<a href="${b.links.faq}">${t('footer.faq')}</a>` : null].filter(Boolean);
  const company = locale === 'en' && b.footer.company === brand.brokerName ? b.english.brokerName : b.footer.company;
  const line = (text: string, cls?: string) => html`<p${cls ? html` class="${cls}"` : html``}${japaneseOn(locale, text)}>${text}</p>`;
  return html`
  ${links.length ? html`<nav aria-label="${t('footer.help')}">${links}</nav>` : html``}
  <p class="support">${t('footer.support')} ${phoneLink(b.support.phone)}${b.support.hours ? html` <span${japaneseOn(locale, b.support.hours)}>${b.support.hours}</span>` : html``}</p>
  ${line(company, 'company')}
  ${b.footer.registration ? line(b.footer.registration, 'registration') : html``}
  ${b.footer.lines.map((l) => line(l))}`;
}

/**
 * Under the login form: 「ログインIDをお忘れの方」「ログインパスワードをお忘れの方」「よくあるご質問」
 * where configured, and always the phishing warning.
 */
export function loginHelp(b: Branding, t: Translate, own: { forgotId: string; forgotPassword: string } | null = null): Html {
  // The brokerage's pages when configured (FORGOT_ID_URL, FORGOT_PASSWORD_URL), else Mamori's own where the caller has them.
  const forgotId = b.links.forgotId ?? own?.forgotId;
  const forgotPassword = b.links.forgotPassword ?? own?.forgotPassword;
  const items = [
    forgotId ? html`<li><a href="${forgotId}">${t('login.forgotId')}</a></li>` : null,
    forgotPassword ? html`<li><a href="${forgotPassword}">${t('login.forgotPassword')}</a></li>` : null,
    b.links.faq ? html`<li><a href="${b.links.faq}">${t('login.faq')}</a></li>` : null,
  ].filter(Boolean);
  return html`${items.length ? html`<ul class="login-help">${items}</ul>` : html``}<p class="note help phishing">${t('login.phishing')}</p>`;
}

/** GET /static/brand.css and, when configured, GET /static/logo (read once at start). */
export function brandingRoutes(app: FastifyInstance, b: Branding): void {
  const css = brandStylesheet(b);
  app.get(BRAND_STYLESHEET_PATH, async (_req, reply) => reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(css));
  if (!b.logo) return;
  const logo = { body: readFileSync(b.logo.file), type: b.logo.contentType };
  app.get(LOGO_PATH, async (_req, reply) => reply.header('Cache-Control', 'public, max-age=3600').type(logo.type).send(logo.body));
}
