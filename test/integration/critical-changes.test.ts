/**
 * Every critical change — addresses (add, change, remove), the login and the trading password,
 * ログイン通知, TOTP 利用停止, passkey deletion — is refused with the trading password alone, as a
 * phished session and trading password would try it (policy `seed`), and goes through with a
 * fresh second factor mailed for that very change. Under the phishing-resistant policy a customer
 * with a passkey needs a recent passkey step-up first (passkeys.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

interface Change {
  name: string;
  /** The 確認 screen, the send button's route, and what the send form carries. */
  screen: (a: AccountSeed) => Promise<string> | string;
  send: (screen: string) => string;
  carry?: Record<string, string>;
  post: (screen: string) => string;
  form: (a: AccountSeed) => Record<string, string>;
  done: RegExp | number;
  account?: Partial<AccountSeed>;
}

describe(`critical changes need more than the trading password (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const accountId = async (a: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(a.loginId))!.id;

  const changes: Change[] = [
    { name: 'login password', screen: () => '/account/password', send: () => '/account/password/code', post: (s) => s, done: /ログインパスワードを変更しました/,
      form: (a) => ({ currentPassword: a.loginPassword, newPassword: 'kusatsu onsen 2026', newPasswordConfirmation: 'kusatsu onsen 2026', tradingPassword: a.tradingPassword }) },
    { name: 'trading password', screen: () => '/account/trading-password', send: () => '/account/trading-password/code', post: (s) => s, done: /取引パスワードを変更しました/,
      form: (a) => ({ currentPassword: a.tradingPassword, newPassword: 'minakami river 9', newPasswordConfirmation: 'minakami river 9' }) },
    { name: 'ログイン通知', screen: () => '/account/emails/1/notification', send: () => '/account/emails/1/notification/code', carry: { loginNotification: 'on' }, post: (s) => s, done: /設定を変更しました|変更しました/,
      form: (a) => ({ loginNotification: 'on', tradingPassword: a.tradingPassword }) },
    { name: 'address added to an empty slot', screen: () => '/account/emails/2/change', send: () => '/account/emails/2/change/code', carry: { address: 'second.ota@example.net' }, post: (s) => s, done: 303,
      form: (a) => ({ address: 'second.ota@example.net', tradingPassword: a.tradingPassword }) },
    { name: 'registered address changed', screen: () => '/account/emails/1/change', send: () => '/account/emails/1/change/code', carry: { address: 'new.ota@example.net' }, post: (s) => s, done: 303,
      form: (a) => ({ address: 'new.ota@example.net', tradingPassword: a.tradingPassword }) },
    { name: 'address removed', account: { emails: [`ota.one.${Date.now()}@example.com`, `ota.two.${Date.now()}@example.com`] }, screen: () => '/account/emails/2/remove', send: () => '/account/emails/2/remove/code', post: (s) => s, done: /削除しました/,
      form: (a) => ({ tradingPassword: a.tradingPassword }) },
    { name: 'passkey deleted', screen: async (a) => `/account/passkeys/${await addPasskey(a)}/delete`, send: (s) => `${s}/code`, post: (s) => s, done: 303,
      form: (a) => ({ tradingPassword: a.tradingPassword }) },
  ];

  async function addPasskey(a: AccountSeed): Promise<number> {
    const { credential } = new SoftAuthenticator('http://localhost:3000', 'localhost').create({ challenge: 'x' });
    const p = await h.runtime.store.passkeys.insert({
      accountId: await accountId(a), credentialId: credential.id.toString('base64url'), publicKey: credential.publicCose.toString('base64url'),
      counter: 0, transports: ['internal'], name: 'iPhone', backedUp: false, createdAt: h.clock.now(), lastUsedAt: null,
    });
    return p.id;
  }

  for (const c of changes) {
    it(`${c.name}: refused with the trading password alone, done with a code mailed for it`, async () => {
      const a = await h.createAccount(c.account);
      const b: TestBrowser = await h.signedIn(a);
      const screen = await c.screen(a);
      await b.get(screen);
      const alone = await b.post(c.post(screen), c.form(a));
      assert.equal(alone.statusCode, 400, `${c.name}: ${alone.statusCode}`);
      assert.match(alone.body, /確認コード（数字6桁）を入力してください/);
      // A code mailed for another change in this session confirms nothing here.
      const other = await h.mailedConfirmationCode(b, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
      await b.get(screen);
      const wrongPurpose = await b.post(c.post(screen), { ...c.form(a), confirmationCode: other });
      assert.ok([401, 404].includes(wrongPurpose.statusCode), `${c.name}: a code for 申込 ${wrongPurpose.statusCode}`);

      const code = await h.mailedConfirmationCode(b, screen, c.send(screen), a.emails[0]!, c.carry);
      const done = await b.post(c.post(screen), { ...c.form(a), confirmationCode: code });
      if (typeof c.done === 'number') assert.equal(done.statusCode, c.done, done.body);
      else assert.match(done.body, c.done);
    });
  }

  it('TOTP 利用停止: refused with the trading password alone', async () => {
    const a = await h.createAccount({ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    const { totpCode } = await import('../../src/crypto/totp');
    assert.equal((await b.post('/login/totp', { code: totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', h.clock.now()) })).statusCode, 303);
    await b.get('/account/totp/stop/confirm');
    const alone = await b.post('/account/totp/stop', { tradingPassword: a.tradingPassword });
    assert.equal(alone.statusCode, 400);
    assert.ok((await h.runtime.store.accounts.findByLoginId(a.loginId))!.totpEnabledAt, 'still on');
  });
});
