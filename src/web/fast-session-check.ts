/**
 * The session check is the one request the trading service makes on every one of its own
 * requests, so at 09:00 it outnumbers logins a hundredfold. The listening server answers
 * `GET /api/v1/session` here, before Fastify's routing and hooks, with exactly the bytes the
 * Fastify route gives (answerSessionCheck); everything else goes to Fastify. Measured in bench/
 * (docs/performance.md): Fastify's per-request machinery cost more than the check itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCookie } from 'cookie';
import type { FastifyBaseLogger } from 'fastify';
import { DomainError } from '../domain/errors';
import { pickLocale, translator } from '../i18n';
import type { Metrics } from '../observability/metrics';
import type { SessionService } from '../domain/sessions/session-service';
import { isDatabaseUnavailable } from '../store/open';
import { LANG_COOKIE, SESSION_COOKIE } from './cookies';
import { apiError } from './errors';
import { securityHeaders } from './security-headers';
import { answerSessionCheck } from './session-answer';

const PATH = '/api/v1/session';

export function fastSessionCheckServer(deps: { sessions: SessionService; https: boolean; metrics?: Metrics; logger?: FastifyBaseLogger }) {
  const base = securityHeaders(deps.https);

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const cookies = req.headers.cookie ? parseCookie(req.headers.cookie) : {};
    const auth = req.headers.authorization;
    const token = cookies[SESSION_COOKIE] || (typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null);
    const t = translator(pickLocale(cookies[LANG_COOKIE], req.headers['accept-language']));
    let status: number;
    try {
      const a = await answerSessionCheck(deps.sessions, token, t);
      status = a.status;
      res.writeHead(a.status, { ...base, 'Content-Type': 'application/json; charset=utf-8', ...(a.loginId ? { 'X-Mamori-Login-Id': a.loginId } : {}) });
      res.end(a.body);
    } catch (e) {
      // Same mapping as the Fastify error handler: an unreachable database is a 503 with a clear
      // message and Retry-After; anything else a 500 without details.
      const unavailable = isDatabaseUnavailable(e);
      status = unavailable ? 503 : 500;
      if (!unavailable) deps.logger?.error({ err: e }, 'session check failed');
      const body = unavailable ? apiError(new DomainError('unavailable', { retryAfter: 5 }), t) : { error: { code: 'internal', message: t('error.generic') } };
      res.writeHead(status, { ...base, 'Content-Type': 'application/json; charset=utf-8', ...(unavailable ? { 'Retry-After': '5' } : {}) });
      res.end(JSON.stringify(body));
    }
    deps.metrics?.observeRequest('GET', PATH, status, (performance.now() - started) / 1000);
  }

  /** Fastify's `serverFactory`: our fast path first, Fastify for everything else. */
  return (fastify: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer((req, res) => {
      if (req.method === 'GET' && (req.url === PATH || req.url?.startsWith(PATH + '?'))) void answer(req, res);
      else fastify(req, res);
    });
}
