/**
 * The customer's own security overview, reached from 登録情報照会: ログイン履歴, 登録済み端末
 * (解除), ログインパスワード変更 and 取引パスワード変更.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HistoryEntry } from '../../domain/accounts/security-service';
import { methodLabel } from '../../domain/notifications/messages';
import { formatJst } from '../../domain/notifications/format';
import { DEVICE_COOKIE, cookieOptions } from '../cookies';
import { assertCsrf } from '../csrf';
import { html } from '../html';
import { alertBox, passwordInput, renderPage, stepUpHint } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { requireSession } from './account-pages';
import { csrfInput, formBody, pageError, sessionAccount, type PageError } from './forms';

export function securityPages(app: FastifyInstance, deps: WebDeps): void {
  const { security, devices } = deps.services;
  const guard = { preHandler: requireSession(deps) };

  const currentDeviceId = async (req: FastifyRequest) => {
    const device = await devices.findLive(req.cookies[DEVICE_COOKIE]);
    return device && device.accountId === req.session!.accountId ? device.id : null;
  };

  function resultLabel(req: FastifyRequest, e: HistoryEntry): string {
    return req.t(`history.result.${e.result}`);
  }

  async function renderOverview(req: FastifyRequest, reply: FastifyReply, o: { info?: string; error?: string; status?: number } = {}) {
    const { t } = req;
    const account = await sessionAccount(req, deps);
    const [history, list] = await Promise.all([security.loginHistory(account), security.devices(account, await currentDeviceId(req))]);
    const historyRows = history.map(
      (e) =>
        html`<tr class="${e.result === 'success' ? 'ok' : 'failed'}"><td data-label="${t('history.at')}">${formatJst(e.at)}</td><td data-label="${t('history.ip')}">${e.ip}</td><td data-label="${t('history.browser')}">${e.browser} / ${e.os}</td><td data-label="${t('history.method')}">${e.method ? methodLabel(e.method) : '—'}</td><td data-label="${t('history.result')}">${resultLabel(req, e)}</td></tr>`,
    );
    const deviceRows = list.map(
      (d) => html`<tr><td data-label="${t('history.browser')}">${d.browser} / ${d.os}${d.current ? html` <span class="badge">${t('devices.current')}</span>` : html``}</td><td data-label="${t('devices.firstUsed')}">${formatJst(d.firstUsedAt)}</td><td data-label="${t('devices.lastUsed')}">${formatJst(d.lastUsedAt)}</td>
        <td><form method="post" action="/account/devices/${d.id}/revoke" class="inline">${csrfInput(req, reply, deps)}<button type="submit" class="secondary" aria-label="${d.browser} / ${d.os} ${t('devices.revoke')}">${t('devices.revoke')}</button></form></td></tr>`,
    );
    const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('info.title')} › ${t('security.title')}</p>
      ${alertBox(o.error)}${alertBox(o.info, 'info')}
      <h2 id="history">${t('history.title')}</h2>
      <p class="note">${t('history.lead')}</p>
      ${history.length
        ? html`<div class="table-scroll"><table class="details history"><tr><th scope="col">${t('history.at')}</th><th scope="col">${t('history.ip')}</th><th scope="col">${t('history.browser')}</th><th scope="col">${t('history.method')}</th><th scope="col">${t('history.result')}</th></tr>${historyRows}</table></div>`
        : html`<p>${t('history.none')}</p>`}
      <h2 id="devices">${t('devices.title')}</h2>
      <p class="note">${t('devices.lead')}</p>
      ${list.length
        ? html`<div class="table-scroll"><table class="details devices"><tr><th scope="col">${t('history.browser')}</th><th scope="col">${t('devices.firstUsed')}</th><th scope="col">${t('devices.lastUsed')}</th><th scope="col"></th></tr>${deviceRows}</table></div>`
        : html`<p>${t('devices.none')}</p>`}
      <h2 id="passwords">${t('security.passwords')}</h2>
      <ul class="menu"><li><a href="/account/password">${t('password.loginTitle')}</a></li><li><a href="/account/trading-password">${t('password.tradingTitle')}</a></li></ul>
      <p><a href="/account/info">${t('otp.toInfo')}</a></p>`;
    return renderPage(req, reply, deps, { title: t('security.title'), body, status: o.status });
  }

  app.get('/account/security', guard, async (req, reply) => renderOverview(req, reply));

  app.post('/account/devices/:id/revoke', guard, async (req, reply) => {
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const id = (req.params as { id: string }).id;
      const current = await currentDeviceId(req);
      await security.revokeDevice(await sessionAccount(req, deps), id, loginContext(req));
      // Revoking this very browser also drops its cookie, so its next login asks for the code.
      if (current !== null && String(current) === id) reply.clearCookie(DEVICE_COOKIE, cookieOptions());
      return renderOverview(req, reply, { info: req.t('devices.revoked') });
    } catch (e) {
      const err = pageError(req, reply, e);
      return renderOverview(req, reply, { error: err.message, status: err.status });
    }
  });

  // ログインパスワード変更 / 取引パスワード変更
  function passwordForm(req: FastifyRequest, reply: FastifyReply, kind: 'login' | 'trading', error?: PageError) {
    const { t } = req;
    const show = t('common.showPassword');
    const fields =
      kind === 'login'
        ? html`${passwordInput('currentPassword', 'currentPassword', t('password.currentLogin'), show, { autocomplete: 'current-password' })}
            ${passwordInput('newPassword', 'newPassword', t('password.newLogin'), show, { autocomplete: 'new-password' })}
            ${passwordInput('newPasswordConfirmation', 'newPasswordConfirmation', t('password.newLoginAgain'), show, { autocomplete: 'new-password' })}
            <p class="note">${t('common.tradingPasswordLead', { button: t('common.change') })}</p>
            ${passwordInput('tradingPassword', 'tradingPassword', t('common.tradingPassword'), show, { autocomplete: 'off' })}`
        : html`${passwordInput('currentPassword', 'currentPassword', t('password.currentTrading'), show, { autocomplete: 'off' })}
            ${passwordInput('newPassword', 'newPassword', t('password.newTrading'), show, { autocomplete: 'off' })}
            ${passwordInput('newPasswordConfirmation', 'newPasswordConfirmation', t('password.newTradingAgain'), show, { autocomplete: 'off' })}`;
    const body = html`
      ${alertBox(error?.message)}
      <p>${t(kind === 'login' ? 'password.loginLead' : 'password.tradingLead')}</p>
      <p class="note">${t('password.rules')}</p>
      <form method="post" action="${kind === 'login' ? '/account/password' : '/account/trading-password'}" class="card" novalidate>
        ${csrfInput(req, reply, deps)}
        ${fields}
        <div class="actions"><a class="button secondary" href="/account/security">${t('common.back')}</a> <button type="submit" class="primary">${t('common.change')}</button></div>
      </form>
      ${stepUpHint(t, error?.message)}`;
    return renderPage(req, reply, deps, { title: t(kind === 'login' ? 'password.loginTitle' : 'password.tradingTitle'), body, status: error?.status });
  }

  function done(req: FastifyRequest, reply: FastifyReply, kind: 'login' | 'trading') {
    const { t } = req;
    const body = html`<p class="alert info" role="status">${t(kind === 'login' ? 'password.loginDone' : 'password.tradingDone')}</p>
      <p><a class="button primary" href="/account/security">${t('security.title')}</a></p>`;
    return renderPage(req, reply, deps, { title: t(kind === 'login' ? 'password.loginDoneTitle' : 'password.tradingDoneTitle'), body });
  }

  app.get('/account/password', guard, async (req, reply) => passwordForm(req, reply, 'login'));
  app.post('/account/password', guard, async (req, reply) => {
    const f = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      await security.changeLoginPassword(
        await sessionAccount(req, deps),
        { current: f.currentPassword, next: f.newPassword, confirmation: f.newPasswordConfirmation, tradingPassword: f.tradingPassword },
        { ...loginContext(req), sessionId: req.session!.id, deviceId: await currentDeviceId(req) },
      );
      return done(req, reply, 'login');
    } catch (e) {
      return passwordForm(req, reply, 'login', pageError(req, reply, e));
    }
  });

  app.get('/account/trading-password', guard, async (req, reply) => passwordForm(req, reply, 'trading'));
  app.post('/account/trading-password', guard, async (req, reply) => {
    const f = formBody(req);
    try {
      assertCsrf(req, deps.services.ports.keyed);
      await security.changeTradingPassword(await sessionAccount(req, deps), { current: f.currentPassword, next: f.newPassword, confirmation: f.newPasswordConfirmation }, loginContext(req));
      return done(req, reply, 'trading');
    } catch (e) {
      return passwordForm(req, reply, 'trading', pageError(req, reply, e));
    }
  });

}
