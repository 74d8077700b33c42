/**
 * The notice's -確認- screen: what is about to change, 「取引パスワード」 with 「パスワードを表示する」,
 * 「入力画面へ戻る」 and the action button. A change to how the customer logs in also carries the
 * 本人確認 card (the 「確認コードをメールで送信」 button, where the code went, the TOTP hint) and the
 * 確認コード field; the rule is the domain's (domain/reauthentication/), this only draws it.
 */
import type { SentCode } from '../../domain/reauthentication/reauthentication-service';
import { html, type Html } from '../html';
import type { Page } from './frame';
import { actions, confirmationCodeField, csrfInput, errorSummary, minutesUntil, notice, postButton, stepUpHint, tradingPasswordField, type FormError, type ViewContext } from './kit';

export interface ReauthState {
  sendAction: string;
  totp: boolean;
  sent: SentCode | null;
  /** The screen's own lead, when the general one (ログイン方法の変更) does not say what this change is. */
  lead?: string;
  /** Hidden fields the send button must carry so the screen can be drawn again (the new address). */
  carry?: Html;
}

/** Above the main form: what the code is, the send button, where it went. */
export function reauthSection(v: ViewContext, r: ReauthState): Html {
  const { t } = v;
  return html`
    <section class="card reauth" aria-labelledby="reauth-title">
      <h2 id="reauth-title">${t('reauth.title')}</h2>
      <p>${r.lead ?? t('reauth.lead')}</p>
      ${r.sent ? notice(t('reauth.sent', { address: r.sent.masked, minutes: minutesUntil(v.now, r.sent.expiresAt) })) : html``}
      ${postButton(v.csrf, r.sendAction, t('reauth.send'), { carry: r.carry })}
      ${r.totp ? html`<p class="note">${t('reauth.totpHint')}</p>` : html``}
    </section>`;
}

export interface ConfirmSpec {
  title: string;
  lead: string;
  action: string;
  button: string;
  back: string;
  /** Between the lead and the form (what is being changed, when it is not in the form). */
  before?: Html;
  /** Inside the form, first (what is being changed, and its hidden fields). */
  extra?: Html;
  /** A change to how the customer logs in: the 本人確認 card and the 確認コード field. */
  reauth?: ReauthState | null;
  error?: FormError | null;
}

export function confirmView(v: ViewContext, o: ConfirmSpec): Page {
  const { t } = v;
  const body = html`
    ${errorSummary(o.error)}
    <p>${o.lead}</p>
    ${o.before ?? html``}
    ${o.reauth ? reauthSection(v, o.reauth) : html``}
    <form method="post" action="${o.action}" class="card" novalidate>
      ${csrfInput(v.csrf)}
      ${o.extra ?? html``}
      <p class="note">${o.reauth ? t('reauth.formLead', { button: o.button }) : t('common.tradingPasswordLead', { button: o.button })}</p>
      ${o.reauth ? confirmationCodeField(t, o.error) : html``}
      ${tradingPasswordField(t, o.error)}
      ${actions({ href: o.back, label: t('common.backToInput') }, o.button)}
    </form>
    ${stepUpHint(t, o.error)}`;
  return { title: o.title, body, status: o.error?.status };
}
