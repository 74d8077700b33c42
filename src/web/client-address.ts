/**
 * The one place the web layer derives the client's address. Fastify walks X-Forwarded-For from
 * the right, past the configured proxies only, and takes the first address it does not trust
 * (proxy-addr); anything a client wrote further left is never read. The result must then be a
 * valid IP (domain/client-address.ts), or the request is refused: a proxy chain that hands us
 * text is misconfigured, and its text must not reach throttling, the audit log or a mail.
 */
import type { FastifyRequest } from 'fastify';
import type { TrustProxy } from '../config';
import { parseIp } from '../domain/client-address';
import { InvalidInput } from '../domain/errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's IP address, validated (set on every request before any route runs). */
    clientIp: string;
  }
}

/** TRUST_PROXY as Fastify's `trustProxy` option. */
export function fastifyTrustProxy(t: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (t === false || t === true) return t;
  if ('hops' in t) {
    // Fastify itself now treats a bare number as "trust nothing"; proxy-addr's hop semantics are
    // kept here on purpose: the n proxies nearest to Mamori are trusted, whatever their address.
    // Only safe when Mamori cannot be reached except through them (docs/configuration.md).
    const hops = t.hops;
    return (_address, hop) => hop < hops;
  }
  return t.proxies;
}

/** Derives and checks the client address once per request; a non-IP answer is a 400, never stored. */
export function assignClientAddress(req: FastifyRequest): void {
  const ip = parseIp(req.ip);
  if (!ip) throw new InvalidInput('clientAddress', 'invalid');
  req.clientIp = ip;
}
