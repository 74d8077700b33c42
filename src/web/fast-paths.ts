/**
 * Two answers the listening server gives before Fastify's routing and hooks, byte for byte what
 * the Fastify routes give (test/integration/fast-paths.test.ts); everything else goes to Fastify.
 * Measured in bench/ (docs/performance.md): Fastify's per-request machinery cost more than either.
 *
 * - `GET /api/v1/session`: the trading service makes it on every one of its own requests, so at
 *   09:00 it outnumbers logins a hundredfold (answerSessionCheck).
 * - `POST /api/v1/login` while the password-hashing queue is full: refused with 503 and
 *   Retry-After before its body is even read. In a login storm most requests are these refusals;
 *   answered cheaply, they leave the event loop to session checks and to the logins accepted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCookie } from 'cookie';
import type { FastifyBaseLogger } from 'fastify';
import { DomainError, Overloaded } from '../domain/errors';
import type { PasswordHasher, Store } from '../domain/ports';
import { pickLocale, translator, type Translate } from '../i18n';
import type { Metrics } from '../observability/metrics';
import type { SessionService } from '../domain/sessions/session-service';
import { LANG_COOKIE, SESSION_COOKIE } from './cookies';
import { apiError, retryAfterOf } from './errors';
import { securityHeaders } from './security-headers';
import { answerSessionCheck } from './session-answer';

const SESSION = '/api/v1/session';
const LOGIN = '/api/v1/login';
const JSON_TYPE = 'application/json; charset=utf-8';

export interface FastPathDeps {
  sessions: SessionService;
  passwords: Pick<PasswordHasher, 'assertCapacity'>;
  store: Pick<Store, 'isUnavailable'>;
  https: boolean;
  metrics?: Metrics;
  logger?: FastifyBaseLogger;
}

export function fastPathServer(deps: FastPathDeps) {
  const baseList = Object.entries(securityHeaders(deps.https)).flat();

  /** Headers as node:http's flat list; Content-Length lets it send headers and body in one write. */
  function send(res: ServerResponse, status: number, body: string, extra: string[] = []): void {
    res.writeHead(status, [...baseList, 'Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(body)), ...extra]);
    res.end(body);
  }

  const cookiesOf = (req: IncomingMessage): Record<string, string | undefined> => (req.headers.cookie ? parseCookie(req.headers.cookie) : {});

  function translate(req: IncomingMessage, cookies: Record<string, string | undefined>): Translate {
    return translator(pickLocale(cookies[LANG_COOKIE], req.headers['accept-language']));
  }

  async function sessionCheck(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const cookies = cookiesOf(req);
    const auth = req.headers.authorization;
    const token = cookies[SESSION_COOKIE] || (typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null);
    let status: number;
    try {
      const a = await answerSessionCheck(deps.sessions, token, translate(req, cookies));
      status = a.status;
      send(res, a.status, a.body, a.loginId ? ['X-Mamori-Login-Id', a.loginId] : []);
    } catch (e) {
      // Same mapping as the Fastify error handler: an unreachable database is a 503 with a clear
      // message and Retry-After; anything else a 500 without details.
      const unavailable = deps.store.isUnavailable(e);
      status = unavailable ? 503 : 500;
      if (!unavailable) deps.logger?.error({ err: e }, 'session check failed');
      const t = translate(req, cookies);
      const body = unavailable ? apiError(new DomainError('unavailable', { retryAfter: 5 }), t) : { error: { code: 'internal', message: t('error.generic') } };
      send(res, status, JSON.stringify(body), unavailable ? ['Retry-After', '5'] : []);
    }
    deps.metrics?.observeRequest('GET', SESSION, status, (performance.now() - started) / 1000);
  }

  /** The refusal the Fastify route would give (LoginService.start asserts capacity first). */
  function refusedForCapacity(req: IncomingMessage, res: ServerResponse): boolean {
    try {
      deps.passwords.assertCapacity();
      return false;
    } catch (e) {
      if (!(e instanceof Overloaded)) throw e;
      const started = performance.now();
      const cookies = cookiesOf(req);
      // The unread body is discarded by node:http once the answer is sent; the connection stays usable.
      const retry = retryAfterOf(e);
      send(res, 503, JSON.stringify(apiError(e, translate(req, cookies))), retry ? ['Retry-After', String(retry)] : []);
      deps.metrics?.observeRequest('POST', LOGIN, 503, (performance.now() - started) / 1000);
      return true;
    }
  }

  /** Fastify's `serverFactory`: our fast paths first, Fastify for everything else. */
  return (fastify: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer((req, res) => {
      const url = req.url ?? '';
      if (req.method === 'GET' && (url === SESSION || url.startsWith(SESSION + '?'))) void sessionCheck(req, res);
      else if (req.method === 'POST' && (url === LOGIN || url.startsWith(LOGIN + '?')) && refusedForCapacity(req, res)) return;
      else fastify(req, res);
    });
}
