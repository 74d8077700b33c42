/**
 * The JSON side of step-up (docs/integration.md, docs/api.md): the browser's page script and the
 * app (bearer token) ask for options or a code and send the proof; the trading service spends
 * the grant (`consume`) and checks a trading password (`trading-password/verify`), with the
 * customer's session, cookie or bearer.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import { apiError } from '../errors';
import { formBody } from '../layout';
import { loginContext, sessionToken, type WebDeps } from '../request-context';
import { signedIn, signedInAccount } from '../signed-in';
import { handOverRenewedToken } from '../step-up-session';

export function stepUpApi(app: FastifyInstance, deps: WebDeps): void {
  const { stepUp, tradingPassword } = deps.services;
  app.register(
    signedIn(deps, 'api-error', (scope) => {
      // No purpose: Mamori's own step-up before a critical change (passkey only, no grant).
      scope.post('/api/v1/step-up/options', async (req) => stepUp.begin(signedInAccount(req), stepUp.parsePurpose(formBody(req).purpose, true)));

      scope.post('/api/v1/step-up/code', async (req) => {
        const purpose = stepUp.parsePurpose(formBody(req).purpose)!;
        const sent = await stepUp.sendCode(signedInAccount(req), req.session!, purpose, loginContext(req));
        return { maskedAddress: sent.masked, expiresAt: sent.expiresAt.toISOString(), resendAvailableAt: sent.resendAvailableAt.toISOString() };
      });

      scope.post('/api/v1/step-up/verify', async (req, reply) => {
        const b = formBody(req);
        const purpose = stepUp.parsePurpose(b.purpose, true);
        const intent = stepUp.parseIntent(b.intent);
        const done = await stepUp.finish(signedInAccount(req), req.session!, purpose, intent, { challengeId: b.challengeId, credential: b.credential, code: b.code }, loginContext(req));
        return {
          method: done.method,
          stepUpAt: done.method === 'passkey' ? done.at.toISOString() : null,
          ...(purpose ? { purpose } : {}),
          ...handOverRenewedToken(req, reply, done.token),
        };
      });

      scope.post('/api/v1/step-up/consume', async (req) => {
        const b = formBody(req);
        const spent = await stepUp.consume(req.session!, sessionToken(req) ?? '', b.purpose, b.intent, loginContext(req));
        return { purpose: b.purpose, method: spent.method, steppedUpAt: spent.grantedAt.toISOString() };
      });

      scope.post('/api/v1/trading-password/verify', async (req, reply) => {
        try {
          await tradingPassword.verifyForTradingService(signedInAccount(req), formBody(req).tradingPassword, loginContext(req));
          return { verified: true };
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== 'trading_password_invalid') throw e;
          // The tries left, as a number too, so the trading service can say it in its own words.
          const body = apiError(e, req.t);
          return reply.status(401).send({ error: { ...body.error, triesLeft: Number(e.details.remaining) } });
        }
      });
    }),
  );
}
