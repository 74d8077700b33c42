/**
 * The check the trading service makes on every one of its requests (directly, or through
 * nginx `auth_request`): one indexed read by the token's keyed hash, no password hashing.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import { apiError } from '../errors';
import { loginContext, sessionToken, type WebDeps } from '../request-context';

export function sessionApi(app: FastifyInstance, deps: WebDeps): void {
  const { sessions, login } = deps.services;

  app.get('/api/v1/session', async (req, reply) => {
    const session = await sessions.check(sessionToken(req));
    reply.header('Cache-Control', 'no-store');
    if (!session) return reply.status(401).send(apiError(new DomainError('session_invalid'), req.t));
    // For nginx auth_request, which passes headers (not bodies) on to the trading application.
    reply.header('X-Mamori-Login-Id', session.loginId);
    return {
      loginId: session.loginId,
      name: session.name,
      authenticatedAt: session.authenticatedAt.toISOString(),
      method: session.method,
      stepUpAt: session.stepUpAt ? session.stepUpAt.toISOString() : null,
      expiresAt: new Date(Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())).toISOString(),
    };
  });

  app.post('/api/v1/logout', async (req, reply) => {
    await login.logout(sessionToken(req), loginContext(req));
    return reply.status(204).send();
  });
}
