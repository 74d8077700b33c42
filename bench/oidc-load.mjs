// @ts-check
/**
 * The load generator for the OpenID Connect entries (bench/oidc-tokens.ts), its own process like
 * bench/load.mjs. Two kinds of plan, read as JSON on standard input:
 * - `refresh`: POST the token endpoint with `grant_type=refresh_token`, client_secret_basic. Each
 *   answer's new refresh token goes back into a shared queue and the next request takes one from
 *   it, so every token is spent once, as rotating clients do (a spent one presented again would
 *   revoke its whole family). With `chain: false` (the bare server) the same requests, token unchanged.
 * - `bearer`: GET with `Authorization: Bearer <access token>`, tokens taken in turn (userinfo).
 * Prints autocannon's figures as JSON (bench/load-plan.ts: LoadResult).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** @type {{ kind: 'refresh' | 'bearer', url: string, seconds: number, connections: number, tokens: string[], authorization?: string, chain?: boolean }} */
const plan = JSON.parse(readFileSync(0, 'utf8'));
const queue = [...plan.tokens];
let i = 0;
/** @type {import('autocannon').Request} */
const request =
  plan.kind === 'refresh'
    ? {
        method: 'POST',
        setupRequest(req) {
          // An empty queue means answers were lost (non-200): reuse a token, which is then refused and counted.
          const token = (plan.chain ? queue.shift() : undefined) ?? plan.tokens[i++ % plan.tokens.length];
          req.headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: plan.authorization ?? '' };
          req.body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(token ?? '')}`;
          return req;
        },
        onResponse(status, body) {
          if (!plan.chain || status !== 200) return;
          const next = JSON.parse(body).refresh_token;
          if (typeof next === 'string') queue.push(next);
        },
      }
    : {
        method: 'GET',
        setupRequest(req) {
          req.headers = { authorization: `Bearer ${plan.tokens[i++ % plan.tokens.length]}` };
          return req;
        },
      };

autocannon({ url: plan.url, duration: plan.seconds, connections: plan.connections, requests: [request] }, (err, r) => {
  if (err) {
    process.stderr.write(String(err));
    process.exit(1);
  }
  /** @type {Record<string, number>} */
  const statusCodes = {};
  for (const [code, v] of Object.entries(/** @type {any} */ (r).statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
  // The refresh tokens still unspent (chain: the next run goes on with them).
  const out = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, errors: r.errors, timeouts: r.timeouts, statusCodes, unspent: plan.chain ? queue : [] };
  process.stdout.write(JSON.stringify(out));
});
