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
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { createServer, type Server } from 'node:http';
import { totpCode } from '../../src/crypto/totp';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe(`OpenID Connect provider (${storeKind})`, () => {
  let h: Harness;
  let base: string;
  let config: client.Configuration;
  let auth: SoftAuthenticator;
  /** The relying party's back-channel logout endpoint: the logout tokens it received. */
  let backchannel: Server;
  const logoutTokens: Record<string, any>[] = [];
  let logoutArrived: () => void = () => undefined;
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
    auth = new SoftAuthenticator(base, 'localhost');
    const bcPort = await freePort();
    backchannel = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const token = new URLSearchParams(body).get('logout_token') ?? '';
        logoutTokens.push(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}'));
        res.writeHead(200).end();
        logoutArrived();
      });
    });
    await new Promise<void>((r) => backchannel.listen(bcPort, '127.0.0.1', r));
    await h.runtime.services.oidc.clients.add(
      { clientId: 'trading-bc', redirectUris: [redirectUri], publicClient: false, postLogoutRedirectUris: [], backchannelLogoutUri: `http://127.0.0.1:${bcPort}/backchannel` },
      'test',
    );
  });
  after(async () => {
    backchannel?.close();
    await h?.close();
  });

  /** A passkey on the account, registered `ageHours` ago (its registration is tested in passkeys.test.ts). */
  async function withPasskey(a: AccountSeed, ageHours: number): Promise<SoftCredential> {
    const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const { credential } = auth.create({ challenge: 'x' });
    await h.runtime.store.passkeys.insert({
      accountId: acc.id,
      credentialId: credential.id.toString('base64url'),
      publicKey: credential.publicCose.toString('base64url'),
      counter: 0,
      transports: ['internal'],
      name: 'iPhone',
      backedUp: false,
      createdAt: new Date(h.clock.now().getTime() - ageHours * 3_600_000),
      lastUsedAt: null,
    });
    return credential;
  }

  /** Signed in by password and e-mailed code, then through the relying party's code flow: its tokens. */
  async function rpLogin(a: AccountSeed, cfg = config, extra: Record<string, string> = {}) {
    const b = await signedInBrowser(a);
    const req = await authorizationRequest(cfg, redirectUri, extra);
    const back = await follow(b, req.url.href, base, atRp);
    return { b, tokens: await redeem(cfg, back, req) };
  }

  const rejects = async (p: Promise<unknown>, error: string) => {
    await assert.rejects(p, (e: any) => {
      assert.equal(e.error ?? e.cause?.error, error, String(e));
      return true;
    });
  };

  async function signedInBrowser(a: AccountSeed): Promise<HttpBrowser> {
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(start.status, 200, JSON.stringify(start.json));
    const done =
      start.json.state === 'awaiting_totp'
        ? await postJson(`${base}/api/v1/login/totp`, { flowId: start.json.flowId, code: totpCode(TOTP_SECRET, h.clock.now()) })
        : await postJson(`${base}/api/v1/login/code`, { flowId: start.json.flowId, code: await h.codeFor(a.emails[0]!) });
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

  it('acr_values=urn:mamori:acr:phr: a session without a passkey goes through the passkey step-up before the code; the ID token then says phr', async () => {
    const a = await h.createAccount();
    const b = await signedInBrowser(a);
    const credential = await withPasskey(a, 48);
    const req = await authorizationRequest(config, redirectUri, { acr_values: 'urn:mamori:acr:phr' });
    const stepUp = await follow(b, req.url.href, base, (u) => u.pathname === '/step-up');
    assert.equal(stepUp.searchParams.get('purpose'), 'withdrawal');
    const returnTo = stepUp.searchParams.get('return_to')!;
    assert.match(returnTo, /^\/oidc\/interaction\/[\w-]+\?after=step-up$/);
    const page = await b.get(stepUp.href);
    assert.equal(page.status, 200, page.body);
    const o = JSON.parse((await b.json(`${base}/api/v1/step-up/options`, { purpose: 'withdrawal' })).body);
    const done = await b.json(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', challengeId: o.challengeId, credential: auth.get(credential, o.options) });
    assert.equal(done.status, 200, done.body);
    const back = await follow(b, returnTo, base, atRp);
    const claims = (await redeem(config, back, req)).claims()!;
    assert.equal(claims.acr, 'urn:mamori:acr:phr');
    assert.ok((claims.amr as string[]).includes('hwk'));
  });

  it('acr_values=urn:mamori:acr:phr: coming back from the step-up page without a step-up gives the lower acr, never phr', async () => {
    const a = await h.createAccount();
    const b = await signedInBrowser(a);
    const req = await authorizationRequest(config, redirectUri, { acr_values: 'urn:mamori:acr:phr' });
    const stepUp = await follow(b, req.url.href, base, (u) => u.pathname === '/step-up');
    const back = await follow(b, stepUp.searchParams.get('return_to')!, base, atRp);
    assert.equal((await redeem(config, back, req)).claims()!.acr, 'urn:mamori:acr:mfa');
  });

  it('a passkey login is phishing-resistant at once: acr_values=phr needs no step-up', async () => {
    const a = await h.createAccount();
    const credential = await withPasskey(a, 48);
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    assert.equal(start.json.state, 'awaiting_passkey', JSON.stringify(start.json));
    const o = await postJson(`${base}/api/v1/login/passkey/options`, { flowId: start.json.flowId });
    const done = await postJson(`${base}/api/v1/login/passkey`, { flowId: start.json.flowId, challengeId: o.json.challengeId, credential: auth.get(credential, o.json.options) });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const b = new HttpBrowser();
    b.useSession(done.json.sessionToken);
    const req = await authorizationRequest(config, redirectUri, { acr_values: 'urn:mamori:acr:phr' });
    const back = await follow(b, req.url.href, base, atRp);
    const claims = (await redeem(config, back, req)).claims()!;
    assert.equal(claims.acr, 'urn:mamori:acr:phr');
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'mfa']);
  });

  it('max_age=0 asks for a fresh proof: the browser is sent to the step-up before the code', async () => {
    const a = await h.createAccount();
    const b = await signedInBrowser(a);
    h.clock.advance(2000);
    const req = await authorizationRequest(config, redirectUri, { max_age: '0' });
    const stepUp = await follow(b, req.url.href, base, (u) => u.pathname === '/step-up');
    assert.match(stepUp.searchParams.get('return_to')!, /after=step-up$/);
  });

  it('no implicit flow, and no code without PKCE', async () => {
    const implicit = new URL(`${base}/oidc/auth`);
    implicit.search = new URLSearchParams({ client_id: 'trading', redirect_uri: redirectUri, response_type: 'id_token', scope: 'openid', nonce: 'n', state: 's' }).toString();
    const r1 = await fetch(implicit, { redirect: 'manual' });
    assert.match(r1.headers.get('location') ?? '', /error=unsupported_response_type/);
    const noPkce = new URL(`${base}/oidc/auth`);
    noPkce.search = new URLSearchParams({ client_id: 'trading', redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: 's' }).toString();
    const r2 = await fetch(noPkce, { redirect: 'manual' });
    assert.match(r2.headers.get('location') ?? '', /error=invalid_request/);
    assert.match(decodeURIComponent(r2.headers.get('location') ?? ''), /PKCE/);
  });

  it('refresh tokens rotate; a used one presented again revokes the whole family', async () => {
    const a = await h.createAccount();
    const { tokens } = await rpLogin(a);
    const first = tokens.refresh_token!;
    const second = await client.refreshTokenGrant(config, first);
    assert.ok(second.refresh_token && second.refresh_token !== first, 'a new refresh token each time');
    assert.equal(second.claims()?.acr, 'urn:mamori:acr:mfa');
    await rejects(client.refreshTokenGrant(config, first), 'invalid_grant');
    await rejects(client.refreshTokenGrant(config, second.refresh_token!), 'invalid_grant');
    const seen = await client.tokenIntrospection(config, second.access_token);
    assert.equal(seen.active, false, 'the access token of the family is revoked too');
  });

  it('introspection tells the trading API whose token it is; revocation ends it', async () => {
    const a = await h.createAccount();
    const { tokens } = await rpLogin(a);
    const sub = tokens.claims()!.sub;
    const live = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(live.active, true);
    assert.equal(live.sub, sub);
    assert.equal(live.client_id, 'trading');
    await client.tokenRevocation(config, tokens.access_token);
    assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
    await assert.rejects(client.fetchUserInfo(config, tokens.access_token, sub), /WWW-Authenticate/);
  });

  it('a public client (the app): no secret, PKCE, refresh', async () => {
    await h.runtime.services.oidc.clients.add({ clientId: 'app', redirectUris: ['com.example.trade:/cb'], publicClient: true, postLogoutRedirectUris: [], backchannelLogoutUri: null }, 'test');
    const app = await discover(base, 'app', null);
    const a = await h.createAccount();
    const b = await signedInBrowser(a);
    const req = await authorizationRequest(app, 'com.example.trade:/cb');
    const back = await follow(b, req.url.href, base, (u) => u.protocol === 'com.example.trade:');
    const tokens = await redeem(app, back, req);
    assert.ok(tokens.refresh_token);
    assert.ok((await client.refreshTokenGrant(app, tokens.refresh_token!)).access_token);
  });

  it('logout at Mamori: the relying party is told by back-channel, its refresh token stops working, and the next authorization asks for a login', async () => {
    const a = await h.createAccount();
    const clients = await h.runtime.services.oidc.clients.list();
    assert.ok(clients.some((c) => c.clientId === 'trading-bc'));
    const secret = h.runtime.services.ports.secrets.open(clients.find((c) => c.clientId === 'trading-bc')!.secretSealed!);
    const bc = await discover(base, 'trading-bc', secret);
    const { b, tokens } = await rpLogin(a, bc);
    const sub = tokens.claims()!.sub;
    const sid = tokens.claims()!.sid;
    assert.ok(sid, 'sid in the ID token of a client with back-channel logout');
    const arrived = new Promise<void>((r) => (logoutArrived = r));
    const out = await fetch(`${base}/api/v1/logout`, { method: 'POST', headers: { cookie: b.jar.header() } });
    assert.ok(out.status < 300, String(out.status));
    await arrived;
    const token = logoutTokens.at(-1)!;
    assert.equal(token.sub, sub);
    assert.equal(token.sid, sid);
    assert.equal(token.aud, 'trading-bc');
    assert.ok(token.events['http://schemas.openid.net/event/backchannel-logout']);
    await rejects(client.refreshTokenGrant(bc, tokens.refresh_token!), 'invalid_grant');
    const again = await authorizationRequest(bc, redirectUri);
    const login = await follow(b, again.url.href, base, (u) => u.pathname === '/login');
    assert.equal(login.pathname, '/login');
    const events = await h.runtime.store.audit.listForAccount((await h.runtime.store.accounts.findByLoginId(a.loginId))!.id, 50);
    assert.ok(events.some((e) => e.type === 'oidc.login' && (e.detail as any)?.clientId === 'trading-bc'), 'the client login is in the audit log');
    assert.ok(events.some((e) => e.type === 'oidc.logout_sent'), 'the back-channel logout is in the audit log');
  });

  it('RP-initiated logout: Mamori asks, then the relying party gets the browser back and the Mamori session is over', async () => {
    const after = 'https://trade.example.test/bye';
    const { secret } = await h.runtime.services.oidc.clients.add({ clientId: 'trading-lo', redirectUris: [redirectUri], publicClient: false, postLogoutRedirectUris: [after], backchannelLogoutUri: null }, 'test');
    const lo = await discover(base, 'trading-lo', secret);
    const a = await h.createAccount();
    const { b, tokens } = await rpLogin(a, lo);
    const end = client.buildEndSessionUrl(lo, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: after, state: 'st' });
    const confirm = await b.get(end.href);
    assert.equal(confirm.status, 200, confirm.body);
    assert.match(confirm.body, /ログアウトしますか/);
    const action = /<form method="post" action="([^"]+)"/.exec(confirm.body)![1]!.replace(/&amp;/g, '&');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await fetch(new URL(action, base), { method: 'POST', redirect: 'manual', headers: { cookie: b.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${after}?state=st`);
    let status = 200;
    for (let i = 0; i < 200 && status === 200; i++) {
      status = (await fetch(`${base}/api/v1/session`, { headers: { cookie: b.jar.header() } })).status;
      if (status === 200) await new Promise((r) => setImmediate(r));
    }
    assert.equal(status, 401, 'the Mamori session ended with the logout');
  });

  it('RP-initiated logout without a provider session: Mamori\'s own confirmation (a form, no script), then the relying party or Mamori\'s own page', async () => {
    const after = 'https://trade.example.test/bye-nosession';
    await h.runtime.services.oidc.clients.add({ clientId: 'trading-lo2', redirectUris: [redirectUri], publicClient: false, postLogoutRedirectUris: [after], backchannelLogoutUri: null }, 'test');
    const confirmIn = async (b: HttpBrowser, url: string) => {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: b.jar.header() } });
      b.jar.store(res.headers.getSetCookie());
      const body = await res.text();
      assert.equal(res.status, 200, body);
      assert.doesNotMatch(body, /<script(?! src=)/i, 'no inline script: the CSP would block it and leave a blank page');
      assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /sha256-|unsafe-inline/);
      assert.match(body, /ログアウトしますか/);
      const action = /<form method="post" action="([^"]+)"/.exec(body)![1]!.replace(/&amp;/g, '&');
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(body)![1]!;
      return fetch(new URL(action, base), { method: 'POST', redirect: 'manual', headers: { cookie: b.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() });
    };
    const toRp = await confirmIn(new HttpBrowser(), `${base}/oidc/session/end?client_id=trading-lo2&post_logout_redirect_uri=${encodeURIComponent(after)}&state=st`);
    assert.equal(toRp.status, 303);
    assert.equal(toRp.headers.get('location'), `${after}?state=st`);
    const b = new HttpBrowser();
    const toMamori = await confirmIn(b, `${base}/oidc/session/end`);
    assert.equal(toMamori.status, 303);
    const done = await b.get(new URL(toMamori.headers.get('location')!, base).href);
    assert.equal(done.status, 200);
    assert.match(done.body, /ログアウトしました/);
    assert.doesNotMatch(done.body, /<script(?! src=)/i);
  });

  /** Signed in (TOTP) `minutesAgo` minutes ago by Mamori's clock, which then comes back to real time (oidc-provider's). */
  async function totpSessionFrom(minutesAgo: number) {
    const now = new Date();
    const a = await h.createAccount({ totpSecret: TOTP_SECRET });
    h.clock.set(new Date(now.getTime() - minutesAgo * 60_000));
    const b = await signedInBrowser(a);
    h.clock.set(now);
    return { a, b };
  }

  /** Through Mamori's step-up page by TOTP (the customer has no passkey), back to the interaction. */
  async function stepUpByTotp(b: HttpBrowser, req: { url: URL }) {
    const stepUp = await follow(b, req.url.href, base, (u) => u.pathname === '/step-up');
    const page = await b.get(stepUp.href);
    assert.equal(page.status, 200, page.body);
    const done = await b.json(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', code: totpCode(TOTP_SECRET, h.clock.now()) });
    assert.equal(done.status, 200, done.body);
    assert.equal(JSON.parse(done.body).method, 'totp');
    return follow(b, stepUp.searchParams.get('return_to')!, base, atRp);
  }

  it('max_age after a TOTP step-up: the fresh second step moves auth_time, so the relying party accepts it; acr stays mfa, amr says otp', async () => {
    const { b } = await totpSessionFrom(10);
    const req = await authorizationRequest(config, redirectUri, { max_age: '300' });
    const back = await stepUpByTotp(b, req);
    // openid-client itself refuses an ID token whose auth_time is older than max_age.
    const claims = (await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce, maxAge: 300 })).claims()!;
    const authTime = Number(claims.auth_time);
    assert.ok(Date.now() / 1000 - authTime < 60, `auth_time is the step-up's, not the login's (${new Date(authTime * 1000).toISOString()})`);
    assert.equal(claims.acr, 'urn:mamori:acr:mfa');
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });

  it('acr_values=phr after a TOTP step-up: auth_time moves, but the acr is never phr (only a passkey gives it)', async () => {
    const { b } = await totpSessionFrom(10);
    const req = await authorizationRequest(config, redirectUri, { acr_values: 'urn:mamori:acr:phr', max_age: '300' });
    const back = await stepUpByTotp(b, req);
    const claims = (await redeem(config, back, req)).claims()!;
    assert.equal(claims.acr, 'urn:mamori:acr:mfa');
    assert.ok(!(claims.amr as string[]).includes('hwk'));
    assert.ok(Date.now() / 1000 - Number(claims.auth_time) < 60);
  });

  it('a code step-up long ago does not make a session fresh: max_age still sends the customer to a new step-up', async () => {
    const { b } = await totpSessionFrom(30);
    h.clock.set(new Date(Date.now() - 20 * 60_000));
    const first = await authorizationRequest(config, redirectUri, { max_age: '300' });
    const stepUp = await follow(b, first.url.href, base, (u) => u.pathname === '/step-up');
    await b.get(stepUp.href);
    const done = await b.json(`${base}/api/v1/step-up/verify`, { purpose: 'withdrawal', code: totpCode(TOTP_SECRET, h.clock.now()) });
    assert.equal(done.status, 200, done.body);
    h.clock.set(new Date());
    const again = await authorizationRequest(config, redirectUri, { max_age: '300' });
    const next = await follow(b, again.url.href, base, (u) => u.pathname === '/step-up' || atRp(u));
    assert.equal(next.pathname, '/step-up', 'a step-up twenty minutes old is not within max_age=300');
  });
});
