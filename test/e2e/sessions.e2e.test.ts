/**
 * ログイン中の端末 in a real Chromium: a customer logged in on two browsers (two contexts, two
 * User-Agents) sees both on セキュリティ設定, this one marked 「ご利用中の端末」; logs the other
 * one out with its ログアウト button; the other browser is sent to the login page on its next click.
 * Then 他のすべての端末からログアウト does the same for every other browser at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, launchChromium } from '../support/browser';
import { startTestServer, type RunningServer } from '../support/server';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('signed-in devices in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  const customer = { loginId: 'kiryu3', name: '桐生 三郎', emails: ['kiryu.saburo@example.com'], loginPassword: 'watarase river 2025', tradingPassword: 'orihime trading 3' };
  const contexts: BrowserContext[] = [];

  before(async () => {
    srv = await startTestServer();
    await srv.server.runtime.services.accounts.create(customer, 'e2e');
    chromium = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await chromium?.close();
    await srv?.stop();
  });

  const signedInBrowser = async (userAgent?: string): Promise<Page> => {
    const context = await chromium.newContext({ locale: 'ja-JP', ...(userAgent ? { userAgent } : {}) });
    contexts.push(context);
    const page = await context.newPage();
    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    return page;
  };

  /** The rows of ログイン中の端末. */
  const sessionRows = (page: Page) => page.locator('table.sessions tr:has(td)');

  it('sees both browsers, logs the other one out, and the other is sent to the login page on its next click', async () => {
    const desktop = await signedInBrowser();
    const phone = await signedInBrowser(PHONE);

    await desktop.bringToFront();
    await desktop.goto(`${srv.url}/account/security`);
    await desktop.getByRole('heading', { name: 'ログイン中の端末' }).waitFor();
    assert.equal(await sessionRows(desktop).count(), 2);
    const mine = sessionRows(desktop).filter({ hasText: 'ご利用中の端末' });
    assert.equal(await mine.count(), 1, 'this browser is marked');
    assert.equal(await mine.getByRole('button').count(), 0);
    const phoneRow = sessionRows(desktop).filter({ hasText: 'iOS 17.0' });
    assert.match(await phoneRow.innerText(), /Mobile Safari 17/);
    assert.match(await phoneRow.innerText(), /メールの認証コード/);

    await phoneRow.getByRole('button', { name: 'ログアウト' }).click();
    await desktop.getByText('選択した端末をログアウトしました。').waitFor();
    assert.equal(await sessionRows(desktop).count(), 1);
    await desktop.getByText('ほかにログイン中の端末はありません。').waitFor();

    // The phone's next click (its window in front, as the customer picks it up): back to the login page.
    await phone.bringToFront();
    await phone.getByRole('link', { name: '登録情報照会', exact: true }).click();
    await phone.waitForURL('**/login');
    await phone.getByLabel('ログインID').waitFor();
    // The desktop is still in.
    await desktop.bringToFront();
    await desktop.reload();
    await desktop.getByRole('heading', { name: 'ログイン中の端末' }).waitFor();
  });

  it('他のすべての端末からログアウト signs every other browser out at once', async () => {
    const desktop = await signedInBrowser();
    const others = [await signedInBrowser(PHONE), await signedInBrowser()];
    await desktop.bringToFront();
    await desktop.goto(`${srv.url}/account/security`);
    assert.ok((await sessionRows(desktop).count()) >= 3);
    await desktop.getByRole('button', { name: '他のすべての端末からログアウト' }).click();
    await desktop.getByText(/他の端末（\d+件）をログアウトしました。/).waitFor();
    assert.equal(await sessionRows(desktop).count(), 1);
    for (const page of others) {
      await page.bringToFront();
      await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
      await page.waitForURL('**/login');
    }
  });
});
