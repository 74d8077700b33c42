/**
 * ログインパスワードをお忘れの方 and ログインIDをお忘れの方 in a real Chromium: from the login page's
 * links, the mailed code typed full-width, the trading password and a new password; the old
 * session ends; and the login ID arriving by mail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { enterLoginPassword, launchChromium } from '../support/browser';
import { startTestServer, type RunningServer } from '../support/server';

describe('forgotten password and login ID in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  const customer = { loginId: 'wasure5', name: '群馬 五郎', emails: ['wasure.gunma@example.com'], loginPassword: 'maebashi takasaki 2025', tradingPassword: 'kiryu isesaki 2025' };

  before(async () => {
    srv = await startTestServer();
    await srv.server.runtime.services.accounts.create(customer, 'e2e');
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await srv?.stop();
  });

  it('resets the login password from the login page; the other browser is logged out', async () => {
    const old = await (await chromium.newContext({ locale: 'ja-JP' })).newPage();
    await enterLoginPassword(old, srv.url, customer.loginId, customer.loginPassword);
    await old.getByLabel('認証コード').fill(await srv.codeFor(customer.emails[0]!));
    await old.getByRole('button', { name: '認証', exact: true }).click();
    await old.getByText('群馬 五郎 様').waitFor();

    const page = await (await chromium.newContext({ locale: 'ja-JP' })).newPage();
    await page.goto(`${srv.url}/login`);
    await page.getByRole('link', { name: 'ログインパスワードをお忘れの方' }).click();
    await page.getByRole('heading', { name: 'ログインパスワードの再設定' }).waitFor();
    await page.getByLabel('ログインID').fill(customer.loginId);
    await page.getByLabel('ご登録のメールアドレス').fill(customer.emails[0]!);
    await page.getByRole('button', { name: '確認コードを送信' }).click();
    await page.getByRole('heading', { name: '確認コードの入力' }).waitFor();
    const m = await srv.smtp.waitForMail((x) => x.to.includes(customer.emails[0]!) && x.subject.includes('再設定の確認コード'), 15_000);
    assert.doesNotMatch(m.text, /https?:\/\//);
    const code = /確認コード: (\d{6})/.exec(m.text)![1]!;
    await page.getByLabel('確認コード').fill(code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))));
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByRole('heading', { name: '新しいログインパスワードの設定' }).waitFor();
    await page.locator('#tradingPassword').fill(customer.tradingPassword);
    await page.locator('#newPassword').fill('oze marsh mizubasho 6');
    await page.locator('#newPasswordConfirmation').fill('oze marsh mizubasho 6');
    await page.getByRole('button', { name: '再設定する' }).click();
    await page.getByRole('heading', { name: 'ログインパスワードを再設定しました' }).waitFor();

    await old.reload();
    await old.waitForURL('**/login');
    await page.getByRole('link', { name: 'ログイン画面へ' }).click();
    await enterLoginPassword(page, srv.url, customer.loginId, 'oze marsh mizubasho 6');
    await page.getByRole('heading', { name: '追加認証' }).waitFor();
  });

  it('mails the forgotten login ID', async () => {
    const page = await (await chromium.newContext({ locale: 'ja-JP' })).newPage();
    await page.goto(`${srv.url}/login`);
    await page.getByRole('link', { name: 'ログインIDをお忘れの方' }).click();
    await page.getByLabel('ご登録のメールアドレス').fill(customer.emails[0]!.toUpperCase());
    await page.getByRole('button', { name: 'ログインIDを送信' }).click();
    await page.getByRole('heading', { name: 'ログインIDのお問い合わせを受け付けました' }).waitFor();
    const m = await srv.smtp.waitForMail((x) => x.to.includes(customer.emails[0]!) && x.subject.includes('ログインIDのお知らせ'), 15_000);
    assert.match(m.text, /ログインID: wasure5/);
  });
});
