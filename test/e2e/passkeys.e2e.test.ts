/**
 * Passkeys in a real Chromium, with its virtual authenticator over CDP (a platform authenticator
 * with resident keys and user verification, as a phone's passkey would be): register on
 * 「パスキー」, log out, 「パスキーでログイン」 without ID or password, delete; and under the
 * phishing-resistant policy, no e-mailed-code fallback for a customer with a passkey.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, enterMailedConfirmationCode, launchChromium, withVirtualAuthenticator } from '../support/browser';
import { startTestServer, type RunningServer } from '../support/server';


async function signInByCode(srv: RunningServer, page: Page, c: { loginId: string; loginPassword: string; emails: string[] }) {
  await enterLoginPassword(page, srv.url, c.loginId, c.loginPassword);
  await enterMailedCode(page, srv, c.emails[0]!);
}

async function registerPasskey(srv: RunningServer, page: Page, c: { tradingPassword: string; emails: string[] }) {
  await page.getByRole('link', { name: '口座情報', exact: true }).click();
  await page.getByRole('link', { name: '登録情報照会', exact: true }).click();
  await page.getByRole('link', { name: 'パスキーの管理' }).click();
  // Registering a passkey changes how the customer logs in: a code mailed for it, and the trading password.
  await enterMailedConfirmationCode(page, srv, c.emails[0]!);
  await page.getByLabel('取引パスワード').fill(c.tradingPassword);
  await page.getByRole('button', { name: 'パスキーを登録' }).click();
  await page.getByText('パスキーを登録しました。').waitFor();
}

describe('passkeys in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  const customer = { loginId: 'takasaki3', name: '高崎 三郎', emails: ['jimukyoku.takasaki@example.com'], loginPassword: 'daruma market 1987', tradingPassword: 'kannon hill 41m' };

  before(async () => {
    srv = await startTestServer();
    await srv.server.runtime.services.accounts.create(customer, 'e2e');
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await srv?.stop();
  });

  it('registers a passkey, logs in with it without ID or password, and deletes it', async () => {
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const authenticator = await withVirtualAuthenticator(context, page);

    await signInByCode(srv, page, customer);
    const mailsBefore = srv.smtp.mails.length;
    await registerPasskey(srv, page, customer);
    assert.equal((await authenticator.credentials()).length, 1, 'the authenticator holds one resident credential');
    const row = page.locator('table.details tr').nth(1);
    assert.match(await row.innerText(), /この端末のパスキー/);
    assert.match(await row.innerText(), /未使用/);
    const notice = await srv.smtp.waitForMail((m) => srv.smtp.mails.indexOf(m) >= mailsBefore && m.subject.includes('パスキーを登録しました'), 10_000);
    assert.ok(notice.to.includes(customer.emails[0]!));
    assert.doesNotMatch(notice.text, /https?:\/\//, 'no link in a notice mail');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('button', { name: 'パスキーでログイン' }).click();
    await page.getByText(`${customer.name} 様`).waitFor();
    const session = await page.request.get(`${srv.url}/api/v1/session`);
    assert.equal((await session.json()).method, 'passkey');

    // Shown as used; renamed; deletable with the trading password (a wrong one changes nothing).
    await page.goto(`${srv.url}/account/passkeys`);
    assert.doesNotMatch(await page.locator('table.details tr').nth(1).innerText(), /未使用/);
    await page.locator('table.details input[name=name]').fill('会社のパソコン');
    await page.getByRole('button', { name: '名前を変更' }).click();
    await page.getByText('パスキーの名前を変更しました。').waitFor();
    assert.equal(await page.locator('table.details input[name=name]').inputValue(), '会社のパソコン');
    await page.locator('table.details input[name=name]').fill('x'.repeat(39) + '\u0007');
    await page.getByRole('button', { name: '名前を変更' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.locator('table.details input[name=name]').inputValue(), '会社のパソコン', 'a bad name changes nothing');
    await page.getByRole('link', { name: '削除' }).click();
    const deleteCode = await enterMailedConfirmationCode(page, srv, customer.emails[0]!);
    await page.getByLabel('取引パスワード').fill('not my trading password');
    await page.getByRole('button', { name: '削除' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /取引パスワード/);
    await page.getByLabel('確認コード', { exact: true }).fill(deleteCode);
    await page.getByLabel('取引パスワード').fill(customer.tradingPassword);
    await page.getByRole('button', { name: '削除' }).click();
    await page.getByText('パスキーを削除しました。').waitFor();
    assert.match(await page.content(), /パスキーは登録されていません。/);

    // The authenticator still has the key, but the server no longer knows it: refused, clearly.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('button', { name: 'パスキーでログイン' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /パスキーによる認証ができませんでした/);
    await context.close();
  });

  it('policy phishing-resistant: a customer with a passkey must use it; no e-mailed code to fall back on', async () => {
    const strict = await startTestServer({ PASSKEY_POLICY: 'phishing-resistant' });
    const c = { ...customer, loginId: 'kiryu5', emails: ['jimukyoku.kiryu@example.com'] };
    await strict.server.runtime.services.accounts.create(c, 'e2e');
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    try {
      await withVirtualAuthenticator(context, page);
      await signInByCode(strict, page, c);
      // New customers are asked to register one.
      assert.match(await page.content(), /フィッシング対策のため、パスキーを登録してください。/);
      await registerPasskey(strict, page, c);
      await page.getByRole('button', { name: 'ログアウト' }).click();

      // From another browser (no passkey there): the password leads only to the passkey step.
      const other = await chromium.newContext({ locale: 'ja-JP' });
      const elsewhere = await other.newPage();
      await enterLoginPassword(elsewhere, strict.url, c.loginId, c.loginPassword);
      await elsewhere.getByRole('button', { name: 'パスキーで認証' }).waitFor();
      assert.equal(await elsewhere.getByText('メールで認証コードを受け取る').count(), 0, 'no fallback offered');
      assert.match(await elsewhere.content(), /お問い合わせください/);
      // Forcing the fallback by hand is refused too, and no code is mailed.
      const mails = strict.smtp.mails.length;
      const forced = await elsewhere.request.post(`${strict.url}/login/passkey/fallback`, { form: { _csrf: await elsewhere.locator('input[name=_csrf]').first().inputValue() }, maxRedirects: 0 });
      assert.ok(forced.status() >= 400, `fallback refused (${forced.status()})`);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(strict.smtp.mails.filter((m, i) => i >= mails && m.subject.includes('認証コード')).length, 0);
      await other.close();

      // On the browser with the passkey, the passkey step completes the login.
      await enterLoginPassword(page, strict.url, c.loginId, c.loginPassword);
      await page.getByRole('button', { name: 'パスキーで認証' }).click();
      await page.getByText(`${c.name} 様`).waitFor();
    } finally {
      await context.close();
      await strict.stop();
    }
  });
});
