/**
 * Nothing expired piles up: the purger deletes expired login flows, challenges, pending codes,
 * old throttle rows, sessions past their absolute expiry, revoked browsers and old sent mail, in
 * batches, and keeps everything still alive, everything still locked, and the audit log.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Purger, DEFAULT_PURGE_RULES } from '../../src/domain/maintenance/purger';
import type { Database } from '../../src/store/schema';
import { openStore } from '../../src/store/open';
import { startHarness, type Harness } from '../support/harness';
import { startServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const HOUR = 3600_000;

describe(`purging expired rows (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ PURGE_BATCH_SIZE: '50' });
  });
  after(async () => h.close());

  const count = async (table: keyof Database) => {
    const r = await h.runtime.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const purgedMetric = async (table: string) => {
    const line = (await h.runtime.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`mamori_rows_purged_total{table="${table}"} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };
  const flow = (accountId: number, expiresAt: Date) => ({
    id: randomBytes(16).toString('hex'), accountId, state: 'awaiting_second_step' as const, methodsOpen: ['email_code'], methodShown: 'email_code', recognizedDeviceId: null, codeHash: null, codeExpiresAt: null,
    codeSentAt: null, codeAttempts: 0, codeSendCount: 0, codeEmailId: null, method: null, ip: '192.0.2.1', userAgent: 'test',
    createdAt: h.clock.now(), expiresAt, completedAt: null, riskNotice: null,
  });
  const challenge = (expiresAt: Date) => ({
    id: randomBytes(16).toString('hex'), purpose: 'login' as const, accountId: null, flowId: null, challenge: randomBytes(16).toString('base64url'),
    createdAt: h.clock.now(), expiresAt, usedAt: null,
  });

  it('removes rows past expiry in batches, keeps live and locked ones and the audit log, and counts them', async () => {
    const store = h.runtime.store;
    const t0 = h.clock.now().getTime();
    const a = await h.createAccount();
    const account = (await store.accounts.findByLoginId(a.loginId))!;
    // At t0: a signed-in browser (its session ends at t0 + 12 h; the browser stays recognised for 90 days)
    const early = await h.signedIn(a);
    // …and another one whose recognition the customer removed at once.
    await h.signedIn(a, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1');
    const devices = await store.devices.listForAccount(account.id);
    await store.devices.revokeForAccount(account.id, devices[0]!.id, h.clock.now());
    for (let i = 0; i < 120; i++) await store.loginFlows.insert(flow(account.id, new Date(t0 + 15 * 60_000)));
    for (let i = 0; i < 70; i++) await store.challenges.insert(challenge(new Date(t0 + 5 * 60_000)));
    await store.totpEnrollments.put({ accountId: account.id, kind: 'apply', secretSealed: 'x', attempts: 0, createdAt: new Date(t0), expiresAt: new Date(t0 + 15 * 60_000) });
    await store.addressChanges.put({ accountId: account.id, slot: 2, address: 'new@example.com', codeHash: 'x', attempts: 0, sendCount: 1, sentAt: new Date(t0), createdAt: new Date(t0), expiresAt: new Date(t0 + 15 * 60_000) });
    await h.browser().login(`ghost-${a.loginId}`, 'a wrong password');
    await store.throttle.recordFailure('test:locked', new Date(t0), new Date(t0 - 15 * 60_000));
    await store.throttle.lock('test:locked', new Date(t0 + 72 * HOUR), new Date(t0));
    // An account's consecutive-failure count (the hard cap) has no window: no age ends it, only a
    // success (so not this customer's, who logs in below).
    const dormant = `acct:dormant-${a.loginId}`;
    await store.throttle.recordFailure(dormant, new Date(t0), new Date(0));

    // Fourteen hours later: all of that is more than an hour past its expiry. Then live rows.
    h.clock.set(new Date(t0 + 14 * HOUR));
    const expiredFlows = await count('login_flows');
    const expiredChallenges = await count('webauthn_challenges');
    const late = await h.signedIn(a);
    await store.loginFlows.insert(flow(account.id, new Date(t0 + 14 * HOUR + 15 * 60_000)));
    await store.challenges.insert(challenge(new Date(t0 + 14 * HOUR + 5 * 60_000)));
    // A failure from the same address renews that address's row; the first ID's row stays expired.
    await h.browser().login(`ghost2-${a.loginId}`, 'a wrong password');
    const audit = await count('audit_events');
    const liveFlows = (await count('login_flows')) - expiredFlows;

    const pass = await h.runtime.purger.runOnce();

    assert.equal(pass.rows.login_flows, expiredFlows);
    assert.equal(pass.batches.login_flows, Math.floor(expiredFlows / 50) + 1, 'in batches of PURGE_BATCH_SIZE');
    assert.equal(await count('login_flows'), liveFlows);
    assert.equal(pass.rows.webauthn_challenges, expiredChallenges);
    assert.equal(await count('webauthn_challenges'), 1);
    assert.equal(pass.rows.totp_enrollments, 1);
    assert.equal(pass.rows.address_changes, 1);
    assert.equal(pass.rows.throttle, 1, "the first unknown ID's row; the address's row was renewed");
    assert.ok(await store.throttle.get('test:locked'), 'a locked throttle row stays, however old its window');
    assert.equal((await store.throttle.get(dormant))?.failures, 1, 'a consecutive-failure count stays, however old');
    assert.equal(
      await count('throttle'),
      1 + 2 + 3,
      "the locked row; two consecutive-failure counts (the dormant one, the first unknown ID's); the fresh failure's address, ID and count",
    );
    assert.equal(pass.rows.sessions, 2, 'the two sessions of t0, past their absolute expiry');
    assert.equal(pass.rows.recognized_devices, 1, 'the revoked browser');
    assert.equal(await count('audit_events'), audit, 'the audit log is never purged');
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: late.jar.header() } })).statusCode, 200, 'a live session still works');
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: early.jar.header() } })).statusCode, 401);
    assert.equal(await purgedMetric('login_flows'), expiredFlows);
    assert.equal(await purgedMetric('sessions'), 2);
    assert.equal((await h.runtime.purger.runOnce()).rows.login_flows, undefined, 'nothing left to purge');

    // Sent mail is kept a week, then goes; mail not yet sent stays.
    const mails = await count('outbox');
    h.clock.set(new Date(t0 + 7 * 24 * HOUR + 2 * HOUR));
    const week = await h.runtime.purger.runOnce();
    assert.ok((week.rows.outbox ?? 0) > 0 && (week.rows.outbox ?? 0) < mails, 'the mails of t0 went, those of t0 + 14 h stay');
    assert.equal(await count('audit_events'), audit);
  });

  it('two stores purging the same database at once both succeed and delete each row once', async () => {
    const a = await h.createAccount();
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const soon = new Date(h.clock.now().getTime() + 60_000);
    for (let i = 0; i < 600; i++) await h.runtime.store.loginFlows.insert(flow(account.id, soon));
    h.clock.advance(2 * HOUR);
    const expired = await count('login_flows');
    const other = openStore(h.db.url);
    try {
      const rules = { ...DEFAULT_PURGE_RULES, batchSize: 25, pauseMs: 1, throttleWindowMs: 15 * 60_000 };
      const purgers = [h.runtime.store, other].map((store) => new Purger({ store, clock: h.clock }, rules));
      const passes = await Promise.all(purgers.map((p) => p.runOnce()));
      assert.equal(passes.reduce((n, p) => n + (p.rows.login_flows ?? 0), 0), expired);
      assert.ok(passes.every((p) => (p.batches.login_flows ?? 0) >= 1));
      assert.equal(await count('login_flows'), 0);
    } finally {
      await other.close();
    }
  });

  it('two `mamori serve` processes purge on their own timers, together deleting every expired row once', async () => {
    const a = await h.createAccount();
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    // The servers run on the real clock: rows that expired two hours ago by it.
    const past = new Date(Date.now() - 2 * HOUR);
    for (let i = 0; i < 300; i++) await h.runtime.store.loginFlows.insert({ ...flow(account.id, past), createdAt: past });
    const env = { DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: randomBytes(32).toString('hex'), PURGE_INTERVAL_SECONDS: '1', PURGE_BATCH_SIZE: '20' };
    const servers = [await startServerProcess(env), await startServerProcess(env)];
    try {
      const remaining = async () => Number((await h.runtime.store.db.selectFrom('login_flows').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '<', past.getTime() + 1).executeTakeFirstOrThrow()).n);
      const deadline = Date.now() + 15_000;
      while ((await remaining()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await remaining(), 0);
      const purged = await Promise.all(
        servers.map(async (p) => {
          const line = (await (await fetch(`${p.url}/metrics`)).text()).split('\n').find((l) => l.startsWith('mamori_rows_purged_total{table="login_flows"} '));
          return line ? Number(line.split(' ')[1]) : 0;
        }),
      );
      assert.ok(purged.reduce((x, y) => x + y, 0) >= 300, `counted by the two processes: ${purged}`);
      for (const p of servers) assert.equal(p.child.exitCode, null, 'both still running');
    } finally {
      await Promise.all(servers.map((p) => p.stop()));
    }
  });
});
