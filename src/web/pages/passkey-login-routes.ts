/**
 * Passkeys at login and for step-up: 「パスキーでログイン」 (passwordless), the passkey step after
 * the password with its fallback, and the step-up that critical operations here and in the
 * trading service ask for (docs/integration.md).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { CompletedLogin } from '../../domain/login/login-service';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, FLOW_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedIn } from '../signed-in';
import * as views from '../views/passkey-views';

export function passkeyLoginRoutes(app: FastifyInstance, deps: WebDeps): void {
  const { passkeys, login } = deps.services;
  const strict = deps.config.login.passkeyPolicy === 'phishing-resistant';

  function setLoginCookies(reply: FastifyReply, done: CompletedLogin) {
    reply.setCookie(SESSION_COOKIE, done.session.token, cookieOptions());
    if (done.device) reply.setCookie(DEVICE_COOKIE, done.device.token, cookieOptions(DEVICE_COOKIE_MAX_AGE));
    reply.clearCookie(FLOW_COOKIE, cookieOptions());
  }

  app.post('/login/passkey/options', async (req) => passkeys.beginLogin(loginContext(req)));

  app.post('/login/passkey/second-factor/options', async (req) => passkeys.beginSecondFactor(req.cookies[FLOW_COOKIE]));

  app.post('/login/passkey/verify', async (req, reply) => {
    const b = formBody(req);
    setLoginCookies(reply, await passkeys.finishLogin({ challengeId: b.challengeId, credential: b.credential }, loginContext(req)));
    return { redirect: '/' };
  });

  app.get('/login/passkey', async (req, reply) => {
    try {
      await login.assertFlow(req.cookies[FLOW_COOKIE], 'awaiting_passkey');
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reply.clearCookie(FLOW_COOKIE, cookieOptions());
      return reply.redirect('/login', 303);
    }
    return sendPage(req, reply, deps, views.passkeyStepView(viewContext(req, reply, deps), { fallback: !strict }));
  });

  app.post('/login/passkey/fallback', async (req, reply) => {
    try {
      const step = await login.fallbackFromPasskey(req.cookies[FLOW_COOKIE], loginContext(req));
      return reply.redirect(step.state === 'awaiting_code' ? '/login/code' : '/login/totp', 303);
    } catch (e) {
      return sendPage(req, reply, deps, views.passkeyStepFailedView(viewContext(req, reply, deps), pageError(req, reply, e)));
    }
  });

  // Step-up: a JSON API of the signed-in session.
  app.register(
    signedIn(deps, 'api-error', (scope) => {
      scope.post('/api/v1/step-up/options', async (req) => passkeys.beginStepUp(req.session!.accountId));
      scope.post('/api/v1/step-up/verify', async (req) => {
        const b = formBody(req);
        const at = await passkeys.finishStepUp(req.session!, { challengeId: b.challengeId, credential: b.credential }, loginContext(req));
        return { stepUpAt: at.toISOString() };
      });
    }),
  );
}
