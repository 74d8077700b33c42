/**
 * Issue 16 in a real Chromium with the CDP virtual authenticator: a second browser registers a
 * passkey — only with the code mailed to the customer — and the customer, in their own browser,
 * sees it as new in the list and cancels it (取消) without the trading password; the passkey then
 * logs in nowhere, and the customer was mailed at each step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode, withVirtualAuthenticator } from '../support/browser';
import { browserSuite } from '../support/browser-suite';


describe('a new passkey registered with the mailed code, cancelled from another browser', () => {
  const customer = { loginId: 'maebashi7', name: '前橋 七海', emails: ['nanami.maebashi@example.com'], loginPassword: 'hirose river 1889', tradingPassword: 'shikishima 1892 tp' };
  const suite = browserSuite([customer]);

  it('registers only with the mailed code, lists it as new, and the customer cancels it from their own browser', async () => {
    const { srv, chromium } = suite;
    // The customer's own browser, signed in.
    const own = await chromium.newContext({ locale: 'ja-JP' });
    const ownPage = await own.newPage();
    await enterLoginPassword(ownPage, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(ownPage, srv, customer.emails[0]!);

    // A second browser, signed in as the customer, with an authenticator.
    const second = await chromium.newContext({ locale: 'ja-JP' });
    const page = await second.newPage();
    const authenticator = await withVirtualAuthenticator(second, page);
    await enterLoginPassword(page, srv.url, customer.loginId, customer.loginPassword);
    await enterMailedCode(page, srv, customer.emails[0]!);
    await page.goto(`${srv.url}/account/passkeys`);

    // The trading password alone is not enough: no ceremony starts, nothing is created.
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /確認コード/);
    assert.equal((await authenticator.credentials()).length, 0);

    // With the code mailed to the customer (whose mail says what it is for), it is registered.
    const mailsBefore = srv.smtp.mails.length;
    await enterMailedConfirmationCode(page, srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByText('パスキーを登録しました。').waitFor();
    assert.equal((await authenticator.credentials()).length, 1);
    assert.match(await page.locator('table.details tr').nth(1).innerText(), /新しいパスキー/);
    const notice = await srv.smtp.waitForMail((m) => srv.smtp.mails.indexOf(m) >= mailsBefore && m.subject.includes('パスキーを登録しました'), 10_000);
    assert.match(notice.text, /登録したブラウザ: .*Chrome.*（Linux.*）/);
    assert.doesNotMatch(notice.text, /Mozilla\/5\.0/);

    // The customer, in their own browser: the passkey is new, until when; 取消, no trading password.
    await ownPage.goto(`${srv.url}/account/passkeys`);
    const row = ownPage.locator('table.details tr').nth(1);
    assert.match(await row.innerText(), /新しいパスキー/);
    assert.match(await row.innerText(), /まで出金などの本人確認には使えません/);
    await ownPage.getByRole('button', { name: 'この端末のパスキーの登録を取消' }).click();
    await ownPage.getByText('パスキーの登録を取り消しました。').waitFor();
    assert.match(await ownPage.content(), /パスキーは登録されていません。/);
    await srv.smtp.waitForMail((m) => m.to.includes(customer.emails[0]!) && m.subject.includes('パスキーの登録を取り消しました'), 10_000);

    // The cancel signed the second browser out: its next page is the login page.
    await page.goto(`${srv.url}/account`);
    assert.match(new URL(page.url()).pathname, /^\/login/);
    // Its authenticator still holds the key; the server refuses it.
    await page.getByRole('button', { name: 'パスキーでログイン' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /パスキーによる認証ができませんでした/);
    await own.close();
    await second.close();
  });
});
