/**
 * Two answers the listening server gives before Fastify's routing and hooks, byte for byte what
 * the Fastify routes give (test/integration/fast-paths.test.ts); everything else goes to Fastify.
 * Measured in bench/ (docs/performance.md): Fastify's per-request machinery cost more than either.
 * Both read the request with the functions the Fastify side uses (session-check.ts, locale.ts,
 * failures.ts), so they cannot drift apart.
 *
 * - `GET` and `HEAD /api/v1/session`: the trading service makes it on every one of its own
 *   requests, so at 09:00 it outnumbers logins a hundredfold.
 * - `POST /api/v1/login` while the password-hashing queue is full: refused with 503 and
 *   Retry-After before its body is even read. In a login storm most requests are these refusals;
 *   answered cheaply, they leave the event loop to session checks and to the logins accepted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import type { FastifyBaseLogger } from 'fastify';
import { Overloaded } from '../domain/errors';
import type { PasswordHasher, Store } from '../domain/ports';
import type { SessionService } from '../domain/sessions/session-service';
import { translator, type Translate } from '../i18n';
import type { Metrics } from '../observability/metrics';
import { LANG_COOKIE } from './cookies';
import { failureAnswer } from './failures';
import { LANG_COOKIE_OPTIONS, chooseLocale, type LocaleChoice } from './locale';
import { securityHeaders } from './security-headers';
import { SESSION_CHECK_PATH, answerSessionCheck, queryLangOf, type SessionCheckAnswer } from './session-check';

const LOGIN = '/api/v1/login';
const JSON_TYPE = 'application/json; charset=utf-8';

export interface FastPathDeps {
  sessions: SessionService;
  passwords: Pick<PasswordHasher, 'assertCapacity'>;
  /** Only its judgement of which errors mean the database is unreachable. */
  store: Pick<Store, 'isUnavailable'>;
  https: boolean;
  metrics?: Metrics;
  logger?: FastifyBaseLogger;
}

const pathIs = (url: string, path: string) => url === path || url.startsWith(path + '?');

export function fastPathServer(deps: FastPathDeps) {
  const jsonHead = [...Object.entries(securityHeaders(deps.https)).flat(), 'Content-Type', JSON_TYPE];

  /** Headers as node:http's flat list; Content-Length lets it send headers and body in one write. */
  const headFor = (body: string | Buffer, extra: string[]): string[] => jsonHead.concat(extra, 'Content-Length', String(Buffer.byteLength(body)));

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, head: string[]): void {
    res.writeHead(status, head);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** As Fastify's hook reads them: cookies, then the language (locale.ts). */
  function read(req: IncomingMessage): { cookies: Record<string, string | undefined>; choice: LocaleChoice } {
    const cookies = req.headers.cookie ? fastifyCookie.parse(req.headers.cookie) : {};
    const acceptLanguage = req.headers['accept-language'];
    return { cookies, choice: chooseLocale({ queryLang: queryLangOf(req.url ?? ''), cookieLang: cookies[LANG_COOKIE], acceptLanguage, api: true }) };
  }

  /** The language cookie that Fastify's hook sets when `?lang=` chose one. */
  const langCookie = (choice: LocaleChoice): string[] => (choice.remember ? ['Set-Cookie', fastifyCookie.serialize(LANG_COOKIE, choice.remember, LANG_COOKIE_OPTIONS)] : []);

  /** Synchronous when the answer is at hand (a cached session): no promise, no microtask. */
  function sessionCheck(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const { cookies, choice } = read(req);
    const answer = answerSessionCheck(deps, { cookies, authorization: req.headers.authorization, locale: choice.locale });
    if (answer instanceof Promise) void answer.then((a) => answerCheck(req, res, a, choice, started));
    else answerCheck(req, res, answer, choice, started);
  }

  /**
   * A cached session's 200 answer as it goes on the wire, made once per answer object (one per
   * cached session, session-check.ts): the header list and the body's bytes, which each check
   * otherwise built anew (two arrays, a string joined to the headers and encoded again).
   */
  const wire = new WeakMap<SessionCheckAnswer, { head: string[]; body: Buffer }>();
  function wireOf(a: SessionCheckAnswer): { head: string[]; body: Buffer } {
    let w = wire.get(a);
    if (w === undefined) {
      // Its own memory, not a slice of node's shared 8 KB pool: a cached answer would keep a whole slab alive.
      const body = Buffer.allocUnsafeSlow(Buffer.byteLength(a.body));
      body.write(a.body);
      w = { head: headFor(body, Object.entries(a.headers).flat()), body };
      wire.set(a, w);
    }
    return w;
  }

  function answerCheck(req: IncomingMessage, res: ServerResponse, a: SessionCheckAnswer, choice: LocaleChoice, started: number): void {
    if (a.bug) deps.logger?.error({ err: a.bug }, 'session check failed');
    if (a.status === 200 && !choice.remember) {
      const w = wireOf(a);
      send(req, res, 200, w.body, w.head);
    } else send(req, res, a.status, a.body, headFor(a.body, [...Object.entries(a.headers).flat(), ...langCookie(choice)]));
    deps.metrics?.observeRequest(req.method ?? 'GET', SESSION_CHECK_PATH, a.status, (performance.now() - started) / 1000);
  }

  /** The refusal the Fastify route would give (LoginService.start asserts capacity first). */
  function refusedForCapacity(req: IncomingMessage, res: ServerResponse): boolean {
    try {
      deps.passwords.assertCapacity();
      return false;
    } catch (e) {
      if (!(e instanceof Overloaded)) throw e;
      const started = performance.now();
      const { choice } = read(req);
      const t: Translate = translator(choice.locale);
      const f = failureAnswer(e, t, (x) => deps.store.isUnavailable(x));
      // The unread body is discarded by node:http once the answer is sent; the connection stays usable.
      const body = JSON.stringify(f.json);
      send(req, res, f.status, body, headFor(body, [...(f.retryAfter ? ['Retry-After', String(f.retryAfter)] : []), ...langCookie(choice)]));
      deps.metrics?.observeRequest('POST', LOGIN, f.status, (performance.now() - started) / 1000);
      return true;
    }
  }

  /** Fastify's `serverFactory`: our fast paths first, Fastify for everything else. */
  return (fastify: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer((req, res) => {
      const url = req.url ?? '';
      if ((req.method === 'GET' || req.method === 'HEAD') && pathIs(url, SESSION_CHECK_PATH)) sessionCheck(req, res);
      else if (req.method === 'POST' && pathIs(url, LOGIN) && refusedForCapacity(req, res)) return;
      else fastify(req, res);
    });
}
