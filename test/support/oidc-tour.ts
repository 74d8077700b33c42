/**
 * The screens the OpenID Connect provider draws, for the screen tour (screen-tour.ts): an
 * authorization request it cannot accept, the confirmation of an RP-initiated logout (here without a
 * provider session, where oidc-provider would have drawn a self-submitting page) and its end.
 */
import type { Browser } from 'playwright-core';
import type { Lang } from './screen-checks';
import type { RunningServer } from './server';
import type { Tour } from './screen-tour';

export async function walkOidcScreens(srv: RunningServer, chromium: Browser, lang: Lang, look: Tour['look']): Promise<void> {
  const context = await chromium.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${srv.url}/oidc/auth?client_id=unknown-client&response_type=code&scope=openid`);
  await look(page, 'oidc-error');
  await page.goto(`${srv.url}/oidc/session/end`);
  await look(page, 'oidc-logout');
  await page.locator('button[name=logout]').click();
  await page.waitForURL('**/oidc/session/end/success');
  await look(page, 'oidc-logged-out');
  await context.close();
}
