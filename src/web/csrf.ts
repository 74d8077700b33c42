/**
 * CSRF defence for every form (OWASP CSRF cheat sheet, "signed double-submit cookie"): a random
 * value in a __Host- cookie and, in the form, its HMAC; plus the Origin (or Referer) of every
 * non-GET request must be our own. Forms that change state are never reachable by GET.
 * `csrfChecks` installs both checks once for every route (docs/architecture.md says why this is
 * ours and not @fastify/csrf-protection); no handler checks by hand.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newToken } from '../crypto/tokens';
import { DomainError } from '../domain/errors';
import type { KeyedHasher, Random } from '../domain/ports';
import { CSRF_COOKIE, cookieOptions } from './cookies';
import { TOKEN_MAX } from '../domain/input-limits';

/** API routes, and JSON requests from our own scripts, get JSON errors; pages get pages. */
export const isApi = (req: FastifyRequest) => req.url.startsWith('/api/') || String(req.headers['content-type'] ?? '').startsWith('application/json');

/**
 * The OpenID Connect endpoints are a protocol of their own: relying parties post to them server to
 * server (client authentication, PKCE), and the one browser form (logout) carries oidc-provider's xsrf.
 */
const isOidc = (req: FastifyRequest) => req.url.startsWith('/oidc/');

const changesState = (req: FastifyRequest) => req.method !== 'GET' && req.method !== 'HEAD' && !isOidc(req);

/**
 * Origin first, before the body is read: pages must come from our own origin; API clients (mobile
 * apps) send no Origin, but a browser that does must be ours. Then, once the body is parsed, the
 * token of every form and page script: every state-changing route outside /api/ (the JSON API is
 * for the app, which holds a bearer token, and for the trading service). A request no route
 * answers gets its 404, not a CSRF refusal.
 */
export function csrfChecks(app: FastifyInstance, o: { publicUrl: string; keyed: KeyedHasher }): void {
  app.addHook('onRequest', async (req) => {
    if (!changesState(req)) return;
    const hasOrigin = Boolean(req.headers.origin || req.headers.referer);
    if ((!isApi(req) || hasOrigin) && !isSameOrigin(req, o.publicUrl)) throw new DomainError('csrf_invalid');
  });
  app.addHook('preHandler', async (req) => {
    if (!changesState(req) || req.url.startsWith('/api/') || !req.routeOptions.url) return;
    assertCsrf(req, o.keyed);
  });
}

export function csrfField(req: FastifyRequest, reply: FastifyReply, keyed: KeyedHasher, random: Random): string {
  let value = req.cookies[CSRF_COOKIE];
  if (!value || value.length > TOKEN_MAX) {
    value = newToken(random);
    reply.setCookie(CSRF_COOKIE, value, cookieOptions());
    // Make the new value visible to a second form rendered in the same response.
    req.cookies[CSRF_COOKIE] = value;
  }
  return keyed.hash('csrf', value);
}

function assertCsrf(req: FastifyRequest, keyed: KeyedHasher): void {
  const cookie = req.cookies[CSRF_COOKIE];
  const body = req.body as Record<string, unknown> | undefined;
  // Forms send the field; the passkey script sends the same value as a header with its JSON.
  const field = body?._csrf ?? req.headers['x-csrf-token'];
  if (!cookie || typeof field !== 'string' || !keyed.equals('csrf', cookie, field)) throw new DomainError('csrf_invalid');
}

/**
 * The one origin we accept: PUBLIC_URL's. The Host header is not evidence: a client (or a proxy
 * that passes Host through) writes it, and `Host: evil.example` with `Origin: http://evil.example`
 * would otherwise match itself (OWASP ASVS 5.0 V3.5.2; OWASP CSRF cheat sheet, "verifying origin
 * with standard headers" compares against the configured target origin).
 */
export function isSameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
  if (!origin) return false;
  return origin === new URL(publicUrl).origin;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
