/**
 * The hand-kept latency histogram (observability/request-latency.ts) scrapes as prom-client's own
 * Histogram does, fed the same observations: the same lines (in the text format and as JSON),
 * bucket bounds inclusive, values above every bound only in +Inf.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { RequestLatency } from '../../../src/observability/request-latency';

const BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OBSERVATIONS: [string, string, number, number][] = [
  ['GET', '/api/v1/session', 200, 0.0004],
  ['GET', '/api/v1/session', 200, 0.001], // on a bound: in that bucket
  ['GET', '/api/v1/session', 401, 0.003],
  ['POST', '/api/v1/login', 200, 0.12],
  ['GET', '/api/v1/session', 200, 7], // above every bound
  ['POST', '/api/v1/login', 503, 0.0001],
  ['GET', '/login', 200, 0.0049],
];

function both() {
  const ours = new Registry();
  const theirs = new Registry();
  const latency = new RequestLatency('x_seconds', 'help text', BOUNDS);
  ours.registerMetric(latency as unknown as Histogram);
  const reference = new Histogram({ name: 'x_seconds', help: 'help text', labelNames: ['method', 'route', 'status'], buckets: BOUNDS, registers: [theirs] });
  for (const [method, route, status, seconds] of OBSERVATIONS) {
    latency.observe(method, route, status, seconds);
    reference.observe({ method, route, status: String(status) }, seconds);
  }
  return { ours, theirs, latency };
}

const lines = (text: string) => text.split('\n').filter(Boolean).sort();

it('the text format has the same lines as prom-client’s Histogram', async () => {
  const { ours, theirs } = both();
  const text = await ours.metrics();
  assert.deepEqual(lines(text), lines(await theirs.metrics()));
  assert.match(text, /x_seconds_bucket\{le="0\.001",method="GET",route="\/api\/v1\/session",status="200"\} 2/);
  assert.match(text, /x_seconds_bucket\{le="5",method="GET",route="\/api\/v1\/session",status="200"\} 2/);
  assert.match(text, /x_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/session",status="200"\} 3/);
  assert.match(text, /x_seconds_count\{method="POST",route="\/api\/v1\/login",status="503"\} 1/);
});

it('the JSON form has the same values', async () => {
  const { ours, theirs } = both();
  const key = (v: { metricName?: string; labels: object; value: number }) => JSON.stringify([v.metricName, Object.entries(v.labels).sort(), v.value]);
  const [a] = await ours.getMetricsAsJSON();
  const [b] = await theirs.getMetricsAsJSON();
  assert.deepEqual(a!.values.map(key).sort(), b!.values.map(key).sort());
});

it('reset empties it; a value that is not a number is not counted', async () => {
  const { ours, latency } = both();
  latency.reset();
  latency.observe('GET', '/x', 200, NaN);
  assert.equal(lines(await ours.metrics()).filter((l) => !l.startsWith('#')).length, 0);
});
