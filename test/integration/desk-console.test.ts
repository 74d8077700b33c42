/**
 * The support desk's console over real HTTP (docs/requirements.md R-DESK-1…9): operators enrol a
 * passkey from a one-time link and log in with it alone, in sessions of 15 idle minutes; every
 * role × action is decided in the domain; high-risk actions wait for another supervisor, take
 * effect only then, and mail the customer (real SMTP).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { DeskOperator, requestIdIn } from '../support/desk-client';
import { startTestServer, type RunningServer } from '../support/server';
import { recentAuditEvents } from '../support/test-store';
import type { KyselyStore } from '../../src/store/kysely-store';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('the support desk console', () => {
  let s: RunningServer;
  const clock = new FakeClock('2026-06-01T00:00:00Z');
  const ops: Record<'viewer' | 'operator' | 'supervisor' | 'supervisor2', DeskOperator> = {} as never;
  let seq = 0;

  const desk = () => s.server.runtime.services.desk;
  const audit = () => recentAuditEvents(s.db.store as KyselyStore, 50);

  async function customer(o: { totp?: boolean } = {}) {
    seq += 1;
    const seed = {
      loginId: `desk${seq}${randomBytes(2).toString('hex')}`,
      name: `群馬 花子${seq}`,
      emails: [`desk${seq}.${randomBytes(2).toString('hex')}@example.com`],
      loginPassword: 'correct horse battery',
      tradingPassword: 'trading staple 42',
      ...(o.totp ? { totpSecret: TOTP_SECRET } : {}),
    };
    await s.server.runtime.services.accounts.create(seed, 'test');
    return seed;
  }

  async function signedInOperator(name: string, role: string): Promise<DeskOperator> {
    const { token } = await desk().operators.add(name, role, 'test');
    const op = new DeskOperator(s.url);
    assert.equal((await op.enrol(token)).status, 200);
    assert.equal((await op.login()).status, 200);
    return op;
  }

  before(async () => {
    s = await startTestServer({}, { clock });
    ops.viewer = await signedInOperator('viewer1', 'viewer');
    ops.operator = await signedInOperator('operator1', 'operator');
    ops.supervisor = await signedInOperator('super1', 'supervisor');
    ops.supervisor2 = await signedInOperator('super2', 'supervisor');
  });
  after(() => s.stop());
  // Tests move the clock past the 15 idle minutes: every test starts with fresh console sessions.
  beforeEach(async () => {
    for (const op of Object.values(ops)) if (op.credential) assert.equal((await op.login()).status, 200);
  });

  it('an enrolment link works once, and not after 15 minutes; every login and failed login is audited', async () => {
    const { token } = await desk().operators.add('once1', 'operator', 'test');
    const first = new DeskOperator(s.url);
    assert.equal((await first.enrol(token)).status, 200);
    const again = new DeskOperator(s.url);
    const reused = await again.enrol(token);
    assert.equal(reused.status, 403);
    assert.match(reused.body, /登録用リンクが無効です/);

    const late = await desk().operators.add('late1', 'operator', 'test');
    clock.advance(15 * 60_000 + 1);
    assert.equal((await new DeskOperator(s.url).enrol(late.token)).status, 403);

    assert.equal((await first.login()).status, 200);
    assert.ok((await audit()).some((e) => e.type === 'desk.login' && e.operator === 'once1'));
    // Another authenticator's passkey, never enrolled: refused and audited.
    const stranger = new DeskOperator(s.url);
    const fake = stranger.auth.create({ challenge: 'AAAA', user: { id: 'AAAA' } }).credential;
    const refused = await stranger.login(fake);
    assert.equal(refused.status, 401);
    assert.ok((await audit()).some((e) => e.type === 'desk.login_failed' && e.detail.reason === 'unknown_credential'));
    assert.equal((await stranger.get('/support/customers?q=x')).status, 303, 'no session, no console');
  });

  it('a session ends after 15 idle minutes, and at logout', async () => {
    const op = await signedInOperator('idle1', 'viewer');
    assert.equal((await op.get('/support/customers?q=nobody')).status, 200);
    clock.advance(14 * 60_000);
    assert.equal((await op.get('/support/customers?q=nobody')).status, 200, 'each request starts the idle time again');
    clock.advance(15 * 60_000 + 1);
    assert.equal((await op.get('/support/customers?q=nobody')).status, 303);
    const op2 = await signedInOperator('idle2', 'viewer');
    await op2.get('/support/');
    assert.equal((await op2.browser.post(`${s.url}/support/logout`, {})).status, 303);
    assert.equal((await op2.get('/support/customers?q=nobody')).status, 303);
  });

  it('the last enabled supervisor cannot be disabled; a disabled operator is logged out', async () => {
    const ops0 = await desk().operators.list();
    assert.ok(ops0.filter((o) => o.role === 'supervisor' && !o.disabledAt).length >= 2);
    const extra = await signedInOperator('gone1', 'operator');
    await desk().operators.disable('gone1', 'test');
    assert.equal((await extra.get('/support/')).body.includes('パスキーでログイン'), true, 'back at the login page');
    await desk().operators.disable('super1', 'test');
    // super2 is now the last enabled supervisor.
    await assert.rejects(desk().operators.disable('super2', 'test'), (e: Error & { code?: string; details?: { reason?: string } }) => e.code === 'desk_denied' && e.details?.reason === 'last_supervisor');
    // The other tests need a second supervisor again.
    ops.supervisor = await signedInOperator('super3', 'supervisor');
  });

  it('CSRF: a console form without the token, or from another origin, is refused', async () => {
    const c = await customer();
    const op = ops.operator;
    await op.get(`/support/customers/${c.loginId}`);
    const noToken = await op.browser.post(`${s.url}/support/customers/${c.loginId}/actions`, { action: 'login_unlock', reason: 'r', identityMethod: 'other', identityNote: 'n' }, 'wrong');
    assert.equal(noToken.status, 403);
    const foreign = await fetch(`${s.url}/support/customers/${c.loginId}/actions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: op.browser.jar.header(), origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: op.browser.csrf(), action: 'login_unlock', reason: 'r', identityMethod: 'other', identityNote: 'n' }).toString(),
    });
    assert.equal(foreign.status, 403);
    assert.ok(!(await audit()).some((e) => e.type === 'desk.requested' && e.loginId === c.loginId), 'nothing was recorded');
  });

  it('lookup by login ID, name and address; viewers see addresses masked', async () => {
    const c = await customer({ totp: true });
    for (const q of [c.loginId, c.name, c.emails[0]!.toUpperCase()]) {
      const r = await ops.operator.get(`/support/customers?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 303, q);
      assert.equal(r.location, `/support/customers/${c.loginId}`);
    }
    const full = await ops.operator.get(`/support/customers/${c.loginId}`);
    assert.ok(full.body.includes(c.emails[0]!), 'an operator sees the address');
    assert.match(full.body, /利用中/);
    const masked = await ops.viewer.get(`/support/customers/${c.loginId}`);
    assert.equal(masked.status, 200);
    assert.ok(!masked.body.includes(c.emails[0]!), 'a viewer does not');
    assert.match(masked.body, /閲覧者は操作できません/);
    assert.equal((await ops.viewer.get('/support/customers/nobody-here')).status, 404);
    assert.equal((await ops.viewer.get('/support/customers?q=')).status, 400);
  });

  const ACTIONS = ['totp_reset', 'passkeys_reset', 'password_reset_code', 'exemption_grant', 'login_unlock', 'trading_password_unlock', 'sessions_end', 'password_change_required'] as const;
  const FOUR_EYES = new Set(['totp_reset', 'passkeys_reset', 'password_reset_code', 'exemption_grant']);
  const extraFor = (a: string): Record<string, string> => (a === 'exemption_grant' ? { until: '2026-07-31' } : {});

  it('role × action: a viewer acts on nothing; operators and supervisors request; high-risk actions wait for approval', async () => {
    for (const action of ACTIONS) {
      const c = await customer({ totp: true });
      const viewer = await ops.viewer.act(c.loginId, action, extraFor(action));
      assert.equal(viewer.status, 403, `viewer ${action}`);
      assert.match(viewer.body, /権限がありません/);
      for (const who of ['operator', 'supervisor'] as const) {
        const r = await ops[who].act(c.loginId, action, extraFor(action));
        // Unlocks of something not locked answer 409 (nothing to do); the request is recorded as failed.
        const nothingToDo = action === 'login_unlock' || action === 'trading_password_unlock';
        if (nothingToDo) assert.equal(r.status, 409, `${who} ${action}`);
        else assert.equal(r.status, 200, `${who} ${action}: ${r.body.slice(0, 300)}`);
        if (FOUR_EYES.has(action)) assert.match(r.body, /責任者の承認後に実行されます/, `${who} ${action}`);
        else if (!nothingToDo) assert.match(r.body, /を実行しました/, `${who} ${action}`);
      }
    }
  });

  it('four-eyes: the TOTP reset takes effect only once another supervisor approves; viewers, operators and the requester cannot approve; the customer is mailed', async () => {
    const c = await customer({ totp: true });
    const requested = await ops.operator.act(c.loginId, 'totp_reset');
    const id = requestIdIn(requested.body);
    const totpOn = async () => Boolean((await s.db.store.accounts.findByLoginId(c.loginId))!.totpEnabledAt);
    assert.equal(await totpOn(), true, 'pending: nothing happened yet');
    assert.equal((await ops.viewer.decide(id, 'approve')).status, 403);
    assert.equal((await ops.operator.decide(id, 'approve')).status, 403);
    const own = await signedInOperator('selfsup', 'supervisor');
    const ownReq = requestIdIn((await own.act(c.loginId, 'passkeys_reset')).body);
    const self = await own.decide(ownReq, 'approve');
    assert.equal(self.status, 403);
    assert.match(self.body, /ご自身の依頼は承認・却下できません/);
    assert.equal(await totpOn(), true);
    // The supervisor sees it among the pending requests.
    assert.match((await ops.supervisor.get('/support/')).body, new RegExp(`#${id} `));
    const approved = await ops.supervisor.decide(id, 'approve');
    assert.equal(approved.status, 303);
    assert.equal(await totpOn(), false, 'approved: the TOTP is reset');
    const mail = await s.smtp.waitForMail((m) => m.to.includes(c.emails[0]!) && m.subject.includes('ワンタイムパスワードサービス解除'));
    assert.ok(mail.text.includes('サポートデスク'));
    assert.equal((await ops.supervisor2.decide(id, 'approve')).status, 403, 'decided once');
    const trail = (await audit()).filter((e) => e.accountId !== null);
    assert.ok(trail.some((e) => e.type === 'desk.approved' && e.operator === 'super3' && e.detail.request === id));
    assert.ok(trail.some((e) => e.type === 'totp.reset' && String(e.operator).includes('operator1')));
    // Rejected: never takes effect.
    const c2 = await customer({ totp: true });
    const id2 = requestIdIn((await ops.operator.act(c2.loginId, 'totp_reset')).body);
    assert.equal((await ops.supervisor.decide(id2, 'reject', 'caller could not answer')).status, 303);
    assert.ok((await s.db.store.accounts.findByLoginId(c2.loginId))!.totpEnabledAt);
    // The operator's own view lists what they asked for today.
    const home = await ops.operator.get('/support/');
    assert.match(home.body, new RegExp(`#${id2} `));
  });

  it('bad input is a clear 4xx, never a 500', async () => {
    const op = ops.supervisor;
    await op.get('/support/');
    const raw = (path: string, body: string) =>
      fetch(`${s.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: op.browser.jar.header(), origin: s.url, 'content-type': 'application/json', 'x-csrf-token': op.browser.csrf() }, body });
    for (const [path, body] of [
      ['/support/login/verify', '{not json'],
      ['/support/login/verify', '{}'],
      ['/support/login/verify', JSON.stringify({ challengeId: 'x'.repeat(5000), credential: 'no' })],
      ['/support/enrol/options', JSON.stringify({ token: ['a'] })],
      ['/support/enrol/verify', JSON.stringify({ token: 'nope', challengeId: 'x', credential: {} })],
    ] as const) {
      const r = await raw(path, body);
      assert.ok(r.status >= 400 && r.status < 500, `${path} ${body.slice(0, 30)}: ${r.status}`);
      assert.ok((await r.json()).error.message, path);
    }
    assert.equal((await op.browser.post(`${s.url}/support/requests/abc/decide`, { decision: 'approve', decisionReason: 'x' })).status, 404);
    assert.equal((await op.browser.post(`${s.url}/support/requests/999999/decide`, { decision: 'approve', decisionReason: 'x' })).status, 404);
    assert.equal((await op.get(`/support/customers?q=${'あ'.repeat(300)}`)).status, 400);
    assert.equal((await op.get('/support/customers/%E3%81%82%ZZ')).status < 500, true);
  });

  it('identity check and reason are required', async () => {
    const c = await customer();
    const r = await ops.operator.act(c.loginId, 'sessions_end', { identityNote: '' });
    assert.equal(r.status, 400);
    assert.match(r.body, /確認した内容を入力してください/);
  });
});

describe('SUPPORT_LISTEN', () => {
  it('serves /support/ on its own listener only; the public listener answers 404 for it', async () => {
    const { freePort } = await import('../support/server');
    const port = await freePort();
    const s = await startTestServer({ SUPPORT_LISTEN: `127.0.0.1:${port}`, SUPPORT_PUBLIC_URL: `http://localhost:${port}` });
    try {
      assert.equal((await fetch(`${s.url}/support/`)).status, 404);
      assert.equal((await fetch(`${s.url}/support/enrol?token=x`)).status, 404);
      const deskUrl = `http://localhost:${port}`;
      assert.equal((await fetch(`${deskUrl}/support/`)).status, 200);
      assert.equal((await fetch(`${deskUrl}/login`)).status, 404, 'nothing of the customers');
      const { token } = await s.server.runtime.services.desk.operators.add('lsup', 'supervisor', 'test');
      const op = new DeskOperator(deskUrl);
      assert.equal((await op.enrol(token)).status, 200);
      assert.equal((await op.login()).status, 200);
      assert.equal((await op.get('/support/')).status, 200);
    } finally {
      await s.stop();
    }
  });
});
