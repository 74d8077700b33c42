/**
 * `/step-up?purpose=…&intent=…&return_to=/path`: the trading service sends the customer here before
 * a withdrawal or a change of the withdrawal account. Every parameter is checked before anything
 * is drawn; a bad one gets a plain page, never a redirect (return_to is a path of this site only,
 * as after a login: return-path.ts). After the step-up the browser has a new session cookie and
 * goes back to return_to, where the trading service spends the grant.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { safeReturnPath } from '../return-path';
import { signedIn, signedInAccount } from '../signed-in';
import { handOverRenewedToken } from '../step-up-session';
import type { FormError } from '../views/kit';
import { stepUpBadRequestView, stepUpView, type StepUpRequest } from '../views/step-up-views';

export function stepUpPages(app: FastifyInstance, deps: WebDeps): void {
  const { stepUp } = deps.services;

  function parseRequest(q: Record<string, unknown>): StepUpRequest {
    const purpose = stepUp.parsePurpose(q.purpose)!;
    const intent = stepUp.parseIntent(q.intent);
    const returnTo = safeReturnPath(q.return_to);
    if (!returnTo) throw new InvalidInput('return_to', q.return_to === undefined ? 'required' : 'format');
    return { purpose, intent, returnTo };
  }

  /** The checked request, or the page saying what was wrong with it (sent; null returned). */
  function requestOr400(req: FastifyRequest, reply: FastifyReply, q: unknown): StepUpRequest | null {
    try {
      return parseRequest(typeof q === 'object' && q !== null ? (q as Record<string, unknown>) : {});
    } catch (e) {
      sendPage(req, reply, deps, stepUpBadRequestView(viewContext(req, reply, deps), pageError(req, reply, e)));
      return null;
    }
  }

  async function draw(req: FastifyRequest, reply: FastifyReply, r: StepUpRequest, error?: FormError) {
    const account = signedInAccount(req);
    const method = await stepUp.method(account);
    const cooling = method === 'passkey' ? await stepUp.blockedByCoolingOff(account, r.purpose) : null;
    const sent = method === 'email_code' ? await stepUp.sentCode(account, req.session!, r.purpose) : null;
    const blocked = cooling ? pageError(req, reply, cooling) : null;
    return sendPage(req, reply, deps, stepUpView(viewContext(req, reply, deps), { ...r, method, sent, error, blocked }));
  }

  app.register(
    signedIn(deps, 'login-page', (pages) => {
      pages.get('/step-up', async (req, reply) => {
        const r = requestOr400(req, reply, req.query);
        return r ? draw(req, reply, r) : reply;
      });

      // 「確認コードをメールで送信」 for a customer without a passkey and without TOTP.
      pages.post('/step-up/code', async (req, reply) => {
        const r = requestOr400(req, reply, formBody(req));
        if (!r) return reply;
        try {
          await stepUp.sendCode(signedInAccount(req), req.session!, r.purpose, loginContext(req));
          return await draw(req, reply, r);
        } catch (e) {
          return draw(req, reply, r, pageError(req, reply, e));
        }
      });

      // The typed code (TOTP or mailed); the passkey goes through /api/v1/step-up/verify.
      pages.post('/step-up', async (req, reply) => {
        const b = formBody(req);
        const r = requestOr400(req, reply, b);
        if (!r) return reply;
        try {
          const done = await stepUp.finish(signedInAccount(req), req.session!, r.purpose, r.intent, { code: b.code }, loginContext(req));
          handOverRenewedToken(req, reply, done.token);
          return reply.redirect(r.returnTo, 303);
        } catch (e) {
          return draw(req, reply, r, pageError(req, reply, e));
        }
      });
    }),
  );
}
