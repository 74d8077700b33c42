/** What every handler knows about the request: language, client address, and the domain's view of it. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import type { LoginContext } from '../domain/login/login-service';
import type { ActiveSession } from '../domain/sessions/records';
import { pickLocale, translator, type Locale, type Translate } from '../i18n';
import type { Services } from '../services';
import { DEVICE_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookieOptions } from './cookies';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    /** Set by requireSession on signed-in pages. */
    session: ActiveSession | null;
  }
}

export interface WebDeps {
  config: Config;
  services: Services;
}

export function loginContext(req: FastifyRequest): LoginContext {
  const device = req.cookies[DEVICE_COOKIE];
  return {
    // Derived once, past the configured proxies only, and checked to be an IP (client-address.ts).
    ip: req.clientIp,
    userAgent: String(req.headers['user-agent'] ?? '').slice(0, 512),
    deviceToken: typeof device === 'string' ? device : null,
    stepUpAt: req.session?.stepUpAt ?? null,
    sessionId: req.session?.id ?? null,
  };
}

export function applyLocale(req: FastifyRequest, reply: FastifyReply): void {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  let cookie = req.cookies[LANG_COOKIE];
  if (q === 'en' || q === 'ja') {
    cookie = q;
    reply.setCookie(LANG_COOKIE, q, { ...cookieOptions(365 * 86_400), httpOnly: true });
  }
  // Pages are Japanese unless the customer chose English; an English browser setting alone does
  // not switch a Japanese brokerage's screens. API clients choose with Accept-Language.
  req.locale = pickLocale(cookie, req.url.startsWith('/api/') ? req.headers['accept-language'] : undefined);
  req.t = translator(req.locale);
}

export function sessionToken(req: FastifyRequest): string | null {
  const fromCookie = req.cookies[SESSION_COOKIE];
  if (fromCookie) return fromCookie;
  // The brokerage's mobile app holds the token itself and sends it as a bearer token.
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  return null;
}
