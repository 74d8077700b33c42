/**
 * A credential-stuffing wave on two `mamori serve` processes sharing one database: 60 failed
 * logins at once from one address (X-Forwarded-For from the trusted proxy), 45 distinct login
 * IDs among them. The distinct IDs are counted exactly, across both processes, and the source is
 * reported once; the next right password from that address needs the second step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Harness } from '../support/harness';
import { postJson, startTwoProcesses, type ServerProcess } from '../support/server-process';
import { recentAuditEvents, storeKind } from '../support/test-store';

const SOURCE = '198.51.100.200';
const WINDOW_MINUTES = 1440;

describe(`credential stuffing counted across two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  let deployment: Awaited<ReturnType<typeof startTwoProcesses>>;

  before(async () => {
    deployment = await startTwoProcesses({ TRUST_PROXY: '127.0.0.1', RISK_STUFFING_ADDRESS_IDS: '30', THROTTLE_WINDOW_MINUTES: String(WINDOW_MINUTES), THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100' });
    ({ h, a, b } = deployment);
  });
  after(async () => deployment?.close());

  it('60 failures at once, 45 distinct IDs: counted 45, one stuffing event, then the second step for a right password', async () => {
    const customer = await h.createAccount();
    const viaProxy = { 'x-forwarded-for': SOURCE };
    // The customer's recognised browser, from the same address, before the wave.
    const first = await postJson(`${a.url}/api/v1/login`, { loginId: customer.loginId, password: customer.loginPassword }, viaProxy);
    const mail = await h.smtp.waitForMail((m) => m.to.includes(customer.emails[0]!) && m.subject.includes('認証コード'), 15_000);
    const code = /認証コード: (\d{6})/.exec(mail.text)![1]!;
    const done = await postJson(`${a.url}/api/v1/login/code`, { flowId: first.json.flowId, code }, viaProxy);
    const deviceToken = done.json.deviceToken as string;

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/api/v1/login`, { loginId: `wave-${i % 45}`, password: 'from a leaked list' }, viaProxy)),
    );
    assert.ok(results.every((r) => r.status === 401), `every guess refused as wrong: ${results.map((r) => r.status)}`);
    const windowNumber = Math.floor(Date.now() / (WINDOW_MINUTES * 60_000));
    assert.equal(await h.runtime.store.riskCounters.count(`a:${SOURCE}`, windowNumber), 45);
    const sources = (await recentAuditEvents(h.runtime.store, 500)).filter((e) => e.type === 'risk.stuffing_source');
    assert.equal(sources.length, 1, 'reported once, by whichever process reached the limit');
    assert.equal(sources[0]!.detail.distinctLoginIds, 30);

    const next = await postJson(`${b.url}/api/v1/login`, { loginId: customer.loginId, password: customer.loginPassword, deviceToken }, viaProxy);
    assert.equal(next.json.state, 'awaiting_code', 'the recognised browser is not enough from a stuffing source');
  });
});
