import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { totpCode } from '../../src/crypto/totp';
import { DomainError } from '../../src/domain/errors';
import type { LoginContext } from '../../src/domain/login/login-service';
import type { Account } from '../../src/domain/accounts/records';
import type { ReauthenticationPurpose } from '../../src/domain/reauthentication/records';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { approvedByInject, supportKeyFor } from '../support/support-keys';
import { storeKind } from '../support/test-store';

const run = promisify(execFile);
// Commands come from signed-in session 1 (a confirmation code is bound to its session).
const ctx = (deviceToken: string | null = null): LoginContext => ({ ip: '192.0.2.44', userAgent: 'test', deviceToken, sessionId: 1 });
const code = (e: unknown) => (e as DomainError).code;

describe(`ワンタイムパスワードサービス (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  let deskKey = '';
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key, SUPPORT_API_PUBLIC: 'true' });
    deskKey = await supportKeyFor(h.runtime, 'suzuki');
  });
  after(async () => h.close());

  const account = async (seed: AccountSeed): Promise<Account> => (await h.runtime.store.accounts.findByLoginId(seed.loginId))!;

  /** The 確認 screen's answer: the trading password and a code mailed for this purpose (「確認コードをメールで送信」). */
  async function confirmation(seed: AccountSeed, purpose: ReauthenticationPurpose, tradingPassword = seed.tradingPassword) {
    await h.runtime.services.reauthentication.requestCode(await account(seed), 1, purpose, ctx());
    return { tradingPassword, confirmationCode: await h.confirmationCodeFor(seed.emails[0]!) };
  }

  /** Applies for TOTP the way the screens do, returning the secret the app would hold. */
  async function enable(seed: AccountSeed): Promise<{ secret: string; recoveryCodes: string[] }> {
    const shown = await h.runtime.services.totp.apply(await account(seed), await confirmation(seed, 'totp_apply'), ctx());
    const result = await h.runtime.services.totp.confirm(await account(seed), totpCode(shown.secret, h.clock.now()), ctx());
    h.clock.advance(30_000);
    return { secret: shown.secret, recoveryCodes: result.recoveryCodes };
  }

  async function loginWithCodeStep(seed: AccountSeed, deviceToken: string | null = null) {
    const step = await h.runtime.services.login.start({ loginId: seed.loginId, password: seed.loginPassword }, ctx(deviceToken));
    return step;
  }

  it('an application confirmed with a first code turns the service on, mails every address and gives ten recovery codes', async () => {
    const a = await h.createAccount({ emails: ['jimu.one@example.com', 'jimu.two@example.com'] });
    const shown = await h.runtime.services.totp.apply(await account(a), await confirmation(a, 'totp_apply'), ctx());
    assert.match(shown.grouped, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    assert.match(shown.uri, new RegExp(`otpauth://totp/.*${a.loginId}`));
    const wrong = totpCode(shown.secret, new Date(h.clock.now().getTime() + 600_000));
    await assert.rejects(h.runtime.services.totp.confirm(await account(a), wrong, ctx()), (e) => code(e) === 'totp_invalid');
    assert.equal((await h.runtime.services.totp.status(await account(a))).enabled, false, 'a wrong code changes nothing');
    const result = await h.runtime.services.totp.confirm(await account(a), totpCode(shown.secret, h.clock.now()), ctx());
    assert.equal(result.recoveryCodes.length, 10);
    assert.equal(new Set(result.recoveryCodes).size, 10);
    const status = await h.runtime.services.totp.status(await account(a));
    assert.equal(status.enabled, true);
    assert.equal(status.unusedRecoveryCodes, 10);
    for (const to of a.emails) assert.match((await h.mail(to, 'ワンタイムパスワードサービス申込受付')).text, /次回ログイン時から/);
    const stored = await account(a);
    assert.ok(stored.totpSecretSealed && !stored.totpSecretSealed.includes(shown.secret), 'encrypted at rest');
  });

  it('a pending key expires and a wrong code has a limit', async () => {
    const a = await h.createAccount();
    const shown = await h.runtime.services.totp.apply(await account(a), await confirmation(a, 'totp_apply'), ctx());
    for (let i = 0; i < 4; i++) await assert.rejects(h.runtime.services.totp.confirm(await account(a), '000000' === totpCode(shown.secret, h.clock.now()) ? '111111' : '000000', ctx()), (e) => code(e) === 'totp_invalid');
    await assert.rejects(h.runtime.services.totp.confirm(await account(a), '000000' === totpCode(shown.secret, h.clock.now()) ? '111111' : '000000', ctx()), (e) => code(e) === 'code_attempts_exceeded');
    await assert.rejects(h.runtime.services.totp.confirm(await account(a), totpCode(shown.secret, h.clock.now()), ctx()), (e) => code(e) === 'flow_not_found');
    const again = await h.runtime.services.totp.apply(await account(a), await confirmation(a, 'totp_apply'), ctx());
    h.clock.advance(16 * 60_000);
    await assert.rejects(h.runtime.services.totp.confirm(await account(a), totpCode(again.secret, h.clock.now()), ctx()), (e) => code(e) === 'flow_expired');
  });

  it('a TOTP customer gives the one-time password at every login, even on a recognised browser, and never gets a mailed code', async () => {
    const a = await h.createAccount();
    // Recognise a browser first, by the e-mailed code.
    const first = await loginWithCodeStep(a);
    const done = await h.runtime.services.login.submitCode((first as { flowHandle: string }).flowHandle, await h.codeFor(a.emails[0]!), ctx());
    const device = done.device!.token;
    const { secret } = await enable(a);
    h.smtp.clear();

    const step = await loginWithCodeStep(a, device);
    assert.equal(step.state, 'awaiting_totp');
    const totp = totpCode(secret, h.clock.now());
    const ok = await h.runtime.services.login.submitTotp((step as { flowHandle: string }).flowHandle, totp.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), ctx(device));
    assert.equal(ok.method, 'totp');

    // The same code again, in a new login: refused (a time step is accepted once only).
    const step2 = await loginWithCodeStep(a, device);
    await assert.rejects(h.runtime.services.login.submitTotp((step2 as { flowHandle: string }).flowHandle, totp, ctx(device)), (e) => code(e) === 'totp_replayed');
    // A wrong code counts toward the limit and says so.
    await assert.rejects(h.runtime.services.login.submitTotp((step2 as { flowHandle: string }).flowHandle, '000000' === totp ? '111111' : '000000', ctx(device)), (e) => code(e) === 'totp_invalid' || code(e) === 'totp_replayed');
    h.clock.advance(30_000);
    const next = await h.runtime.services.login.submitTotp((step2 as { flowHandle: string }).flowHandle, totpCode(secret, h.clock.now()), ctx(device));
    assert.equal(next.state, 'done');
    await h.runtime.worker.runOnce();
    assert.equal(h.smtp.mails.filter((m) => m.subject.includes('認証コード')).length, 0, 'no e-mailed code for TOTP customers');
  });

  it('one valid code submitted 50 times at once, in 50 logins, yields exactly one session', async () => {
    const a = await h.createAccount();
    const { secret } = await enable(a);
    const flows = [];
    for (let i = 0; i < 50; i++) flows.push(await loginWithCodeStep(a));
    const totp = totpCode(secret, h.clock.now());
    const results = await Promise.allSettled(flows.map((f) => h.runtime.services.login.submitTotp((f as { flowHandle: string }).flowHandle, totp, ctx())));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    // The others: the code was used, or every attempt slot of the login ID was held by a check still running.
    for (const r of results) if (r.status === 'rejected') assert.ok(['totp_replayed', 'too_many_requests'].includes(code(r.reason)), code(r.reason));
    assert.ok(results.some((r) => r.status === 'rejected' && code(r.reason) === 'totp_replayed'));
  });

  it('コード再表示: the old key works until the new one is confirmed, then stops', async () => {
    const a = await h.createAccount();
    const { secret: oldSecret } = await enable(a);
    await assert.rejects(
      h.runtime.services.totp.reregister(await account(a), { tradingPassword: 'wrong trading pw', confirmationCode: totpCode(oldSecret, h.clock.now()) }, ctx()),
      (e) => code(e) === 'trading_password_invalid',
    );
    const shown = await h.runtime.services.totp.reregister(await account(a), { tradingPassword: a.tradingPassword, confirmationCode: totpCode(oldSecret, h.clock.now()) }, ctx());
    assert.notEqual(shown.secret, oldSecret);
    h.clock.advance(30_000);
    // Not confirmed yet: the old phone still logs in.
    const s1 = await loginWithCodeStep(a);
    assert.equal((await h.runtime.services.login.submitTotp((s1 as { flowHandle: string }).flowHandle, totpCode(oldSecret, h.clock.now()), ctx())).state, 'done');
    h.clock.advance(30_000);
    await h.runtime.services.totp.confirm(await account(a), totpCode(shown.secret, h.clock.now()), ctx());
    await h.mail(a.emails[0]!, 'ワンタイムパスワードの再登録');
    h.clock.advance(30_000);
    const s2 = await loginWithCodeStep(a);
    await assert.rejects(h.runtime.services.login.submitTotp((s2 as { flowHandle: string }).flowHandle, totpCode(oldSecret, h.clock.now()), ctx()), (e) => code(e) === 'totp_invalid');
    assert.equal((await h.runtime.services.login.submitTotp((s2 as { flowHandle: string }).flowHandle, totpCode(shown.secret, h.clock.now()), ctx())).state, 'done');
  });

  it('利用停止 needs the trading password; afterwards login goes back to the e-mailed code', async () => {
    const a = await h.createAccount();
    await enable(a);
    await assert.rejects(h.runtime.services.totp.stop(await account(a), { tradingPassword: 'not it at all', confirmationCode: '000000' }, ctx()), (e) => code(e) === 'trading_password_invalid');
    assert.equal((await h.runtime.services.totp.status(await account(a))).enabled, true);
    await h.runtime.services.totp.stop(await account(a), await confirmation(a, 'totp_stop'), ctx());
    await h.mail(a.emails[0]!, 'ワンタイムパスワードサービス利用停止');
    assert.equal((await loginWithCodeStep(a)).state, 'awaiting_code');
  });

  it('a recovery code logs in once, is mailed, and cannot be used twice', async () => {
    const a = await h.createAccount();
    const { recoveryCodes } = await enable(a);
    const s1 = await loginWithCodeStep(a);
    const done = await h.runtime.services.login.submitRecoveryCode((s1 as { flowHandle: string }).flowHandle, recoveryCodes[0]!.toLowerCase().replace('-', ' '), ctx());
    assert.equal(done.method, 'recovery_code');
    assert.match((await h.mail(a.emails[0]!, 'リカバリーコードでログイン')).text, /残り9個/);
    const s2 = await loginWithCodeStep(a);
    await assert.rejects(h.runtime.services.login.submitRecoveryCode((s2 as { flowHandle: string }).flowHandle, recoveryCodes[0]!, ctx()), (e) => code(e) === 'totp_invalid');
    await assert.rejects(h.runtime.services.login.submitRecoveryCode((s2 as { flowHandle: string }).flowHandle, 'not-a-code!', ctx()), (e) => code(e) === 'invalid_input');
  });

  it('recovery codes can be regenerated with the trading password; the old ones stop working', async () => {
    const a = await h.createAccount();
    const { recoveryCodes: old } = await enable(a);
    await assert.rejects(h.runtime.services.totp.regenerateRecoveryCodes(await account(a), { tradingPassword: 'wrong trading', confirmationCode: '000000' }, ctx()), (e) => code(e) === 'trading_password_invalid');
    const fresh = await h.runtime.services.totp.regenerateRecoveryCodes(await account(a), await confirmation(a, 'recovery_codes'), ctx());
    assert.equal(fresh.length, 10);
    await h.mail(a.emails[0]!, 'リカバリーコード再発行');
    const s1 = await loginWithCodeStep(a);
    await assert.rejects(h.runtime.services.login.submitRecoveryCode((s1 as { flowHandle: string }).flowHandle, old[0]!, ctx()), (e) => code(e) === 'totp_invalid');
    assert.equal((await h.runtime.services.login.submitRecoveryCode((s1 as { flowHandle: string }).flowHandle, fresh[0]!, ctx())).state, 'done');
  });

  it('five wrong trading passwords lock their use and mail the customer', async () => {
    const a = await h.createAccount();
    await enable(a);
    for (let i = 0; i < 4; i++) await assert.rejects(h.runtime.services.totp.stop(await account(a), { tradingPassword: `wrong ${i}`, confirmationCode: '000000' }, ctx()), (e) => code(e) === 'trading_password_invalid');
    await assert.rejects(h.runtime.services.totp.stop(await account(a), { tradingPassword: 'wrong 5', confirmationCode: '000000' }, ctx()), (e) => code(e) === 'trading_password_locked');
    await assert.rejects(h.runtime.services.totp.stop(await account(a), { tradingPassword: a.tradingPassword, confirmationCode: '000000' }, ctx()), (e) => code(e) === 'trading_password_locked');
    await h.mail(a.emails[0]!, '取引パスワードのご利用を停止しました');
    await h.runtime.services.tradingPassword.unlock(a.loginId, 'tanaka', '本人確認済み');
    await h.runtime.services.totp.stop(await account(a), await confirmation(a, 'totp_stop'), ctx());
  });

  it('the support desk resets a lost phone by CLI and by API, with operator and reason audited and the customer mailed', async () => {
    const a = await h.createAccount();
    await enable(a);
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1' };
    const missingReason = await run(process.execPath, ['bin/mamori.js', 'support', 'reset-totp', a.loginId, '--operator', 'tanaka'], { env }).catch((e) => e);
    assert.equal(missingReason.code, 2);
    assert.match(missingReason.stderr, /--reason is required/);
    const out = await run(process.execPath, ['bin/mamori.js', 'support', 'reset-totp', a.loginId, '--operator', 'tanaka', '--reason', '機種変更 本人確認済み'], { env });
    assert.match(out.stdout, /reset/);
    // The CLI ran on the real clock: bring the test's clock there so the mail it queued is due.
    h.clock.set(new Date(Date.now() + 1000));
    const acc = await account(a);
    assert.equal(acc.totpEnabledAt, null);
    const events = await h.runtime.store.audit.listForAccount(acc.id, 20);
    const reset = events.find((e) => e.type === 'totp.reset')!;
    assert.equal(reset.operator, 'tanaka');
    assert.equal(reset.detail.reason, '機種変更 本人確認済み');
    await h.mail(a.emails[0]!, 'ワンタイムパスワードサービス解除');

    const b = await h.createAccount();
    await enable(b);
    const url = `/api/v1/support/accounts/${b.loginId}/totp/reset`;
    const noKey = await h.app.inject({ method: 'POST', url, payload: { reason: 'x' } });
    assert.equal(noKey.statusCode, 403);
    const noReason = await h.app.inject({ method: 'POST', url, payload: {}, headers: { authorization: `Bearer ${deskKey}` } });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.field, 'reason');
    const ok = await approvedByInject(h.app, h.runtime, await h.app.inject({ method: 'POST', url, payload: { reason: '紛失 電話で本人確認' }, headers: { authorization: `Bearer ${deskKey}` } }));
    assert.equal(ok.statusCode, 200);
    assert.equal((await account(b)).totpEnabledAt, null);
    const apiEvent = (await h.runtime.store.audit.listForAccount((await account(b)).id, 20)).find((e) => e.type === 'totp.reset')!;
    assert.equal(apiEvent.operator, 'api:suzuki+approver');
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/support/accounts/nobody/totp/reset', payload: { reason: 'x' }, headers: { authorization: `Bearer ${deskKey}` } });
    assert.equal(unknown.statusCode, 404);
  });

  it('an imported account with a TOTP secret logs in with TOTP from the start', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const a = await h.createAccount({ totpSecret: secret });
    const step = await loginWithCodeStep(a);
    assert.equal(step.state, 'awaiting_totp');
    assert.equal((await h.runtime.services.login.submitTotp((step as { flowHandle: string }).flowHandle, totpCode(secret, h.clock.now()), ctx())).method, 'totp');
  });

  it('mamori keys rotate re-encrypts every secret under the new key', async () => {
    const a = await h.createAccount();
    const { secret } = await enable(a);
    const newKey = randomBytes(32).toString('hex');
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: newKey, MAMORI_OLD_SECRET_KEYS: key, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    const out = await run(process.execPath, ['bin/mamori.js', 'keys', 'rotate'], { env });
    assert.match(out.stdout, /re-encrypted \d+ TOTP secret/);
    const rotated = await h.startWithKey(newKey);
    try {
      const acc = (await rotated.runtime.store.accounts.findByLoginId(a.loginId))!;
      assert.equal(rotated.runtime.secretBox.keyIdOf(acc.totpSecretSealed!), rotated.config.secretKey.id);
      assert.equal(rotated.runtime.secretBox.open(acc.totpSecretSealed!), secret);
    } finally {
      await rotated.close();
    }
  });
});
