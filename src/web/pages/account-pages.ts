/** The signed-in screens: 口座情報 menu, 登録情報照会, Eメールアドレス登録照会. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskAddress } from '../../domain/addresses/masking';
import { html } from '../../web/html';
import { renderPage } from '../layout';
import { sessionToken, type WebDeps } from '../request-context';

/** Signed-in pages: no session, or an expired one, goes back to the login page. */
export function requireSession(deps: WebDeps) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await deps.services.sessions.check(sessionToken(req));
    if (!session) return reply.redirect('/login', 303);
    req.session = session;
  };
}

export function accountPages(app: FastifyInstance, deps: WebDeps): void {
  const { store } = deps.services.ports;
  const guard = { preHandler: requireSession(deps) };
  const trading = deps.services.brand.tradingServiceUrl;

  app.get('/', guard, async (req, reply) => reply.redirect('/account', 303));

  app.get('/account', guard, async (req, reply) => {
    const { t } = req;
    const s = req.session!;
    const account = await store.accounts.findById(s.accountId);
    const emails = await store.emails.listForAccount(s.accountId);
    const protectedAlready = Boolean(account?.totpEnabledAt) || emails.some((e) => e.loginNotification && e.verifiedAt);
    // Under the phishing-resistant policy every customer is asked to register a passkey.
    const askPasskey = deps.config.login.passkeyPolicy === 'phishing-resistant' && account && !(await deps.services.passkeys.list(account)).length;
    // The notice urges TOTP on smartphone users and login notification on everyone else.
    const recommend = protectedAlready
      ? html``
      : html`<section class="recommend" aria-label="recommendation">
          <p>${t('home.recommend')}</p>
          <ul><li><a href="/account/info">${t('home.recommendTotp')}</a></li><li><a href="/account/emails">${t('home.recommendNotify')}</a></li></ul>
        </section>`;
    const body = html`
      ${askPasskey ? html`<section class="recommend"><p>${t('passkey.recommend')}</p><a class="button primary" href="/account/passkeys">${t('passkey.register')}</a></section>` : html``}
      ${recommend}
      <section class="menu-panel">
        <h2>${t('menu.customerInfo')}</h2>
        <ul class="menu">
          <li><a href="/account/info">${t('menu.registrationInfo')}</a></li>
          <li><a href="/account/emails">${t('menu.emailInfo')}</a></li>
          <li><a href="${trading}">お知らせ照会</a></li>
          <li><a href="${trading}">メッセージ照会</a></li>
          <li><a href="${trading}">取引報告書等電子交付サービス照会</a></li>
          <li><a href="${trading}">目論見書等照会</a></li>
          <li><a href="${trading}">目論見書交付履歴</a></li>
        </ul>
      </section>`;
    return renderPage(req, reply, deps, { title: t('home.title'), body });
  });

  app.get('/account/info', guard, async (req, reply) => {
    const { t } = req;
    const s = req.session!;
    const account = await store.accounts.findById(s.accountId);
    if (!account) return reply.redirect('/login', 303);
    const emails = await store.emails.listForAccount(s.accountId);
    const representative = emails.find((e) => e.slot === 1);
    const status = await deps.services.totp.status(account);
    const passkeyCount = (await deps.services.passkeys.list(account)).length;
    const totpCell = status.enabled
      ? html`<span class="state on">${t('info.inUse')}</span>
          <div class="actions"><a class="button secondary" href="/account/totp/reregister">${t('otp.reregister')}</a> <a class="button secondary" href="/account/totp/stop">${t('otp.stop')}</a></div>
          <p class="note">${t('otp.recoveryRemaining', { count: status.unusedRecoveryCodes })} <a href="/account/totp/recovery-codes">${t('otp.regenerate')}</a></p>`
      : html`<span class="state off">${t('info.notInUse')}</span>
          <a class="button primary" href="/account/totp/apply">${t('otp.apply')}</a>`;
    const body = html`
      <p class="breadcrumb">${t('menu.customerInfo')} › ${t('info.title')}</p>
      <nav class="page-menu" aria-label="${t('info.title')}"><a href="#services">${t('info.services')}</a> <a href="#security">${t('security.title')}</a></nav>
      <table class="details">
        <tr><th scope="row">${t('info.loginId')}</th><td>${s.loginId}</td></tr>
        <tr><th scope="row">${t('info.name')}</th><td>${s.name}</td></tr>
        <tr><th scope="row">${t('info.email')}</th><td>${representative ? maskAddress(representative.address) : t('common.notRegistered')}</td></tr>
      </table>
      <h2 id="services">${t('info.services')}</h2>
      <table class="details">
        <tr><th scope="row">${t('info.totpService')}</th><td>${totpCell}</td></tr>
        <tr><th scope="row">${t('passkey.title')}</th><td>${t('passkey.count', { count: passkeyCount })} <a class="button secondary" href="/account/passkeys">${t('passkey.manage')}</a></td></tr>
      </table>
      <h2 id="security">${t('security.title')}</h2>
      <ul class="menu">
        <li><a href="/account/security#history">${t('history.title')}</a></li>
        <li><a href="/account/security#devices">${t('devices.title')}</a></li>
        <li><a href="/account/password">${t('password.loginTitle')}</a></li>
        <li><a href="/account/trading-password">${t('password.tradingTitle')}</a></li>
      </ul>`;
    return renderPage(req, reply, deps, { title: t('info.title'), body });
  });
}
