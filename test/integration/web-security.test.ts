import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`web security: CSRF, headers, cookies, bad input (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  it('sends a strict CSP and the other security headers on every page', async () => {
    const res = await h.browser().get('/login');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    // No third-party resources in the page.
    assert.doesNotMatch(res.body, /(src|href)="https?:\/\/(?!localhost)/);
  });

  it('session and device cookies are __Host-, HttpOnly, Secure, SameSite, and the session token is new at each login', async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.login(a.loginId, a.loginPassword);
    const res = await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    const session = cookies.find((c) => c.startsWith('__Host-mamori_session='))!;
    const device = cookies.find((c) => c.startsWith('__Host-mamori_device='))!;
    for (const c of [session, device]) {
      assert.match(c, /HttpOnly/);
      assert.match(c, /Secure/);
      assert.match(c, /SameSite=Lax/);
      assert.match(c, /Path=\//);
      assert.doesNotMatch(c, /Domain=/);
    }
    const firstToken = b.jar.get('__Host-mamori_session');
    await b.post('/logout', {});
    await b.login(a.loginId, a.loginPassword);
    assert.notEqual(b.jar.get('__Host-mamori_session'), firstToken);
  });

  it('a form post without the CSRF field, or from another origin, is refused and changes nothing', async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.get('/login');
    const noToken = await b.post('/login', { loginId: a.loginId, password: a.loginPassword }, { csrf: false });
    assert.equal(noToken.statusCode, 403);
    assert.match(noToken.body, /画面の有効期限が切れました/);
    const foreign = await b.post('/login', { loginId: a.loginId, password: a.loginPassword }, { origin: 'https://evil.example' });
    assert.equal(foreign.statusCode, 403);
    const noOrigin = await b.post('/login', { loginId: a.loginId, password: a.loginPassword }, { origin: null });
    assert.equal(noOrigin.statusCode, 403);
    const stats = await h.runtime.store.outbox.pendingStats();
    assert.equal(stats.depth, 0, 'no code was mailed');
  });

  it("a post whose Host and Origin both name another site is refused: only PUBLIC_URL's origin is ours", async () => {
    const a = await h.createAccount();
    const b = h.browser();
    await b.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(b.lastPage)![1]!;
    const page = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: 'evil.example', origin: 'http://evil.example', cookie: b.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, loginId: a.loginId, password: a.loginPassword }).toString(),
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /画面の有効期限が切れました/);
    const api = await h.app.inject({
      method: 'POST',
      url: '/api/v1/login',
      headers: { host: 'evil.example', origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: JSON.stringify({ loginId: a.loginId, password: a.loginPassword }),
    });
    assert.equal(api.statusCode, 403);
    assert.equal(api.json().error.code, 'csrf_invalid');
    assert.equal((await h.runtime.store.outbox.pendingStats()).depth, 0, 'no code was mailed');
  });

  it('bad form input of any kind gets a clear Japanese message, never a 500', async () => {
    const b = h.browser();
    await b.get('/login');
    const inputs: Record<string, string>[] = [
      {},
      { loginId: '' , password: '' },
      { loginId: 'x'.repeat(10_000), password: 'p' },
      { loginId: 'ab\u0007c', password: 'p' },
      { loginId: '\ud800', password: 'p' },
      { loginId: 'a', password: 'p'.repeat(20_000) },
      { loginId: '<script>alert(1)</script>', password: 'p' },
    ];
    for (const form of inputs) {
      const res = await b.post('/login', form);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(form).slice(0, 60)} → ${res.statusCode}`);
      assert.match(res.body, /role="alert"/);
      assert.doesNotMatch(res.body, /<script>alert/);
      await b.get('/login');
    }
    // Duplicated parameters arrive as arrays.
    const dup = await h.app.inject({
      method: 'POST',
      url: '/login',
      payload: 'loginId=a&loginId=b&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000', cookie: b.jar.header() },
    });
    assert.ok(dup.statusCode >= 400 && dup.statusCode < 500);
    const badEncoding = await h.app.inject({
      method: 'POST',
      url: '/login',
      payload: 'loginId=%E0%A4%A&password=%ZZ',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
    });
    assert.ok(badEncoding.statusCode >= 400 && badEncoding.statusCode < 500);
    const missingPage = await b.get('/no/such/page');
    assert.equal(missingPage.statusCode, 404);
    assert.match(missingPage.body, /お探しのページは見つかりませんでした/);
  });

  it('a code page without a login flow sends the customer back to the login page', async () => {
    const b = h.browser();
    const res = await b.get('/login/code');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /最初からログインしてください/);
    assert.match(res.body, /<label for="loginId">/);
  });

  it('signed-in pages redirect to the login page without a session', async () => {
    for (const url of ['/', '/account', '/account/info', '/account/emails']) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/login');
    }
  });

  it('the audit log is append-only in the database itself', async () => {
    const a = await h.createAccount();
    await h.browser().login(a.loginId, 'wrong password');
    const db = h.db.store.db;
    await assert.rejects(db.updateTable('audit_events').set({ type: 'tampered' }).execute());
    await assert.rejects(db.deleteFrom('audit_events').execute());
    const rows = await db.selectFrom('audit_events').select('type').execute();
    assert.ok(rows.some((r) => r.type === 'login.failed'));
  });

  it('the English UI is available', async () => {
    const b = h.browser();
    const res = await b.get('/login?lang=en');
    assert.match(res.body, /<label for="loginId">Login ID<\/label>/);
    const again = await b.get('/login');
    assert.match(again.body, /Login ID/, 'the choice is remembered');
  });
});

describe(`a client address that is not an IP (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    // Believing every hop is the worst case: whatever the client writes becomes its address.
    h = await startHarness({ TRUST_PROXY: 'true' });
  });
  after(async () => h.close());

  const junk = 'https://evil.example/login';

  it('is refused with a clear 400 on the API and a Japanese page, and nothing is stored', async () => {
    const a = await h.createAccount();
    const api = await h.app.inject({
      method: 'POST',
      url: '/api/v1/login',
      headers: { 'x-forwarded-for': junk, 'content-type': 'application/json' },
      payload: JSON.stringify({ loginId: a.loginId, password: 'wrong password' }),
    });
    assert.equal(api.statusCode, 400, api.body);
    assert.equal(api.json().error.code, 'invalid_input');
    assert.equal(api.json().error.field, 'clientAddress');
    const page = await h.app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': junk } });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /接続元のIPアドレスを確認できない/);
    assert.doesNotMatch(page.body, /at .*\.ts:\d+/);
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const events = await h.runtime.store.audit.listForAccount(account.id, 20);
    assert.ok(events.every((e) => !String(e.ip).includes('evil')));
    assert.equal(await h.runtime.store.throttle.get(`ip:${junk}`), undefined);
  });

  it('an IPv4-mapped IPv6 address is recorded as plain IPv4', async () => {
    const a = await h.createAccount();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/login',
      headers: { 'x-forwarded-for': '::ffff:192.0.2.44', 'content-type': 'application/json' },
      payload: JSON.stringify({ loginId: a.loginId, password: 'wrong password' }),
    });
    assert.equal(res.statusCode, 401);
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const failed = (await h.runtime.store.audit.listForAccount(account.id, 20)).find((e) => e.type === 'login.failed');
    assert.equal(failed?.ip, '192.0.2.44');
  });

  it('an old audit row with junk in place of an address shows nothing in ログイン履歴', async () => {
    const a = await h.createAccount();
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    await h.runtime.store.audit.append({ at: h.clock.now(), type: 'login.failed', accountId: account.id, loginId: a.loginId, ip: junk, userAgent: 'old row', operator: null, detail: {} });
    const b = await h.signedIn(a);
    const page = await b.get('/account/security');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /ログイン履歴/);
    assert.match(page.body, /127\.0\.0\.1/);
    assert.doesNotMatch(page.body, /evil/);
  });
});
