import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, PUBLIC_URL, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { approvedByInject, supportKeyFor } from '../support/support-keys';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { recentAuditEvents, storeKind } from '../support/test-store';

describe(`passkeys (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  async function signedIn(a: AccountSeed): Promise<TestBrowser> {
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    await b.get('/account/passkeys');
    return b;
  }

  /** 「確認コードをメールで送信」 on the passkey screen, and the code from the mail. */
  const registrationCode = (b: TestBrowser, a: AccountSeed) => h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);

  async function register(b: TestBrowser, a: AccountSeed, o: { auth?: SoftAuthenticator; code?: string; name?: string } = {}): Promise<SoftCredential> {
    const auth = o.auth ?? new SoftAuthenticator(PUBLIC_URL, 'localhost');
    const confirmationCode = o.code ?? (await registrationCode(b, a));
    const start = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode });
    assert.equal(start.statusCode, 200, start.body);
    const { challengeId, options } = start.json();
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    assert.equal(options.authenticatorSelection.residentKey, 'required');
    const { credential, response } = auth.create(options);
    const done = await b.json('/account/passkeys/register/verify', { challengeId, credential: response, name: o.name ?? 'iPhone' });
    assert.equal(done.statusCode, 200, done.body);
    return credential;
  }

  async function passwordless(credential: SoftCredential, auth = new SoftAuthenticator(PUBLIC_URL, 'localhost'), b = h.browser(), counter?: number) {
    await b.get('/login');
    const { challengeId, options } = (await b.json('/login/passkey/options', {})).json();
    return { b, res: await b.json('/login/passkey/verify', { challengeId, credential: auth.get(credential, options, { counter }) }), challengeId, options };
  }

  const events = async (a: AccountSeed) => {
    const acc = await h.runtime.store.accounts.findByLoginId(a.loginId);
    return h.runtime.store.audit.listForAccount(acc!.id, 50);
  };

  it('registers with the trading password and a mailed confirmation code, mails the notice, and logs in without a password', async () => {
    const a = await h.createAccount();
    const b = await signedIn(a);
    const code = await registrationCode(b, a);
    const wrong = await b.json('/account/passkeys/register/options', { tradingPassword: 'not the trading password', confirmationCode: code });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'trading_password_invalid');
    const credential = await register(b, a, { code });
    assert.match((await b.get('/account/passkeys')).body, /iPhone/);
    await h.mail(a.emails[0]!, 'パスキーを登録しました');

    const { b: other, res } = await passwordless(credential);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().redirect, '/');
    const session = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: other.jar.header() } });
    assert.equal(session.json().method, 'passkey');
    assert.equal(session.json().loginId, a.loginId);
    assert.ok(other.jar.get('__Host-mamori_device'), 'a passkey login recognises the browser');
    assert.ok((await events(a)).some((e) => e.type === 'login.succeeded' && e.detail.method === 'passkey'));
  });

  it('a passkey login is told in the login notification mail and shown in ログイン履歴', async () => {
    const a = await h.createAccount();
    const credential = await register(await signedIn(a), a);
    const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    await h.runtime.store.emails.setLoginNotification(acc.id, 1, true);
    const { b, res } = await passwordless(credential);
    assert.equal(res.statusCode, 200, res.body);
    const notice = await h.mail(a.emails[0]!, 'ログインのお知らせ');
    assert.match(notice.text, /認証方法: パスキー/);
    const history = await b.get('/account/security');
    assert.match(history.body.split('<tr class=')[1]!, /"ok".*パスキー.*成功/s);
  });

  it('after the password, a customer with a passkey is offered it instead of the e-mailed code, with a fallback', async () => {
    const a = await h.createAccount();
    const credential = await register(await signedIn(a), a);
    const b = h.browser();
    const page = await b.login(a.loginId, a.loginPassword);
    assert.match(page.body, /パスキーで認証/);
    assert.match(page.body, /メールで認証コードを受け取る/);
    const { challengeId, options } = (await b.json('/login/passkey/second-factor/options', {})).json();
    assert.equal(options.allowCredentials.length, 1);
    const res = await b.json('/login/passkey/verify', { challengeId, credential: new SoftAuthenticator(PUBLIC_URL, 'localhost').get(credential, options) });
    assert.equal(res.statusCode, 200, res.body);

    // The fallback mails a code instead.
    const c = h.browser();
    await c.login(a.loginId, a.loginPassword);
    const fallback = await c.post('/login/passkey/fallback', {});
    assert.equal(fallback.headers.location, '/login/code');
    await c.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: c.jar.header() } })).json().method, 'email_code');
  });

  it('refuses a wrong origin, a wrong RP ID, a replayed or expired challenge, an unknown credential and a counter going back — and audits each', async () => {
    const a = await h.createAccount();
    const credential = await register(await signedIn(a), a);

    const phishing = await passwordless(credential, new SoftAuthenticator('https://gunma-shoken.example.net', 'localhost'));
    assert.equal(phishing.res.statusCode, 401);
    assert.equal(phishing.res.json().error.code, 'passkey_invalid');
    const wrongRp = await passwordless(credential, new SoftAuthenticator(PUBLIC_URL, 'gunma-shoken.example.net'));
    assert.equal(wrongRp.res.statusCode, 401);

    const ok = await passwordless(credential);
    assert.equal(ok.res.statusCode, 200);
    const replay = await ok.b.json('/login/passkey/verify', { challengeId: ok.challengeId, credential: new SoftAuthenticator(PUBLIC_URL, 'localhost').get(credential, ok.options) });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().error.code, 'passkey_invalid');

    const b = h.browser();
    await b.get('/login');
    const stale = (await b.json('/login/passkey/options', {})).json();
    h.clock.advance(6 * 60_000);
    const expired = await b.json('/login/passkey/verify', { challengeId: stale.challengeId, credential: new SoftAuthenticator(PUBLIC_URL, 'localhost').get(credential, stale.options) });
    assert.equal(expired.statusCode, 401);

    const stranger = new SoftAuthenticator(PUBLIC_URL, 'localhost').create({ challenge: 'x' }).credential;
    const unknown = await passwordless(stranger);
    assert.equal(unknown.res.statusCode, 401);

    const regression = await passwordless(credential, undefined, undefined, 1);
    assert.equal(regression.res.statusCode, 401, 'a counter lower than the last one suggests a cloned authenticator: ' + regression.res.body);

    const fresh = h.browser();
    await fresh.get('/login');
    const malformed = await fresh.json('/login/passkey/verify', { challengeId: 'x', credential: { id: 5 } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.field, 'credential');
    const noCsrf = await h.browser().json('/login/passkey/verify', { challengeId: 'x', credential: {} });
    assert.equal(noCsrf.statusCode, 403);

    const reasons = (await events(a)).filter((e) => e.type === 'passkey.failed').map((e) => String(e.detail.reason));
    assert.ok(reasons.some((r) => /origin/i.test(r)), `origin refused: ${reasons}`);
    assert.ok(reasons.some((r) => /rp ?id/i.test(r)), `RP ID refused: ${reasons}`);
    assert.ok(reasons.includes('replayed_challenge'));
    assert.ok(reasons.includes('expired_challenge'));
    assert.ok(reasons.some((r) => /counter/i.test(r)), `counter refused: ${reasons}`);
    const all = await recentAuditEvents(h.runtime.store, 200);
    assert.ok(all.some((e) => e.type === 'passkey.failed' && e.detail.reason === 'unknown_credential'));
  });

  it('refused passkeys at the second step count like wrong passwords: the login ID locks, and then even the right passkey waits', async () => {
    const a = await h.createAccount();
    const credential = await register(await signedIn(a), a);
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    // A phishing site's origin: each assertion is refused (and audited) as passkey_invalid.
    const phishing = new SoftAuthenticator('https://gunma-shoken.example.net', 'localhost');
    for (let i = 0; i < h.config.throttle.accountLockAfter; i++) {
      const { challengeId, options } = (await b.json('/login/passkey/second-factor/options', {})).json();
      const res = await b.json('/login/passkey/verify', { challengeId, credential: phishing.get(credential, options) });
      assert.equal(res.statusCode, 401, res.body);
    }
    const { challengeId, options } = (await b.json('/login/passkey/second-factor/options', {})).json();
    const right = await b.json('/login/passkey/verify', { challengeId, credential: new SoftAuthenticator(PUBLIC_URL, 'localhost').get(credential, options) });
    assert.equal(right.statusCode, 423, right.body);
    assert.equal(right.json().error.code, 'login_locked');
    assert.ok((await events(a)).some((e) => e.type === 'login.locked'));
    await h.mail(a.emails[0]!, 'ログインを一時的に制限しました');
  });

  it('deletes a passkey with the trading password and a mailed confirmation code, and mails the notice', async () => {
    const a = await h.createAccount();
    const b = await signedIn(a);
    const credential = await register(b, a);
    const [passkey] = await h.runtime.store.passkeys.listForAccount((await h.runtime.store.accounts.findByLoginId(a.loginId))!.id);
    const deletion = `/account/passkeys/${passkey!.id}/delete`;
    const code = await h.mailedConfirmationCode(b, deletion, `${deletion}/code`, a.emails[0]!);
    const wrong = await b.post(deletion, { tradingPassword: 'wrong one here', confirmationCode: code });
    assert.equal(wrong.statusCode, 401);
    const done = await b.post(deletion, { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(done.statusCode, 303);
    await h.mail(a.emails[0]!, 'パスキーを削除しました');
    assert.equal((await passwordless(credential)).res.statusCode, 401);
  });

  it('a passkey named like a link is registered, but no mail repeats the name', async () => {
    const a = await h.createAccount({ emails: [`one.${Date.now()}@example.com`, `two.${Date.now()}@example.com`] });
    const b = await signedIn(a);
    await register(b, a, { name: 'https://evil.example/login' });
    assert.match((await b.get('/account/passkeys')).body, /https:\/\/evil\.example\/login/, 'the customer still sees the name on the screen');
    const [passkey] = await h.runtime.store.passkeys.listForAccount((await h.runtime.store.accounts.findByLoginId(a.loginId))!.id);
    const deletion = `/account/passkeys/${passkey!.id}/delete`;
    const code = await h.mailedConfirmationCode(b, deletion, `${deletion}/code`, a.emails[0]!);
    assert.equal((await b.post(deletion, { tradingPassword: a.tradingPassword, confirmationCode: code })).statusCode, 303);
    for (const to of a.emails) {
      await h.mail(to, 'パスキーを登録しました');
      await h.mail(to, 'パスキーを削除しました');
    }
    const mine = h.smtp.mails.filter((m) => a.emails.some((e) => m.to.includes(e)));
    assert.ok(mine.length >= 4);
    for (const m of mine) assert.doesNotMatch(`${m.subject}\n${m.text}`, /http|evil\.example/, m.subject);
  });

  it('policy phishing-resistant: no fallback to e-mailed codes, and critical changes need a fresh passkey step-up', async () => {
    const strict = await startHarness({ PASSKEY_POLICY: 'phishing-resistant', SUPPORT_API_PUBLIC: 'true' });
    const deskKey = await supportKeyFor(strict.runtime, 'kato');
    try {
      const a = await strict.createAccount();
      const b = strict.browser();
      await b.login(a.loginId, a.loginPassword);
      await b.post('/login/code', { code: await strict.codeFor(a.emails[0]!) });
      const home = await b.get('/account');
      assert.match(home.body, /パスキーを登録してください/);
      const aCode = await strict.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
      const start = (await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: aCode })).json();
      const auth = new SoftAuthenticator(PUBLIC_URL, 'localhost');
      const { credential, response } = auth.create(start.options);
      assert.equal((await b.json('/account/passkeys/register/verify', { challengeId: start.challengeId, credential: response })).statusCode, 200);

      // Even the recognised browser now needs the passkey; no fallback is offered or accepted.
      await b.post('/logout', {});
      const page = await b.login(a.loginId, a.loginPassword);
      assert.match(page.body, /パスキーで認証/);
      assert.doesNotMatch(page.body, /メールで認証コードを受け取る/);
      const refused = await b.post('/login/passkey/fallback', {});
      assert.equal(refused.statusCode, 403);
      const api = await strict.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword } });
      assert.equal(api.json().state, 'awaiting_passkey');
      assert.equal(api.json().fallback, null);
      await b.get('/login/passkey');
      const second = (await b.json('/login/passkey/second-factor/options', {})).json();
      assert.equal((await b.json('/login/passkey/verify', { challengeId: second.challengeId, credential: auth.get(credential, second.options) })).statusCode, 200);

      // A critical change (deleting the passkey) needs a fresh step-up, then works.
      const [passkey] = await strict.runtime.store.passkeys.listForAccount((await strict.runtime.store.accounts.findByLoginId(a.loginId))!.id);
      strict.clock.advance(10 * 60_000);
      const deletion = `/account/passkeys/${passkey!.id}/delete`;
      const deleteCode = await strict.mailedConfirmationCode(b, deletion, `${deletion}/code`, a.emails[0]!);
      const needsStepUp = await b.post(deletion, { tradingPassword: a.tradingPassword, confirmationCode: deleteCode });
      assert.equal(needsStepUp.statusCode, 403);
      assert.match(needsStepUp.body, /パスキーで本人確認/);
      const up = (await b.json('/api/v1/step-up/options', {})).json();
      const stepped = await b.json('/api/v1/step-up/verify', { challengeId: up.challengeId, credential: auth.get(credential, up.options) });
      assert.equal(stepped.statusCode, 200, stepped.body);
      const session = await strict.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });
      assert.ok(session.json().stepUpAt, 'the trading service sees the step-up');
      await b.get(deletion);
      const deleted = await b.post(deletion, { tradingPassword: a.tradingPassword, confirmationCode: deleteCode });
      assert.equal(deleted.statusCode, 303);

      // Address and password changes of a customer with a passkey need the step-up too.
      const c = await strict.createAccount({ emails: ['jimu.kanra@example.com'] });
      const cb = strict.browser();
      await cb.login(c.loginId, c.loginPassword);
      await cb.post('/login/code', { code: await strict.codeFor(c.emails[0]!) });
      const cCode = await strict.mailedConfirmationCode(cb, '/account/passkeys', '/account/passkeys/register/code', c.emails[0]!);
      const cStart = (await cb.json('/account/passkeys/register/options', { tradingPassword: c.tradingPassword, confirmationCode: cCode })).json();
      const cAuth = new SoftAuthenticator(PUBLIC_URL, 'localhost');
      const cKey = cAuth.create(cStart.options);
      assert.equal((await cb.json('/account/passkeys/register/verify', { challengeId: cStart.challengeId, credential: cKey.response })).statusCode, 200);
      strict.clock.advance(10 * 60_000);
      await cb.get('/account/emails/2/change');
      const address = await cb.post('/account/emails/2/change', { address: 'second.kanra@example.com', tradingPassword: c.tradingPassword });
      assert.equal(address.statusCode, 403);
      assert.match(address.body, /パスキーで本人確認/);
      await cb.get('/account/password');
      const password = await cb.post('/account/password', { currentPassword: c.loginPassword, newPassword: 'myogi mountain 1104', newPasswordConfirmation: 'myogi mountain 1104', tradingPassword: c.tradingPassword });
      assert.equal(password.statusCode, 403);

      // Every passkey lost: the support desk removes them, and the e-mailed code works again.
      const url = `/api/v1/support/accounts/${c.loginId}/passkeys/reset`;
      const reset = await approvedByInject(strict.app, strict.runtime, await strict.app.inject({ method: 'POST', url, payload: { reason: '機種紛失 本人確認済み' }, headers: { authorization: `Bearer ${deskKey}` } }));
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(reset.json().passkeysRemoved, 1);
      await strict.mail(c.emails[0]!, 'パスキーを削除しました');
      const again = await strict.browser().login(c.loginId, c.loginPassword);
      assert.match(again.body, /認証コード/);
      const twice = await approvedByInject(strict.app, strict.runtime, await strict.app.inject({ method: 'POST', url, payload: { reason: 'x' }, headers: { authorization: `Bearer ${deskKey}` } }));
      assert.equal(twice.statusCode, 409);
    } finally {
      await strict.close();
    }
  });
});
