/**
 * The listening server answers GET /api/v1/session before Fastify (web/fast-session-check.ts).
 * Over real HTTP it must give the same status, headers and body as the Fastify route does through
 * app.inject, for every kind of caller, and must stop accepting a session the moment it ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

/** Headers that belong to the connection, not to the answer. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

describe(`session check fast path (${storeKind})`, () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const a = h.app.server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  after(async () => h.close());

  async function both(headers: Record<string, string>) {
    const injected = await h.app.inject({ method: 'GET', url: '/api/v1/session', headers });
    const fetched = await fetch(`${base}/api/v1/session`, { headers });
    const fast: Record<string, string> = {};
    fetched.headers.forEach((v, k) => {
      if (!TRANSPORT.has(k)) fast[k] = v;
    });
    const slow: Record<string, string> = {};
    for (const [k, v] of Object.entries(injected.headers)) if (!TRANSPORT.has(k)) slow[k] = String(v);
    return { injected: { status: injected.statusCode, headers: slow, body: injected.body }, fetched: { status: fetched.status, headers: fast, body: await fetched.text() } };
  }

  it('answers exactly as the Fastify route does: cookie, bearer, none, garbage, English', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const cookie = b.jar.header();
    const token = /mamori_session=([^;]+)/.exec(cookie)?.[1];
    assert.ok(token, 'the browser holds a session cookie');
    const cases: Record<string, string>[] = [
      { cookie },
      { authorization: `Bearer ${token}` },
      {},
      { cookie: 'mamori_session=not-a-session' },
      { authorization: 'Bearer ' + 'x'.repeat(500) },
      { cookie: 'mamori_lang=en; mamori_session=nope' },
      { 'accept-language': 'en-US,en;q=0.9' },
    ];
    for (const headers of cases) {
      const r = await both(headers);
      assert.deepEqual(r.fetched, r.injected, JSON.stringify(headers));
    }
    const ok = await both({ cookie });
    assert.equal(ok.fetched.status, 200);
    assert.equal(JSON.parse(ok.fetched.body).loginId, a.loginId);
    assert.equal(ok.fetched.headers['x-mamori-login-id'], a.loginId);
    assert.equal(ok.fetched.headers['content-length'], String(Buffer.byteLength(ok.fetched.body)));
    assert.equal(ok.fetched.headers['cache-control'], 'no-store');
    assert.equal((await both({ cookie: 'mamori_lang=en; mamori_session=nope' })).fetched.body.includes('"session_invalid"'), true);
  });

  it('a cached check ends with the session: logout is seen at once over HTTP', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const cookie = b.jar.header();
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}/api/v1/session`, { headers: { cookie } })).status, 200);
    const out = await b.post('/logout', {});
    assert.ok(out.statusCode < 400, `logout answered ${out.statusCode}`);
    assert.equal((await fetch(`${base}/api/v1/session`, { headers: { cookie } })).status, 401);
  });
});
