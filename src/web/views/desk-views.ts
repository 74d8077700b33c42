/** The support desk console's screens (r18-console): pure functions of their data, on the page kit. */
import type { Branding } from '../../config-branding';
import type { Brand } from '../../domain/context';
import type { CustomerView } from '../../domain/desk/customer-view';
import { CONSOLE_ACTIONS, IDENTITY_METHODS, type ListedDeskRequest, type Operator } from '../../domain/desk/records';
import { formatDateTime } from '../../i18n/format';
import type { Locale, Translate } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { BRAND_STYLESHEET_PATH, FAVICON_PATH, brandHeader } from '../branding';
import { html, type Html } from '../html';
import { columnsTable, csrfInput, field, messages, rowsTable } from './kit';

export interface DeskFrame {
  t: Translate;
  locale: Locale;
  brand: Brand;
  branding: Branding;
  csrf: string;
  operator: Operator | null;
}

const k = (s: string) => s as MessageKey;
const when = (t: Translate, d: Date) => formatDateTime(t, d);

export function deskFrame(d: DeskFrame, title: string, body: Html): string {
  const { t } = d;
  const langTarget = d.locale === 'ja' ? 'en' : 'ja';
  const logout = d.operator ? html`<form method="post" action="/support/logout" class="logout">${csrfInput(d.csrf)}<button type="submit">${t('desk.logout')}</button></form>` : html``;
  const bar = d.operator
    ? html`<div class="customer"><span class="customer-name">${t('desk.signedInAs', { name: d.operator.name, role: t(k(`desk.role.${d.operator.role}`)) })}</span></div>
    <nav class="global" aria-label="${t('desk.title')}"><a href="/support/">${t('desk.home')}</a></nav>`
    : html``;
  return html`<!doctype html>
<html lang="${d.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | ${t('desk.title')}</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<link rel="stylesheet" href="${BRAND_STYLESHEET_PATH}">
<script src="/static/app.js" defer></script>
<script src="/static/webauthn.js" defer></script>
<script src="/static/passkey-ceremony.js" defer></script>
<script src="/static/desk.js" defer></script>
</head>
<body>
<header class="site">${brandHeader(d.brand, d.branding, d.locale)} ${logout}</header>
${bar}
<main>
<h1>${title}</h1>
${body}
</main>
<footer class="site"><p>${t('desk.title')}</p><p class="lang"><a href="?lang=${langTarget}" lang="${langTarget}">${t('lang.switch')}</a></p></footer>
</body>
</html>`.value;
}

export function deskLoginView(t: Translate, csrf: string, error: string | null): Html {
  return html`${messages({ error })}<p>${t('desk.login.lead')}</p>${csrfInput(csrf)}<p><button type="button" class="primary" data-desk="login">${t('desk.login.button')}</button></p>`;
}

export function deskEnrolView(t: Translate, csrf: string, name: string, token: string): Html {
  return html`<p>${t('desk.enrol.lead', { name })}</p>${csrfInput(csrf)}<p><button type="button" class="primary" data-desk="enrol" data-token="${token}">${t('desk.enrol.button')}</button></p>`;
}

export function searchForm(t: Translate, q = ''): Html {
  return html`<form method="get" action="/support/customers" class="search">${field({ id: 'q', label: t('desk.search.label'), autocomplete: 'off', maxlength: 200, value: q })}<button type="submit" class="primary">${t('desk.search.button')}</button></form>`;
}

export function searchResultsView(t: Translate, q: string, found: { loginId: string; name: string }[], error: string | null): Html {
  const list = found.length
    ? html`<ul>${found.map((a) => html`<li><a href="/support/customers/${encodeURIComponent(a.loginId)}">${t('desk.search.item', { name: a.name, loginId: a.loginId })}</a></li>`)}</ul>`
    : error ? html`` : html`<p>${t('desk.search.none')}</p>`;
  return html`${messages({ error })}${searchForm(t, q)}${list}`;
}

function requestRows(t: Translate, rows: ListedDeskRequest[], o: { decide?: { csrf: string; me: Operator } } = {}): Html {
  if (!rows.length) return html`<p>${t('desk.none')}</p>`;
  const headers = [t('desk.col.at'), t('desk.col.customer'), t('desk.col.action'), t('desk.col.why'), t('desk.col.identity'), t('desk.col.by'), t('desk.col.state')];
  return columnsTable({
    headers: o.decide ? [...headers, ''] : headers,
    rows: rows.map((r) => {
      const cells = [when(t, r.requestedAt), r.loginId, `#${r.id} ${t(k(`desk.action.${r.action}`))}`, r.reason, `${t(k(`desk.identity.${r.identityMethod}`))}: ${r.identityNote}`, r.decidedByName ? `${r.requestedByName} / ${r.decidedByName}` : r.requestedByName, t(k(`desk.state.${r.state}`))];
      const d = o.decide;
      const decide = d ? html`<td>${r.requestedBy === d.me.id ? t('desk.pending.own') : decideForm(t, d.csrf, r.id)}</td>` : html``;
      return html`<tr>${cells.map((c, i) => html`<td data-label="${headers[i]!}">${c}</td>`)}${decide}</tr>`;
    }),
  });
}

function decideForm(t: Translate, csrf: string, id: number): Html {
  return html`<form method="post" action="/support/requests/${id}/decide">${csrfInput(csrf)}
    <div class="field"><label for="why-${id}">${t('desk.pending.reason')}</label><input id="why-${id}" name="decisionReason" type="text" maxlength="500" required></div>
    <button type="submit" name="decision" value="approve" class="primary">${t('desk.pending.approve')}</button> <button type="submit" name="decision" value="reject" class="secondary">${t('desk.pending.reject')}</button></form>`;
}

export function homeView(t: Translate, csrf: string, me: Operator, today: { requested: ListedDeskRequest[]; decided: ListedDeskRequest[] }, pending: ListedDeskRequest[] | null, info: string | null, error: string | null): Html {
  return html`${messages({ error, info })}<h2>${t('desk.search.title')}</h2>${searchForm(t)}
  ${pending ? html`<h2>${t('desk.pending.title')}</h2>${requestRows(t, pending, { decide: { csrf, me } })}` : html``}
  <h2>${t('desk.today.title')}</h2><h3>${t('desk.today.requested')}</h3>${requestRows(t, today.requested)}<h3>${t('desk.today.decided')}</h3>${requestRows(t, today.decided)}`;
}

const list = (t: Translate, items: (string | Html)[]): Html => (items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : html`${t('desk.none')}`);

export function customerView(t: Translate, csrf: string, me: Operator, v: CustomerView, requests: ListedDeskRequest[], o: { info: string | null; error: string | null }): Html {
  const a = v.account;
  const status = rowsTable([
    [t('desk.customer.totp'), a.totpEnabledAt ? t('desk.customer.totpOn', { since: when(t, a.totpEnabledAt) }) : t('desk.customer.off')],
    [t('desk.customer.passkeys'), list(t, v.passkeys.map((p) => `${p.name} ${p.newUntil ? t('desk.customer.passkeyNew', { until: when(t, p.newUntil) }) : ''}`))],
    [t('desk.customer.addresses'), list(t, v.addresses.map((e) => `${e.slot}: ${e.address}${e.verified ? '' : ` (${t('desk.customer.unverified')})`}`))],
    [t('desk.customer.browsers'), list(t, v.browsers.map((b) => `${b.browser} / ${b.os} — ${when(t, b.lastUsedAt)}`))],
    [t('desk.customer.sessions'), list(t, v.sessions.map((s) => `${s.browser} / ${s.os} ${s.ip} — ${when(t, s.lastSeenAt)}`))],
    [t('desk.customer.locks'), list(t, [...v.locks.map((l) => t(k(`desk.customer.lock.${l.kind}`), { until: l.until ? when(t, l.until) : '', failures: l.failures })), ...(a.passwordChangeRequiredAt ? [t('desk.customer.passwordChange')] : [])])],
    [t('desk.customer.exemptions'), list(t, v.exemptions.map((e) => `${when(t, e.expiresAt)} — ${e.operator}: ${e.reason}${e.revokedAt ? ` (${when(t, e.revokedAt)} ✕)` : ''}`))],
  ]);
  // The behaviour signals a login raised, and what was done about them (r17-signals), as recorded.
  const logins = list(t, v.logins.map((l) => `${when(t, l.at)} ${l.result} ${l.method ?? ''} ${l.ip} ${l.country ?? ''} ${l.browser}${l.risk ? ` [${l.risk.signals.join(', ')} → ${l.risk.action}]` : ''}`));
  const trail = columnsTable({
    headers: [t('desk.col.at'), t('desk.col.event'), t('desk.col.by'), t('desk.col.why')],
    rows: v.trail.map((e) => html`<tr><td data-label="${t('desk.col.at')}">${when(t, e.at)}</td><td data-label="${t('desk.col.event')}">${e.type}</td><td data-label="${t('desk.col.by')}">${e.operator ?? e.ip ?? ''}</td><td data-label="${t('desk.col.why')}">${typeof e.detail.reason === 'string' ? e.detail.reason : ''}</td></tr>`),
  });
  return html`${messages(o)}<h2>${t('desk.customer.status')}</h2>${status}
  <h2>${t('desk.act.title')}</h2>${me.role === 'viewer' ? html`<p>${t('desk.act.viewerNote')}</p>` : actionForm(t, csrf, a.loginId, v.passkeys)}
  <h2>${t('desk.customer.requests')}</h2>${requestRows(t, requests)}
  <h2>${t('desk.customer.logins')}</h2>${logins}
  <h2>${t('desk.customer.trail')}</h2>${trail}`;
}

function actionForm(t: Translate, csrf: string, loginId: string, passkeys: CustomerView['passkeys']): Html {
  const choosePasskey = passkeys.length
    ? html`<div class="field"><label for="passkeyId">${t('desk.act.passkey')}</label><select id="passkeyId" name="passkeyId"><option value="">${t('desk.act.passkeyNone')}</option>${passkeys.map((p) => html`<option value="${String(p.id)}">${p.name} (${when(t, p.createdAt)})</option>`)}</select></div>`
    : html``;
  return html`<form method="post" action="/support/customers/${encodeURIComponent(loginId)}/actions">${csrfInput(csrf)}
  <div class="field"><label for="action">${t('desk.act.action')}</label><select id="action" name="action" required>${CONSOLE_ACTIONS.map((x) => html`<option value="${x}">${t(k(`desk.action.${x}`))}</option>`)}</select></div>
  <div class="field"><label for="identityMethod">${t('desk.act.identityMethod')}</label><select id="identityMethod" name="identityMethod" required>${IDENTITY_METHODS.map((x) => html`<option value="${x}">${t(k(`desk.identity.${x}`))}</option>`)}</select></div>
  ${field({ id: 'identityNote', label: t('desk.act.identityNote'), autocomplete: 'off', maxlength: 500 })}
  ${field({ id: 'reason', label: t('desk.act.reason'), autocomplete: 'off', maxlength: 500 })}
  ${choosePasskey}
  <div class="field"><label for="until">${t('desk.act.until')}</label><input id="until" name="until" type="text" autocomplete="off" maxlength="10"></div>
  <div class="actions"><button type="submit" class="primary">${t('desk.act.submit')}</button></div></form>`;
}
