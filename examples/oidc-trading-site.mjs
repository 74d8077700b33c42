// A small trading site that logs its customers in through Mamori (OpenID Connect, openid-client).
// Run: MAMORI_URL=https://login.example.co.jp CLIENT_ID=trading-web CLIENT_SECRET=… PORT=8080 node examples/oidc-trading-site.mjs
// Register it first: npx mamori oidc-clients add --id trading-web --redirect-uri http://localhost:8080/callback
//   --backchannel-logout-uri http://localhost:8080/backchannel
import { createServer } from 'node:http';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import * as oidc from 'openid-client';

const PHR = 'urn:mamori:acr:phr';

export async function startTradingSite({ mamoriUrl, clientId, clientSecret, port, insecure = false }) {
  const config = await oidc.discovery(new URL(mamoriUrl), clientId, clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : {});
  const base = `http://localhost:${port}`;
  const pending = new Map(); // state → { verifier, then }
  const sessions = new Map(); // cookie → { sub, sid, acr, name }
  const cookieOf = (req) => /(?:^|; )site=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
  const page = (res, body, status = 200) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8"><title>取引サイト</title>${body}`);

  async function login(res, then, extra = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    pending.set(state, { verifier, then });
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${base}/callback`, scope: 'openid profile', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra });
    res.writeHead(303, { location: url.href }).end();
  }

  /** A back-channel logout token: signed by one of Mamori's published keys, for us, with the event. */
  async function logoutClaims(token) {
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const { keys } = await (await fetch(config.serverMetadata().jwks_uri)).json();
    const jwk = keys.find((k) => k.kid === header.kid);
    if (!jwk || header.alg !== 'ES256' || !verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) return null;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const ok = claims.iss === config.serverMetadata().issuer && claims.aud === clientId && claims.events?.['http://schemas.openid.net/event/backchannel-logout'];
    return ok ? claims : null;
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, base);
    const session = sessions.get(cookieOf(req));
    try {
      if (url.pathname === '/') return session ? page(res, `<p>${session.name} 様（${session.acr}）</p><form method="post" action="/withdraw"><button>出金する</button></form>`) : page(res, '<a href="/login">ログイン</a>');
      if (url.pathname === '/login') return login(res, '/');
      if (url.pathname === '/withdraw') {
        if (!session) return login(res, '/');
        // The rules ask for a phishing-resistant proof at a withdrawal: a passkey, through Mamori's step-up.
        if (session.acr !== PHR) return login(res, '/withdraw', { acr_values: PHR });
        return page(res, '<p id="done">出金を受け付けました</p>');
      }
      if (url.pathname === '/callback') {
        const wait = pending.get(url.searchParams.get('state'));
        if (!wait) return page(res, 'もう一度ログインしてください', 400);
        pending.delete(url.searchParams.get('state'));
        const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: wait.verifier, expectedState: url.searchParams.get('state') });
        const c = tokens.claims();
        const info = await oidc.fetchUserInfo(config, tokens.access_token, c.sub);
        sessions.delete(cookieOf(req)); // a step-up's login replaces the session it raised
        const id = randomBytes(18).toString('base64url');
        sessions.set(id, { sub: c.sub, sid: c.sid, acr: c.acr, name: info.name ?? c.sub });
        return res.writeHead(303, { location: wait.then, 'set-cookie': `site=${id}; HttpOnly; SameSite=Lax; Path=/` }).end();
      }
      if (url.pathname === '/backchannel' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const claims = await logoutClaims(new URLSearchParams(body).get('logout_token') ?? '');
        if (!claims) return res.writeHead(400).end();
        for (const [id, s] of sessions) if (s.sid === claims.sid || (!claims.sid && s.sub === claims.sub)) sessions.delete(id);
        return res.writeHead(200).end();
      }
      return page(res, 'not found', 404);
    } catch (e) {
      return page(res, `エラー: ${String(e.message ?? e).replace(/[<&]/g, '')}`, 400);
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { server, sessions, close: () => new Promise((r) => server.close(r)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const e = process.env;
  await startTradingSite({ mamoriUrl: e.MAMORI_URL, clientId: e.CLIENT_ID, clientSecret: e.CLIENT_SECRET, port: Number(e.PORT ?? 8080), insecure: e.MAMORI_URL?.startsWith('http://') });
}
