/** The signed-in top screens: 口座情報 menu, 登録情報照会, and the embedded mode's mailbox. */
import type { AccountOverview } from '../../domain/accounts/account-service';
import type { TotpStatus } from '../../domain/totp/totp-service';
import type { DevMail } from '../../domain/notifications/records';
import { formatDateTime } from '../../i18n/format';
import { html, type Html } from '../html';
import type { Page } from './frame';
import { rowsTable, type ViewContext } from './kit';

/** The top page's entries served by the trading service. */
const TRADING_MENU = ['menu.notices', 'menu.messages', 'menu.electronicDelivery', 'menu.prospectuses', 'menu.prospectusHistory'] as const;

export function homeView(v: ViewContext, o: { overview: AccountOverview; previousLogin: Date | null; askPasskey: boolean; migration?: Html }): Page {
  const { t } = v;
  const trading = v.brand.tradingServiceUrl;
  // The notice urges TOTP on smartphone users and login notification on everyone else.
  const protectedAlready = o.overview.totpEnabled || o.overview.loginNotificationOn;
  const recommend = protectedAlready
    ? html``
    : html`<section class="recommend" aria-label="recommendation">
          <p>${t('home.recommend')}</p>
          <ul><li><a href="/account/info">${t('home.recommendTotp')}</a></li><li><a href="/account/emails">${t('home.recommendNotify')}</a></li></ul>
        </section>`;
  // A login the customer does not remember is the first sign that someone else has the password.
  const previous = html`<p class="last-login"><span>${t('home.lastLogin')}</span> ${o.previousLogin ? formatDateTime(t, o.previousLogin) : t('home.lastLoginNone')} <a href="/account/security#history">${t('history.title')}</a></p>`;
  const body = html`
      ${previous}
      ${o.migration ?? html``}
      ${o.askPasskey ? html`<section class="recommend"><p>${t('passkey.recommend')}</p><a class="button primary" href="/account/passkeys">${t('passkey.register')}</a></section>` : html``}
      ${recommend}
      <section class="menu-panel">
        <h2>${t('menu.customerInfo')}</h2>
        <ul class="menu">
          <li><a href="/account/info">${t('menu.registrationInfo')}</a></li>
          <li><a href="/account/emails">${t('menu.emailInfo')}</a></li>
          ${TRADING_MENU.map((key) => html`<li><a href="${trading}">${t(key)}</a></li>`)}
        </ul>
      </section>`;
  return { title: t('home.title'), body };
}

export function infoView(v: ViewContext, o: { loginId: string; name: string; overview: AccountOverview; totp: TotpStatus }): Page {
  const { t } = v;
  const totpCell = o.totp.enabled
    ? html`<span class="state on">${t('info.inUse')}</span>
          <div class="actions"><a class="button secondary" href="/account/totp/reregister">${t('otp.reregister')}</a> <a class="button secondary" href="/account/totp/stop">${t('otp.stop')}</a></div>
          <p class="note">${t('otp.recoveryRemaining', { count: o.totp.unusedRecoveryCodes })} <a href="/account/totp/recovery-codes">${t('otp.regenerate')}</a></p>`
    : html`<span class="state off">${t('info.notInUse')}</span>
          <a class="button primary" href="/account/totp/apply">${t('otp.apply')}</a>`;
  const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('info.title')}</p>
      <nav class="page-menu" aria-label="${t('info.title')}"><a href="#services">${t('info.services')}</a> <a href="#security">${t('security.title')}</a></nav>
      ${rowsTable([
        [t('info.loginId'), o.loginId],
        [t('info.name'), o.name],
        [t('info.email'), o.overview.representativeMasked ?? t('common.notRegistered')],
      ])}
      <h2 id="services">${t('info.services')}</h2>
      ${rowsTable([
        [t('info.totpService'), totpCell],
        [t('passkey.title'), html`${t('passkey.count', { count: o.overview.passkeyCount })} <a class="button secondary" href="/account/passkeys">${t('passkey.manage')}</a>`],
      ])}
      <h2 id="security">${t('security.title')}</h2>
      <ul class="menu">
        <li><a href="/account/security#history">${t('history.title')}</a></li>
        <li><a href="/account/security#devices">${t('devices.title')}</a></li>
        <li><a href="/account/password">${t('password.loginTitle')}</a></li>
        <li><a href="/account/trading-password">${t('password.tradingTitle')}</a></li>
      </ul>`;
  return { title: t('info.title'), body };
}

export function devMailboxView(v: ViewContext, mails: DevMail[]): Page {
  const { t } = v;
  const items = mails.map((m) => html`<article class="mail"><h2>${m.subject}</h2><p class="note">To: ${m.to} — ${m.deliveredAt.toISOString()}</p><pre>${m.text}</pre></article>`);
  return { title: t('devmail.title'), body: html`<p class="note">${t('devmail.notice')}</p>${mails.length ? items : html`<p>${t('devmail.empty')}</p>`}` };
}
