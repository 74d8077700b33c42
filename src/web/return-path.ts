/**
 * After a login, the customer lands on the page they asked for when their session had ended. The
 * path is remembered in a cookie across the login's steps and checked twice (when kept and when
 * used): only a path of this site, so a link like /login?next=//evil.example cannot send a
 * customer who just logged in to a look-alike site (an open redirect).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RETURN_COOKIE, cookieOptions } from './cookies';

const RETURN_PATH_MAX = 512;
/**
 * One '/', then printable ASCII without a second '/' or '\' right after it. Browsers read `//host`
 * and `/\host` as another site, and drop tabs and newlines (so `/\t/host` is `//host`); a
 * backslash anywhere is refused, as some browsers turn it into '/'.
 */
const SAME_SITE_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

/** The path if it stays on this site and is not the login itself, else null. */
export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > RETURN_PATH_MAX) return null;
  if (!SAME_SITE_PATH.test(raw) || raw.includes('\\')) return null;
  if (raw === '/login' || raw.startsWith('/login/') || raw.startsWith('/login?')) return null;
  return raw;
}

/**
 * The login page for a request that needs a session. When a session had been there and ended, it
 * says so and keeps the page to come back to (a page only: a form's target is not a place to land).
 */
export function loginPageFor(req: FastifyRequest, sessionEnded: boolean): string {
  if (!sessionEnded) return '/login';
  const query = new URLSearchParams({ session: 'expired' });
  const next = req.method === 'GET' ? safeReturnPath(req.url) : null;
  if (next) query.set('next', next);
  return `/login?${query.toString()}`;
}

/** On the login page: keep `next` for after the login's steps, or forget an older one. */
export function rememberReturnPath(req: FastifyRequest, reply: FastifyReply, raw: unknown, ttlSeconds: number): void {
  const path = safeReturnPath(raw);
  if (path) reply.setCookie(RETURN_COOKIE, path, cookieOptions(ttlSeconds));
  else if (req.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, cookieOptions());
}

/** Where a completed login goes: the remembered page, else the top page. */
export function landingAfterLogin(req: FastifyRequest, reply: FastifyReply): string {
  const path = safeReturnPath(req.cookies[RETURN_COOKIE]);
  if (req.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, cookieOptions());
  return path ?? '/';
}
