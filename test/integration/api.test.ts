import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`JSON API for the mobile app and the trading service (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url, payload: payload as object, headers });

  it('logs in with ID, password and the e-mailed code, then the session check accepts the bearer token', async () => {
    const a = await h.createAccount();
    const start = await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword });
    assert.equal(start.statusCode, 200);
    const s = start.json();
    assert.equal(s.state, 'awaiting_code');
    assert.match(s.maskedAddress, /^jimu\*{5}$/);
    assert.ok(s.flowId);

    const code = await h.codeFor(a.emails[0]!);
    const done = await post('/api/v1/login/code', { flowId: s.flowId, code });
    assert.equal(done.statusCode, 200);
    const d = done.json();
    assert.equal(d.state, 'done');
    assert.equal(d.method, 'email_code');
    assert.ok(d.sessionToken && d.deviceToken);

    const check = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } });
    assert.equal(check.statusCode, 200);
    assert.deepEqual(Object.keys(check.json()).sort(), ['authMethods', 'authenticatedAt', 'expiresAt', 'loginId', 'method', 'name', 'phishingResistant', 'stepUpAt']);

    // The app presents its device token next time: no code.
    const again = await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword, deviceToken: d.deviceToken });
    assert.equal(again.json().state, 'done');
    assert.equal(again.json().method, 'recognized_device');

    const out = await post('/api/v1/logout', {}, { authorization: `Bearer ${d.sessionToken}` });
    assert.equal(out.statusCode, 204);
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } });
    assert.equal(after.statusCode, 401);
  });

  it('the session ends after 30 idle minutes and after 12 hours at most', async () => {
    const a = await h.createAccount();
    const s = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).json();
    const d = (await post('/api/v1/login/code', { flowId: s.flowId, code: await h.codeFor(a.emails[0]!) })).json();
    const check = () => h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } });
    // Active use keeps it alive past 30 minutes...
    for (let i = 0; i < 10; i++) {
      h.clock.advance(20 * 60_000);
      assert.equal((await check()).statusCode, 200, `check ${i}`);
    }
    // ...but a 31-minute pause ends it.
    h.clock.advance(31 * 60_000);
    assert.equal((await check()).statusCode, 401);

    const s2 = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword, deviceToken: d.deviceToken })).json();
    assert.equal(s2.state, 'done');
    for (let i = 0; i < 36; i++) {
      h.clock.advance(20 * 60_000);
      const r = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${s2.sessionToken}` } });
      if (i < 35) assert.equal(r.statusCode, 200, `check ${i}`);
      else assert.equal(r.statusCode, 401, 'absolute timeout of 12 h');
    }
  });

  it('the moved idle expiry is written to the database in a batch, for every process to see', async () => {
    const a = await h.createAccount();
    const s = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).json();
    const d = (await post('/api/v1/login/code', { flowId: s.flowId, code: await h.codeFor(a.emails[0]!) })).json();
    const b = await h.createAccount();
    const sb = (await post('/api/v1/login', { loginId: b.loginId, password: b.loginPassword })).json();
    const db = (await post('/api/v1/login/code', { flowId: sb.flowId, code: await h.codeFor(b.emails[0]!) })).json();
    const sessions = h.runtime.services.sessions;
    const stored = (token = d.sessionToken) => h.runtime.store.sessions.findActiveByTokenHash(sessions.tokenHash(token));
    const before = (await stored())!;
    const otherBefore = (await stored(db.sessionToken))!;
    h.clock.advance(20 * 60_000);
    const check = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } });
    assert.equal(check.statusCode, 200);
    h.clock.advance(60_000);
    const checkB = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${db.sessionToken}` } });
    assert.equal(checkB.statusCode, 200);
    await sessions.flushTouches();
    const otherAfter = (await stored(db.sessionToken))!;
    assert.equal(otherAfter.idleExpiresAt.getTime(), h.clock.now().getTime() + 30 * 60_000, 'both touches written in one batch, each its own');
    assert.ok(otherAfter.idleExpiresAt > otherBefore.idleExpiresAt);
    h.clock.advance(-60_000);
    const after = (await stored())!;
    assert.equal(after.lastSeenAt.getTime(), h.clock.now().getTime());
    assert.equal(after.idleExpiresAt.getTime(), h.clock.now().getTime() + 30 * 60_000);
    assert.ok(after.idleExpiresAt > before.idleExpiresAt);
    assert.equal(after.absoluteExpiresAt.getTime(), before.absoluteExpiresAt.getTime(), 'the absolute limit never moves');
  });

  it('the check answers with the session’s copy of login ID and name, which follows a name change; older sessions read the account', async () => {
    const a = await h.createAccount({ name: '群馬 一郎' });
    const s = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).json();
    const d = (await post('/api/v1/login/code', { flowId: s.flowId, code: await h.codeFor(a.emails[0]!) })).json();
    const check = async () => (await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } })).json();
    assert.deepEqual([(await check()).loginId, (await check()).name], [a.loginId, '群馬 一郎']);
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    await h.runtime.store.accounts.updateProfile(account.id, { name: '群馬 二郎' }, h.clock.now());
    // No service renames a customer yet (nothing announces it): the change shows once the cached check expires.
    h.clock.advance(h.runtime.config.session.cacheMs + 1000);
    assert.equal((await check()).name, '群馬 二郎');
    // A session written before migration 0006 has no copy: the account's own are read.
    await h.runtime.store.db.updateTable('sessions').set({ login_id: null, name: null }).where('account_id', '=', account.id).execute();
    h.clock.advance(h.runtime.config.session.cacheMs + 1000);
    const old = await check();
    assert.deepEqual([old.loginId, old.name], [a.loginId, '群馬 二郎']);
  });

  it('session checks keep working while a newer version adds a column to sessions (rolling upgrade)', async () => {
    const a = await h.createAccount();
    const s = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).json();
    const d = (await post('/api/v1/login/code', { flowId: s.flowId, code: await h.codeFor(a.emails[0]!) })).json();
    const check = async () => {
      h.clock.advance(2000); // past the 1 s session cache: every check reads the database
      return h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { authorization: `Bearer ${d.sessionToken}` } });
    };
    // Prepared on the connections the checks use…
    for (let i = 0; i < 3; i++) assert.equal((await check()).statusCode, 200);
    await sql`alter table sessions add column added_later text`.execute(h.runtime.store.db);
    // …and still valid: a PostgreSQL statement prepared as SELECT * would now fail with
    // "cached plan must not change result type".
    for (let i = 0; i < 3; i++) {
      const res = await check();
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().loginId, a.loginId);
    }
  });

  it('bad input gets a clear JSON error and never a 500', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'invalid_input'],
      [{ loginId: 'a' }, 400, 'invalid_input'],
      [{ loginId: ['a', 'b'], password: 'x' }, 400, 'invalid_input'],
      [{ loginId: 'a'.repeat(5000), password: 'x' }, 400, 'invalid_input'],
      [{ loginId: 'ab\u0000c', password: 'x' }, 400, 'invalid_input'],
      [{ loginId: 12, password: true }, 400, 'invalid_input'],
      [[1, 2, 3], 400, 'invalid_input'],
      [{ loginId: 'someone', password: 'x', deviceToken: 5 }, 400, 'invalid_input'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post('/api/v1/login', payload);
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      assert.equal(res.json().error.code, code);
      assert.ok(res.json().error.message.length > 0);
    }
    const malformed = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: '{"loginId":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'bad_request');
    assert.doesNotMatch(malformed.body, /at .*\.ts:\d+/);
    const huge = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: JSON.stringify({ loginId: 'a', password: 'x'.repeat(100_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(huge.statusCode, 413);
    const text = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: 'loginId=a', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.statusCode, 400);
    assert.equal(text.json().error.code, 'invalid_input');
    const wrongType = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(wrongType.statusCode, 415);
    assert.equal(wrongType.json().error.code, 'bad_request');
    const noFlow = await post('/api/v1/login/code', { flowId: 'nope', code: '123456' });
    assert.equal(noFlow.statusCode, 404);
    assert.equal(noFlow.json().error.code, 'flow_not_found');
    const unknownRoute = await h.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(unknownRoute.statusCode, 404);
    assert.equal(unknownRoute.json().error.code, 'not_found');
  });

  it('a browser that sends a foreign Origin to the API is refused', async () => {
    const res = await post('/api/v1/login', { loginId: 'a', password: 'b' }, { origin: 'https://evil.example' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf_invalid');
  });

  it('messages follow Accept-Language: Japanese by default, English when asked', async () => {
    const ja = await post('/api/v1/login', { loginId: 'nobody', password: 'wrong-password' });
    assert.match(ja.json().error.message, /ログインIDまたはログインパスワードが正しくありません/);
    const en = await post('/api/v1/login', { loginId: 'nobody', password: 'wrong-password' }, { 'accept-language': 'en-US,en;q=0.9' });
    assert.match(en.json().error.message, /login ID or password is incorrect/);
  });
});
