/**
 * Passkey screens: the list on 登録情報照会's パスキー section with registration (the WebAuthn
 * calls run in /static/passkeys.js), 削除 -確認-, and the passkey step after the password.
 */
import type { SecondStepMethod } from '../../domain/login/login-types';
import type { MessageKey } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import type { Passkey } from '../../domain/passkeys/records';
import { withPhoneLink } from '../branding';
import { html } from '../html';
import type { ConfirmSpec, ReauthState } from './confirm-view';
import { reauthSection } from './confirm-view';
import type { Page } from './frame';
import { columnsTable, confirmationCodeField, csrfInput, dead, field, messages, postButton, rowsTable, tradingPasswordField, type FormError, type ViewContext } from './kit';
import { PASSKEY_NAME_MAX } from '../../domain/input-limits';

/** A passkey in the list: `newUntil` while it is new (cooling-off). */
type ListedPasskey = Passkey & { newUntil?: Date | null };

/** A new passkey: said in its row with until when, and 「取消」 beside 「削除」. */
const newBadge = (v: ViewContext, p: ListedPasskey) =>
  p.newUntil ? html` <span class="badge">${v.t('passkey.new')}</span><br><span class="note">${v.t('passkey.newUntil', { until: formatDateTime(v.t, p.newUntil) })}</span>` : html``;
const cancelButton = (v: ViewContext, p: ListedPasskey) =>
  p.newUntil ? postButton(v.csrf, `/account/passkeys/${p.id}/cancel`, v.t('passkey.cancel'), { ariaLabel: v.t('passkey.cancelLabel', { name: p.name }) }) : html``;

export function passkeyListView(v: ViewContext, list: ListedPasskey[], reauth: ReauthState, o: { error?: FormError | string; info?: string; status?: number; coolingOffHours?: number } = {}): Page {
  const { t } = v;
  const rows = list.map(
    (p) => html`<tr>
        <td data-label="${t('passkey.name')}">${p.name}${newBadge(v, p)}
          <form method="post" action="/account/passkeys/${p.id}/rename" class="inline">
            ${csrfInput(v.csrf)}
            <label class="visually-hidden" for="rename-${p.id}">${t('passkey.name')}</label>
            <input id="rename-${p.id}" name="name" type="text" maxlength="${PASSKEY_NAME_MAX}" value="${p.name}">
            <button type="submit" class="secondary">${t('passkey.rename')}</button>
          </form></td>
        <td data-label="${t('passkey.created')}">${formatDateTime(t, p.createdAt)}</td>
        <td data-label="${t('passkey.lastUsed')}">${p.lastUsedAt ? formatDateTime(t, p.lastUsedAt) : t('passkey.never')}</td>
        <td><div class="actions">${cancelButton(v, p)}<a class="button secondary" href="/account/passkeys/${p.id}/delete">${t('passkey.delete')}</a></div></td>
      </tr>`,
  );
  const error = typeof o.error === 'object' ? o.error : null;
  const body = html`
      ${messages(o)}
      <p>${t('passkey.lead')}</p>
      ${list.some((p) => p.newUntil) ? html`<p class="note">${t('passkey.newLead', { hours: o.coolingOffHours ?? 24 })}</p>` : html``}
      ${list.length ? columnsTable({ headers: [t('passkey.name'), t('passkey.created'), t('passkey.lastUsed'), ''], rows }) : html`<p>${t('passkey.none')}</p>`}
      <h2>${t('passkey.register')}</h2>
      ${reauthSection(v, reauth)}
      <form class="card" data-passkey-form novalidate>
        ${csrfInput(v.csrf)}
        <p class="note">${t('passkey.registerLead')}</p>
        ${field({ id: 'passkeyName', name: 'name', label: t('passkey.name'), autocomplete: 'off', maxlength: PASSKEY_NAME_MAX, value: t('passkey.defaultName') }, error)}
        ${confirmationCodeField(t, error)}
        ${tradingPasswordField(t, error)}
        <button type="button" class="primary" data-passkey="register">${t('passkey.register')}</button>
      </form>
      <p><a href="/account/info">${t('otp.toInfo')}</a></p>`;
  return { title: t('passkey.title'), body, status: o.status ?? error?.status };
}

/** 削除 -確認-: a change to how the customer logs in. */
export function deleteConfirmSpec(v: ViewContext, p: Passkey, reauth: ReauthState, error?: FormError): ConfirmSpec {
  const { t } = v;
  return {
    title: t('passkey.deleteTitle'), lead: t('passkey.deleteLead'), button: t('passkey.delete'),
    action: `/account/passkeys/${p.id}/delete`, back: '/account/passkeys',
    before: rowsTable([
      [t('passkey.name'), p.name],
      [t('passkey.created'), formatDateTime(t, p.createdAt)],
    ]),
    reauth,
    error,
  };
}

/** The fallback button names the method it leads to: a TOTP customer is not promised a mail. */
const FALLBACK_LABEL: Record<SecondStepMethod, MessageKey> = {
  email_code: 'passkey.fallbackCode',
  totp: 'passkey.fallbackTotp',
  recovery_code: 'totp.useRecovery',
  passkey: 'passkey.authenticate',
};

/** The passkey step after the password; without a fallback under the phishing-resistant policy. */
export function passkeyStepView(v: ViewContext, o: { fallback: SecondStepMethod | null }): Page {
  const { t } = v;
  const fallback = o.fallback
    ? postButton(v.csrf, '/login/passkey/fallback', t(FALLBACK_LABEL[o.fallback]))
    : html`<p class="note help">${withPhoneLink(t, 'passkey.noFallback', v.brand.supportPhone)}</p>`;
  const body = html`
      <p>${t('passkey.stepLead')}</p>
      <div class="card">${csrfInput(v.csrf)}<button type="button" class="primary" data-passkey="second-factor">${t('passkey.authenticate')}</button></div>
      ${fallback}
      <p><a href="/login">${t('code.restart')}</a></p>`;
  return { title: t('passkey.stepTitle'), body };
}

export function passkeyStepFailedView(v: ViewContext, error: FormError): Page {
  return { title: v.t('passkey.stepTitle'), body: dead(error, { href: '/login', label: v.t('code.restart') }), status: error.status };
}
