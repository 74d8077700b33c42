/**
 * The pages' trust cues over real HTTP (issue 19): the passkey step's fallback names where it
 * leads, the top page shows the previous login, an expired session says so on the login page and
 * leads back to the page asked for (and never to another site). SQLite, and PostgreSQL with
 * TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret } from '../../src/crypto/totp';
import { formatJstClock } from '../../src/domain/notifications/format';
import { FakeClock } from '../support/fake-clock';
import { HttpBrowser } from '../support/http-browser';
import { startTestServer, type RunningServer } from '../support/server';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

const PASSWORD = 'correct horse battery';

describe(`page wiring (${storeKind})`, () => {
  let s: RunningServer;
  let seq = 0;
  const clock = new FakeClock(new Date());
  before(async () => {
    s = await startTestServer({ THROTTLE_IP_LOCK_AFTER: '100000' }, { clock });
  });
  after(async () => s?.stop());

  async function customer(o: { totp?: boolean; passkey?: boolean } = {}) {
    seq += 1;
    const loginId = `wiring${seq}`;
    const email = `wiring${seq}@example.com`;
    const { services, store, ports } = s.server.runtime;
    await services.accounts.create({ loginId, name: '配線 太郎', emails: [email], loginPassword: PASSWORD, tradingPassword: 'trading staple 42' }, 'test');
    const account = (await store.accounts.findByLoginId(loginId))!;
    const now = clock.now();
    if (o.totp) await store.accounts.setTotp(account.id, ports.secrets.seal(generateTotpSecret(ports.random)), now, now);
    if (o.passkey) {
      const { credential } = new SoftAuthenticator(s.url, 'localhost').create({ challenge: 'unused' });
      const b64 = (b: Buffer) => b.toString('base64url');
      await store.passkeys.insert({ accountId: account.id, credentialId: b64(credential.id), publicKey: b64(credential.publicCose), counter: 0, transports: ['internal'], name: 'test', backedUp: false, createdAt: now, lastUsedAt: null });
    }
    return { loginId, email };
  }

  /** ID and password, then the mailed code unless the browser is recognised: the answer to the last step. */
  async function logIn(b: HttpBrowser, c: { loginId: string; email: string }, loginPage = '/login') {
    await b.get(`${s.url}${loginPage}`);
    const first = await b.post(`${s.url}/login`, { loginId: c.loginId, password: PASSWORD });
    if (first.location !== '/login/code') return first;
    await b.get(`${s.url}/login/code`);
    return b.post(`${s.url}/login/code`, { code: await s.codeFor(c.email) });
  }

  it('the top page shows the previous login, not this one, and says so on the first', async () => {
    const c = await customer();
    const first = new HttpBrowser();
    assert.equal((await logIn(first, c)).location, '/');
    const firstTop = (await first.get(`${s.url}/account`)).body;
    assert.match(firstTop, /前回ログイン日時<\/span> 初めてのログインです/);
    const firstAt = clock.now();
    clock.advance(10 * 60_000);
    const second = new HttpBrowser();
    await logIn(second, c);
    const top = (await second.get(`${s.url}/account`)).body;
    assert.match(top, new RegExp(`前回ログイン日時</span> ${formatJstClock(firstAt).slice(0, 16)}`));
    assert.ok(!top.includes(formatJstClock(clock.now()).slice(0, 16)), 'not this login');
    // The first browser, still signed in, sees its own previous login (none), not the later one elsewhere.
    assert.match((await first.get(`${s.url}/account`)).body, /初めてのログインです/);
  });

  it('an ended session says so on the login page, and the login returns to the page asked for', async () => {
    const c = await customer();
    const b = new HttpBrowser();
    await logIn(b, c);
    assert.equal((await b.get(`${s.url}/account/security`)).status, 200);
    clock.advance(24 * 3600_000);
    const asked = await b.get(`${s.url}/account/security?x=1`);
    assert.equal(asked.status, 303);
    assert.equal(asked.location, '/login');
    const loginPage = await b.get(`${s.url}/login`);
    assert.match(loginPage.body, /セッションの有効期限が切れました/);
    assert.doesNotMatch((await b.get(`${s.url}/login`)).body, /セッションの有効期限が切れました/, 'said once');
    const done = await logIn(b, c);
    assert.equal(done.location, '/account/security?x=1');
    assert.equal((await b.get(`${s.url}${done.location}`)).status, 200);
    // Used once: the next login lands on the top page.
    const again = new HttpBrowser();
    assert.equal((await logIn(again, c)).location, '/');
  });

  it('says it in English too', async () => {
    const page = (await new HttpBrowser().get(`${s.url}/login?session=expired&lang=en`)).body;
    assert.match(page, /Your session has expired/);
  });

  for (const evil of ['//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example']) {
    it(`never sends a customer who logs in to another site (${JSON.stringify(evil)})`, async () => {
      const b = new HttpBrowser();
      const done = await logIn(b, await customer(), `/login?session=expired&next=${encodeURIComponent(evil)}`);
      assert.equal(done.location, '/');
    });
  }

  it('the passkey step offers the one-time password, not a mail, to a TOTP customer', async () => {
    const b = new HttpBrowser();
    await b.get(`${s.url}/login`);
    const r = await b.post(`${s.url}/login`, { loginId: (await customer({ totp: true, passkey: true })).loginId, password: PASSWORD });
    assert.equal(r.location, '/login/passkey');
    const page = (await b.get(`${s.url}/login/passkey`)).body;
    assert.match(page, /action="\/login\/passkey\/fallback"[\s\S]*ワンタイムパスワードを入力する/);
    assert.doesNotMatch(page, /メールで認証コードを受け取る/);
    assert.equal((await b.post(`${s.url}/login/passkey/fallback`, {})).location, '/login/totp');
  });

  it('the passkey step offers the mailed code to a customer without TOTP', async () => {
    const b = new HttpBrowser();
    await b.get(`${s.url}/login`);
    await b.post(`${s.url}/login`, { loginId: (await customer({ passkey: true })).loginId, password: PASSWORD });
    const page = (await b.get(`${s.url}/login/passkey`)).body;
    assert.match(page, /メールで認証コードを受け取る/);
    assert.doesNotMatch(page, /ワンタイムパスワードを入力する/);
  });
});
