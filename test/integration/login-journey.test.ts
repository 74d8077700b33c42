import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`login journey over HTTP (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  it('shows the login page with the notice labels linked to their inputs', async () => {
    const res = await h.browser().get('/login');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<label for="loginId">ログインID<\/label>/);
    assert.match(res.body, /<label for="password">ログインパスワード<\/label>/);
    assert.match(res.body, /<button type="submit" class="primary">ログイン<\/button>/);
  });

  it('an unrecognised browser is asked for the e-mailed code, sent to the masked address', async () => {
    const a = await h.createAccount({ emails: ['jimusho.gunma@example.com'] });
    const b = h.browser();
    const page = await b.login(a.loginId, a.loginPassword);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /追加認証/);
    assert.match(page.body, /jimu\*\*\*\*\* 宛に6桁の認証コードを送信しました/);
    assert.doesNotMatch(page.body, /jimusho\.gunma@example\.com/);
    assert.match(page.body, /<label for="code">認証コード<\/label>/);
    assert.match(page.body, />認証</);
    assert.match(page.body, /0120-954-171/);

    const mail = await h.mail('jimusho.gunma@example.com', '認証コード');
    assert.match(mail.text, /認証コード: \d{6}/);
    assert.doesNotMatch(mail.text, /https?:\/\//, 'no link in the code mail (FSA 2025)');
  });

  it('a full-width code typed with an IME logs the customer in, and the browser is recognised next time', async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    const code = await h.codeFor(a.emails[0]!);
    const fullWidth = code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const res = await b.post('/login/code', { code: fullWidth });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    const home = await b.follow(await b.follow(res));
    assert.match(home.body, /群馬 五郎 様/);
    assert.match(home.body, /2026\/06\/01/);
    assert.match(home.body, />ログアウト</);
    for (const menu of ['取引', '資産状況', '入出金', '口座情報', '登録情報照会', 'Eメールアドレス登録照会']) assert.match(home.body, new RegExp(menu));

    const check = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });
    assert.equal(check.statusCode, 200);
    assert.equal(check.json().loginId, a.loginId);
    assert.equal(check.json().method, 'email_code');

    // Log out, log in again from the same browser: straight in after the password.
    await b.post('/logout', {});
    const again = await b.login(a.loginId, a.loginPassword);
    assert.equal(b.jar.get('__Host-mamori_session') !== undefined, true);
    const info = await b.follow(again);
    assert.match(info.body, /群馬 五郎 様/);
    const check2 = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });
    assert.equal(check2.json().method, 'recognized_device');

    // Another browser needs a code.
    const other = await h.browser().login(a.loginId, a.loginPassword);
    assert.match(other.body, /追加認証/);
  });

  it('logout ends the session on the server, not only in the browser', async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    const stolenCookie = b.jar.header();
    await b.get('/account');
    const out = await b.post('/logout', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/login?loggedOut=1');
    const replay = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: stolenCookie } });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.code, 'session_invalid');
    const page = await h.app.inject({ method: 'GET', url: '/account', headers: { cookie: stolenCookie } });
    assert.equal(page.statusCode, 303);
  });

  it('a wrong password and an unknown login ID get the same answer', async () => {
    const a = await h.createAccount();
    const wrong = await h.browser().login(a.loginId, 'not the password');
    const unknown = await h.browser().login('nosuchuser', 'not the password');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const message = (body: string) => /<p class="alert error" role="alert">([^<]+)<\/p>/.exec(body)?.[1];
    assert.ok(message(wrong.body));
    assert.equal(message(wrong.body), message(unknown.body));
    // The typed login ID is kept in the field, the password is not.
    assert.match(wrong.body, new RegExp(`value="${a.loginId}"`));
  });

  it('an old code is refused after a resend, and the resend waits out its cooldown', async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    const first = await h.codeFor(a.emails[0]!);
    const tooSoon = await b.post('/login/code/resend', {});
    assert.equal(tooSoon.statusCode, 429);
    assert.match(tooSoon.body, /秒後から可能です/);
    h.clock.advance(61_000);
    const resent = await b.post('/login/code/resend', {});
    assert.equal(resent.statusCode, 200);
    assert.match(resent.body, /新しい認証コードを送信しました/);
    const second = await h.codeFor(a.emails[0]!);
    if (first !== second) {
      const old = await b.post('/login/code', { code: first });
      assert.equal(old.statusCode, 401);
      assert.match(old.body, /認証コードが正しくありません/);
    }
    const ok = await b.post('/login/code', { code: second });
    assert.equal(ok.statusCode, 303);
  });

  it('a name containing <script> is shown escaped', async () => {
    const a = await h.createAccount({ name: '<script>alert(1)</script>' });
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    const page = await b.get('/account');
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; 様/);
  });
});
