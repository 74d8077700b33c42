/**
 * After a login, the customer lands on the page they asked for when their session had ended. The
 * path is remembered in a cookie across the login's steps (the trading service may also link to
 * /login?next=/path) and checked twice, when kept and when used: only a path of this site, so a link
 * like /login?next=//evil.example cannot send a customer who just logged in to a look-alike site.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NOTICE_COOKIE, RETURN_COOKIE, cookieOptions } from './cookies';

const SESSION_ENDED = 'session_ended';

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
 * A signed-in page asked for after its session ended: the login page will say so (once) and the
 * page (a GET's only: a form's target is not a place to land) is kept for after the login. The
 * redirect itself stays a plain `/login`.
 */
export function rememberEndedSession(req: FastifyRequest, reply: FastifyReply, ttlSeconds: number): void {
  reply.setCookie(NOTICE_COOKIE, SESSION_ENDED, cookieOptions(ttlSeconds));
  const path = req.method === 'GET' ? safeReturnPath(req.url) : null;
  if (path) reply.setCookie(RETURN_COOKIE, path, cookieOptions(ttlSeconds));
}

/** On the login page: whether to say the session ended (shown once), and a `next` link's page to keep. */
export function loginPageArrival(req: FastifyRequest, reply: FastifyReply, query: Record<string, unknown>, ttlSeconds: number): { sessionEnded: boolean } {
  const ended = req.cookies[NOTICE_COOKIE] === SESSION_ENDED;
  if (req.cookies[NOTICE_COOKIE] !== undefined) reply.clearCookie(NOTICE_COOKIE, cookieOptions());
  if (query.next !== undefined) {
    const path = safeReturnPath(query.next);
    if (path) reply.setCookie(RETURN_COOKIE, path, cookieOptions(ttlSeconds));
    else if (req.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, cookieOptions());
  }
  return { sessionEnded: ended || query.session === 'expired' };
}

/** Where a completed login goes: the remembered page, else the top page. */
export function landingAfterLogin(req: FastifyRequest, reply: FastifyReply): string {
  const path = safeReturnPath(req.cookies[RETURN_COOKIE]);
  if (req.cookies[RETURN_COOKIE] !== undefined) reply.clearCookie(RETURN_COOKIE, cookieOptions());
  return path ?? '/';
}
