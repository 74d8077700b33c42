/**
 * Routes of Eメールアドレス登録照会 and its changes (views/address-views.ts draws them). 変更 of a
 * verified address and 削除 carry the 本人確認 card on their 確認 screens: the rule is the
 * domain's (domain/addresses/address-service.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SlotView } from '../../domain/addresses/address-service';
import { DomainError } from '../../domain/errors';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import * as views from '../views/address-views';
import { confirmView } from '../views/confirm-view';
import type { FormError } from '../views/kit';
import { reauthState } from './reauthentication';

type Reply = FastifyReply | Promise<FastifyReply>;

export function addressPages(app: FastifyInstance, deps: WebDeps): void {
  const { addresses } = deps.services;
  const slotOf = (req: FastifyRequest) => addresses.parseSlot((req.params as { slot: string }).slot);
  const typedAddress = (req: FastifyRequest) => {
    const a = formBody(req).address;
    return typeof a === 'string' ? a.slice(0, 254) : '';
  };
  const send = (req: FastifyRequest, reply: FastifyReply, page: views.Page) => sendPage(req, reply, deps, page);

  /** A bad slot throws here, and becomes a message on the list (`fail`), never a 500. */
  async function slotView(req: FastifyRequest): Promise<SlotView> {
    const slot = slotOf(req);
    return (await addresses.overview(signedInAccount(req))).find((s) => s.slot === slot)!;
  }

  async function renderList(req: FastifyRequest, reply: FastifyReply, o: { error?: FormError | string; info?: string; status?: number } = {}) {
    return send(req, reply, views.addressListView(viewContext(req, reply, deps), await addresses.overview(signedInAccount(req)), o));
  }

  /** Errors that mean "this page no longer applies" go back to the list with the message. */
  async function fail(req: FastifyRequest, reply: FastifyReply, e: unknown, render: (err: FormError) => Reply) {
    const err = pageError(req, reply, e);
    if (err.code === 'invalid_input' && e instanceof DomainError && e.details.field === 'slot') return renderList(req, reply, { error: err, status: 404 });
    return render(err);
  }
  const toList = (req: FastifyRequest, reply: FastifyReply) => (err: FormError) => renderList(req, reply, { error: err });

  /** A GET screen of one slot: a bad slot or a gone address is a message on the list. */
  function slotScreen(path: string, render: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) {
    app.get(path, async (req, reply) => {
      try {
        return await render(req, reply);
      } catch (e) {
        return fail(req, reply, e, toList(req, reply));
      }
    });
  }

  app.get('/account/emails', async (req, reply) => renderList(req, reply));

  // 変更 / 仮登録: 入力 → 確認
  const changeInput = async (req: FastifyRequest, reply: FastifyReply, o: { address?: string; error?: FormError } = {}) =>
    send(req, reply, views.changeInputView(viewContext(req, reply, deps), await slotView(req), o));

  async function changeConfirm(req: FastifyRequest, reply: FastifyReply, s: SlotView, address: string, error?: FormError) {
    // Only a registered (verified) address is masked in the overview: replacing it is a change to
    // where the codes go, so its 確認 screen asks for a fresh code sent to メールアドレス1.
    // Adding to an empty slot needs one too: never the trading password alone.
    const reauth = await reauthState(req, deps, s.masked ? 'address_change' : 'address_add', `/account/emails/${s.slot}/change/code`);
    const v = viewContext(req, reply, deps);
    return send(req, reply, confirmView(v, views.changeConfirmSpec(v, s, address, reauth, error)));
  }

  slotScreen('/account/emails/:slot/change', (req, reply) => changeInput(req, reply));

  app.post('/account/emails/:slot/change/confirm', async (req, reply) => {
    const form = formBody(req);
    try {
      const s = await slotView(req);
      return await changeConfirm(req, reply, s, await addresses.checkNewAddress(signedInAccount(req), s.slot, form.address, form.addressConfirmation));
    } catch (e) {
      return fail(req, reply, e, (err) => changeInput(req, reply, { address: typedAddress(req), error: err }));
    }
  });

  // 「確認コードをメールで送信」 on 変更 -確認-: the screen is drawn again with the same new address.
  app.post('/account/emails/:slot/change/code', async (req, reply) => {
    try {
      const s = await slotView(req);
      const address = await addresses.checkNewAddress(signedInAccount(req), s.slot, formBody(req).address);
      try {
        await addresses.requestChangeCode(signedInAccount(req), { slot: s.slot, address }, loginContext(req));
      } catch (e) {
        return await changeConfirm(req, reply, s, address, pageError(req, reply, e));
      }
      return await changeConfirm(req, reply, s, address);
    } catch (e) {
      return fail(req, reply, e, (err) => changeInput(req, reply, { address: typedAddress(req), error: err }));
    }
  });

  app.post('/account/emails/:slot/change', async (req, reply) => {
    const form = formBody(req);
    try {
      const s = await slotView(req);
      const change = { slot: s.slot, address: form.address, tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode };
      await addresses.requestChange(signedInAccount(req), change, loginContext(req));
      return reply.redirect(`/account/emails/${s.slot}/verify`, 303);
    } catch (e) {
      return fail(req, reply, e, async (err) => {
        // A bad address goes back to 入力; a wrong trading password or confirmation code stays on 確認.
        if ((err.code === 'invalid_input' && (e as DomainError).details.field === 'address') || err.code === 'conflict') return changeInput(req, reply, { error: err });
        return changeConfirm(req, reply, await slotView(req), typedAddress(req), err);
      });
    }
  });

  // The code mailed to the new address
  async function verifyPage(req: FastifyRequest, reply: FastifyReply, o: { error?: FormError; info?: string } = {}) {
    const s = await slotView(req);
    if (!s.pending) return renderList(req, reply, { error: o.error?.message ?? req.t('emails.noPending'), status: o.error?.status ?? 404 });
    return send(req, reply, views.verifyView(viewContext(req, reply, deps), { ...s, pending: s.pending }, o));
  }

  slotScreen('/account/emails/:slot/verify', (req, reply) => verifyPage(req, reply));

  app.post('/account/emails/:slot/verify', async (req, reply) => {
    try {
      const done = await addresses.confirmChange(signedInAccount(req), { slot: (req.params as { slot: string }).slot, code: formBody(req).code }, loginContext(req));
      return send(req, reply, views.addedView(viewContext(req, reply, deps), done));
    } catch (e) {
      return fail(req, reply, e, (err) => verifyPage(req, reply, { error: err }));
    }
  });

  app.post('/account/emails/:slot/verify/resend', async (req, reply) => {
    try {
      await addresses.resendCode(signedInAccount(req), (req.params as { slot: string }).slot, loginContext(req));
      return verifyPage(req, reply, { info: req.t('emails.resent') });
    } catch (e) {
      return fail(req, reply, e, (err) => verifyPage(req, reply, { error: err }));
    }
  });

  // 削除 (addresses 2 and 3)
  async function removeConfirm(req: FastifyRequest, reply: FastifyReply, error?: FormError) {
    const s = await slotView(req);
    if (!s.masked) return renderList(req, reply, { error: req.t('error.not_found.address'), status: 404 });
    if (s.slot === 1) return renderList(req, reply, { error: req.t('error.forbidden.representative_address'), status: 403 });
    const reauth = await reauthState(req, deps, 'address_remove', `/account/emails/${s.slot}/remove/code`);
    const v = viewContext(req, reply, deps);
    return send(req, reply, confirmView(v, views.removeConfirmSpec(v, s, reauth, error)));
  }

  slotScreen('/account/emails/:slot/remove', (req, reply) => removeConfirm(req, reply));

  app.post('/account/emails/:slot/remove/code', async (req, reply) => {
    try {
      await addresses.requestRemoveCode(signedInAccount(req), slotOf(req), loginContext(req));
      return await removeConfirm(req, reply);
    } catch (e) {
      return fail(req, reply, e, (err) => removeConfirm(req, reply, err));
    }
  });

  app.post('/account/emails/:slot/remove', async (req, reply) => {
    const form = formBody(req);
    try {
      const slot = slotOf(req);
      await addresses.remove(signedInAccount(req), { slot, tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode }, loginContext(req));
      return send(req, reply, views.removedView(viewContext(req, reply, deps), slot));
    } catch (e) {
      return fail(req, reply, e, (err) => removeConfirm(req, reply, err));
    }
  });

  // ログイン通知 設定変更: 入力 → 確認 → 完了
  async function notificationInput(req: FastifyRequest, reply: FastifyReply, o: { value?: boolean; error?: FormError } = {}) {
    const s = await slotView(req);
    if (!s.masked) return renderList(req, reply, { error: req.t('error.not_found.address'), status: 404 });
    return send(req, reply, views.notificationInputView(viewContext(req, reply, deps), s, o.value ?? s.loginNotification, o.error));
  }

  async function notificationConfirm(req: FastifyRequest, reply: FastifyReply, on: boolean, error?: FormError) {
    const s = await slotView(req);
    if (!s.masked) return renderList(req, reply, { error: req.t('error.not_found.address'), status: 404 });
    const reauth = await reauthState(req, deps, 'login_notification', `/account/emails/${s.slot}/notification/code`);
    const v = viewContext(req, reply, deps);
    return send(req, reply, confirmView(v, views.notificationConfirmSpec(v, s, on, reauth, error)));
  }

  slotScreen('/account/emails/:slot/notification', (req, reply) => {
    const q = (req.query as Record<string, unknown>).value;
    return notificationInput(req, reply, { value: q === 'on' ? true : q === 'off' ? false : undefined });
  });

  app.post('/account/emails/:slot/notification/confirm', async (req, reply) => {
    try {
      return await notificationConfirm(req, reply, addresses.parseNotification(formBody(req).loginNotification));
    } catch (e) {
      return fail(req, reply, e, (err) => notificationInput(req, reply, { error: err }));
    }
  });

  app.post('/account/emails/:slot/notification/code', async (req, reply) => {
    const on = formBody(req).loginNotification === 'on';
    try {
      await addresses.requestNotificationCode(signedInAccount(req), slotOf(req), loginContext(req));
      return await notificationConfirm(req, reply, on);
    } catch (e) {
      return fail(req, reply, e, (err) => notificationConfirm(req, reply, on, err));
    }
  });

  app.post('/account/emails/:slot/notification', async (req, reply) => {
    const form = formBody(req);
    try {
      const slot = slotOf(req);
      const on = addresses.parseNotification(form.loginNotification);
      await addresses.setLoginNotification(signedInAccount(req), { slot, loginNotification: form.loginNotification, tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode }, loginContext(req));
      return send(req, reply, views.notificationDoneView(viewContext(req, reply, deps), slot, on));
    } catch (e) {
      return fail(req, reply, e, async (err) => {
        if (err.code === 'invalid_input' && (e as DomainError).details.field === 'loginNotification') return notificationInput(req, reply, { error: err });
        return notificationConfirm(req, reply, form.loginNotification === 'on', err);
      });
    }
  });
}
