/** What every handler knows about the request: language, client address, and the domain's view of it. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import type { LoginContext } from '../domain/login/login-service';
import type { ActiveSession } from '../domain/sessions/records';
import { translator, type Locale, type Translate } from '../i18n';
import type { Services } from '../services';
import { DEVICE_COOKIE, LANG_COOKIE } from './cookies';
import { LANG_COOKIE_OPTIONS, chooseLocale } from './locale';
import { tokenFrom } from './session-check';

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
  const choice = chooseLocale({
    queryLang: (req.query as Record<string, unknown> | undefined)?.lang,
    cookieLang: req.cookies[LANG_COOKIE],
    acceptLanguage: req.headers['accept-language'],
    api: req.url.startsWith('/api/'),
  });
  if (choice.remember) reply.setCookie(LANG_COOKIE, choice.remember, LANG_COOKIE_OPTIONS);
  req.locale = choice.locale;
  req.t = translator(req.locale);
}

export function sessionToken(req: FastifyRequest): string | null {
  return tokenFrom(req.cookies, req.headers.authorization);
}
