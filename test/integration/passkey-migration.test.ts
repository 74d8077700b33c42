/**
 * The phishing-resistant migration (PASSKEY_REQUIRED_FROM with PASSKEY_POLICY=phishing-resistant):
 * the countdown before the date; from the date a customer without a passkey is held to passkey
 * registration on every path (pages, the JSON API with a bearer token, the session check the
 * trading service makes, with and without the fast path) until one is registered; exemptions from
 * the support desk (CLI and support API) keep the old second step, widen the login notice and
 * show the risk; the announcement command mails each customer once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startHarness, PUBLIC_URL, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { approvedByInject, supportKeyFor } from '../support/support-keys';
import { openRuntime } from '../../src/composition/open-runtime';
import { openStore } from '../../src/store/open';
import { buildApp } from '../../src/web/app';
import { send } from '../support/nginx';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { recentAuditEvents, storeKind } from '../support/test-store';

let KEY = ''; // the support API key of operator sato, made in `before`
const SECRET = randomBytes(32).toString('hex');
const ENV = { PASSKEY_POLICY: 'phishing-resistant', PASSKEY_REQUIRED_FROM: '2026-07-01', SUPPORT_API_PUBLIC: 'true', MAMORI_SECRET_KEY: SECRET };
const BEFORE = '2026-06-30T14:59:00Z'; // 23:59 JST the day before
const AFTER = '2026-07-01T01:00:00Z'; // 10:00 JST on the day

describe(`the phishing-resistant migration (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(ENV);
  });
  after(async () => h.close());
  beforeEach(() => h.clock.set(AFTER));

  const api = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
  const sessionCheck = (b: TestBrowser) => h.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } });

  async function appLogin(a: AccountSeed): Promise<{ sessionToken: string; passkeyEnrolmentRequired?: boolean }> {
    const post = (url: string, body: unknown) => h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const s = (await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).json();
    const d = await post('/api/v1/login/code', { flowId: s.flowId, code: await h.codeFor(a.emails[0]!) });
    assert.equal(d.statusCode, 200, d.body);
    return d.json();
  }

  async function registerPasskey(b: TestBrowser, a: AccountSeed): Promise<void> {
    const code = await h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    const start = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode: code });
    assert.equal(start.statusCode, 200, start.body);
    const { challengeId, options } = start.json();
    const { response } = new SoftAuthenticator(PUBLIC_URL, 'localhost').create(options);
    const done = await b.json('/account/passkeys/register/verify', { challengeId, credential: response, name: 'iPhone' });
    assert.equal(done.statusCode, 200, done.body);
  }

  it('before the date: every login page and the top page show the date and why, with a link to register; nothing is held', async () => {
    h.clock.set(BEFORE);
    const a = await h.createAccount();
    const b = h.browser();
    const login = await b.get('/login');
    assert.match(login.body, /data-passkey-migration="announce"/);
    assert.match(login.body, /2026年7月1日\(水\)から、ログインにパスキーが必要になります/);
    assert.match(login.body, /リアルタイムフィッシング/);
    assert.match(login.body, /<a href="\/account\/passkeys">ログインしてパスキーを登録する<\/a>/);
    await b.post('/login', { loginId: a.loginId, password: a.loginPassword });
    assert.match((await b.get('/login/code')).body, /data-passkey-migration="announce"/, 'the code step too');
    const done = await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
    assert.equal(done.statusCode, 303);
    const home = await b.get('/account');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /data-passkey-migration="announce"/);
    assert.match(home.body, /2026年7月1日\(水\)になる前に登録してください/);
    assert.match(home.body, /href="\/account\/passkeys"/);
    assert.equal((await b.get('/account/info')).statusCode, 200);
    assert.equal((await sessionCheck(b)).statusCode, 200);
    const en = await h.browser().get('/login?lang=en');
    assert.match(en.body, /From Wednesday, 1 July 2026, logging in will require a passkey/);
    // From the date, the login page no longer counts down.
    h.clock.set(AFTER);
    assert.doesNotMatch((await h.browser().get('/login')).body, /data-passkey-migration/);
  });

  it('from the date: pages go to registration, the API and the session check answer 403, until a passkey is registered', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    for (const path of ['/', '/account', '/account/info', '/account/security', '/account/emails', '/account/totp/apply']) {
      const res = await b.get(path);
      assert.equal(res.statusCode, 303, path);
      assert.equal(res.headers.location, '/account/passkeys', path);
    }
    const held = await b.get('/account/passkeys');
    assert.equal(held.statusCode, 200);
    assert.match(held.body, /data-passkey-migration="required"/);
    assert.match(held.body, /パスキーの登録が必要です/);
    assert.match((await b.get('/account/passkeys?lang=en')).body, /A passkey is required/, 'the language switch');
    await b.get('/account/passkeys?lang=ja');
    assert.equal((await b.get('/static/style.css')).statusCode, 200);
    // A form post elsewhere is refused the same way (nothing changes).
    const post = await b.post('/account/emails/1/notification', { tradingPassword: a.tradingPassword, on: '1' });
    assert.equal(post.statusCode, 303);
    assert.equal(post.headers.location, '/account/passkeys');
    const check = await sessionCheck(b);
    assert.equal(check.statusCode, 403);
    assert.equal(check.json().error.code, 'passkey_enrolment_required');
    assert.equal(check.headers['x-mamori-login-id'], undefined, 'forward-auth lets nothing through');
    assert.equal((await b.json('/api/v1/step-up/options', {})).json().error.code, 'passkey_enrolment_required');

    // The app's session (bearer) is held too, except on the app's registration endpoints and logout.
    const app = await appLogin(a);
    assert.equal(app.passkeyEnrolmentRequired, true);
    const bearerCheck = await api('GET', '/api/v1/session', app.sessionToken);
    assert.equal(bearerCheck.statusCode, 403);
    assert.equal(bearerCheck.json().error.code, 'passkey_enrolment_required');
    const stepUp = await api('POST', '/api/v1/step-up/options', app.sessionToken, {});
    assert.equal(stepUp.statusCode, 403);
    assert.equal(stepUp.json().error.code, 'passkey_enrolment_required');
    assert.notEqual((await api('POST', '/api/v1/passkeys/registration/options', app.sessionToken, {})).json().error?.code, 'passkey_enrolment_required');
    assert.ok((await recentAuditEvents(h.runtime.store, 50)).some((e) => e.type === 'login.succeeded' && e.loginId === a.loginId && e.detail.passkeyPending === true));

    // Registration is the one way on, and it lets every session of the account go.
    await registerPasskey(b, a);
    const home = await b.get('/account');
    assert.equal(home.statusCode, 200);
    assert.doesNotMatch(home.body, /data-passkey-migration/);
    assert.equal((await sessionCheck(b)).statusCode, 200);
    assert.equal((await api('GET', '/api/v1/session', app.sessionToken)).statusCode, 200, 'the app session too');
  });

  it('the session check through the fast path (a real listener) refuses a held session, then lets it in', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const held = await send(`${url}/api/v1/session`, { headers: { cookie: b.jar.header() } });
      assert.equal(held.status, 403);
      assert.equal(held.json().error.code, 'passkey_enrolment_required');
      assert.equal(held.headers['x-mamori-login-id'], undefined);
      await registerPasskey(b, a);
      const free = await send(`${url}/api/v1/session`, { headers: { cookie: b.jar.header() } });
      assert.equal(free.status, 200);
      assert.equal(free.headers['x-mamori-login-id'], a.loginId);
    } finally {
      await h.app.server.close();
    }
  });

  it('another process that cached the held answer lets the session in once a passkey is registered here', async () => {
    // A second process on the same database, with a session cache that would keep its answer a minute.
    const config = { ...h.config, session: { ...h.config.session, cacheMs: 60_000 } };
    const other = await openRuntime(config, { clock: h.clock, store: openStore(h.db.url), sleep: async () => undefined });
    const otherApp = buildApp({ config, services: other.services });
    try {
      const a = await h.createAccount();
      const b = await h.signedIn(a);
      const check = async () => (await otherApp.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: b.jar.header() } })).statusCode;
      assert.equal(await check(), 403);
      assert.equal(await check(), 403, 'cached there now');
      await registerPasskey(b, a);
      // PostgreSQL tells the other process at commit (NOTIFY); SQLite's feed is read four times a second.
      const deadline = Date.now() + 2000;
      let status = await check();
      while (status === 403 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = await check();
      }
      assert.equal(status, 200);
    } finally {
      await otherApp.close();
      await other.close();
    }
  });

  it('a customer with a passkey, and a session made before the date, are not held', async () => {
    h.clock.set('2026-06-30T14:58:00Z');
    const a = await h.createAccount();
    const early = await h.signedIn(a);
    h.clock.set('2026-06-30T15:01:00Z');
    assert.equal((await early.get('/account')).statusCode, 200, 'a session made before the date is not held');
    const again = await h.signedIn(a);
    assert.equal((await again.get('/account')).statusCode, 303, 'its next login is');
    await registerPasskey(again, a);
    const b = h.browser();
    assert.match((await b.login(a.loginId, a.loginPassword)).body, /data-passkey="second-factor"/, 'the passkey step now, as for any customer with one');
  });

  // A grant waits for a supervisor's approval (four-eyes): the setup approves it, as the desk does.
  const support = async (method: 'POST' | 'DELETE', loginId: string, body: unknown, key?: string) => {
    KEY ||= await supportKeyFor(h.runtime, 'sato');
    const asked = await h.app.inject({ method, url: `/api/v1/support/accounts/${loginId}/passkey-exemption`, headers: { authorization: `Bearer ${key ?? KEY}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return approvedByInject(h.app, h.runtime, asked);
  };

  it('an exemption from the support API lets a held session go, keeps the e-mailed code, mails every login and shows the risk; revoked, it holds again', async () => {
    const a = await h.createAccount();
    const b = await h.signedIn(a);
    assert.equal((await b.get('/account')).statusCode, 303);
    const bad = await support('POST', a.loginId, { reason: '端末なし', until: '2026-06-30' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'until');
    assert.equal((await support('POST', a.loginId, { until: '2026-07-31' })).json().error.field, 'reason');
    assert.equal((await support('POST', a.loginId, { reason: 'x', until: '2026-07-31' }, 'w'.repeat(40))).statusCode, 403);
    assert.equal((await support('POST', 'nobody-here', { reason: 'x', until: '2026-07-31' })).statusCode, 404);
    const granted = await support('POST', a.loginId, { reason: 'パスキー対応端末なし（電話で本人確認済み）', until: '2026-07-31' });
    assert.equal(granted.statusCode, 200, granted.body);
    assert.equal(granted.json().passkeyExemption.expiresAt, '2026-07-31T15:00:00.000Z');
    assert.equal(granted.json().operator, 'api:sato');
    const mailed = await h.mail(a.emails[0]!, 'パスキー登録の例外を登録しました');
    assert.match(mailed.text, /2026年7月31日\(金\)まで/);

    const home = await b.get('/account');
    assert.equal(home.statusCode, 200, 'the held session goes free at once');
    assert.match(home.body, /data-passkey-migration="exempt"/);
    assert.match(home.body, /リアルタイムフィッシングに弱く/);

    // Login notice off (the default), yet an exempt login is told to every verified address.
    const again = await h.signedIn(a);
    assert.equal((await again.get('/account')).statusCode, 200);
    // One mail for the login, whatever its first reason (here a browser new to the account), saying why it is sent.
    const told = await h.mail(a.emails[0]!, 'ログインがありました');
    assert.match(told.text, /パスキーの登録を免除されているため/);
    const events = await recentAuditEvents(h.runtime.store, 100);
    assert.ok(events.some((e) => e.type === 'passkey.exemption_granted' && e.operator === 'api:sato+approver' && e.loginId === a.loginId));

    // After the expiry the exemption no longer applies.
    h.clock.set('2026-07-31T15:00:00Z');
    assert.equal((await (await h.signedIn(a)).get('/account')).statusCode, 303);
    h.clock.set(AFTER);

    const revoked = await support('DELETE', a.loginId, { reason: '端末を購入されたため' });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal((await support('DELETE', a.loginId, { reason: 'again' })).statusCode, 404);
    assert.equal((await (await h.signedIn(a)).get('/account')).statusCode, 303, 'held again at the next login');
    assert.ok((await recentAuditEvents(h.runtime.store, 100)).some((e) => e.type === 'passkey.exemption_revoked' && e.operator === 'api:sato'));
  });

  const BIN = resolve('bin/mamori.js');
  const mamori = (args: string[]) => {
    const env = { ...process.env, LC_ALL: 'C.UTF-8', ...ENV, DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, PUBLIC_URL, NODE_ENV: 'test', LOG_LEVEL: 'silent', USER: 'ops1' };
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('exemptions by the CLI: add, list, revoke, audited; bad input is a clear error', async () => {
    const a = await h.createAccount();
    const until = new Date(Date.now() + 30 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const add = mamori(['exemptions', 'add', a.loginId, '--reason', '端末なし', '--operator', 'tanaka', '--until', until]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, new RegExp(`${a.loginId} is exempted from registering a passkey until ${until}`));
    const list = mamori(['exemptions', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${a.loginId}\tuntil ${until}\tin force\tgranted .* by tanaka\t端末なし`));
    assert.match(list.stdout, /exemptions? in force\n$/);
    assert.equal((await (await h.signedIn(a)).get('/account')).statusCode, 200, 'exempt: not held');
    const wrong = mamori(['exemptions', 'add', a.loginId, '--reason', 'x', '--operator', 'tanaka', '--until', '2020-01-01']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /invalid_input \(field: until, reason: past\)/);
    const revoke = mamori(['exemptions', 'revoke', a.loginId, '--reason', '登録済み', '--operator', 'tanaka']);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(mamori(['exemptions', 'list', '--all']).stdout, new RegExp(`${a.loginId}\tuntil ${until}\trevoked`));
    const events = await recentAuditEvents(h.runtime.store, 200);
    assert.ok(events.some((e) => e.type === 'passkey.exemption_granted' && e.operator === 'tanaka' && e.loginId === a.loginId));
    assert.ok(events.some((e) => e.type === 'passkey.exemption_revoked' && e.operator === 'tanaka' && e.loginId === a.loginId));
  });

  it('the announcement: a dry run sends nothing; the run mails each customer without a passkey once, over SMTP; a second run sends nothing', async () => {
    // The command runs on the wall clock (its own process): the mails it queues are due by it.
    h.clock.set(new Date());
    const withPasskey = await h.createAccount();
    await registerPasskey(await h.signedIn(withPasskey), withPasskey);
    const targets = [await h.createAccount(), await h.createAccount({ emails: [`two.${randomBytes(2).toString('hex')}@example.com`, `two.b.${randomBytes(2).toString('hex')}@example.com`] })];
    await h.runtime.worker.runOnce();
    h.smtp.mails.length = 0;
    const dry = mamori(['passkeys', 'announce', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run: the announcement would go to \d+ customers without a passkey \(\d+ mails\)/);
    await h.runtime.worker.runOnce();
    assert.equal(h.smtp.mails.filter((m) => m.subject.includes('パスキーが必要になります')).length, 0);

    const run = mamori(['passkeys', 'announce']);
    assert.equal(run.code, 0, run.stderr);
    const counted = /^The announcement was queued for (\d+) customers? without a passkey \((\d+) mails?;/.exec(run.stdout);
    assert.ok(counted, run.stdout);
    h.clock.set(new Date());
    const first = await h.mail(targets[0]!.emails[0]!, '2026年7月1日(水)からログインにパスキーが必要になります');
    assert.match(first.text, /金融庁の監督指針と日本証券業協会のガイドライン/);
    assert.doesNotMatch(first.text, /https?:\/\//, 'no link in the mail');
    for (const to of targets[1]!.emails) await h.mail(to, 'パスキーが必要になります');
    await h.runtime.worker.runOnce();
    const announced = h.smtp.mails.filter((m) => m.subject.includes('パスキーが必要になります'));
    assert.equal(announced.length, Number(counted[2]));
    assert.ok(!announced.some((m) => m.to.includes(withPasskey.emails[0]!)), 'not to a customer with a passkey');

    const second = mamori(['passkeys', 'announce']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^The announcement was queued for 0 customers without a passkey \(0 mails;/);
    await h.runtime.worker.runOnce();
    assert.equal(h.smtp.mails.filter((m) => m.subject.includes('パスキーが必要になります')).length, announced.length, 'nothing twice');
    assert.ok((await recentAuditEvents(h.runtime.store, 200)).some((e) => e.type === 'passkey.announcement_sent' && e.operator === 'cli:ops1'));
  });
});
