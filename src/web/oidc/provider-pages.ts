/**
 * The screens oidc-provider draws itself (an error of an authorization request, the confirmation of
 * RP-initiated logout, and its end), in Mamori's frame, Japanese or English as the customer chose.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { parse } from 'cookie';
import { pickLocale, translator } from '../../i18n';
import { LANG_COOKIE } from '../cookies';
import { html, type Html } from '../html';
import { frameView, type Page } from '../views/frame';
import type { WebDeps } from '../request-context';

function draw(ctx: KoaContextWithOIDC, deps: WebDeps, page: (t: ReturnType<typeof translator>) => Page): void {
  const cookies = parse(String(ctx.req.headers.cookie ?? ''));
  const locale = pickLocale(cookies[LANG_COOKIE], ctx.req.headers['accept-language']);
  const t = translator(locale);
  const p = page(t);
  const doc: Html = frameView({ t, locale, brand: deps.services.brand, branding: deps.config.branding, now: deps.services.ports.clock.now(), customer: null }, p);
  ctx.type = 'html';
  ctx.body = doc.toString();
}

export function providerPages(deps: WebDeps) {
  return {
    renderError(ctx: KoaContextWithOIDC, out: { error?: string }) {
      draw(ctx, deps, (t) => ({
        title: t('oidc.error.title'),
        body: html`<p class="alert error" role="alert">${t('oidc.error.body')}</p><p>${t('oidc.error.code', { code: String(out.error ?? 'server_error').slice(0, 64) })}</p><p><a href="/login">${t('oidc.toLogin')}</a></p>`,
      }));
    },
    /** oidc-provider gives the form's opening tag (with its one-time xsrf value); the buttons are ours. */
    logoutSource(ctx: KoaContextWithOIDC, form: string) {
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
      const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
      draw(ctx, deps, (t) => ({
        title: t('oidc.logout.title'),
        body: html`<p>${t('oidc.logout.question')}</p>
<form method="post" action="${action}">
  <input type="hidden" name="xsrf" value="${xsrf}">
  <div class="actions">
    <button type="submit" name="logout" value="yes" class="primary">${t('oidc.logout.yes')}</button>
    <button type="submit">${t('oidc.logout.no')}</button>
  </div>
</form>`,
      }));
    },
    /** The same question, where oidc-provider would have posted the form itself (no provider session to end). */
    logoutWithoutSession(ctx: KoaContextWithOIDC) {
      const action = ctx.oidc.urlFor('end_session_confirm');
      this.logoutSource(ctx, `<form method="post" action="${action}"><input type="hidden" name="xsrf" value="${ctx.oidc.session?.state?.secret ?? ''}"/></form>`);
    },
    postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      draw(ctx, deps, (t) => ({ title: t('oidc.loggedOut.title'), body: html`<p>${t('oidc.loggedOut.body')}</p><p><a href="/login">${t('oidc.toLogin')}</a></p>` }));
    },
  };
}
