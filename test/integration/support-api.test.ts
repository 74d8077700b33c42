/**
 * The support desk's API is for operators, not the internet: by default the public listener
 * answers 404 for it, and it is served on SUPPORT_API_LISTEN (a private address). Every wrong or
 * missing key there is audited with the client's address (never the key) and limited per address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, sendJson } from '../support/nginx';
import { freePort, startTestServer, type RunningServer } from '../support/server';
import { supportKeyFor } from '../support/support-keys';
import { recentAuditEvents, storeKind } from '../support/test-store';

let KEY = '';
const WRONG = 'w'.repeat(40);

describe(`the support API on its own listener (${storeKind})`, () => {
  let s: RunningServer;
  let supportUrl: string;
  before(async () => {
    const port = await freePort();
    s = await startTestServer({ SUPPORT_API_LISTEN: `127.0.0.1:${port}` });
    KEY = await supportKeyFor(s.server.runtime, 'sato');
    supportUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => s?.stop());

  const createAccount = async (loginId: string) => {
    await s.server.runtime.services.accounts.create(
      { loginId, name: '群馬 五郎', emails: [`${loginId}@example.com`], loginPassword: 'correct horse battery', tradingPassword: 'trading staple 42' },
      'test',
    );
  };
  // An action that takes effect at once (a passkey reset now waits for a supervisor's approval).
  const reset = (base: string, loginId: string, key: string | null, localAddress = '127.0.0.1') =>
    sendJson(`${base}/api/v1/support/accounts/${loginId}/login/unlock`, { reason: '電話で本人確認済み' }, { localAddress, headers: key ? { authorization: `Bearer ${key}` } : {} });
  /** Let in: the key was accepted and the service answered (this account has no lock to lift). */
  const letIn = (r: { status: number; json(): any }) => r.status === 409 && r.json().error.code === 'flow_state';
  const rejections = async () => (await recentAuditEvents(s.server.runtime.store, 500)).filter((e) => e.type === 'support.key_rejected');

  it('the public listener answers 404 for the support API, even with the right key', async () => {
    await createAccount('support-public');
    const res = await reset(s.server.url, 'support-public', KEY);
    assert.equal(res.status, 404, res.body);
    assert.equal(res.json().error.code, 'not_found');
  });

  it('the private listener serves the support API and nothing else', async () => {
    await createAccount('support-private');
    const res = await reset(supportUrl, 'support-private', KEY);
    assert.ok(letIn(res), res.body);
    for (const path of ['/login', '/api/v1/session', '/account/security']) assert.equal((await send(`${supportUrl}${path}`)).status, 404, path);
  });

  it('wrong and missing keys are refused, audited with the address (never the key) and limited per address', async () => {
    await createAccount('support-guessed');
    const before = (await rejections()).length;
    const statuses: number[] = [];
    for (const key of [WRONG, null, 'short', WRONG + '1', WRONG + '2']) statuses.push((await reset(supportUrl, 'support-guessed', key, '127.0.0.2')).status);
    assert.deepEqual(statuses, [403, 403, 403, 403, 403]);
    const limited = await reset(supportUrl, 'support-guessed', WRONG, '127.0.0.2');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.json().error.code, 'too_many_requests');
    // Limited: even the right key from this address waits; another address is not affected.
    assert.equal((await reset(supportUrl, 'support-guessed', KEY, '127.0.0.2')).status, 429);
    assert.ok(letIn(await reset(supportUrl, 'support-guessed', KEY, '127.0.0.3')));

    const events = (await rejections()).slice(0, (await rejections()).length - before);
    // Five judged wrong keys, then two refused unjudged while limited (a wrong key and the right one).
    assert.equal(events.length, 7, 'every refused request is audited');
    assert.equal(events.filter((e) => e.detail.reason === 'limited').length, 2);
    for (const e of events) {
      assert.equal(e.ip, '127.0.0.2');
      assert.ok(!JSON.stringify(e).includes(WRONG.slice(0, 20)), 'the presented key is never recorded');
    }
  });

  it('30 wrong keys at once: exactly the limit is judged 403, the rest 429, every one audited', async () => {
    const before = (await rejections()).length;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => reset(supportUrl, 'nobody', `${WRONG}${i}`, '127.0.0.4')));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((x) => x === 403).length, 5, String(statuses));
    assert.equal(statuses.filter((x) => x === 429).length, 25, String(statuses));
    assert.equal((await rejections()).length - before, 30);
    assert.equal((await reset(supportUrl, 'nobody', KEY, '127.0.0.4')).status, 429);
  });
});
