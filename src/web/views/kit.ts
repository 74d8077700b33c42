/**
 * The page kit: every piece of markup that more than one screen draws, as pure functions of their
 * data. Errors are accessible in one way everywhere (WCAG 2.2: 3.3.1, 4.1.3): the message is the
 * error summary at the top (`role=alert`, focusable and focused on load by /static/app.js), and
 * each field it concerns carries `aria-invalid` and `aria-describedby` pointing at it.
 */
import type { Branding } from '../../config-branding';
import type { Brand } from '../../domain/context';
import type { Translate } from '../../i18n';
import { html, type Html } from '../html';
import { ONE_TIME_CODE_FIELD_LENGTH, SUBMITTED_PASSWORD_MAX } from '../../domain/input-limits';

/** What every view may use besides its own data. */
export interface ViewContext {
  t: Translate;
  /** The CSRF value for this response's forms. */
  csrf: string;
  now: Date;
  brand: Brand;
  /** Help links, support hours, footer lines: what a deployment sets without code. */
  branding: Branding;
}

/** A domain error as a page shows it: the message, the status, and the fields it concerns. */
export interface FormError {
  message: string;
  status: number;
  code: string;
  fields: readonly string[];
}

export const ERROR_SUMMARY_ID = 'error-summary';

/** Marks a field the error concerns. */
function invalidAttrs(name: string, error: FormError | null | undefined): Html {
  return error?.fields.includes(name) ? html` aria-invalid="true" aria-describedby="${ERROR_SUMMARY_ID}"` : html``;
}

/** The error summary: one per page, announced, and focused so keyboard and screen-reader users start there. */
export function errorSummary(error: FormError | string | null | undefined): Html {
  const message = typeof error === 'string' ? error : error?.message;
  if (!message) return html``;
  // The message keeps its own markup (`p.alert.error[role=alert]`); the wrapper is what takes focus.
  return html`<div id="${ERROR_SUMMARY_ID}" class="error-summary" tabindex="-1" data-error-summary><p class="alert error" role="alert">${message}</p></div>`;
}

/** A confirmation that something happened (`role=status`: announced without interrupting). */
export function notice(message: string | null | undefined): Html {
  return message ? html`<p class="alert info" role="status">${message}</p>` : html``;
}

/** The error summary, then a notice, as most screens open. */
export function messages(o: { error?: FormError | string | null; info?: string | null }): Html {
  return html`${errorSummary(o.error)}${notice(o.info)}`;
}

export function csrfInput(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

export function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export interface FieldSpec {
  id: string;
  name?: string;
  label: string;
  type?: 'text' | 'email';
  autocomplete: string;
  inputmode?: string;
  maxlength: number;
  value?: string;
  /** Extra attributes that are always ours (autocapitalize, spellcheck). */
  extra?: Html;
}

/** A labelled input. */
export function field(f: FieldSpec, error?: FormError | null): Html {
  const name = f.name ?? f.id;
  return html`<div class="field"><label for="${f.id}">${f.label}</label><input id="${f.id}" name="${name}" type="${f.type ?? 'text'}"${f.inputmode ? html` inputmode="${f.inputmode}"` : html``} autocomplete="${f.autocomplete}"${f.extra ? html` ${f.extra}` : html``} maxlength="${f.maxlength}"${f.value !== undefined ? html` value="${f.value}"` : html``} required${invalidAttrs(name, error)}></div>`;
}

/** A one-time code typed from a mail or an app: numeric keyboard, and the OS may offer the code. */
export function codeField(id: string, label: string, error?: FormError | null, name = id): Html {
  return field({ id, name, label, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: ONE_TIME_CODE_FIELD_LENGTH }, error);
}

/** A password input with the notice's 「パスワードを表示する」 checkbox. */
export function passwordField(
  f: { id: string; name?: string; label: string; showLabel: string; autocomplete: string; inputmode?: string; maxlength?: number },
  error?: FormError | null,
): Html {
  const name = f.name ?? f.id;
  return html`
  <div class="field">
    <label for="${f.id}">${f.label}</label>
    <input id="${f.id}" name="${name}" type="password" autocomplete="${f.autocomplete}" ${f.inputmode ? html`inputmode="${f.inputmode}"` : html``} maxlength="${f.maxlength ?? SUBMITTED_PASSWORD_MAX}" required${invalidAttrs(name, error)}>
    <label class="show-password"><input type="checkbox" data-toggle-password="${f.id}"> ${f.showLabel}</label>
  </div>`;
}

/** 「取引パスワード」, which confirms every change. */
export function tradingPasswordField(t: Translate, error?: FormError | null): Html {
  return passwordField({ id: 'tradingPassword', label: t('common.tradingPassword'), showLabel: t('common.showPassword'), autocomplete: 'off' }, error);
}

/** The 確認コード of a change to how the customer logs in (mailed, or the current one-time password). */
export function confirmationCodeField(t: Translate, error?: FormError | null): Html {
  return codeField('confirmationCode', t('reauth.label'), error);
}

/** 「戻る」 and the screen's action button. */
export function actions(back: { href: string; label: string }, submit: string): Html {
  return html`<div class="actions"><a class="button secondary" href="${back.href}">${back.label}</a> <button type="submit" class="primary">${submit}</button></div>`;
}

/** A state-changing button: its own small form. */
export function postButton(csrf: string, action: string, label: string, o: { carry?: Html; ariaLabel?: string; after?: Html } = {}): Html {
  return html`<form method="post" action="${action}" class="inline">${csrfInput(csrf)}${o.carry ?? html``}<button type="submit" class="secondary"${o.ariaLabel ? html` aria-label="${o.ariaLabel}"` : html``}>${label}</button>${o.after ?? html``}</form>`;
}

/** A primary link button in its own paragraph (「登録情報照会へ」 and the like). */
export function linkButton(href: string, label: string): Html {
  return html`<p><a class="button primary" href="${href}">${label}</a></p>`;
}

/** Label–value rows (`th scope=row`), the notice's 確認 tables. */
export function rowsTable(rows: readonly (readonly [Html | string, Html | string])[], o: { valueClass?: string } = {}): Html {
  return html`<table class="details">${rows.map(([k, v], i) => html`<tr><th scope="row">${k}</th><td${o.valueClass && i === rows.length - 1 ? html` class="${o.valueClass}"` : html``}>${v}</td></tr>`)}</table>`;
}

/** A table with column headers; each cell repeats its header as `data-label` for phones. */
export function columnsTable(o: { className?: string; headers: readonly string[]; rows: readonly Html[] }): Html {
  return html`<table class="details${o.className ? ` ${o.className}` : ''}"><tr>${o.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr>${[...o.rows]}</table>`;
}

/** A result screen: what happened, and where to go next. */
export function resultView(info: string, next: { href: string; label: string }, between: Html = html``): Html {
  return html`${notice(info)}${between}${linkButton(next.href, next.label)}`;
}

/** A screen that can go no further: the error, and a way out. */
export function dead(error: FormError | string, next: { href: string; label: string }): Html {
  return html`${errorSummary(error)}<p><a href="${next.href}">${next.label}</a></p>`;
}

/** Under the phishing-resistant policy a critical change may first ask for a passkey step-up. */
export function stepUpHint(t: Translate, error: FormError | null | undefined): Html {
  if (error?.code !== 'step_up_required') return html``;
  return html`<section class="help"><p>${t('passkey.stepUpLead')}</p><button type="button" class="primary" data-passkey="step-up">${t('passkey.stepUp')}</button></section>`;
}

/** Minutes left until `at`, never shown as 0. */
export function minutesUntil(now: Date, at: Date): number {
  return Math.max(1, Math.round((at.getTime() - now.getTime()) / 60_000));
}
