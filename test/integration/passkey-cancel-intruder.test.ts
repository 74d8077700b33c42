/**
 * The attack behind 「取消」: someone who holds a live session of the customer (phished cookie) and
 * the trading password registers their own passkey, then logs in with it alone from their own
 * browser, which a passkey login recognises. The customer sees the registration notice and cancels
 * the new passkey from their own browser. Removing the passkey is not enough: the sessions it opened
 * and the browser it made recognised must go too, or the intruder keeps trading and later logs in
 * with the password alone, no code asked. The customer's own session stays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, PUBLIC_URL, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

describe(`cancelling a new passkey ends what it opened (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const web = new SoftAuthenticator(PUBLIC_URL, 'localhost');
  const session = (token: string) => h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });

  async function registerOnPage(b: TestBrowser, a: AccountSeed, name: string): Promise<SoftCredential> {
    const code = await h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    const start = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(start.statusCode, 200, start.body);
    const { credential, response } = web.create(start.json().options);
    const done = await b.json('/account/passkeys/register/verify', { challengeId: start.json().challengeId, credential: response, name });
    assert.equal(done.statusCode, 200, done.body);
    return credential;
  }

  async function passwordless(credential: SoftCredential): Promise<{ sessionToken: string; deviceToken: string }> {
    const { challengeId, options } = (await h.app.inject({ method: 'POST', url: '/api/v1/login/passwordless/options', payload: {} })).json();
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/login/passwordless', payload: { challengeId, credential: web.get(credential, options) } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  async function cancelFrom(customer: TestBrowser, a: AccountSeed, name: string) {
    const passkey = (await h.runtime.store.passkeys.listForAccount((await h.runtime.store.accounts.findByLoginId(a.loginId))!.id)).find((p) => p.name === name)!;
    const res = await customer.post(`/account/passkeys/${passkey.id}/cancel`, {});
    assert.equal(res.statusCode, 200, res.body);
    return res;
  }

  it('the customer cancels: the intruder\'s sessions end and their browser is recognised no more; the customer stays signed in', async () => {
    const a = await h.createAccount();
    const customer = await h.signedIn(a);
    const stolen = await h.signedIn(a); // the session the intruder phished
    const credential = await registerOnPage(stolen, a, 'intruder key');
    const intruder = await passwordless(credential);
    assert.equal((await session(intruder.sessionToken)).statusCode, 200);

    const page = await cancelFrom(customer, a, 'intruder key');
    assert.match(page.body, /この端末以外のすべての端末・ブラウザはログアウトしました/, 'the customer is told the other browsers were signed out');

    assert.equal((await session(intruder.sessionToken)).statusCode, 401, 'the session the passkey opened has ended');
    assert.equal((await stolen.get('/account')).statusCode, 303, 'the session that registered it has ended');
    assert.equal((await customer.get('/account')).statusCode, 200, 'the customer who cancelled stays signed in');
    // The intruder's browser, recognised by the passkey login, must show the code step again.
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword, deviceToken: intruder.deviceToken } });
    assert.equal(again.statusCode, 200, again.body);
    assert.notEqual(again.json().state, 'done', 'a password alone does not log the intruder in');
    const mail = await h.mail(a.emails[0]!, 'パスキーの登録を取り消しました');
    assert.match(mail.text, /取り消しを行った端末以外のすべての端末・ブラウザのログイン状態と「普段ご利用の環境」の登録を解除しました/);
  });

  it('the desk cancels: every session and recognised browser of the customer ends', async () => {
    const a = await h.createAccount();
    const customer = await h.signedIn(a);
    const credential = await registerOnPage(customer, a, 'unknown phone');
    const intruder = await passwordless(credential);
    assert.equal(await h.runtime.services.passkeys.supportCancelNew(a.loginId, 'api:kato', '身に覚えのない登録'), 1);
    assert.equal((await session(intruder.sessionToken)).statusCode, 401);
    assert.equal((await customer.get('/account')).statusCode, 303);
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword, deviceToken: intruder.deviceToken } });
    assert.notEqual(again.json().state, 'done');
  });
});
