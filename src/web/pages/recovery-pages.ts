/**
 * ログインパスワードをお忘れの方 and ログインIDをお忘れの方: thin routes over the recovery services
 * (domain/recovery/). The reset flow's handle lives in its own `__Host-` cookie, like the login
 * flow's. Views: views/recovery-views.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResetNext, ResetStep } from '../../domain/recovery/password-reset-service';
import { cookieOptions } from '../cookies';
import { formBody, pageError, sendPage, viewContext, type Page } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import type { FormError, ViewContext } from '../views/kit';
import * as views from '../views/recovery-views';

export const RESET_COOKIE = '__Host-mamori_reset';

const PAGE_OF: Record<ResetNext, string> = {
  code: '/login/forgot-password/code',
  passkey: '/login/forgot-password/passkey',
  password: '/login/forgot-password/new',
};

/** After these the flow cannot go on: the customer starts again. */
const FLOW_ENDING = new Set(['flow_not_found', 'flow_expired', 'flow_state', 'code_attempts_exceeded']);

const text = (v: unknown, max = 256) => (typeof v === 'string' ? v.slice(0, max) : '');

export function recoveryPages(app: FastifyInstance, deps: WebDeps): void {
  const { passwordReset, deskReset, loginIdReminder } = deps.services;
  const identifier = deps.config.passwordReset.identifier;
  const show = (req: FastifyRequest, reply: FastifyReply, draw: (v: ViewContext) => Page) => sendPage(req, reply, deps, draw(viewContext(req, reply, deps)));
  const minutes = Math.round(deps.config.login.flowTtlSeconds / 60);

  function next(reply: FastifyReply, step: ResetStep) {
    reply.setCookie(RESET_COOKIE, step.flowHandle, cookieOptions(deps.config.login.flowTtlSeconds));
    return reply.redirect(PAGE_OF[step.next], 303);
  }

  function startAgain(req: FastifyRequest, reply: FastifyReply, error: FormError) {
    reply.clearCookie(RESET_COOKIE, cookieOptions());
    return show(req, reply, (v) => views.resetStartView(v, identifier, { error }));
  }

  /** A failed step: the same screen with the message, or the first screen when the flow is over. */
  function failed(req: FastifyRequest, reply: FastifyReply, e: unknown, again: (error: FormError) => (v: ViewContext) => Page) {
    const error = pageError(req, reply, e);
    return FLOW_ENDING.has(error.code) ? startAgain(req, reply, error) : show(req, reply, again(error));
  }

  /** A step's page, drawn only while its flow waits for that step. */
  function stepPage(path: string, step: ResetNext, draw: (v: ViewContext) => Page) {
    app.get(path, async (req, reply) => {
      try {
        const now = await passwordReset.describe(req.cookies[RESET_COOKIE]);
        if (now.next !== step) return reply.redirect(PAGE_OF[now.next], 303);
        return show(req, reply, draw);
      } catch (e) {
        return startAgain(req, reply, pageError(req, reply, e));
      }
    });
  }

  app.get('/login/forgot-password', async (req, reply) => show(req, reply, (v) => views.resetStartView(v, identifier, {})));

  app.post('/login/forgot-password', async (req, reply) => {
    const form = formBody(req);
    try {
      return next(reply, await passwordReset.request({ loginId: form.loginId, identifier: identifier === 'email' ? form.email : form.birthDate }, loginContext(req)));
    } catch (e) {
      const error = pageError(req, reply, e);
      return show(req, reply, (v) => views.resetStartView(v, identifier, { error, loginId: text(form.loginId, 64), email: text(form.email), birthDate: text(form.birthDate, 16) }));
    }
  });

  stepPage('/login/forgot-password/code', 'code', (v) => views.resetCodeView(v, minutes, {}));
  app.post('/login/forgot-password/code', async (req, reply) => {
    try {
      return next(reply, await passwordReset.submitCode(req.cookies[RESET_COOKIE], formBody(req).code, loginContext(req)));
    } catch (e) {
      return failed(req, reply, e, (error) => (v) => views.resetCodeView(v, minutes, { error }));
    }
  });

  app.get('/login/forgot-password/desk-code', async (req, reply) => show(req, reply, (v) => views.deskCodeView(v, {})));
  app.post('/login/forgot-password/desk-code', async (req, reply) => {
    const form = formBody(req);
    try {
      return next(reply, await deskReset.redeem({ loginId: form.loginId, resetCode: form.resetCode }, loginContext(req)));
    } catch (e) {
      const error = pageError(req, reply, e);
      return show(req, reply, (v) => views.deskCodeView(v, { error, loginId: text(form.loginId, 64) }));
    }
  });

  stepPage('/login/forgot-password/passkey', 'passkey', (v) => views.resetPasskeyView(v, {}));
  // The page script's JSON calls (public/passkeys.js, `password-reset`).
  app.post('/login/forgot-password/passkey/options', async (req) => passwordReset.beginPasskey(req.cookies[RESET_COOKIE], loginContext(req)));
  app.post('/login/forgot-password/passkey/verify', async (req) => {
    const b = formBody(req);
    const step = await passwordReset.finishPasskey(req.cookies[RESET_COOKIE], { challengeId: b.challengeId, credential: b.credential }, loginContext(req));
    return { redirect: PAGE_OF[step.next] };
  });

  stepPage('/login/forgot-password/new', 'password', (v) => views.resetNewPasswordView(v, {}));
  app.post('/login/forgot-password/new', async (req, reply) => {
    const form = formBody(req);
    try {
      await passwordReset.complete(
        req.cookies[RESET_COOKIE],
        { tradingPassword: form.tradingPassword, newPassword: form.newPassword, newPasswordConfirmation: form.newPasswordConfirmation },
        loginContext(req),
      );
    } catch (e) {
      return failed(req, reply, e, (error) => (v) => views.resetNewPasswordView(v, { error }));
    }
    reply.clearCookie(RESET_COOKIE, cookieOptions());
    return show(req, reply, (v) => views.resetDoneView(v));
  });

  app.get('/login/forgot-id', async (req, reply) => show(req, reply, (v) => views.forgotIdView(v, identifier, {})));
  app.post('/login/forgot-id', async (req, reply) => {
    const form = formBody(req);
    try {
      await loginIdReminder.request({ email: form.email, birthDate: form.birthDate }, loginContext(req));
    } catch (e) {
      const error = pageError(req, reply, e);
      return show(req, reply, (v) => views.forgotIdView(v, identifier, { error, email: text(form.email), birthDate: text(form.birthDate, 16) }));
    }
    return show(req, reply, (v) => views.forgotIdDoneView(v));
  });
}
