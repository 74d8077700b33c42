/**
 * Headers on every response (docs/requirements.md R-WEB-2, OWASP ASVS 14.4): a strict CSP with no third-party origin,
 * no inline script or style, no framing. Referrer-Policy is same-origin, not no-referrer:
 * with no-referrer browsers send `Origin: null` on form posts, which the CSRF check would refuse.
 */
import type { FastifyReply } from 'fastify';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function build(https: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cache-Control': 'no-store',
    ...(https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  });
}
const HEADERS = { http: build(false), https: build(true) };

export function securityHeaders(https: boolean): Readonly<Record<string, string>> {
  return https ? HEADERS.https : HEADERS.http;
}

export function setSecurityHeaders(reply: FastifyReply, https: boolean): void {
  reply.headers(securityHeaders(https));
}
