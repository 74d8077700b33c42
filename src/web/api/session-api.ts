/**
 * The check the trading service makes on every one of its requests (directly, or through
 * nginx `auth_request`): one indexed read by the token's keyed hash, no password hashing.
 */
import type { FastifyInstance } from 'fastify';
import { answerSessionCheck } from '../session-answer';
import { loginContext, sessionToken, type WebDeps } from '../request-context';

export function sessionApi(app: FastifyInstance, deps: WebDeps): void {
  const { sessions, login } = deps.services;

  app.get('/api/v1/session', async (req, reply) => {
    const answer = await answerSessionCheck(sessions, sessionToken(req), req.t);
    reply.header('Cache-Control', 'no-store');
    // For nginx auth_request, which passes headers (not bodies) on to the trading application.
    if (answer.loginId) reply.header('X-Mamori-Login-Id', answer.loginId);
    return reply.status(answer.status).type('application/json; charset=utf-8').send(answer.body);
  });

  app.post('/api/v1/logout', async (req, reply) => {
    await login.logout(sessionToken(req), loginContext(req));
    return reply.status(204).send();
  });
}
