/**
 * Cookie names and attributes. `__Host-` makes the browser refuse any cookie with a Domain
 * attribute or without Secure, so a sibling subdomain cannot plant or read ours (docs/requirements.md R-SESSION-1).
 * Browsers treat http://localhost as a secure context, so the embedded mode works unchanged.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';

export const SESSION_COOKIE = '__Host-mamori_session';
export const DEVICE_COOKIE = '__Host-mamori_device';
export const FLOW_COOKIE = '__Host-mamori_flow';
export const CSRF_COOKIE = '__Host-mamori_csrf';
export const LANG_COOKIE = '__Host-mamori_lang';
/** The page to land on after logging in again (return-path.ts). */
export const RETURN_COOKIE = '__Host-mamori_return';
/** A message for the next page, shown once (the login page's 「セッションの有効期限が切れました」). */
export const NOTICE_COOKIE = '__Host-mamori_notice';

/** Lax, not Strict: the customer arrives from the trading service's pages by top-level links. */
export function cookieOptions(maxAgeSeconds?: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, secure: true, sameSite: 'lax', ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
}

/** Browsers cap cookie lifetime at 400 days; the server-side expiry (90 days unused) is what counts. */
export const DEVICE_COOKIE_MAX_AGE = 400 * 86_400;
