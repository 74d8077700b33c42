/** Routes of the security overview and the password changes (views/security-views.ts draws them). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import { html } from '../html';
import { notice, type FormError } from '../views/kit';
import * as views from '../views/security-views';
import { reauthState, sendCodeRoute } from './reauthentication';

export function securityPages(app: FastifyInstance, deps: WebDeps): void {
  const { security, devices, customerSessions } = deps.services;

  const currentDeviceId = async (req: FastifyRequest) => {
    const device = await devices.findLive(req.cookies[DEVICE_COOKIE]);
    return device && device.accountId === req.session!.accountId ? device.id : null;
  };

  async function renderOverview(req: FastifyRequest, reply: FastifyReply, o: { info?: string; error?: FormError } = {}) {
    const account = signedInAccount(req);
    const [history, list, sessions] = await Promise.all([
      security.loginHistory(account),
      security.devices(account, await currentDeviceId(req)),
      customerSessions.list(account, req.session!.id),
    ]);
    return sendPage(req, reply, deps, views.overviewView(viewContext(req, reply, deps), history, list, o, sessions));
  }

  app.get('/account/security', async (req, reply) => renderOverview(req, reply));

  app.post('/account/devices/:id/revoke', async (req, reply) => {
    try {
      const id = (req.params as { id: string }).id;
      const current = await currentDeviceId(req);
      await security.revokeDevice(signedInAccount(req), id, loginContext(req));
      // Revoking this very browser also drops its cookie, so its next login asks for the code.
      if (current !== null && String(current) === id) reply.clearCookie(DEVICE_COOKIE, cookieOptions());
      return renderOverview(req, reply, { info: req.t('devices.revoked') });
    } catch (e) {
      return renderOverview(req, reply, { error: pageError(req, reply, e) });
    }
  });

  const inSession = (req: FastifyRequest) => ({ ...loginContext(req), sessionId: req.session!.id });

  app.post('/account/sessions/:id/logout', async (req, reply) => {
    try {
      const { current } = await customerSessions.end(signedInAccount(req), (req.params as { id: string }).id, inSession(req));
      if (current) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions());
        return reply.redirect('/login', 303);
      }
      return renderOverview(req, reply, { info: req.t('sessions.ended') });
    } catch (e) {
      return renderOverview(req, reply, { error: pageError(req, reply, e) });
    }
  });

  app.post('/account/sessions/logout-others', async (req, reply) => {
    const ended = await customerSessions.endOthers(signedInAccount(req), inSession(req));
    return renderOverview(req, reply, { info: req.t('sessions.othersEnded', { count: ended }) });
  });

  // A password change is confirmed with the trading password and a fresh second factor (本人確認 card).
  const purposeOf = { login: 'login_password_change', trading: 'trading_password_change' } as const;
  const sendPathOf = { login: '/account/password/code', trading: '/account/trading-password/code' } as const;
  const form = async (kind: views.PasswordKind, req: FastifyRequest, reply: FastifyReply, error?: FormError) => {
    const reauth = await reauthState(req, deps, purposeOf[kind], sendPathOf[kind]);
    const page = views.passwordFormView(viewContext(req, reply, deps), kind, reauth, error);
    // The desk's must-change flag keeps the customer here (signed-in.ts); the screen says why.
    const required = kind === 'login' && req.account?.passwordChangeRequiredAt;
    return sendPage(req, reply, deps, required ? { ...page, body: html`${notice(req.t('mustChange.notice'))}${page.body}` } : page);
  };
  for (const kind of ['login', 'trading'] as const) sendCodeRoute(app, deps, sendPathOf[kind], purposeOf[kind], (req, reply, error) => form(kind, req, reply, error));
  const done = (kind: views.PasswordKind, req: FastifyRequest, reply: FastifyReply) => sendPage(req, reply, deps, views.passwordDoneView(viewContext(req, reply, deps), kind));

  app.get('/account/password', async (req, reply) => form('login', req, reply));
  app.post('/account/password', async (req, reply) => {
    const f = formBody(req);
    try {
      await security.changeLoginPassword(
        signedInAccount(req),
        { current: f.currentPassword, next: f.newPassword, confirmation: f.newPasswordConfirmation, tradingPassword: f.tradingPassword, confirmationCode: f.confirmationCode },
        { ...loginContext(req), sessionId: req.session!.id, deviceId: await currentDeviceId(req) },
      );
      return done('login', req, reply);
    } catch (e) {
      return form('login', req, reply, pageError(req, reply, e));
    }
  });

  app.get('/account/trading-password', async (req, reply) => form('trading', req, reply));
  app.post('/account/trading-password', async (req, reply) => {
    const f = formBody(req);
    try {
      const change = { current: f.currentPassword, next: f.newPassword, confirmation: f.newPasswordConfirmation, confirmationCode: f.confirmationCode };
      await security.changeTradingPassword(signedInAccount(req), change, { ...loginContext(req), sessionId: req.session!.id });
      return done('trading', req, reply);
    } catch (e) {
      // Here the trading password being confirmed is typed as 現在の取引パスワード: that field is marked.
      const error = pageError(req, reply, e);
      return form('trading', req, reply, { ...error, fields: error.fields.map((f) => (f === 'tradingPassword' ? 'currentPassword' : f)) });
    }
  });
}
