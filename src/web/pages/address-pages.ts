/**
 * Eメールアドレス登録照会 and its changes, on the notice's screens: the three slots (メールアドレス1
 * 代表), 変更 / 仮登録 (入力 → 確認 with 取引パスワード → the code mailed to the new address →
 * 完了), 削除 for addresses 2 and 3, and ログイン通知 設定変更 (入力 → 確認 → 完了). 変更 of a
 * verified address and 削除 carry the 本人確認 card (reauthentication.ts) on their 確認 screens:
 * the rule is the domain's (domain/addresses/address-service.ts), this file only draws it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SlotView } from '../../domain/addresses/address-service';
import { DomainError } from '../../domain/errors';
import { assertCsrf } from '../csrf';
import { html, type Html } from '../html';
import { alertBox, renderPage } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { requireSession } from './account-pages';
import { csrfInput, formBody, pageError, sessionAccount, tradingPasswordForm, type PageError } from './forms';
import { confirmationCodeInput, reauthSection, reauthView } from './reauthentication';

export function addressPages(app: FastifyInstance, deps: WebDeps): void {
  const { addresses } = deps.services;
  const guard = { preHandler: requireSession(deps) };
  const slotOf = (req: FastifyRequest) => addresses.parseSlot((req.params as { slot: string }).slot);

  /** Every handler: a bad slot or an expired page becomes a message on the list, never a 500. */
  async function slotView(req: FastifyRequest): Promise<SlotView> {
    const slot = slotOf(req);
    return (await addresses.overview(await sessionAccount(req, deps))).find((s) => s.slot === slot)!;
  }

  const slotName = (req: FastifyRequest, v: SlotView) =>
    html`${req.t('emails.address', { n: v.slot })}${v.slot === 1 ? html` <span class="badge">${req.t('emails.representative')}</span>` : html``}`;

  async function renderList(req: FastifyRequest, reply: FastifyReply, o: { error?: string; info?: string; status?: number } = {}) {
    const { t } = req;
    const slots = await addresses.overview(await sessionAccount(req, deps));
    const sections = slots.map((v) => {
      const n = v.slot;
      const actions = v.masked
        ? html`<a class="button secondary" href="/account/emails/${n}/change" aria-label="${t('emails.address', { n })} ${t('emails.change')}">${t('emails.change')}</a>${
            n !== 1 ? html` <a class="button secondary" href="/account/emails/${n}/remove" aria-label="${t('emails.address', { n })} ${t('emails.remove')}">${t('emails.remove')}</a>` : html``
          }`
        : html`<a class="button secondary" href="/account/emails/${n}/change" aria-label="${t('emails.address', { n })} ${t('emails.provisional')}">${t('emails.provisional')}</a>`;
      const pending = v.pending
        ? html`<tr><th scope="row">${t('emails.pending')}</th><td>${v.pending.masked} <span class="state off">${t('emails.pendingState')}</span></td>
            <td><a class="button primary" href="/account/emails/${n}/verify">${t('emails.enterCode')}</a></td></tr>`
        : html``;
      return html`
      <section class="email-slot" aria-labelledby="slot-${n}">
        <h3 id="slot-${n}">${slotName(req, v)}</h3>
        <table class="details">
          <tr><th scope="row">${t('emails.address', { n })}</th><td>${v.masked ?? t('common.notRegistered')}</td><td>${actions}</td></tr>
          ${pending}
          ${v.masked
            ? html`<tr><th scope="row">${t('emails.loginNotification')}</th><td>${v.loginNotification ? t('emails.notify') : t('emails.dontNotify')}</td>
                <td><a class="button secondary" href="/account/emails/${n}/notification" aria-label="${t('emails.address', { n })} ${t('emails.loginNotification')} ${t('emails.settingChange')}">${t('emails.settingChange')}</a></td></tr>`
            : html``}
        </table>
      </section>`;
    });
    const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('emails.title')}</p>
      ${alertBox(o.error)}${alertBox(o.info, 'info')}
      <h2>${t('emails.status')}</h2>
      ${sections}
      <p class="note">${t('emails.note')}</p>
      <p class="note">${t('emails.notificationNote')}</p>`;
    return renderPage(req, reply, deps, { title: t('emails.title'), body, status: o.status });
  }

  /** Errors that mean "this page no longer applies" go back to the list with the message. */
  async function fail(req: FastifyRequest, reply: FastifyReply, e: unknown, render: (err: PageError) => Promise<FastifyReply> | FastifyReply) {
    const err = pageError(req, reply, e);
    if (err.code === 'invalid_input' && e instanceof DomainError && e.details.field === 'slot') return renderList(req, reply, { error: err.message, status: 404 });
    return render(err);
  }

  app.get('/account/emails', guard, async (req, reply) => renderList(req, reply));

  // 変更 / 仮登録: 入力
  async function changeInput(req: FastifyRequest, reply: FastifyReply, o: { address?: string; error?: PageError } = {}) {
    const { t } = req;
    const v = await slotView(req);
    const body = html`
      ${alertBox(o.error?.message)}
      <p>${v.masked ? t('emails.changeLead') : t('emails.provisionalLead')}</p>
      <form method="post" action="/account/emails/${v.slot}/change/confirm" class="card" novalidate>
        ${csrfInput(req, reply, deps)}
        <table class="details"><tr><th scope="row">${slotName(req, v)}</th><td>${v.masked ?? t('common.notRegistered')}</td></tr></table>
        <div class="field"><label for="address">${t('emails.newAddress')}</label><input id="address" name="address" type="email" inputmode="email" autocomplete="email" maxlength="254" value="${o.address ?? ''}" required></div>
        <div class="field"><label for="addressConfirmation">${t('emails.newAddressAgain')}</label><input id="addressConfirmation" name="addressConfirmation" type="email" inputmode="email" autocomplete="off" maxlength="254" required></div>
        <div class="actions"><a class="button secondary" href="/account/emails">${t('common.back')}</a> <button type="submit" class="primary">${t('common.toConfirm')}</button></div>
      </form>`;
    return renderPage(req, reply, deps, { title: t(v.masked ? 'emails.changeInputTitle' : 'emails.provisionalInputTitle'), body, status: o.error?.status });
  }

  async function changeConfirm(req: FastifyRequest, reply: FastifyReply, v: SlotView, address: string, error?: PageError) {
    const { t } = req;
    const button = t(v.masked ? 'emails.change' : 'emails.provisional');
    // Only a registered (verified) address is masked in the overview: replacing it is a change to
    // where the codes go, so its 確認 screen asks for a fresh code sent to メールアドレス1.
    const reauth = v.masked
      ? await reauthView(req, deps, await sessionAccount(req, deps), 'address_change', `/account/emails/${v.slot}/change/code`)
      : null;
    return tradingPasswordForm(req, reply, deps, {
      title: t(v.masked ? 'emails.changeConfirmTitle' : 'emails.provisionalConfirmTitle'),
      lead: t(v.masked ? 'emails.changeVerifiedConfirmLead' : 'emails.changeConfirmLead'),
      action: `/account/emails/${v.slot}/change`,
      button,
      back: `/account/emails/${v.slot}/change`,
      before: reauth ? reauthSection(req, reply, deps, { ...reauth, lead: t('reauth.addressChangeLead'), carry: html`<input type="hidden" name="address" value="${address}">` }) : undefined,
      secondFactor: reauth ? { field: confirmationCodeInput(req), note: t('reauth.formLead', { button }) } : undefined,
      // The address the customer just typed is shown back whole, so a typo can be caught here;
      // registered addresses are only ever shown masked.
      extra: html`<table class="details"><tr><th scope="row">${slotName(req, v)}</th><td>${v.masked ?? t('common.notRegistered')}</td></tr>
        <tr><th scope="row">${t('emails.newAddress')}</th><td class="new-address">${address}</td></tr></table>
        <input type="hidden" name="address" value="${address}">`,
      error: error?.message,
      status: error?.status,
    });
  }

  app.get('/account/emails/:slot/change', guard, async (req, reply) => {
    try {
      return await changeInput(req, reply);
    } catch (e) {
      return fail(req, reply, e, (err) => renderList(req, reply, { error: err.message, status: err.status }));
    }
  });

  app.post('/account/emails/:slot/change/confirm', guard, async (req, reply) => {
    const form = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const v = await slotView(req);
      const address = await addresses.checkNewAddress(await sessionAccount(req, deps), v.slot, form.address, form.addressConfirmation);
      return await changeConfirm(req, reply, v, address);
    } catch (e) {
      return fail(req, reply, e, (err) => changeInput(req, reply, { address: typeof form.address === 'string' ? form.address.slice(0, 254) : '', error: err }));
    }
  });

  // 「確認コードをメールで送信」 on 変更 -確認-: the screen is drawn again with the same new address.
  app.post('/account/emails/:slot/change/code', guard, async (req, reply) => {
    const form = formBody(req);
    const typed = typeof form.address === 'string' ? form.address.slice(0, 254) : '';
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const v = await slotView(req);
      const account = await sessionAccount(req, deps);
      const address = await addresses.checkNewAddress(account, v.slot, form.address);
      try {
        await addresses.requestChangeCode(account, { slot: v.slot, address }, loginContext(req));
      } catch (e) {
        return await changeConfirm(req, reply, v, address, pageError(req, reply, e));
      }
      return await changeConfirm(req, reply, v, address);
    } catch (e) {
      return fail(req, reply, e, (err) => changeInput(req, reply, { address: typed, error: err }));
    }
  });

  app.post('/account/emails/:slot/change', guard, async (req, reply) => {
    const form = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const v = await slotView(req);
      const change = { slot: v.slot, address: form.address, tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode };
      await addresses.requestChange(await sessionAccount(req, deps), change, loginContext(req));
      return reply.redirect(`/account/emails/${v.slot}/verify`, 303);
    } catch (e) {
      return fail(req, reply, e, async (err) => {
        // A bad address goes back to 入力; a wrong trading password or confirmation code stays on 確認.
        if (err.code === 'invalid_input' && (e as DomainError).details.field === 'address') return changeInput(req, reply, { error: err });
        if (err.code === 'conflict') return changeInput(req, reply, { error: err });
        return changeConfirm(req, reply, await slotView(req), typeof form.address === 'string' ? form.address.slice(0, 254) : '', err);
      });
    }
  });

  // The code mailed to the new address
  async function verifyPage(req: FastifyRequest, reply: FastifyReply, o: { error?: PageError; info?: string } = {}) {
    const { t } = req;
    const v = await slotView(req);
    if (!v.pending) return renderList(req, reply, { error: o.error?.message ?? t('emails.noPending'), status: o.error?.status ?? 404 });
    const body = html`
      ${alertBox(o.error?.message)}${alertBox(o.info, 'info')}
      <p>${t('emails.codeLead', { masked: v.pending.masked })}</p>
      <form method="post" action="/account/emails/${v.slot}/verify" class="card" novalidate>
        ${csrfInput(req, reply, deps)}
        <div class="field"><label for="code">${t('emails.codeLabel')}</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required></div>
        <div class="actions"><a class="button secondary" href="/account/emails">${t('common.back')}</a> <button type="submit" class="primary">${t('code.submit')}</button></div>
      </form>
      <form method="post" action="/account/emails/${v.slot}/verify/resend" class="inline">
        ${csrfInput(req, reply, deps)}
        <button type="submit" class="secondary">${t('emails.resend')}</button>
      </form>
      <p class="note help">${t('emails.noMail', { phone: deps.services.brand.supportPhone })}</p>`;
    return renderPage(req, reply, deps, { title: t('emails.verifyTitle'), body, status: o.error?.status });
  }

  app.get('/account/emails/:slot/verify', guard, async (req, reply) => {
    try {
      return await verifyPage(req, reply);
    } catch (e) {
      return fail(req, reply, e, (err) => renderList(req, reply, { error: err.message, status: err.status }));
    }
  });

  app.post('/account/emails/:slot/verify', guard, async (req, reply) => {
    const { t } = req;
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const done = await addresses.confirmChange(await sessionAccount(req, deps), { slot: (req.params as { slot: string }).slot, code: formBody(req).code }, loginContext(req));
      const body = html`<p class="alert info" role="status">${t(done.kind === 'added' ? 'emails.addedDone' : 'emails.changedDone', { n: done.slot })}</p>
        <p><a class="button primary" href="/account/emails">${t('emails.toList')}</a></p>`;
      return renderPage(req, reply, deps, { title: t('emails.doneTitle'), body });
    } catch (e) {
      return fail(req, reply, e, (err) => verifyPage(req, reply, { error: err }));
    }
  });

  app.post('/account/emails/:slot/verify/resend', guard, async (req, reply) => {
    try {
      assertCsrf(req, deps.services.ports.keyed);
      await addresses.resendCode(await sessionAccount(req, deps), (req.params as { slot: string }).slot, loginContext(req));
      return verifyPage(req, reply, { info: req.t('emails.resent') });
    } catch (e) {
      return fail(req, reply, e, (err) => verifyPage(req, reply, { error: err }));
    }
  });

  // 削除 (addresses 2 and 3), with the 本人確認 card: removing an address is confirmed like a change.
  async function removeConfirm(req: FastifyRequest, reply: FastifyReply, error?: PageError) {
    const { t } = req;
    const v = await slotView(req);
    if (!v.masked) return renderList(req, reply, { error: t('error.not_found.address'), status: 404 });
    if (v.slot === 1) return renderList(req, reply, { error: t('error.forbidden.representative_address'), status: 403 });
    const button = t('emails.remove');
    const reauth = await reauthView(req, deps, await sessionAccount(req, deps), 'address_remove', `/account/emails/${v.slot}/remove/code`);
    return tradingPasswordForm(req, reply, deps, {
      title: t('emails.removeTitle'),
      lead: t('emails.removeLead'),
      action: `/account/emails/${v.slot}/remove`,
      button,
      back: '/account/emails',
      before: reauthSection(req, reply, deps, { ...reauth, lead: t('reauth.addressRemoveLead') }),
      secondFactor: { field: confirmationCodeInput(req), note: t('reauth.formLead', { button }) },
      extra: html`<table class="details"><tr><th scope="row">${slotName(req, v)}</th><td>${v.masked}</td></tr></table>`,
      error: error?.message,
      status: error?.status,
    });
  }

  app.get('/account/emails/:slot/remove', guard, async (req, reply) => {
    try {
      return await removeConfirm(req, reply);
    } catch (e) {
      return fail(req, reply, e, (err) => renderList(req, reply, { error: err.message, status: err.status }));
    }
  });

  app.post('/account/emails/:slot/remove/code', guard, async (req, reply) => {
    try {
      assertCsrf(req, deps.services.ports.keyed);
      await addresses.requestRemoveCode(await sessionAccount(req, deps), slotOf(req), loginContext(req));
      return await removeConfirm(req, reply);
    } catch (e) {
      return fail(req, reply, e, (err) => removeConfirm(req, reply, err));
    }
  });

  app.post('/account/emails/:slot/remove', guard, async (req, reply) => {
    const { t } = req;
    const form = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const slot = slotOf(req);
      await addresses.remove(await sessionAccount(req, deps), { slot, tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode }, loginContext(req));
      const body = html`<p class="alert info" role="status">${t('emails.removedDone', { n: slot })}</p><p><a class="button primary" href="/account/emails">${t('emails.toList')}</a></p>`;
      return renderPage(req, reply, deps, { title: t('emails.removeDoneTitle'), body });
    } catch (e) {
      return fail(req, reply, e, (err) => removeConfirm(req, reply, err));
    }
  });

  // ログイン通知 設定変更: 入力 → 確認 → 完了
  async function notificationInput(req: FastifyRequest, reply: FastifyReply, o: { value?: boolean; error?: PageError } = {}) {
    const { t } = req;
    const v = await slotView(req);
    if (!v.masked) return renderList(req, reply, { error: t('error.not_found.address'), status: 404 });
    const value = o.value ?? v.loginNotification;
    const radio = (val: 'on' | 'off', label: string, checked: boolean): Html =>
      html`<label class="radio"><input type="radio" name="loginNotification" value="${val}" ${checked ? html`checked` : html``}> ${label}</label>`;
    const body = html`
      ${alertBox(o.error?.message)}
      <form method="post" action="/account/emails/${v.slot}/notification/confirm" class="card" novalidate>
        ${csrfInput(req, reply, deps)}
        <table class="details">
          <tr><th scope="row">${t('emails.address', { n: v.slot })}</th><td>${v.masked}</td></tr>
          <tr><th scope="row" id="notification-label">${t('emails.loginNotification')}</th>
            <td><fieldset aria-labelledby="notification-label">${radio('on', t('emails.notify'), value)} ${radio('off', t('emails.dontNotify'), !value)}</fieldset></td></tr>
        </table>
        <p class="note">${t('emails.notificationHint')}</p>
        <div class="actions"><a class="button secondary" href="/account/emails">${t('common.back')}</a> <button type="submit" class="primary">${t('common.toConfirm')}</button></div>
      </form>`;
    return renderPage(req, reply, deps, { title: t('emails.settingInputTitle'), body, status: o.error?.status });
  }

  async function notificationConfirm(req: FastifyRequest, reply: FastifyReply, on: boolean, error?: PageError) {
    const { t } = req;
    const v = await slotView(req);
    if (!v.masked) return renderList(req, reply, { error: t('error.not_found.address'), status: 404 });
    return tradingPasswordForm(req, reply, deps, {
      title: t('emails.settingConfirmTitle'),
      lead: t('emails.settingConfirmLead'),
      action: `/account/emails/${v.slot}/notification`,
      button: t('common.change'),
      back: `/account/emails/${v.slot}/notification?value=${on ? 'on' : 'off'}`,
      extra: html`<table class="details">
          <tr><th scope="row">${t('emails.address', { n: v.slot })}</th><td>${v.masked}</td></tr>
          <tr><th scope="row">${t('emails.loginNotification')}</th><td class="new-value">${on ? t('emails.notify') : t('emails.dontNotify')}</td></tr>
        </table>
        <input type="hidden" name="loginNotification" value="${on ? 'on' : 'off'}">`,
      error: error?.message,
      status: error?.status,
    });
  }

  app.get('/account/emails/:slot/notification', guard, async (req, reply) => {
    const q = (req.query as Record<string, unknown>).value;
    try {
      return await notificationInput(req, reply, { value: q === 'on' ? true : q === 'off' ? false : undefined });
    } catch (e) {
      return fail(req, reply, e, (err) => renderList(req, reply, { error: err.message, status: err.status }));
    }
  });

  app.post('/account/emails/:slot/notification/confirm', guard, async (req, reply) => {
    try {
      assertCsrf(req, deps.services.ports.keyed);
      return await notificationConfirm(req, reply, addresses.parseNotification(formBody(req).loginNotification));
    } catch (e) {
      return fail(req, reply, e, (err) => notificationInput(req, reply, { error: err }));
    }
  });

  app.post('/account/emails/:slot/notification', guard, async (req, reply) => {
    const { t } = req;
    const form = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const slot = slotOf(req);
      const on = addresses.parseNotification(form.loginNotification);
      await addresses.setLoginNotification(await sessionAccount(req, deps), { slot, loginNotification: form.loginNotification, tradingPassword: form.tradingPassword }, loginContext(req));
      const body = html`
        <p class="alert info" role="status">${t('emails.settingDone')}</p>
        <table class="details"><tr><th scope="row">${t('emails.address', { n: slot })}</th><td>${t('emails.loginNotification')}: ${on ? t('emails.notify') : t('emails.dontNotify')}</td></tr></table>
        <p><a class="button primary" href="/account/emails">${t('emails.toList')}</a></p>`;
      return renderPage(req, reply, deps, { title: t('emails.settingDoneTitle'), body });
    } catch (e) {
      return fail(req, reply, e, async (err) => {
        if (err.code === 'invalid_input' && (e as DomainError).details.field === 'loginNotification') return notificationInput(req, reply, { error: err });
        return notificationConfirm(req, reply, form.loginNotification === 'on', err);
      });
    }
  });

}
