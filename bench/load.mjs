// @ts-check
/**
 * The load generator, run as its own process so that it never shares an event loop with the
 * server it measures. Reads a plan (bench/load-plan.ts: LoadPlan) as JSON on standard input —
 * token lists are too long for a command line — and prints autocannon's figures as JSON
 * (LoadResult). Plain JavaScript: the benchmark starts it some thirty times, and a TypeScript
 * loader's start-up (0.4 s each here) would push the quick run past two minutes.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** @type {import('./load-plan').LoadPlan} */
const plan = JSON.parse(readFileSync(0, 'utf8'));
let i = 0;
autocannon(
  {
    url: plan.url,
    method: plan.method,
    duration: plan.seconds,
    connections: plan.connections,
    ...(plan.rate ? { overallRate: plan.rate } : {}),
    headers: plan.bodies ? { 'content-type': 'application/json' } : {},
    requests: [
      {
        setupRequest(req) {
          i += 1;
          if (plan.bodies) req.body = plan.bodies[i % plan.bodies.length];
          if (plan.cookies) req.headers = { ...req.headers, cookie: plan.cookies[Math.floor(i / (plan.repeatEach ?? 1)) % plan.cookies.length] };
          return req;
        },
      },
    ],
  },
  (err, r) => {
    if (err) {
      process.stderr.write(String(err));
      process.exit(1);
    }
    /** @type {Record<string, number>} */
    const statusCodes = {};
    for (const [code, v] of Object.entries(/** @type {any} */ (r).statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
    /** @type {import('./load-plan').LoadResult} */
    const out = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, errors: r.errors, timeouts: r.timeouts, statusCodes };
    process.stdout.write(JSON.stringify(out));
  },
);
