/**
 * ワンタイムパスワードサービス in a real Chromium, on the notice's screens: apply by reading the
 * key from 「コードを表示」 (codes computed here with the otpauth library, as a phone app would),
 * log in with it on a recognised browser, a reused code refused, a recovery code, コード再表示
 * and 利用停止. The server's clock is a test clock, moved on by 30 s when a new code is needed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { enterLoginPassword, enterMailedConfirmationCode } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { browserSuite } from '../support/browser-suite';

describe('one-time passwords in a real browser', () => {
  const clock = new FakeClock(new Date());
  const customer = { loginId: 'maebashi7', name: '前橋 七子', emails: ['jimukyoku.maebashi@example.com'], loginPassword: 'akagi mountain wind', tradingPassword: 'haruna lake 2025' };

  const codeAt = (secret: string, offsetSteps = 0) =>
    new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: clock.now().getTime() + offsetSteps * 30_000 });

  const suite = browserSuite([customer], { clock });

  const passwordStep = (page: Page) => enterLoginPassword(page, suite.srv.url, customer.loginId, customer.loginPassword);

  async function readKey(page: Page): Promise<string> {
    await page.getByText('コードを表示', { exact: true }).click();
    const grouped = await page.locator('code.totp-key').innerText();
    assert.match(grouped, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the key is grouped by four');
    return grouped.replace(/ /g, '');
  }

  it('applies, logs in with TOTP, refuses a reused code, accepts a recovery code once, re-registers and stops', async () => {
    const context = await suite.chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();

    // First login by e-mailed code: this browser becomes recognised.
    await passwordStep(page);
    await page.getByLabel('認証コード').fill(await suite.srv.codeFor(customer.emails[0]!));
    await page.getByRole('button', { name: '認証', exact: true }).click();

    // 口座情報 ⇒ 登録情報照会 ⇒ 各種サービス利用状況 ⇒ ワンタイムパスワードサービス「申込」
    await page.getByRole('link', { name: '口座情報', exact: true }).click();
    await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
    await page.getByRole('link', { name: '各種サービス利用状況' }).click();
    await page.getByRole('link', { name: '申込' }).click();
    // 申込 -確認-: a signed-in session alone is not enough; a code mailed for this purpose and the trading password.
    await page.getByRole('heading', { name: 'ワンタイムパスワードサービス申込 -確認-' }).waitFor();
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: '申込', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /確認コード（数字6桁）を入力してください/);
    await enterMailedConfirmationCode(page, suite.srv, customer.emails[0]!);
    assert.match(await page.getByRole('status').innerText(), /jimu\*\*\*\*\* 宛に確認コードを送信しました/);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: '申込', exact: true }).click();
    await page.getByRole('heading', { name: 'ワンタイムパスワードサービス申込', exact: true }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'https://apps.apple.com/jp/app/google-authenticator/id388497605' }).isVisible());
    assert.ok(await page.getByRole('link', { name: /play\.google\.com/ }).isVisible());
    assert.ok(await page.getByRole('img', { name: 'ワンタイムパスワード設定用QRコード' }).isVisible());
    const secret = await readKey(page);

    await page.getByRole('link', { name: 'ワンタイムパスワード入力へ' }).click();
    await page.getByRole('heading', { name: 'サービス申込 -確認-' }).waitFor();
    assert.ok(await page.getByRole('link', { name: 'コード登録画面へ戻る' }).isVisible());
    await page.getByLabel('ワンタイムパスワード').fill('000000' === codeAt(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: '認証', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /ワンタイムパスワードが正しくありません/);
    await page.getByLabel('ワンタイムパスワード').fill(codeAt(secret));
    await page.getByLabel('パスワードを表示する').check();
    assert.equal(await page.getByLabel('ワンタイムパスワード').getAttribute('type'), 'text');
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByRole('heading', { name: 'サービス申込 -受付-' }).waitFor();
    const receipt = await page.locator('main').innerText();
    assert.match(receipt, /ワンタイムパスワードサービス申込を受け付けました。必ず登録情報照会で確認してください。/);
    assert.match(receipt, /サービス名称\s+ワンタイムパスワードサービス/);
    const recoveryCodes = await page.locator('ul.codes code').allInnerTexts();
    assert.equal(recoveryCodes.length, 10);
    await suite.srv.smtp.waitForMail((m) => m.subject.includes('ワンタイムパスワードサービス申込受付'));
    await page.getByRole('link', { name: '登録情報照会へ' }).click();
    assert.match(await page.locator('main').innerText(), /ワンタイムパスワードサービス\s+利用中/);

    // From the next login: ID + password + TOTP, even on this recognised browser.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    clock.advance(30_000);
    await passwordStep(page);
    await page.getByRole('heading', { name: 'ワンタイムパスワード認証' }).waitFor();
    const used = codeAt(secret);
    await page.getByLabel('ワンタイムパスワード').fill(used);
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('前橋 七子 様').waitFor();

    // The same code again is refused.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await passwordStep(page);
    await page.getByLabel('ワンタイムパスワード').fill(used);
    await page.getByRole('button', { name: '認証', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /すでに使用されています/);

    // A recovery code instead (lost phone), once.
    await page.getByRole('link', { name: /リカバリーコードを使う/ }).click();
    await page.getByLabel('リカバリーコード').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('前橋 七子 様').waitFor();
    await suite.srv.smtp.waitForMail((m) => m.subject.includes('リカバリーコードでログイン'));
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await passwordStep(page);
    await page.getByRole('link', { name: /リカバリーコードを使う/ }).click();
    await page.getByLabel('リカバリーコード').fill(recoveryCodes[0]!);
    await page.getByRole('button', { name: '認証', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /リカバリーコード/);
    clock.advance(30_000);
    await page.getByRole('link', { name: 'ワンタイムパスワード入力に戻る' }).click();
    await page.getByLabel('ワンタイムパスワード').fill(codeAt(secret));
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByText('前橋 七子 様').waitFor();

    // コード再表示: a new phone. The old key works until the new one is confirmed.
    clock.advance(30_000);
    await page.goto(`${suite.srv.url}/account/info`);
    await page.getByRole('link', { name: 'コード再表示' }).click();
    // A TOTP customer may confirm with the current one-time password instead of a mailed code.
    assert.match(await page.locator('main').innerText(), /現在のワンタイムパスワードを入力することもできます/);
    await page.getByLabel('確認コード', { exact: true }).fill(codeAt(secret));
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: 'コード再表示' }).click();
    await page.getByRole('heading', { name: 'コード再表示（別の端末の登録）' }).waitFor();
    const newSecret = await readKey(page);
    assert.notEqual(newSecret, secret);
    await page.getByRole('link', { name: 'ワンタイムパスワード入力へ' }).click();
    clock.advance(30_000);
    await page.getByLabel('ワンタイムパスワード').fill(codeAt(newSecret));
    await page.getByRole('button', { name: '認証', exact: true }).click();
    await page.getByRole('heading', { name: 'コード再表示 -受付-' }).waitFor();
    await suite.srv.smtp.waitForMail((m) => m.subject.includes('再登録'));

    // 利用停止: 入力 → 確認 (取引パスワード) → 完了; then a recognised browser needs no second step.
    await page.goto(`${suite.srv.url}/account/info`);
    await page.getByRole('link', { name: '利用停止' }).click();
    await page.getByRole('heading', { name: 'ワンタイムパスワードサービス利用停止 -入力-' }).waitFor();
    await page.getByRole('link', { name: '確認画面へ' }).click();
    const stopCode = await enterMailedConfirmationCode(page, suite.srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill('wrong trading password');
    await page.getByRole('button', { name: '利用停止' }).click();
    assert.match(await page.getByRole('alert').innerText(), /取引パスワードが正しくありません/);
    await page.getByLabel('確認コード', { exact: true }).fill(stopCode);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: '利用停止' }).click();
    await page.getByRole('heading', { name: 'ワンタイムパスワードサービス利用停止 -完了-' }).waitFor();
    await suite.srv.smtp.waitForMail((m) => m.subject.includes('利用停止'));
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await passwordStep(page);
    await page.getByText('前橋 七子 様').waitFor();
    await context.close();
  });
});
