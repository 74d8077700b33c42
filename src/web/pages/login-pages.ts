/** The login screens' routes: ID + password, 追加認証 (e-mailed code), ワンタイムパスワード, recovery code, and logout. Views: views/login-views.ts. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompletedLogin, LoginStep } from '../../domain/login/login-service';
import { isCompleted, type SecondStepMethod } from '../../domain/login/login-types';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, FLOW_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies';
import { formBody, pageError, sendPage, viewContext, type Page } from '../layout';
import { loginContext, sessionToken, type WebDeps } from '../request-context';
import { landingAfterLogin, loginPageArrival } from '../return-path';
import type { FormError, ViewContext } from '../views/kit';
import * as views from '../views/login-views';

/** Errors after which the flow cannot go on: the customer starts again at the login page. */
const FLOW_ENDING = new Set(['flow_not_found', 'flow_expired', 'flow_state', 'method_not_shown', 'code_attempts_exceeded']);

/** The screen of each second-step method: a new method adds its page here. */
export const STEP_PAGES: Record<SecondStepMethod, string> = {
  email_code: '/login/code',
  totp: '/login/totp',
  recovery_code: '/login/recovery',
  passkey: '/login/passkey',
};

/** The cookies a completed login leaves: the session, a newly recognised browser, no flow. */
export function setLoginCookies(reply: FastifyReply, done: CompletedLogin): void {
  reply.setCookie(SESSION_COOKIE, done.session.token, cookieOptions());
  if (done.device) reply.setCookie(DEVICE_COOKIE, done.device.token, cookieOptions(DEVICE_COOKIE_MAX_AGE));
  reply.clearCookie(FLOW_COOKIE, cookieOptions());
}

export function loginPages(app: FastifyInstance, deps: WebDeps): void {
  const { login, sessions } = deps.services;
  const show = (req: FastifyRequest, reply: FastifyReply, draw: (v: ViewContext) => Page) => sendPage(req, reply, deps, draw(viewContext(req, reply, deps)));

  function finishLogin(req: FastifyRequest, reply: FastifyReply, done: CompletedLogin) {
    setLoginCookies(reply, done);
    return reply.redirect(landingAfterLogin(req, reply), 303);
  }

  function next(req: FastifyRequest, reply: FastifyReply, step: LoginStep) {
    if (isCompleted(step)) return finishLogin(req, reply, step);
    reply.setCookie(FLOW_COOKIE, step.flowHandle, cookieOptions(deps.config.login.flowTtlSeconds));
    return reply.redirect(STEP_PAGES[step.method], 303);
  }

  function restart(req: FastifyRequest, reply: FastifyReply, error: FormError) {
    reply.clearCookie(FLOW_COOKIE, cookieOptions());
    return show(req, reply, (v) => views.loginView(v, { error }));
  }

  /** A failed step: the same screen again with the message, or the login page if the flow is over. */
  function stepFailed(req: FastifyRequest, reply: FastifyReply, e: unknown, again: (error: FormError) => (v: ViewContext) => Page) {
    const error = pageError(req, reply, e);
    return FLOW_ENDING.has(error.code) ? restart(req, reply, error) : show(req, reply, again(error));
  }

  /** A failed code or resend: the code screen is drawn from the flow as it now is. */
  async function codeStepFailed(req: FastifyRequest, reply: FastifyReply, flow: string | undefined, e: unknown) {
    const error = pageError(req, reply, e);
    const step = FLOW_ENDING.has(error.code) ? null : await login.describeCodeStep(flow).catch(() => null);
    return step ? show(req, reply, (v) => views.codeView(v, step, { error })) : restart(req, reply, error);
  }

  app.get('/login', async (req, reply) => {
    if (await sessions.check(sessionToken(req))) return reply.redirect('/', 303);
    const q = req.query as Record<string, unknown>;
    const { sessionEnded } = loginPageArrival(req, reply, q, deps.config.login.flowTtlSeconds);
    const info = q.loggedOut === '1' ? req.t('login.loggedOut') : sessionEnded ? req.t('login.sessionExpired') : undefined;
    return show(req, reply, (v) => views.loginView(v, { info }));
  });

  app.post('/login', async (req, reply) => {
    const form = formBody(req);
    const typedId = typeof form.loginId === 'string' ? form.loginId.slice(0, 64) : '';
    try {
      return next(req, reply, await login.start({ loginId: form.loginId, password: form.password }, loginContext(req)));
    } catch (e) {
      const error = pageError(req, reply, e);
      return show(req, reply, (v) => views.loginView(v, { error, loginId: typedId }));
    }
  });

  app.get('/login/code', async (req, reply) => {
    try {
      const step = await login.describeCodeStep(req.cookies[FLOW_COOKIE]);
      return show(req, reply, (v) => views.codeView(v, step, {}));
    } catch (e) {
      return restart(req, reply, pageError(req, reply, e));
    }
  });

  app.post('/login/code', async (req, reply) => {
    const flow = req.cookies[FLOW_COOKIE];
    try {
      return finishLogin(req, reply, await login.submitCode(flow, formBody(req).code, loginContext(req)));
    } catch (e) {
      return codeStepFailed(req, reply, flow, e);
    }
  });

  app.post('/login/code/resend', async (req, reply) => {
    const flow = req.cookies[FLOW_COOKIE];
    try {
      const step = await login.resendCode(flow, loginContext(req));
      return show(req, reply, (v) => views.codeView(v, step, { info: req.t('code.resent') }));
    } catch (e) {
      return codeStepFailed(req, reply, flow, e);
    }
  });

  app.get('/login/totp', async (req, reply) => {
    try {
      await login.describe(req.cookies[FLOW_COOKIE], 'totp');
      return show(req, reply, (v) => views.totpView(v, {}));
    } catch (e) {
      return restart(req, reply, pageError(req, reply, e));
    }
  });

  app.post('/login/totp', async (req, reply) => {
    try {
      return finishLogin(req, reply, await login.submitTotp(req.cookies[FLOW_COOKIE], formBody(req).code, loginContext(req)));
    } catch (e) {
      return stepFailed(req, reply, e, (error) => (v) => views.totpView(v, { error }));
    }
  });

  app.get('/login/recovery', async (req, reply) => {
    try {
      await login.describe(req.cookies[FLOW_COOKIE], 'recovery_code');
      return show(req, reply, (v) => views.recoveryView(v, {}));
    } catch (e) {
      return restart(req, reply, pageError(req, reply, e));
    }
  });

  app.post('/login/recovery', async (req, reply) => {
    try {
      return finishLogin(req, reply, await login.submitRecoveryCode(req.cookies[FLOW_COOKIE], formBody(req).recoveryCode, loginContext(req)));
    } catch (e) {
      // A wrong recovery code is told as such, not as a wrong one-time password.
      const recoveryError = (error: FormError): FormError =>
        error.code === 'totp_invalid' ? { ...error, message: req.t('error.invalid_input.recoveryCode'), fields: ['recoveryCode'] } : error;
      return stepFailed(req, reply, e, (error) => (v) => views.recoveryView(v, { error: recoveryError(error) }));
    }
  });

  // The CSRF plugin has checked the form (csrf.ts).
  app.post('/logout', async (req, reply) => {
    await login.logout(sessionToken(req), loginContext(req));
    reply.clearCookie(SESSION_COOKIE, cookieOptions());
    return reply.redirect('/login?loggedOut=1', 303);
  });
}
