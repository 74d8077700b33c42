/**
 * Mamori behind Debian's real nginx, configured with deploy/nginx/mamori-locations.conf — the one
 * file docs/integration.md tells operators to include — in front of a real `mamori serve` process
 * and a stand-in trading service that echoes the headers it receives. Clients connect from
 * distinct loopback addresses (Linux routes all of 127.0.0.0/8), so each has its own real address
 * while nginx is the one proxy hop.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { supportKeyFor } from '../support/support-keys';
import { nginxMissing, send, sendJson, startNginx, type RunningNginx } from '../support/nginx';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const IP_LOCK_AFTER = 20;

interface Stack {
  h: Harness;
  mamori: ServerProcess;
  nginx: RunningNginx;
  trading: Server;
  /** Requests the stand-in trading service received, with their headers. */
  tradingSaw: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

async function startStack(env: Record<string, string>): Promise<Stack> {
  const key = randomBytes(32).toString('hex');
  const h = await startHarness({ MAMORI_SECRET_KEY: key });
  const tradingSaw: Stack['tradingSaw'] = [];
  const trading = createServer((req, res) => {
    tradingSaw.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ headers: req.headers }));
  });
  await new Promise<void>((r) => trading.listen(0, '127.0.0.1', r));
  const tradingPort = (trading.address() as { port: number }).port;
  const mamori = await startServerProcess({
    DATABASE_URL: h.db.url,
    SMTP_URL: h.smtp.url,
    MAMORI_SECRET_KEY: key,
    THROTTLE_IP_LOCK_AFTER: String(IP_LOCK_AFTER),
    THROTTLE_ACCOUNT_LOCK_AFTER: '5',
    // Wrong passwords are slowed down from the third on; the slowdown is not what these tests prove.
    THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100',
    ...env,
  });
  const nginx = await startNginx({ mamori: mamori.url, trading: `http://127.0.0.1:${tradingPort}` });
  return {
    h,
    mamori,
    nginx,
    trading,
    tradingSaw,
    async close() {
      await nginx.stop();
      await mamori.stop();
      await new Promise((r) => trading.close(r));
      await h.close();
    },
  };
}

/** Signs in through nginx with ID, password and the e-mailed code; returns the session cookie. */
async function signIn(s: Stack, a: AccountSeed, localAddress: string, headers: Record<string, string> = {}): Promise<string> {
  const start = await sendJson(`${s.nginx.url}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword }, { localAddress, headers });
  assert.equal(start.status, 200, start.body);
  const mail = await s.h.smtp.waitForMail((m) => m.to.includes(a.emails[0]!) && m.subject.includes('認証コード'), 15_000);
  s.h.smtp.mails.splice(s.h.smtp.mails.indexOf(mail), 1);
  const code = /認証コード: (\d{6})/.exec(mail.text)![1]!;
  const done = await sendJson(`${s.nginx.url}/api/v1/login/code`, { flowId: start.json().flowId, code }, { localAddress, headers });
  assert.equal(done.status, 200, done.body);
  return `__Host-mamori_session=${done.json().sessionToken}`;
}

const wrongLogin = (s: Stack, loginId: string, localAddress: string, forwardedFor?: string) =>
  sendJson(`${s.nginx.url}/api/v1/login`, { loginId, password: 'not the password' }, { localAddress, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

describe(`the documented nginx set-up (${storeKind})`, { skip: nginxMissing }, () => {
  let s: Stack;
  let supportKey = '';
  before(async () => {
    // Even with the support API switched on for the public listener, nginx must not pass it on.
    s = await startStack({ TRUST_PROXY: '127.0.0.1', SUPPORT_API_PUBLIC: 'true' });
    supportKey = await supportKeyFor(s.h.runtime, 'sato');
  });
  after(async () => s?.close());

  it('a signed-in customer who forges identity headers reaches the trading service as themself only', async () => {
    const a = await s.h.createAccount();
    const b = await s.h.createAccount();
    const cookie = await signIn(s, a, '127.0.0.2');
    s.tradingSaw.length = 0;
    const res = await send(`${s.nginx.url}/trade/orders`, {
      localAddress: '127.0.0.2',
      headers: { cookie, 'X-Mamori-Login-Id': [b.loginId, b.loginId], X_Mamori_Login_Id: b.loginId, 'X-Mamori-Step-Up-At': new Date().toISOString() },
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(s.tradingSaw.length, 1);
    assert.equal(s.tradingSaw[0]!['x-mamori-login-id'], a.loginId, JSON.stringify(s.tradingSaw[0]));
    assert.ok(!JSON.stringify(s.tradingSaw[0]).includes(b.loginId), 'the forged login ID never reaches the trading service');
    assert.equal(s.tradingSaw[0]!['x-mamori-step-up-at'], undefined, 'other X-Mamori-* names are cleared');
  });

  it('how the customer got in reaches the trading service from Mamori only; step-up and trading-password verify work through nginx', async () => {
    const a = await s.h.createAccount();
    const localAddress = '127.0.0.3';
    let cookie = await signIn(s, a, localAddress);
    s.tradingSaw.length = 0;
    const res = await send(`${s.nginx.url}/trade/withdraw`, { localAddress, headers: { cookie, 'X-Mamori-Phishing-Resistant': 'true', 'X-Mamori-Auth-Methods': 'passkey' } });
    assert.equal(res.status, 200, res.body);
    assert.equal(s.tradingSaw[0]!['x-mamori-phishing-resistant'], 'false', 'a forged claim of a passkey is replaced by Mamori\'s answer');
    assert.equal(s.tradingSaw[0]!['x-mamori-auth-methods'], 'password,email_code');

    // The trading service sends the customer to /step-up (Mamori's page through the same host).
    const page = await send(`${s.nginx.url}/step-up?purpose=withdrawal&intent=w-1&return_to=/trade/withdraw`, { localAddress, headers: { cookie } });
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /出金の本人確認/);
    const sent = await sendJson(`${s.nginx.url}/api/v1/step-up/code`, { purpose: 'withdrawal' }, { localAddress, headers: { cookie } });
    assert.equal(sent.status, 200, sent.body);
    const mail = await s.h.smtp.waitForMail((m) => m.to.includes(a.emails[0]!) && m.subject.includes('確認コードのお知らせ（出金）'), 15_000);
    const code = /確認コード: (\d{6})/.exec(mail.text)![1]!;
    const done = await sendJson(`${s.nginx.url}/api/v1/step-up/verify`, { purpose: 'withdrawal', intent: 'w-1', code }, { localAddress, headers: { cookie } });
    assert.equal(done.status, 200, done.body);
    cookie = String(([] as string[]).concat(done.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-mamori_session='))).split(';')[0]!;
    const consume = () => sendJson(`${s.nginx.url}/api/v1/step-up/consume`, { purpose: 'withdrawal', intent: 'w-1' }, { headers: { cookie } });
    assert.equal((await consume()).status, 200);
    assert.equal((await consume()).status, 403);
    const verify = await sendJson(`${s.nginx.url}/api/v1/trading-password/verify`, { tradingPassword: a.tradingPassword }, { headers: { cookie } });
    assert.equal(verify.status, 200, verify.body);
  });

  it('without a session, forged identity headers are sent to the login page and never reach the trading service', async () => {
    const b = await s.h.createAccount();
    s.tradingSaw.length = 0;
    const res = await send(`${s.nginx.url}/trade/orders`, { localAddress: '127.0.0.2', headers: { 'X-Mamori-Login-Id': b.loginId } });
    assert.equal(res.status, 303);
    assert.equal(new URL(String(res.headers.location), s.nginx.url).pathname, '/login');
    assert.equal(s.tradingSaw.length, 0);
  });

  it('the support API is not reachable through the proxy, with or without a key', async () => {
    const a = await s.h.createAccount();
    for (const authorization of [`Bearer ${supportKey}`, 'Bearer wrong']) {
      const res = await sendJson(`${s.nginx.url}/api/v1/support/accounts/${a.loginId}/totp/reset`, { reason: '電話で本人確認済み' }, { headers: { authorization } });
      assert.equal(res.status, 404, res.body);
    }
    const odd = await sendJson(`${s.nginx.url}/api/v1//support/accounts/${a.loginId}/totp/reset`, { reason: 'x' }, { headers: { authorization: `Bearer ${supportKey}` } });
    assert.equal(odd.status, 404, odd.body);
  });
});

// TRUST_PROXY as a list of proxy addresses, and as a hop count: both take the address nginx saw.
for (const trust of ['127.0.0.1', '1']) {
  describe(`client addresses behind nginx with TRUST_PROXY=${trust} (${storeKind})`, { skip: nginxMissing }, () => {
    let s: Stack;
    before(async () => {
      s = await startStack({ TRUST_PROXY: trust });
    });
    after(async () => s?.close());

    it('a client that writes a new X-Forwarded-For on each wrong login is still blocked by the per-address lock', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 120; i++) {
        statuses.push((await wrongLogin(s, `nobody${i}`, '127.0.0.2', `198.51.100.${i}`)).status);
      }
      assert.deepEqual(statuses.slice(0, IP_LOCK_AFTER), Array(IP_LOCK_AFTER).fill(401));
      assert.deepEqual(statuses.slice(IP_LOCK_AFTER), Array(120 - IP_LOCK_AFTER).fill(429));
      // Another client is not affected.
      assert.equal((await wrongLogin(s, 'nobody', '127.0.0.9')).status, 401);
    });

    it('a burst of 60 at once with forged addresses is counted against the one real address', async () => {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => wrongLogin(s, `burst${i}`, '127.0.0.6', `203.0.113.${i}`)));
      const statuses = results.map((r) => r.status);
      assert.ok(statuses.every((x) => x === 401 || x === 429), `401 or 429 only: ${statuses}`);
      assert.equal((await wrongLogin(s, 'after-burst', '127.0.0.6', '203.0.113.200')).status, 429);
      const store = s.h.runtime.store;
      assert.ok((await store.throttle.get('ip:127.0.0.6'))!.failures >= IP_LOCK_AFTER);
      for (let i = 0; i < 60; i++) assert.equal(await store.throttle.get(`ip:203.0.113.${i}`), undefined, 'no counter for a forged address');
    });

    it("a stranger who forges the customer's address does not block the customer", async () => {
      const a = await s.h.createAccount();
      for (let i = 0; i < IP_LOCK_AFTER + 5; i++) await wrongLogin(s, `stranger${i}`, '127.0.0.3', '127.0.0.4');
      const start = await sendJson(`${s.nginx.url}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword }, { localAddress: '127.0.0.4' });
      assert.equal(start.status, 200, start.body);
      assert.equal(start.json().state, 'awaiting_code');
    });

    it('text written into X-Forwarded-For never reaches the audit log, the mails or ログイン履歴', async () => {
      const junk = 'https://evil.example/login?x=1';
      const a = await s.h.createAccount();
      const account = (await s.h.runtime.store.accounts.findByLoginId(a.loginId))!;
      await s.h.runtime.store.emails.setLoginNotification(account.id, 1, true);
      const cookie = await signIn(s, a, '127.0.0.5', { 'x-forwarded-for': junk });
      const notice = await s.h.smtp.waitForMail((m) => m.to.includes(a.emails[0]!) && m.subject.includes('ログインのお知らせ'), 15_000);
      for (let i = 0; i < 5; i++) assert.equal((await wrongLogin(s, a.loginId, '127.0.0.7', junk)).status, 401);
      const lock = await s.h.smtp.waitForMail((m) => m.to.includes(a.emails[0]!) && m.subject.includes('ログインを一時的に制限しました'), 15_000);

      assert.match(notice.text, /IPアドレス: 127\.0\.0\.5$/m);
      assert.match(lock.text, /最後の試行元IPアドレス: 127\.0\.0\.7$/m);
      for (const m of [notice, lock]) assert.ok(!m.text.includes('evil'), m.text);

      // Every event a request caused (account creation by the test has no address) names the real one.
      const events = (await s.h.runtime.store.audit.listForAccount(account.id, 50)).filter((e) => e.type !== 'account.created');
      assert.ok(events.length >= 6);
      assert.deepEqual(new Set(events.map((e) => e.ip)), new Set(['127.0.0.5', '127.0.0.7']));

      const page = await send(`${s.nginx.url}/account/security`, { localAddress: '127.0.0.5', headers: { cookie, 'x-forwarded-for': junk } });
      assert.equal(page.status, 200);
      assert.match(page.body, /127\.0\.0\.5/);
      assert.match(page.body, /127\.0\.0\.7/);
      assert.ok(!page.body.includes('evil'), 'ログイン履歴 shows no forged text');
    });
  });
}
