/** The login screens: ID + password, 追加認証 (e-mailed code), ワンタイムパスワード, and logout. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { CodeStep, CompletedLogin, LoginStep } from '../../domain/login/login-service';
import { isCompleted, type SecondStepMethod } from '../../domain/login/login-types';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, FLOW_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies';
import { csrfField } from '../csrf';
import { messageOf, retryAfterOf, statusOf } from '../errors';
import { html } from '../html';
import { alertBox, passwordInput, renderPage } from '../layout';
import { loginContext, sessionToken, type WebDeps } from '../request-context';

/** The screen of each second-step method: a new method adds its page here. */
/** The cookies a completed login leaves: the session, a newly recognised browser, no flow. */
export function setLoginCookies(reply: FastifyReply, done: CompletedLogin): void {
  reply.setCookie(SESSION_COOKIE, done.session.token, cookieOptions());
  if (done.device) reply.setCookie(DEVICE_COOKIE, done.device.token, cookieOptions(DEVICE_COOKIE_MAX_AGE));
  reply.clearCookie(FLOW_COOKIE, cookieOptions());
}

export const STEP_PAGES: Record<SecondStepMethod, string> = {
  email_code: '/login/code',
  totp: '/login/totp',
  recovery_code: '/login/recovery',
  passkey: '/login/passkey',
};

/** Errors after which the flow cannot go on: the customer starts again at the login page. */
const FLOW_ENDING = new Set(['flow_not_found', 'flow_expired', 'flow_state', 'method_not_shown', 'code_attempts_exceeded']);

interface Form {
  _csrf?: unknown;
  loginId?: unknown;
  password?: unknown;
  code?: unknown;
}

export function loginPages(app: FastifyInstance, deps: WebDeps): void {
  const { login, sessions, ports } = deps.services;
  const { keyed, random, clock } = ports;

  function renderLogin(req: FastifyRequest, reply: FastifyReply, o: { error?: string; info?: string; loginId?: string; status?: number } = {}) {
    const { t } = req;
    const body = html`
    ${alertBox(o.error)}${alertBox(o.info, 'info')}
    <form method="post" action="/login" class="card" novalidate>
      <input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">
      <div class="field">
        <label for="loginId">${t('login.loginId')}</label>
        <input id="loginId" name="loginId" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" value="${o.loginId ?? ''}" required>
      </div>
      ${passwordInput('password', 'password', t('login.password'), t('common.showPassword'), { autocomplete: 'current-password' })}
      <button type="submit" class="primary">${t('login.submit')}</button>
    </form>
    <section class="passkey-login">
      <button type="button" class="secondary" data-passkey="login">${t('passkey.login')}</button>
      <p class="note">${t('passkey.loginNote')}</p>
    </section>
    <p class="note">${t('login.notice')}</p>`;
    return renderPage(req, reply, deps, { title: t('login.title'), body, status: o.status });
  }

  function renderCode(req: FastifyRequest, reply: FastifyReply, step: CodeStep, o: { error?: string; info?: string; status?: number } = {}) {
    const { t } = req;
    const now = clock.now();
    const { resendAvailableAt, codeExpiresAt, mailDelayed, maskedAddress } = step.details;
    const wait = Math.max(0, Math.ceil((resendAvailableAt.getTime() - now.getTime()) / 1000));
    const minutes = Math.max(1, Math.round((codeExpiresAt.getTime() - now.getTime()) / 60_000));
    const csrf = csrfField(req, reply, keyed, random);
    const body = html`
    ${alertBox(o.error)}${alertBox(o.info, 'info')}${mailDelayed ? alertBox(t('error.mail_delayed'), 'info') : html``}
    <p>${t('code.sentTo', { address: maskedAddress })}</p>
    <p class="note">${t('code.validity', { minutes })}</p>
    <form method="post" action="/login/code" class="card" novalidate>
      <input type="hidden" name="_csrf" value="${csrf}">
      <div class="field">
        <label for="code">${t('code.label')}</label>
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required>
      </div>
      <button type="submit" class="primary">${t('code.submit')}</button>
    </form>
    <form method="post" action="/login/code/resend" class="inline">
      <input type="hidden" name="_csrf" value="${csrf}">
      <button type="submit" class="secondary" data-enable-after="${wait}">${t('code.resend')}</button>
      ${wait > 0 ? html`<span class="note" data-countdown="${wait}">${t('code.resendWait', { seconds: wait })}</span>` : html``}
    </form>
    <p class="note help">${t('code.noMail', { phone: deps.services.brand.supportPhone })}</p>
    <p><a href="/login">${t('code.restart')}</a></p>`;
    return renderPage(req, reply, deps, { title: t('code.title'), body, status: o.status });
  }

  function renderTotp(req: FastifyRequest, reply: FastifyReply, o: { error?: string; status?: number } = {}) {
    const { t } = req;
    const body = html`
    ${alertBox(o.error)}
    <p>${t('totp.instructions')}</p>
    <form method="post" action="/login/totp" class="card" novalidate>
      <input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">
      ${passwordInput('totp', 'code', t('totp.label'), t('common.showPassword'), { autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 12 })}
      <button type="submit" class="primary">${t('totp.submit')}</button>
    </form>
    <p><a href="/login/recovery">${t('totp.useRecovery')}</a></p>
    <p class="note help">${t('totp.lost', { phone: deps.services.brand.supportPhone })}</p>
    <p><a href="/login">${t('code.restart')}</a></p>`;
    return renderPage(req, reply, deps, { title: t('totp.title'), body, status: o.status });
  }

  function renderRecovery(req: FastifyRequest, reply: FastifyReply, o: { error?: string; status?: number } = {}) {
    const { t } = req;
    const body = html`
    ${alertBox(o.error)}
    <p>${t('recovery.instructions')}</p>
    <form method="post" action="/login/recovery" class="card" novalidate>
      <input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">
      <div class="field">
        <label for="recoveryCode">${t('recovery.label')}</label>
        <input id="recoveryCode" name="recoveryCode" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="24" required>
      </div>
      <button type="submit" class="primary">${t('totp.submit')}</button>
    </form>
    <p><a href="/login/totp">${t('recovery.backToTotp')}</a></p>
    <p class="note help">${t('totp.lost', { phone: deps.services.brand.supportPhone })}</p>`;
    return renderPage(req, reply, deps, { title: t('recovery.title'), body, status: o.status });
  }

  function finishLogin(reply: FastifyReply, done: CompletedLogin) {
    setLoginCookies(reply, done);
    return reply.redirect('/', 303);
  }

  function next(reply: FastifyReply, step: LoginStep) {
    if (isCompleted(step)) return finishLogin(reply, step);
    reply.setCookie(FLOW_COOKIE, step.flowHandle, cookieOptions(deps.config.login.flowTtlSeconds));
    return reply.redirect(STEP_PAGES[step.method], 303);
  }

  function fail(req: FastifyRequest, reply: FastifyReply, err: unknown): DomainError {
    if (!(err instanceof DomainError)) throw err;
    const retry = retryAfterOf(err);
    if (retry) reply.header('Retry-After', String(retry));
    return err;
  }

  function restart(req: FastifyRequest, reply: FastifyReply, err: DomainError) {
    reply.clearCookie(FLOW_COOKIE, cookieOptions());
    return renderLogin(req, reply, { error: messageOf(err, req.t), status: statusOf(err.code) });
  }

  /** A failed code or resend: the code screen again with the message, or the login page if the flow is over. */
  async function codeStepFailed(req: FastifyRequest, reply: FastifyReply, flow: string | undefined, e: unknown) {
    const err = fail(req, reply, e);
    if (FLOW_ENDING.has(err.code)) return restart(req, reply, err);
    const step = await login.describeCodeStep(flow).catch(() => null);
    if (!step) return restart(req, reply, err);
    return renderCode(req, reply, step, { error: messageOf(err, req.t), status: statusOf(err.code) });
  }

  app.get('/login', async (req, reply) => {
    if (await sessions.check(sessionToken(req))) return reply.redirect('/', 303);
    const q = req.query as Record<string, unknown>;
    return renderLogin(req, reply, { info: q.loggedOut === '1' ? req.t('login.loggedOut') : undefined });
  });

  app.post('/login', async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const typedId = typeof form.loginId === 'string' ? form.loginId.slice(0, 64) : '';
    try {
      return next(reply, await login.start({ loginId: form.loginId, password: form.password }, loginContext(req)));
    } catch (e) {
      const err = fail(req, reply, e);
      return renderLogin(req, reply, { error: messageOf(err, req.t), loginId: typedId, status: statusOf(err.code) });
    }
  });

  app.get('/login/code', async (req, reply) => {
    try {
      return renderCode(req, reply, await login.describeCodeStep(req.cookies[FLOW_COOKIE]));
    } catch (e) {
      return restart(req, reply, fail(req, reply, e));
    }
  });

  app.post('/login/code', async (req, reply) => {
    const flow = req.cookies[FLOW_COOKIE];
    const form = (req.body ?? {}) as Form;
    try {
      return finishLogin(reply, await login.submitCode(flow, form.code, loginContext(req)));
    } catch (e) {
      return codeStepFailed(req, reply, flow, e);
    }
  });

  app.post('/login/code/resend', async (req, reply) => {
    const flow = req.cookies[FLOW_COOKIE];
    try {
      const step = await login.resendCode(flow, loginContext(req));
      return renderCode(req, reply, step, { info: req.t('code.resent') });
    } catch (e) {
      return codeStepFailed(req, reply, flow, e);
    }
  });

  app.get('/login/totp', async (req, reply) => {
    try {
      await login.describe(req.cookies[FLOW_COOKIE], 'totp');
      return renderTotp(req, reply);
    } catch (e) {
      return restart(req, reply, fail(req, reply, e));
    }
  });

  app.post('/login/totp', async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    try {
      return finishLogin(reply, await login.submitTotp(req.cookies[FLOW_COOKIE], form.code, loginContext(req)));
    } catch (e) {
      const err = fail(req, reply, e);
      if (FLOW_ENDING.has(err.code)) return restart(req, reply, err);
      return renderTotp(req, reply, { error: messageOf(err, req.t), status: statusOf(err.code) });
    }
  });

  app.get('/login/recovery', async (req, reply) => {
    try {
      await login.describe(req.cookies[FLOW_COOKIE], 'recovery_code');
      return renderRecovery(req, reply);
    } catch (e) {
      return restart(req, reply, fail(req, reply, e));
    }
  });

  app.post('/login/recovery', async (req, reply) => {
    const form = (req.body ?? {}) as Form & { recoveryCode?: unknown };
    try {
      return finishLogin(reply, await login.submitRecoveryCode(req.cookies[FLOW_COOKIE], form.recoveryCode, loginContext(req)));
    } catch (e) {
      const err = fail(req, reply, e);
      if (FLOW_ENDING.has(err.code)) return restart(req, reply, err);
      return renderRecovery(req, reply, { error: err.code === 'totp_invalid' ? req.t('error.invalid_input.recoveryCode') : messageOf(err, req.t), status: statusOf(err.code) });
    }
  });

  app.post('/logout', async (req, reply) => {
    try {
    } catch (e) {
      const err = fail(req, reply, e);
      return renderLogin(req, reply, { error: messageOf(err, req.t), status: statusOf(err.code) });
    }
    await login.logout(sessionToken(req), loginContext(req));
    reply.clearCookie(SESSION_COOKIE, cookieOptions());
    return reply.redirect('/login?loggedOut=1', 303);
  });
}
