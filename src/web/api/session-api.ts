/**
 * The check the trading service makes on every one of its requests (directly, or through
 * nginx `auth_request`): one indexed read by the token's keyed hash, no password hashing.
 * The listening server answers it before Fastify (fast-paths.ts) with the same function.
 */
import type { FastifyInstance } from 'fastify';
import { SESSION_CHECK_PATH, answerSessionCheck } from '../session-check';
import { loginContext, sessionToken, type WebDeps } from '../request-context';

export function sessionApi(app: FastifyInstance, deps: WebDeps): void {
  const { sessions, login, ports } = deps.services;

  app.get(SESSION_CHECK_PATH, async (req, reply) => {
    const answer = await answerSessionCheck({ sessions, store: ports.store }, { cookies: req.cookies, authorization: req.headers.authorization, locale: req.locale });
    if (answer.bug) req.log.error({ err: answer.bug }, 'session check failed');
    return reply.status(answer.status).headers(answer.headers).type('application/json; charset=utf-8').send(answer.body);
  });

  app.post('/api/v1/logout', async (req, reply) => {
    await login.logout(sessionToken(req), loginContext(req));
    return reply.status(204).send();
  });
}
