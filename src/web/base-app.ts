/**
 * The Fastify base every browser-facing listener shares (the public app and the desk's own
 * listener): cookies, forms, the request decorations, language, security headers and client
 * address on every request, and the CSRF/Origin checks for the listener's own origin.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Server } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import type { KeyedHasher } from '../domain/ports';
import type { Config } from '../config';
import { assignClientAddress, fastifyTrustProxy } from './client-address';
import { csrfChecks } from './csrf';
import { applyLocale } from './request-context';
import { setSecurityHeaders } from './security-headers';

const BODY_LIMIT = 32 * 1024;

export function baseApp(o: {
  config: Config;
  keyed: KeyedHasher;
  /** The origin this listener answers for (PUBLIC_URL, or the console's SUPPORT_PUBLIC_URL). */
  publicUrl: string;
  logger?: FastifyBaseLogger;
  /** Options of this listener's own (the public one's fast path, its log controller). */
  fastify?: Omit<FastifyHttpOptions<Server>, 'logger' | 'loggerInstance' | 'bodyLimit' | 'trustProxy'>;
}): FastifyInstance {
  const app = Fastify({
    ...(o.logger ? { loggerInstance: o.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    trustProxy: fastifyTrustProxy(o.config.trustProxy),
    ...o.fastify,
  });
  const https = o.publicUrl.startsWith('https://');
  app.register(cookie);
  app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.decorateRequest('locale', 'ja');
  app.decorateRequest('t', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('account', null);
  app.decorateRequest('clientIp', '');
  app.addHook('onRequest', async (req, reply) => {
    applyLocale(req, reply);
    setSecurityHeaders(reply, https);
    assignClientAddress(req);
  });
  csrfChecks(app, { publicUrl: o.publicUrl, keyed: o.keyed });
  return app;
}
