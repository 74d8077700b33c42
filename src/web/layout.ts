/** The frame of every screen, after the notice's: brand and ログアウト, then `<name> 様 <date>`, then the menus. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatJstDate } from '../domain/notifications/format';
import type { Translate } from '../i18n';
import { html, type Html } from './html';
import { csrfField } from './csrf';
import type { WebDeps } from './request-context';

export interface PageOptions {
  title: string;
  body: Html;
  status?: number;
}

export function renderPage(req: FastifyRequest, reply: FastifyReply, deps: WebDeps, page: PageOptions): FastifyReply {
  const { t } = req;
  const { brand } = deps.services;
  const { keyed, random, clock } = deps.services.ports;
  const session = req.session;
  const trading = brand.tradingServiceUrl;
  const signedIn = session
    ? html`
      <form method="post" action="/logout" class="logout">
        <input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">
        <button type="submit">${t('common.logout')}</button>
      </form>`
    : html``;
  const customerBar = session
    ? html`
    <div class="customer"><span class="customer-name">${session.name} ${t('common.sama')}</span> <span class="today">${formatJstDate(clock.now())}</span></div>
    <nav class="global" aria-label="menu">
      <a href="${trading}">${t('menu.trade')}</a>
      <a href="${trading}">${t('menu.assets')}</a>
      <a href="${trading}">${t('menu.transfer')}</a>
      <a href="/account" class="current">${t('menu.account')}</a>
    </nav>`
    : html``;
  const langTarget = req.locale === 'ja' ? 'en' : 'ja';
  const doc = html`<!doctype html>
<html lang="${req.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} | ${brand.serviceName}</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
<script src="/static/webauthn.js" defer></script>
<script src="/static/passkeys.js" defer></script>
</head>
<body>
<header class="site">
  <div class="brand"><strong>${brand.brokerName}</strong> <span>${brand.serviceName}</span></div>
  ${signedIn}
</header>
${customerBar}
<main>
<h1>${page.title}</h1>
${page.body}
</main>
<footer class="site"><a href="?lang=${langTarget}" lang="${langTarget}">${t('lang.switch')}</a></footer>
</body>
</html>`;
  return reply.status(page.status ?? 200).type('text/html; charset=utf-8').send(doc.value);
}

/** A message box; `role=alert` so screen readers announce errors. */
export function alertBox(message: string | null | undefined, kind: 'error' | 'info' = 'error'): Html {
  if (!message) return html``;
  return kind === 'error' ? html`<p class="alert error" role="alert">${message}</p>` : html`<p class="alert info" role="status">${message}</p>`;
}

/** Under the phishing-resistant policy a critical change may first ask for a passkey step-up. */
export function stepUpHint(t: Translate, error: string | null | undefined): Html {
  if (!error || error !== t('error.step_up_required')) return html``;
  return html`<section class="help"><p>${t('passkey.stepUpLead')}</p><button type="button" class="primary" data-passkey="step-up">${t('passkey.stepUp')}</button></section>`;
}

/** A password input with the notice's 「パスワードを表示する」 checkbox. */
export function passwordInput(id: string, name: string, label: string, showLabel: string, attrs: { autocomplete: string; inputmode?: string; maxlength?: number }): Html {
  return html`
  <div class="field">
    <label for="${id}">${label}</label>
    <input id="${id}" name="${name}" type="password" autocomplete="${attrs.autocomplete}" ${attrs.inputmode ? html`inputmode="${attrs.inputmode}"` : html``} maxlength="${attrs.maxlength ?? 1024}" required>
    <label class="show-password"><input type="checkbox" data-toggle-password="${id}"> ${showLabel}</label>
  </div>`;
}
