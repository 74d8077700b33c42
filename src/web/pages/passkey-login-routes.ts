/**
 * Passkeys at login: 「パスキーでログイン」 (passwordless) and the passkey step after the password
 * with its fallback.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import { FLOW_COOKIE, cookieOptions } from '../cookies';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { landingAfterLogin } from '../return-path';
import * as views from '../views/passkey-views';
import { STEP_PAGES, setLoginCookies } from './login-pages';

export function passkeyLoginRoutes(app: FastifyInstance, deps: WebDeps): void {
  const { login } = deps.services;

  app.post('/login/passkey/options', async (req) => login.beginPasswordless(loginContext(req)));

  app.post('/login/passkey/second-factor/options', async (req) => (await login.begin(req.cookies[FLOW_COOKIE], 'passkey', loginContext(req))).challenge);

  app.post('/login/passkey/verify', async (req, reply) => {
    const b = formBody(req);
    // The challenge says whether this is the flow's second step or a passwordless login.
    setLoginCookies(reply, await login.finishPasskey({ challengeId: b.challengeId, credential: b.credential }, loginContext(req)));
    return { redirect: landingAfterLogin(req, reply) };
  });

  app.get('/login/passkey', async (req, reply) => {
    let fallback;
    try {
      fallback = (await login.describe(req.cookies[FLOW_COOKIE], 'passkey')).fallback;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reply.clearCookie(FLOW_COOKIE, cookieOptions());
      return reply.redirect('/login', 303);
    }
    // The flow says whether there is another way (none under the phishing-resistant policy).
    return sendPage(req, reply, deps, views.passkeyStepView(viewContext(req, reply, deps), { fallback }));
  });

  app.post('/login/passkey/fallback', async (req, reply) => {
    try {
      const step = await login.fallbackFromPasskey(req.cookies[FLOW_COOKIE], loginContext(req));
      return reply.redirect(STEP_PAGES[step.method], 303);
    } catch (e) {
      return sendPage(req, reply, deps, views.passkeyStepFailedView(viewContext(req, reply, deps), pageError(req, reply, e)));
    }
  });
  // Step-up (here and for the trading service) is step-up-pages.ts and api/step-up-api.ts.
}
