/**
 * The Fastify factory: cookies, forms, CSRF/Origin checks, security headers, error mapping, and
 * the page and API routes as thin adapters over the domain services. Tests build a fresh app
 * per case and call `app.inject` without a port.
 */
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { loginApi } from './api/login-api';
import { passkeyApi } from './api/passkey-api';
import { sessionApi } from './api/session-api';
import { sessionsApi } from './api/sessions-api';
import { supportApi } from './api/support-api';
import { isApi } from './csrf';
import { baseApp } from './base-app';
import { failureAnswer } from './failures';
import { translator } from '../i18n';
import { html } from './html';
import { renderPage } from './layout';
import { accountPages } from './pages/account-pages';
import { devMailboxPage } from './pages/dev-mailbox-page';
import { loginPages } from './pages/login-pages';
import { totpPages } from './pages/totp-pages';
import { passkeyPages } from './pages/passkey-pages';
import { passkeyLoginRoutes } from './pages/passkey-login-routes';
import { stepUpPages } from './pages/step-up-pages';
import { stepUpApi } from './api/step-up-api';
import { recoveryPages } from './pages/recovery-pages';
import { recoveryApi } from './api/recovery-api';
import { signedIn } from './signed-in';
import { addressPages } from './pages/address-pages';
import { securityPages } from './pages/security-pages';
import type { WebDeps } from './request-context';
import { staticFiles } from './static-files';
import { brandingRoutes } from './branding';
import type { Metrics } from '../observability/metrics';
import { metricsRoute } from './metrics-route';
import { fastPathServer } from './fast-paths';
import { passkeyEnrolmentGate } from './passkey-enrolment-gate';
import { deskPages } from './pages/desk-pages';
import { oidcRoutes } from './oidc/oidc-routes';

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


export function buildApp(opts: AppOptions): FastifyInstance {
  const { config } = opts;
  const support = opts.listener === 'support';
  const app = baseApp({
    config,
    keyed: opts.services.ports.keyed,
    publicUrl: config.publicUrl,
    logger: opts.logger,
    fastify: {
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
    },
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
    const ready = await opts.services.operations.ready();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready' });
  });

  passkeyEnrolmentGate(app, opts);
  staticFiles(app);
  brandingRoutes(app, config.branding);
  loginPages(app, opts);
  passkeyLoginRoutes(app, opts);
  stepUpPages(app, opts);
  stepUpApi(app, opts);
  recoveryPages(app, opts);
  recoveryApi(app, opts);
  app.register(
    signedIn(opts, 'login-page', (pages) => {
      accountPages(pages, opts);
      totpPages(pages, opts);
      passkeyPages(pages, opts);
      addressPages(pages, opts);
      securityPages(pages, opts);
    }),
  );
  // The desk's console: here unless SUPPORT_LISTEN gives it a listener of its own (web/desk-app.ts).
  if (!config.desk.listen) deskPages(app, opts);
  if (config.devMailbox) devMailboxPage(app, opts);
  sessionApi(app, opts);
  app.register(sessionsApi(opts));
  loginApi(app, opts);
  passkeyApi(app, opts);
  oidcRoutes(app, opts);
  // The support desk's API is for operators, not the internet: on the public listener only
  // when explicitly asked for outside production (docs/configuration.md, SUPPORT_API_PUBLIC).
  if (config.supportApiPublic) supportApi(app, opts);
  for (const extra of opts.extraRoutes ?? []) extra(app);
  return app;
}

async function handleError(error: unknown, req: FastifyRequest, reply: FastifyReply, deps: WebDeps): Promise<FastifyReply> {
  const t = req.t ?? translator('ja');
  const f = failureAnswer(error, t, (e) => deps.services.ports.store.isUnavailable(e));
  // A bug: logged with its stack on the server, never shown to the client.
  if (f.bug) req.log.error({ err: error }, 'unhandled error');
  if (f.retryAfter) reply.header('Retry-After', String(f.retryAfter));
  if (isApi(req) || !req.t) return reply.status(f.status).type('application/json; charset=utf-8').send(f.json);
  return renderPage(req, reply, deps, {
    title: t('error.title'),
    body: html`<p class="alert error" role="alert">${f.message}</p><p><a href="/login">${t('login.title')}</a></p>`,
    status: f.status,
  });
}
