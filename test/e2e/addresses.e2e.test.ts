/**
 * Eメールアドレス登録照会, ログイン通知 and the security overview in a real Chromium, with the
 * notice's Japanese labels and a real SMTP server: masked addresses, 仮登録 → code → registered,
 * メールアドレス1 changed (trading password and a confirmation code mailed to the current メールアドレス1,
 * none to the new one before that) with the old address told, address 2 removed the same way,
 * login notification on → a login from another
 * browser mails it, a wrong trading password changes nothing, 解除 forces a code, and a password
 * change ends the other browser's session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode } from '../support/browser';
import { browserSuite } from '../support/browser-suite';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('addresses, login notification and security pages in a real browser', () => {
  const customer = { loginId: 'isesaki8', name: '伊勢崎 八郎', emails: ['jimukyoku.isesaki@example.com'], loginPassword: 'silk road meisen', tradingPassword: 'kabuto beetle 88' };

  const suite = browserSuite([customer]);

  const passwordStep = (page: Page) => enterLoginPassword(page, suite.srv.url, customer.loginId, customer.loginPassword);

  async function loginWithCode(page: Page, to: string) {
    await passwordStep(page);
    await enterMailedCode(page, suite.srv, to);
  }

  async function addressCode(to: string) {
    const m = await suite.srv.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes('確認コード'), 15_000);
    suite.srv.smtp.mails.splice(suite.srv.smtp.mails.indexOf(m), 1);
    assert.doesNotMatch(m.text, /https?:\/\//);
    return /確認コード: (\d{6})/.exec(m.text)![1]!;
  }

  async function toEmails(page: Page) {
    await page.getByRole('link', { name: '口座情報', exact: true }).click();
    await page.getByRole('link', { name: 'Eメールアドレス登録照会', exact: true }).click();
  }

  it('registers, changes and notifies as the notice shows', async () => {
    const desk = await suite.chromium.newContext({ locale: 'ja-JP' });
    const page = await desk.newPage();
    await loginWithCode(page, customer.emails[0]!);
    await toEmails(page);
    await page.getByRole('heading', { name: 'メール通知サービス登録状況' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /jimu\*\*\*\*\*/);
    assert.doesNotMatch(text, /jimukyoku\.isesaki|example\.com/);
    assert.equal(text.match(/現在登録されていません/g)?.length, 2);

    // 仮登録 of メールアドレス2: 入力 → 確認 (取引パスワード) → the code mailed to it.
    await page.getByRole('link', { name: 'メールアドレス2 仮登録' }).click();
    await page.getByLabel('新しいメールアドレス', { exact: true }).fill('isesaki.mobile@example.net');
    await page.getByLabel('新しいメールアドレス（確認のため再入力）').fill('isesaki.mobile@example.net');
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス仮登録 -確認-' }).waitFor();
    // Never the trading password alone: a code mailed to メールアドレス1 for this registration too.
    await enterMailedConfirmationCode(page, suite.srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    await page.getByRole('button', { name: '仮登録' }).click();
    await page.getByLabel('確認コード').fill(await addressCode('isesaki.mobile@example.net'));
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('メールアドレス2を登録しました。').waitFor();
    await page.getByRole('link', { name: 'Eメールアドレス登録照会へ' }).click();
    assert.match(await page.locator('main').innerText(), /isesa\*\*\*\*\*|ises\*\*\*\*\*/);

    // メールアドレス1 changed: the trading password alone is not enough; the confirmation code goes
    // to the current メールアドレス1, and the old address is told.
    await page.getByRole('link', { name: 'メールアドレス1 変更' }).click();
    await page.getByLabel('新しいメールアドレス', { exact: true }).fill('isesaki.home@example.org');
    await page.getByLabel('新しいメールアドレス（確認のため再入力）').fill('isesaki.home@example.org');
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス変更 -確認-' }).waitFor();
    await page.getByRole('heading', { name: '本人確認' }).waitFor();
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    await page.getByRole('button', { name: '変更', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /確認コード（数字6桁）を入力してください/);
    await enterMailedConfirmationCode(page, suite.srv, customer.emails[0]!);
    assert.match(await page.locator('td.new-address').innerText(), /isesaki\.home@example\.org/, 'the new address survives the send button');
    assert.ok(!suite.srv.smtp.mails.some((m) => m.to.includes('isesaki.home@example.org')), 'nothing to the new address yet');
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    await page.getByRole('button', { name: '変更', exact: true }).click();
    await page.getByLabel('確認コード').fill(await addressCode('isesaki.home@example.org'));
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('メールアドレス1を変更しました。以前のメールアドレスにもお知らせを送信しました。').waitFor();
    const toOld = await suite.srv.smtp.waitForMail((m) => m.to.includes('jimukyoku.isesaki@example.com') && m.subject.includes('メールアドレス変更のお知らせ'), 15_000);
    assert.match(toOld.text, /変更されました/);

    // メールアドレス2 removed with the trading password and a code mailed to the new メールアドレス1.
    await page.getByRole('link', { name: 'Eメールアドレス登録照会へ' }).click();
    await page.getByRole('link', { name: 'メールアドレス2 削除' }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス削除 -確認-' }).waitFor();
    await enterMailedConfirmationCode(page, suite.srv, 'isesaki.home@example.org');
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    await page.getByRole('button', { name: '削除', exact: true }).click();
    await page.getByText('メールアドレス2を削除しました。').waitFor();

    // ログイン通知 設定変更: a wrong trading password changes nothing; then 通知する.
    await page.getByRole('link', { name: 'Eメールアドレス登録照会へ' }).click();
    await page.getByRole('link', { name: 'メールアドレス1 ログイン通知 設定変更' }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス設定変更 -入力-' }).waitFor();
    await page.getByLabel('通知する', { exact: true }).check();
    await page.getByRole('button', { name: '確認画面へ' }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス設定変更 -確認-' }).waitFor();
    const notificationCode = await enterMailedConfirmationCode(page, suite.srv, 'isesaki.home@example.org');
    await page.getByLabel('取引パスワード', { exact: true }).fill('not the trading password');
    await page.getByRole('button', { name: '変更', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /取引パスワードが正しくありません/);
    await page.getByLabel('確認コード', { exact: true }).fill(notificationCode);
    await page.getByLabel('パスワードを表示する').check();
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    assert.equal(await page.getByLabel('取引パスワード', { exact: true }).getAttribute('type'), 'text', 'パスワードを表示する shows it');
    await page.getByRole('button', { name: '変更', exact: true }).click();
    await page.getByRole('heading', { name: 'Eメールアドレス設定変更 -完了-' }).waitFor();
    await page.getByRole('link', { name: 'Eメールアドレス登録照会へ' }).click();
    assert.match(await page.locator('section.email-slot').first().innerText(), /ログイン通知\s+通知する/);

    // A login from another browser (a phone) is mailed to メールアドレス1.
    const phoneContext = await suite.chromium.newContext({ locale: 'ja-JP', userAgent: IPHONE, viewport: { width: 375, height: 740 } });
    const phone = await phoneContext.newPage();
    const before = suite.srv.smtp.mails.length;
    await loginWithCode(phone, 'isesaki.home@example.org');
    const notice = await suite.srv.smtp.waitForMail((m) => suite.srv.smtp.mails.indexOf(m) >= before && m.to.includes('isesaki.home@example.org') && m.subject.includes('ログインのお知らせ'), 15_000);
    assert.match(notice.text, /ブラウザ: Mobile Safari 17/);
    assert.match(notice.text, /OS: iOS 17\.5/);
    assert.match(notice.text, /IPアドレス: 127\.0\.0\.1/);
    assert.match(notice.text, /認証方法: メールの認証コード/);
    assert.doesNotMatch(notice.text, /https?:\/\//);

    // 登録済み端末: 解除 of the phone makes it need a code again.
    await page.getByRole('link', { name: '口座情報', exact: true }).click();
    await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
    await page.getByRole('link', { name: '登録済み端末' }).click();
    const history = await page.locator('table.history').innerText();
    assert.match(history, /Mobile Safari 17 \/ iOS 17\.5/);
    await page.getByRole('button', { name: 'Mobile Safari 17 / iOS 17.5 解除' }).click();
    await page.getByText('端末の登録を解除しました。').waitFor();
    await phone.getByRole('button', { name: 'ログアウト' }).click();
    await passwordStep(phone);
    await phone.getByLabel('認証コード').waitFor();
    await phone.getByLabel('認証コード').fill(await suite.srv.codeFor('isesaki.home@example.org'));
    await phone.getByRole('button', { name: '認証', exact: true }).click();
    await phone.getByRole('button', { name: 'ログアウト' }).waitFor();

    // ログインパスワード変更 on the desk ends the phone's session.
    await page.getByRole('link', { name: 'ログインパスワード変更' }).click();
    await enterMailedConfirmationCode(page, suite.srv, 'isesaki.home@example.org');
    await page.getByLabel('現在のログインパスワード').fill(customer.loginPassword);
    await page.getByLabel('新しいログインパスワード', { exact: true }).fill('tatebayashi azalea 5');
    await page.getByLabel('新しいログインパスワード（確認のため再入力）').fill('tatebayashi azalea 5');
    await page.getByLabel('取引パスワード', { exact: true }).fill(customer.tradingPassword);
    await page.getByRole('button', { name: '変更', exact: true }).click();
    await page.getByText('ログインパスワードを変更しました。').waitFor();
    await phone.reload();
    await phone.getByLabel('ログインID').waitFor();
    assert.match(phone.url(), /\/login$/, 'the other browser is signed out');
    await page.getByRole('link', { name: 'セキュリティ設定' }).click();
    assert.match(await page.locator('main').innerText(), /ログイン履歴/, 'this browser stays signed in');
    await phoneContext.close();
    await desk.close();
  });
});
