/**
 * In a real Chromium: a wrong 取引パスワード puts the focus on the error summary, marks the field
 * and says how many tries remain; an ended session says so on the login page and the login
 * returns to the page asked for, never to another site.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { enterLoginPassword, enterMailedCode, launchChromium } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { startTestServer, type RunningServer } from '../support/server';

describe('page wiring in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  let seq = 0;
  const clock = new FakeClock(new Date());
  const PASSWORD = 'maebashi takasaki 2025';

  before(async () => {
    srv = await startTestServer({ THROTTLE_IP_LOCK_AFTER: '100000' }, { clock });
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await srv?.stop();
  });

  async function signedInPage(): Promise<{ page: Page; loginId: string; email: string }> {
    seq += 1;
    const c = { loginId: `wire${seq}`, name: '配線 花子', emails: [`wire${seq}@example.com`], loginPassword: PASSWORD, tradingPassword: 'kiryu isesaki 2025' };
    await srv.server.runtime.services.accounts.create(c, 'e2e');
    const page = await (await chromium.newContext({ locale: 'ja-JP' })).newPage();
    await enterLoginPassword(page, srv.url, c.loginId, PASSWORD);
    await enterMailedCode(page, srv, c.emails[0]!);
    return { page, loginId: c.loginId, email: c.emails[0]! };
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('a wrong 取引パスワード: the focus is on the error summary, the field is marked, the tries left are told', async () => {
    const { page } = await signedInPage();
    await page.goto(`${srv.url}/account/password`);
    await page.locator('#currentPassword').fill(PASSWORD);
    await page.locator('#newPassword').fill('gunma prefecture 2026');
    await page.locator('#newPasswordConfirmation').fill('gunma prefecture 2026');
    await page.locator('#confirmationCode').fill('000000');
    await page.locator('#tradingPassword').fill('not the trading password');
    await page.getByRole('button', { name: '変更', exact: true }).click();
    await page.locator('#error-summary').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    assert.equal(await focusedId(page), 'error-summary');
    assert.match(await page.getByRole('alert').innerText(), /取引パスワードが正しくありません。あと4回誤ると/);
    assert.equal(await page.locator('#tradingPassword').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#tradingPassword').getAttribute('aria-describedby'), 'error-summary');
    assert.equal(await page.locator('#newPassword').getAttribute('aria-invalid'), null, 'only the field the error concerns');
    await page.context().close();
  });

  it('a wrong current 取引パスワード on 取引パスワード変更 marks that field', async () => {
    const { page } = await signedInPage();
    await page.goto(`${srv.url}/account/trading-password`);
    await page.locator('#confirmationCode').fill('000000');
    await page.locator('#currentPassword').fill('not the trading password');
    await page.locator('#newPassword').fill('tomioka silk 2026');
    await page.locator('#newPasswordConfirmation').fill('tomioka silk 2026');
    await page.getByRole('button', { name: '変更', exact: true }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    assert.equal(await page.locator('#currentPassword').getAttribute('aria-invalid'), 'true');
    await page.context().close();
  });

  it('an ended session: the login page says so, and the login returns to the page asked for', async () => {
    const { page, loginId } = await signedInPage();
    clock.advance(24 * 3600_000);
    await page.goto(`${srv.url}/account/security#history`);
    await page.getByLabel('ログインID').waitFor();
    assert.match(await page.getByRole('status').innerText(), /セッションの有効期限が切れました/);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('ログインパスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    // The browser is recognised: no code.
    await page.getByRole('heading', { name: 'ログイン履歴' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/account/security');
    await page.context().close();
  });

  it('a link with another site as its next page still lands on the top page', async () => {
    const { page, loginId } = await signedInPage();
    clock.advance(24 * 3600_000);
    for (const evil of ['//evil.example', '/\\evil.example']) {
      await page.goto(`${srv.url}/login?session=expired&next=${encodeURIComponent(evil)}`);
      await page.getByLabel('ログインID').fill(loginId);
      await page.getByLabel('ログインパスワード').fill(PASSWORD);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await page.getByRole('button', { name: 'ログアウト' }).waitFor();
      assert.equal(new URL(page.url()).host, new URL(srv.url).host, evil);
      assert.equal(new URL(page.url()).pathname, '/account', evil);
      await page.getByRole('button', { name: 'ログアウト' }).click();
      await page.getByLabel('ログインID').waitFor();
    }
    await page.context().close();
  });
});
