/**
 * Two `mamori serve` processes on one database, as behind a load balancer at 09:00: the same
 * e-mailed code and the same TOTP code sent 50 times at once across both give exactly one session
 * each; failures counted on one process lock the login on the other; a logout on one is refused
 * at once by the other's session check, though its session cache would keep it for a minute;
 * 60 wrong confirmation codes for a change to how the customer logs in, across both, are judged
 * exactly five times.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { totpCode } from '../../src/crypto/totp';
import type { Harness } from '../support/harness';
import { postJson, twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe(`two processes, one database (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;

  twoProcessSuite({ SESSION_CACHE_MS: '60000', THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '9' }, (d) => ({ h, a, b } = d));

  const code = async (to: string) => {
    const m = await h.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes('認証コード'), 15_000);
    return /認証コード: (\d{6})/.exec(m.text)![1]!;
  };

  it('the same e-mailed code, 50 times at once on both processes: exactly one session', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    assert.equal(start.json.state, 'awaiting_code');
    const value = await code(c.emails[0]!);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/api/v1/login/code`, { flowId: start.json.flowId, code: value })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one session: ${statuses}`);
    assert.ok(statuses.every((s) => s < 500), `no 5xx: ${statuses}`);
  });

  it('the same TOTP code in 50 login attempts at once on both processes: exactly one session', async () => {
    const c = await h.createAccount({ totpSecret: SECRET });
    // Stay clear of a 30-second step boundary, so every attempt sees the same step.
    const into = Date.now() % 30_000;
    if (into > 22_000) await new Promise((r) => setTimeout(r, 30_500 - into));
    // Five logins at a time: a login ID has ten attempt slots, and a login holds one while it is checked.
    const flows = [];
    for (let i = 0; i < 50; i += 5) {
      flows.push(...(await Promise.all(Array.from({ length: 5 }, (_, j) => postJson(`${((i + j) % 2 ? a : b).url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword })))));
    }
    assert.ok(flows.every((f) => f.json.state === 'awaiting_totp'), JSON.stringify(flows.map((f) => f.status)));
    const now = totpCode(SECRET, new Date());
    const results = await Promise.all(flows.map((f, i) => postJson(`${(i % 2 ? a : b).url}/api/v1/login/totp`, { flowId: f.json.flowId, code: now })));
    const statuses = results.map((r) => r.status);
    assert.equal(results.filter((r) => r.json.state === 'done').length, 1, `one session: ${statuses}`);
    assert.ok(statuses.every((s) => s < 500), `no 5xx: ${statuses}`);
    assert.ok(results.some((r) => r.json.error?.code === 'totp_replayed'), 'the others are told the code was used');
  });

  it('failures counted on one process lock the login on the other', async () => {
    const c = await h.createAccount();
    for (let i = 0; i < h.config.throttle.accountLockAfter; i++) {
      const r = await postJson(`${(i % 2 ? a : b).url}/api/v1/login`, { loginId: c.loginId, password: `wrong ${i} password` });
      assert.equal(r.status, 401);
    }
    for (const p of [a, b]) {
      const r = await postJson(`${p.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
      assert.equal(r.status, 423, 'locked on both');
      assert.equal(r.json.error.code, 'login_locked');
    }
  });

  it('a logout on one process is refused at once by the other, despite its session cache', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const done = await postJson(`${a.url}/api/v1/login/code`, { flowId: start.json.flowId, code: await code(c.emails[0]!) });
    const auth = { authorization: `Bearer ${done.json.sessionToken}` };
    const check = (p: ServerProcess) => fetch(`${p.url}/api/v1/session`, { headers: auth }).then((r) => r.status);
    assert.equal(await check(b), 200, 'cached on b now');
    assert.equal(await check(b), 200);
    const out = await fetch(`${a.url}/api/v1/logout`, { method: 'POST', headers: auth });
    assert.equal(out.status, 204);
    // b's cache would keep the session for a minute: PostgreSQL tells b at commit (NOTIFY), on
    // SQLite b reads the change from the session_changes feed within a quarter of a second.
    const deadline = Date.now() + 1000;
    let status = await check(b);
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = await check(b);
    }
    assert.equal(status, 401);
  });

  it('60 wrong confirmation codes at once on both processes: exactly five judged, the right code refused after them', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const done = await postJson(`${a.url}/api/v1/login/code`, { flowId: start.json.flowId, code: await code(c.emails[0]!) });
    // The signed-in page scripts' credentials: the session, and the double-submit CSRF pair (same key on both processes).
    const csrf = randomBytes(16).toString('hex');
    const headers = (p: ServerProcess) => ({
      authorization: `Bearer ${done.json.sessionToken}`,
      cookie: `__Host-mamori_csrf=${csrf}`,
      'x-csrf-token': h.runtime.services.ports.keyed.hash('csrf', csrf),
      // The process's PUBLIC_URL (server-process.ts): the Origin check compares with it alone.
      origin: `http://localhost:${new URL(p.url).port}`,
    });
    const sent = await postJson(`${b.url}/account/passkeys/register/code`, {}, headers(b));
    assert.equal(sent.status, 200);
    const mail = await h.smtp.waitForMail((x) => x.to.includes(c.emails[0]!) && x.subject.includes('確認コードのお知らせ（パスキーの登録）'), 15_000);
    const right = /確認コード: (\d{6})/.exec(mail.text)![1]!;
    const wrong = right === '000000' ? '111111' : '000000';
    const options = (p: ServerProcess, confirmationCode: string) => postJson(`${p.url}/account/passkeys/register/options`, { tradingPassword: c.tradingPassword, confirmationCode }, headers(p));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => options(i % 2 ? a : b, wrong)));
    assert.deepEqual(results.filter((r) => r.status === 401).map((r) => r.json.error.code), Array(4).fill('code_invalid'));
    // The rest are refused without a comparison: tries spent, or (while five trading-password
    // checks run) told to retry.
    const refused = results.filter((r) => r.status !== 401).map((r) => r.json.error.code);
    assert.ok(refused.every((c) => c === 'code_attempts_exceeded' || c === 'too_many_requests'), String(refused));
    assert.ok(refused.includes('code_attempts_exceeded'));
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    assert.equal((await h.runtime.store.audit.listForAccount(account.id, 200)).filter((e) => e.type === 'reauthentication.failed').length, 5);
    const late = await options(a, right);
    assert.equal(late.status, 403);
    assert.equal(late.json.options, undefined, 'no registration ceremony after the limit');
  });
});
