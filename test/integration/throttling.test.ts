import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../src/domain/errors';
import type { LoginContext } from '../../src/domain/login/login-service';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const stranger: LoginContext = { ip: '198.51.100.66', userAgent: 'attacker', deviceToken: null };

describe(`throttling and lockout (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ THROTTLE_ACCOUNT_LOCK_AFTER: '5', THROTTLE_IP_LOCK_AFTER: '1000' });
  });
  after(async () => h.close());

  const attempt = (loginId: string, password: string, ctx: LoginContext) => h.runtime.services.login.start({ loginId, password }, ctx);

  it("a stranger's failures lock unrecognised browsers, mail the customer, and leave the customer's own browser working", async () => {
    const a = await h.createAccount();
    // The customer's everyday browser.
    const own: LoginContext = { ip: '192.0.2.10', userAgent: 'own browser', deviceToken: null };
    const first = await attempt(a.loginId, a.loginPassword, own);
    assert.equal(first.state, 'awaiting_code');
    const done = await h.runtime.services.login.submitCode((first as { flowHandle: string }).flowHandle, await h.codeFor(a.emails[0]!), own);
    own.deviceToken = done.device!.token;

    for (let i = 0; i < 5; i++) {
      await assert.rejects(attempt(a.loginId, 'guess' + i, stranger), (e: unknown) => (e as DomainError).code === 'invalid_credentials');
    }
    // Locked now for unrecognised browsers, even with the right password.
    await assert.rejects(attempt(a.loginId, a.loginPassword, stranger), (e: unknown) => (e as DomainError).code === 'login_locked');
    const lockMail = await h.mail(a.emails[0]!, 'ログインを一時的に制限しました');
    assert.match(lockMail.text, /198\.51\.100\.66/);

    // The customer's recognised browser is not locked.
    const mine = await attempt(a.loginId, a.loginPassword, own);
    assert.equal(mine.state, 'done');

    // After the lock period, unrecognised browsers may try again.
    h.clock.advance(31 * 60_000);
    const later = await attempt(a.loginId, a.loginPassword, stranger);
    assert.equal(later.state, 'awaiting_code');

    const events = (await h.runtime.store.audit.listForAccount((await h.runtime.store.accounts.findByLoginId(a.loginId))!.id, 50)).map((e) => e.type);
    assert.ok(events.includes('login.locked'));
    assert.ok(events.includes('login.failed'));
  });

  it("a correct password clears the browser's earlier failures", async () => {
    const a = await h.createAccount();
    const own: LoginContext = { ip: '192.0.2.11', userAgent: 'own browser', deviceToken: null };
    const first = await attempt(a.loginId, a.loginPassword, own);
    const done = await h.runtime.services.login.submitCode((first as { flowHandle: string }).flowHandle, await h.codeFor(a.emails[0]!), own);
    own.deviceToken = done.device!.token;
    const lockAfter = h.config.throttle.deviceLockAfter;
    for (let round = 0; round < 2; round++) {
      // One failure short of the recognised browser's lock, twice: locked only if the success in between did not reset.
      for (let i = 0; i < lockAfter - 1; i++) {
        await assert.rejects(attempt(a.loginId, 'typo' + i, own), (e: unknown) => (e as DomainError).code === 'invalid_credentials');
      }
      assert.equal((await attempt(a.loginId, a.loginPassword, own)).state, 'done');
    }
  });

  it('unknown login IDs lock the same way as real ones, so lockout reveals nothing', async () => {
    for (let i = 0; i < 5; i++) {
      await assert.rejects(attempt('ghost-user', 'guess' + i, stranger), (e: unknown) => (e as DomainError).code === 'invalid_credentials');
    }
    await assert.rejects(attempt('ghost-user', 'guess', stranger), (e: unknown) => (e as DomainError).code === 'login_locked');
  });

  it('many failures from one address block that address', async () => {
    const hh = await startHarness({ THROTTLE_IP_LOCK_AFTER: '4', THROTTLE_ACCOUNT_LOCK_AFTER: '100' });
    try {
      const ctx: LoginContext = { ip: '203.0.113.99', userAgent: 'bot', deviceToken: null };
      for (let i = 0; i < 4; i++) await assert.rejects(hh.runtime.services.login.start({ loginId: `someone${i}`, password: 'x' }, ctx));
      await assert.rejects(hh.runtime.services.login.start({ loginId: 'another', password: 'x' }, ctx), (e: unknown) => (e as DomainError).code === 'too_many_requests');
      const res = await hh.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId: 'x', password: 'y' }, remoteAddress: '203.0.113.99' });
      assert.equal(res.statusCode, 429);
      assert.ok(Number(res.headers['retry-after']) > 0);
    } finally {
      await hh.close();
    }
  });
});
