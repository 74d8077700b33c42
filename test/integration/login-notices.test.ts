/**
 * Mandatory login notices, through a real SMTP server: a login from a new browser whatever the
 * method, a success right after failures, a failed second step after the right password (once per
 * flow, however many wrong codes), and never two mails for one login when ログイン通知 is on too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../src/crypto/totp';
import type { LoginContext } from '../../src/domain/login/login-service';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import type { ReceivedMail } from '../support/smtp-sink';
import { storeKind } from '../support/test-store';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe(`mandatory login notices (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ LOGIN_NOTICE_AFTER_FAILURES: '3' });
  });
  after(async () => h.close());

  const ctx = (userAgent = PHONE, deviceToken: string | null = null): LoginContext => ({ ip: '198.51.100.23', userAgent, deviceToken });

  /** Every mail to `to` once the outbox is empty (a cycle of the worker sends every due mail; the sink has each before it answers). */
  const mailsTo = async (to: string): Promise<ReceivedMail[]> => {
    await h.runtime.worker.runOnce();
    return h.smtp.mails.filter((m) => m.to.includes(to));
  };
  const notices = async (to: string) => (await mailsTo(to)).filter((m) => !/認証コードのお知らせ/.test(m.subject));
  const forget = async (to: string) => {
    await h.runtime.worker.runOnce();
    for (let i = h.smtp.mails.length - 1; i >= 0; i--) if (h.smtp.mails[i]!.to.includes(to)) h.smtp.mails.splice(i, 1);
  };
  const accountId = async (a: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(a.loginId))!.id;

  /** ID + password + the mailed code, as the mobile app would, from a browser never seen. */
  const loginByCode = async (a: AccountSeed, c = ctx()) => {
    const step = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, c);
    assert.equal(step.state, 'awaiting_code');
    return h.runtime.services.login.submitCode((step as { flowHandle: string }).flowHandle, await h.codeFor(a.emails[0]!), c);
  };

  /** The customer's own earlier login, on another browser (an account's first login is never "new"); its mails forgotten. */
  const loggedInBefore = async (a: AccountSeed) => {
    await loginByCode(a, ctx('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'));
    for (const to of a.emails) await forget(to);
  };

  it("an account's first login is not called new: nothing is mailed with ログイン通知 off", async () => {
    const a = await h.createAccount();
    await loginByCode(a);
    assert.equal((await notices(a.emails[0]!)).length, 0);
  });

  it('a login from a new browser by the e-mailed code is mailed to メールアドレス1 even with ログイン通知 off; a recognised browser is not', async () => {
    const a = await h.createAccount({ emails: [`rep.${Date.now()}@example.com`, `second.${Date.now()}@example.com`] });
    await loggedInBefore(a);
    const done = await loginByCode(a);
    const mails = await notices(a.emails[0]!);
    assert.equal(mails.length, 1, mails.map((m) => m.subject).join());
    assert.match(mails[0]!.subject, /新しいブラウザからログインがありました/);
    assert.match(mails[0]!.text, /これまでにご利用のないブラウザ/);
    assert.match(mails[0]!.text, /ログイン通知の設定にかかわらず/);
    assert.match(mails[0]!.text, /ブラウザ: Mobile Safari 17\nOS: iOS 17\.0\nIPアドレス: 198\.51\.100\.23\n認証方法: メールの認証コード/);
    assert.doesNotMatch(mails[0]!.text, /https?:|www\./);
    assert.equal((await notices(a.emails[1]!)).length, 0, 'the other address has ログイン通知 off');
    await forget(a.emails[0]!);
    // The same browser again, now recognised: no second step, no notice.
    const again = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx(PHONE, done.device!.token));
    assert.equal(again.state, 'done');
    assert.equal((await notices(a.emails[0]!)).length, 0);
  });

  it('with ログイン通知 on, a new browser is one mail per address: the usual ログインのお知らせ, saying why', async () => {
    const a = await h.createAccount({ emails: [`optin.${Date.now()}@example.com`, `other.${Date.now()}@example.com`] });
    await h.runtime.store.emails.setLoginNotification(await accountId(a), 1, true);
    await h.runtime.store.emails.setLoginNotification(await accountId(a), 2, true);
    await loggedInBefore(a);
    await loginByCode(a);
    for (const to of a.emails) {
      const mails = await notices(to);
      assert.equal(mails.length, 1, `${to}: ${mails.map((m) => m.subject).join()}`);
      assert.match(mails[0]!.subject, /ログインのお知らせ（新しいブラウザ）/);
      assert.match(mails[0]!.text, /ログイン通知の設定によるお知らせです/);
      assert.match(mails[0]!.text, /これまでにご利用のないブラウザ/);
    }
  });

  it('a TOTP login from a new browser is mailed too', async () => {
    const a = await h.createAccount({ totpSecret: SECRET });
    const earlier = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx('Firefox'));
    await h.runtime.services.login.submitTotp((earlier as { flowHandle: string }).flowHandle, totpCode(SECRET, h.clock.now()), ctx('Firefox'));
    await forget(a.emails[0]!);
    h.clock.advance(30_000);
    const step = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
    assert.equal(step.state, 'awaiting_totp');
    await h.runtime.services.login.submitTotp((step as { flowHandle: string }).flowHandle, totpCode(SECRET, h.clock.now()), ctx());
    const totpMails = await notices(a.emails[0]!);
    assert.equal(totpMails.length, 1);
    assert.match(totpMails[0]!.text, /認証方法: ワンタイムパスワード/);
    assert.match(totpMails[0]!.subject, /新しいブラウザから/);
  });

  it('a success after N failures since the last success is mailed, with the count; fewer are not', async () => {
    const a = await h.createAccount();
    const first = await loginByCode(a);
    await forget(a.emails[0]!);
    const recognised = ctx(PHONE, first.device!.token);
    for (let i = 0; i < 2; i++) await assert.rejects(h.runtime.services.login.start({ loginId: a.loginId, password: `wrong ${i}` }, recognised));
    assert.equal((await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, recognised)).state, 'done');
    assert.equal((await notices(a.emails[0]!)).length, 0, 'two failures: below the threshold of three');
    for (let i = 0; i < 3; i++) await assert.rejects(h.runtime.services.login.start({ loginId: a.loginId, password: `wrong again ${i}` }, ctx('curl/8.0')));
    assert.equal((await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, recognised)).state, 'done');
    const mails = await notices(a.emails[0]!);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject, /ログインの失敗の後にログインがありました/);
    assert.match(mails[0]!.text, /前回のログイン以降、ログインの失敗が3回ありました/);
  });

  it('a new browser after failures is still one mail, naming both reasons', async () => {
    const a = await h.createAccount();
    await loggedInBefore(a);
    for (let i = 0; i < 3; i++) await assert.rejects(h.runtime.services.login.start({ loginId: a.loginId, password: `wrong ${i}` }, ctx()));
    await loginByCode(a);
    const mails = await notices(a.emails[0]!);
    assert.equal(mails.length, 1, mails.map((m) => m.subject).join());
    assert.match(mails[0]!.text, /これまでにご利用のないブラウザ[\s\S]*ログインの失敗が3回/);
  });

  it('a wrong second step after the right password is mailed to every address once per flow, however many wrong codes', async () => {
    const a = await h.createAccount({ emails: [`pw.${Date.now()}@example.com`, `pw2.${Date.now()}@example.com`] });
    const step = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
    const handle = (step as { flowHandle: string }).flowHandle;
    const code = await h.codeFor(a.emails[0]!);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++) await assert.rejects(h.runtime.services.login.submitCode(handle, wrong, ctx()));
    for (const to of a.emails) {
      const mails = (await notices(to)).filter((m) => m.subject.includes('ログインの追加認証に失敗しました'));
      assert.equal(mails.length, 1, `${to}: one mail for four wrong codes`);
      assert.match(mails[0]!.text, /ログインパスワードは正しく入力されましたが/);
      assert.match(mails[0]!.text, /第三者に知られているおそれ/);
      assert.doesNotMatch(mails[0]!.text, /https?:|www\./);
    }
    // A second flow is another attempt: one more mail.
    const step2 = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
    await h.codeFor(a.emails[0]!);
    await assert.rejects(h.runtime.services.login.submitCode((step2 as { flowHandle: string }).flowHandle, wrong, ctx()));
    assert.equal((await notices(a.emails[0]!)).filter((m) => m.subject.includes('ログインの追加認証に失敗しました')).length, 2);
  });

  it('wrong codes sent at once on one flow still mail once', async () => {
    const a = await h.createAccount({ totpSecret: SECRET });
    const step = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
    const handle = (step as { flowHandle: string }).flowHandle;
    await Promise.allSettled(Array.from({ length: 5 }, () => h.runtime.services.login.submitTotp(handle, '000000', ctx())));
    const mails = (await notices(a.emails[0]!)).filter((m) => m.subject.includes('ログインの追加認証に失敗しました'));
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, /追加認証（ワンタイムパスワード）/);
  });
});
