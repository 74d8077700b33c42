/** ログインパスワードをお忘れの方 and ログインIDをお忘れの方, as pure functions of their data (routes: pages/recovery-pages.ts). */
import { withPhoneLink } from '../branding';
import { html, type Html } from '../html';
import type { Page } from './frame';
import { codeField, csrfInput, field, messages, passwordField, resultView, type FormError, type ViewContext } from './kit';
import { EMAIL_ADDRESS_MAX, LOGIN_ID_MAX } from '../../domain/input-limits';

export interface Shown {
  error?: FormError | null;
  info?: string | null;
}

type Identifier = 'email' | 'birth_date';

function form(v: ViewContext, action: string, fields: Html, submit: string): Html {
  return html`<form method="post" action="${action}" class="card" novalidate>${csrfInput(v.csrf)}${fields}<button type="submit" class="primary">${submit}</button></form>`;
}

function loginIdField(v: ViewContext, value: string, error?: FormError | null): Html {
  return field({ id: 'loginId', label: v.t('login.loginId'), autocomplete: 'username', maxlength: LOGIN_ID_MAX, value, extra: html`autocapitalize="none" spellcheck="false"` }, error);
}

function emailField(v: ViewContext, value: string, error?: FormError | null): Html {
  return field({ id: 'email', label: v.t('reset.email'), type: 'email', autocomplete: 'email', maxlength: EMAIL_ADDRESS_MAX, value, extra: html`autocapitalize="none" spellcheck="false"` }, error);
}

function birthDateField(v: ViewContext, value: string, error?: FormError | null): Html {
  return field({ id: 'birthDate', label: v.t('reset.birthDate'), autocomplete: 'bday', inputmode: 'numeric', maxlength: 16, value }, error);
}

const restart = (v: ViewContext) => html`<p><a href="/login/forgot-password">${v.t('reset.restart')}</a></p>`;

export function resetStartView(v: ViewContext, identifier: Identifier, o: Shown & { loginId?: string; email?: string; birthDate?: string }): Page {
  const { t } = v;
  const second = identifier === 'email' ? emailField(v, o.email ?? '', o.error) : birthDateField(v, o.birthDate ?? '', o.error);
  const body = html`
    ${messages(o)}
    <p>${t(identifier === 'email' ? 'reset.lead' : 'reset.leadBirthDate')}</p>
    <p class="note">${t('reset.needs')}</p>
    ${form(v, '/login/forgot-password', html`${loginIdField(v, o.loginId ?? '', o.error)}${second}`, t('reset.send'))}
    <ul class="login-help">
      <li><a href="/login/forgot-password/desk-code">${t('reset.deskCodeLink')}</a></li>
      <li><a href="/login/forgot-id">${t('reset.forgotIdLink')}</a></li>
    </ul>
    <p><a href="/login">${t('code.restart')}</a></p>`;
  return { title: t('reset.title'), body, status: o.error?.status };
}

export function resetCodeView(v: ViewContext, minutes: number, o: Shown): Page {
  const { t } = v;
  const body = html`
    ${messages(o)}
    <p>${t('reset.codeSent')}</p>
    <p class="note help">${withPhoneLink(t, 'reset.codeValidity', v.brand.supportPhone, { minutes })}</p>
    ${form(v, '/login/forgot-password/code', codeField('code', t('reset.code'), o.error), t('reset.next'))}
    ${restart(v)}`;
  return { title: t('reset.codeTitle'), body, status: o.error?.status };
}

export function deskCodeView(v: ViewContext, o: Shown & { loginId?: string }): Page {
  const { t } = v;
  const code = field({ id: 'resetCode', label: t('reset.resetCode'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 32 }, o.error);
  const body = html`
    ${messages(o)}
    <p>${t('reset.deskLead')}</p>
    ${form(v, '/login/forgot-password/desk-code', html`${loginIdField(v, o.loginId ?? '', o.error)}${code}`, t('reset.next'))}
    ${restart(v)}`;
  return { title: t('reset.deskTitle'), body, status: o.error?.status };
}

export function resetPasskeyView(v: ViewContext, o: Shown): Page {
  const { t } = v;
  const body = html`
    ${messages(o)}
    <p>${t('reset.passkeyLead')}</p>
    <p><button type="button" class="primary" data-passkey="password-reset">${t('reset.passkeyButton')}</button></p>
    ${restart(v)}`;
  return { title: t('reset.passkeyTitle'), body, status: o.error?.status };
}

export function resetNewPasswordView(v: ViewContext, o: Shown): Page {
  const { t } = v;
  const showLabel = t('common.showPassword');
  const input = (id: string, label: string, autocomplete: string) => passwordField({ id, label, showLabel, autocomplete }, o.error);
  const fields = html`
    ${input('tradingPassword', t('common.tradingPassword'), 'off')}
    ${input('newPassword', t('password.newLogin'), 'new-password')}
    ${input('newPasswordConfirmation', t('password.newLoginAgain'), 'new-password')}`;
  const body = html`
    ${messages(o)}
    <p>${t('reset.newLead')}</p>
    <p class="note">${t('password.rules')}</p>
    ${form(v, '/login/forgot-password/new', fields, t('reset.submit'))}
    ${restart(v)}`;
  return { title: t('reset.newTitle'), body, status: o.error?.status };
}

export function resetDoneView(v: ViewContext): Page {
  return { title: v.t('reset.doneTitle'), body: resultView(v.t('reset.done'), { href: '/login', label: v.t('reset.toLogin') }) };
}

export function forgotIdView(v: ViewContext, identifier: Identifier, o: Shown & { email?: string; birthDate?: string }): Page {
  const { t } = v;
  const fields = html`${emailField(v, o.email ?? '', o.error)}${identifier === 'birth_date' ? birthDateField(v, o.birthDate ?? '', o.error) : html``}`;
  const body = html`
    ${messages(o)}
    <p>${t(identifier === 'email' ? 'forgotId.lead' : 'forgotId.leadBirthDate')}</p>
    ${form(v, '/login/forgot-id', fields, t('forgotId.send'))}
    <p><a href="/login">${t('code.restart')}</a></p>`;
  return { title: t('forgotId.title'), body, status: o.error?.status };
}

export function forgotIdDoneView(v: ViewContext): Page {
  const { t } = v;
  return {
    title: t('forgotId.doneTitle'),
    body: resultView(t('forgotId.done', { phone: v.brand.supportPhone }), { href: '/login', label: t('reset.toLogin') }),
  };
}
