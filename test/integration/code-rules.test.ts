import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../src/domain/errors';
import type { LoginContext } from '../../src/domain/login/login-service';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const ctx = (deviceToken: string | null = null): LoginContext => ({ ip: '203.0.113.7', userAgent: 'test-agent', deviceToken });

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof DomainError && e.code === code);
}

describe(`e-mailed code rules (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  async function startCodeFlow() {
    const a = await h.createAccount();
    const step = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
    assert.equal(step.state, 'awaiting_code');
    const code = await h.codeFor(a.emails[0]!);
    return { a, handle: (step as { flowHandle: string }).flowHandle, code };
  }

  it('a code is valid 10 minutes only', async () => {
    const { handle, code } = await startCodeFlow();
    h.clock.advance(10 * 60_000 + 1000);
    await rejects(h.runtime.services.login.submitCode(handle, code, ctx()), 'code_expired');
  });

  it('the 6th try is refused even with the right code, and the flow is over', async () => {
    const { handle, code } = await startCodeFlow();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await rejects(h.runtime.services.login.submitCode(handle, wrong, ctx()), 'code_invalid');
    await rejects(h.runtime.services.login.submitCode(handle, wrong, ctx()), 'code_attempts_exceeded');
    await rejects(h.runtime.services.login.submitCode(handle, code, ctx()), 'code_attempts_exceeded');
  });

  it('a resend does not reset the failure count', async () => {
    const { a, handle, code } = await startCodeFlow();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) await rejects(h.runtime.services.login.submitCode(handle, wrong, ctx()), 'code_invalid');
    h.clock.advance(61_000);
    await h.runtime.services.login.resendCode(handle, ctx());
    const fresh = await h.codeFor(a.emails[0]!);
    await rejects(h.runtime.services.login.submitCode(handle, fresh === '000000' ? '111111' : '000000', ctx()), 'code_attempts_exceeded');
  });

  it('a code is single use', async () => {
    const { handle, code } = await startCodeFlow();
    const done = await h.runtime.services.login.submitCode(handle, code, ctx());
    assert.equal(done.state, 'done');
    await rejects(h.runtime.services.login.submitCode(handle, code, ctx()), 'flow_state');
  });

  it('a code from one login attempt never completes another', async () => {
    const first = await startCodeFlow();
    const step2 = await h.runtime.services.login.start({ loginId: first.a.loginId, password: first.a.loginPassword }, ctx());
    const handle2 = (step2 as { flowHandle: string }).flowHandle;
    const code2 = await h.codeFor(first.a.emails[0]!);
    if (code2 !== first.code) await rejects(h.runtime.services.login.submitCode(handle2, first.code, ctx()), 'code_invalid');
    await rejects(h.runtime.services.login.submitCode(first.handle, code2 === first.code ? '' : code2, ctx()), code2 === first.code ? 'invalid_input' : 'code_invalid');
  });

  it('a malformed code is a clear input error and uses up no try', async () => {
    const { handle, code } = await startCodeFlow();
    for (const bad of ['', '12345', '1234567', 'abcdef', '１２３\u0000４５', 'x'.repeat(100)]) {
      await rejects(h.runtime.services.login.submitCode(handle, bad, ctx()), 'invalid_input');
    }
    await rejects(h.runtime.services.login.submitCode(handle, 42 as unknown as string, ctx()), 'invalid_input');
    assert.equal((await h.runtime.services.login.submitCode(handle, code, ctx())).state, 'done');
  });

  it('the same code submitted 30 times at once yields exactly one session', async () => {
    const { handle, code } = await startCodeFlow();
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => h.runtime.services.login.submitCode(handle, code, ctx())));
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 1);
    // The others: the flow is done, or all of its tries were held by checks still running; none judged wrong.
    for (const r of results) if (r.status === 'rejected') assert.ok(['flow_state', 'too_many_requests'].includes((r.reason as DomainError).code), (r.reason as DomainError).code);
  });

  it('a login flow expires', async () => {
    const { handle, code } = await startCodeFlow();
    h.clock.advance(16 * 60_000);
    await rejects(h.runtime.services.login.submitCode(handle, code, ctx()), 'flow_expired');
    await rejects(h.runtime.services.login.submitCode('no-such-flow', code, ctx()), 'flow_not_found');
  });

  it('a recognised device expires after 90 days unused and is then asked for a code again', async () => {
    const { a, handle, code } = await startCodeFlow();
    const done = await h.runtime.services.login.submitCode(handle, code, ctx());
    const device = done.device!.token;
    h.clock.advance(89 * 86_400_000);
    const again = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx(device));
    assert.equal(again.state, 'done');
    h.clock.advance(91 * 86_400_000);
    const later = await h.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx(device));
    assert.equal(later.state, 'awaiting_code');
  });

  it('a device token of another customer does not count', async () => {
    const first = await startCodeFlow();
    const done = await h.runtime.services.login.submitCode(first.handle, first.code, ctx());
    const b = await h.createAccount();
    const step = await h.runtime.services.login.start({ loginId: b.loginId, password: b.loginPassword }, ctx(done.device!.token));
    assert.equal(step.state, 'awaiting_code');
  });

  it('before the configured start date no code is asked', async () => {
    const early = await startHarness({ ADDITIONAL_AUTH_FROM: '2030-01-01' });
    try {
      const a = await early.createAccount();
      const step = await early.runtime.services.login.start({ loginId: a.loginId, password: a.loginPassword }, ctx());
      assert.equal(step.state, 'done');
      assert.equal((step as { method: string }).method, 'password');
    } finally {
      await early.close();
    }
  });

  it('codes and tokens are stored only as keyed hashes', async () => {
    const { handle, code } = await startCodeFlow();
    const done = await h.runtime.services.login.submitCode(handle, code, ctx());
    const dump = JSON.stringify([
      await h.db.store.db.selectFrom('login_flows').selectAll().execute(),
      await h.db.store.db.selectFrom('sessions').selectAll().execute(),
      await h.db.store.db.selectFrom('recognized_devices').selectAll().execute(),
    ]);
    assert.ok(!dump.includes(handle));
    assert.ok(!dump.includes(done.session.token));
    assert.ok(!dump.includes(done.device!.token));
    assert.ok(!dump.includes(`"${code}"`));
  });
});
