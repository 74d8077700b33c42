/**
 * The desk's side of the behaviour signals through the support API (its own listener): what was
 * decided for a customer, where an address is, and an exception to ALLOWED_COUNTRIES for a customer
 * going abroad, granted and withdrawn with a reason, audited; bad input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, sendJson } from '../support/nginx';
import { freePort, startTestServer, type RunningServer } from '../support/server';
import { supportKeyFor } from '../support/support-keys';
import { recentAuditEvents, storeKind } from '../support/test-store';

const US_COMCAST = '24.0.0.1';

describe(`the support API on behaviour signals (${storeKind})`, () => {
  let s: RunningServer;
  let desk: string;
  before(async () => {
    const port = await freePort();
    s = await startTestServer({ SUPPORT_API_LISTEN: `127.0.0.1:${port}`, ALLOWED_COUNTRIES: 'JP', TRUST_PROXY: '127.0.0.1' });
    desk = `http://127.0.0.1:${port}`;
    await s.server.runtime.services.networks.ready();
    auth = { authorization: `Bearer ${await supportKeyFor(s.server.runtime, 'sato')}` };
  });
  after(async () => s?.stop());

  let auth: Record<string, string> = {};
  const loginFrom = (ip: string, loginId: string) =>
    sendJson(`${s.server.url}/api/v1/login`, { loginId, password: 'correct horse battery' }, { headers: { 'x-forwarded-for': ip } });

  it('shows the refusal, lets the customer in from the US for a few days, and takes it back', async () => {
    const loginId = 'abroad-desk';
    await s.server.runtime.services.accounts.create(
      { loginId, name: '群馬 五郎', emails: [`${loginId}@example.com`], loginPassword: 'correct horse battery', tradingPassword: 'trading staple 42' },
      'test',
    );
    const refused = await loginFrom(US_COMCAST, loginId);
    assert.equal(refused.status, 403, refused.body);
    assert.equal(refused.json().error.code, 'login_refused');

    const where = await send(`${desk}/api/v1/support/addresses/${US_COMCAST}`, { headers: auth });
    assert.equal(where.status, 200, where.body);
    assert.equal(where.json().country, 'US');
    const notIp = await send(`${desk}/api/v1/support/addresses/not-an-address`, { headers: auth });
    assert.equal(notIp.status, 400, notIp.body);

    const risk = await send(`${desk}/api/v1/support/accounts/${loginId}/risk`, { headers: auth });
    assert.equal(risk.status, 200, risk.body);
    assert.deepEqual(risk.json().decisions[0].signals, ['country_not_allowed']);
    assert.equal(risk.json().decisions[0].action, 'refuse');
    assert.deepEqual(risk.json().countryExceptions, []);

    const grant = (body: Record<string, unknown>) => sendJson(`${desk}/api/v1/support/accounts/${loginId}/country-exceptions`, body, { headers: auth });
    for (const bad of [{ country: 'U1', days: 3, reason: '出張' }, { country: 'US', days: 400, reason: '出張' }, { country: 'US', days: 3 }]) {
      const r = await grant(bad);
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.body}`);
    }
    assert.deepEqual((await send(`${desk}/api/v1/support/accounts/${loginId}/risk`, { headers: auth })).json().countryExceptions, []);
    const granted = await grant({ country: 'us', days: 3, reason: '米国出張 電話で本人確認済み' });
    assert.equal(granted.status, 200, granted.body);
    assert.equal(granted.json().countryException.country, 'US');
    assert.notEqual((await loginFrom(US_COMCAST, loginId)).status, 403);
    const listed = (await send(`${desk}/api/v1/support/accounts/${loginId}/risk`, { headers: auth })).json().countryExceptions;
    assert.deepEqual(listed.map((e: { country: string; operator: string }) => [e.country, e.operator]), [['US', 'api:sato']]);

    const reason = JSON.stringify({ reason: '帰国' });
    const removed = await send(`${desk}/api/v1/support/accounts/${loginId}/country-exceptions/US`, {
      method: 'DELETE',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(reason)) },
      body: reason,
    });
    assert.equal(removed.status, 200, removed.body);
    assert.equal((await loginFrom(US_COMCAST, loginId)).status, 403);
    const audited = (await recentAuditEvents(s.server.runtime.store, 100)).filter((e) => e.type === 'risk.country_exception' && e.loginId === loginId);
    assert.deepEqual(audited.map((e) => [e.operator, e.detail.removed ?? false]).sort(), [['api:sato', false], ['api:sato', true]]);
  });

  it('without the key the desk sees nothing', async () => {
    const r = await send(`${desk}/api/v1/support/accounts/abroad-desk/risk`, { headers: { authorization: `Bearer ${'w'.repeat(40)}` } });
    assert.equal(r.status, 403, r.body);
  });
});
