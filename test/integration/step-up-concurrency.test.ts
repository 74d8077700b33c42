/**
 * The trading service's two checks under the 09:00 load, on two `mamori serve` processes sharing
 * one database: 60 consumes of one step-up grant at once give exactly one 200; 60 wrong trading
 * passwords at once are counted exactly five times, lock once and mail once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountSeed, Harness } from '../support/harness';
import { postJson, twoProcessSuite, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

describe(`step-up and trading password across two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  twoProcessSuite({ SESSION_CACHE_MS: '60000' }, (d) => ({ h, a, b } = d));

  const mailedCode = async (to: string, subject: string, label: string) => {
    const m = await h.smtp.waitForMail((x) => x.to.includes(to) && x.subject.includes(subject), 15_000);
    h.smtp.mails.splice(h.smtp.mails.indexOf(m), 1);
    return new RegExp(`${label}: (\\d{6})`).exec(m.text)![1]!;
  };

  async function appLogin(c: AccountSeed): Promise<string> {
    const start = await postJson(`${a.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const done = await postJson(`${b.url}/api/v1/login/code`, { flowId: start.json.flowId, code: await mailedCode(c.emails[0]!, '認証コード', '認証コード') });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    return done.json.sessionToken;
  }

  it('60 consumes of one grant at once on both processes: exactly one 200', async () => {
    const c = await h.createAccount();
    const token = await appLogin(c);
    const sent = await postJson(`${a.url}/api/v1/step-up/code`, { purpose: 'withdrawal' }, { authorization: `Bearer ${token}` });
    assert.equal(sent.status, 200, JSON.stringify(sent.json));
    const code = await mailedCode(c.emails[0]!, '確認コードのお知らせ（出金）', '確認コード');
    const done = await postJson(`${b.url}/api/v1/step-up/verify`, { purpose: 'withdrawal', intent: 'amt-1', code }, { authorization: `Bearer ${token}` });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const renewed = done.json.sessionToken;
    // The other process has the old token in its session cache for a moment (until it hears of the
    // renewal): even there, the old token cannot spend the grant.
    const old = await postJson(`${a.url}/api/v1/step-up/consume`, { purpose: 'withdrawal', intent: 'amt-1' }, { authorization: `Bearer ${token}` });
    assert.ok(old.status === 401 || old.status === 403, `${old.status}`);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/api/v1/step-up/consume`, { purpose: 'withdrawal', intent: 'amt-1' }, { cookie: `__Host-mamori_session=${renewed}` })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one grant spent: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 403).length, 59, `${statuses}`);
  });

  it('60 wrong trading passwords at once on both processes: exactly five counted, one lock, one mail', async () => {
    const c = await h.createAccount();
    const token = await appLogin(c);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postJson(`${(i % 2 ? a : b).url}/api/v1/trading-password/verify`, { tradingPassword: `wrong ${i}` }, { authorization: `Bearer ${token}` })),
    );
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 401 || s === 423 || s === 429), `${statuses}`);
    assert.equal(statuses.filter((s) => s === 401).length, 4, `${statuses}`);
    const account = (await h.runtime.store.accounts.findByLoginId(c.loginId))!;
    const events = await h.runtime.store.audit.listForAccount(account.id, 200);
    assert.equal(events.filter((e) => e.type === 'trading_password.failed').length, 5);
    assert.equal(events.filter((e) => e.type === 'trading_password.locked').length, 1);
    assert.equal((await postJson(`${a.url}/api/v1/trading-password/verify`, { tradingPassword: c.tradingPassword }, { authorization: `Bearer ${token}` })).status, 423);
    await h.smtp.waitForMail((m) => m.to.includes(c.emails[0]!) && m.subject.includes('取引パスワードのご利用を停止しました'), 15_000);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(h.smtp.mails.filter((m) => m.to.includes(c.emails[0]!) && m.subject.includes('取引パスワードのご利用を停止しました')).length, 1);
  });
});
