/**
 * Every change to how a customer logs in (TOTP 申込 / コード再表示 / 利用停止, recovery codes,
 * passkey registration and deletion) needs the trading password AND a fresh second factor: a
 * stolen session that also knows the trading password changes nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../../src/crypto/totp';
import type { Account } from '../../src/domain/accounts/records';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`changes to how a customer logs in need a fresh second factor (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    // 60 concurrent trading-password checks must queue, not be refused as overload.
    h = await startHarness({ HASH_MAX_QUEUED: '200' });
  });
  after(async () => h.close());

  const account = async (a: AccountSeed): Promise<Account> => (await h.runtime.store.accounts.findByLoginId(a.loginId))!;

  /** A customer who already uses TOTP (set in the database, as a past application would have). */
  async function withTotp(a: AccountSeed): Promise<string> {
    const { secrets, random } = h.runtime.services.ports;
    const secret = generateTotpSecret(random);
    const acc = await account(a);
    await h.runtime.store.accounts.setTotp(acc.id, secrets.seal(secret), h.clock.now(), h.clock.now());
    await h.runtime.store.recoveryCodes.replaceAll(acc.id, ['r1', 'r2', 'r3'], h.clock.now());
    return secret;
  }

  async function withPasskey(a: AccountSeed, name = 'iPhone') {
    const acc = await account(a);
    return h.runtime.store.passkeys.insert({
      accountId: acc.id, credentialId: randomBytes(16).toString('base64url'), publicKey: 'pk', counter: 0, transports: [], name, backedUp: false, createdAt: h.clock.now(), lastUsedAt: null,
    });
  }

  /** A six-digit value that is neither the TOTP code of the last, this or the next step, nor `not`. */
  function wrongCode(secret: string | null, not = ''): string {
    const now = h.clock.now().getTime();
    const taken = new Set([not, ...(secret ? [-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now + d))) : [])]);
    for (let n = 0; ; n++) {
      const c = String(n).padStart(6, '0');
      if (!taken.has(c)) return c;
    }
  }

  const audits = async (a: AccountSeed, type: string) => (await h.runtime.store.audit.listForAccount((await account(a)).id, 500)).filter((e) => e.type === type);

  it('a signed-in session with the right trading password but no fresh second factor cannot turn TOTP on, and is shown no key', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    await b.get('/account/info');
    const res = await b.post('/account/totp/apply', { tradingPassword: a.tradingPassword });
    assert.notEqual(res.statusCode, 303, 'no key is set up');
    assert.match(res.body, /確認コード（数字6桁）を入力してください/);
    const key = await b.get('/account/totp/key');
    assert.doesNotMatch(key.body, /totp-key/, 'no key is shown');
    assert.equal(await h.runtime.store.totpEnrollments.find((await account(a)).id), undefined);
    const guessed = await b.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: '123456' });
    assert.equal(guessed.statusCode, 404);
    assert.match(guessed.body, /確認コードが送信されていません/);
    assert.equal((await account(a)).totpEnabledAt, null);
  });

  it('without a fresh second factor a TOTP customer cannot stop the service, re-show the code or get new recovery codes', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const secret = await withTotp(a);
    const before = await account(a);
    for (const [screen, action] of [
      ['/account/totp/stop/confirm', '/account/totp/stop'],
      ['/account/totp/reregister', '/account/totp/reregister'],
      ['/account/totp/recovery-codes', '/account/totp/recovery-codes'],
    ] as const) {
      await b.get(screen);
      for (const form of [{ tradingPassword: a.tradingPassword }, { tradingPassword: a.tradingPassword, confirmationCode: wrongCode(secret) }] as Record<string, string>[]) {
        const res = await b.post(action, form);
        assert.ok(res.statusCode >= 400, `${action} refused (${res.statusCode})`);
        assert.doesNotMatch(res.body, /class="recovery-codes"/, 'no recovery codes revealed');
      }
    }
    const after = await account(a);
    assert.equal(after.totpSecretSealed, before.totpSecretSealed, 'the service is still on with the same key');
    assert.equal(await h.runtime.store.recoveryCodes.countUnused(after.id), 3, 'the old recovery codes are untouched');
    assert.equal(await h.runtime.store.totpEnrollments.find(after.id), undefined, 'no new key is pending');
  });

  it('without a fresh second factor no passkey is registered or deleted', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const passkey = await withPasskey(a);
    await b.get('/account/passkeys');
    const options = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword });
    assert.equal(options.statusCode, 400);
    assert.equal(options.json().error.code, 'invalid_input');
    assert.equal(options.json().options, undefined, 'no registration ceremony is started');
    const guessed = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: '123456' });
    assert.equal(guessed.statusCode, 404);
    assert.equal(guessed.json().error.code, 'flow_not_found');
    await b.get(`/account/passkeys/${passkey.id}/delete`);
    const del = await b.post(`/account/passkeys/${passkey.id}/delete`, { tradingPassword: a.tradingPassword });
    assert.equal(del.statusCode, 400);
    assert.equal((await h.runtime.store.passkeys.listForAccount(passkey.accountId)).length, 1, 'the passkey is still there');
  });

  it('a code mailed for one purpose, or to another session, does not confirm another change', async () => {
    const a = await h.createAccount();
    const mine = await h.signedIn(a);
    const other = await h.signedIn(a);
    const passkeyCode = await h.mailedConfirmationCode(mine, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    await h.mailedConfirmationCode(mine, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
    await mine.get('/account/totp/apply');
    const otherPurpose = await mine.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: passkeyCode });
    assert.equal(otherPurpose.statusCode, 401);
    assert.match(otherPurpose.body, /確認コードが正しくありません。もう一度入力してください（あと4回）/);

    await h.mailedConfirmationCode(other, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    const otherSession = await other.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: passkeyCode });
    assert.equal(otherSession.statusCode, 401);
    assert.equal(otherSession.json().error.code, 'code_invalid');

    await mine.get('/account/passkeys');
    const right = await mine.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: passkeyCode });
    assert.equal(right.statusCode, 200, right.body);
    assert.ok(right.json().options.challenge);
    const again = await mine.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: passkeyCode });
    assert.equal(again.statusCode, 404, 'a code is used once');
  });

  it('60 concurrent wrong codes are judged exactly five times, and the right code is refused after them', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const right = await h.mailedConfirmationCode(b, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
    const wrong = wrongCode(null, right);
    const results = await Promise.all(Array.from({ length: 60 }, () => b.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: wrong })));
    const statuses = results.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 401).length, 4, 'four answers say how many tries are left');
    // The fifth and every later guess is refused: told the tries are spent (403), or — while five
    // trading-password checks are still running — asked to retry before anything is compared (429).
    assert.ok(statuses.every((s) => s === 401 || s === 403 || s === 429), String(statuses));
    assert.ok(statuses.filter((s) => s === 403).length >= 1, 'the fifth guess spends the tries');
    assert.equal((await audits(a, 'reauthentication.failed')).length, 5, 'exactly five guesses were compared');
    const late = await b.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: right });
    assert.equal(late.statusCode, 403);
    assert.match(late.body, /確認コードの誤りが規定回数を超えた/);
    assert.equal(await h.runtime.store.totpEnrollments.find((await account(a)).id), undefined);
  });

  it('the mail says exactly what the code is for and to call the support desk, and goes to the representative address only', async () => {
    const a = await h.createAccount({ emails: [`daihyo.${randomBytes(2).toString('hex')}@example.com`, `sub.${randomBytes(2).toString('hex')}@example.com`] });
    const b = await h.signedIn(a);
    await b.get('/account/passkeys');
    const sent = await b.post('/account/passkeys/register/code', {});
    assert.match(sent.body, /daih\*\*\*\*\* 宛に確認コードを送信しました/);
    const mail = await h.mail(a.emails[0]!, '確認コードのお知らせ（パスキーの登録）');
    assert.match(mail.text, /「パスキーの登録」のお手続き/);
    assert.match(mail.text, /確認コード: \d{6}/);
    assert.match(mail.text, /ご自身のお手続きでない場合は、このコードを入力せず/);
    assert.ok(mail.text.includes(h.config.brand.supportPhone) && mail.text.includes('お電話ください'));
    assert.ok(!h.smtp.mails.some((m) => m.to.includes(a.emails[1]!)), 'only the representative address gets the code');
    const tooSoon = await b.post('/account/passkeys/register/code', {});
    assert.equal(tooSoon.statusCode, 429);
    assert.match(tooSoon.body, /確認コードの再送は\d+秒後から可能です/);
  });

  it('with the mailed code: TOTP is applied for in the session that confirmed, and every verified address is told', async () => {
    const a = await h.createAccount({ emails: [`one.${randomBytes(2).toString('hex')}@example.com`, `two.${randomBytes(2).toString('hex')}@example.com`] });
    const b = await h.signedIn(a);
    const elsewhere = await h.signedIn(a);
    const code = await h.mailedConfirmationCode(b, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
    const wrongPassword = await b.post('/account/totp/apply', { tradingPassword: 'not the trading password', confirmationCode: code });
    assert.equal(wrongPassword.statusCode, 401, 'the trading password is checked too');
    const applied = await b.post('/account/totp/apply', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(applied.statusCode, 303);
    const key = await b.follow(applied);
    const secret = /data-secret="([A-Z2-7]+)"/.exec(key.body)![1]!;
    assert.doesNotMatch((await elsewhere.get('/account/totp/key')).body, /totp-key/, 'another session of the account is not shown the key');
    await b.get('/account/totp/verify');
    const done = await b.post('/account/totp/verify', { code: totpCode(secret, h.clock.now()) });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /class="recovery-codes"/);
    for (const to of a.emails) await h.mail(to, 'ワンタイムパスワードサービス申込受付');
  });

  it('with the current one-time password, accepted once: recovery codes, then 利用停止, each told to every verified address', async () => {
    const a = await h.createAccount({ emails: [`one.${randomBytes(2).toString('hex')}@example.com`, `two.${randomBytes(2).toString('hex')}@example.com`] });
    const b = await h.signedIn(a);
    const secret = await withTotp(a);
    await b.get('/account/totp/recovery-codes');
    assert.match(b.lastPage, /現在のワンタイムパスワードを入力することもできます/);
    const now = totpCode(secret, h.clock.now());
    const regenerated = await b.post('/account/totp/recovery-codes', { tradingPassword: a.tradingPassword, confirmationCode: now });
    assert.equal(regenerated.statusCode, 200);
    assert.match(regenerated.body, /class="recovery-codes"/);
    for (const to of a.emails) await h.mail(to, 'リカバリーコード再発行');
    await b.get('/account/totp/stop/confirm');
    const replayed = await b.post('/account/totp/stop', { tradingPassword: a.tradingPassword, confirmationCode: now });
    assert.equal(replayed.statusCode, 401);
    assert.match(replayed.body, /すでに使用されています/);
    assert.ok((await account(a)).totpEnabledAt, 'a replayed one-time password stops nothing');
    h.clock.advance(30_000);
    const stopped = await b.post('/account/totp/stop', { tradingPassword: a.tradingPassword, confirmationCode: totpCode(secret, h.clock.now()) });
    assert.equal(stopped.statusCode, 200);
    assert.equal((await account(a)).totpEnabledAt, null);
    for (const to of a.emails) await h.mail(to, 'ワンタイムパスワードサービス利用停止');
  });

  it('a passkey named like a link never puts the link in a mail', async () => {
    const a = await h.createAccount();
    await withPasskey(a, 'https://evil.example/login');
    await withPasskey(a, 'www.evil.example');
    await h.runtime.services.passkeys.supportReset(a.loginId, 'suzuki', '端末紛失のため');
    const mail = await h.mail(a.emails[0]!, 'パスキーを削除しました');
    assert.doesNotMatch(mail.text, /http|evil|example|www/i);
  });
});

