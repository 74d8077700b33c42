/**
 * The customer's own security overview: ログイン履歴, 登録済み端末 and 解除, the two password
 * changes, and the support desk lifting a trading-password lock (CLI and API).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { supportKeyFor } from '../support/support-keys';
import { storeKind } from '../support/test-store';

const run = promisify(execFile);
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
let SUPPORT_KEY = '';

/** A well-formed confirmation code, for attempts refused before any code is compared (critical changes need one). */
const ANY_CODE = '000000';

describe(`security overview and password changes (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key, SUPPORT_API_PUBLIC: 'true' });
    SUPPORT_KEY = await supportKeyFor(h.runtime, 'sato');
  });
  after(async () => h.close());

  const accountOf = async (a: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
  const sessionOf = (b: { jar: { header(): string } }) => h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });

  it('ログイン履歴 lists successes and failures with time, IP, browser/OS and method', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const stranger = h.browser(IPHONE);
    await stranger.login(a.loginId, 'not the password at all');
    const page = await b.get('/account/security');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="history">ログイン履歴<\/h2>/);
    const rows = page.body.split('<tr class=').slice(1);
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /"failed".*127\.0\.0\.1.*Mobile Safari 17 \/ iOS 17\.5.*失敗（パスワード誤り）/s);
    assert.match(rows[1]!, /"ok".*Chrome 131 \/ Windows 10.*メールの認証コード.*成功/s);
    assert.match(page.body, /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    // Only the last 20.
    for (let i = 0; i < 25; i++) {
      // Stay under the lockout: the throttle window is 15 minutes.
      if (i % 5 === 4) h.clock.advance(31 * 60_000);
      await h.runtime.services.login.start({ loginId: a.loginId, password: `wrong ${i} password` }, { ip: '198.51.100.7', userAgent: IPHONE, deviceToken: null }).catch(() => undefined);
    }
    // (The clock moved past the idle timeout: sign in again to look.)
    const later = await h.signedIn(a);
    assert.equal((await later.get('/account/security')).body.split('<tr class=').length - 1, 20);
  });

  it('登録済み端末 lists recognised browsers; 解除 makes that browser need the code again', async () => {
    const a = await h.createAccount();
    const desk = await h.signedIn(a);
    const phone = await h.signedIn(a, IPHONE);
    const page = await desk.get('/account/security');
    assert.match(page.body, /Chrome 131 \/ Windows 10 <span class="badge">この端末<\/span>/);
    assert.match(page.body, /Mobile Safari 17 \/ iOS 17\.5/);
    const devices = await h.runtime.store.devices.listForAccount((await accountOf(a)).id);
    const phoneDevice = devices.find((d) => d.userAgent === IPHONE)!;
    const revoked = await desk.post(`/account/devices/${phoneDevice.id}/revoke`, {});
    assert.match(revoked.body, /端末の登録を解除しました/);
    assert.doesNotMatch(revoked.body.split('class="details devices"')[1]!, /Mobile Safari 17 \/ iOS/);
    await phone.post('/logout', {});
    const again = await phone.login(a.loginId, a.loginPassword);
    assert.match(again.body, /認証コード/, 'the revoked browser is asked for a code');
    const bogus = await desk.post('/account/devices/999999/revoke', {});
    assert.equal(bogus.statusCode, 404);
    assert.equal((await desk.post('/account/devices/abc/revoke', {})).statusCode, 400);
    // Another customer's device cannot be revoked by id.
    const other = await h.createAccount();
    await h.signedIn(other);
    const theirs = (await h.runtime.store.devices.listForAccount((await accountOf(other)).id))[0]!;
    assert.equal((await desk.post(`/account/devices/${theirs.id}/revoke`, {})).statusCode, 404);
    assert.equal((await h.runtime.store.devices.listForAccount((await accountOf(other)).id))[0]!.revokedAt, null);
  });

  it('ログインパスワード変更 ends other sessions, revokes other browsers, keeps this one, and mails the notice', async () => {
    const a = await h.createAccount();
    const desk = await h.signedIn(a);
    const phone = await h.signedIn(a, IPHONE);
    await desk.get('/account/password');
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ currentPassword: a.loginPassword, newPassword: 'kusatsu onsen 2026', newPasswordConfirmation: 'kusatsu onsen 2025', tradingPassword: a.tradingPassword }, 400, /一致しません/],
      [{ currentPassword: a.loginPassword, newPassword: 'short', newPasswordConfirmation: 'short', tradingPassword: a.tradingPassword }, 400, /8文字以上/],
      [{ currentPassword: a.loginPassword, newPassword: 'password123', newPasswordConfirmation: 'password123', tradingPassword: a.tradingPassword }, 400, /よく使われて/],
      [{ currentPassword: a.loginPassword, newPassword: a.tradingPassword, newPasswordConfirmation: a.tradingPassword, tradingPassword: a.tradingPassword, confirmationCode: ANY_CODE }, 400, /取引パスワードと異なる/],
      [{ currentPassword: 'not my password', newPassword: 'kusatsu onsen 2026', newPasswordConfirmation: 'kusatsu onsen 2026', tradingPassword: a.tradingPassword, confirmationCode: ANY_CODE }, 401, /現在のログインパスワードが正しくありません/],
      [{ currentPassword: a.loginPassword, newPassword: 'kusatsu onsen 2026', newPasswordConfirmation: 'kusatsu onsen 2026', tradingPassword: 'wrong trading', confirmationCode: ANY_CODE }, 401, /取引パスワードが正しくありません/],
    ];
    for (const [form, status, message] of cases) {
      const res = await desk.post('/account/password', form);
      assert.equal(res.statusCode, status, JSON.stringify(form));
      assert.match(res.body, message);
    }
    assert.equal((await sessionOf(phone)).statusCode, 200, 'nothing changed yet');
    const confirmationCode = await h.mailedConfirmationCode(desk, '/account/password', '/account/password/code', a.emails[0]!);
    const done = await desk.post('/account/password', { currentPassword: a.loginPassword, newPassword: 'kusatsu onsen 2026', newPasswordConfirmation: 'kusatsu onsen 2026', tradingPassword: a.tradingPassword, confirmationCode });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /ログインパスワードを変更しました/);
    assert.equal((await sessionOf(desk)).statusCode, 200, 'this session goes on');
    assert.equal((await sessionOf(phone)).statusCode, 401, 'other sessions end');
    const devices = await h.runtime.store.devices.listForAccount((await accountOf(a)).id);
    assert.deepEqual(devices.map((d) => [d.userAgent === IPHONE, d.revokedAt !== null]).sort(), [[false, false], [true, true]]);
    const mail = await h.mail(a.emails[0]!, 'ログインパスワード変更のお知らせ');
    assert.match(mail.text, /ほかの端末・ブラウザのログインはすべて終了/);
    // The old password no longer works; the new one does.
    assert.equal((await h.browser().login(a.loginId, a.loginPassword)).statusCode, 401);
    assert.match((await h.browser().login(a.loginId, 'kusatsu onsen 2026')).body, /認証コード/);
  });

  it('取引パスワード変更 needs the current one and a new one different from the login password', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    await b.get('/account/trading-password');
    const same = await b.post('/account/trading-password', { currentPassword: a.tradingPassword, newPassword: a.loginPassword, newPasswordConfirmation: a.loginPassword, confirmationCode: ANY_CODE });
    assert.equal(same.statusCode, 400);
    assert.match(same.body, /ログインパスワードと異なるもの/);
    const wrong = await b.post('/account/trading-password', { currentPassword: 'wrong trading', newPassword: 'minakami river 9', newPasswordConfirmation: 'minakami river 9', confirmationCode: ANY_CODE });
    assert.equal(wrong.statusCode, 401);
    const confirmationCode = await h.mailedConfirmationCode(b, '/account/trading-password', '/account/trading-password/code', a.emails[0]!);
    const ok = await b.post('/account/trading-password', { currentPassword: a.tradingPassword, newPassword: 'minakami river 9', newPasswordConfirmation: 'minakami river 9', confirmationCode });
    assert.match(ok.body, /取引パスワードを変更しました/);
    await h.mail(a.emails[0]!, '取引パスワード変更のお知らせ');
    await b.get('/account/emails/1/notification');
    const old = await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: a.tradingPassword, confirmationCode: ANY_CODE });
    assert.equal(old.statusCode, 401, 'the old trading password no longer confirms changes');
  });

  it('five wrong trading passwords lock setting changes; the support desk unlocks by CLI and API, audited and mailed', async () => {
    const a = await h.createAccount();
    let b = await h.signedIn(a);
    await b.get('/account/emails/1/notification');
    for (let i = 0; i < 4; i++) assert.equal((await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: `wrong ${i}`, confirmationCode: ANY_CODE })).statusCode, 401);
    const locked = await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: 'wrong 5', confirmationCode: ANY_CODE });
    assert.equal(locked.statusCode, 423);
    assert.match(locked.body, /設定変更を停止しています/);
    assert.equal((await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: a.tradingPassword, confirmationCode: ANY_CODE })).statusCode, 423);
    await h.mail(a.emails[0]!, '取引パスワードのご利用を停止しました');

    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    const noReason = await run(process.execPath, ['bin/mamori.js', 'support', 'unlock-trading-password', a.loginId, '--operator', 'tanaka'], { env }).catch((e) => e);
    assert.equal(noReason.code, 2);
    const out = await run(process.execPath, ['bin/mamori.js', 'support', 'unlock-trading-password', a.loginId, '--operator', 'tanaka', '--reason', '本人確認済み'], { env });
    assert.match(out.stdout, /unlocked/);
    h.clock.set(new Date(Date.now() + 1000));
    const unlocked = (await h.runtime.store.audit.listForAccount((await accountOf(a)).id, 50)).find((e) => e.type === 'trading_password.unlocked')!;
    assert.equal(unlocked.operator, 'tanaka');
    assert.equal(unlocked.detail.reason, '本人確認済み');
    await h.mail(a.emails[0]!, '取引パスワードのご利用を再開しました');
    // The CLI moved the test clock to real time, past the session's timeout: sign in again.
    b = await h.signedIn(a);
    const confirmationCode = await h.mailedConfirmationCode(b, '/account/emails/1/notification', '/account/emails/1/notification/code', a.emails[0]!, { loginNotification: 'on' });
    assert.equal((await b.post('/account/emails/1/notification', { loginNotification: 'on', tradingPassword: a.tradingPassword, confirmationCode })).statusCode, 200);

    // The same through the support API.
    for (let i = 0; i < 5; i++) await b.post('/account/emails/1/notification', { loginNotification: 'off', tradingPassword: `wrong ${i}`, confirmationCode: ANY_CODE });
    const url = `/api/v1/support/accounts/${a.loginId}/trading-password/unlock`;
    assert.equal((await h.app.inject({ method: 'POST', url, payload: { reason: 'x' } })).statusCode, 403);
    const api = await h.app.inject({ method: 'POST', url, payload: { reason: '電話で本人確認' }, headers: { authorization: `Bearer ${SUPPORT_KEY}` } });
    assert.equal(api.statusCode, 200, api.body);
    assert.equal(api.json().operator, 'api:sato');
    const twice = await h.app.inject({ method: 'POST', url, payload: { reason: '電話で本人確認' }, headers: { authorization: `Bearer ${SUPPORT_KEY}` } });
    assert.equal(twice.statusCode, 409, 'not locked any more');
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/support/accounts/nobody-here/trading-password/unlock', payload: { reason: 'x' }, headers: { authorization: `Bearer ${SUPPORT_KEY}` } });
    assert.equal(unknown.statusCode, 404);
  });
});
