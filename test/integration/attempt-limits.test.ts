/**
 * Attacks on the attempt limits, as a stranger runs them: 60 guesses sent at once, spread over two
 * `mamori serve` processes on one database (one SQLite file, or PostgreSQL). Every limit must judge
 * exactly as many guesses as it allows — counted in the audit log, where each judged guess leaves
 * one record — and the right secret sent afterwards must be refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowIdOf } from '../../src/domain/login/login-flow';
import type { AuditType } from '../../src/domain/audit';
import type { AccountSeed, Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { postJson, twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const AT_ONCE = 60;

describe(`attempt limits hold under 60 guesses at once on two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  const lockAfter = 10;

  twoProcessSuite({
    THROTTLE_ACCOUNT_LOCK_AFTER: String(lockAfter),
    // The growing delay would only stretch the test; the limits are what is under test.
    THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100',
    // Every request comes from 127.0.0.1: keep the per-address block out of these cases.
    THROTTLE_IP_LOCK_AFTER: '100000',
    }, (d) => ({ h, a, b } = d));

  const server = (i: number) => (i % 2 ? a : b).url;
  const accountId = async (c: AccountSeed) => (await h.runtime.store.accounts.findByLoginId(c.loginId))!.id;
  const judged = async (c: AccountSeed, type: AuditType) => (await h.runtime.store.audit.listForAccount(await accountId(c), 500, [type])).length;
  const codeMail = async (to: string) => {
    const m = await h.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes('認証コード'), 15_000);
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    return /認証コード: (\d{6})/.exec(m.text)![1]!;
  };
  const wrongCode = (right: string, i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
  /** Mails with this subject that reached the address, after giving every process time to send. */
  const mailsAfterQuiet = async (to: string, subject: string) => {
    await h.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes(subject), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    return h.smtp.mails.filter((x) => x.to.includes(to) && x.subject.includes(subject)).length;
  };

  it('60 wrong passwords at once: exactly 10 are judged, the right one is then refused, one lock mail', async () => {
    const c = await h.createAccount();
    const results = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => postJson(`${server(i)}/api/v1/login`, { loginId: c.loginId, password: `wrong guess ${i}` })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, lockAfter, `judged: ${statuses}`);
    // The rest are refused unjudged: locked, or (while the ten are still being checked) told to retry.
    assert.ok(statuses.every((s) => s === 401 || s === 423 || s === 429), `refused unjudged: ${statuses}`);
    assert.equal(await judged(c, 'login.failed'), lockAfter);
    for (const p of [a, b]) {
      const right = await postJson(`${p.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
      assert.equal(right.status, 423, 'the right password is refused while locked');
    }
    assert.equal(await mailsAfterQuiet(c.emails[0]!, 'ログインを一時的に制限しました'), 1, 'one lock mail per lock');
  });

  it('60 wrong e-mailed codes at once on one login: exactly 5 are judged, the right code is then refused, the flow ends failed', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    assert.equal(start.json.state, 'awaiting_code');
    const right = await codeMail(c.emails[0]!);
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) => postJson(`${server(i)}/api/v1/login/code`, { flowId: start.json.flowId, code: wrongCode(right, i) })),
    );
    assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
    assert.equal(await judged(c, 'login.code_failed'), h.config.login.codeMaxAttempts);
    const late = await postJson(`${b.url}/api/v1/login/code`, { flowId: start.json.flowId, code: right });
    assert.equal(late.status, 403);
    assert.equal(late.json.error.code, 'code_attempts_exceeded');
    const flow = await h.runtime.store.loginFlows.find(flowIdOf(h.runtime.services.ports.keyed, start.json.flowId));
    assert.equal(flow?.state, 'failed');
  });

  it('wrong codes spread over many logins count against the login ID: 60 at once over 12 logins judge 10, then no login starts', async () => {
    const c = await h.createAccount();
    const flows: { flowId: string; code: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const start = await postJson(`${server(i)}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
      assert.equal(start.json.state, 'awaiting_code', `login ${i}: ${JSON.stringify(start.json)}`);
      flows.push({ flowId: start.json.flowId, code: await codeMail(c.emails[0]!) });
    }
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) => {
        const f = flows[i % flows.length]!;
        return postJson(`${server(i)}/api/v1/login/code`, { flowId: f.flowId, code: wrongCode(f.code, i) });
      }),
    );
    assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
    assert.equal(await judged(c, 'login.code_failed'), lockAfter);
    const again = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    assert.equal(again.status, 423, 'a new login does not start');
    const open = flows[0]!;
    const rightCode = await postJson(`${b.url}/api/v1/login/code`, { flowId: open.flowId, code: open.code });
    assert.equal(rightCode.status, 423, 'nor does a login already open finish, even with its right code');
    assert.equal(await mailsAfterQuiet(c.emails[0]!, 'ログインを一時的に制限しました'), 1);
  });

  it('60 wrong trading passwords at once: exactly 5 are judged, one lock, one mail; the right one is then refused and nothing changes', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const done = await postJson(`${a.url}/api/v1/login/code`, { flowId: start.json.flowId, code: await codeMail(c.emails[0]!) });
    assert.equal(done.json.state, 'done');
    const browser = new HttpBrowser();
    browser.useSession(done.json.sessionToken);
    assert.equal((await browser.get(`${a.url}/account/emails`)).status, 200);
    const csrf = browser.csrf();
    assert.ok(csrf, 'the page carries a CSRF field');
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        browser.post(`${server(i)}/account/emails/1/notification`, { loginNotification: 'on', tradingPassword: `wrong trading ${i}`, confirmationCode: '000000' }, csrf),
      ),
    );
    assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
    assert.equal(await judged(c, 'trading_password.failed'), 5);
    assert.equal(await judged(c, 'trading_password.locked'), 1);
    const right = await browser.post(`${b.url}/account/emails/1/notification`, { loginNotification: 'on', tradingPassword: c.tradingPassword, confirmationCode: '000000' }, csrf);
    assert.equal(right.status, 423);
    const emails = await h.runtime.store.emails.listForAccount(await accountId(c));
    assert.equal(emails.find((e) => e.slot === 1)?.loginNotification, false, 'the setting did not change');
    assert.equal(await mailsAfterQuiet(c.emails[0]!, '取引パスワード'), 1, 'one lock mail');
  });

  it('a stranger may open only so many passkey challenges a minute: 100 at once store 60', async () => {
    const browser = new HttpBrowser();
    await browser.get(`${a.url}/login`);
    const csrf = browser.csrf();
    const before = await countChallenges();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${server(i)}/login/passkey/options`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: browser.jar.header(), origin: `http://localhost:${new URL(server(i)).port}` },
          body: '{}',
        }).then((r) => r.status),
      ),
    );
    assert.equal(results.filter((s) => s === 200).length, h.config.throttle.challengesPerMinute, `accepted: ${results}`);
    assert.ok(results.every((s) => s === 200 || s === 429), `refused with 429: ${results}`);
    assert.equal((await countChallenges()) - before, h.config.throttle.challengesPerMinute);
  });

  async function countChallenges(): Promise<number> {
    const r = await h.runtime.store.db.selectFrom('webauthn_challenges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
});
