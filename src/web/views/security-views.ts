/**
 * The customer's own security overview, reached from 登録情報照会: ログイン履歴, 登録済み端末
 * (解除), ログインパスワード変更 and 取引パスワード変更.
 */
import type { DeviceView, HistoryEntry } from '../../domain/accounts/security-service';
import { formatDateTime, methodName } from '../../i18n/format';
import { historyResult, networkAttribution, placeText } from './risk-history-views';
import { html } from '../html';
import type { SessionView } from '../../domain/sessions/customer-sessions';
import type { Page } from './frame';
import { reauthSection, type ReauthState } from './confirm-view';
import { sessionsSection } from './session-views';
import { actions, columnsTable, confirmationCodeField, csrfInput, errorSummary, messages, passwordField, postButton, resultView, stepUpHint, type FormError, type ViewContext } from './kit';

export function overviewView(v: ViewContext, history: HistoryEntry[], devices: DeviceView[], o: { info?: string; error?: FormError } = {}, sessions: SessionView[] = []): Page {
  const { t } = v;
  const historyRows = history.map(
    (e) =>
      html`<tr class="${e.result === 'success' ? 'ok' : 'failed'}"><td data-label="${t('history.at')}">${formatDateTime(t, e.at)}</td><td data-label="${t('history.ip')}">${e.ip}</td><td data-label="${t('history.where')}">${placeText(v, e)}</td><td data-label="${t('history.browser')}">${e.browser} / ${e.os}</td><td data-label="${t('history.method')}">${e.method ? methodName(t, e.method) : '—'}</td><td data-label="${t('history.result')}">${historyResult(t, e)}</td></tr>`,
  );
  const deviceRows = devices.map(
    (d) => html`<tr><td data-label="${t('history.browser')}">${d.browser} / ${d.os}${d.current ? html` <span class="badge">${t('devices.current')}</span>` : html``}</td><td data-label="${t('devices.firstUsed')}">${formatDateTime(t, d.firstUsedAt)}</td><td data-label="${t('devices.lastUsed')}">${formatDateTime(t, d.lastUsedAt)}</td>
        <td>${postButton(v.csrf, `/account/devices/${d.id}/revoke`, t('devices.revoke'), { ariaLabel: `${d.browser} / ${d.os} ${t('devices.revoke')}` })}</td></tr>`,
  );
  const table = (className: string, headers: string[], rows: ReturnType<typeof html>[]) => html`<div class="table-scroll">${columnsTable({ className, headers, rows })}</div>`;
  const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('info.title')} › ${t('security.title')}</p>
      ${messages(o)}
      <h2 id="history">${t('history.title')}</h2>
      <p class="note">${t('history.lead')}</p>
      ${history.length ? table('history', [t('history.at'), t('history.ip'), t('history.where'), t('history.browser'), t('history.method'), t('history.result')], historyRows) : html`<p>${t('history.none')}</p>`}
      ${networkAttribution(t, history)}
      ${sessionsSection(v, sessions)}
      <h2 id="devices">${t('devices.title')}</h2>
      <p class="note">${t('devices.lead')}</p>
      ${devices.length ? table('devices', [t('history.browser'), t('devices.firstUsed'), t('devices.lastUsed'), ''], deviceRows) : html`<p>${t('devices.none')}</p>`}
      <h2 id="passwords">${t('security.passwords')}</h2>
      <ul class="menu"><li><a href="/account/password">${t('password.loginTitle')}</a></li><li><a href="/account/trading-password">${t('password.tradingTitle')}</a></li></ul>
      <p><a href="/account/info">${t('otp.toInfo')}</a></p>`;
  return { title: t('security.title'), body, status: o.error?.status };
}

export type PasswordKind = 'login' | 'trading';

/** ログインパスワード変更 / 取引パスワード変更 */
export function passwordFormView(v: ViewContext, kind: PasswordKind, reauth: ReauthState = { sendAction: kind === 'login' ? '/account/password/code' : '/account/trading-password/code', totp: false, sent: null }, error?: FormError): Page {
  const { t } = v;
  const showLabel = t('common.showPassword');
  const input = (id: string, label: string, autocomplete: string) => passwordField({ id, label, showLabel, autocomplete }, error);
  const fields =
    kind === 'login'
      ? html`${input('currentPassword', t('password.currentLogin'), 'current-password')}
            ${input('newPassword', t('password.newLogin'), 'new-password')}
            ${input('newPasswordConfirmation', t('password.newLoginAgain'), 'new-password')}
            <p class="note">${t('reauth.formLead', { button: t('common.change') })}</p>
            ${confirmationCodeField(t, error)}
            ${input('tradingPassword', t('common.tradingPassword'), 'off')}`
      : html`${confirmationCodeField(t, error)}
            ${input('currentPassword', t('password.currentTrading'), 'off')}
            ${input('newPassword', t('password.newTrading'), 'off')}
            ${input('newPasswordConfirmation', t('password.newTradingAgain'), 'off')}`;
  const body = html`
      ${errorSummary(error)}
      <p>${t(kind === 'login' ? 'password.loginLead' : 'password.tradingLead')}</p>
      <p class="note">${t('password.rules')}</p>
      ${reauthSection(v, { ...reauth, lead: t('reauth.criticalLead') })}
      <form method="post" action="${kind === 'login' ? '/account/password' : '/account/trading-password'}" class="card" novalidate>
        ${csrfInput(v.csrf)}
        ${fields}
        ${actions({ href: '/account/security', label: t('common.back') }, t('common.change'))}
      </form>
      ${stepUpHint(t, error)}`;
  return { title: t(kind === 'login' ? 'password.loginTitle' : 'password.tradingTitle'), body, status: error?.status };
}

export function passwordDoneView(v: ViewContext, kind: PasswordKind): Page {
  const { t } = v;
  return {
    title: t(kind === 'login' ? 'password.loginDoneTitle' : 'password.tradingDoneTitle'),
    body: resultView(t(kind === 'login' ? 'password.loginDone' : 'password.tradingDone'), { href: '/account/security', label: t('security.title') }),
  };
}
