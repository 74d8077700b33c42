/**
 * The answer to the trading service's session check, as bytes: shared by the Fastify route (used
 * by `app.inject` and HEAD) and by the fast path that the listening server takes for
 * `GET /api/v1/session` (fast-paths.ts).
 */
import { DomainError } from '../domain/errors';
import type { SessionService } from '../domain/sessions/session-service';
import type { Translate } from '../i18n';
import { apiError } from './errors';

export interface SessionAnswer {
  status: 200 | 401;
  body: string;
  loginId: string | null;
}

export async function answerSessionCheck(sessions: SessionService, token: string | null, t: Translate): Promise<SessionAnswer> {
  const session = await sessions.check(token);
  if (!session) return { status: 401, body: JSON.stringify(apiError(new DomainError('session_invalid'), t)), loginId: null };
  const body = JSON.stringify({
    loginId: session.loginId,
    name: session.name,
    authenticatedAt: session.authenticatedAt.toISOString(),
    method: session.method,
    stepUpAt: session.stepUpAt ? session.stepUpAt.toISOString() : null,
    expiresAt: new Date(Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())).toISOString(),
  });
  return { status: 200, body, loginId: session.loginId };
}
