/**
 * ログイン中の端末 on セキュリティ設定 and the same through the JSON API: the customer's live
 * sessions (browser, address, started, last seen, method; this one marked), ログアウト of one,
 * 他のすべての端末からログアウト, each audited; another customer's session cannot be touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { storeKind } from '../support/test-store';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe(`the customer's live sessions (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const accountId = async (a: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(a.loginId))!.id;
  const live = async (a: AccountSeed) => h.runtime.store.sessions.listLiveForAccount(await accountId(a), h.clock.now());
  const signedOut = async (b: TestBrowser) => {
    const res = await b.get('/account/security');
    return res.statusCode === 303 && res.headers.location === '/login';
  };
  const audit = async (a: AccountSeed, type: string) => (await h.runtime.store.audit.listForAccount(await accountId(a), 50, [type])).map((e) => e.detail);

  /** A bearer session, as the mobile app logs in. */
  const apiLogin = async (a: AccountSeed) => {
    const start = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword }, headers: { 'user-agent': 'MamoriApp/2.1 CFNetwork/1490 Darwin/23.0.0' } });
    const code = await h.codeFor(a.emails[0]!);
    const done = await h.app.inject({ method: 'POST', url: '/api/v1/login/code', payload: { flowId: start.json().flowId, code } });
    assert.equal(done.statusCode, 200, done.body);
    return String(done.json().sessionToken);
  };
  const api = (token: string, method: 'GET' | 'DELETE' | 'POST', url: string) => h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

  it('lists every live session, this one marked ご利用中の端末 and without a button, the others with ログアウト', async () => {
    const a = await h.createAccount();
    const desktop = await h.signedIn(a);
    await h.signedIn(a, PHONE);
    h.clock.advance(90_000);
    const page = await desktop.get('/account/security');
    assert.equal(page.statusCode, 200);
    const section = page.body.slice(page.body.indexOf('id="sessions"'), page.body.indexOf('id="devices"'));
    assert.match(section, /ログイン中の端末/);
    const rows = section.split('<tr').slice(2);
    assert.equal(rows.length, 2, 'two sessions');
    const [mine, phone] = rows;
    assert.match(mine!, /aria-current="true"/);
    assert.match(mine!, /ご利用中の端末/);
    assert.doesNotMatch(mine!, /<button/, 'this session is ended by the usual ログアウト');
    assert.match(phone!, /Mobile Safari 17 \/ iOS 17\.0/);
    assert.match(phone!, /127\.0\.0\.1/);
    assert.match(phone!, /メールの認証コード/);
    assert.match(phone!, /2026\/06\/01/);
    assert.match(phone!, /<button type="submit" class="secondary" aria-label="Mobile Safari 17 \/ iOS 17\.0 ログアウト">ログアウト<\/button>/);
    assert.match(section, /他のすべての端末からログアウト/);
  });

  it('ログアウト ends that session at once; it is audited; the customer stays signed in', async () => {
    const a = await h.createAccount();
    const desktop = await h.signedIn(a);
    const phone = await h.signedIn(a, PHONE);
    const phoneSession = (await live(a)).find((s) => s.userAgent === PHONE)!;
    await desktop.get('/account/security');
    const res = await desktop.post(`/account/sessions/${phoneSession.id}/logout`, {});
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /選択した端末をログアウトしました。/);
    assert.ok(await signedOut(phone), 'the phone is sent to the login page');
    assert.ok(!(await signedOut(desktop)));
    assert.deepEqual(await audit(a, 'session.ended'), [{ sessionId: phoneSession.id, by: 'customer', current: false }]);
    const again = await desktop.post(`/account/sessions/${phoneSession.id}/logout`, {});
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /指定の端末はすでにログアウトしています。/);
    const junk = await desktop.post('/account/sessions/abc/logout', {});
    assert.equal(junk.statusCode, 400);
    assert.match(junk.body, /指定の端末はありません。/);
  });

  it('他のすべての端末からログアウト ends every other session, audited with the count', async () => {
    const a = await h.createAccount();
    const desktop = await h.signedIn(a);
    const others = [await h.signedIn(a, PHONE), await h.signedIn(a, FIREFOX)];
    await desktop.get('/account/security');
    const res = await desktop.post('/account/sessions/logout-others', {});
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /他の端末（2件）をログアウトしました。/);
    assert.match(res.body, /ほかにログイン中の端末はありません。/);
    for (const b of others) assert.ok(await signedOut(b));
    assert.ok(!(await signedOut(desktop)));
    assert.equal((await live(a)).length, 1);
    assert.equal((await audit(a, 'session.others_ended'))[0]!.ended, 2);
  });

  it("another customer's session cannot be listed or ended, by page or API", async () => {
    const a = await h.createAccount();
    const victim = await h.createAccount();
    const mallory = await h.signedIn(a);
    const theirs = await h.signedIn(victim, PHONE);
    const theirId = (await live(victim))[0]!.id;
    await mallory.get('/account/security');
    assert.equal((await mallory.post(`/account/sessions/${theirId}/logout`, {})).statusCode, 404);
    const token = await apiLogin(a);
    assert.equal((await api(token, 'DELETE', `/api/v1/sessions/${theirId}`)).statusCode, 404);
    assert.ok(!(await signedOut(theirs)));
    assert.ok(!(await api(token, 'GET', '/api/v1/sessions')).json().sessions.some((s: { id: number }) => s.id === theirId));
  });

  it('the JSON API with a bearer token: list, end one, log out the others; refused without a session', async () => {
    const a = await h.createAccount();
    const browser = await h.signedIn(a, FIREFOX);
    const token = await apiLogin(a);
    const listed = await api(token, 'GET', '/api/v1/sessions');
    assert.equal(listed.statusCode, 200);
    const sessions = listed.json().sessions as Record<string, unknown>[];
    assert.equal(sessions.length, 2);
    assert.equal(sessions[0]!.current, true, 'this session first');
    assert.equal(sessions[0]!.method, 'email_code');
    const firefox = sessions.find((s) => s.browser === 'Firefox 128')!;
    assert.deepEqual(Object.keys(firefox).sort(), ['browser', 'country', 'current', 'id', 'ip', 'lastSeenAt', 'method', 'os', 'startedAt']);
    assert.equal(firefox.country, null);
    assert.equal(firefox.ip, '127.0.0.1');
    assert.equal(firefox.startedAt, h.clock.now().toISOString());

    const ended = await api(token, 'DELETE', `/api/v1/sessions/${firefox.id}`);
    assert.equal(ended.statusCode, 204);
    assert.ok(await signedOut(browser));
    const gone = await api(token, 'DELETE', `/api/v1/sessions/${firefox.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'not_found');
    assert.equal((await api(token, 'DELETE', '/api/v1/sessions/1e3')).json().error.code, 'invalid_input');

    await h.signedIn(a, PHONE);
    await h.signedIn(a, PHONE);
    const others = await api(token, 'POST', '/api/v1/sessions/logout-others');
    assert.equal(others.statusCode, 200);
    assert.deepEqual(others.json(), { ended: 2 });
    assert.equal((await api(token, 'GET', '/api/v1/sessions')).json().sessions.length, 1);

    const none = await h.app.inject({ method: 'GET', url: '/api/v1/sessions' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'session_invalid');
    // Ending its own session through the API is a logout.
    const self = (await api(token, 'GET', '/api/v1/sessions')).json().sessions[0].id;
    assert.equal((await api(token, 'DELETE', `/api/v1/sessions/${self}`)).statusCode, 204);
    assert.equal((await api(token, 'GET', '/api/v1/sessions')).statusCode, 401);
  });

  it('a page from a foreign origin cannot end sessions (CSRF)', async () => {
    const a = await h.createAccount();
    const desktop = await h.signedIn(a);
    await h.signedIn(a, PHONE);
    await desktop.get('/account/security');
    assert.equal((await desktop.post('/account/sessions/logout-others', {}, { origin: 'https://evil.example' })).statusCode, 403);
    assert.equal((await desktop.post('/account/sessions/logout-others', {}, { csrf: false })).statusCode, 403);
    assert.equal((await live(a)).length, 2);
  });
});
