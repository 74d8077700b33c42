/**
 * The customer's live sessions through the JSON API (the mobile app; bearer token or cookie):
 * the same list, ログアウト of one and 他のすべての端末からログアウト as セキュリティ設定.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionView } from '../../domain/sessions/customer-sessions';
import { loginContext, type WebDeps } from '../request-context';
import { signedIn, signedInAccount } from '../signed-in';

const asJson = (s: SessionView) => ({
  id: s.id,
  current: s.current,
  browser: s.browser,
  os: s.os,
  ip: s.ip,
  country: s.country,
  startedAt: s.startedAt.toISOString(),
  lastSeenAt: s.lastSeenAt.toISOString(),
  method: s.method,
});

export function sessionsApi(deps: WebDeps) {
  const { customerSessions } = deps.services;
  const inSession = (req: FastifyRequest) => ({ ...loginContext(req), sessionId: req.session!.id });
  return signedIn(deps, 'api-error', (api: FastifyInstance) => {
    api.get('/api/v1/sessions', async (req) => ({ sessions: (await customerSessions.list(signedInAccount(req), req.session!.id)).map(asJson) }));
    api.delete('/api/v1/sessions/:id', async (req, reply) => {
      await customerSessions.end(signedInAccount(req), (req.params as { id: string }).id, inSession(req));
      return reply.status(204).send();
    });
    api.post('/api/v1/sessions/logout-others', async (req) => ({ ended: await customerSessions.endOthers(signedInAccount(req), inSession(req)) }));
  });
}
