/**
 * The step-up screen the trading service sends the customer to (`/step-up`): a passkey button for
 * a customer with a passkey (the WebAuthn calls run in /static/passkeys.js, which returns to the
 * trading service's page), else the TOTP or mailed-code form; and the screen for a request that
 * is not valid (never a redirect anywhere).
 */
import type { SentCode } from '../../domain/reauthentication/reauthentication-service';
import type { StepUpMethod, StepUpPurpose } from '../../domain/step-up/records';
import { html, type Html } from '../html';
import type { Page } from './frame';
import { codeField, csrfInput, dead, errorSummary, hidden, minutesUntil, notice, postButton, type FormError, type ViewContext } from './kit';

export interface StepUpRequest {
  purpose: StepUpPurpose;
  intent: string;
  returnTo: string;
}

export interface StepUpScreen extends StepUpRequest {
  method: StepUpMethod;
  /** The mailed code's address and lifetime, once sent (customers without a passkey). */
  sent?: SentCode | null;
  error?: FormError | null;
  /** Every passkey still cooling off: nothing can be offered, only the reason. */
  blocked?: FormError | null;
}

function carry(r: StepUpRequest): Html {
  return html`${hidden('purpose', r.purpose)}${hidden('intent', r.intent)}${hidden('return_to', r.returnTo)}`;
}

function passkeyPart(v: ViewContext, s: StepUpScreen): Html {
  const { t } = v;
  if (s.blocked) return html``;
  return html`
    <section class="card">
      <p>${t('stepUp.passkeyLead')}</p>
      ${csrfInput(v.csrf)}
      <button type="button" class="primary" data-passkey="step-up-grant" data-purpose="${s.purpose}" data-intent="${s.intent}" data-return-to="${s.returnTo}">${t('passkey.stepUp')}</button>
    </section>`;
}

function codePart(v: ViewContext, s: StepUpScreen): Html {
  const { t } = v;
  const totp = s.method === 'totp';
  return html`
    <p class="alert info">${t('stepUp.risk')}</p>
    ${totp ? html`` : html`<section class="card reauth"><p>${t('stepUp.emailLead')}</p>
      ${s.sent ? notice(t('reauth.sent', { address: s.sent.masked, minutes: minutesUntil(v.now, s.sent.expiresAt) })) : html``}
      ${postButton(v.csrf, '/step-up/code', t('reauth.send'), { carry: carry(s) })}</section>`}
    <form method="post" action="/step-up" class="card" novalidate>
      ${csrfInput(v.csrf)}${carry(s)}
      ${totp ? html`<p>${t('stepUp.totpLead')}</p>${codeField('code', t('stepUp.totpLabel'), s.error)}` : confirmationCodeFieldNamedCode(v, s.error)}
      <div class="actions"><button type="submit" class="primary">${t('stepUp.submit')}</button></div>
    </form>`;
}

/** The mailed code's field, under the form's name `code`. */
function confirmationCodeFieldNamedCode(v: ViewContext, error: FormError | null | undefined): Html {
  return codeField('code', v.t('reauth.label'), error);
}

export function stepUpView(v: ViewContext, s: StepUpScreen): Page {
  const { t } = v;
  const body = html`
    ${errorSummary(s.error ?? s.blocked)}
    <p>${t('stepUp.lead')}</p>
    ${s.method === 'passkey' ? passkeyPart(v, s) : codePart(v, s)}
    <p><a href="${s.returnTo}">${t('stepUp.cancel')}</a></p>`;
  return { title: t(s.purpose === 'withdrawal' ? 'stepUp.title.withdrawal' : 'stepUp.title.withdrawal_account_change'), body, status: (s.error ?? s.blocked)?.status };
}

/** A request the trading service got wrong: said plainly, with a way to the top page and no redirect. */
export function stepUpBadRequestView(v: ViewContext, error: FormError): Page {
  const { t } = v;
  return { title: t('stepUp.badRequestTitle'), body: html`<p>${t('stepUp.badRequest')}</p>${dead(error, { href: '/', label: t('stepUp.toTop') })}`, status: 400 };
}
