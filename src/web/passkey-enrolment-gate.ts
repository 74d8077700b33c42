/**
 * The phishing-resistant migration's hold on a session (PASSKEY_REQUIRED_FROM): a customer who
 * logged in without a passkey after the date may register one, log out and switch language, and
 * nothing else, on every path — pages go to the registration page, the JSON API (cookie or
 * bearer token) answers 403 `passkey_enrolment_required`, and the session check refuses the
 * trading service (session-check.ts). One hook before every route, so a route added later is held
 * too; the flag rides on the session check's cached answer, so the hook costs no query.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import { html, type Html } from './html';
import { isApi } from './csrf';
import { sessionToken, type WebDeps } from './request-context';
import { SESSION_CHECK_PATH } from './session-check';
import { PASSKEY_REGISTRATION_PAGE, loginAnnouncement, registrationRequired } from './views/passkey-policy-views';

/** Exact paths a held session may still use. */
const OPEN_PATHS = new Set([PASSKEY_REGISTRATION_PAGE, '/logout', '/api/v1/logout', SESSION_CHECK_PATH, '/healthz', '/readyz', '/metrics', '/favicon.ico']);

/**
 * Path prefixes a held session may still use: registration itself (the page's send-code, options
 * and verify routes; the app's API under /api/v1/passkeys/registration), the login pages (which
 * only send a signed-in customer on; the app's login API likewise), static files and the
 * embedded mailbox.
 */
const OPEN_PREFIXES = [`${PASSKEY_REGISTRATION_PAGE}/register`, '/api/v1/passkeys/registration', '/login', '/api/v1/login', '/static/', '/dev/mailbox'];

export function openWhileHeld(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return OPEN_PATHS.has(path) || OPEN_PREFIXES.some((p) => path.startsWith(p));
}

export function passkeyEnrolmentGate(app: FastifyInstance, deps: WebDeps): void {
  if (!deps.services.passkeyRequirements.requiredFrom) return;
  app.addHook('onRequest', async (req, reply) => {
    const token = sessionToken(req);
    if (token === null || openWhileHeld(req.url)) return;
    const session = await deps.services.sessions.check(token);
    if (!session?.passkeyPending) return;
    if (isApi(req)) throw new DomainError('passkey_enrolment_required');
    return reply.redirect(PASSKEY_REGISTRATION_PAGE, 303);
  });
}

/** What the frame shows above a page's own content: the hold's reason, or the countdown on the login pages. */
export function migrationNotice(req: FastifyRequest, deps: WebDeps): Html {
  const words = { t: req.t, locale: req.locale };
  if (req.session?.passkeyPending) return registrationRequired(words, deps.services.passkeyRequirements.requiredFrom);
  if (!req.url.startsWith('/login')) return html``;
  const from = deps.services.passkeyRequirements.announced();
  return from ? loginAnnouncement(words, from) : html``;
}
