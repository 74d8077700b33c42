/**
 * SUPPORT_LISTEN: the desk's console alone on a private address (never facing the internet). Its
 * Origin and CSRF checks name the console's own origin (SUPPORT_PUBLIC_URL); it answers nothing
 * but /support/, its static files and the brand's stylesheet.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { brandingRoutes } from './branding';
import { assignClientAddress, fastifyTrustProxy } from './client-address';
import { csrfChecks } from './csrf';
import { deskPages } from './pages/desk-pages';
import { applyLocale, type WebDeps } from './request-context';
import { setSecurityHeaders } from './security-headers';
import { staticFiles } from './static-files';

export function buildDeskApp(opts: WebDeps & { logger?: FastifyBaseLogger }): FastifyInstance {
  const { config } = opts;
  const app = Fastify({ ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }), bodyLimit: 32 * 1024, trustProxy: fastifyTrustProxy(config.trustProxy) });
  app.register(cookie);
  app.register(formbody, { bodyLimit: 32 * 1024 });
  app.decorateRequest('locale', 'ja');
  app.decorateRequest('t', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('account', null);
  app.decorateRequest('clientIp', '');
  app.addHook('onRequest', async (req, reply) => {
    applyLocale(req, reply);
    setSecurityHeaders(reply, config.desk.publicUrl.startsWith('https://'));
    assignClientAddress(req);
  });
  csrfChecks(app, { publicUrl: config.desk.publicUrl, keyed: opts.services.ports.keyed });
  app.setNotFoundHandler(async (req, reply) => reply.status(404).type('text/plain; charset=utf-8').send('not found'));
  app.get('/healthz', async () => ({ status: 'ok' }));
  staticFiles(app);
  brandingRoutes(app, config.branding);
  deskPages(app, opts);
  return app;
}
