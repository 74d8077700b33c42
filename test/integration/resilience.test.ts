import assert from 'node:assert/strict';
import { totpCode } from '../../src/crypto/totp';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`mail outages and overload (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  it('with the SMTP server down, login still answers and the code mail is delivered once it is back', async () => {
    const a = await h.createAccount();
    const regular = await h.createAccount();
    const first = (await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: regular.loginId, password: regular.loginPassword } })).json();
    const recognised = (await h.app.inject({ method: 'POST', url: '/api/v1/login/code', payload: { flowId: first.flowId, code: await h.codeFor(regular.emails[0]!) } })).json();

    h.smtp.setDown(true);
    const start = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: a.loginPassword } });
    assert.equal(start.statusCode, 200);
    assert.equal(start.json().state, 'awaiting_code');
    const failed = await h.runtime.worker.runOnce();
    assert.equal(failed.sent, 0);
    assert.ok(failed.failed >= 1);
    const stats = await h.runtime.store.outbox.pendingStats();
    assert.ok(stats.depth >= 1, 'the mail waits in the outbox');

    // A customer on a recognised device logs in normally throughout the outage.
    const during = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: regular.loginId, password: regular.loginPassword, deviceToken: recognised.deviceToken } });
    assert.equal(during.json().state, 'done');
    // So does a TOTP customer: no mail is needed.
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const t = await h.createAccount({ totpSecret: secret });
    const totpStart = (await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: t.loginId, password: t.loginPassword } })).json();
    assert.equal(totpStart.state, 'awaiting_totp');
    const totpDone = await h.app.inject({ method: 'POST', url: '/api/v1/login/totp', payload: { flowId: totpStart.flowId, code: totpCode(secret, h.clock.now()) } });
    assert.equal(totpDone.json().state, 'done', totpDone.body);
    // A customer waiting for a code is told, clearly, that sending is delayed.
    const w = await h.createAccount();
    const waiting = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: w.loginId, password: w.loginPassword } });
    assert.equal(waiting.json().mailDelayed, true);
    const page = await h.browser().login(w.loginId, w.loginPassword);
    assert.match(page.body, /ただいまメールの送信が遅れています/);

    h.smtp.setDown(false);
    h.clock.advance(10 * 60_000);
    const code = await h.codeFor(a.emails[0]!);
    h.clock.advance(-10 * 60_000 + 1000);
    const done = await h.app.inject({ method: 'POST', url: '/api/v1/login/code', payload: { flowId: start.json().flowId, code } });
    assert.equal(done.statusCode, 200);
    await h.runtime.worker.runOnce();
    const row = await h.runtime.store.outbox.pendingStats();
    assert.equal(row.depth, 0, 'every queued mail went out once the server was back');
    const after = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: regular.loginId, password: regular.loginPassword } });
    assert.equal(after.json().mailDelayed, false, 'and the notice is gone');
  });

  it('when password hashing is saturated, extra logins get a fast 503 with Retry-After, never another 5xx', async () => {
    const hh = await startHarness({ HASH_THREADS: '1', HASH_MAX_QUEUED: '1', THROTTLE_ACCOUNT_LOCK_AFTER: '100', ARGON2_MEMORY_KIB: '65536', ARGON2_ITERATIONS: '3' });
    try {
      const a = await hh.createAccount();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => hh.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: a.loginId, password: `wrong ${i}` }, remoteAddress: `192.0.2.${i + 1}` })),
      );
      const statuses = results.map((r) => r.statusCode);
      const overloaded = results.filter((r) => r.statusCode === 503);
      assert.ok(overloaded.length > 0, `some are refused: ${statuses}`);
      for (const r of overloaded) {
        assert.equal(r.json().error.code, 'overloaded');
        assert.ok(Number(r.headers['retry-after']) > 0);
      }
      assert.ok(statuses.every((s) => s === 401 || s === 503), `only 401 or 503: ${statuses}`);
      // The session check needs no hashing and keeps answering.
      const check = await hh.app.inject({ method: 'GET', url: '/api/v1/session' });
      assert.equal(check.statusCode, 401);
    } finally {
      await hh.close();
    }
  });
});
