/**
 * Eメールアドレス登録照会 and ログイン通知 through the pages, as a customer uses them: masked
 * addresses, 仮登録 → code → registered, changing メールアドレス1 with the old address told,
 * removal, duplicates and bad input refused with nothing changed, the notification setting's
 * 入力 → 確認 → 完了 and the mail a login then sends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../../src/crypto/totp';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { storeKind } from '../support/test-store';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe(`addresses and login notification (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const addressCode = async (to: string) => {
    const m = await h.mail(to, '確認コード');
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    assert.doesNotMatch(m.text, /https?:\/\//, 'no link in the mail');
    return /確認コード: (\d{6})/.exec(m.text)![1]!;
  };

  /** 「確認コードをメールで送信」 on a change or removal 確認 screen: the code goes to メールアドレス1 as it is now. */
  async function sendConfirmationCode(b: TestBrowser, a: AccountSeed, path: string, form: Record<string, string>, purposeLabel: string) {
    const sent = await b.post(`${path}/code`, form);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.match(sent.body, /宛に確認コードを送信しました/);
    return h.confirmationCodeFor(a.emails[0]!, purposeLabel);
  }

  /** 入力 → 確認 → 変更/仮登録; replacing a verified address also takes a fresh code mailed to メールアドレス1. */
  async function requestAddress(b: TestBrowser, a: AccountSeed, slot: number, address: string, o: { replacesVerified?: boolean } = {}) {
    await b.get(`/account/emails/${slot}/change`);
    const confirm = await b.post(`/account/emails/${slot}/change/confirm`, { address, addressConfirmation: address });
    assert.equal(confirm.statusCode, 200, confirm.body);
    assert.match(confirm.body, /取引パスワード/);
    // Adding to an empty slot takes one too (never the trading password alone), mailed for 登録.
    const confirmationCode = await sendConfirmationCode(b, a, `/account/emails/${slot}/change`, { address }, o.replacesVerified ? 'メールアドレスの変更' : 'メールアドレスの登録');
    const sent = await b.post(`/account/emails/${slot}/change`, { address, tradingPassword: a.tradingPassword, confirmationCode });
    assert.equal(sent.statusCode, 303, sent.body);
    return b.follow(sent);
  }

  const emailsOf = async (a: AccountSeed) => {
    const acc = await h.runtime.store.accounts.findByLoginId(a.loginId);
    return h.runtime.store.emails.listForAccount(acc!.id);
  };

  it('shows three slots, masked, and registers a new one only after the code mailed to it', async () => {
    const a = await h.createAccount({ emails: ['jimukyoku.gunma@example.com'] });
    const b = await h.signedIn(a);
    const list = await b.get('/account/emails');
    assert.match(list.body, /メールアドレス1 <span class="badge">代表<\/span>/);
    assert.match(list.body, /jimu\*\*\*\*\*/);
    assert.doesNotMatch(list.body, /jimukyoku\.gunma|example\.com/, 'never in full');
    assert.equal(list.body.match(/現在登録されていません/g)?.length, 2);
    assert.match(list.body, /仮登録/);
    assert.match(list.body, /通知しない/);
    assert.match(list.body, /メールアドレス1は、当社からのお客さま宛のご連絡/);

    const codePage = await requestAddress(b, a, 2, 'ｍａｅｂａｓｈｉ＠example.net');
    assert.match(codePage.body, /確認コード/);
    assert.match(codePage.body, /maeb\*\*\*\*\*/);
    const pendingList = await b.get('/account/emails');
    assert.match(pendingList.body, /仮登録（確認コード未入力）/);
    assert.equal((await emailsOf(a)).length, 1, 'not registered before the code');

    const code = await addressCode('maebashi@example.net');
    const wrong = await b.post('/account/emails/2/verify', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /認証コードが正しくありません/);
    const done = await b.post('/account/emails/2/verify', { code: code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /メールアドレス2を登録しました/);
    const emails = await emailsOf(a);
    assert.deepEqual(emails.map((e) => [e.slot, e.address, Boolean(e.verifiedAt)]), [[1, 'jimukyoku.gunma@example.com', true], [2, 'maebashi@example.net', true]]);
    await h.mail('maebashi@example.net', 'メールアドレス登録のお知らせ');
    await h.mail('jimukyoku.gunma@example.com', 'メールアドレス登録のお知らせ');
    const again = await b.post('/account/emails/2/verify', { code });
    assert.notEqual(again.statusCode, 200, 'a code is single use');

    const audit = (await h.runtime.store.audit.listForAccount(emails[0]!.accountId, 30)).map((e) => e.type);
    assert.ok(audit.includes('address.requested') && audit.includes('address.added') && audit.includes('address.code_failed'));
  });

  it('changing メールアドレス1 tells the old address, and login codes go to the new one', async () => {
    const a = await h.createAccount({ emails: ['old.takasaki@example.com'] });
    const b = await h.signedIn(a);
    await requestAddress(b, a, 1, 'new.takasaki@example.com', { replacesVerified: true });
    // Until the code is entered, the old address stays in use.
    assert.equal((await emailsOf(a))[0]!.address, 'old.takasaki@example.com');
    const res = await b.post('/account/emails/1/verify', { code: await addressCode('new.takasaki@example.com') });
    assert.match(res.body, /以前のメールアドレスにもお知らせ/);
    const toOld = await h.mail('old.takasaki@example.com', 'メールアドレス変更のお知らせ');
    assert.match(toOld.text, /新しいメールアドレス（new\.\*\*\*\*\*）に変更されました/);
    assert.doesNotMatch(toOld.text, /new\.takasaki@/, 'the old address is not told the new one in full');
    await h.mail('new.takasaki@example.com', 'メールアドレス変更のお知らせ');

    const other = h.browser(IPHONE);
    await other.login(a.loginId, a.loginPassword);
    assert.match(await h.codeFor('new.takasaki@example.com'), /^\d{6}$/);
  });

  it('refuses duplicates, malformed, overlong and control-character addresses with a clear message, changing nothing', async () => {
    const a = await h.createAccount({ emails: ['jimu.kiryu@example.com', 'second.kiryu@example.com'] });
    const b = await h.signedIn(a);
    await b.get('/account/emails/3/change');
    const cases: [string, RegExp][] = [
      ['jimu.kiryu@example.com', /ほかの欄に登録済み/],
      ['JIMU.KIRYU@example.com', /ほかの欄に登録済み/],
      ['not-an-address', /メールアドレスを正しく入力/],
      ['a@b', /メールアドレスを正しく入力/],
      [`${'x'.repeat(250)}@example.com`, /メールアドレスを正しく入力/],
      ['evil\r\nBcc: x@example.com', /メールアドレスを正しく入力/],
      ['nul\u0000@example.com', /メールアドレスを正しく入力/],
      ['', /メールアドレスを正しく入力/],
    ];
    for (const [address, message] of cases) {
      const res = await b.post('/account/emails/3/change/confirm', { address, addressConfirmation: address });
      assert.equal(res.statusCode >= 400 && res.statusCode < 500, true, `${JSON.stringify(address)} → ${res.statusCode}`);
      assert.match(res.body, message, JSON.stringify(address));
    }
    const same = await b.post('/account/emails/2/change/confirm', { address: 'second.kiryu@example.com', addressConfirmation: 'second.kiryu@example.com' });
    assert.match(same.body, /現在登録されているメールアドレスと同じ/);
    const mismatch = await b.post('/account/emails/3/change/confirm', { address: 'third.kiryu@example.com', addressConfirmation: 'thrid.kiryu@example.com' });
    assert.match(mismatch.body, /一致しません/);
    // Posting straight to the last step with a duplicate is refused the same way.
    const direct = await b.post('/account/emails/3/change', { address: 'second.kiryu@example.com', tradingPassword: a.tradingPassword });
    assert.equal(direct.statusCode, 409);
    for (const slot of ['0', '4', 'x', '1e3']) assert.equal((await b.get(`/account/emails/${slot}/change`)).statusCode, 404);
    const wrongPassword = await b.post('/account/emails/3/change', { address: 'third.kiryu@example.com', tradingPassword: 'not the trading password', confirmationCode: '000000' });
    assert.equal(wrongPassword.statusCode, 401);
    assert.match(wrongPassword.body, /取引パスワードが正しくありません/);
    const acc = await h.runtime.store.accounts.findByLoginId(a.loginId);
    assert.equal((await h.runtime.store.addressChanges.listForAccount(acc!.id)).length, 0, 'nothing pending');
    assert.equal((await emailsOf(a)).length, 2, 'nothing changed');
  });

  it('removes address 2 or 3 with the trading password and a fresh confirmation code; メールアドレス1 cannot be removed', async () => {
    const a = await h.createAccount({ emails: ['jimu.numata@example.com', 'second.numata@example.com'] });
    const b = await h.signedIn(a);
    const list = await b.get('/account/emails');
    assert.doesNotMatch(list.body, /href="\/account\/emails\/1\/remove"/);
    assert.equal((await b.get('/account/emails/1/remove')).statusCode, 403);
    assert.equal((await b.post('/account/emails/1/remove', { tradingPassword: a.tradingPassword, confirmationCode: '123456' })).statusCode, 403);
    const screen = await b.get('/account/emails/2/remove');
    assert.match(screen.body, /本人確認/);
    assert.match(screen.body, /action="\/account\/emails\/2\/remove\/code"/);
    const noCode = await b.post('/account/emails/2/remove', { tradingPassword: a.tradingPassword });
    assert.equal(noCode.statusCode, 400);
    assert.match(noCode.body, /確認コード（数字6桁）を入力してください/);
    const code = await sendConfirmationCode(b, a, '/account/emails/2/remove', {}, 'メールアドレスの削除');
    const wrong = await b.post('/account/emails/2/remove', { tradingPassword: 'wrong trading pw', confirmationCode: code });
    assert.equal(wrong.statusCode, 401);
    assert.equal((await emailsOf(a)).length, 2);
    const done = await b.post('/account/emails/2/remove', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.match(done.body, /メールアドレス2を削除しました/);
    assert.deepEqual((await emailsOf(a)).map((e) => e.slot), [1]);
    await h.mail('second.numata@example.com', 'メールアドレス削除のお知らせ');
  });

  it('ログイン通知: 入力 → 確認 (wrong trading password changes nothing) → 完了, then a login elsewhere mails that address', async () => {
    const a = await h.createAccount({ emails: ['jimu.ota@example.com'] });
    const b = await h.signedIn(a);
    const input = await b.get('/account/emails/1/notification');
    assert.match(input.body, /Eメールアドレス設定変更 -入力-/);
    assert.match(input.body, /type="radio" name="loginNotification" value="on"/);
    assert.match(input.body, /確認画面へ/);
    const confirm = await b.post('/account/emails/1/notification/confirm', { loginNotification: 'on' });
    assert.match(confirm.body, /Eメールアドレス設定変更 -確認-/);
    assert.match(confirm.body, /class="new-value">通知する/);
    assert.match(confirm.body, /入力画面へ戻る/);
    const wrong = await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: 'wrong trading pw', confirmationCode: '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /取引パスワードが正しくありません/);
    assert.equal((await emailsOf(a))[0]!.loginNotification, false);
    const bad = await b.post('/account/emails/1/notification/confirm', { loginNotification: 'maybe' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /「通知する」または「通知しない」を選択/);
    const confirmationCode = await sendConfirmationCode(b, a, '/account/emails/1/notification', { loginNotification: 'on' }, 'ログイン通知の設定変更');
    const done = await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: a.tradingPassword, confirmationCode });
    assert.match(done.body, /Eメールアドレス設定変更 -完了-/);
    assert.equal((await emailsOf(a))[0]!.loginNotification, true);
    assert.match((await b.get('/account/emails')).body, /<td>通知する<\/td>/);
    await h.mail('jimu.ota@example.com', 'ログイン通知の設定変更');

    const phone = h.browser(IPHONE);
    await phone.login(a.loginId, a.loginPassword);
    await phone.post('/login/code', { code: await h.codeFor('jimu.ota@example.com') });
    const notice = await h.mail('jimu.ota@example.com', 'ログインのお知らせ');
    assert.match(notice.text, /日時: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    assert.match(notice.text, /ブラウザ: Mobile Safari 17/);
    assert.match(notice.text, /OS: iOS 17\.5/);
    assert.match(notice.text, /IPアドレス: 127\.0\.0\.1/);
    assert.match(notice.text, /認証方法: メールの認証コード/);
    assert.match(notice.text, /フリーダイヤル/);
    assert.doesNotMatch(notice.text, /https?:\/\//, 'no link to a login page');
  });

  it('a login wakes the mail sender only when it queued a login notice', async () => {
    const a = await h.createAccount({ emails: ['wake.ueda@example.com'] });
    const b = await h.signedIn(a);
    await b.post('/logout', {});
    const worker = h.runtime.worker;
    const original = worker.poke;
    let wakes = 0;
    worker.poke = () => {
      wakes += 1;
      original.call(worker);
    };
    try {
      const quiet = await b.login(a.loginId, a.loginPassword);
      assert.doesNotMatch(String(quiet.headers.location), /code/, 'recognised browser: signed in without a code');
      assert.equal((await b.get('/account')).statusCode, 200);
      assert.equal(wakes, 0, 'no notice, no wake-up');
      // A TOTP login without a notice neither (its replay check runs in the same transaction).
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const t = await h.createAccount({ totpSecret: secret });
      const ctx = { ip: '192.0.2.30', userAgent: 'test', deviceToken: null };
      const step = await h.runtime.services.login.start({ loginId: t.loginId, password: t.loginPassword }, ctx);
      assert.equal(step.state, 'awaiting_totp');
      const wakesBefore = wakes;
      const totpDone = await h.runtime.services.login.submitTotp((step as { flowHandle: string }).flowHandle, totpCode(secret, h.clock.now()), ctx);
      assert.equal(totpDone.state, 'done');
      assert.equal(wakes, wakesBefore, 'TOTP login without a notice: no wake-up');
      await b.post('/logout', {});
      await h.runtime.store.emails.setLoginNotification((await emailsOf(a))[0]!.accountId, 1, true);
      await b.login(a.loginId, a.loginPassword);
      assert.equal(wakes, 1);
      await h.mail('wake.ueda@example.com', 'ログインのお知らせ');
    } finally {
      worker.poke = original;
    }
  });

  it('after login, a customer with neither TOTP nor login notification is urged to set one up', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    assert.match((await b.get('/account')).body, /class="recommend"/);
    await h.runtime.store.emails.setLoginNotification((await emailsOf(a))[0]!.accountId, 1, true);
    assert.doesNotMatch((await b.get('/account')).body, /class="recommend"/);
  });
  // The hole this guards: with a stolen session and the trading password, moving メールアドレス1
  // to the intruder's address would send every later login and confirmation code there.
  describe('a stolen session that knows the trading password', () => {
    const intruder = 'intruder.kanra@example.net';
    const mailedTo = async (to: string) => {
      await h.runtime.worker.runOnce();
      return h.smtp.mails.filter((m) => m.to.includes(to));
    };

    it('cannot change メールアドレス1 without a fresh code: nothing pending, nothing mailed to the new address', async () => {
      const a = await h.createAccount({ emails: ['jimu.kanra@example.com'] });
      const b = await h.signedIn(a);
      await b.get('/account/emails/1/change');
      const confirm = await b.post('/account/emails/1/change/confirm', { address: intruder, addressConfirmation: intruder });
      const noCode = await b.post('/account/emails/1/change', { address: intruder, tradingPassword: a.tradingPassword });
      assert.equal(noCode.statusCode, 400, 'the trading password alone is not enough');
      assert.match(noCode.body, /確認コード（数字6桁）を入力してください/);
      assert.match(confirm.body, /本人確認/);
      assert.match(confirm.body, /確認コードをメールで送信/);
      assert.match(confirm.body, /name="confirmationCode"/);
      const guessed = await b.post('/account/emails/1/change', { address: intruder, tradingPassword: a.tradingPassword, confirmationCode: '123456' });
      assert.equal(guessed.statusCode, 404);
      assert.match(guessed.body, /確認コードが送信されていません/);
      const acc = await h.runtime.store.accounts.findByLoginId(a.loginId);
      assert.equal((await h.runtime.store.addressChanges.listForAccount(acc!.id)).length, 0, 'nothing pending');
      assert.deepEqual((await emailsOf(a)).map((e) => e.address), ['jimu.kanra@example.com']);
      assert.equal((await mailedTo(intruder)).length, 0, 'no code mailed to the new address');
    });

    it('can change メールアドレス1 with the code mailed to the current メールアドレス1 for 「メールアドレスの変更」, once', async () => {
      const a = await h.createAccount({ emails: ['jimu.fujioka@example.com'] });
      const b = await h.signedIn(a);
      const next = 'home.fujioka@example.org';
      await b.get('/account/emails/1/change');
      await b.post('/account/emails/1/change/confirm', { address: next, addressConfirmation: next });
      const sent = await b.post('/account/emails/1/change/code', { address: next });
      assert.match(sent.body, /jimu\*\*\*\*\* 宛に確認コードを送信しました/, 'to the current representative address, masked');
      assert.match(sent.body, /class="new-address">home\.fujioka@example\.org</, 'the screen still shows the address being confirmed');
      const mail = await h.mail('jimu.fujioka@example.com', '確認コードのお知らせ（メールアドレスの変更）');
      h.smtp.mails.splice(h.smtp.mails.indexOf(mail), 1);
      assert.match(mail.text, /「メールアドレスの変更」のお手続き/);
      const code = /確認コード: (\d{6})/.exec(mail.text)![1]!;
      assert.equal((await mailedTo(next)).length, 0, 'the new address is sent nothing before the change is confirmed');
      const res = await b.post('/account/emails/1/change', { address: next, tradingPassword: a.tradingPassword, confirmationCode: code });
      assert.equal(res.statusCode, 303, res.body);
      const done = await b.post('/account/emails/1/verify', { code: await addressCode(next) });
      assert.match(done.body, /メールアドレス1を変更しました/);
      assert.deepEqual((await emailsOf(a)).map((e) => e.address), [next]);
      const again = await b.post('/account/emails/1/change', { address: 'third.fujioka@example.org', tradingPassword: a.tradingPassword, confirmationCode: code });
      assert.notEqual(again.statusCode, 303, 'a confirmation code is single use');
    });

    it('cannot use a confirmation code mailed for another purpose or in another session', async () => {
      const a = await h.createAccount({ emails: ['jimu.annaka@example.com', 'second.annaka@example.com'] });
      const b = await h.signedIn(a);
      const other = await h.signedIn(a, IPHONE);
      const totpCode = await h.mailedConfirmationCode(b, '/account/totp/apply', '/account/totp/apply/code', a.emails[0]!);
      await b.get('/account/emails/2/remove');
      const removeCode = await sendConfirmationCode(b, a, '/account/emails/2/remove', {}, 'メールアドレスの削除');
      await other.get('/account/emails/1/change');
      const otherSessionCode = await sendConfirmationCode(other, a, '/account/emails/1/change', { address: intruder }, 'メールアドレスの変更');
      await b.get('/account/emails/1/change');
      const ownCode = await sendConfirmationCode(b, a, '/account/emails/1/change', { address: intruder }, 'メールアドレスの変更');
      const attempts: [string, string][] = [
        [totpCode, 'ワンタイムパスワードサービスの申込'],
        [removeCode, 'メールアドレスの削除'],
        [otherSessionCode, 'another session'],
      ];
      for (const [code, what] of attempts) {
        if (code === ownCode) continue;
        const res = await b.post('/account/emails/1/change', { address: intruder, tradingPassword: a.tradingPassword, confirmationCode: code });
        assert.equal(res.statusCode, 401, what);
        assert.match(res.body, /確認コードが正しくありません/, what);
      }
      const removeWithChangeCode = await b.post('/account/emails/2/remove', { tradingPassword: a.tradingPassword, confirmationCode: ownCode === removeCode ? '000000' : ownCode });
      assert.equal(removeWithChangeCode.statusCode, 401, 'a code for 変更 does not remove');
      assert.deepEqual((await emailsOf(a)).map((e) => e.address), ['jimu.annaka@example.com', 'second.annaka@example.com'], 'nothing changed');
      const acc = await h.runtime.store.accounts.findByLoginId(a.loginId);
      assert.equal((await h.runtime.store.addressChanges.listForAccount(acc!.id)).length, 0, 'nothing pending');
      assert.equal((await mailedTo(intruder)).length, 0);
      // The right code for the right purpose in the right session still works after those tries.
      const removed = await b.post('/account/emails/2/remove', { tradingPassword: a.tradingPassword, confirmationCode: removeCode });
      assert.match(removed.body, /メールアドレス2を削除しました/);
    });

    it('a TOTP customer may confirm the change with the current one-time password instead, accepted once', async () => {
      const a = await h.createAccount({ emails: ['jimu.shibukawa@example.com'] });
      const b = await h.signedIn(a);
      const { secrets, random } = h.runtime.services.ports;
      const secret = generateTotpSecret(random);
      const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
      await h.runtime.store.accounts.setTotp(acc.id, secrets.seal(secret), h.clock.now(), h.clock.now());
      const next = 'ikaho.shibukawa@example.org';
      await b.get('/account/emails/1/change');
      const confirm = await b.post('/account/emails/1/change/confirm', { address: next, addressConfirmation: next });
      assert.match(confirm.body, /現在のワンタイムパスワードを入力することもできます/);
      const now = totpCode(secret, h.clock.now());
      const res = await b.post('/account/emails/1/change', { address: next, tradingPassword: a.tradingPassword, confirmationCode: now });
      assert.equal(res.statusCode, 303, res.body);
      await addressCode(next);
      const replayed = await b.post('/account/emails/1/change', { address: 'other.shibukawa@example.org', tradingPassword: a.tradingPassword, confirmationCode: now });
      assert.equal(replayed.statusCode, 401);
      assert.match(replayed.body, /すでに使用されています/);
    });

    it('a request made for an empty slot does not replace an address verified in that slot after it', async () => {
      const a = await h.createAccount({ emails: ['jimu.tatebayashi@example.com'] });
      const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
      const ctx = { ip: '192.0.2.44', userAgent: 'test', sessionId: 424242 };
      await h.runtime.services.reauthentication.requestCode(acc, ctx.sessionId, 'address_add', ctx);
      const confirmationCode = await h.confirmationCodeFor(a.emails[0]!, 'メールアドレスの登録');
      await h.runtime.services.addresses.requestChange(acc, { slot: 2, address: intruder, tradingPassword: a.tradingPassword, confirmationCode }, ctx);
      const code = await addressCode(intruder);
      h.clock.advance(1000);
      await h.runtime.store.emails.putVerified(acc.id, 2, 'second.tatebayashi@example.com', h.clock.now());
      await assert.rejects(h.runtime.services.addresses.confirmChange(acc, { slot: 2, code }, ctx), (e: { code?: string }) => e.code === 'flow_state');
      assert.deepEqual((await emailsOf(a)).map((e) => e.address), ['jimu.tatebayashi@example.com', 'second.tatebayashi@example.com']);
    });

    it('adds an address to an empty slot with the trading password and a fresh code (issue 16: never the trading password alone); every verified address is told', async () => {
      const a = await h.createAccount({ emails: ['jimu.midori@example.com'] });
      const b = await h.signedIn(a);
      await requestAddress(b, a, 3, 'third.midori@example.net');
      await b.post('/account/emails/3/verify', { code: await addressCode('third.midori@example.net') });
      assert.equal((await emailsOf(a)).length, 2);
      await h.mail('jimu.midori@example.com', 'メールアドレス登録のお知らせ');
    });
  });
});
