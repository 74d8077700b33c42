/**
 * Guessing a forgotten-password reset, as a stranger runs it: 60 guesses at once over two
 * processes, of the mailed code and of the trading password, are judged within the limits (each
 * try is reserved before it is compared), on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditType } from '../../src/domain/audit';
import type { AccountSeed, Harness } from '../support/harness';
import { postJson, twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const AT_ONCE = 60;

describe(`a password reset holds its limits under 60 guesses at once on two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  twoProcessSuite({ THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100', THROTTLE_IP_LOCK_AFTER: '100000' }, (d) => ({ h, a, b } = d));

  const server = (i: number) => (i % 2 ? a : b).url;
  const judged = async (c: AccountSeed, type: AuditType) => {
    const id = (await h.runtime.store.accounts.findByLoginId(c.loginId))!.id;
    return (await h.runtime.store.audit.listForAccount(id, 500, [type])).length;
  };
  const codeMail = async (to: string) => {
    const m = await h.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes('再設定の確認コード'), 15_000);
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    return /確認コード: (\d{6})/.exec(m.text)![1]!;
  };

  it('60 wrong codes at once: the flow judges 5, then even the right code is refused', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/password-reset`, { loginId: c.loginId, identifier: c.emails[0] });
    assert.equal(start.status, 202);
    const right = await codeMail(c.emails[0]!);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const results = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => postJson(`${server(i)}/api/v1/password-reset/code`, { flowId: start.json.flowId, code: wrong(i) })));
    assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
    assert.equal(results.filter((r) => r.json.error?.code === 'code_invalid').length, h.config.login.codeMaxAttempts - 1);
    assert.equal(await judged(c, 'password_reset.code_failed'), h.config.login.codeMaxAttempts);
    const late = await postJson(`${b.url}/api/v1/password-reset/code`, { flowId: start.json.flowId, code: right });
    assert.equal(late.json.error.code, 'code_attempts_exceeded');
  });

  it('60 wrong trading passwords at once: 5 are judged, the trading password locks, the password is unchanged', async () => {
    const c = await h.createAccount();
    const start = await postJson(`${a.url}/api/v1/password-reset`, { loginId: c.loginId, identifier: c.emails[0] });
    const verified = await postJson(`${b.url}/api/v1/password-reset/code`, { flowId: start.json.flowId, code: await codeMail(c.emails[0]!) });
    assert.equal(verified.json.next, 'password');
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        postJson(`${server(i)}/api/v1/password-reset/complete`, { flowId: start.json.flowId, tradingPassword: `trading guess ${i}`, newPassword: 'numata river terrace 5', newPasswordConfirmation: 'numata river terrace 5' }),
      ),
    );
    assert.ok(results.every((r) => r.status < 500), `no 5xx: ${results.map((r) => r.status)}`);
    assert.equal(await judged(c, 'trading_password.failed'), 5);
    const right = await postJson(`${a.url}/api/v1/password-reset/complete`, { flowId: start.json.flowId, tradingPassword: c.tradingPassword, newPassword: 'numata river terrace 5', newPasswordConfirmation: 'numata river terrace 5' });
    assert.equal(right.json.error.code, 'trading_password_locked');
    assert.equal((await postJson(`${b.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword })).status, 200, 'the login password is unchanged');
  });
});
