/**
 * Passkey screens and the JSON endpoints their script calls: registration on 登録情報照会's
 * パスキー section and step-up (logging in with a passkey: passkey-login-pages.ts). The WebAuthn
 * browser calls run in /static/passkeys.js (our origin, CSP 'self').
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { CompletedLogin } from '../../domain/login/login-service';
import { formatJst } from '../../domain/notifications/format';
import type { Account } from '../../domain/accounts/records';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE, FLOW_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies';
import { assertCsrf, csrfField } from '../csrf';
import { messageOf, statusOf } from '../errors';
import { html } from '../html';
import { alertBox, passwordInput, renderPage, stepUpHint } from '../layout';
import { loginContext, sessionToken, type WebDeps } from '../request-context';
import { requireSession } from './account-pages';
import { confirmationCodeInput, reauthSection, reauthView, sendCodeRoute } from './reauthentication';

type Body = Record<string, unknown>;

export function passkeyPages(app: FastifyInstance, deps: WebDeps): void {
  const { passkeys, login, ports, brand, sessions } = deps.services;
  const { keyed, random, store } = ports;
  const guard = { preHandler: requireSession(deps) };
  const strict = deps.config.login.passkeyPolicy === 'phishing-resistant';

  async function accountOf(req: FastifyRequest): Promise<Account> {
    const account = await store.accounts.findById(req.session!.accountId);
    if (!account) throw new DomainError('session_invalid');
    return account;
  }

  const body = (req: FastifyRequest): Body => {
    const b = req.body;
    return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Body) : {};
  };

  async function renderList(req: FastifyRequest, reply: FastifyReply, o: { error?: string; info?: string; status?: number } = {}) {
    const { t } = req;
    const account = await accountOf(req);
    const list = await passkeys.list(account);
    const csrf = csrfField(req, reply, keyed, random);
    const reauth = await reauthView(req, deps, account, 'passkey_register', '/account/passkeys/register/code');
    const rows = list.map(
      (p) => html`<tr>
        <td>${p.name}
          <form method="post" action="/account/passkeys/${p.id}/rename" class="inline">
            <input type="hidden" name="_csrf" value="${csrf}">
            <label class="visually-hidden" for="rename-${p.id}">${t('passkey.name')}</label>
            <input id="rename-${p.id}" name="name" type="text" maxlength="40" value="${p.name}">
            <button type="submit" class="secondary">${t('passkey.rename')}</button>
          </form></td>
        <td>${formatJst(p.createdAt)}</td>
        <td>${p.lastUsedAt ? formatJst(p.lastUsedAt) : t('passkey.never')}</td>
        <td><a class="button secondary" href="/account/passkeys/${p.id}/delete">${t('passkey.delete')}</a></td>
      </tr>`,
    );
    const bodyHtml = html`
      ${alertBox(o.error)}${alertBox(o.info, 'info')}
      <p>${t('passkey.lead')}</p>
      ${list.length
        ? html`<table class="details"><tr><th scope="col">${t('passkey.name')}</th><th scope="col">${t('passkey.created')}</th><th scope="col">${t('passkey.lastUsed')}</th><th scope="col"></th></tr>${rows}</table>`
        : html`<p>${t('passkey.none')}</p>`}
      <h2>${t('passkey.register')}</h2>
      ${reauthSection(req, reply, deps, reauth)}
      <form class="card" data-passkey-form novalidate>
        <input type="hidden" name="_csrf" value="${csrf}">
        <p class="note">${t('passkey.registerLead')}</p>
        <div class="field"><label for="passkeyName">${t('passkey.name')}</label><input id="passkeyName" name="name" type="text" maxlength="40" value="${t('passkey.defaultName')}"></div>
        ${confirmationCodeInput(req)}
        ${passwordInput('tradingPassword', 'tradingPassword', t('common.tradingPassword'), t('common.showPassword'), { autocomplete: 'off' })}
        <button type="button" class="primary" data-passkey="register">${t('passkey.register')}</button>
      </form>
      <p><a href="/account/info">${t('otp.toInfo')}</a></p>`;
    return renderPage(req, reply, deps, { title: t('passkey.title'), body: bodyHtml, status: o.status });
  }

  app.get('/account/passkeys', guard, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    return renderList(req, reply, { info: q.added === '1' ? req.t('passkey.added') : q.deleted === '1' ? req.t('passkey.deleted') : undefined });
  });

  sendCodeRoute(app, deps, guard, '/account/passkeys/register/code', 'passkey_register', (req, reply, error) => renderList(req, reply, { error: error?.message, status: error?.status }));

  app.post('/account/passkeys/register/options', guard, async (req) => {
    assertCsrf(req, keyed);
    const b = body(req);
    return passkeys.beginRegistration(await accountOf(req), { tradingPassword: b.tradingPassword, confirmationCode: b.confirmationCode }, loginContext(req));
  });

  app.post('/account/passkeys/register/verify', guard, async (req) => {
    assertCsrf(req, keyed);
    const b = body(req);
    const p = await passkeys.finishRegistration(await accountOf(req), { challengeId: b.challengeId, credential: b.credential, name: b.name }, loginContext(req));
    return { id: p.id, name: p.name };
  });

  app.post('/account/passkeys/:id/rename', guard, async (req, reply) => {
    try {
      assertCsrf(req, keyed);
      await passkeys.rename(await accountOf(req), (req.params as { id: string }).id, body(req).name, loginContext(req));
      return renderList(req, reply, { info: req.t('passkey.renamed') });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderList(req, reply, { error: messageOf(e, req.t), status: statusOf(e.code) });
    }
  });

  async function renderDelete(req: FastifyRequest, reply: FastifyReply, o: { error?: string; status?: number } = {}) {
    const { t } = req;
    const id = (req.params as { id: string }).id;
    const account = await accountOf(req);
    const p = (await passkeys.list(account)).find((x) => String(x.id) === id);
    if (!p) return renderList(req, reply, { error: t('error.not_found.passkey'), status: 404 });
    const reauth = await reauthView(req, deps, account, 'passkey_delete', `/account/passkeys/${p.id}/delete/code`);
    const bodyHtml = html`
      ${alertBox(o.error)}
      <p>${t('passkey.deleteLead')}</p>
      <table class="details"><tr><th scope="row">${t('passkey.name')}</th><td>${p.name}</td></tr><tr><th scope="row">${t('passkey.created')}</th><td>${formatJst(p.createdAt)}</td></tr></table>
      ${reauthSection(req, reply, deps, reauth)}
      <form method="post" action="/account/passkeys/${p.id}/delete" class="card" novalidate>
        <input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">
        <p class="note">${t('reauth.formLead', { button: t('passkey.delete') })}</p>
        ${confirmationCodeInput(req)}
        ${passwordInput('tradingPassword', 'tradingPassword', t('common.tradingPassword'), t('common.showPassword'), { autocomplete: 'off' })}
        <div class="actions"><a class="button secondary" href="/account/passkeys">${t('common.backToInput')}</a> <button type="submit" class="primary">${t('passkey.delete')}</button></div>
      </form>
      ${stepUpHint(req.t, o.error)}`;
    return renderPage(req, reply, deps, { title: t('passkey.deleteTitle'), body: bodyHtml, status: o.status });
  }

  app.get('/account/passkeys/:id/delete', guard, async (req, reply) => renderDelete(req, reply));
  sendCodeRoute(app, deps, guard, '/account/passkeys/:id/delete/code', 'passkey_delete', (req, reply, error) => renderDelete(req, reply, { error: error?.message, status: error?.status }));
  app.post('/account/passkeys/:id/delete', guard, async (req, reply) => {
    try {
      assertCsrf(req, keyed);
      const b = body(req);
      await passkeys.delete(await accountOf(req), (req.params as { id: string }).id, { tradingPassword: b.tradingPassword, confirmationCode: b.confirmationCode }, loginContext(req));
      return reply.redirect('/account/passkeys?deleted=1', 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderDelete(req, reply, { error: messageOf(e, req.t), status: statusOf(e.code) });
    }
  });

  // Step-up, for critical operations here and for the trading service (docs/integration.md).
  const stepUpSession = async (req: FastifyRequest) => {
    const session = await sessions.check(sessionToken(req));
    if (!session) throw new DomainError('session_invalid');
    req.session = session;
    return session;
  };
  app.post('/api/v1/step-up/options', async (req) => passkeys.beginStepUp((await stepUpSession(req)).accountId));
  app.post('/api/v1/step-up/verify', async (req) => {
    const session = await stepUpSession(req);
    const b = body(req);
    const at = await passkeys.finishStepUp(session, { challengeId: b.challengeId, credential: b.credential }, loginContext(req));
    return { stepUpAt: at.toISOString() };
  });
}
