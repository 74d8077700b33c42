/**
 * Eメールアドレス登録照会 and its changes, on the notice's screens: the three slots (メールアドレス1
 * 代表), 変更 / 仮登録 (入力 → 確認 → the code mailed to the new address → 完了), 削除 for
 * addresses 2 and 3, and ログイン通知 設定変更 (入力 → 確認 → 完了).
 */
import type { SlotView } from '../../domain/addresses/address-service';
import { withPhoneLink } from '../branding';
import { html, type Html } from '../html';
import type { ConfirmSpec, ReauthState } from './confirm-view';
import type { Page } from './frame';

export type { Page };
import { actions, codeField, csrfInput, errorSummary, field, hidden, messages, postButton, resultView, rowsTable, type FormError, type ViewContext } from './kit';
import { EMAIL_ADDRESS_MAX } from '../../domain/input-limits';

const toList = (v: ViewContext) => ({ href: '/account/emails', label: v.t('emails.toList') });

export function slotName(v: ViewContext, s: SlotView): Html {
  return html`${v.t('emails.address', { n: s.slot })}${s.slot === 1 ? html` <span class="badge">${v.t('emails.representative')}</span>` : html``}`;
}

function slotSection(v: ViewContext, s: SlotView): Html {
  const { t } = v;
  const n = s.slot;
  const name = t('emails.address', { n });
  const button = (href: string, label: string, aria: string, kind = 'secondary') => html`<a class="button ${kind}" href="${href}" aria-label="${aria}">${label}</a>`;
  const actionsCell = s.masked
    ? html`${button(`/account/emails/${n}/change`, t('emails.change'), `${name} ${t('emails.change')}`)}${
        n !== 1 ? html` ${button(`/account/emails/${n}/remove`, t('emails.remove'), `${name} ${t('emails.remove')}`)}` : html``
      }`
    : button(`/account/emails/${n}/change`, t('emails.provisional'), `${name} ${t('emails.provisional')}`);
  const pending = s.pending
    ? html`<tr><th scope="row">${t('emails.pending')}</th><td>${s.pending.masked} <span class="state off">${t('emails.pendingState')}</span></td>
        <td><a class="button primary" href="/account/emails/${n}/verify">${t('emails.enterCode')}</a></td></tr>`
    : html``;
  const notification = s.masked
    ? html`<tr><th scope="row">${t('emails.loginNotification')}</th><td>${s.loginNotification ? t('emails.notify') : t('emails.dontNotify')}</td>
        <td>${button(`/account/emails/${n}/notification`, t('emails.settingChange'), `${name} ${t('emails.loginNotification')} ${t('emails.settingChange')}`)}</td></tr>`
    : html``;
  return html`
      <section class="email-slot" aria-labelledby="slot-${n}">
        <h3 id="slot-${n}">${slotName(v, s)}</h3>
        <table class="details">
          <tr><th scope="row">${name}</th><td>${s.masked ?? t('common.notRegistered')}</td><td>${actionsCell}</td></tr>
          ${pending}
          ${notification}
        </table>
      </section>`;
}

export function addressListView(v: ViewContext, slots: SlotView[], o: { error?: FormError | string; info?: string; status?: number } = {}): Page {
  const { t } = v;
  const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('emails.title')}</p>
      ${messages(o)}
      <h2>${t('emails.status')}</h2>
      ${slots.map((s) => slotSection(v, s))}
      <p class="note">${t('emails.note')}</p>
      <p class="note">${t('emails.notificationNote')}</p>`;
  return { title: t('emails.title'), body, status: o.status ?? (typeof o.error === 'object' ? o.error.status : undefined) };
}

/** 変更 / 仮登録: 入力 */
export function changeInputView(v: ViewContext, s: SlotView, o: { address?: string; error?: FormError } = {}): Page {
  const { t } = v;
  const body = html`
      ${errorSummary(o.error)}
      <p>${s.masked ? t('emails.changeLead') : t('emails.provisionalLead')}</p>
      <form method="post" action="/account/emails/${s.slot}/change/confirm" class="card" novalidate>
        ${csrfInput(v.csrf)}
        ${rowsTable([[slotName(v, s), s.masked ?? t('common.notRegistered')]])}
        ${field({ id: 'address', label: t('emails.newAddress'), type: 'email', inputmode: 'email', autocomplete: 'email', maxlength: EMAIL_ADDRESS_MAX, value: o.address ?? '' }, o.error)}
        ${field({ id: 'addressConfirmation', label: t('emails.newAddressAgain'), type: 'email', inputmode: 'email', autocomplete: 'off', maxlength: EMAIL_ADDRESS_MAX }, o.error)}
        ${actions({ href: '/account/emails', label: t('common.back') }, t('common.toConfirm'))}
      </form>`;
  return { title: t(s.masked ? 'emails.changeInputTitle' : 'emails.provisionalInputTitle'), body, status: o.error?.status };
}

/** 変更 / 仮登録: 確認. Replacing a registered address also carries the 本人確認 card. */
export function changeConfirmSpec(v: ViewContext, s: SlotView, address: string, reauth: ReauthState | null, error?: FormError): ConfirmSpec {
  const { t } = v;
  return {
    title: t(s.masked ? 'emails.changeConfirmTitle' : 'emails.provisionalConfirmTitle'),
    lead: t(s.masked ? 'emails.changeVerifiedConfirmLead' : 'emails.changeConfirmLead'),
    action: `/account/emails/${s.slot}/change`,
    button: t(s.masked ? 'emails.change' : 'emails.provisional'),
    back: `/account/emails/${s.slot}/change`,
    reauth: reauth ? { ...reauth, lead: t(s.masked ? 'reauth.addressChangeLead' : 'reauth.criticalLead'), carry: hidden('address', address) } : null,
    // The address the customer just typed is shown back whole, so a typo can be caught here;
    // registered addresses are only ever shown masked.
    extra: html`${rowsTable([[slotName(v, s), s.masked ?? t('common.notRegistered')], [t('emails.newAddress'), address]], { valueClass: 'new-address' })}
        ${hidden('address', address)}`,
    error,
  };
}

/** The code mailed to the new address. */
export function verifyView(v: ViewContext, s: SlotView & { pending: NonNullable<SlotView['pending']> }, o: { error?: FormError; info?: string } = {}): Page {
  const { t } = v;
  const body = html`
      ${messages(o)}
      <p>${t('emails.codeLead', { masked: s.pending.masked })}</p>
      <form method="post" action="/account/emails/${s.slot}/verify" class="card" novalidate>
        ${csrfInput(v.csrf)}
        ${codeField('code', t('emails.codeLabel'), o.error)}
        ${actions({ href: '/account/emails', label: t('common.back') }, t('code.submit'))}
      </form>
      ${postButton(v.csrf, `/account/emails/${s.slot}/verify/resend`, t('emails.resend'))}
      <p class="note help">${withPhoneLink(t, 'emails.noMail', v.brand.supportPhone)}</p>`;
  return { title: t('emails.verifyTitle'), body, status: o.error?.status };
}

export function addedView(v: ViewContext, done: { kind: 'added' | 'changed'; slot: number }): Page {
  return { title: v.t('emails.doneTitle'), body: resultView(v.t(done.kind === 'added' ? 'emails.addedDone' : 'emails.changedDone', { n: done.slot }), toList(v)) };
}

/** 削除 -確認-, with the 本人確認 card: removing an address is confirmed like a change. */
export function removeConfirmSpec(v: ViewContext, s: SlotView, reauth: ReauthState, error?: FormError): ConfirmSpec {
  const { t } = v;
  return {
    title: t('emails.removeTitle'), lead: t('emails.removeLead'), button: t('emails.remove'),
    action: `/account/emails/${s.slot}/remove`, back: '/account/emails',
    reauth: { ...reauth, lead: t('reauth.addressRemoveLead') },
    extra: rowsTable([[slotName(v, s), s.masked ?? '']]),
    error,
  };
}

export function removedView(v: ViewContext, slot: number): Page {
  return { title: v.t('emails.removeDoneTitle'), body: resultView(v.t('emails.removedDone', { n: slot }), toList(v)) };
}

const notifyLabel = (v: ViewContext, on: boolean) => (on ? v.t('emails.notify') : v.t('emails.dontNotify'));

/** ログイン通知 設定変更: 入力 */
export function notificationInputView(v: ViewContext, s: SlotView, value: boolean, error?: FormError): Page {
  const { t } = v;
  const radio = (val: 'on' | 'off', checked: boolean): Html =>
    html`<label class="radio"><input type="radio" name="loginNotification" value="${val}" ${checked ? html`checked` : html``}> ${notifyLabel(v, val === 'on')}</label>`;
  const body = html`
      ${errorSummary(error)}
      <form method="post" action="/account/emails/${s.slot}/notification/confirm" class="card" novalidate>
        ${csrfInput(v.csrf)}
        <table class="details">
          <tr><th scope="row">${t('emails.address', { n: s.slot })}</th><td>${s.masked}</td></tr>
          <tr><th scope="row" id="notification-label">${t('emails.loginNotification')}</th>
            <td><fieldset aria-labelledby="notification-label"${error?.fields.includes('loginNotification') ? html` aria-invalid="true" aria-describedby="error-summary"` : html``}>${radio('on', value)} ${radio('off', !value)}</fieldset></td></tr>
        </table>
        <p class="note">${t('emails.notificationHint')}</p>
        ${actions({ href: '/account/emails', label: t('common.back') }, t('common.toConfirm'))}
      </form>`;
  return { title: t('emails.settingInputTitle'), body, status: error?.status };
}

/** ログイン通知 設定変更: 確認 */
export function notificationConfirmSpec(v: ViewContext, s: SlotView, on: boolean, reauth: ReauthState, error?: FormError): ConfirmSpec {
  const { t } = v;
  return {
    title: t('emails.settingConfirmTitle'), lead: t('emails.settingConfirmLead'), button: t('common.change'),
    action: `/account/emails/${s.slot}/notification`, back: `/account/emails/${s.slot}/notification?value=${on ? 'on' : 'off'}`,
    reauth: { ...reauth, lead: t('reauth.criticalLead'), carry: hidden('loginNotification', on ? 'on' : 'off') },
    extra: html`${rowsTable([[t('emails.address', { n: s.slot }), s.masked ?? ''], [t('emails.loginNotification'), notifyLabel(v, on)]], { valueClass: 'new-value' })}
        ${hidden('loginNotification', on ? 'on' : 'off')}`,
    error,
  };
}

export function notificationDoneView(v: ViewContext, slot: number, on: boolean): Page {
  const { t } = v;
  const table = rowsTable([[t('emails.address', { n: slot }), `${t('emails.loginNotification')}: ${notifyLabel(v, on)}`]]);
  return { title: t('emails.settingDoneTitle'), body: resultView(t('emails.settingDone'), toList(v), table) };
}
