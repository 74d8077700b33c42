/**
 * ワンタイムパスワードサービス screens in the notice's order: 申込 → QR / コードを表示 →
 * ワンタイムパスワード 認証 → サービス申込 -受付-; then コード再表示, 利用停止 (入力 → 確認 → 完了)
 * and recovery codes. The QR code arrives drawn (the route renders it with the qrcode library).
 */
import type { ReauthenticationPurpose } from '../../domain/reauthentication/records';
import type { ShownKey } from '../../domain/totp/totp-service';
import { html, type Html } from '../html';
import type { ConfirmSpec, ReauthState } from './confirm-view';
import type { Page } from './frame';
import { actions, csrfInput, dead, errorSummary, linkButton, minutesUntil, passwordField, resultView, rowsTable, type FormError, type ViewContext } from './kit';
import { ONE_TIME_CODE_FIELD_LENGTH } from '../../domain/input-limits';

const APP_LINKS = [
  { os: 'iPhone', url: 'https://apps.apple.com/jp/app/google-authenticator/id388497605' },
  { os: 'Android', url: 'https://play.google.com/store/apps/details?id=com.google.android.apps.authenticator2' },
];

const toInfo = (v: ViewContext) => ({ href: '/account/info', label: v.t('otp.toInfo') });

/** The QR code's SVG, from the qrcode library (never from user input), and our label. */
export function keyView(v: ViewContext, key: ShownKey, qr: Html): Page {
  const { t } = v;
  const body = html`
      <ol class="steps">
        <li>
          <p>${t('otp.appStep')}</p>
          <table class="details"><tr><th scope="col">${t('otp.os')}</th><th scope="col">${t('otp.downloadUrl')}</th></tr>
          ${APP_LINKS.map((l) => html`<tr><td>${l.os}</td><td><a href="${l.url}" rel="noopener noreferrer">${l.url}</a></td></tr>`)}
          </table>
        </li>
        <li>
          <p>${t('otp.qrStep')}</p>
          <div class="qr" role="img" aria-label="${t('otp.qrAlt')}">${qr}</div>
          <p class="note">⚠ ${t('otp.showKeyHint')}</p>
          <details class="show-key"><summary>${t('otp.showKey')}</summary>
            <p>${t('otp.keyLabel')}: <code class="totp-key" data-secret="${key.secret}">${key.grouped}</code></p>
          </details>
        </li>
      </ol>
      <p class="note">${t('otp.keyExpires', { minutes: minutesUntil(v.now, key.expiresAt) })}</p>
      ${linkButton('/account/totp/verify', t('otp.next'))}`;
  return { title: key.kind === 'apply' ? t('otp.applyTitle') : t('otp.reregisterTitle'), body };
}

export function verifyView(v: ViewContext, error?: FormError): Page {
  const { t } = v;
  const body = html`
      ${errorSummary(error)}
      <p>${t('otp.confirmLead')}</p>
      <section class="help"><h2>${t('otp.notesTitle')}</h2><p>${t('otp.notes')}</p></section>
      <p>${t('otp.inputLead')}</p>
      <form method="post" action="/account/totp/verify" class="card" novalidate>
        ${csrfInput(v.csrf)}
        ${passwordField({ id: 'totp', name: 'code', label: t('totp.label'), showLabel: t('common.showPassword'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: ONE_TIME_CODE_FIELD_LENGTH }, error)}
        ${actions({ href: '/account/totp/key', label: t('otp.backToKey') }, t('totp.submit'))}
      </form>`;
  return { title: t('otp.confirmTitle'), body, status: error?.status };
}

/** The list 「コピー」 copies (public/app.js reads the target's text). */
const RECOVERY_LIST_ID = 'recovery-codes';

function recoveryList(v: ViewContext, codes: string[]): Html {
  if (!codes.length) return html``;
  return html`<section class="recovery-codes" aria-labelledby="recovery-title">
      <h2 id="recovery-title">${v.t('otp.recoveryCodesTitle')}</h2>
      <p>${v.t('otp.recoveryCodesLead')}</p>
      <ul class="codes" id="${RECOVERY_LIST_ID}">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
      <div class="actions">
        <button type="button" class="secondary" data-copy="#${RECOVERY_LIST_ID}" data-copied="${v.t('common.copied')}">${v.t('common.copy')}</button>
        <button type="button" class="secondary" data-print>${v.t('common.print')}</button>
      </div>
    </section>`;
}

const serviceTable = (v: ViewContext) => rowsTable([[v.t('otp.serviceName'), v.t('info.totpService')]]);

/** サービス申込 -受付- / コード再表示 -受付-, with the new recovery codes. */
export function receiptView(v: ViewContext, result: { kind: 'apply' | 'reregister'; recoveryCodes: string[] }): Page {
  const { t } = v;
  const apply = result.kind === 'apply';
  const body = html`
        ${resultView(apply ? t('otp.receiptLead') : t('otp.reregisterReceiptLead'), toInfo(v), html`${serviceTable(v)}${recoveryList(v, result.recoveryCodes)}<p>${t('otp.nextLogin')}</p>`)}`;
  return { title: apply ? t('otp.receiptTitle') : t('otp.reregisterReceiptTitle'), body };
}

/** A screen of the service that can go no further (a key gone, a conflict). */
export function deadEndView(v: ViewContext, title: string, error: FormError): Page {
  return { title, body: dead(error, toInfo(v)), status: error.status };
}

/** 利用停止 -入力- */
export function stopInputView(v: ViewContext): Page {
  const { t } = v;
  const body = html`<p>${t('otp.stopLead')}</p>
      ${serviceTable(v)}
      <div class="actions"><a class="button secondary" href="/account/info">${t('common.back')}</a> <a class="button primary" href="/account/totp/stop/confirm">${t('common.toConfirm')}</a></div>`;
  return { title: t('otp.stopInputTitle'), body };
}

export function stopDoneView(v: ViewContext): Page {
  return { title: v.t('otp.stopDoneTitle'), body: resultView(v.t('otp.stopDone'), toInfo(v)) };
}

export function recoveryCodesView(v: ViewContext, codes: string[]): Page {
  return { title: v.t('otp.regenerateTitle'), body: html`${recoveryList(v, codes)}${linkButton('/account/info', v.t('otp.toInfo'))}` };
}

/** The four -確認- screens of the service: each a change to how the customer logs in. */
export type TotpConfirm = 'apply' | 'reregister' | 'stop' | 'recovery';

export const CONFIRMS: Record<TotpConfirm, { action: string; purpose: ReauthenticationPurpose; page: string }> = {
  apply: { action: '/account/totp/apply', purpose: 'totp_apply', page: '/account/totp/apply' },
  reregister: { action: '/account/totp/reregister', purpose: 'totp_reregister', page: '/account/totp/reregister' },
  stop: { action: '/account/totp/stop', purpose: 'totp_stop', page: '/account/totp/stop/confirm' },
  recovery: { action: '/account/totp/recovery-codes', purpose: 'recovery_codes', page: '/account/totp/recovery-codes' },
};

export function totpConfirmSpec(v: ViewContext, which: TotpConfirm, reauth: ReauthState, error?: FormError): ConfirmSpec {
  const { t } = v;
  const texts = {
    apply: { title: t('otp.applyConfirmTitle'), lead: t('otp.applyLead'), button: t('otp.apply'), back: '/account/info' },
    reregister: { title: t('otp.reregisterTitle'), lead: t('otp.reregisterLead'), button: t('otp.reregister'), back: '/account/info' },
    stop: { title: t('otp.stopConfirmTitle'), lead: t('otp.stopLead'), button: t('otp.stop'), back: '/account/totp/stop' },
    recovery: { title: t('otp.regenerateTitle'), lead: t('otp.regenerateLead'), button: t('otp.regenerate'), back: '/account/info' },
  }[which];
  return { ...texts, action: CONFIRMS[which].action, reauth, error };
}
