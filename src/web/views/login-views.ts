/** The login screens as pure functions of their data: ID + password, 追加認証 (e-mailed code), ワンタイムパスワード, recovery code. */
import type { CodeStep } from '../../domain/login/login-service';
import { loginHelp, withPhoneLink } from '../branding';
import { html, type Html } from '../html';
import type { Page } from './frame';
import { codeField, csrfInput, field, messages, minutesUntil, passwordField, type FormError, type ViewContext } from './kit';
import { LOGIN_ID_MAX, ONE_TIME_CODE_FIELD_LENGTH, RECOVERY_CODE_FIELD_LENGTH } from '../../domain/input-limits';

export interface Shown {
  error?: FormError | null;
  info?: string | null;
}

/** The form that answers a second step: one input and the submit button. */
function answerForm(v: ViewContext, action: string, input: Html, submit: string): Html {
  return html`<form method="post" action="${action}" class="card" novalidate>${csrfInput(v.csrf)}${input}<button type="submit" class="primary">${submit}</button></form>`;
}

export function loginView(v: ViewContext, o: Shown & { loginId?: string }): Page {
  const { t } = v;
  const loginId = field(
    { id: 'loginId', label: t('login.loginId'), autocomplete: 'username', maxlength: LOGIN_ID_MAX, value: o.loginId ?? '', extra: html`autocapitalize="none" spellcheck="false"` },
    o.error,
  );
  const body = html`
    ${messages(o)}
    <form method="post" action="/login" class="card" novalidate>
      ${csrfInput(v.csrf)}
      ${loginId}
      ${passwordField({ id: 'password', label: t('login.password'), showLabel: t('common.showPassword'), autocomplete: 'current-password' }, o.error)}
      <button type="submit" class="primary">${t('login.submit')}</button>
    </form>
    ${loginHelp(v.branding, t, { forgotId: '/login/forgot-id', forgotPassword: '/login/forgot-password' })}
    <section class="passkey-login">
      <button type="button" class="secondary" data-passkey="login">${t('passkey.login')}</button>
      <p class="note">${t('passkey.loginNote')}</p>
    </section>
    <p class="note">${t('login.notice')}</p>`;
  return { title: t('login.title'), body, status: o.error?.status };
}

export function codeView(v: ViewContext, step: CodeStep, o: Shown): Page {
  const { t } = v;
  const { resendAvailableAt, codeExpiresAt, mailDelayed, maskedAddress } = step.details;
  const wait = Math.max(0, Math.ceil((resendAvailableAt.getTime() - v.now.getTime()) / 1000));
  const body = html`
    ${messages(o)}${mailDelayed ? messages({ info: t('error.mail_delayed') }) : html``}
    <p>${t('code.sentTo', { address: maskedAddress })}</p>
    <p class="note">${t('code.validity', { minutes: minutesUntil(v.now, codeExpiresAt) })}</p>
    ${answerForm(v, '/login/code', codeField('code', t('code.label'), o.error), t('code.submit'))}
    <form method="post" action="/login/code/resend" class="inline">
      ${csrfInput(v.csrf)}
      <button type="submit" class="secondary" data-enable-after="${wait}">${t('code.resend')}</button>
      ${wait > 0 ? html`<span class="note" data-countdown="${wait}">${t('code.resendWait', { seconds: wait })}</span>` : html``}
    </form>
    <p class="note help">${withPhoneLink(t, 'code.noMail', v.brand.supportPhone)}</p>
    <p><a href="/login">${t('code.restart')}</a></p>`;
  return { title: t('code.title'), body, status: o.error?.status };
}

export function totpView(v: ViewContext, o: Shown): Page {
  const { t } = v;
  const code = passwordField({ id: 'totp', name: 'code', label: t('totp.label'), showLabel: t('common.showPassword'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: ONE_TIME_CODE_FIELD_LENGTH }, o.error);
  const body = html`
    ${messages(o)}
    <p>${t('totp.instructions')}</p>
    ${answerForm(v, '/login/totp', code, t('totp.submit'))}
    <p><a href="/login/recovery">${t('totp.useRecovery')}</a></p>
    <p class="note help">${withPhoneLink(t, 'totp.lost', v.brand.supportPhone)}</p>
    <p><a href="/login">${t('code.restart')}</a></p>`;
  return { title: t('totp.title'), body, status: o.error?.status };
}

export function recoveryView(v: ViewContext, o: Shown): Page {
  const { t } = v;
  const input = field(
    { id: 'recoveryCode', label: t('recovery.label'), autocomplete: 'off', maxlength: RECOVERY_CODE_FIELD_LENGTH, extra: html`autocapitalize="characters" spellcheck="false"` },
    o.error,
  );
  const body = html`
    ${messages(o)}
    <p>${t('recovery.instructions')}</p>
    ${answerForm(v, '/login/recovery', input, t('totp.submit'))}
    <p><a href="/login/totp">${t('recovery.backToTotp')}</a></p>
    <p class="note help">${withPhoneLink(t, 'totp.lost', v.brand.supportPhone)}</p>`;
  return { title: t('recovery.title'), body, status: o.error?.status };
}
