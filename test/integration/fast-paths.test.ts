/**
 * The listening server answers GET /api/v1/session, and refuses logins while password hashing is
 * saturated, before Fastify (web/fast-paths.ts). Over real HTTP it must give the same status,
 * headers and body as the Fastify routes do through app.inject, and must stop accepting a session
 * the moment it ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

/** Headers that belong to the connection, not to the answer. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

describe(`fast paths (${storeKind})`, () => {
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
    return compare(await h.app.inject({ method: 'GET', url: '/api/v1/session', headers }), await fetch(`${base}/api/v1/session`, { headers }));
  }

  async function compare(injected: Awaited<ReturnType<Harness['app']['inject']>>, fetched: Response) {
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

  it('authMethods and phishingResistant, in the body and the forward-auth headers, alike on both paths', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const cookie = b.jar.header();
    const before = await both({ cookie });
    assert.deepEqual(before.fetched, before.injected);
    assert.deepEqual(JSON.parse(before.fetched.body).authMethods, ['password', 'email_code']);
    assert.equal(before.fetched.headers['x-mamori-auth-methods'], 'password,email_code');
    assert.equal(before.fetched.headers['x-mamori-phishing-resistant'], 'false');
    // A passkey step-up in this session makes it phishing-resistant (the row the check reads).
    const token = /mamori_session=([^;]+)/.exec(cookie)![1]!;
    const session = (await h.runtime.store.sessions.findActiveByTokenHash(h.runtime.services.sessions.tokenHash(token)))!;
    await h.runtime.store.transaction((tx) => h.runtime.services.sessions.markStepUp(tx, session, h.clock.now()));
    const after = await both({ cookie });
    assert.deepEqual(after.fetched, after.injected);
    assert.equal(JSON.parse(after.fetched.body).phishingResistant, true);
    assert.equal(after.fetched.headers['x-mamori-phishing-resistant'], 'true');
  });

  it('parity over query strings, language, logged-out and expired sessions, and HEAD: the fast path and the Fastify route answer alike', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const cookie = b.jar.header();
    const token = /mamori_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const loggedOut = await h.signedIn(await h.createAccount());
    const loggedOutCookie = loggedOut.jar.header();
    await loggedOut.post('/logout', {});
    const credentials: Record<string, string>[] = [
      { cookie },
      { authorization: `Bearer ${token}` },
      {},
      { cookie: loggedOutCookie },
      { cookie: '__Host-mamori_lang=en', authorization: 'Bearer nope' },
      { 'accept-language': 'en-US,en;q=0.9' },
    ];
    const queries = ['', '?lang=en', '?lang=ja', '?x=1', '?lang=en&lang=ja', '?lang=fr'];
    let compared = 0;
    for (const method of ['GET', 'HEAD'] as const) {
      for (const query of queries) {
        for (const headers of credentials) {
          const url = `/api/v1/session${query}`;
          const r = await compare(await h.app.inject({ method, url, headers }), await fetch(`${base}${url}`, { method, headers }));
          assert.deepEqual(r.fetched, r.injected, `${method} ${url} ${JSON.stringify(headers)}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 72);
    // The drift this test was written for: ?lang=en answers in English, and remembers it, on both paths.
    const en = await fetch(`${base}/api/v1/session?lang=en`);
    assert.equal(en.status, 401);
    assert.match(String(en.headers.get('set-cookie')), /^__Host-mamori_lang=en;/);
    assert.doesNotMatch(await en.text(), /[\u3040-\u30ff]/, 'an English message');
    const head = await fetch(`${base}/api/v1/session`, { method: 'HEAD', headers: { cookie } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('x-mamori-login-id'), a.loginId);
    assert.equal(await head.text(), '');
    // A session past its idle expiry is refused alike on both paths (the cache never outlives it).
    h.clock.advance(48 * 3600_000);
    for (const headers of [{ cookie }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      const r = await compare(await h.app.inject({ method: 'GET', url: '/api/v1/session?x=1', headers }), await fetch(`${base}/api/v1/session?x=1`, { headers }));
      assert.deepEqual(r.fetched, r.injected);
      assert.equal(r.fetched.status, 401);
    }
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

  it('a cached check whose time is up reads its row again: the same answer while it says the same; ended, re-keyed or renamed by hand, nothing announced, seen at once', async () => {
    const { store, services, config } = h.runtime;
    const answered = services.sessions.answered;
    const pastTtl = () => h.clock.advance(config.session.cacheMs + 1);
    const check = async (cookie: string) => {
      const r = await fetch(`${base}/api/v1/session`, { headers: { cookie } });
      return { status: r.status, body: await r.text() };
    };
    const session = async () => {
      const cookie = (await h.signedIn(await h.createAccount())).jar.header();
      const token = /mamori_session=([^;]+)/.exec(cookie)![1]!;
      const { id } = (await store.sessions.findActiveByTokenHash(services.sessions.tokenHash(token)))!;
      const first = await check(cookie);
      assert.equal(first.status, 200);
      return { cookie, id, first };
    };
    const byHand = (id: number, set: { ended_at?: number; token_hash?: string; name?: string }) => store.db.updateTable('sessions').set(set).where('id', '=', id).execute();

    const same = await session();
    const before = { ...answered };
    for (let i = 0; i < 3; i++) {
      pastTtl();
      assert.deepEqual(await check(same.cookie), same.first, 'unchanged, the same answer');
    }
    // Where a row is read at once (SQLite), by id; elsewhere by the token's keyed hash, as on any miss.
    const rereadable = storeKind === 'sqlite';
    assert.deepEqual([answered.reread - before.reread, answered.database - before.database], rereadable ? [3, 0] : [0, 3]);
    h.clock.advance(61_000); // a minute on: the check moves the idle expiry, as on any read
    const touched = await check(same.cookie);
    assert.equal(touched.status, 200);
    assert.ok(JSON.parse(touched.body).expiresAt > JSON.parse(same.first.body).expiresAt, 'the idle expiry moved');

    const ended = await session();
    await byHand(ended.id, { ended_at: h.clock.now().getTime() });
    assert.equal((await check(ended.cookie)).status, 200, 'within the TTL the cache answers (a change nobody announced)');
    pastTtl();
    assert.equal((await check(ended.cookie)).status, 401, 'ended by hand: refused once the cached check’s time is up');

    const rekeyed = await session();
    await byHand(rekeyed.id, { token_hash: 'replaced by hand' });
    pastTtl();
    assert.equal((await check(rekeyed.cookie)).status, 401, 'the row is no longer this token’s');

    const renamed = await session();
    await byHand(renamed.id, { name: '名前 変更' });
    pastTtl();
    const now = await check(renamed.cookie);
    assert.equal(now.status, 200);
    assert.equal(JSON.parse(now.body).name, '名前 変更');
  });

  it('a check made while a transaction is open never answers from its uncommitted rows: a step-up rolled back is not seen, not even later from the cache', async () => {
    const { store, services, config } = h.runtime;
    const signedIn = async () => {
      const cookie = (await h.signedIn(await h.createAccount())).jar.header();
      const token = /mamori_session=([^;]+)/.exec(cookie)![1]!;
      return { cookie, id: (await store.sessions.findActiveByTokenHash(services.sessions.tokenHash(token)))!.id };
    };
    const stepUpAt = async (cookie: string) => {
      const r = await fetch(`${base}/api/v1/session`, { headers: { cookie } });
      assert.equal(r.status, 200);
      return (await r.json()).stepUpAt as string | null;
    };
    // One session checked before (its entry past its time: read again by id), one never checked (read by hash).
    const cached = await signedIn();
    assert.equal(await stepUpAt(cached.cookie), null);
    const fresh = await signedIn();
    h.clock.advance(config.session.cacheMs + 1);
    const during: Promise<string | null>[] = [];
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.sessions.setStepUp(cached.id, h.clock.now());
        await tx.sessions.setStepUp(fresh.id, h.clock.now());
        // The checks arrive while the transaction is open; it waits on a timer, as a transaction
        // that awaits a worker or the network would, so the server answers in the meantime.
        during.push(stepUpAt(cached.cookie), stepUpAt(fresh.cookie));
        await new Promise((r) => setTimeout(r, 150));
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.deepEqual(await Promise.all(during), [null, null], 'answered from committed rows only');
    assert.deepEqual([await stepUpAt(cached.cookie), await stepUpAt(fresh.cookie)], [null, null], 'nothing uncommitted was cached');
  });

  it('while hashing is saturated, a login over HTTP is refused exactly as the Fastify route refuses it', async () => {
    // Hashes of about half a second each: the three logins below reach the queue one after
    // another (on PostgreSQL each first reserves its attempt), and with 0.1 s hashes the first
    // could be done before the third arrived, so the queue was never full at once.
    const hh = await startHarness({ HASH_THREADS: '1', HASH_MAX_QUEUED: '1', THROTTLE_ACCOUNT_LOCK_AFTER: '100', ARGON2_MEMORY_KIB: '131072', ARGON2_ITERATIONS: '10' });
    try {
      await hh.app.listen({ port: 0, host: '127.0.0.1' });
      const a = hh.app.server.address();
      const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/api/v1/login`;
      const acc = await hh.createAccount();
      const body = JSON.stringify({ loginId: acc.loginId, password: 'a wrong password' });
      const headers = { 'content-type': 'application/json', 'accept-language': 'ja' };
      // Three slow hashes fill the one thread (two handed over) and the one waiting place.
      const slow = Array.from({ length: 3 }, () => fetch(url, { method: 'POST', headers, body }));
      const saturated = () => {
        try {
          hh.runtime.ports.passwords.assertCapacity();
          return false;
        } catch {
          return true;
        }
      };
      for (let i = 0; i < 600 && !saturated(); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(saturated(), 'the hashing queue is full');
      const r = await compare(await hh.app.inject({ method: 'POST', url: '/api/v1/login', headers, payload: body }), await fetch(url, { method: 'POST', headers, body }));
      assert.deepEqual(r.fetched, r.injected);
      assert.equal(r.fetched.status, 503);
      assert.equal(JSON.parse(r.fetched.body).error.code, 'overloaded');
      assert.ok(Number(r.fetched.headers['retry-after']) > 0);
      // The connection stays usable after a refusal whose body was never read.
      const statuses = (await Promise.all(slow)).map((x) => x.status);
      assert.ok(statuses.every((s) => s === 401 || s === 503), `only 401 or 503: ${statuses}`);
      const again = await fetch(url, { method: 'POST', headers, body });
      assert.equal(again.status, 401, 'once the queue drains, logins are hashed again');
    } finally {
      await hh.close();
    }
  });
});
