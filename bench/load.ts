/**
 * The load generator, run as its own process so that it never shares an event loop with the
 * server it measures. Reads a plan as JSON from argv[2], prints autocannon's figures as JSON.
 */
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  method: 'GET' | 'POST';
  seconds: number;
  connections: number;
  /** Offered requests per second across all connections (open model); none = as fast as possible. */
  rate?: number;
  /** Rotated per request: JSON bodies, or cookie headers. */
  bodies?: string[];
  cookies?: string[];
  /** Each cookie is used for this many consecutive requests (a page view makes several checks). */
  repeatEach?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

import { readFileSync } from 'node:fs';

// The plan comes on standard input: token lists are too long for a command line.
const plan = JSON.parse(readFileSync(0, 'utf8')) as LoadPlan;
let i = 0;
const instance = autocannon(
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
          if (plan.cookies) req.headers = { ...req.headers, cookie: plan.cookies[Math.floor(i / (plan.repeatEach ?? 1)) % plan.cookies.length]! };
          return req;
        },
      },
    ],
  },
  (err: Error | null, r: autocannon.Result) => {
    if (err) {
      process.stderr.write(String(err));
      process.exit(1);
    }
    const statusCodes: Record<string, number> = {};
    for (const [code, v] of Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
    const out: LoadResult = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, errors: r.errors, timeouts: r.timeouts, statusCodes };
    process.stdout.write(JSON.stringify(out));
  },
);
void instance;
