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
import { answerSessionCheck, type SessionAnswer } from './session-answer';

const PATH = '/api/v1/session';

export function fastSessionCheckServer(deps: { sessions: SessionService; https: boolean; metrics?: Metrics; logger?: FastifyBaseLogger }) {
  const base = securityHeaders(deps.https);
  const baseList = Object.entries(base).flat();
  // Headers as node:http's flat list, built once per rendered answer (answers of cached sessions
  // are reused): Content-Length lets node:http send headers and body in one write, not chunks.
  const headerLists = new WeakMap<SessionAnswer, string[]>();
  const headersOf = (a: SessionAnswer): string[] => {
    let list = headerLists.get(a);
    if (!list) {
      list = [...baseList, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(a.body))];
      if (a.loginId) list.push('X-Mamori-Login-Id', a.loginId);
      headerLists.set(a, list);
    }
    return list;
  };

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
      res.writeHead(a.status, headersOf(a));
      res.end(a.body);
    } catch (e) {
      // Same mapping as the Fastify error handler: an unreachable database is a 503 with a clear
      // message and Retry-After; anything else a 500 without details.
      const unavailable = isDatabaseUnavailable(e);
      status = unavailable ? 503 : 500;
      if (!unavailable) deps.logger?.error({ err: e }, 'session check failed');
      const body = unavailable ? apiError(new DomainError('unavailable', { retryAfter: 5 }), t) : { error: { code: 'internal', message: t('error.generic') } };
      const text = JSON.stringify(body);
      res.writeHead(status, { ...base, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...(unavailable ? { 'Retry-After': '5' } : {}) });
      res.end(text);
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
