/**
 * The console removes one chosen passkey, never all of them (a customer who lost one phone keeps
 * the passkeys of their other devices), and only once another supervisor approves (four-eyes).
 * Real HTTP, operators with passkeys from their enrolment links, real SMTP.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DeskOperator, requestIdIn } from '../support/desk-client';
import { FakeClock } from '../support/fake-clock';
import { send } from '../support/nginx';
import { startTestServer, type RunningServer } from '../support/server';
import { supportKeyFor } from '../support/support-keys';

describe('the console removes one chosen passkey', () => {
  let s: RunningServer;
  const clock = new FakeClock('2026-06-01T00:00:00Z');
  let viewer: DeskOperator;
  let operator: DeskOperator;
  let supervisor: DeskOperator;

  async function signedInOperator(name: string, role: string): Promise<DeskOperator> {
    const { token } = await s.server.runtime.services.desk.operators.add(name, role, 'test');
    const op = new DeskOperator(s.url);
    assert.equal((await op.enrol(token)).status, 200);
    assert.equal((await op.login()).status, 200);
    return op;
  }

  /** A customer with a passkey on each of two devices. */
  async function customer() {
    const loginId = `pk${randomBytes(3).toString('hex')}`;
    const email = `${loginId}@example.com`;
    await s.server.runtime.services.accounts.create({ loginId, name: '群馬 花子', emails: [email], loginPassword: 'correct horse battery', tradingPassword: 'trading staple 42' }, 'test');
    const account = (await s.db.store.accounts.findByLoginId(loginId))!;
    const add = (name: string) =>
      s.db.store.passkeys.insert({ accountId: account.id, credentialId: `${loginId}-${name}`, publicKey: 'AAAA', counter: 0, transports: ['internal'], name, backedUp: false, createdAt: new Date('2026-01-10T00:00:00Z'), lastUsedAt: null });
    const lost = await add('iPhone');
    const kept = await add('MacBook');
    return { loginId, email, accountId: account.id, lost, kept };
  }
  const passkeyNames = async (accountId: number) => (await s.db.store.passkeys.listForAccount(accountId)).map((p) => p.name);

  before(async () => {
    s = await startTestServer({ SUPPORT_API_PUBLIC: 'true' }, { clock });
    viewer = await signedInOperator('pkviewer', 'viewer');
    operator = await signedInOperator('pkoperator', 'operator');
    supervisor = await signedInOperator('pksuper', 'supervisor');
  });
  after(() => s.stop());

  it('offers each passkey of the customer and no "remove all"', async () => {
    const c = await customer();
    const page = await operator.get(`/support/customers/${c.loginId}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<select id="passkeyId" name="passkeyId">/);
    assert.match(page.body, new RegExp(`<option value="${c.lost.id}">iPhone `));
    assert.match(page.body, new RegExp(`<option value="${c.kept.id}">MacBook `));
    assert.match(page.body, /value="passkey_remove"/);
    assert.ok(!page.body.includes('value="passkeys_reset"'), 'the console removes one, never all');
  });

  it('the chosen passkey goes once another supervisor approves; the other stays; the customer is mailed', async () => {
    const c = await customer();
    assert.equal((await viewer.act(c.loginId, 'passkey_remove', { passkeyId: String(c.lost.id) })).status, 403);
    const none = await operator.act(c.loginId, 'passkey_remove');
    assert.equal(none.status, 400);
    assert.match(none.body, /削除するパスキーを選んでください/);
    const other = await customer();
    const foreign = await operator.act(c.loginId, 'passkey_remove', { passkeyId: String(other.lost.id) });
    assert.equal(foreign.status, 400, 'another customer’s passkey is not this customer’s to remove');

    const asked = await operator.act(c.loginId, 'passkey_remove', { passkeyId: String(c.lost.id) });
    assert.equal(asked.status, 200);
    assert.match(asked.body, /責任者の承認後に実行されます/);
    assert.deepEqual(await passkeyNames(c.accountId), ['iPhone', 'MacBook'], 'pending: nothing removed yet');
    const id = requestIdIn(asked.body);
    assert.equal((await operator.decide(id, 'approve')).status, 403, 'an operator does not approve');
    assert.equal((await supervisor.decide(id, 'approve')).status, 303);
    assert.deepEqual(await passkeyNames(c.accountId), ['MacBook'], 'only the chosen one went');
    const mail = await s.smtp.waitForMail((m) => m.to.includes(c.email) && m.subject.includes('パスキーを削除しました'));
    assert.match(mail.text, /iPhone/);
    assert.ok(!mail.text.includes('MacBook'));
    const deleted = (await s.db.store.audit.listForAccount(c.accountId, 20, ['passkey.deleted']))[0]!;
    assert.equal(deleted.operator, 'desk:pkoperator+pksuper');
    assert.equal(deleted.detail.count, 1);
  });

  it('a removal asked through the support API waits like the console’s, and a supervisor approves it in the console', async () => {
    const c = await customer();
    const key = await supportKeyFor(s.server.runtime, 'pkautomation', 'operator');
    const body = JSON.stringify({ reason: '電話で本人確認済み' });
    const asked = await send(`${s.url.replace('localhost', '127.0.0.1')}/api/v1/support/accounts/${c.loginId}/passkeys/${c.lost.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    assert.equal(asked.status, 202, asked.body);
    const id = asked.json().request.id as number;
    assert.match((await supervisor.get('/support/')).body, new RegExp(`#${id} `), 'the supervisor sees it among the pending requests');
    assert.equal((await supervisor.decide(id, 'approve')).status, 303);
    assert.deepEqual(await passkeyNames(c.accountId), ['MacBook']);
    const deleted = (await s.db.store.audit.listForAccount(c.accountId, 20, ['passkey.deleted']))[0]!;
    assert.equal(deleted.operator, 'api:pkautomation+pksuper');
  });
});
