/**
 * The example trading site (examples/oidc-trading-site.mjs) logs in through Mamori in a real
 * Chromium: the customer signs in to the site via Mamori's login, a withdrawal asks for
 * acr_values=phr and goes through Mamori's passkey step-up (CDP virtual authenticator), and a
 * logout at Mamori logs the site out by back-channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode, launchChromium, withVirtualAuthenticator } from '../support/browser';
import { freePort, startTestServer, type RunningServer } from '../support/server';
// @ts-expect-error an example in plain JavaScript, as a brokerage would copy it
import { startTradingSite } from '../../examples/oidc-trading-site.mjs';

describe('the example trading site through Mamori (OpenID Connect) in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  let site: { sessions: Map<string, unknown>; close(): Promise<void> };
  let siteUrl: string;
  const customer = { loginId: 'maebashi7', name: '前橋 七海', emails: ['nanami.maebashi@example.com'], loginPassword: 'akagi ropeway 1957', tradingPassword: 'tone river 322k' };

  before(async () => {
    srv = await startTestServer({ OIDC_PROVIDER: 'on', PASSKEY_COOLING_OFF_HOURS: '0' });
    await srv.server.runtime.services.accounts.create(customer, 'e2e');
    const port = await freePort();
    siteUrl = `http://localhost:${port}`;
    const { secret } = await srv.server.runtime.services.oidc.clients.add(
      { clientId: 'trading-web', redirectUris: [`${siteUrl}/callback`], publicClient: false, postLogoutRedirectUris: [], backchannelLogoutUri: `http://127.0.0.1:${port}/backchannel` },
      'e2e',
    );
    site = await startTradingSite({ mamoriUrl: srv.url, clientId: 'trading-web', clientSecret: secret, port, insecure: true });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await site?.close();
    await srv?.stop();
  });

  it('logs in to the site through Mamori, steps up with a passkey for a withdrawal, and is logged out by back-channel', async () => {
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await withVirtualAuthenticator(context, page);

    // Signed in to Mamori by code, with a passkey registered (the customer does not use it to log in).
    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    await page.getByRole('link', { name: '口座情報', exact: true }).click();
    await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
    await page.getByRole('link', { name: 'パスキーの管理' }).click();
    await enterMailedConfirmationCode(page, srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByText('パスキーを登録しました。').waitFor();

    // The site: one click, and Mamori's live session answers; the ID token says mfa, not phr.
    await page.goto(`${siteUrl}/login`);
    await page.getByText(`${customer.name} 様（urn:mamori:acr:mfa）`).waitFor();

    // A withdrawal asks for the phishing-resistant level: Mamori's step-up, with the passkey.
    await page.getByRole('button', { name: '出金する' }).click();
    await page.getByRole('heading', { name: '出金の本人確認' }).waitFor();
    await page.getByRole('button', { name: 'パスキーで本人確認' }).click();
    await page.getByText('出金を受け付けました').waitFor();
    assert.equal(site.sessions.size, 1);

    // Logging out of Mamori logs the site out, by back-channel.
    await page.goto(srv.url);
    await page.getByRole('button', { name: 'ログアウト' }).first().click();
    for (let i = 0; i < 100 && site.sessions.size > 0; i++) await page.waitForTimeout(100);
    assert.equal(site.sessions.size, 0, 'the site dropped its session on the logout token');
    await page.goto(siteUrl);
    await page.getByRole('link', { name: 'ログイン' }).waitFor();
    await context.close();
  });

  it('RP-initiated logout without a provider session: Mamori asks on its own page, and the button ends it (no blank page)', async () => {
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${srv.url}/oidc/session/end`);
    await page.getByRole('heading', { name: 'ログアウトの確認' }).waitFor();
    await page.getByRole('button', { name: 'ログアウトする' }).click();
    await page.getByRole('heading', { name: 'ログアウトしました' }).waitFor();
    assert.match(page.url(), /\/oidc\/session\/end\/success$/);
    await context.close();
  });
});
