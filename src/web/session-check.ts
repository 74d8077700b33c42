/**
 * The session check (`GET /api/v1/session`, and HEAD) as one function of the request's parts,
 * answered byte for byte alike by the Fastify route (session-api.ts: app.inject, the support of
 * every hook) and by the fast path the listening server takes before Fastify (fast-paths.ts).
 * The trading service makes this check on every one of its own requests.
 */
import { parse as parseQuery } from 'node:querystring';
import { DomainError } from '../domain/errors';
import type { SessionService } from '../domain/sessions/session-service';
import { authMethodsOf, isPhishingResistant } from '../domain/sessions/auth-methods';
import type { ActiveSession } from '../domain/sessions/records';
import type { Store } from '../domain/ports';
import { translator, type Locale } from '../i18n';
import { SESSION_COOKIE } from './cookies';
import { apiError } from './errors';
import { failureAnswer } from './failures';

export const SESSION_CHECK_PATH = '/api/v1/session';

/** The session cookie, else the bearer token the brokerage's mobile app holds itself. */
export function tokenFrom(cookies: Record<string, string | undefined>, authorization: string | undefined): string | null {
  const fromCookie = cookies[SESSION_COOKIE];
  if (fromCookie) return fromCookie;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7).trim();
  return null;
}

/** `lang` from a raw URL, parsed as Fastify's query parser does (a repeated key is an array). */
export function queryLangOf(url: string): unknown {
  const q = url.indexOf('?');
  return q < 0 ? undefined : parseQuery(url.slice(q + 1)).lang;
}

export interface SessionCheckRequest {
  cookies: Record<string, string | undefined>;
  authorization: string | undefined;
  locale: Locale;
}

export interface SessionCheckAnswer {
  status: number;
  /** Besides the security headers and Content-Type, which every JSON answer carries. */
  headers: Record<string, string>;
  body: string;
  /** An unexpected failure, for the caller's log. */
  bug?: unknown;
}

/**
 * The 200 answer, written once per cached session object: a cached ActiveSession never changes (a
 * touch, a step-up or a logout replaces or drops it), and most checks at 09:00 are answered from
 * the cache, so serialising it again on each of them was measurable work (docs/performance.md).
 * The headers are for nginx auth_request, which passes headers (not bodies) on to the trading
 * application: who, how they got in, and whether that was phishing-resistant.
 */
const answers = new WeakMap<ActiveSession, SessionCheckAnswer>();

/** The same object for every check of one cached session, so that a caller can key its own work on it (fast-paths.ts). */
function answerOf(session: ActiveSession): SessionCheckAnswer {
  let answer = answers.get(session);
  if (answer === undefined) {
    const authMethods = authMethodsOf(session);
    const phishingResistant = isPhishingResistant(session);
    const body = JSON.stringify({
      loginId: session.loginId,
      name: session.name,
      authenticatedAt: session.authenticatedAt.toISOString(),
      method: session.method,
      stepUpAt: session.stepUpAt ? session.stepUpAt.toISOString() : null,
      authMethods,
      phishingResistant,
      expiresAt: new Date(Math.min(session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime())).toISOString(),
    });
    const headers = { 'X-Mamori-Login-Id': session.loginId, 'X-Mamori-Auth-Methods': authMethods.join(','), 'X-Mamori-Phishing-Resistant': String(phishingResistant) };
    answer = { status: 200, headers, body };
    answers.set(session, answer);
  }
  return answer;
}

/**
 * The answer, at once when the session service can give it without the database (no token, a
 * cached session: most checks at 09:00), else a promise of it. Never rejects: a failure is an answer.
 * No closure is made on the way to a cached answer: each costs an allocation, and under tsx a
 * `__name` call too (0.6 % of the main thread in V8's profile before).
 */
export function answerSessionCheck(deps: SessionCheckDeps, r: SessionCheckRequest): SessionCheckAnswer | Promise<SessionCheckAnswer> {
  try {
    const token = tokenFrom(r.cookies, r.authorization);
    const known = deps.sessions.checkAtOnce(token);
    if (known !== undefined) return answerFor(known, r.locale);
    return deps.sessions.check(token).then(
      (session) => answerFor(session, r.locale),
      (e: unknown) => failed(deps, r.locale, e),
    );
  } catch (e) {
    return failed(deps, r.locale, e);
  }
}

type SessionCheckDeps = { sessions: SessionService; store: Pick<Store, 'isUnavailable'> };

function failed(deps: SessionCheckDeps, locale: Locale, e: unknown): SessionCheckAnswer {
  const f = failureAnswer(e, translator(locale), (x) => deps.store.isUnavailable(x));
  return { status: f.status, headers: f.retryAfter ? { 'Retry-After': String(f.retryAfter) } : {}, body: JSON.stringify(f.json), ...(f.bug ? { bug: e } : {}) };
}

function refused(status: number, e: DomainError, locale: Locale): SessionCheckAnswer {
  return { status, headers: {}, body: JSON.stringify(apiError(e, translator(locale))) };
}

function answerFor(session: ActiveSession | null, locale: Locale): SessionCheckAnswer {
  if (!session) return refused(401, new DomainError('session_invalid'), locale);
  // Held to passkey registration (PASSKEY_REQUIRED_FROM): the trading service must not let it in.
  if (session.passkeyPending) return refused(403, new DomainError('passkey_enrolment_required'), locale);
  // The customer must first change the login password (the desk's or a behaviour signal's flag).
  if (session.passwordChangePending) return refused(403, new DomainError('password_change_required'), locale);
  return answerOf(session);
}
