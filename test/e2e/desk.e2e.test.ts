/**
 * The support desk's console in a real Chromium with CDP virtual authenticators: an operator
 * enrols from the link `mamori operators add` printed, logs in with the passkey, finds a customer
 * and requests a TOTP reset; a supervisor (a second browser context, their own authenticator)
 * approves it; only then is the customer's TOTP reset, and the customer is mailed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, withVirtualAuthenticator } from '../support/browser';
import { startTestServer, type RunningServer } from '../support/server';


describe('the support desk console in a real browser', () => {
  let srv: RunningServer;
  let chromium: Browser;
  const key = randomBytes(32).toString('hex');
  const customer = { loginId: 'maebashi7', name: '前橋 七子', emails: ['maebashi7@example.com'], loginPassword: 'akagi mountain 1828', tradingPassword: 'tone river 322k', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };

  /** `mamori operators add` as the administrator runs it, on the server's database; the printed link. */
  function addOperator(name: string, role: string): string {
    const env = { ...process.env, DATABASE_URL: srv.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: srv.url };
    const r = spawnSync(process.execPath, [resolve('bin/mamori.js'), 'operators', 'add', name, '--role', role], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const link = /(http:\/\/\S+\/support\/enrol\?token=\S+)/.exec(r.stdout)?.[1];
    assert.ok(link, r.stdout);
    return link;
  }

  async function enrolAndLogIn(link: string): Promise<Page> {
    const context = await chromium.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await withVirtualAuthenticator(context, page);
    await page.goto(link);
    await page.getByRole('button', { name: 'パスキーを登録' }).click();
    await page.getByRole('button', { name: 'パスキーでログイン' }).click();
    await page.getByRole('heading', { name: '顧客検索' }).waitFor();
    return page;
  }

  before(async () => {
    srv = await startTestServer({ MAMORI_SECRET_KEY: key });
    await srv.server.runtime.services.accounts.create(customer, 'e2e');
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await srv?.stop();
  });

  it('operator requests a TOTP reset; it takes effect when a supervisor approves; the customer is mailed', async () => {
    const operator = await enrolAndLogIn(addOperator('tanaka', 'operator'));
    await operator.getByLabel('ログインID、お名前またはメールアドレス').fill('前橋');
    await operator.getByRole('button', { name: '検索' }).click();
    await operator.getByRole('heading', { name: `${customer.name} 様（${customer.loginId}）` }).waitFor();
    assert.match(await operator.locator('table.details').first().innerText(), /利用中/);
    await operator.getByLabel('操作の種類').selectOption('totp_reset');
    await operator.getByLabel('本人確認の方法').selectOption('callback_registered_phone');
    await operator.getByLabel('確認した内容').fill('登録電話番号へ折り返し、生年月日と住所が一致');
    await operator.getByLabel('理由', { exact: true }).fill('スマートフォン紛失');
    await operator.getByRole('button', { name: '依頼する' }).click();
    await operator.getByText('責任者の承認後に実行されます').waitFor();
    const totpOn = async () => Boolean((await srv.db.store.accounts.findByLoginId(customer.loginId))!.totpEnabledAt);
    assert.equal(await totpOn(), true, 'nothing happens before the approval');

    const supervisor = await enrolAndLogIn(addOperator('suzuki', 'supervisor'));
    await supervisor.getByRole('heading', { name: '承認待ちの依頼' }).waitFor();
    assert.match(await supervisor.locator('main').innerText(), /ワンタイムパスワードのリセット/);
    await supervisor.getByLabel('承認・却下の理由').fill('本人確認の記録を確認');
    await supervisor.getByRole('button', { name: '承認', exact: true }).click();
    await supervisor.getByText('を承認し、実行しました').waitFor();
    assert.equal(await totpOn(), false);
    const mail = await srv.smtp.waitForMail((m) => m.to.includes(customer.emails[0]!) && m.subject.includes('ワンタイムパスワードサービス解除'), 10_000);
    assert.doesNotMatch(mail.text, /https?:\/\//);

    // The operator's own view lists the request as done.
    await operator.goto(`${srv.url}/support/`);
    assert.match(await operator.locator('main').innerText(), /実行済み/);
  });
});
