/**
 * ワンタイムパスワードサービス screens in the notice's order: 申込 → QR / コードを表示 →
 * ワンタイムパスワード 認証 → サービス申込 -受付-; then コード再表示, 利用停止 (入力 → 確認 → 完了)
 * and recovery codes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { DomainError } from '../../domain/errors';
import type { Account } from '../../domain/accounts/records';
import type { ShownKey } from '../../domain/totp/totp-service';
import { assertCsrf, csrfField } from '../csrf';
import { messageOf, retryAfterOf, statusOf } from '../errors';
import { Html, html } from '../html';
import { alertBox, passwordInput, renderPage } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import type { ReauthenticationPurpose } from '../../domain/reauthentication/records';
import { requireSession } from './account-pages';
import { tradingPasswordForm } from './forms';
import { confirmationCodeInput, reauthSection, reauthView, sendCodeRoute } from './reauthentication';

const APP_LINKS = [
  { os: 'iPhone', url: 'https://apps.apple.com/jp/app/google-authenticator/id388497605' },
  { os: 'Android', url: 'https://play.google.com/store/apps/details?id=com.google.android.apps.authenticator2' },
];

/** The QR code is drawn on our server as SVG: the secret never goes to a third-party service. */
async function qrSvg(uri: string, label: string): Promise<Html> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  // The SVG comes from the qrcode library, not from user input; only the label is ours.
  return html`<div class="qr" role="img" aria-label="${label}">${new Html(svg)}</div>`;
}

export function totpPages(app: FastifyInstance, deps: WebDeps): void {
  const { totp, ports } = deps.services;
  const { keyed, random, store } = ports;
  const guard = { preHandler: requireSession(deps) };

  async function accountOf(req: FastifyRequest): Promise<Account> {
    const account = await store.accounts.findById(req.session!.accountId);
    if (!account) throw new DomainError('session_invalid');
    return account;
  }

  function errorText(req: FastifyRequest, reply: FastifyReply, e: unknown): { message: string; status: number; code: string } {
    if (!(e instanceof DomainError)) throw e;
    const retry = retryAfterOf(e);
    if (retry) reply.header('Retry-After', String(retry));
    // A pending key that is gone; a missing confirmation code has its own message.
    const expired = (e.code === 'flow_not_found' || e.code === 'flow_expired') && e.details.reason !== 'reauthentication';
    return { message: expired ? req.t('error.enrollment_expired') : messageOf(e, req.t), status: statusOf(e.code), code: e.code };
  }

  const field = (req: FastifyRequest, reply: FastifyReply) => html`<input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">`;

  async function renderKey(req: FastifyRequest, reply: FastifyReply, key: ShownKey) {
    const { t } = req;
    const minutes = Math.max(1, Math.round((key.expiresAt.getTime() - ports.clock.now().getTime()) / 60_000));
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
          ${await qrSvg(key.uri, t('otp.qrAlt'))}
          <p class="note">⚠ ${t('otp.showKeyHint')}</p>
          <details class="show-key"><summary>${t('otp.showKey')}</summary>
            <p>${t('otp.keyLabel')}: <code class="totp-key" data-secret="${key.secret}">${key.grouped}</code></p>
          </details>
        </li>
      </ol>
      <p class="note">${t('otp.keyExpires', { minutes })}</p>
      <p><a class="button primary" href="/account/totp/verify">${t('otp.next')}</a></p>`;
    return renderPage(req, reply, deps, { title: key.kind === 'apply' ? t('otp.applyTitle') : t('otp.reregisterTitle'), body });
  }

  function renderVerify(req: FastifyRequest, reply: FastifyReply, o: { error?: string; status?: number } = {}) {
    const { t } = req;
    const body = html`
      ${alertBox(o.error)}
      <p>${t('otp.confirmLead')}</p>
      <section class="help"><h2>${t('otp.notesTitle')}</h2><p>${t('otp.notes')}</p></section>
      <p>${t('otp.inputLead')}</p>
      <form method="post" action="/account/totp/verify" class="card" novalidate>
        ${field(req, reply)}
        ${passwordInput('totp', 'code', t('totp.label'), t('common.showPassword'), { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 12 })}
        <div class="actions"><a class="button secondary" href="/account/totp/key">${t('otp.backToKey')}</a> <button type="submit" class="primary">${t('totp.submit')}</button></div>
      </form>`;
    return renderPage(req, reply, deps, { title: t('otp.confirmTitle'), body, status: o.status });
  }

  function recoveryList(req: FastifyRequest, codes: string[]): Html {
    if (!codes.length) return html``;
    return html`<section class="recovery-codes" aria-labelledby="recovery-title">
      <h2 id="recovery-title">${req.t('otp.recoveryCodesTitle')}</h2>
      <p>${req.t('otp.recoveryCodesLead')}</p>
      <ul class="codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
    </section>`;
  }

  /**
   * A 確認 screen of a change to how the customer logs in: 確認コード (mailed, or the current
   * one-time password) and 取引パスワード; its send button posts to `<action>/code`.
   */
  async function confirmScreen(
    req: FastifyRequest,
    reply: FastifyReply,
    o: { title: string; lead: string; action: string; button: string; back: string; purpose: ReauthenticationPurpose },
    error?: { message: string; status: number },
  ) {
    const view = await reauthView(req, deps, await accountOf(req), o.purpose, `${o.action}/code`);
    return tradingPasswordForm(req, reply, deps, {
      ...o,
      before: reauthSection(req, reply, deps, view),
      secondFactor: { field: confirmationCodeInput(req), note: req.t('reauth.formLead', { button: o.button }) },
      error: error?.message,
      status: error?.status,
    });
  }

  const confirmation = (form: Record<string, unknown>) => ({ tradingPassword: form.tradingPassword, confirmationCode: form.confirmationCode });

  // 申込 -確認-: a stolen session alone cannot put an intruder's key on the account.
  const applyConfirm = (req: FastifyRequest, reply: FastifyReply, error?: { message: string; status: number }) =>
    confirmScreen(req, reply, { title: req.t('otp.applyConfirmTitle'), lead: req.t('otp.applyLead'), action: '/account/totp/apply', button: req.t('otp.apply'), back: '/account/info', purpose: 'totp_apply' }, error);

  app.get('/account/totp/apply', guard, async (req, reply) => applyConfirm(req, reply));
  sendCodeRoute(app, deps, guard, '/account/totp/apply/code', 'totp_apply', applyConfirm);
  app.post('/account/totp/apply', guard, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      assertCsrf(req, keyed);
      await totp.apply(await accountOf(req), confirmation(form), loginContext(req));
      return reply.redirect('/account/totp/key', 303);
    } catch (e) {
      const err = errorText(req, reply, e);
      if (err.code === 'conflict') {
        return renderPage(req, reply, deps, { title: req.t('otp.applyTitle'), body: html`${alertBox(err.message)}<p><a href="/account/info">${req.t('otp.toInfo')}</a></p>`, status: err.status });
      }
      return applyConfirm(req, reply, err);
    }
  });

  app.get('/account/totp/key', guard, async (req, reply) => {
    try {
      return await renderKey(req, reply, await totp.shownKey(await accountOf(req), loginContext(req)));
    } catch (e) {
      const err = errorText(req, reply, e);
      return renderPage(req, reply, deps, { title: req.t('otp.applyTitle'), body: html`${alertBox(err.message)}<p><a href="/account/info">${req.t('otp.toInfo')}</a></p>`, status: err.status });
    }
  });

  app.get('/account/totp/verify', guard, async (req, reply) => renderVerify(req, reply));

  app.post('/account/totp/verify', guard, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      assertCsrf(req, keyed);
      const result = await totp.confirm(await accountOf(req), form.code, loginContext(req));
      const { t } = req;
      const apply = result.kind === 'apply';
      const body = html`
        <p class="alert info" role="status">${apply ? t('otp.receiptLead') : t('otp.reregisterReceiptLead')}</p>
        <table class="details"><tr><th scope="row">${t('otp.serviceName')}</th><td>${t('info.totpService')}</td></tr></table>
        ${recoveryList(req, result.recoveryCodes)}
        <p>${t('otp.nextLogin')}</p>
        <p><a class="button primary" href="/account/info">${t('otp.toInfo')}</a></p>`;
      return renderPage(req, reply, deps, { title: apply ? t('otp.receiptTitle') : t('otp.reregisterReceiptTitle'), body });
    } catch (e) {
      const err = errorText(req, reply, e);
      if (err.code === 'flow_not_found' || err.code === 'flow_expired' || err.code === 'code_attempts_exceeded') {
        return renderPage(req, reply, deps, { title: req.t('otp.confirmTitle'), body: html`${alertBox(err.message)}<p><a href="/account/info">${req.t('otp.toInfo')}</a></p>`, status: err.status });
      }
      return renderVerify(req, reply, { error: err.message, status: err.status });
    }
  });

  // コード再表示
  const reregisterForm = (req: FastifyRequest, reply: FastifyReply, error?: { message: string; status: number }) =>
    confirmScreen(
      req,
      reply,
      { title: req.t('otp.reregisterTitle'), lead: req.t('otp.reregisterLead'), action: '/account/totp/reregister', button: req.t('otp.reregister'), back: '/account/info', purpose: 'totp_reregister' },
      error,
    );

  app.get('/account/totp/reregister', guard, async (req, reply) => reregisterForm(req, reply));
  sendCodeRoute(app, deps, guard, '/account/totp/reregister/code', 'totp_reregister', reregisterForm);
  app.post('/account/totp/reregister', guard, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      assertCsrf(req, keyed);
      await totp.reregister(await accountOf(req), confirmation(form), loginContext(req));
      return reply.redirect('/account/totp/key', 303);
    } catch (e) {
      return reregisterForm(req, reply, errorText(req, reply, e));
    }
  });

  // 利用停止: 入力 → 確認 → 完了
  app.get('/account/totp/stop', guard, async (req, reply) => {
    const { t } = req;
    const body = html`<p>${t('otp.stopLead')}</p>
      <table class="details"><tr><th scope="row">${t('otp.serviceName')}</th><td>${t('info.totpService')}</td></tr></table>
      <div class="actions"><a class="button secondary" href="/account/info">${t('common.back')}</a> <a class="button primary" href="/account/totp/stop/confirm">${t('common.toConfirm')}</a></div>`;
    return renderPage(req, reply, deps, { title: t('otp.stopInputTitle'), body });
  });

  const stopConfirm = (req: FastifyRequest, reply: FastifyReply, error?: { message: string; status: number }) =>
    confirmScreen(
      req,
      reply,
      { title: req.t('otp.stopConfirmTitle'), lead: req.t('otp.stopLead'), action: '/account/totp/stop', button: req.t('otp.stop'), back: '/account/totp/stop', purpose: 'totp_stop' },
      error,
    );

  app.get('/account/totp/stop/confirm', guard, async (req, reply) => stopConfirm(req, reply));
  sendCodeRoute(app, deps, guard, '/account/totp/stop/code', 'totp_stop', stopConfirm);
  app.post('/account/totp/stop', guard, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      assertCsrf(req, keyed);
      await totp.stop(await accountOf(req), confirmation(form), loginContext(req));
      const { t } = req;
      return renderPage(req, reply, deps, {
        title: t('otp.stopDoneTitle'),
        body: html`<p class="alert info" role="status">${t('otp.stopDone')}</p><p><a class="button primary" href="/account/info">${t('otp.toInfo')}</a></p>`,
      });
    } catch (e) {
      return stopConfirm(req, reply, errorText(req, reply, e));
    }
  });

  // リカバリーコード再発行
  const regenerateForm = (req: FastifyRequest, reply: FastifyReply, error?: { message: string; status: number }) =>
    confirmScreen(
      req,
      reply,
      { title: req.t('otp.regenerateTitle'), lead: req.t('otp.regenerateLead'), action: '/account/totp/recovery-codes', button: req.t('otp.regenerate'), back: '/account/info', purpose: 'recovery_codes' },
      error,
    );

  app.get('/account/totp/recovery-codes', guard, async (req, reply) => regenerateForm(req, reply));
  sendCodeRoute(app, deps, guard, '/account/totp/recovery-codes/code', 'recovery_codes', regenerateForm);
  app.post('/account/totp/recovery-codes', guard, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      assertCsrf(req, keyed);
      const codes = await totp.regenerateRecoveryCodes(await accountOf(req), confirmation(form), loginContext(req));
      return renderPage(req, reply, deps, {
        title: req.t('otp.regenerateTitle'),
        body: html`${recoveryList(req, codes)}<p><a class="button primary" href="/account/info">${req.t('otp.toInfo')}</a></p>`,
      });
    } catch (e) {
      return regenerateForm(req, reply, errorText(req, reply, e));
    }
  });
}
