/**
 * Support-API keys belong to operators (issue 18): each call acts with the key's operator's role
 * by the desk's own rules (viewer reads; operator asks; a supervisor other than the requester
 * approves four-eyes actions, which answer 202), every call is audited with the operator and key,
 * a revoked key or a disabled operator is refused by every process at once, and wrong keys stay
 * limited across processes. Two `mamori serve` processes on one database, real HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Harness } from '../support/harness';
import { send, sendJson, type Answer } from '../support/nginx';
import { twoProcessSuite, type ServerProcess } from '../support/server-process';
import { supportKeyFor } from '../support/support-keys';
import { recentAuditEvents, storeKind } from '../support/test-store';

/** A JST day a month from now: an exemption the domain accepts. */
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);

/** Every action route of the API, with a body it accepts, and whether it waits for a supervisor. */
const ACTIONS: { name: string; method: 'POST' | 'DELETE'; path: string; body?: () => Record<string, unknown>; fourEyes: boolean }[] = [
  { name: 'totp_reset', method: 'POST', path: 'totp/reset', fourEyes: true },
  { name: 'passkeys_reset', method: 'POST', path: 'passkeys/reset', fourEyes: true },
  { name: 'passkey_remove', method: 'DELETE', path: 'passkeys/:passkeyId', fourEyes: true },
  { name: 'password_reset_code', method: 'POST', path: 'login-password/reset-code', body: () => ({ by: 'mail' }), fourEyes: true },
  { name: 'exemption_grant', method: 'POST', path: 'passkey-exemption', body: () => ({ until: inAMonth() }), fourEyes: true },
  { name: 'login_unlock', method: 'POST', path: 'login/unlock', fourEyes: false },
  { name: 'trading_password_unlock', method: 'POST', path: 'trading-password/unlock', fourEyes: false },
  { name: 'password_change_required', method: 'POST', path: 'login-password/require-change', fourEyes: false },
  { name: 'sessions_end', method: 'POST', path: 'sessions/end', fourEyes: false },
  { name: 'passkeys_cancel_new', method: 'POST', path: 'passkeys/cancel-new', fourEyes: false },
  { name: 'exemption_revoke', method: 'DELETE', path: 'passkey-exemption', fourEyes: false },
  { name: 'country_exception_grant', method: 'POST', path: 'country-exceptions', body: () => ({ country: 'US', days: 3 }), fourEyes: false },
  { name: 'country_exception_remove', method: 'DELETE', path: 'country-exceptions/US', fourEyes: false },
];

describe(`support-API keys of operators, on two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  twoProcessSuite({ SUPPORT_API_PUBLIC: 'true' }, (d) => ({ h, a, b } = d));

  const call = (p: ServerProcess, key: string | null, method: string, path: string, body?: Record<string, unknown>, localAddress = '127.0.0.1'): Promise<Answer> => {
    const text = body ? JSON.stringify(body) : undefined;
    return send(`${p.url}${path}`, {
      method,
      localAddress,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) },
      body: text,
    });
  };
  /** The customer's one passkey, for the removal of a chosen one. */
  const passkeyIds = new Map<string, number>();
  const act = (p: ServerProcess, key: string, loginId: string, x: (typeof ACTIONS)[number]) =>
    call(p, key, x.method, `/api/v1/support/accounts/${loginId}/${x.path.replace(':passkeyId', String(passkeyIds.get(loginId) ?? 0))}`, { reason: '電話で本人確認済み', ...(x.body?.() ?? {}) });
  const customer = async () => {
    const { loginId } = await h.createAccount();
    const account = (await h.runtime.store.accounts.findByLoginId(loginId))!;
    const p = await h.runtime.store.passkeys.insert({ accountId: account.id, credentialId: `cred-${loginId}`, publicKey: 'AAAA', counter: 0, transports: [], name: 'iPhone', backedUp: false, createdAt: new Date('2026-01-01'), lastUsedAt: null });
    passkeyIds.set(loginId, p.id);
    return loginId;
  };
  const READS = (loginId: string) => [`/api/v1/support/accounts/${loginId}/risk`, '/api/v1/support/addresses/192.0.2.1', '/api/v1/support/requests'];

  it('a viewer reads and acts on nothing', async () => {
    const key = await supportKeyFor(h.runtime, 'matrix-viewer', 'viewer');
    const loginId = await customer();
    for (const path of READS(loginId)) assert.equal((await call(a, key, 'GET', path)).status, 200, path);
    for (const x of ACTIONS) {
      const res = await act(b, key, loginId, x);
      assert.equal(res.status, 403, `${x.name}: ${res.body}`);
      assert.equal(res.json().error.code, 'desk_denied', x.name);
    }
  });

  it('an operator reads, acts at once where the console does, and asks a supervisor for the rest (202 with the request)', async () => {
    const key = await supportKeyFor(h.runtime, 'matrix-operator', 'operator');
    const loginId = await customer();
    for (const path of READS(loginId)) assert.equal((await call(b, key, 'GET', path)).status, 200, path);
    for (const x of ACTIONS) {
      const res = await act(a, key, loginId, x);
      if (x.fourEyes) {
        assert.equal(res.status, 202, `${x.name}: ${res.body}`);
        assert.equal(res.json().request.state, 'pending');
        assert.equal(res.json().request.action, x.name);
      } else {
        // Authorised: the action ran (its own answer, e.g. 409 "not locked" for this customer), never a refusal by role.
        assert.notEqual(res.status, 403, `${x.name}: ${res.body}`);
        assert.ok(res.status < 500, `${x.name}: ${res.body}`);
      }
    }
    const pending = (await call(b, key, 'GET', '/api/v1/support/requests')).json().requests.filter((r: { loginId: string }) => r.loginId === loginId);
    assert.equal(pending.length, ACTIONS.filter((x) => x.fourEyes).length);
    // An operator decides nothing.
    const decide = await call(a, key, 'POST', `/api/v1/support/requests/${pending[0].id}/approve`, { reason: 'ok' });
    assert.equal(decide.status, 403, decide.body);
  });

  it("a supervisor approves another operator's request over the API; the requester never approves their own", async () => {
    const asker = await supportKeyFor(h.runtime, 'matrix-asker', 'supervisor');
    const other = await supportKeyFor(h.runtime, 'matrix-boss', 'supervisor');
    const loginId = await customer();
    const exemption = ACTIONS.find((x) => x.name === 'exemption_grant')!;
    const asked = await act(a, asker, loginId, exemption);
    assert.equal(asked.status, 202, asked.body);
    const id = asked.json().request.id as number;
    const own = await call(b, asker, 'POST', `/api/v1/support/requests/${id}/approve`, { reason: 'mine' });
    assert.equal(own.status, 403, own.body);
    assert.equal(own.json().error.code, 'desk_denied');
    const noReason = await call(b, other, 'POST', `/api/v1/support/requests/${id}/approve`, {});
    assert.equal(noReason.status, 400, noReason.body);
    const approved = await call(b, other, 'POST', `/api/v1/support/requests/${id}/approve`, { reason: '本人確認の記録を確認' });
    assert.equal(approved.status, 200, approved.body);
    assert.ok(approved.json().passkeyExemption.expiresAt);
    assert.equal(approved.json().operator, 'api:matrix-asker');
    assert.equal(approved.json().approvedBy, 'api:matrix-boss');
    assert.equal((await call(a, other, 'POST', `/api/v1/support/requests/${id}/approve`, { reason: 'again' })).status, 403, 'decided once');
    await h.mail((await h.runtime.store.emails.listForAccount((await h.runtime.store.accounts.findByLoginId(loginId))!.id))[0]!.address, 'パスキー登録の例外を登録しました');
    const events = await recentAuditEvents(h.runtime.store, 300);
    assert.ok(events.some((e) => e.type === 'passkey.exemption_granted' && e.loginId === loginId && e.operator === 'api:matrix-asker+matrix-boss'));
    const requested = events.find((e) => e.type === 'desk.requested' && e.loginId === loginId)!;
    assert.equal(requested.detail.via, 'api');
    assert.ok(Number(requested.detail.keyId) > 0);
    // Rejection through the API too.
    const again = await act(a, asker, loginId, ACTIONS.find((x) => x.name === 'totp_reset')!);
    const rejected = await call(b, other, 'POST', `/api/v1/support/requests/${again.json().request.id}/reject`, { reason: '確認不足' });
    assert.equal(rejected.status, 200, rejected.body);
    assert.equal(rejected.json().request.state, 'rejected');
  });

  it('every call is audited with the operator and the key', async () => {
    const key = await supportKeyFor(h.runtime, 'audited-op', 'viewer');
    const publicId = /^mamori_([0-9a-f]{12})_/.exec(key)![1];
    assert.equal((await call(a, key, 'GET', '/api/v1/support/addresses/192.0.2.7')).status, 200);
    const e = (await recentAuditEvents(h.runtime.store, 50)).find((x) => x.type === 'support.api_call' && x.operator === 'audited-op')!;
    assert.ok(e, 'audited');
    assert.equal(e.detail.publicId, publicId);
    assert.ok(Number(e.detail.keyId) > 0);
    assert.match(String(e.detail.call), /GET \/api\/v1\/support\/addresses/);
    assert.ok(!JSON.stringify(e).includes(key.slice(20)), 'never the key');
  });

  it('a revoked key and a disabled operator are refused by the other process at once, audited', async () => {
    const key = await supportKeyFor(h.runtime, 'leaver', 'operator');
    const second = await supportKeyFor(h.runtime, 'leaver', 'operator');
    const path = '/api/v1/support/addresses/192.0.2.8';
    assert.equal((await call(a, key, 'GET', path, undefined, '127.0.0.21')).status, 200);
    assert.equal((await call(b, key, 'GET', path, undefined, '127.0.0.21')).status, 200);
    const publicId = /^mamori_([0-9a-f]{12})_/.exec(key)![1]!;
    await h.runtime.services.desk.apiKeys.revoke(publicId, 'test');
    const revoked = await call(b, key, 'GET', path, undefined, '127.0.0.21');
    assert.equal(revoked.status, 403, revoked.body);
    assert.equal((await call(a, second, 'GET', path, undefined, '127.0.0.21')).status, 200, 'the other key still works');
    await h.runtime.services.desk.operators.disable('leaver', 'test');
    assert.equal((await call(b, second, 'GET', path, undefined, '127.0.0.21')).status, 403);
    assert.equal((await call(a, second, 'POST', `/api/v1/support/accounts/${await customer()}/login/unlock`, { reason: 'x' }, '127.0.0.21')).status, 403);
    const reasons = (await recentAuditEvents(h.runtime.store, 50)).filter((e) => e.type === 'support.key_rejected' && e.operator === 'leaver').map((e) => e.detail.reason);
    assert.deepEqual(reasons.sort(), ['disabled_operator', 'disabled_operator', 'revoked_key']);
  });

  it('60 wrong keys at once on two processes: exactly the limit is judged, the rest limited, every one audited', async () => {
    const right = await supportKeyFor(h.runtime, 'patient', 'operator');
    const before = (await recentAuditEvents(h.runtime.store, 2000)).filter((e) => e.type === 'support.key_rejected').length;
    // Half shaped like our keys (an unknown public id, or a known one with a wrong secret), half not.
    const known = /^mamori_([0-9a-f]{12})_/.exec(right)![1];
    const guesses = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `mamori_${known}_${'x'.repeat(42)}${i % 10}` : i % 3 === 1 ? `mamori_${String(i).padStart(12, '0')}_${'y'.repeat(43)}` : `guess-${i}`));
    const results = await Promise.all(guesses.map((g, i) => call(i % 2 ? a : b, g, 'GET', '/api/v1/support/addresses/192.0.2.9', undefined, '127.0.0.22')));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 403).length, 5, String(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, 55, String(statuses));
    const after = (await recentAuditEvents(h.runtime.store, 2000)).filter((e) => e.type === 'support.key_rejected').length;
    assert.equal(after - before, 60);
    assert.equal((await call(a, right, 'GET', '/api/v1/support/addresses/192.0.2.9', undefined, '127.0.0.22')).status, 429, 'limited, even the right key');
    assert.equal((await call(b, right, 'GET', '/api/v1/support/addresses/192.0.2.9', undefined, '127.0.0.23')).status, 200, 'another address is not');
  });

  it('POST without a body or with a key of another shape changes nothing', async () => {
    const res = await sendJson(`${a.url}/api/v1/support/accounts/x/login/unlock`, { reason: 'x' }, { localAddress: '127.0.0.24', headers: { authorization: 'Bearer ' } });
    assert.equal(res.status, 403);
  });
});
