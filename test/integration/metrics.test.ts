/** /metrics as Prometheus scrapes it: logins by result and method, codes, lockouts, outbox, hash queue, session checks, latency. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { freePort, startTestServer } from '../support/server';
import { storeKind } from '../support/test-store';

const TOKEN = 'm'.repeat(40);

describe(`metrics (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ METRICS_TOKEN: TOKEN });
  });
  after(async () => h.close());

  const scrape = async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/plain/);
    return res.body;
  };
  const value = (body: string, series: string) => {
    const line = body.split('\n').find((l) => l.startsWith(series + ' '));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('needs the token when one is configured', async () => {
    assert.equal((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    assert.equal((await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } })).statusCode, 401);
  });

  it('counts logins by result and method, codes sent, lockouts, and times requests by route', async () => {
    const before = await scrape();
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    await h.browser().login(a.loginId, 'a wrong password here');
    for (let i = 0; i < 10; i++) await h.browser().login(a.loginId, `wrong ${i} password`);
    // The first check reads the database; the next ones within the cache's life are answered from memory.
    h.runtime.services.sessions.cache.clear();
    const beforeChecks = await scrape();
    for (let i = 0; i < 3; i++) await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });
    const after = await scrape();
    const delta = (series: string) => value(after, series) - value(before, series);
    assert.equal(delta('mamori_logins_total{result="success",method="email_code"}'), 1);
    assert.ok(delta('mamori_logins_total{result="invalid_credentials",method="password"}') >= 10);
    assert.equal(delta('mamori_codes_sent_total'), 1);
    assert.equal(delta('mamori_lockouts_total{kind="login"}'), 1);
    assert.ok(value(after, 'mamori_security_events_total{type="login.code_sent"}') >= 1);
    assert.match(after, /mamori_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/session",status="200"\}/);
    assert.match(after, /^mamori_outbox_depth \d+$/m);
    assert.match(after, /^mamori_outbox_oldest_age_seconds [\d.]+$/m);
    assert.match(after, /^mamori_hash_queue_depth 0$/m);
    assert.match(after, /^mamori_overload_rejections_total 0$/m);
    const checks = (answer: string) => value(after, `mamori_session_checks_total{answer="${answer}"}`) - value(beforeChecks, `mamori_session_checks_total{answer="${answer}"}`);
    assert.deepEqual([checks('database'), checks('cache')], [1, 2]);
    // Past the cache's time, the next check reads the session's row again: on SQLite by id (`reread`).
    h.clock.advance(h.runtime.config.session.cacheMs + 1);
    await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });
    const later = await scrape();
    const since = (answer: string) => value(later, `mamori_session_checks_total{answer="${answer}"}`) - value(after, `mamori_session_checks_total{answer="${answer}"}`);
    assert.deepEqual([since('reread'), since('database')], storeKind === 'sqlite' ? [1, 0] : [0, 1]);
    assert.match(after, /^mamori_process_resident_memory_bytes \d+/m);
    assert.doesNotMatch(after, new RegExp(a.loginId), 'no login IDs in labels');
  });

  it('counts an unknown login ID and a wrong password as the same series: no label tells them apart', async () => {
    const a = await h.createAccount();
    const series = (body: string) => new Set(body.split('\n').filter((l) => l.startsWith('mamori_logins_total{')).map((l) => l.split(' ')[0]!));
    const start = await scrape();
    await h.browser().login(`nobody-${a.loginId}`, 'a wrong password here');
    const afterUnknown = await scrape();
    await h.browser().login(a.loginId, 'a wrong password here');
    const afterWrong = await scrape();
    const changed = (x: string, y: string) => [...series(y)].filter((k) => value(y, k) !== value(x, k));
    assert.deepEqual(changed(start, afterUnknown), ['mamori_logins_total{result="invalid_credentials",method="password"}']);
    assert.deepEqual(changed(afterUnknown, afterWrong), changed(start, afterUnknown), 'the same series moved for both');
    assert.doesNotMatch(afterWrong, /unknown_login_id|wrong_password/);
  });
});

describe(`metrics on a private listener, METRICS_LISTEN (${storeKind})`, () => {
  it('serves /metrics only there; the main listener answers 404', async () => {
    const port = await freePort();
    const s = await startTestServer({ METRICS_LISTEN: `127.0.0.1:${port}` });
    try {
      assert.equal(s.server.metricsUrl, `http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^mamori_hash_queue_depth \d+$/m);
      assert.equal((await fetch(`http://127.0.0.1:${port}/login`)).status, 404, 'nothing else on the private listener');
      const main = await fetch(`${s.url}/metrics`);
      assert.equal(main.status, 404);
      assert.doesNotMatch(await main.text(), /mamori_/);
    } finally {
      await s.stop();
    }
  });

  it('still needs the token there when one is configured', async () => {
    const port = await freePort();
    const token = 'f3b1c9e07a4d52866e1b0d9c3a7f4e2b5c8d1a6e9f0b3c7d';
    const s = await startTestServer({ METRICS_LISTEN: `127.0.0.1:${port}`, METRICS_TOKEN: token });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401);
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    } finally {
      await s.stop();
    }
  });
});
