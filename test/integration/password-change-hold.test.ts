/**
 * "Must change the login password" holds the trading service too. The desk sets the flag when a
 * customer's password may be known to someone else, and so does a behaviour signal
 * (RISK_CHANGE_PASSWORD). Mamori's own pages then lead only to ログインパスワード変更; before this
 * test the trading service's session check (`GET /api/v1/session`, nginx's auth_request) still
 * answered 200 with the login ID, so whoever held a session could go on trading without changing
 * anything. Now every live session of the customer, and every new one, answers
 * 403 password_change_required until the password is changed — also on a process that had the
 * session cached when another process (the desk's command line) set the flag.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { storeKind } from '../support/test-store';
import { cliEnv, runMamori } from '../support/cli';

describe(`must-change holds the trading service's session check (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key, RISK_AFTER_FAILURES: 'notify', RISK_AFTER_FAILURES_COUNT: '3', RISK_CHANGE_PASSWORD: 'after_failures' });
  });
  after(async () => h.close());

  const check = (headers: Record<string, string>) => h.app.inject({ method: 'GET', url: '/api/v1/session', headers });
  const cookieOf = (b: TestBrowser) => ({ cookie: b.jar.header() });

  async function appToken(a: AccountSeed): Promise<{ sessionToken: string; deviceToken: string }> {
    const start = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword } });
    const done = await h.app.inject({ method: 'POST', url: '/api/v1/login/code', payload: { flowId: start.json().flowId, code: await h.codeFor(a.emails[0]!) } });
    assert.equal(done.json().state, 'done', done.body);
    return done.json();
  }

  async function refused(headers: Record<string, string>, why: string) {
    const res = await check(headers);
    assert.equal(res.statusCode, 403, `${why}: ${res.body}`);
    assert.equal(res.json().error.code, 'password_change_required', why);
    assert.equal(res.headers['x-mamori-login-id'], undefined, why);
  }

  it('the desk sets it from its command line (another process): the cached sessions are refused at once, a new login too; the change releases the one that made it', async () => {
    const a = await h.createAccount();
    const browser = await h.signedIn(a);
    const app = await appToken(a);
    // Both answered, so both are in this process's session cache.
    assert.equal((await check(cookieOf(browser))).statusCode, 200);
    assert.equal((await check({ authorization: `Bearer ${app.sessionToken}` })).statusCode, 200);

    // This process serves meanwhile as a second Mamori process would (on PostgreSQL its LISTEN
    // connection takes the announcement while the command runs).
    const cli = await runMamori(['support', 'require-password-change', a.loginId, '--operator', 'tanaka', '--reason', 'パスワード漏えいの申告'], cliEnv(h.db.url, key));
    assert.equal(cli.code, 0, cli.stderr);

    await refused(cookieOf(browser), 'the browser session cached before the flag');
    await refused({ authorization: `Bearer ${app.sessionToken}` }, "the app's session cached before the flag");
    const again = await h.signedIn(a);
    await refused(cookieOf(again), 'a login made after the flag');

    // The customer changes it (the desk's flag: the trading password confirms it alone).
    const form = await again.get('/account/password');
    assert.equal(form.statusCode, 200);
    const next = `new login password ${randomBytes(4).toString('hex')}`;
    const changed = await again.post('/account/password', { currentPassword: a.loginPassword, newPassword: next, newPasswordConfirmation: next, tradingPassword: a.tradingPassword });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await check(cookieOf(again))).statusCode, 200, 'released for the session that changed it');
    assert.equal((await check(cookieOf(browser))).statusCode, 401, 'the others ended with the change');
  });

  it('a behaviour signal sets it on a login that needs no second step: that session is held from the start, and the sessions already live too', async () => {
    const a = await h.createAccount();
    const { sessionToken: earlier, deviceToken } = await appToken(a);
    for (let i = 0; i < 3; i++) {
      const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: 'wrong password', deviceToken } });
      assert.equal(wrong.statusCode, 401);
    }
    // Right password from the recognised browser after three failures: `notify` lets it in, but must-change.
    const flagged = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword, deviceToken } });
    assert.equal(flagged.json().state, 'done', flagged.body);
    await refused({ authorization: `Bearer ${flagged.json().sessionToken}` }, 'the flagged login');
    await refused({ authorization: `Bearer ${earlier}` }, 'the session already live');
    const self = await h.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: `Bearer ${flagged.json().sessionToken}` } });
    assert.equal(self.json().error?.code, 'password_change_required', "Mamori's own API holds it as before");
  });
});
