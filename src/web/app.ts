/**
 * The Fastify factory: cookies, forms, CSRF/Origin checks, security headers, error mapping, and
 * the page and API routes as thin adapters over the domain services. Tests build a fresh app
 * per case and call `app.inject` without a port.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import { loginApi } from './api/login-api';
import { sessionApi } from './api/session-api';
import { supportApi } from './api/support-api';
import { isSameOrigin } from './csrf';
import { apiError, messageOf, retryAfterOf, statusOf } from './errors';
import { html } from './html';
import { renderPage } from './layout';
import { accountPages } from './pages/account-pages';
import { devMailboxPage } from './pages/dev-mailbox-page';
import { loginPages } from './pages/login-pages';
import { totpPages } from './pages/totp-pages';
import { passkeyPages } from './pages/passkey-pages';
import { addressPages } from './pages/address-pages';
import { securityPages } from './pages/security-pages';
import { applyLocale, type WebDeps } from './request-context';
import { setSecurityHeaders } from './security-headers';
import { staticFiles } from './static-files';
import type { Metrics } from '../observability/metrics';
import { metricsRoute } from './metrics-route';
import { fastPathServer } from './fast-paths';
import { assignClientAddress, fastifyTrustProxy } from './client-address';

export interface AppOptions extends WebDeps {
  logger?: FastifyBaseLogger;
  /** Prometheus metrics of this process: /metrics and request latencies. */
  metrics?: Metrics;
  /** Extra routes (metrics, support API) registered by the composition root. */
  extraRoutes?: ((app: FastifyInstance) => void)[];
  /**
   * `public`: the customers' listener. `support`: the private listener of SUPPORT_API_LISTEN,
   * which answers the support API and nothing else.
   */
  listener?: 'public' | 'support';
}

/** API routes, and JSON requests from our own scripts, get JSON errors; pages get pages. */
const isApi = (req: FastifyRequest) => req.url.startsWith('/api/') || String(req.headers['content-type'] ?? '').startsWith('application/json');

export function buildApp(opts: AppOptions): FastifyInstance {
  const { config } = opts;
  const support = opts.listener === 'support';
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: 32 * 1024,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Per-request access logs belong to the load balancer; on the session-check hot path they
    // would cost more than the check itself.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    ...(support
      ? {}
      : {
          serverFactory: fastPathServer({
            sessions: opts.services.sessions,
            passwords: opts.services.ports.passwords,
            store: opts.services.ports.store,
            https: config.publicUrl.startsWith('https://'),
            metrics: opts.metrics,
            logger: opts.logger,
          }),
        }),
  });
  const https = config.publicUrl.startsWith('https://');

  app.register(cookie);
  app.register(formbody, { bodyLimit: 32 * 1024 });
  app.decorateRequest('locale', 'ja');
  app.decorateRequest('t', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('clientIp', '');

  app.addHook('onRequest', async (req, reply) => {
    applyLocale(req, reply);
    setSecurityHeaders(reply, https);
    assignClientAddress(req);
    if (req.method === 'GET' || req.method === 'HEAD') return;
    // Pages: every state change must come from our own origin. API: mobile apps send no Origin,
    // but a browser that does must be ours.
    const hasOrigin = Boolean(req.headers.origin || req.headers.referer);
    if ((!isApi(req) || hasOrigin) && !isSameOrigin(req, config.publicUrl)) throw new DomainError('csrf_invalid');
  });

  if (support) {
    app.setErrorHandler(async (error: unknown, req, reply) => handleError(error, req, reply, opts));
    app.setNotFoundHandler(async (req, reply) => reply.status(404).send({ error: { code: 'not_found', message: req.t('error.not_found') } }));
    app.get('/healthz', async () => ({ status: 'ok' }));
    supportApi(app, opts);
    return app;
  }

  // With METRICS_LISTEN, /metrics lives only on the private listener (web/metrics-listener.ts).
  if (opts.metrics) metricsRoute(app, opts.metrics, config.metricsToken, !config.metricsListen);

  app.setErrorHandler(async (error: unknown, req, reply) => handleError(error, req, reply, opts));
  app.setNotFoundHandler(async (req, reply) => {
    if (isApi(req)) return reply.status(404).send({ error: { code: 'not_found', message: req.t('error.not_found') } });
    return renderPage(req, reply, opts, { title: req.t('error.title'), body: html`<p>${req.t('error.notFound')}</p><p><a href="/login">${req.t('login.title')}</a></p>`, status: 404 });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    const ready = await opts.services.ports.store.ready().catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready' });
  });

  staticFiles(app);
  loginPages(app, opts);
  accountPages(app, opts);
  totpPages(app, opts);
  passkeyPages(app, opts);
  addressPages(app, opts);
  securityPages(app, opts);
  if (config.devMailbox) devMailboxPage(app, opts);
  sessionApi(app, opts);
  loginApi(app, opts);
  // The support desk's API is for operators, not the internet: on the public listener only
  // when explicitly asked for outside production (docs/configuration.md, SUPPORT_API_PUBLIC).
  if (config.supportApiPublic) supportApi(app, opts);
  for (const extra of opts.extraRoutes ?? []) extra(app);
  return app;
}

async function handleError(error: unknown, req: FastifyRequest, reply: FastifyReply, deps: WebDeps): Promise<FastifyReply> {
  let domain: DomainError | null = error instanceof DomainError ? error : null;
  let status = domain ? statusOf(domain.code) : 500;
  let message: string;

  if (!domain && deps.services.ports.store.isUnavailable(error)) {
    domain = new DomainError('unavailable', { retryAfter: 5 });
    status = 503;
  }
  if (domain) {
    message = messageOf(domain, req.t);
    const retry = retryAfterOf(domain);
    if (retry) reply.header('Retry-After', String(retry));
  } else {
    const e = error as { statusCode?: number; code?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      message = status === 413 ? req.t('error.payload_too_large') : req.t('error.bad_request');
    } else {
      // A bug: logged with its stack on the server, never shown to the client.
      req.log.error({ err: error }, 'unhandled error');
      message = req.t('error.generic');
    }
  }
  const code = domain?.code ?? (status === 413 ? 'payload_too_large' : status < 500 ? 'bad_request' : 'internal');
  if (isApi(req) || !req.t) {
    const body = domain ? apiError(domain, req.t) : { error: { code, message } };
    return reply.status(status).type('application/json; charset=utf-8').send(body);
  }
  return renderPage(req, reply, deps, {
    title: req.t('error.title'),
    body: html`<p class="alert error" role="alert">${message}</p><p><a href="/login">${req.t('login.title')}</a></p>`,
    status,
  });
}
