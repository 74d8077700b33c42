/**
 * The screens the OpenID Connect provider draws, for the screen tour (screen-tour.ts): an
 * authorization request it cannot accept, and the end of a logout. (The logout confirmation needs a
 * provider session; its words are checked in test/integration/oidc-provider.test.ts.)
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
  await page.goto(`${srv.url}/oidc/session/end/success`);
  await look(page, 'oidc-logged-out');
  await context.close();
}
