/**
 * Behaviour signals through real HTTP requests, the client address taken from X-Forwarded-For as
 * written by a trusted proxy (TRUST_PROXY=127.0.0.1, the address the injected requests come
 * from): real ranges of the shipped databases (SoftBank 126.0.0.0/8 and NTT 153.150.0.0/16 in
 * Japan, Comcast 24.0.0.0/12 in the US, 5.39.0.0 in France, NTT's 2400:4050::/32 for IPv6) and the documentation
 * ranges, which name no country. Time moves by the fake clock only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PUBLIC_URL, startHarness, type AccountSeed, type Harness } from '../support/harness';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { recentAuditEvents, storeKind } from '../support/test-store';

const JP_SOFTBANK = '126.0.0.1';
const JP_NTT = '153.150.0.1';
const JP_NTT_V6 = '2400:4050::1';
const US_COMCAST = '24.0.0.1';
const FR_ADDRESS = '5.39.0.1';
const DOC_V4 = '192.0.2.10';
const DOC_V6 = '2001:db8::10';
const METRICS_TOKEN = 'm'.repeat(40);
const DAY_MS = 24 * 3600_000;

type Answer = { status: number; json: Record<string, any> };

function client(h: Harness, ip: string) {
  return async (path: string, body: Record<string, unknown>): Promise<Answer> => {
    const res = await h.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, payload: JSON.stringify(body) });
    return { status: res.statusCode, json: res.json() };
  };
}

/** A login through the API from `ip`; answers the code step's mail when asked. */
async function login(h: Harness, a: AccountSeed, ip: string, deviceToken?: string): Promise<{ first: Answer; done: Answer }> {
  const post = client(h, ip);
  const token = deviceToken ? { deviceToken } : {};
  const first = await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword, ...token });
  if (first.json.state !== 'awaiting_code') return { first, done: first };
  const done = await post('/api/v1/login/code', { flowId: first.json.flowId, code: await h.codeFor(a.emails[0]!), ...token });
  return { first, done };
}

async function riskEvents(h: Harness) {
  return (await recentAuditEvents(h.runtime.store, 200)).filter((e) => e.type === 'login.risk' || e.type === 'risk.stuffing_source');
}

describe(`behaviour signals: countries, travel, stuffing, failures (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1', METRICS_TOKEN, RISK_STUFFING_ADDRESS_IDS: '5', RISK_AFTER_FAILURES: 'step_up', RISK_AFTER_FAILURES_COUNT: '3', RISK_CHANGE_PASSWORD: 'after_failures' });
    await h.runtime.services.networks.ready();
  });
  after(async () => h.close());

  it('the shipped data places real ranges, and documentation ranges nowhere', () => {
    const where = (ip: string) => h.runtime.services.riskDesk.where(ip).country;
    assert.equal(where(JP_SOFTBANK), 'JP');
    assert.equal(where(JP_NTT), 'JP');
    assert.equal(where(JP_NTT_V6), 'JP');
    assert.equal(where(US_COMCAST), 'US');
    // The data itself maps 2001:db8::/32 to JP and 203.0.113.0/24 to AU: special ranges are answered as unknown first.
    for (const ip of [DOC_V4, DOC_V6, '203.0.113.5', '198.51.100.7', '10.1.2.3', '127.0.0.1']) assert.equal(where(ip), null, ip);
  });

  it('a recognised browser from a country the account has not used is asked the second step; the decision is audited and shown', async () => {
    const a = await h.createAccount();
    const first = await login(h, a, JP_SOFTBANK);
    assert.equal(first.done.json.state, 'done');
    const device = first.done.json.deviceToken as string;
    h.clock.advance(24 * 3600_000);
    // Same country, another Japanese network, IPv6: the recognised browser goes straight in.
    assert.equal((await login(h, a, JP_NTT_V6, device)).first.json.method, 'recognized_device');
    h.clock.advance(24 * 3600_000);
    const abroad = await login(h, a, US_COMCAST, device);
    assert.equal(abroad.first.json.state, 'awaiting_code', 'the device cookie no longer suffices');
    assert.equal(abroad.done.json.state, 'done');
    const decision = (await riskEvents(h)).find((e) => e.accountId !== null && e.loginId === a.loginId)!;
    assert.deepEqual(decision.detail.signals, ['new_country']);
    assert.equal(decision.detail.action, 'step_up');
    assert.equal(decision.detail.country, 'US');
    assert.equal(decision.ip, US_COMCAST);

    const history = await h.runtime.services.security.loginHistory((await h.runtime.store.accounts.findByLoginId(a.loginId))!);
    const shown = history.find((e) => e.result === 'risk')!;
    assert.equal(shown.country, 'US');
    assert.deepEqual(shown.risk, { signals: ['new_country'], action: 'step_up' });
    assert.equal(history.find((e) => e.result === 'success' && e.ip === JP_SOFTBANK)?.country, 'JP');
    const desk = await h.runtime.services.riskDesk.decisions(a.loginId);
    assert.equal(desk[0]?.action, 'step_up');
    assert.deepEqual(desk[0]?.signals, ['new_country']);
  });

  it('ログイン履歴 shows the country and what was decided', async () => {
    const a = await h.createAccount();
    await login(h, a, JP_SOFTBANK);
    h.clock.advance(3 * 3600_000);
    await login(h, a, US_COMCAST);
    const b = await h.signedIn(a);
    const page = await b.get('/account/security');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /国・地域 \/ ネットワーク/);
    assert.match(page.body, /アメリカ合衆国/);
    assert.match(page.body, /日本/);
    assert.match(page.body, /確認: 追加認証を要求（最近ご利用のない国・地域）/);
  });

  it('two countries within the travel time: impossible travel; without a passkey the second step the customer has is asked', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, JP_NTT)).done.json.deviceToken as string;
    h.clock.advance(20 * 60_000);
    const far = await login(h, a, US_COMCAST, device);
    assert.equal(far.first.json.state, 'awaiting_code');
    const decision = (await riskEvents(h)).find((e) => e.loginId === a.loginId)!;
    assert.deepEqual([...(decision.detail.signals as string[])].sort(), ['impossible_travel', 'new_country']);
    assert.equal(decision.detail.action, 'step_up', 'passkey asked for, none registered: the e-mailed code');
  });

  it('documentation addresses raise no country signal (no baseline, no country)', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, DOC_V4)).done.json.deviceToken as string;
    h.clock.advance(10 * 60_000);
    assert.equal((await login(h, a, DOC_V6, device)).first.json.method, 'recognized_device');
    assert.equal((await riskEvents(h)).filter((e) => e.loginId === a.loginId).length, 0);
  });

  it('one address failing with many login IDs is a stuffing source: its next right password needs the second step; other addresses do not', async () => {
    const source = '198.51.100.77';
    const a = await h.createAccount();
    const device = (await login(h, a, source)).done.json.deviceToken as string;
    const post = client(h, source);
    for (let i = 0; i < 6; i++) {
      const r = await post('/api/v1/login', { loginId: `stuffed${i}x`, password: 'leaked password 1' });
      assert.equal(r.status, 401);
    }
    // The same ID again adds nothing: distinct IDs are counted.
    await post('/api/v1/login', { loginId: 'stuffed0x', password: 'leaked password 2' });
    const events = await riskEvents(h);
    const sources = events.filter((e) => e.type === 'risk.stuffing_source');
    assert.equal(sources.length, 1, 'one event when the source reaches its limit');
    assert.equal(sources[0]!.detail.distinctLoginIds, 5);
    assert.equal(sources[0]!.ip, source);
    const after = await login(h, a, source, device);
    assert.equal(after.first.json.state, 'awaiting_code');
    const decision = (await riskEvents(h)).find((e) => e.type === 'login.risk' && e.loginId === a.loginId)!;
    assert.deepEqual(decision.detail.signals, ['stuffing_address']);
    // Another address of the same customer is not a source.
    assert.equal((await login(h, a, '198.51.100.78', after.done.json.deviceToken ?? device)).first.json.method, 'recognized_device');

    const metrics = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.match(metrics.body, /mamori_credential_stuffing_sources_total\{scope="address"\} 1/);
    assert.match(metrics.body, /mamori_risk_signals_total\{signal="stuffing_address"\} 1/);
    assert.match(metrics.body, /mamori_risk_decisions_total\{action="step_up"\} \d+/);
  });

  it('a stuffing window ends: the next window counts from zero', async () => {
    const source = '198.51.100.90';
    const post = client(h, source);
    for (let i = 0; i < 5; i++) await post('/api/v1/login', { loginId: `wave${i}y`, password: 'leaked password 1' });
    h.clock.advance(16 * 60_000);
    const a = await h.createAccount();
    const device = (await login(h, a, source)).done.json.deviceToken as string;
    assert.equal((await login(h, a, source, device)).first.json.method, 'recognized_device');
  });

  it('a right password right after a run of failures asks the second step on the recognised browser', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, JP_NTT)).done.json.deviceToken as string;
    const post = client(h, JP_NTT);
    for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/login', { loginId: a.loginId, password: 'wrong password', deviceToken: device })).status, 401);
    const next = await login(h, a, JP_NTT, device);
    assert.equal(next.first.json.state, 'awaiting_code');
    const decision = (await riskEvents(h)).find((e) => e.type === 'login.risk' && e.loginId === a.loginId)!;
    assert.deepEqual(decision.detail.signals, ['after_failures']);
    // After that success the run is over.
    assert.equal((await login(h, a, JP_NTT, next.done.json.deviceToken ?? device)).first.json.method, 'recognized_device');
  });

  it('RISK_CHANGE_PASSWORD=after_failures: that login, and every later one, must change the password first', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, JP_NTT)).done.json.deviceToken as string;
    const post = client(h, JP_NTT);
    for (let i = 0; i < 3; i++) assert.equal((await post('/api/v1/login', { loginId: a.loginId, password: 'wrong password', deviceToken: device })).status, 401);
    // Whoever typed the right password stops at the code: the flag stays for the customer.
    assert.equal((await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword, deviceToken: device })).json.state, 'awaiting_code');
    // That flow's code mail is taken out, so the customer's own login below reads its own code.
    await h.codeFor(a.emails[0]!);
    const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    assert.ok(account.passwordChangeRequiredAt, 'the flag is set at the decision');
    const set = (await h.runtime.store.audit.listForAccount(account.id, 5, ['password.change_required']))[0]!;
    assert.deepEqual(set.detail, { signals: ['after_failures'], by: 'risk' });
    const b = await h.signedIn(a);
    assert.equal((await b.get('/account')).headers.location, '/account/password');
    const api = await b.json('/api/v1/step-up/options', {});
    assert.equal(api.json().error.code, 'password_change_required');
  });
});

describe(`ALLOWED_COUNTRIES=JP and the desk's exception (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1', ALLOWED_COUNTRIES: 'JP' });
    await h.runtime.services.networks.ready();
  });
  after(async () => h.close());

  it('refuses a login from the US before the password is checked, the same for unknown IDs, with a JSON error and a Japanese page', async () => {
    const a = await h.createAccount();
    const us = client(h, US_COMCAST);
    const right = await us('/api/v1/login', { loginId: a.loginId, password: a.loginPassword });
    const wrong = await us('/api/v1/login', { loginId: a.loginId, password: 'not the password' });
    const unknown = await us('/api/v1/login', { loginId: 'nobody-here', password: 'whatever it is' });
    for (const r of [right, wrong, unknown]) {
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'login_refused');
    }
    assert.match(right.json.error.message, /日本国外からのログインはご利用いただけません/);
    assert.match(right.json.error.message, new RegExp(h.config.brand.supportPhone));

    await h.app.inject({ method: 'GET', url: '/login' });
    const b = h.browser();
    await b.get('/login');
    const page = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: b.jar.header(), 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000', 'x-forwarded-for': US_COMCAST },
      payload: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(b.lastPage)?.[1] ?? '', loginId: a.loginId, password: a.loginPassword }).toString(),
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /お取引店またはフリーダイヤル/);
    assert.match(page.body, /期間を定めてご利用いただけるようにいたします/);

    const refused = (await recentAuditEvents(h.runtime.store, 50)).filter((e) => e.type === 'login.risk' && e.detail.action === 'refuse');
    assert.ok(refused.length >= 3);
    assert.deepEqual(refused[0]!.detail.signals, ['country_not_allowed']);
  });

  it('Japan and addresses of no country pass', async () => {
    const a = await h.createAccount();
    assert.equal((await login(h, a, JP_SOFTBANK)).done.json.state, 'done');
    assert.equal((await login(h, a, DOC_V6)).done.json.state, 'done');
  });

  it('the desk lets one account log in from the US for a while; others stay refused', async () => {
    const a = await h.createAccount();
    const other = await h.createAccount();
    await assert.rejects(h.runtime.services.riskDesk.allowCountry(a.loginId, { country: 'USA', days: 7 }, 'sato', '渡航'), (e: { code?: string }) => e.code === 'invalid_input');
    await h.runtime.services.riskDesk.allowCountry(a.loginId, { country: 'us', days: 7 }, 'sato', '米国出張 電話で本人確認済み');
    assert.equal((await login(h, a, US_COMCAST)).done.json.state, 'done');
    assert.equal((await client(h, US_COMCAST)('/api/v1/login', { loginId: other.loginId, password: other.loginPassword })).status, 403);
    h.clock.advance(8 * 86_400_000);
    assert.equal((await client(h, US_COMCAST)('/api/v1/login', { loginId: a.loginId, password: a.loginPassword })).status, 403, 'the exception ran out');
    const granted = (await recentAuditEvents(h.runtime.store, 50)).find((e) => e.type === 'risk.country_exception')!;
    assert.equal(granted.operator, 'sato');
    assert.equal(granted.detail.country, 'US');
  });

  it('the desk grants it from the command line too: mamori support allow-country', async () => {
    const a = await h.createAccount();
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: randomBytes(32).toString('hex'), NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => spawnSync(process.execPath, [resolve('bin/mamori.js'), 'support', 'allow-country', ...args], { env, encoding: 'utf8' });
    const bad = run(a.loginId, '--country', 'U1', '--days', '7', '--operator', 'sato', '--reason', '出張');
    assert.notEqual(bad.status, 0);
    const ok = run(a.loginId, '--country', 'US', '--days', '3', '--operator', 'sato', '--reason', '出張 本人確認済み');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`${a.loginId} may log in from US until`));
    assert.equal((await login(h, a, US_COMCAST)).done.json.state, 'done');
  });
});

describe(`behaviour signals by network (ASN data loaded) (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1', RISK_NEW_NETWORK: 'notify', RISK_STUFFING_NETWORK: 'step_up', RISK_STUFFING_NETWORK_IDS: '4', RISK_STUFFING_ADDRESS: 'off' });
    await h.runtime.services.networks.ready();
  });
  after(async () => h.close());

  it('a Japanese network the account has not used: the login goes on, the customer is mailed, ログイン履歴 names the network', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, JP_SOFTBANK)).done.json.deviceToken as string;
    h.clock.advance(DAY_MS);
    assert.equal((await login(h, a, JP_NTT, device)).first.json.method, 'recognized_device');
    const mail = await h.mail(a.emails[0]!, 'いつもと異なるログインのお知らせ');
    assert.match(mail.text, /国・地域: 日本/);
    assert.match(mail.text, /ネットワーク: NTT Communications Corporation/);
    assert.match(mail.text, /IPアドレス: 153\.150\.0\.1/);
    assert.match(mail.text, /最近ご利用のないネットワーク/);
    const decision = (await riskEvents(h)).find((e) => e.loginId === a.loginId)!;
    assert.deepEqual(decision.detail, { signals: ['new_network'], action: 'allow', notify: true, country: 'JP', asn: 4713, network: 'NTT Communications Corporation' });
    const b = await h.signedIn(a);
    const page = await b.get('/account/security');
    assert.match(page.body, /日本 \/ SoftBank Corp\./);
    assert.match(page.body, /IP Geolocation by DB-IP/);
  });

  it('an unusual login that needs a second step is told once, when it completes, in the same mail as the new browser', async () => {
    const a = await h.createAccount();
    await login(h, a, JP_SOFTBANK);
    h.clock.advance(DAY_MS);
    const post = client(h, JP_NTT);
    const first = await post('/api/v1/login', { loginId: a.loginId, password: a.loginPassword });
    assert.equal(first.json.state, 'awaiting_code');
    const code = await h.codeFor(a.emails[0]!);
    await h.runtime.worker.runOnce();
    const told = () => h.smtp.mails.filter((m) => m.to.includes(a.emails[0]!) && m.subject !== '' && !m.subject.includes('認証コード'));
    assert.deepEqual(told().map((m) => m.subject), [], 'nothing but the code before the login completes');
    assert.equal((await post('/api/v1/login/code', { flowId: first.json.flowId, code })).json.state, 'done');
    const mail = await h.mail(a.emails[0]!, 'いつもと異なるログインのお知らせ');
    assert.match(mail.text, /いつもと異なる状況でのログインです（国・地域: 日本、ネットワーク: NTT Communications Corporation）/);
    assert.match(mail.text, /最近ご利用のないネットワーク/);
    assert.match(mail.text, /これまでにご利用のないブラウザ/);
    await h.runtime.worker.runOnce();
    assert.equal(told().length, 1, `one mail for one login: ${told().map((m) => m.subject).join(' / ')}`);
  });

  it('a network whose addresses fail with many login IDs is a stuffing source for all its addresses', async () => {
    const a = await h.createAccount();
    const device = (await login(h, a, US_COMCAST)).done.json.deviceToken as string;
    for (let i = 0; i < 4; i++) await client(h, `24.0.0.${10 + i}`)('/api/v1/login', { loginId: `netwave${i}z`, password: 'leaked password 1' });
    const source = (await riskEvents(h)).find((e) => e.type === 'risk.stuffing_source')!;
    assert.equal(source.detail.scope, 'network');
    assert.equal(source.detail.asn, 7922);
    assert.equal((await login(h, a, US_COMCAST, device)).first.json.state, 'awaiting_code');
  });
});

describe(`behaviour signals and passkeys (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1', ALLOWED_COUNTRIES: 'JP,US' });
    await h.runtime.services.networks.ready();
  });
  after(async () => h.close());

  /** Registers a passkey from a signed-in browser (address 127.0.0.1, no country). */
  async function withPasskey(a: AccountSeed): Promise<{ auth: SoftAuthenticator; credential: SoftCredential }> {
    const b = await h.signedIn(a);
    await b.get('/account/passkeys');
    const confirmationCode = await h.mailedConfirmationCode(b, '/account/passkeys', '/account/passkeys/register/code', a.emails[0]!);
    const start = await b.json('/account/passkeys/register/options', { tradingPassword: a.tradingPassword, confirmationCode });
    const auth = new SoftAuthenticator(PUBLIC_URL, 'localhost');
    const { credential, response } = auth.create(start.json().options);
    const done = await b.json('/account/passkeys/register/verify', { challengeId: start.json().challengeId, credential: response, name: 'iPhone' });
    assert.equal(done.statusCode, 200, done.body);
    return { auth, credential };
  }

  it('impossible travel asks the passkey alone of a customer who has one, with nothing to switch to', async () => {
    const a = await h.createAccount();
    const { auth, credential } = await withPasskey(a);
    const jp = client(h, JP_SOFTBANK);
    const first = await jp('/api/v1/login', { loginId: a.loginId, password: a.loginPassword });
    assert.equal(first.json.state, 'awaiting_passkey');
    const { challengeId, options } = (await jp('/api/v1/login/passkey/options', { flowId: first.json.flowId })).json;
    const home = await jp('/api/v1/login/passkey', { flowId: first.json.flowId, challengeId, credential: auth.get(credential, options) });
    assert.equal(home.json.state, 'done', JSON.stringify(home.json));
    const device = home.json.deviceToken as string;
    h.clock.advance(15 * 60_000);
    const far = await client(h, US_COMCAST)('/api/v1/login', { loginId: a.loginId, password: a.loginPassword, deviceToken: device });
    assert.equal(far.json.state, 'awaiting_passkey');
    const decision = (await riskEvents(h)).find((e) => e.loginId === a.loginId)!;
    assert.equal(decision.detail.action, 'passkey', JSON.stringify(decision.detail));
    assert.deepEqual(far.json.alternatives, []);
  });

  it('a passwordless passkey login from a country not allowed is refused too', async () => {
    const a = await h.createAccount();
    const { auth, credential } = await withPasskey(a);
    const refused = async (ip: string) => {
      const post = client(h, ip);
      const { challengeId, options } = (await post('/api/v1/login/passwordless/options', {})).json;
      return post('/api/v1/login/passwordless', { challengeId, credential: auth.get(credential, options) });
    };
    assert.equal(h.runtime.services.riskDesk.where(FR_ADDRESS).country, 'FR');
    const abroad = await refused(FR_ADDRESS);
    assert.equal(abroad.status, 403, JSON.stringify(abroad.json));
    assert.equal(abroad.json.error.code, 'login_refused');
    assert.equal((await refused(JP_NTT)).json.state, 'done');
  });
});
