/**
 * Protected passkey registration and what follows it (issue 16): the notice to every verified
 * address with the passkey's name and the browser (never the raw User-Agent), the new passkey's
 * cooling-off on the list (page and API) while it logs in normally, its cancel by the customer
 * from another session and by the desk (support API and CLI), the app's passkey API with a bearer
 * token, and the app's WebAuthn origins (an https origin, an Android apk-key-hash) beside
 * PUBLIC_URL's, an origin not configured refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, PUBLIC_URL, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { supportKeyFor } from '../support/support-keys';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

const APP_ORIGIN = 'https://app.gunma-shoken.example';
const ANDROID_ORIGIN = 'android:apk-key-hash:Z3VubWEtc2hva2VuLWFwcC1zaWduaW5nLWtleQ';
let SUPPORT_KEY = '';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe(`passkey registration, cooling-off, cancel and the app's passkey API (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  before(async () => {
    h = await startHarness({
      MAMORI_SECRET_KEY: key,
      WEBAUTHN_ORIGINS: `${APP_ORIGIN},${ANDROID_ORIGIN}`,
      SUPPORT_API_PUBLIC: 'true',
    });
    SUPPORT_KEY = await supportKeyFor(h.runtime, 'kato');
  });
  after(async () => h.close());

  const web = new SoftAuthenticator(PUBLIC_URL, 'localhost');
  const accountOf = async (a: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
  const passkeysOf = async (a: AccountSeed) => h.runtime.store.passkeys.listForAccount((await accountOf(a)).id);

  /** Registration on the page, in a signed-in browser: mailed code, trading password, ceremony. */
  async function registerOnPage(b: TestBrowser, a: AccountSeed, name = 'iPhone', auth = web): Promise<SoftCredential> {
    const code = await h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    const start = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(start.statusCode, 200, start.body);
    const { credential, response } = auth.create(start.json().options);
    const done = await b.json('/account/passkeys/register/verify', { challengeId: start.json().challengeId, credential: response, name });
    assert.equal(done.statusCode, 200, done.body);
    return credential;
  }

  /** The app's login through the JSON API: its bearer token. */
  async function appSession(a: AccountSeed): Promise<string> {
    const start = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword } });
    const done = await h.app.inject({ method: 'POST', url: '/api/v1/login/code', payload: { flowId: start.json().flowId, code: await h.codeFor(a.emails[0]!) } });
    assert.equal(done.json().state, 'done', done.body);
    return done.json().sessionToken;
  }

  const api = (token: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'user-agent': 'GunmaShokenApp/3.2 (Android 14)', ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function registerByApp(token: string, a: AccountSeed, auth: SoftAuthenticator, name = 'Pixel') {
    const sent = await api(token, 'POST', '/api/v1/passkeys/registration/code', {});
    assert.equal(sent.statusCode, 200, sent.body);
    assert.match(sent.json().sentTo, /\*/, 'the address is masked');
    const code = await h.confirmationCodeFor(a.emails[0]!, 'パスキーの登録');
    const start = await api(token, 'POST', '/api/v1/passkeys/registration/options', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(start.statusCode, 200, start.body);
    const { credential, response } = auth.create(start.json().options);
    return { credential, res: await api(token, 'POST', '/api/v1/passkeys/registration/verify', { challengeId: start.json().challengeId, credential: response, name }) };
  }

  async function passwordless(credential: SoftCredential, auth = web) {
    const { challengeId, options } = (await h.app.inject({ method: 'POST', url: '/api/v1/login/passwordless/options', payload: {} })).json();
    return h.app.inject({ method: 'POST', url: '/api/v1/login/passwordless', payload: { challengeId, credential: auth.get(credential, options) } });
  }

  it('the registration notice goes to every verified address with the passkey\'s name and a readable browser, never the raw header', async () => {
    const a = await h.createAccount({ emails: [`one.${randomBytes(3).toString('hex')}@example.com`, `two.${randomBytes(3).toString('hex')}@example.com`] });
    await registerOnPage(await h.signedIn(a, IPHONE_SAFARI), a, '私のiPhone');
    for (const to of a.emails) {
      const notice = await h.mail(to, 'パスキーを登録しました');
      assert.match(notice.text, /パスキーの名前: 私のiPhone/);
      assert.match(notice.text, /登録したブラウザ: Mobile Safari 17（iOS 17\.5）/);
      assert.doesNotMatch(notice.text, /Mozilla|AppleWebKit|KHTML/, 'not the User-Agent header itself');
      assert.match(notice.text, /新しいパスキー/);
      assert.match(notice.text, /取消/);
    }

    // A User-Agent written to look like a link reaches no mail.
    const c = await h.createAccount();
    await registerOnPage(await h.signedIn(c, 'Mozilla/5.0 (compatible; evil.example/login; +https://evil.example)'), c);
    const notice = await h.mail(c.emails[0]!, 'パスキーを登録しました');
    assert.doesNotMatch(notice.text, /evil|https?:/);
  });

  it('a new passkey is shown as new until when, on the page and in the API, logs in normally, and is new no more after the cooling-off', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const token = await appSession(a);
    const credential = await registerOnPage(b, a);
    const page = await b.get('/account/passkeys');
    assert.match(page.body, /新しいパスキー/);
    assert.match(page.body, /2026\/06\/02 09:00:00 \(日本時間\)まで/, 'until 24 hours after registration, in Japan time');
    assert.match(page.body, /action="\/account\/passkeys\/\d+\/cancel"/);

    const listed = await api(token, 'GET', '/api/v1/passkeys');
    assert.equal(listed.statusCode, 200, listed.body);
    const [p] = listed.json().passkeys;
    assert.equal(p.name, 'iPhone');
    assert.equal(p.new, true);
    assert.equal(p.newUntil, '2026-06-02T00:00:00.000Z');

    const login = await passwordless(credential);
    assert.equal(login.statusCode, 200, 'a new passkey logs in: ' + login.body);

    h.clock.advance(24 * 3_600_000 + 1000);
    // Both sessions have timed out meanwhile: in again, with the passkey.
    const fresh = (await passwordless(credential)).json().sessionToken;
    b.jar.cookies.set('__Host-mamori_session', fresh);
    const later = (await api(fresh, 'GET', '/api/v1/passkeys')).json().passkeys[0];
    assert.equal(later.new, false);
    assert.equal(later.newUntil, null);
    const oldPage = await b.get('/account/passkeys');
    assert.doesNotMatch(oldPage.body, /新しいパスキー|\/cancel"/);
    // Too old to cancel: 「削除」 with its confirmation is the way.
    const cancel = await b.post(`/account/passkeys/${p.id}/cancel`, {});
    assert.equal(cancel.statusCode, 409);
    assert.match(cancel.body, /取り消せません/);
    assert.equal((await api(fresh, 'POST', `/api/v1/passkeys/${p.id}/cancel`, {})).json().error.code, 'passkey_not_new');
    assert.equal((await passkeysOf(a)).length, 1);
  });

  it('the customer cancels a new passkey from another session, without the trading password; it logs in no more; every address is told', async () => {
    const a = await h.createAccount();
    // The customer's own session, from before the intruder's registration (or a login by the fallback since).
    const customer = await h.signedIn(a);
    const intruder = await h.signedIn(a);
    const credential = await registerOnPage(intruder, a, 'intruder key');
    const [p] = await passkeysOf(a);
    const page = await customer.get('/account/passkeys');
    assert.match(page.body, /intruder key/);
    const done = await customer.post(`/account/passkeys/${p!.id}/cancel`, {});
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /パスキーの登録を取り消しました/);
    assert.equal((await passkeysOf(a)).length, 0);
    assert.equal((await passwordless(credential)).statusCode, 401);
    const mail = await h.mail(a.emails[0]!, 'パスキーの登録を取り消しました');
    assert.match(mail.text, /intruder key/);
    const audit = (await h.runtime.store.audit.listForAccount((await accountOf(a)).id, 50, ['passkey.cancelled']))[0]!;
    assert.equal(audit.detail.passkeyIds, String(p!.id));

    // The form's CSRF field is required, as on every page; an unknown id is a clear 404.
    assert.equal((await customer.post(`/account/passkeys/${p!.id}/cancel`, {}, { csrf: false })).statusCode, 403);
    assert.equal((await customer.post('/account/passkeys/999999/cancel', {})).statusCode, 404);
  });

  it('the desk cancels new passkeys through the support API, audited with operator and reason, mailed', async () => {
    const a = await h.createAccount();
    await registerOnPage(await h.signedIn(a), a, 'unknown phone');
    const url = `/api/v1/support/accounts/${a.loginId}/passkeys/cancel-new`;
    const auth = { authorization: `Bearer ${SUPPORT_KEY}` };
    const noReason = await h.app.inject({ method: 'POST', url, payload: {}, headers: auth });
    assert.equal(noReason.statusCode, 400);
    const res = await h.app.inject({ method: 'POST', url, payload: { reason: '身に覚えのない登録 本人確認済み' }, headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().passkeysCancelled, 1);
    assert.equal((await passkeysOf(a)).length, 0);
    const mail = await h.mail(a.emails[0]!, 'パスキーの登録を取り消しました');
    assert.match(mail.text, /サポートデスク/);
    const audit = (await h.runtime.store.audit.listForAccount((await accountOf(a)).id, 50, ['passkey.cancelled']))[0]!;
    assert.equal(audit.operator, 'api:kato');
    assert.equal(audit.detail.reason, '身に覚えのない登録 本人確認済み');
    const again = await h.app.inject({ method: 'POST', url, payload: { reason: 'x' }, headers: auth });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'passkey_not_new');
    const badId = await h.app.inject({ method: 'POST', url, payload: { reason: 'x', passkeyId: 'abc' }, headers: auth });
    assert.equal(badId.statusCode, 400);
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/support/accounts/nobody-here/passkeys/cancel-new', payload: { reason: 'x' }, headers: auth });
    assert.equal(unknown.statusCode, 404);
  });

  it('the desk cancels new passkeys with `mamori support cancel-new-passkeys`', async () => {
    const a = await h.createAccount();
    // The command runs on the real clock, so the passkey is new by the real clock.
    const account = await accountOf(a);
    const { credential, response } = web.create({ challenge: 'AAAA' });
    await h.runtime.store.passkeys.insert({ accountId: account.id, credentialId: response.id as string, publicKey: credential.publicCose.toString('base64url'), counter: 0, transports: [], name: 'cli key', backedUp: false, createdAt: new Date(), lastUsedAt: null });
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1' };
    const run = () => spawnSync(process.execPath, [resolve('bin/mamori.js'), 'support', 'cancel-new-passkeys', a.loginId, '--operator', 'tanaka', '--reason', '電話で本人確認済み'], { env, encoding: 'utf8' });
    const r = run();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`cancelled 1 new passkey\\(s\\) of ${a.loginId}`));
    assert.equal((await passkeysOf(a)).length, 0);
    const audit = (await h.runtime.store.audit.listForAccount(account.id, 50, ['passkey.cancelled']))[0]!;
    assert.equal(audit.operator, 'tanaka');
    assert.notEqual(run().status, 0, 'nothing left to cancel');
  });

  it("the app registers, lists, renames, cancels and deletes passkeys with its bearer token; never with the cookie alone", async () => {
    const a = await h.createAccount();
    const token = await appSession(a);
    assert.equal((await api(null, 'GET', '/api/v1/passkeys')).statusCode, 401);
    const cookieOnly = await api(null, 'GET', '/api/v1/passkeys', undefined, { cookie: `__Host-mamori_session=${token}` });
    assert.equal(cookieOnly.statusCode, 401, 'the session cookie alone is not enough for the app API');
    assert.equal(cookieOnly.json().error.code, 'session_invalid');

    // Registration needs the mailed code here too.
    const noCode = await api(token, 'POST', '/api/v1/passkeys/registration/options', { tradingPassword: a.tradingPassword, confirmationCode: '' });
    assert.equal(noCode.statusCode, 400);
    assert.equal(noCode.json().error.field, 'confirmationCode');
    const { res } = await registerByApp(token, a, new SoftAuthenticator(ANDROID_ORIGIN, 'localhost'));
    assert.equal(res.statusCode, 201, res.body);
    const added = res.json().passkey;
    assert.equal(added.name, 'Pixel');
    assert.equal(added.new, true);
    const notice = await h.mail(a.emails[0]!, 'パスキーを登録しました');
    assert.match(notice.text, /登録したブラウザ: 不明（Android 14）/);

    const renamed = await api(token, 'POST', `/api/v1/passkeys/${added.id}/rename`, { name: '仕事用 Pixel' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().passkey.name, '仕事用 Pixel');
    assert.equal((await api(token, 'POST', `/api/v1/passkeys/${added.id}/rename`, { name: 'x'.repeat(200) })).statusCode, 400);
    assert.equal((await api(token, 'POST', '/api/v1/passkeys/abc/rename', { name: 'y' })).statusCode, 400);

    const cancelled = await api(token, 'POST', `/api/v1/passkeys/${added.id}/cancel`, {});
    assert.equal(cancelled.statusCode, 204, cancelled.body);
    assert.deepEqual((await api(token, 'GET', '/api/v1/passkeys')).json().passkeys, []);

    // Deleting needs its own code (for 「パスキーの削除」), in this session.
    const second = await registerByApp(token, a, new SoftAuthenticator(ANDROID_ORIGIN, 'localhost'), 'second');
    const id = second.res.json().passkey.id;
    assert.equal((await api(token, 'POST', '/api/v1/passkeys/999999/delete/code', {})).statusCode, 404);
    assert.equal((await api(token, 'POST', `/api/v1/passkeys/${id}/delete/code`, {})).statusCode, 200);
    const deleteCode = await h.confirmationCodeFor(a.emails[0]!, 'パスキーの削除');
    const wrongPurpose = await api(token, 'POST', `/api/v1/passkeys/${id}/delete`, { tradingPassword: a.tradingPassword, confirmationCode: '000000' });
    assert.equal(wrongPurpose.statusCode, 401);
    const deleted = await api(token, 'POST', `/api/v1/passkeys/${id}/delete`, { tradingPassword: a.tradingPassword, confirmationCode: deleteCode });
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal((await passkeysOf(a)).length, 0);
    assert.equal((await api(token, 'POST', '/api/v1/passkeys/registration/verify', 'not json', { 'content-type': 'application/json' })).statusCode, 400);
  });

  it('WebAuthn accepts the configured app origins (https and Android) for registration, login and step-up, and refuses any other', async () => {
    const a = await h.createAccount();
    const token = await appSession(a);
    const android = new SoftAuthenticator(ANDROID_ORIGIN, 'localhost');
    const { credential, res } = await registerByApp(token, a, android);
    assert.equal(res.statusCode, 201, res.body);

    // Login from the https app origin, and from the Android app, with the same passkey.
    assert.equal((await passwordless(credential, new SoftAuthenticator(APP_ORIGIN, 'localhost'))).statusCode, 200);
    assert.equal((await passwordless(credential, android)).statusCode, 200);
    assert.equal((await passwordless(credential, web)).statusCode, 200, 'PUBLIC_URL stays accepted');
    const stranger = await passwordless(credential, new SoftAuthenticator('https://app.gunma-shoken.example.net', 'localhost'));
    assert.equal(stranger.statusCode, 401, 'an origin not configured is refused');
    assert.equal((await passwordless(credential, new SoftAuthenticator(APP_ORIGIN, 'gunma-shoken.example'))).statusCode, 401, 'another RP ID is refused');

    // Step-up from the app with its bearer token.
    const up = await api(token, 'POST', '/api/v1/step-up/options', {});
    assert.equal(up.statusCode, 200, up.body);
    const stepped = await api(token, 'POST', '/api/v1/step-up/verify', { challengeId: up.json().challengeId, credential: android.get(credential, up.json().options) });
    assert.equal(stepped.statusCode, 200, stepped.body);
    // A step-up renews the session token (docs/api.md): the app goes on with the new one, the old one is dead.
    const renewed = stepped.json().sessionToken as string;
    assert.ok(renewed && renewed !== token, stepped.body);
    assert.equal((await api(token, 'GET', '/api/v1/passkeys')).statusCode, 401);

    // Registration from an origin not configured is refused too.
    const refused = await registerByApp(renewed, a, new SoftAuthenticator('android:apk-key-hash:c29tZW9uZS1lbHNlcy1rZXktaGFzaA', 'localhost'), 'other');
    assert.equal(refused.res.statusCode, 401, refused.res.body);
    assert.equal((await passkeysOf(a)).length, 1);
    const reasons = (await h.runtime.store.audit.listForAccount((await accountOf(a)).id, 100, ['passkey.failed'])).map((e) => String(e.detail.reason));
    assert.ok(reasons.some((r) => /origin/i.test(r)), reasons.join());
  });
});
