/**
 * The phishing-resistant migration in a real Chromium with its CDP virtual authenticator: before
 * PASSKEY_REQUIRED_FROM the login page and the top page count down to the date; from the date a
 * customer without a passkey logs in by the e-mailed code, is taken to passkey registration, cannot
 * open another page meanwhile, registers and then reaches the top page. The server's clock is a
 * fake one the test moves (no waiting on the wall clock).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode, withVirtualAuthenticator } from '../support/browser';
import { browserSuite } from '../support/browser-suite';
import { FakeClock } from '../support/fake-clock';

describe('the phishing-resistant migration in a real browser', () => {
  const clock = new FakeClock('2026-06-20T01:00:00Z');
  const customer = { loginId: 'maebashi7', name: '前橋 七子', emails: ['nanako.maebashi@example.com'], loginPassword: 'akagi wind 1889', tradingPassword: 'tone river 322k' };
  const suite = browserSuite([customer], { env: { PASSKEY_POLICY: 'phishing-resistant', PASSKEY_REQUIRED_FROM: '2026-07-01' }, clock });

  it('before the date: the login page and the top page show the date, why, and a way to register', async () => {
    const { srv, chromium } = suite;
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${srv.url}/login`);
    await page.getByRole('heading', { name: '2026年7月1日(水)から、ログインにパスキーが必要になります' }).waitFor();
    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    await page.getByRole('heading', { name: '2026年7月1日(水)から、ログインにパスキーが必要になります' }).waitFor();
    await page.getByText('2026年7月1日(水)になる前に登録してください').waitFor();
    // Not held: another page opens.
    await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
    assert.match(page.url(), /\/account\/info$/);
    await context.close();
  });

  it('from the date: taken to registration, held there, registers with the virtual authenticator, then reaches the top page', async () => {
    const { srv, chromium } = suite;
    clock.set('2026-07-01T00:30:00Z');
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await withVirtualAuthenticator(context, page);

    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    await page.getByRole('heading', { name: 'パスキーの登録が必要です' }).waitFor();
    assert.match(page.url(), /\/account\/passkeys$/);

    for (const path of ['/account', '/account/info', '/account/security', '/account/emails']) {
      await page.goto(`${srv.url}${path}`);
      assert.match(page.url(), /\/account\/passkeys$/, `${path} is held`);
    }
    const api = await page.request.get(`${srv.url}/api/v1/session`);
    assert.equal(api.status(), 403);
    assert.equal((await api.json()).error.code, 'passkey_enrolment_required');

    await enterMailedConfirmationCode(page, srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByText('パスキーを登録しました。').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'パスキーの登録が必要です' }).count(), 0, 'no longer held');

    await page.getByRole('link', { name: '口座情報', exact: true }).click();
    await page.getByRole('link', { name: '登録情報照会', exact: true }).waitFor();
    assert.match(page.url(), /\/account$/);
    assert.equal((await page.request.get(`${srv.url}/api/v1/session`)).status(), 200);
    await context.close();
  });
});
