/**
 * Logging in with a passkey, for the login page's script: 「パスキーでログイン」 (passwordless) and
 * the passkey step after the password, with its 「パスキーを使えない場合」 button.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { CompletedLogin } from '../../domain/login/login-service';
import { FLOW_COOKIE, cookieOptions } from '../cookies';
import { assertCsrf, csrfField } from '../csrf';
import { messageOf, statusOf } from '../errors';
import { html } from '../html';
import { alertBox, renderPage } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { STEP_PAGES } from './login-pages';

type Body = Record<string, unknown>;

const body = (req: FastifyRequest): Body => {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Body) : {};
};

export function passkeyLoginPages(app: FastifyInstance, deps: WebDeps, setLoginCookies: (reply: FastifyReply, done: CompletedLogin) => void): void {
  const { login, ports, brand } = deps.services;
  const { keyed, random } = ports;

  app.post('/login/passkey/options', async (req) => {
    assertCsrf(req, keyed);
    return login.beginPasswordless(loginContext(req));
  });

  app.post('/login/passkey/second-factor/options', async (req) => {
    assertCsrf(req, keyed);
    return (await login.begin(req.cookies[FLOW_COOKIE], 'passkey', loginContext(req))).challenge;
  });

  app.post('/login/passkey/verify', async (req, reply) => {
    assertCsrf(req, keyed);
    const b = body(req);
    setLoginCookies(reply, await login.finishPasskey({ challengeId: b.challengeId, credential: b.credential }, loginContext(req)));
    return { redirect: '/' };
  });

  app.get('/login/passkey', async (req, reply) => {
    const { t } = req;
    let fallback;
    try {
      fallback = (await login.describe(req.cookies[FLOW_COOKIE], 'passkey')).fallback;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reply.clearCookie(FLOW_COOKIE, cookieOptions());
      return reply.redirect('/login', 303);
    }
    const csrf = csrfField(req, reply, keyed, random);
    const fallbackHtml = fallback
      ? html`<form method="post" action="/login/passkey/fallback" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">${t('passkey.fallbackCode')}</button></form>`
      : html`<p class="note help">${t('passkey.noFallback', { phone: brand.supportPhone })}</p>`;
    const bodyHtml = html`
      <p>${t('passkey.stepLead')}</p>
      <div class="card"><input type="hidden" name="_csrf" value="${csrf}"><button type="button" class="primary" data-passkey="second-factor">${t('passkey.authenticate')}</button></div>
      ${fallbackHtml}
      <p><a href="/login">${t('code.restart')}</a></p>`;
    return renderPage(req, reply, deps, { title: t('passkey.stepTitle'), body: bodyHtml });
  });

  app.post('/login/passkey/fallback', async (req, reply) => {
    try {
      assertCsrf(req, keyed);
      const step = await login.fallbackFromPasskey(req.cookies[FLOW_COOKIE], loginContext(req));
      return reply.redirect(STEP_PAGES[step.method], 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderPage(req, reply, deps, { title: req.t('passkey.stepTitle'), body: html`${alertBox(messageOf(e, req.t))}<p><a href="/login">${req.t('code.restart')}</a></p>`, status: statusOf(e.code) });
    }
  });
}
