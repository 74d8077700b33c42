/**
 * Step-up for a withdrawal in a real Chromium, with its virtual authenticator over CDP. The test
 * plays the trading site on the same host (as nginx serves it, docs/integration.md): its
 * withdrawal page sends the customer to /step-up, the customer confirms with the passkey and
 * returns, and the trading site spends the grant with the customer's cookie — once.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Route } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode, withVirtualAuthenticator } from '../support/browser';
import { browserSuite } from '../support/browser-suite';

describe('step-up for a withdrawal in a real browser', () => {
  const customer = { loginId: 'maebashi7', name: '前橋 七海', emails: ['jimu.maebashi@example.com'], loginPassword: 'akagi mountain 1828', tradingPassword: 'tone river 322km' };
  // No cooling-off here: the passkey registered a moment ago may confirm the withdrawal.
  const suite = browserSuite([customer], { env: { PASSKEY_COOLING_OFF_HOURS: '0' } });

  it('the trading site redirects to /step-up, the customer confirms with the passkey and returns, the grant is spent once', async () => {
    const { srv, chromium } = suite;
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await withVirtualAuthenticator(context, page);

    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    await page.goto(`${srv.url}/account/passkeys`);
    await enterMailedConfirmationCode(page, srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByText('パスキーを登録しました。').waitFor();
    const before = (await context.cookies()).find((c) => c.name === '__Host-mamori_session')!.value;

    // The trading site: its own intent (a hash of amount and destination), and its consume.
    const intent = createHash('sha256').update('120000:0012345').digest('base64url');
    const consumed: number[] = [];
    await page.route(`${srv.url}/trade/**`, async (route: Route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/trade/withdraw') {
        const back = encodeURIComponent('/trade/withdraw/done');
        return route.fulfill({ status: 303, headers: { location: `/step-up?purpose=withdrawal&intent=${intent}&return_to=${back}` } });
      }
      const cookie = (await route.request().allHeaders()).cookie ?? '';
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${srv.url}/api/v1/step-up/consume`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'withdrawal', intent }) });
        consumed.push(res.status);
      }
      const ok = consumed[0] === 200;
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: `<!doctype html><html lang="ja"><title>出金</title><h1>${ok ? '出金を受け付けました' : '本人確認が必要です'}</h1></html>` });
    });

    await page.goto(`${srv.url}/trade/withdraw`);
    await page.getByRole('heading', { name: '出金の本人確認' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/step-up');
    await page.getByRole('button', { name: 'パスキーで本人確認' }).click();
    await page.getByRole('heading', { name: '出金を受け付けました' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/trade/withdraw/done');
    assert.deepEqual(consumed, [200, 403], 'spent exactly once');

    const after = (await context.cookies()).find((c) => c.name === '__Host-mamori_session')!.value;
    assert.notEqual(after, before, 'the session cookie was renewed');
    const old = await fetch(`${srv.url}/api/v1/session`, { headers: { cookie: `__Host-mamori_session=${before}` } });
    assert.equal(old.status, 401);
    const now = await (await fetch(`${srv.url}/api/v1/session`, { headers: { cookie: `__Host-mamori_session=${after}` } })).json();
    assert.equal(now.phishingResistant, true);
    await context.close();
  });
});
