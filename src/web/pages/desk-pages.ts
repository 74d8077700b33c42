/**
 * The support desk's console under /support/ (r18-console): thin routes over the desk services.
 * Its own session cookie; every non-GET passes the app's CSRF and Origin checks (csrf.ts), which
 * the listener sets up with the console's origin. On SUPPORT_LISTEN it is served alone
 * (web/desk-app.ts) and the public listener does not register it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { SignedInOperator } from '../../domain/desk/operator-service';
import { cookieOptions } from '../cookies';
import { csrfField } from '../csrf';
import { messageOf, statusOf } from '../errors';
import { failureAnswer } from '../failures';
import { isApi } from '../csrf';
import { loginContext, type WebDeps } from '../request-context';
import { formBody } from '../layout';
import { customerView, deskEnrolView, deskFrame, deskLoginView, homeView, searchResultsView } from '../views/desk-views';
import type { Html } from '../html';
import { errorSummary as errorSummaryHtml } from '../views/kit';

/** The console's own session cookie: never the customers'. */
export const DESK_COOKIE = '__Host-mamori_desk';

/** Midnight JST of the day `now` is in: "today" for the operator's own view. */
const startOfJstDay = (now: Date) => new Date(Math.floor((now.getTime() + 9 * 3600_000) / 86_400_000) * 86_400_000 - 9 * 3600_000);

export function deskPages(app: FastifyInstance, deps: WebDeps): void {
  app.register(async (scope) => {
    const { operators, lookup, actions } = deps.services.desk;
    const { keyed, random, clock } = deps.services.ports;
    const signedIn = new WeakMap<FastifyRequest, SignedInOperator>();

    const send = (req: FastifyRequest, reply: FastifyReply, title: string, body: (csrf: string) => Html, status = 200) => {
      const csrf = csrfField(req, reply, keyed, random);
      const doc = deskFrame({ t: req.t, locale: req.locale, brand: deps.services.brand, branding: deps.config.branding, csrf, operator: signedIn.get(req)?.operator ?? null }, title, body(csrf));
      return reply.status(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(doc);
    };
    const me = (req: FastifyRequest) => {
      const s = signedIn.get(req);
      if (!s) throw new DomainError('session_invalid');
      return s.operator;
    };

    scope.setErrorHandler(async (error, req, reply) => {
      const f = failureAnswer(error, req.t, (e) => deps.services.ports.store.isUnavailable(e));
      if (f.bug) req.log.error({ err: error }, 'unhandled error');
      if (f.retryAfter) reply.header('Retry-After', String(f.retryAfter));
      if (isApi(req)) return reply.status(f.status).type('application/json; charset=utf-8').send(f.json);
      return send(req, reply, req.t('desk.title'), () => errorSummaryHtml(f.message), f.status);
    });

    // Every page but login and enrolment needs a live operator session (15 min idle).
    scope.addHook('preValidation', async (req, reply) => {
      const s = await operators.check(req.cookies[DESK_COOKIE]);
      if (s) signedIn.set(req, s);
      const open = ['/support/', '/support/enrol', '/support/login/options', '/support/login/verify', '/support/enrol/options', '/support/enrol/verify'].includes(req.routeOptions.url ?? '');
      if (!s && !open) {
        if (isApi(req)) throw new DomainError('session_invalid');
        return reply.redirect('/support/', 303);
      }
    });

    scope.get('/support/', async (req, reply) => {
      const s = signedIn.get(req);
      if (!s) return send(req, reply, req.t('desk.login.title'), (csrf) => deskLoginView(req.t, csrf, null));
      const q = req.query as Record<string, string | undefined>;
      const today = await actions.doneBy(s.operator, startOfJstDay(clock.now()));
      const pending = s.operator.role === 'supervisor' ? await actions.pending() : null;
      const info = q.approved ? req.t('desk.pending.approved', { id: q.approved }) : q.rejected ? req.t('desk.pending.rejected', { id: q.rejected }) : null;
      return send(req, reply, req.t('desk.title'), (csrf) => homeView(req.t, csrf, s.operator, today, pending, info, null));
    });

    scope.get('/support/enrol', async (req, reply) => {
      const token = (req.query as Record<string, unknown>).token;
      const operator = await operators.enrolmentOf(token);
      return send(req, reply, req.t('desk.enrol.title'), (csrf) => deskEnrolView(req.t, csrf, operator.name, token as string));
    });
    scope.post('/support/enrol/options', async (req) => operators.beginEnrolment(formBody(req).token));
    scope.post('/support/enrol/verify', async (req) => {
      const b = formBody(req);
      await operators.finishEnrolment(b.token, { challengeId: b.challengeId, credential: b.credential }, loginContext(req));
      return { redirect: '/support/?enrolled=1' };
    });

    scope.post('/support/login/options', async () => operators.beginLogin());
    scope.post('/support/login/verify', async (req, reply) => {
      const b = formBody(req);
      const { token } = await operators.finishLogin({ challengeId: b.challengeId, credential: b.credential }, loginContext(req));
      reply.setCookie(DESK_COOKIE, token, { ...cookieOptions(), sameSite: 'strict' });
      return { redirect: '/support/' };
    });
    scope.post('/support/logout', async (req, reply) => {
      const s = signedIn.get(req);
      if (s) await operators.logout(s, loginContext(req));
      reply.clearCookie(DESK_COOKIE, cookieOptions());
      return reply.redirect('/support/', 303);
    });

    scope.get('/support/customers', async (req, reply) => {
      me(req);
      const q = (req.query as Record<string, unknown>).q;
      let found: { loginId: string; name: string }[] = [];
      let error: string | null = null;
      try {
        found = await lookup.search(q);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        error = messageOf(e, req.t);
      }
      if (found.length === 1) return reply.redirect(`/support/customers/${encodeURIComponent(found[0]!.loginId)}`, 303);
      return send(req, reply, req.t('desk.search.title'), () => searchResultsView(req.t, typeof q === 'string' ? q : '', found, error), error ? 400 : 200);
    });

    const showCustomer = async (req: FastifyRequest, reply: FastifyReply, loginId: string, o: { info: string | null; error: string | null; status?: number }) => {
      const operator = me(req);
      const view = await lookup.view(loginId, operator);
      const requests = await actions.forAccount(view.account.id);
      return send(req, reply, req.t('desk.customer.title', { name: view.account.name, loginId: view.account.loginId }), (csrf) => customerView(req.t, csrf, operator, view, requests, o), o.status);
    };

    scope.get('/support/customers/:loginId', async (req, reply) => showCustomer(req, reply, (req.params as { loginId: string }).loginId, { info: null, error: null }));

    scope.post('/support/customers/:loginId/actions', async (req, reply) => {
      const { loginId } = req.params as { loginId: string };
      const b = formBody(req);
      try {
        const out = await actions.request(me(req), loginId, { action: b.action, reason: b.reason, identityMethod: b.identityMethod, identityNote: b.identityNote, params: { until: b.until || undefined, by: b.by || undefined, passkeyId: b.passkeyId || undefined } });
        const key = out.request.state === 'pending' ? 'desk.act.pending' : 'desk.act.done';
        const code = out.shownOnce?.resetCode ? ` ${req.t('desk.act.resetCode', { code: out.shownOnce.resetCode })}` : '';
        return showCustomer(req, reply, loginId, { info: req.t(key, { id: out.request.id }) + code, error: null });
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === 'not_found') throw e;
        return showCustomer(req, reply, loginId, { info: null, error: messageOf(e, req.t), status: statusOf(e.code) });
      }
    });

    scope.post('/support/requests/:id/decide', async (req, reply) => {
      const id = Number((req.params as { id: string }).id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('not_found', { field: 'request' });
      const b = formBody(req);
      if (b.decision === 'approve') {
        await actions.approve(me(req), id, b.decisionReason);
        return reply.redirect(`/support/?approved=${id}`, 303);
      }
      await actions.reject(me(req), id, b.decisionReason);
      return reply.redirect(`/support/?rejected=${id}`, 303);
    });
  });
}
