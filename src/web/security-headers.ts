/**
 * Headers on every response (SPEC 2, OWASP ASVS 14.4): a strict CSP with no third-party origin,
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

export function setSecurityHeaders(reply: FastifyReply, https: boolean): void {
  reply.header('Content-Security-Policy', CSP);
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'same-origin');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  reply.header('Cache-Control', 'no-store');
  if (https) reply.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
}
