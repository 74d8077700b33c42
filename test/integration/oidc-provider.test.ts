/**
 * Mamori as an OpenID Connect provider, with a real relying party (openid-client) over real HTTP:
 * discovery, authorization code with PKCE, the ID token's amr/acr, acr_values answered by the
 * passkey step-up, refresh rotation and reuse detection, revocation and introspection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type AccountSeed, type Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { postJson } from '../support/server-process';
import { freePort } from '../support/server';
import { authorizationRequest, client, discover, follow, redeem } from '../support/oidc-rp';
import { storeKind } from '../support/test-store';

describe(`OpenID Connect provider (${storeKind})`, () => {
  let h: Harness;
  let base: string;
  let config: client.Configuration;
  const redirectUri = 'https://trade.example.test/cb';
  const atRp = (u: URL) => u.href.startsWith(redirectUri);

  before(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    h = await startHarness({ PUBLIC_URL: base, OIDC_PROVIDER: 'on' });
    // oidc-provider keeps real time (token expiry, auth_time): so does Mamori's clock here.
    h.clock.set(new Date());
    await h.app.listen({ port, host: '127.0.0.1' });
    const { secret } = await h.runtime.services.oidc.clients.add({ clientId: 'trading', redirectUris: [redirectUri], publicClient: false, postLogoutRedirectUris: [], backchannelLogoutUri: null }, 'test');
    config = await discover(base, 'trading', secret);
  });
  after(async () => h?.close());

  async function signedInBrowser(a: AccountSeed): Promise<HttpBrowser> {
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(start.status, 200, JSON.stringify(start.json));
    const done = await postJson(`${base}/api/v1/login/code`, { flowId: start.json.flowId, code: await h.codeFor(a.emails[0]!) });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const b = new HttpBrowser();
    b.useSession(done.json.sessionToken);
    return b;
  }

  it('discovery names the code flow with PKCE only, and the endpoints under PUBLIC_URL', async () => {
    const res = await fetch(`${base}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const d = (await res.json()) as Record<string, any>;
    assert.equal(d.issuer, base);
    assert.deepEqual(d.response_types_supported, ['code']);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.equal(d.token_endpoint, `${base}/oidc/token`);
    assert.ok(d.acr_values_supported.includes('urn:mamori:acr:phr'));
    assert.ok(d.revocation_endpoint && d.introspection_endpoint && d.end_session_endpoint);
    assert.equal(d.backchannel_logout_supported, true);
  });

  it('code + PKCE: a signed-in customer gets a code, the ID token says how they logged in, userinfo gives name and e-mail', async () => {
    const a = await h.createAccount();
    const b = await signedInBrowser(a);
    const req = await authorizationRequest(config, redirectUri);
    const back = await follow(b, req.url.href, base, atRp);
    const tokens = await redeem(config, back, req);
    const claims = tokens.claims()!;
    assert.notEqual(claims.sub, a.loginId, 'the subject is not the login ID');
    assert.equal(claims.acr, 'urn:mamori:acr:mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.name, a.name);
    assert.equal(info.email, a.emails[0]);
  });

  it('without a Mamori session the browser is sent to the login page, and comes back to finish', async () => {
    const a = await h.createAccount();
    const b = new HttpBrowser();
    const req = await authorizationRequest(config, redirectUri);
    const login = await follow(b, req.url.href, base, (u) => u.pathname === '/login');
    const next = login.searchParams.get('next')!;
    assert.match(next, /^\/oidc\/interaction\/[\w-]+$/);
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    const done = await postJson(`${base}/api/v1/login/code`, { flowId: start.json.flowId, code: await h.codeFor(a.emails[0]!) });
    b.useSession(done.json.sessionToken);
    const back = await follow(b, next, base, atRp);
    const tokens = await redeem(config, back, req);
    assert.equal(tokens.claims()!.acr, 'urn:mamori:acr:mfa');
  });
});
