/**
 * The OpenID Connect provider's two busiest endpoints, as ratios to the bare node:http server in
 * the same run (like the session check in bench/run.ts): the token endpoint with the
 * `refresh_token` grant (rotation: every refresh spends its token and writes a new one, and signs
 * a new ID token) and userinfo (`/oidc/me` with a bearer access token). A second `mamori serve`
 * with OIDC_PROVIDER=on runs on the benchmark's database, so the main server's figures are
 * untouched; its relying party is registered with the CLI, and its customers are the dataset's
 * signed-in sessions, each walked once through the code flow with PKCE for their tokens.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LoadResult } from './load-plan';

export interface OidcBenchSetup {
  root: string;
  databaseUrl: string;
  secretHex: string;
  smtpUrl: string;
  /** The bare server, which gets the very same requests. */
  bareUrl: string;
  /** Cookie headers of the dataset's live sessions. */
  sessionCookies: string[];
  seconds: number;
  pairs: number;
  log: (line: string) => void;
}

export interface OidcBenchResult {
  refreshPerSec: number;
  refreshVsBareHttp: number;
  refreshRunRatios: number[];
  refreshP99Ms: number;
  userinfoPerSec: number;
  userinfoVsBareHttp: number;
  userinfoRunRatios: number[];
  userinfoP99Ms: number;
  /** Answers other than 200 from Mamori in all runs (should be none). */
  non200: number;
  raw: { refresh: LoadResult[]; bareRefresh: LoadResult[]; userinfo: LoadResult[]; bareUserinfo: LoadResult[] };
}

const CONNECTIONS = 10;
/**
 * Refresh chains: more than the connections, so a slow answer never leaves one waiting, and enough
 * for every run. The requests in flight when a run stops spend their tokens, and those chains end:
 * up to one chain per connection each run (the full run's fifth run once found none left and was
 * all 400s), so each run needs its own connections' worth, and the last still more than that.
 */
const chainsFor = (pairs: number) => (pairs + 2) * CONNECTIONS;
const CLIENT_ID = 'bench-rp';
const REDIRECT = 'https://bench.example.test/cb';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type OidcLoadResult = LoadResult & { unspent: string[] };

function oidcLoad(root: string, plan: Record<string, unknown>): Promise<OidcLoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench/oidc-load.mjs')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(JSON.stringify(plan));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as OidcLoadResult) : reject(new Error(`oidc load generator exited ${code}`))));
  });
}

const run = (cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) =>
  new Promise<string>((done, fail) => execFile(cmd, args, opts, (e, stdout) => (e ? fail(e) : done(stdout))));

/** One customer's code flow with PKCE, from their Mamori session cookie: their tokens. */
async function tokensFor(issuer: string, basic: string, sessionCookie: string): Promise<{ access_token: string; refresh_token: string }> {
  const jar = new Map<string, string>([sessionCookie.split(/=(.*)/s).slice(0, 2) as [string, string]]);
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access', state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  let url = `${issuer}/oidc/auth?${query}`;
  for (let i = 0; i < 8 && !url.startsWith(REDIRECT); i++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split(/=(.*)/s);
      jar.set(k!, v ?? '');
    }
    const to = res.headers.get('location');
    if (!to) throw new Error(`no redirect from ${new URL(url).pathname}: ${res.status}`);
    url = new URL(to, url).href;
  }
  const code = new URL(url).searchParams.get('code');
  const res = await fetch(`${issuer}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code ?? '', redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
  });
  const json = (await res.json()) as { access_token?: string; refresh_token?: string };
  if (!json.access_token || !json.refresh_token) throw new Error(`no tokens: ${JSON.stringify(json)}`);
  return json as { access_token: string; refresh_token: string };
}

export async function benchOidcTokens(s: OidcBenchSetup): Promise<OidcBenchResult> {
  const env = { ...process.env, NODE_ENV: 'development', DATABASE_URL: s.databaseUrl, MAMORI_SECRET_KEY: s.secretHex, LANG: 'C.UTF-8', LOG_LEVEL: 'error' };
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const issuer = `http://localhost:${port}`;
  let stderr = '';
  const server = spawn(process.execPath, [join(s.root, 'bin/mamori.js'), 'serve'], {
    cwd: s.root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: issuer, SMTP_URL: s.smtpUrl, OIDC_PROVIDER: 'on' },
  });
  server.stderr!.on('data', (d) => (stderr += d));
  try {
    // Registered while the server starts (it looks clients up on each use).
    const added = await run(process.execPath, [join(s.root, 'bin/mamori.js'), 'oidc-clients', 'add', '--id', CLIENT_ID, '--redirect-uri', REDIRECT, '--lang', 'en'], { cwd: s.root, env });
    // The secret is the line after the one that announces it.
    const lines = added.split('\n');
    const secret = lines[lines.findIndex((l) => l.includes('client secret')) + 1] ?? '';
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${secret.trim()}`).toString('base64')}`;
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; !(await fetch(`${base}/readyz`).catch(() => null))?.ok; i++) {
      if (server.exitCode !== null || i > 600) throw new Error(`the OIDC server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The customers' code flows, CONNECTIONS at a time.
    const cookies = s.sessionCookies.slice(0, chainsFor(s.pairs));
    if (cookies.length < chainsFor(s.pairs)) throw new Error(`the dataset has ${cookies.length} signed-in customers, the OIDC runs need ${chainsFor(s.pairs)}`);
    const tokens: { access_token: string; refresh_token: string }[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        for (const c of cookies.filter((_c, i) => i % CONNECTIONS === w)) tokens.push(await tokensFor(issuer, basic, c));
      }),
    );

    const load = (kind: 'refresh' | 'bearer', url: string, chain: boolean, list: string[], seconds = s.seconds) => oidcLoad(s.root, { kind, url, seconds, connections: CONNECTIONS, tokens: list, authorization: basic, chain });
    const access = tokens.map((l) => l.access_token);
    // Userinfo first: a refresh chain that broke would revoke its family's access tokens.
    await load('bearer', `${base}/oidc/me`, false, access, 1); // warm up
    const userinfo: LoadResult[] = [];
    const bareUserinfo: LoadResult[] = [];
    for (let i = 0; i < s.pairs; i++) {
      bareUserinfo.push(await load('bearer', s.bareUrl, false, access));
      userinfo.push(await load('bearer', `${base}/oidc/me`, false, access));
    }
    const refresh: LoadResult[] = [];
    const bareRefresh: LoadResult[] = [];
    let chains = tokens.map((l) => l.refresh_token);
    for (let i = 0; i < s.pairs; i++) {
      bareRefresh.push(await load('refresh', s.bareUrl, false, chains));
      const r = await load('refresh', `${base}/oidc/token`, true, chains);
      // The next run goes on with the tokens this one left unspent (not kept in the results).
      chains = r.unspent;
      refresh.push({ ...r, unspent: [] } as LoadResult);
    }
    const ratios = (m: LoadResult[], b: LoadResult[]) => m.map((r, i) => r.rps / b[i]!.rps);
    const non200 = [...refresh, ...userinfo].reduce((n, r) => n + r.total - (r.statusCodes['200'] ?? 0), 0);
    const result: OidcBenchResult = {
      refreshPerSec: median(refresh.map((r) => r.rps)),
      refreshVsBareHttp: median(ratios(refresh, bareRefresh)),
      refreshRunRatios: ratios(refresh, bareRefresh),
      refreshP99Ms: median(refresh.map((r) => r.p99)),
      userinfoPerSec: median(userinfo.map((r) => r.rps)),
      userinfoVsBareHttp: median(ratios(userinfo, bareUserinfo)),
      userinfoRunRatios: ratios(userinfo, bareUserinfo),
      userinfoP99Ms: median(userinfo.map((r) => r.p99)),
      non200,
      raw: { refresh, bareRefresh, userinfo, bareUserinfo },
    };
    s.log(`OIDC token endpoint, refresh with rotation: ${result.refreshPerSec.toFixed(0)} req/s (${result.refreshVsBareHttp.toFixed(2)} of bare), p99 ${result.refreshP99Ms} ms; userinfo: ${result.userinfoPerSec.toFixed(0)} req/s (${result.userinfoVsBareHttp.toFixed(2)} of bare), p99 ${result.userinfoP99Ms} ms; ${non200} not 200`);
    return result;
  } finally {
    server.kill('SIGKILL');
  }
}

/** The rows of bench/run.ts's table. */
export function oidcRows(r: OidcBenchResult, row: (name: string, value: string, target: string) => string): string[] {
  return [
    row('OIDC refresh (token endpoint, rotation) req/s', r.refreshPerSec.toFixed(0), ''),
    row('  ÷ bare node:http', r.refreshVsBareHttp.toFixed(2), ''),
    row('OIDC userinfo req/s', r.userinfoPerSec.toFixed(0), ''),
    row('  ÷ bare node:http', r.userinfoVsBareHttp.toFixed(2), ''),
    row('  answers not 200', String(r.non200), '0'),
  ];
}
