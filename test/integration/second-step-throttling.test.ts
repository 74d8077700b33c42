/**
 * A stranger who knows the password (a stuffing list) guesses the second step instead: every wrong
 * e-mailed code, TOTP or recovery code counts against the login ID and the address exactly like a
 * wrong password, and after the hard cap of consecutive failures (any factor, any browser) new
 * browsers are suspended until the customer logs in from a recognised one or the desk clears it.
 * Also: the settings' own guessing oracles (address codes, the trading-password change screen).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../src/crypto/totp';
import type { DomainError } from '../../src/domain/errors';
import type { CodeStep, LoginContext } from '../../src/domain/login/login-service';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { supportKeyFor } from '../support/support-keys';
import { storeKind } from '../support/test-store';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let DESK_KEY = '';
const code = (e: unknown) => (e as DomainError).code;
const is = (expected: string) => (e: unknown) => {
  assert.equal(code(e), expected);
  return true;
};

describe(`second steps are throttled like passwords (${storeKind})`, () => {
  let h: Harness;
  const stranger = (): LoginContext => ({ ip: '203.0.113.9', userAgent: 'stuffing bot', deviceToken: null });
  before(async () => {
    h = await startHarness({
      THROTTLE_ACCOUNT_LOCK_AFTER: '5',
      THROTTLE_ACCOUNT_HARD_LOCK_AFTER: '10',
      THROTTLE_IP_LOCK_AFTER: '100000',
      SUPPORT_API_PUBLIC: 'true',
    });
    DESK_KEY = await supportKeyFor(h.runtime, 'suzuki');
  });
  after(async () => h.close());

  const login = (a: { loginId: string; loginPassword: string }, ctx: LoginContext) => h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx);
  const wrongCode = async (flowHandle: string) => assert.rejects(h.runtime.services.login.submitCode(flowHandle, '000000', stranger()), /./);
  const audits = async (a: AccountSeed, type: string) => {
    const id = (await h.runtime.store.accounts.findByLoginId(a.loginId))!.id;
    return (await h.runtime.store.audit.listForAccount(id, 500)).filter((e) => e.type === type).length;
  };
  const mails = (to: string, subject: string) => h.smtp.mails.filter((m) => m.to.includes(to) && m.subject.includes(subject)).length;

  it('wrong e-mailed codes over several logins lock the login ID as wrong passwords do, and the customer is mailed', async () => {
    const a = await h.createAccount();
    // A code that is never right: the real one is whatever was mailed, 000000 only by a 1-in-a-million chance.
    for (let round = 0; round < 2; round++) {
      const step = (await login(a, stranger())) as CodeStep;
      assert.equal(step.state, 'awaiting_code');
      for (let i = 0; i < (round === 0 ? 3 : 2); i++) await wrongCode(step.flowHandle);
    }
    await assert.rejects(login(a, stranger()), is('login_locked'));
    await h.mail(a.emails[0]!, 'ログインを一時的に制限しました');
    assert.equal(await audits(a, 'login.locked'), 1);
  });

  it('wrong TOTP and recovery codes count the same way', async () => {
    const a = await h.createAccount({ totpSecret: SECRET });
    const step = await login(a, stranger());
    assert.equal(step.state, 'awaiting_totp');
    const handle = (step as { flowHandle: string }).flowHandle;
    const wrongTotp = totpCode(SECRET, new Date(h.clock.now().getTime() + 10 * 60_000));
    for (let i = 0; i < 3; i++) await assert.rejects(h.runtime.services.login.submitTotp(handle, wrongTotp, stranger()), is('totp_invalid'));
    const second = (await login(a, stranger())) as { flowHandle: string };
    await assert.rejects(h.runtime.services.login.submitRecoveryCode(second.flowHandle, 'AAAAA-BBBBB', stranger()), /./);
    await assert.rejects(h.runtime.services.login.submitRecoveryCode(second.flowHandle, 'AAAAA-BBBBC', stranger()), is('code_attempts_exceeded'));
    await assert.rejects(login(a, stranger()), is('login_locked'));
  });

  it('after the hard cap of consecutive failures, new browsers are suspended until a recognised browser logs in', async () => {
    const a = await h.createAccount();
    const own = await h.signedIn(a);
    const ownDevice = own.jar.get('__Host-mamori_device')!;
    // Round 1: five wrong passwords, then the lock runs out.
    for (let i = 0; i < 5; i++) await assert.rejects(login({ loginId: a.loginId, loginPassword: `guess ${i}` }, stranger()), is('invalid_credentials'));
    h.clock.advance(31 * 60_000);
    // Round 2: mixed factors; the tenth consecutive failure suspends.
    for (let i = 0; i < 3; i++) await assert.rejects(login({ loginId: a.loginId, loginPassword: `again ${i}` }, stranger()), is('invalid_credentials'));
    const step = (await login(a, stranger())) as CodeStep;
    await wrongCode(step.flowHandle);
    await wrongCode(step.flowHandle);
    h.clock.advance(31 * 60_000);
    await assert.rejects(login(a, stranger()), is('login_suspended'));
    await h.mail(a.emails[0]!, '新しい環境からのログインを停止しました');
    assert.equal(mails(a.emails[0]!, '新しい環境からのログインを停止しました'), 1);
    assert.equal(await audits(a, 'login.suspended'), 1);
    // The customer sees it in ログイン履歴, where a worried customer looks.
    const history = await h.runtime.services.security.loginHistory((await h.runtime.store.accounts.findByLoginId(a.loginId))!);
    assert.equal(history[0]?.result, 'suspended');
    // A day later still suspended: only a recognised browser or the desk lifts it.
    h.clock.advance(24 * 3600_000);
    await assert.rejects(login(a, stranger()), is('login_suspended'));

    // The customer's own browser still logs in, and that lifts the suspension.
    const mine = await login(a, { ip: '192.0.2.7', userAgent: 'own', deviceToken: ownDevice });
    assert.equal(mine.state, 'done');
    assert.equal((await login(a, stranger())).state, 'awaiting_code');
  });

  it('an unknown login ID is suspended the same way, so the answer tells nothing', async () => {
    const ghost = { loginId: 'no-such-customer-42', loginPassword: 'whatever it is' };
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) await assert.rejects(login(ghost, stranger()), is('invalid_credentials'));
      h.clock.advance(31 * 60_000);
    }
    await assert.rejects(login(ghost, stranger()), is('login_suspended'));
  });

  it('the support desk lifts a suspension, audited with operator and reason, and the customer is mailed', async () => {
    const a = await h.createAccount();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) await assert.rejects(login({ loginId: a.loginId, loginPassword: `x${round}${i}` }, stranger()), is('invalid_credentials'));
      h.clock.advance(31 * 60_000);
    }
    await assert.rejects(login(a, stranger()), is('login_suspended'));
    const unlock = (reason: string) =>
      h.app.inject({ method: 'POST', url: `/api/v1/support/accounts/${a.loginId}/login/unlock`, headers: { authorization: `Bearer ${DESK_KEY}` }, payload: { reason } });
    const res = await unlock('本人確認済み（登録電話番号へ折り返し）');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().operator, 'api:suzuki');
    assert.equal((await login(a, stranger())).state, 'awaiting_code');
    await h.mail(a.emails[0]!, 'ログインの制限を解除しました');
    assert.equal(await audits(a, 'login.unsuspended'), 1);
    assert.equal((await unlock('again')).statusCode, 409, 'nothing left to unlock');
  });

  it('wrong confirmation codes for a change of login method count toward the hard cap too', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const wrongFor = (right: string) => String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const totpCodeRight = await h.mailedConfirmationCode(b, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
    for (let i = 0; i < 5; i++) await b.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: wrongFor(totpCodeRight) });
    const passkeyCodeRight = await h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    for (let i = 0; i < 5; i++) {
      const r = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: wrongFor(passkeyCodeRight) });
      assert.notEqual(r.statusCode, 200);
    }
    assert.equal(await audits(a, 'reauthentication.failed'), 10);
    // Ten consecutive wrong second factors: a new browser is now refused even with the password.
    await assert.rejects(login(a, stranger()), is('login_suspended'));
    await h.mail(a.emails[0]!, '新しい環境からのログインを停止しました');
  });

  it('the trading-password change screen cannot test login passwords without limit', async () => {
    const a = await h.createAccount();
    const account = async () => (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const ctx = { ip: '192.0.2.8', userAgent: 'x' };
    // "Must differ from the login password" says whether a guess IS the login password: each answer
    // costs a try. It is judged with the trading password, before the confirmation code (any code of
    // the right form reaches it), so the code does not shield it either.
    const confirmationCode = '000000';
    for (let i = 0; i < 4; i++) {
      await assert.rejects(h.runtime.services.security.changeTradingPassword(await account(), { current: a.tradingPassword, next: a.loginPassword, confirmation: a.loginPassword, confirmationCode }, ctx), is('password_policy'));
    }
    await assert.rejects(h.runtime.services.security.changeTradingPassword(await account(), { current: a.tradingPassword, next: a.loginPassword, confirmation: a.loginPassword, confirmationCode }, ctx), is('trading_password_locked'));
    await assert.rejects(
      h.runtime.services.security.changeTradingPassword(await account(), { current: a.tradingPassword, next: 'a brand new one 77', confirmation: 'a brand new one 77', confirmationCode }, ctx),
      is('trading_password_locked'),
    );
  });

  it('30 wrong address codes at once are judged five times', async () => {
    const a = await h.createAccount();
    const acc = async () => (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const ctx = { ip: '192.0.2.9', userAgent: 'x', sessionId: 919191 };
    // Adding an address is confirmed with the trading password and a fresh code (issue 16).
    await h.runtime.services.reauthentication.requestCode(await acc(), ctx.sessionId, 'address_add', ctx);
    const confirmationCode = await h.confirmationCodeFor(a.emails[0]!, 'メールアドレスの登録');
    await h.runtime.services.addresses.requestChange(await acc(), { slot: 2, address: 'second.one@example.net', tradingPassword: a.tradingPassword, confirmationCode }, ctx);
    const m = await h.mail('second.one@example.net', '確認コード');
    const right = /確認コード: (\d{6})/.exec(m.text)![1]!;
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const account = await acc();
    await Promise.allSettled(Array.from({ length: 30 }, () => h.runtime.services.addresses.confirmChange(account, { slot: 2, code: wrong }, ctx)));
    assert.equal(await audits(a, 'address.code_failed'), 5);
    await assert.rejects(h.runtime.services.addresses.confirmChange(account, { slot: 2, code: right }, ctx), /./);
    assert.equal((await h.runtime.store.emails.listForAccount(account.id)).some((e) => e.slot === 2), false, 'not registered');
  });
});
