/**
 * The answer to the trading service's session check, as bytes: shared by the Fastify route (used
 * by `app.inject` and HEAD) and by the fast path that the listening server takes for
 * `GET /api/v1/session` (fast-session-check.ts).
 */
import { DomainError } from '../domain/errors';
import type { SessionService } from '../domain/sessions/session-service';
import type { SessionWithAccount } from '../domain/store-types';
import type { Translate } from '../i18n';
import { apiError } from './errors';

export interface SessionAnswer {
  status: 200 | 401;
  body: string;
  loginId: string | null;
}

/**
 * The session cache hands out the same object for as long as an entry lives (and a new one after
 * any change), so the rendered answer can be kept with it: a repeated check serialises nothing.
 */
const rendered = new WeakMap<SessionWithAccount, SessionAnswer>();

export async function answerSessionCheck(sessions: SessionService, token: string | null, t: Translate): Promise<SessionAnswer> {
  const session = await sessions.check(token);
  if (!session) return { status: 401, body: JSON.stringify(apiError(new DomainError('session_invalid'), t)), loginId: null };
  let answer = rendered.get(session);
  if (!answer) {
    const body = JSON.stringify({
      loginId: session.loginId,
      name: session.name,
      authenticatedAt: session.authenticatedAt.toISOString(),
      method: session.method,
      stepUpAt: session.stepUpAt ? session.stepUpAt.toISOString() : null,
      expiresAt: new Date(Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())).toISOString(),
    });
    answer = { status: 200, body, loginId: session.loginId };
    rendered.set(session, answer);
  }
  return answer;
}
