/**
 * Two `mamori serve` processes on one database behind one PUBLIC_URL, as behind a load balancer:
 * a code issued by one process is redeemed at the other, once; a refresh token rotated at one and
 * presented again at the other revokes its family; both publish the key that signed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { client } from '../support/oidc-rp';
import { postJson, startTwoProcesses, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';

const ISSUER = 'http://localhost:9';
const REDIRECT = 'https://trade.example.test/cb';

describe(`OpenID Connect provider on two processes (${storeKind})`, () => {
  let h: Harness;
  let a: ServerProcess;
  let b: ServerProcess;
  let secret: string;
  let deployment: Awaited<ReturnType<typeof startTwoProcesses>>;

  before(async () => {
    deployment = await startTwoProcesses({ OIDC_PROVIDER: 'on', PUBLIC_URL: ISSUER });
    ({ h, a, b } = deployment);
    secret = (await h.runtime.services.oidc.clients.add({ clientId: 'trading', redirectUris: [REDIRECT], publicClient: false, postLogoutRedirectUris: [], backchannelLogoutUri: null }, 'test')).secret!;
  });
  after(async () => deployment?.close());

  const token = (at: ServerProcess, form: Record<string, string>) =>
    fetch(`${at.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`trading:${secret}`).toString('base64')}` },
      body: new URLSearchParams(form).toString(),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));

  /** Signs in at process `at` and walks the authorization there; the code and its verifier. */
  async function codeFrom(at: ServerProcess): Promise<{ code: string; verifier: string }> {
    const c = await h.createAccount();
    const start = await postJson(`${at.url}/api/v1/login`, { loginId: c.loginId, password: c.loginPassword });
    const m = await h.smtp.waitForMail((x) => x.to.includes(c.emails[0]!) && x.subject.includes('認証コード'), 15_000);
    const done = await postJson(`${at.url}/api/v1/login/code`, { flowId: start.json.flowId, code: /認証コード: (\d{6})/.exec(m.text)![1]! });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const browser = new HttpBrowser();
    browser.useSession(done.json.sessionToken);
    const verifier = client.randomPKCECodeVerifier();
    const query = new URLSearchParams({ client_id: 'trading', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    let next = `${at.url}/oidc/auth?${query}`;
    for (let i = 0; i < 8; i++) {
      const r = await browser.get(next);
      assert.ok(r.location, `${r.status} ${r.body.slice(0, 200)}`);
      const to = new URL(r.location!, ISSUER);
      if (to.href.startsWith(REDIRECT)) return { code: to.searchParams.get('code')!, verifier };
      next = `${at.url}${to.pathname}${to.search}`;
    }
    throw new Error('no code');
  }

  it('a code issued by one process is redeemed at the other, exactly once; the ID token is signed with a key both publish', async () => {
    const { code, verifier } = await codeFrom(a);
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT };
    const first = await token(b, form);
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.ok(first.json.id_token && first.json.refresh_token);
    const again = await token(a, form);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
    const kid = JSON.parse(Buffer.from(first.json.id_token.split('.')[0], 'base64url').toString()).kid;
    for (const p of [a, b]) {
      const jwks = (await (await fetch(`${p.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
      assert.ok(jwks.keys.some((k) => k.kid === kid), 'the signing key is published by both');
    }
  });

  it('a refresh token rotated at one process and presented again at the other revokes the family', async () => {
    const { code, verifier } = await codeFrom(b);
    const issued = await token(a, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT });
    const rotated = await token(a, { grant_type: 'refresh_token', refresh_token: issued.json.refresh_token });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    const reused = await token(b, { grant_type: 'refresh_token', refresh_token: issued.json.refresh_token });
    assert.equal(reused.json.error, 'invalid_grant');
    const after = await token(a, { grant_type: 'refresh_token', refresh_token: rotated.json.refresh_token });
    assert.equal(after.json.error, 'invalid_grant', 'the rotated one went with the family');
  });
});
