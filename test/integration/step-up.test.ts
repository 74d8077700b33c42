/**
 * Step-up the trading service can enforce, over real HTTP. The test plays the trading service: it
 * sends the customer to /step-up, then spends the grant with the customer's session — a browser's
 * cookie, or the app's bearer token — exactly once, within STEP_UP_MAX_AGE_SECONDS, for the purpose
 * and intent it asked for. Stale (fake clock), reused, wrong purpose, wrong intent, another session,
 * a passkey still cooling off, and customers without a passkey (TOTP, e-mailed code).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../src/crypto/totp';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { postJson } from '../support/server-process';
import { freePort } from '../support/server';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const MAX_AGE = 300;

describe(`step-up for the trading service (${storeKind})`, () => {
  let h: Harness;
  let base: string;
  let auth: SoftAuthenticator;

  before(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    h = await startHarness({ PUBLIC_URL: base, STEP_UP_MAX_AGE_SECONDS: String(MAX_AGE), PASSKEY_COOLING_OFF_HOURS: '24' });
    await h.app.listen({ port, host: '127.0.0.1' });
    auth = new SoftAuthenticator(base, 'localhost');
  });
  after(async () => h?.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const cookie = (token: string) => ({ cookie: `__Host-mamori_session=${token}` });

  /** The trading service, server to server: no Origin, the customer's credentials forwarded. */
  const consume = (creds: Record<string, string>, purpose: string, intent?: string) => postJson(`${base}/api/v1/step-up/consume`, { purpose, ...(intent === undefined ? {} : { intent }) }, creds);
  const session = async (creds: Record<string, string>) => {
    const res = await fetch(`${base}/api/v1/session`, { headers: creds });
    return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
  };

  /** A passkey on the account, registered `ageHours` ago (its registration is tested in passkeys.test.ts). */
  async function withPasskey(a: AccountSeed, ageHours: number, name = 'iPhone'): Promise<SoftCredential> {
    const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const { credential } = auth.create({ challenge: 'x' });
    await h.runtime.store.passkeys.insert({
      accountId: acc.id,
      credentialId: credential.id.toString('base64url'),
      publicKey: credential.publicCose.toString('base64url'),
      counter: 0,
      transports: ['internal'],
      name,
      backedUp: false,
      createdAt: new Date(h.clock.now().getTime() - ageHours * 3_600_000),
      lastUsedAt: null,
    });
    return credential;
  }

  /** The app's login: ID, password, then the passkey (or the e-mailed code / TOTP); the session token. */
  async function appLogin(a: AccountSeed, credential?: SoftCredential): Promise<string> {
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(start.status, 200, JSON.stringify(start.json));
    const flowId = start.json.flowId;
    let done;
    if (start.json.state === 'awaiting_passkey') {
      const o = await postJson(`${base}/api/v1/login/passkey/options`, { flowId });
      done = await postJson(`${base}/api/v1/login/passkey`, { flowId, challengeId: o.json.challengeId, credential: auth.get(credential!, o.json.options) });
    } else if (start.json.state === 'awaiting_totp') {
      done = await postJson(`${base}/api/v1/login/totp`, { flowId, code: totpCode(SECRET, h.clock.now()) });
    } else {
      done = await postJson(`${base}/api/v1/login/code`, { flowId, code: await h.codeFor(a.emails[0]!) });
    }
    assert.equal(done.status, 200, JSON.stringify(done.json));
    return done.json.sessionToken;
  }

  /** A browser holding that session as its cookie, on the /step-up page the trading service sent it to. */
  async function browserOn(token: string, query: string): Promise<HttpBrowser> {
    const b = new HttpBrowser();
    b.useSession(token);
    const page = await b.get(`${base}/step-up?${query}`);
    assert.equal(page.status, 200, page.body);
    return b;
  }

  /** What /static/passkeys.js does on /step-up: options, the assertion, verify. */
  async function passkeyStepUp(send: (path: string, body: unknown) => Promise<{ status: number; json: Record<string, any> }>, credential: SoftCredential, purpose: string, intent?: string) {
    const o = await send('/api/v1/step-up/options', { purpose, intent });
    assert.equal(o.status, 200, JSON.stringify(o.json));
    assert.equal(o.json.method, 'passkey');
    assert.equal(o.json.options.userVerification, 'required');
    return send('/api/v1/step-up/verify', { challengeId: o.json.challengeId, credential: auth.get(credential, o.json.options), purpose, intent });
  }
  const viaBrowser = (b: HttpBrowser) => async (path: string, body: unknown) => {
    const r = await b.json(`${base}${path}`, body);
    return { status: r.status, json: JSON.parse(r.body) as Record<string, any> };
  };
  const viaApp = (token: string) => (path: string, body: unknown) => postJson(`${base}${path}`, body, bearer(token));
  const sessionCookie = (b: HttpBrowser) => b.jar.cookies.get('__Host-mamori_session')!;

  it('cookie session: a fresh passkey step-up renews the session and is spent exactly once; reused, it is refused', async () => {
    const a = await h.createAccount();
    const credential = await withPasskey(a, 48);
    const old = await appLogin(a, credential);
    const b = await browserOn(old, 'purpose=withdrawal&intent=amt-120000.to-8821&return_to=/trade/withdraw%3Fid%3D7');
    assert.match(b.lastPage, /出金の本人確認/);
    assert.match(b.lastPage, /data-return-to="\/trade\/withdraw\?id=7"/);

    const done = await passkeyStepUp(viaBrowser(b), credential, 'withdrawal', 'amt-120000.to-8821');
    assert.equal(done.status, 200, JSON.stringify(done.json));
    assert.equal(done.json.method, 'passkey');
    assert.equal(done.json.sessionToken, undefined, 'a browser gets its new token as a cookie only');
    const renewed = sessionCookie(b);
    assert.notEqual(renewed, old, 'the session token is renewed');
    assert.equal((await session(cookie(old))).status, 401, 'the old token stops working');
    const s = await session(cookie(renewed));
    assert.equal(s.json.phishingResistant, true);
    assert.deepEqual(s.json.authMethods, ['password', 'passkey']);

    const first = await consume(cookie(renewed), 'withdrawal', 'amt-120000.to-8821');
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.json.method, 'passkey');
    const again = await consume(cookie(renewed), 'withdrawal', 'amt-120000.to-8821');
    assert.equal(again.status, 403);
    assert.equal(again.json.error.code, 'step_up_required');
  });

  it('bearer session (the app): step-up through the JSON API, the new token in the answer, consumed once', async () => {
    const a = await h.createAccount();
    const credential = await withPasskey(a, 48);
    const token = await appLogin(a, credential);
    const done = await passkeyStepUp(viaApp(token), credential, 'withdrawal_account_change', 'acct-0012345');
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const renewed = done.json.sessionToken;
    assert.ok(renewed && renewed !== token);
    assert.equal((await session(bearer(token))).status, 401);
    assert.equal((await consume(bearer(token), 'withdrawal_account_change', 'acct-0012345')).status, 401, 'the old token is no session at all');
    assert.equal((await consume(bearer(renewed), 'withdrawal_account_change', 'acct-0012345')).status, 200);
    assert.equal((await consume(bearer(renewed), 'withdrawal_account_change', 'acct-0012345')).status, 403);
  });

  it('refuses a stale step-up, a wrong purpose, a wrong intent and another session of the same customer', async () => {
    const a = await h.createAccount();
    const credential = await withPasskey(a, 48);
    const other = await appLogin(a, credential);
    let token = await appLogin(a, credential);
    const up = async (intent: string) => {
      const r = await passkeyStepUp(viaApp(token), credential, 'withdrawal', intent);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      token = r.json.sessionToken;
    };

    await up('i-1');
    h.clock.advance((MAX_AGE + 1) * 1000);
    const stale = await consume(bearer(token), 'withdrawal', 'i-1');
    assert.equal(stale.status, 403);
    assert.equal(stale.json.error.code, 'step_up_required');

    await up('i-2');
    assert.equal((await consume(bearer(token), 'withdrawal_account_change', 'i-2')).status, 403, 'wrong purpose');
    assert.equal((await consume(bearer(token), 'withdrawal', 'i-3')).status, 403, 'wrong intent');
    assert.equal((await consume(bearer(token), 'withdrawal')).status, 403, 'no intent where one was given');
    assert.equal((await consume(bearer(other), 'withdrawal', 'i-2')).status, 403, 'another session of the same customer');
    h.clock.advance((MAX_AGE - 1) * 1000);
    assert.equal((await consume(bearer(token), 'withdrawal', 'i-2')).status, 200, 'the right one, just within the lifetime');

    // Without an intent, the consume must give none.
    await up('');
    assert.equal((await consume(bearer(token), 'withdrawal', 'x')).status, 403);
    assert.equal((await consume(bearer(token), 'withdrawal')).status, 200);
  });

  it('a passkey still cooling off cannot satisfy a withdrawal step-up, and the customer is told which and until when', async () => {
    const a = await h.createAccount();
    const settled = await withPasskey(a, 48, 'Old phone');
    const token = await appLogin(a, settled);
    const fresh = await withPasskey(a, 2, 'New laptop');
    // The new passkey is not offered, and presented anyway it is refused.
    const o = await postJson(`${base}/api/v1/step-up/options`, { purpose: 'withdrawal' }, bearer(token));
    assert.equal(o.json.options.allowCredentials.length, 1);
    const refused = await postJson(`${base}/api/v1/step-up/verify`, { challengeId: o.json.challengeId, credential: auth.get(fresh, o.json.options), purpose: 'withdrawal' }, bearer(token));
    assert.equal(refused.status, 403, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'passkey_cooling_off');
    assert.match(refused.json.error.message, /New laptop/);
    assert.match(refused.json.error.message, /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    assert.equal((await consume(bearer(token), 'withdrawal')).status, 403);

    // A customer whose only passkey is new: the page says so and offers nothing.
    const c = await h.createAccount();
    const only = await withPasskey(c, 48, 'Phone');
    const cToken = await appLogin(c, only);
    const cAcc = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    await h.runtime.store.passkeys.delete(cAcc.id, (await h.runtime.store.passkeys.listForAccount(cAcc.id))[0]!.id);
    await withPasskey(c, 1, 'Tablet');
    const b = new HttpBrowser();
    b.useSession(cToken);
    const page = await b.get(`${base}/step-up?purpose=withdrawal&return_to=/trade/withdraw`);
    assert.equal(page.status, 403);
    assert.match(page.body, /パスキー「Tablet」は登録から24時間/);
    assert.doesNotMatch(page.body, /data-passkey="step-up-grant"/);
    const api = await postJson(`${base}/api/v1/step-up/options`, { purpose: 'withdrawal' }, bearer(cToken));
    assert.equal(api.status, 403);
    assert.equal(api.json.error.code, 'passkey_cooling_off');
  });

  it('a customer without a passkey steps up with TOTP (the app) and the consume says so', async () => {
    const a = await h.createAccount({ totpSecret: SECRET });
    const token = await appLogin(a);
    const s = await session(bearer(token));
    assert.deepEqual(s.json.authMethods, ['password', 'totp']);
    assert.equal(s.json.phishingResistant, false);
    const o = await postJson(`${base}/api/v1/step-up/options`, { purpose: 'withdrawal', intent: 'w-9' }, bearer(token));
    assert.deepEqual(o.json, { method: 'totp' });
    // The code used at login is not accepted again; the next one is.
    const replayed = await postJson(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', intent: 'w-9', code: totpCode(SECRET, h.clock.now()) }, bearer(token));
    assert.equal(replayed.status, 401, JSON.stringify(replayed.json));
    h.clock.advance(30_000);
    const done = await postJson(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', intent: 'w-9', code: totpCode(SECRET, h.clock.now()) }, bearer(token));
    assert.equal(done.status, 200, JSON.stringify(done.json));
    assert.equal(done.json.method, 'totp');
    const spent = await consume(bearer(done.json.sessionToken), 'withdrawal', 'w-9');
    assert.equal(spent.status, 200);
    assert.equal(spent.json.method, 'totp');
    assert.equal((await session(bearer(done.json.sessionToken))).json.phishingResistant, false, 'a TOTP step-up is not phishing-resistant');
  });

  it('a customer without a passkey or TOTP steps up on the page with a mailed code, returns to the trading page, consumed once', async () => {
    const a = await h.createAccount();
    const token = await appLogin(a);
    const s = await session(cookie(token));
    assert.deepEqual(s.json.authMethods, ['password', 'email_code']);
    assert.equal(s.headers.get('x-mamori-auth-methods'), 'password,email_code');
    assert.equal(s.headers.get('x-mamori-phishing-resistant'), 'false');
    const b = await browserOn(token, 'purpose=withdrawal&intent=abc&return_to=/trade/withdraw');
    assert.match(b.lastPage, /確認コードをメールで送信/);
    const wrongWay = await b.json(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', intent: 'abc', challengeId: 'x', credential: {} });
    assert.equal(wrongWay.status, 400);
    const sent = await b.post(`${base}/step-up/code`, { purpose: 'withdrawal', intent: 'abc', return_to: '/trade/withdraw' });
    assert.equal(sent.status, 200, sent.body);
    const mail = await h.mail(a.emails[0]!, '確認コードのお知らせ（出金）');
    const code = /確認コード: (\d{6})/.exec(mail.text)![1]!;
    const wrong = await b.post(`${base}/step-up`, { purpose: 'withdrawal', intent: 'abc', return_to: '/trade/withdraw', code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    const done = await b.post(`${base}/step-up`, { purpose: 'withdrawal', intent: 'abc', return_to: '/trade/withdraw', code });
    assert.equal(done.status, 303, done.body);
    assert.equal(done.location, '/trade/withdraw');
    const renewed = sessionCookie(b);
    assert.notEqual(renewed, token);
    assert.equal((await consume(cookie(token), 'withdrawal', 'abc')).status, 401);
    const spent = await consume(cookie(renewed), 'withdrawal', 'abc');
    assert.equal(spent.status, 200);
    assert.equal(spent.json.method, 'email_code');
    assert.equal((await consume(cookie(renewed), 'withdrawal', 'abc')).status, 403);
  });

  it('a bad request to /step-up gets a plain Japanese page, never a redirect', async () => {
    const a = await h.createAccount();
    const token = await appLogin(a);
    const b = new HttpBrowser();
    b.useSession(token);
    for (const q of [
      'purpose=steal&return_to=/trade',
      'return_to=/trade',
      'purpose=withdrawal',
      'purpose=withdrawal&return_to=//evil.example/x',
      'purpose=withdrawal&return_to=https://evil.example/',
      'purpose=withdrawal&return_to=/%5Cevil.example',
      'purpose=withdrawal&return_to=/trade&intent=has%20space',
      'purpose=withdrawal&purpose=withdrawal_account_change&return_to=/trade',
      `purpose=withdrawal&return_to=/trade&intent=${'x'.repeat(300)}`,
    ]) {
      const res = await b.get(`${base}/step-up?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.location, null, q);
      assert.match(res.body, /本人確認の依頼に誤りがあります/, q);
    }
    const api = await postJson(`${base}/api/v1/step-up/consume`, { purpose: 'everything' }, bearer(token));
    assert.equal(api.status, 400);
    assert.equal(api.json.error.field, 'purpose');
    const none = await postJson(`${base}/api/v1/step-up/consume`, { purpose: 'withdrawal' });
    assert.equal(none.status, 401);
  });

  it('trading password verify: 200, or 401 with the tries left; five wrong lock it and mail the customer', async () => {
    const a = await h.createAccount();
    const token = await appLogin(a);
    const verify = (tradingPassword: unknown) => postJson(`${base}/api/v1/trading-password/verify`, { tradingPassword }, bearer(token));
    assert.equal((await verify(a.tradingPassword)).status, 200);
    const wrong = await verify('not it');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, 'trading_password_invalid');
    assert.equal(wrong.json.error.triesLeft, 4);
    assert.equal((await verify(12)).status, 400);
    for (let i = 0; i < 3; i++) assert.equal((await verify('not it')).status, 401);
    const locked = await verify('not it');
    assert.equal(locked.status, 423);
    assert.equal(locked.json.error.code, 'trading_password_locked');
    assert.equal((await verify(a.tradingPassword)).status, 423, 'locked until the desk unlocks');
    await h.mail(a.emails[0]!, '取引パスワード');
    const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const types = (await h.runtime.store.audit.listForAccount(acc.id, 50)).map((e) => e.type);
    assert.ok(types.includes('trading_password.verified'));
    assert.ok(types.includes('trading_password.locked'));
  });
});
