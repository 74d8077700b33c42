/** The frame of every screen, after the notice's: brand and ログアウト, then `<name> 様 <date>`, then the menus. */
import type { Branding } from '../../config-branding';
import type { Brand } from '../../domain/context';
import { formatJstDate } from '../../domain/notifications/format';
import type { Locale, Translate } from '../../i18n';
import { BRAND_STYLESHEET_PATH, FAVICON_PATH, brandHeader, brandNames, footerContent } from '../branding';
import { html, type Html } from '../html';
import { csrfInput } from './kit';

/** A screen: its title (the page's h1 and <title>), body and status. */
export interface Page {
  title: string;
  body: Html;
  status?: number;
}

export interface FrameData {
  t: Translate;
  locale: Locale;
  brand: Brand;
  branding: Branding;
  now: Date;
  /** The signed-in customer, with the CSRF value of the ログアウト form. */
  customer: { name: string; csrf: string } | null;
  /** Above the page's own content: the passkey migration's word (web/passkey-enrolment-gate.ts). */
  notice?: Html;
}

export function frameView(d: FrameData, page: Page): Html {
  const { t, brand } = d;
  const trading = brand.tradingServiceUrl;
  const signedIn = d.customer
    ? html`
      <form method="post" action="/logout" class="logout">
        ${csrfInput(d.customer.csrf)}
        <button type="submit">${t('common.logout')}</button>
      </form>`
    : html``;
  const customerBar = d.customer
    ? html`
    <div class="customer"><span class="customer-name">${d.customer.name} ${t('common.sama')}</span> <span class="today">${formatJstDate(d.now)}</span></div>
    <nav class="global" aria-label="menu">
      <a href="${trading}">${t('menu.trade')}</a>
      <a href="${trading}">${t('menu.assets')}</a>
      <a href="${trading}">${t('menu.transfer')}</a>
      <a href="/account" class="current">${t('menu.account')}</a>
    </nav>`
    : html``;
  const langTarget = d.locale === 'ja' ? 'en' : 'ja';
  return html`<!doctype html>
<html lang="${d.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} | ${brandNames(brand, d.branding, d.locale).serviceName}</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<link rel="stylesheet" href="${BRAND_STYLESHEET_PATH}">
<script src="/static/app.js" defer></script>
<script src="/static/webauthn.js" defer></script>
<script src="/static/passkey-ceremony.js" defer></script>
<script src="/static/passkeys.js" defer></script>
</head>
<body>
<header class="site">
  ${brandHeader(brand, d.branding, d.locale)}
  ${signedIn}
</header>
${customerBar}
<main>
<h1>${page.title}</h1>
${d.notice ?? ''}
${page.body}
</main>
<footer class="site">${footerContent(brand, d.branding, t, d.locale)}
<p class="lang"><a href="?lang=${langTarget}" lang="${langTarget}">${t('lang.switch')}</a></p>
</footer>
</body>
</html>`;
}
