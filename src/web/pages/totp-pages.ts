/** Routes of the ワンタイムパスワードサービス screens (views/totp-views.ts draws them). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { DomainError } from '../../domain/errors';
import { Html } from '../html';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import { confirmView } from '../views/confirm-view';
import type { FormError } from '../views/kit';
import * as views from '../views/totp-views';
import { reauthState, sendCodeRoute } from './reauthentication';

/** The QR code is drawn on our server as SVG: the secret never goes to a third-party service. */
async function qrSvg(uri: string): Promise<Html> {
  return new Html(await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
}

export function totpPages(app: FastifyInstance, deps: WebDeps): void {
  const { totp } = deps.services;

  function errorOf(req: FastifyRequest, reply: FastifyReply, e: unknown): FormError {
    const err = pageError(req, reply, e);
    // A pending key that is gone; a missing confirmation code has its own message.
    const gone = (err.code === 'flow_not_found' || err.code === 'flow_expired') && (e as DomainError).details.reason !== 'reauthentication';
    return gone ? { ...err, message: req.t('error.enrollment_expired') } : err;
  }

  const deadEnd = (req: FastifyRequest, reply: FastifyReply, title: string, err: FormError) => sendPage(req, reply, deps, views.deadEndView(viewContext(req, reply, deps), title, err));

  /**
   * A 確認 screen of a change to how the customer logs in, its send button's route, and its
   * action: 確認コード (mailed, or the current one-time password) and 取引パスワード.
   */
  function confirmRoutes(which: views.TotpConfirm, act: (req: FastifyRequest, reply: FastifyReply, proof: { tradingPassword: unknown; confirmationCode: unknown }) => Promise<FastifyReply>) {
    const c = views.CONFIRMS[which];
    const screen = async (req: FastifyRequest, reply: FastifyReply, error?: FormError) => {
      const reauth = await reauthState(req, deps, c.purpose, `${c.action}/code`);
      const v = viewContext(req, reply, deps);
      return sendPage(req, reply, deps, confirmView(v, views.totpConfirmSpec(v, which, reauth, error)));
    };
    app.get(c.page, async (req, reply) => screen(req, reply));
    sendCodeRoute(app, deps, `${c.action}/code`, c.purpose, screen);
    app.post(c.action, async (req, reply) => {
      const form = formBody(req);
      try {
        return await act(req, reply, { tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode });
      } catch (e) {
        const err = errorOf(req, reply, e);
        if (which === 'apply' && err.code === 'conflict') return deadEnd(req, reply, req.t('otp.applyTitle'), err);
        return screen(req, reply, err);
      }
    });
  }

  // 申込 -確認-: a stolen session alone cannot put an intruder's key on the account.
  confirmRoutes('apply', async (req, reply, proof) => {
    await totp.apply(signedInAccount(req), proof, loginContext(req));
    return reply.redirect('/account/totp/key', 303);
  });

  app.get('/account/totp/key', async (req, reply) => {
    try {
      const key = await totp.shownKey(signedInAccount(req), loginContext(req));
      return sendPage(req, reply, deps, views.keyView(viewContext(req, reply, deps), key, await qrSvg(key.uri)));
    } catch (e) {
      return deadEnd(req, reply, req.t('otp.applyTitle'), errorOf(req, reply, e));
    }
  });

  app.get('/account/totp/verify', async (req, reply) => sendPage(req, reply, deps, views.verifyView(viewContext(req, reply, deps))));

  app.post('/account/totp/verify', async (req, reply) => {
    try {
      const result = await totp.confirm(signedInAccount(req), formBody(req).code, loginContext(req));
      return sendPage(req, reply, deps, views.receiptView(viewContext(req, reply, deps), result));
    } catch (e) {
      const err = errorOf(req, reply, e);
      if (err.code === 'flow_not_found' || err.code === 'flow_expired' || err.code === 'code_attempts_exceeded') return deadEnd(req, reply, req.t('otp.confirmTitle'), err);
      return sendPage(req, reply, deps, views.verifyView(viewContext(req, reply, deps), err));
    }
  });

  // コード再表示
  confirmRoutes('reregister', async (req, reply, proof) => {
    await totp.reregister(signedInAccount(req), proof, loginContext(req));
    return reply.redirect('/account/totp/key', 303);
  });

  // 利用停止: 入力 → 確認 → 完了
  app.get('/account/totp/stop', async (req, reply) => sendPage(req, reply, deps, views.stopInputView(viewContext(req, reply, deps))));
  confirmRoutes('stop', async (req, reply, proof) => {
    await totp.stop(signedInAccount(req), proof, loginContext(req));
    return sendPage(req, reply, deps, views.stopDoneView(viewContext(req, reply, deps)));
  });

  // リカバリーコード再発行
  confirmRoutes('recovery', async (req, reply, proof) => {
    const codes = await totp.regenerateRecoveryCodes(signedInAccount(req), proof, loginContext(req));
    return sendPage(req, reply, deps, views.recoveryCodesView(viewContext(req, reply, deps), codes));
  });
}
