/**
 * The customer's journey of issue 2 in a real Chromium, with the Japanese labels of the notice:
 * wrong password, e-mailed code typed full-width, recognised browser, a new browser, an old code
 * refused, logout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { enterLoginPassword } from '../support/browser';
import { browserSuite } from '../support/browser-suite';

describe('login in a real browser', () => {
  const customer = {
    loginId: 'gunma5',
    name: '群馬 五郎',
    emails: ['jimusho.gunma@example.com'],
    loginPassword: 'maebashi takasaki 2025',
    tradingPassword: 'kiryu isesaki 2025',
  };

  const suite = browserSuite([customer]);

  const enterPassword = (page: Page, password: string) => enterLoginPassword(page, suite.srv.url, customer.loginId, password);

  it('walks the whole journey', async () => {
    const context = await suite.chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();

    await enterPassword(page, 'wrong password');
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /ログインIDまたはログインパスワードが正しくありません/);

    await enterPassword(page, customer.loginPassword);
    await page.getByRole('heading', { name: '追加認証' }).waitFor();
    assert.match(await page.locator('main').innerText(), /jimu\*\*\*\*\* 宛に6桁の認証コードを送信しました/);
    assert.match(await page.locator('main').innerText(), /0120-954-171/);
    assert.equal(await page.getByRole('button', { name: '認証コードを再送する' }).isDisabled(), true, 'resend waits for its cooldown');

    const code = await suite.srv.codeFor(customer.emails[0]!);
    // A customer typing with a Japanese IME produces full-width digits.
    const fullWidth = code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    await page.getByLabel('認証コード').fill(fullWidth);
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('群馬 五郎 様').waitFor();
    const header = await page.locator('body').innerText();
    assert.match(header, /\d{4}\/\d{2}\/\d{2}/);
    for (const menu of ['取引', '資産状況', '入出金', '口座情報']) assert.ok(await page.getByRole('link', { name: menu, exact: true }).isVisible(), menu);

    assert.ok(await page.getByText('ワンタイムパスワード（二要素認証）').first().isVisible(), 'the notice\'s recommendation is shown');
    await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
    assert.match(await page.locator('main').innerText(), /gunma5/);
    assert.match(await page.locator('main').innerText(), /jimu\*\*\*\*\*/);

    // The old code cannot be used again, even in a fresh login from another browser.
    const other = await suite.chromium.newContext({ locale: 'ja-JP' });
    const otherPage = await other.newPage();
    await enterPassword(otherPage, customer.loginPassword);
    await otherPage.getByRole('heading', { name: '追加認証' }).waitFor();
    await otherPage.getByLabel('認証コード').fill(code);
    await otherPage.getByRole('button', { name: '認証', exact: true }).click();
    await otherPage.getByRole('alert').waitFor();
    assert.match(await otherPage.getByRole('alert').innerText(), /認証コードが正しくありません/);
    await other.close();

    // Logout ends the session; logging in again from this recognised browser needs no code.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    await page.goto(`${suite.srv.url}/account`);
    await page.getByLabel('ログインID').waitFor();
    await enterPassword(page, customer.loginPassword);
    await page.getByText('群馬 五郎 様').waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /追加認証/);

    // The show-password checkbox reveals what was typed.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByLabel('ログインパスワード').fill('abc');
    await page.getByLabel('パスワードを表示する').check();
    assert.equal(await page.getByLabel('ログインパスワード').getAttribute('type'), 'text');
    await context.close();
  });

  it('works on a phone-sized screen', async () => {
    const context = await suite.chromium.newContext({ locale: 'ja-JP', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${suite.srv.url}/login`);
    const box = await page.getByRole('button', { name: 'ログイン', exact: true }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, 'the login button fits the screen');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 375, `no horizontal scrolling (${scrollWidth})`);
    await context.close();
  });
});
