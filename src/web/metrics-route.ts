/**
 * /metrics in Prometheus text format, and a latency observation for every request labelled by
 * route pattern (never the raw URL, which would carry login IDs and grow without bound).
 * Not proxied to customers (docs/integration.md); with METRICS_TOKEN set it needs the token too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Does this Authorization header carry the token (or is none configured)? Constant time. */
export function metricsAuthorized(token: string | null, auth: string | undefined): boolean {
  if (!token) return true;
  const presented = typeof auth === 'string' && auth.startsWith('Bearer ') ? digest(auth.slice(7).trim()) : null;
  return Boolean(presented && timingSafeEqual(presented, digest(token)));
}

export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string | null, serveHere = true): void {

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  if (!serveHere) return;
  app.get('/metrics', async (req, reply) => {
    if (!metricsAuthorized(token, req.headers.authorization)) return reply.status(401).send({ error: { code: 'forbidden', message: 'metrics token required' } });
    reply.header('Cache-Control', 'no-store');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
