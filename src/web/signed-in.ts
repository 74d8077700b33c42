/**
 * The one place that says who is asking: a Fastify plugin for the signed-in pages and API routes
 * registered inside it. It checks the session and loads its account once per request, before the
 * handler (and before the CSRF check, as the per-route guard did): pages without a live session go
 * to the login page (saying the session ended, and keeping the page asked for), API routes answer `session_invalid`. Handlers read `req.session` and
 * `signedInAccount(req)`; none loads the account itself.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import type { Account } from '../domain/accounts/records';
import { SESSION_COOKIE, cookieOptions } from './cookies';
import { sessionToken, type WebDeps } from './request-context';
import { rememberEndedSession } from './return-path';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the signed-in plugin, with `session`. */
    account: Account | null;
  }
}

export type WithoutSession = 'login-page' | 'api-error';

/** Where a customer whose password the desk asked to change is kept (security-pages.ts). */
const PASSWORD_CHANGE_PAGE = '/account/password';
const PASSWORD_CHANGE_PATHS = new Set([PASSWORD_CHANGE_PAGE, '/api/v1/account/password']);

export function signedIn(deps: WebDeps, withoutSession: WithoutSession, routes: (app: FastifyInstance) => void) {
  return async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('preValidation', async (req, reply) => {
      const session = await deps.services.sessions.check(sessionToken(req));
      const account = session ? await deps.services.accounts.find(session.accountId) : null;
      if (!session || !account) {
        if (withoutSession === 'api-error') throw new DomainError('session_invalid');
        // A session that ended (its cookie still sent) is said on the login page; its cookie goes.
        if (sessionToken(req) !== null) {
          reply.clearCookie(SESSION_COOKIE, cookieOptions());
          rememberEndedSession(req, reply, deps.config.login.flowTtlSeconds);
        }
        return reply.redirect('/login', 303);
      }
      req.session = session;
      req.account = account;
      // The desk's "must change at next login": nothing but the change until it is done.
      if (account.passwordChangeRequiredAt && !PASSWORD_CHANGE_PATHS.has(req.routeOptions.url ?? '')) {
        if (withoutSession === 'api-error') throw new DomainError('password_change_required');
        return reply.redirect(PASSWORD_CHANGE_PAGE, 303);
      }
    });
    routes(scope);
  };
}

/** The account of a route inside the signed-in plugin. */
export function signedInAccount(req: FastifyRequest): Account {
  if (!req.account) throw new DomainError('session_invalid');
  return req.account;
}
