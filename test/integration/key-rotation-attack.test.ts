/**
 * `mamori keys rotate` under a running server (issue 18): the rotation re-encrypts every TOTP
 * secret under a key the server does not hold. Before, the rotation succeeded and the customer's
 * next TOTP login got a bare 500 page. Now the rotation refuses while a serving process lacks the
 * new key and names it; forced, the customer gets a clear page (and API error), the desk an audit
 * event, and restarting the process with the new key mends it. Real HTTP, real processes.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../../src/crypto/totp';
import { startHarness, type Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { postJson, startServerProcess, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';
import { cliEnv, runMamori } from '../support/cli';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const keyId = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 8);

describe(`keys rotate under a running server (${storeKind})`, () => {
  let h: Harness;
  let server: ServerProcess | null = null;
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  // Not spawnSync: a blocked event loop misses the server closing idle keep-alive sockets, and the next fetch fails.
  const mamori = (args: string[]) => runMamori(args, cliEnv(h.db.url, newKey, { MAMORI_OLD_SECRET_KEYS: oldKey }));
  const sealedKeyOf = async (loginId: string) => (await h.runtime.store.accounts.findByLoginId(loginId))!.totpSecretSealed!.split('.')[1];

  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: oldKey });
    server = await startServerProcess({ DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: oldKey });
  });
  after(async () => {
    await server?.stop();
    await h.close();
  });

  it('refuses while the server lacks the new key; forced, the TOTP login gets a clear page and API error and an audit event, never a 500; a restart mends it', async () => {
    const a = await h.createAccount({ totpSecret: SECRET });
    assert.equal(await sealedKeyOf(a.loginId), keyId(oldKey));

    const refused = await mamori(['keys', 'rotate']);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /Key rotation refused/);
    assert.match(refused.stderr, new RegExp(`process ${server!.child.pid} on \\S+, started \\S+, keys ${keyId(oldKey)}`));
    assert.match(refused.stderr, /--force/);
    assert.equal(await sealedKeyOf(a.loginId), keyId(oldKey), 'nothing was re-encrypted');

    const forced = await mamori(['keys', 'rotate', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, new RegExp(`restart them now with MAMORI_SECRET_KEY=${keyId(newKey)}:\\n  - process ${server!.child.pid} `));
    assert.match(forced.stdout, /re-encrypted [1-9]\d* TOTP secret\(s\) under key/);
    assert.equal(await sealedKeyOf(a.loginId), keyId(newKey));

    // The page: the password step, then the one-time password the server cannot check.
    const browser = new HttpBrowser();
    await browser.get(`${server!.url}/login`);
    const started = await browser.post(`${server!.url}/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(started.location, '/login/totp', `${started.status} ${started.body.slice(0, 200)}`);
    await browser.get(`${server!.url}/login/totp`);
    const page = await browser.post(`${server!.url}/login/totp`, { code: totpCode(SECRET, new Date()) });
    assert.equal(page.status, 503, page.body.slice(0, 300));
    assert.match(page.body, /ただいまワンタイムパスワードを確認できません。お客様の操作に誤りはありません/);
    assert.match(page.body, /<html/);

    // The API.
    const flow = await postJson(`${server!.url}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(flow.json.state, 'awaiting_totp', JSON.stringify(flow.json));
    const api = await postJson(`${server!.url}/api/v1/login/totp`, { flowId: flow.json.flowId, code: totpCode(SECRET, new Date()) });
    assert.equal(api.status, 503, JSON.stringify(api.json));
    assert.equal(api.json.error.code, 'secret_unreadable');
    assert.match(api.json.error.message, /ワンタイムパスワードを確認できません|cannot check one-time passwords/);

    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const events = (await h.runtime.store.audit.listForAccount(account.id, 20)).filter((e) => e.type === 'totp.secret_unreadable');
    assert.equal(events.length, 2);
    assert.deepEqual(events.map((e) => e.detail.keyId), [keyId(newKey), keyId(newKey)]);
    assert.equal(events[0]!.detail.during, 'login');
    assert.equal((await h.runtime.store.audit.listForAccount(account.id, 20)).filter((e) => e.type === 'login.totp_failed').length, 0, 'no wrong code is counted against the customer');

    // Restarted with the new key (and the old one), the server is no longer named and the login completes.
    await server!.stop();
    server = await startServerProcess({ DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: newKey, MAMORI_OLD_SECRET_KEYS: oldKey });
    const again = await mamori(['keys', 'rotate']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
    assert.match(again.stdout, /re-encrypted 0 TOTP secret/);
    const into = Date.now() % 30_000;
    if (into > 25_000) await new Promise((r) => setTimeout(r, 30_500 - into));
    const flow2 = await postJson(`${server!.url}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    const done = await postJson(`${server!.url}/api/v1/login/totp`, { flowId: flow2.json.flowId, code: totpCode(SECRET, new Date(Date.now() + 30_000)) });
    assert.equal(done.json.state, 'done', JSON.stringify(done.json));
  });
});
