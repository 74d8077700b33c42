/**
 * SUPPORT_LISTEN: the desk's console alone on a private address (never facing the internet). Its
 * Origin and CSRF checks name the console's own origin (SUPPORT_PUBLIC_URL); it answers nothing
 * but /support/, its static files and the brand's stylesheet.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { baseApp } from './base-app';
import { brandingRoutes } from './branding';
import { deskPages } from './pages/desk-pages';
import type { WebDeps } from './request-context';
import { staticFiles } from './static-files';

export function buildDeskApp(opts: WebDeps & { logger?: FastifyBaseLogger }): FastifyInstance {
  const { config } = opts;
  const app = baseApp({ config, keyed: opts.services.ports.keyed, publicUrl: config.desk.publicUrl, logger: opts.logger });
  app.setNotFoundHandler(async (req, reply) => reply.status(404).type('text/plain; charset=utf-8').send('not found'));
  app.get('/healthz', async () => ({ status: 'ok' }));
  staticFiles(app);
  brandingRoutes(app, config.branding);
  deskPages(app, opts);
  return app;
}
