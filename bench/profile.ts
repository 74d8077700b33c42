/**
 * `node --import tsx bench/profile.ts [session|cold|login|start] [seconds] [--cpu-only] [--warm-up=S]`: where the main thread's time
 * goes. Builds a small dataset, runs `mamori serve` with V8's CPU profiler, loads
 * `GET /api/v1/session` as the benchmark's page views do (`session`) or with a different session
 * every time (`cold`: the check that reads the database), or `POST /api/v1/login` from
 * recognised browsers (`login`) or unrecognised ones (`start`), stops the server cleanly (the profile
 * is written at exit) and prints the functions with the most self time, counted from the first
 * request on (start-up is left out). A tool for docs/performance.md, not a measurement: the profiler
 * slows everything down alike. `PROFILE_KEEP=FILE` keeps the V8 profile (.cpuprofile) for a closer look.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickDataset } from './dataset';
import { load } from './load-plan';
import { mainThreadCpuMs, threadCpuMs } from './proc-stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const ROOT = join(import.meta.dirname, '..');
const mode = (process.argv[2] ?? 'session') as 'session' | 'cold' | 'login' | 'start';
const seconds = Number(process.argv[3] ?? 10);
// Without the profiler: only the main thread's CPU per request, the figure a change is judged by.
const cpuOnly = process.argv.includes('--cpu-only');
// `--warm-up=S`: S seconds of the same load first, not counted: V8 optimises a function only after
// it has run a while, and a login path run for a few seconds is measured half in baseline code.
const warmUp = Number(/^--warm-up=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--warm-up=')) ?? '')?.[1] ?? 0);
if (!['session', 'cold', 'login', 'start'].includes(mode)) throw new Error('mode: session, cold, login or start');



/** CPU ms of every thread of the process by thread name (main, hashing workers, SQLite's checkpointer, libuv's pool…). */
function threadsCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let name = '?';
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {}
    if (Number(tid) === pid) name = 'main';
    else if (process.env.PROFILE_BY_TID) name = `${name}:${tid}`;
    byName.set(name, (byName.get(name) ?? 0) + threadCpuMs(pid, Number(tid)));
  }
  return byName;
}

/** The server's running totals of session checks by how they were answered (its /metrics). */
async function checkAnswers(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return new Map([...text.matchAll(/^mamori_session_checks_total\{answer="(\w+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-profile-'));
  const { databaseUrl, secretHex, data } = await quickDataset(join(dir, 'profile.db'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const serverStarted = Date.now();
  const server = spawn(process.execPath, [...(cpuOnly ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`]), join(ROOT, 'bin/mamori.js'), 'serve'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, DATABASE_URL: databaseUrl, MAMORI_SECRET_KEY: secretHex, LOG_LEVEL: 'warn' },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && !(await fetch(`${base}/readyz`).catch(() => null))?.ok; i++) await new Promise((r) => setTimeout(r, 100));
  const run = (s: number) =>
    mode === 'session'
      ? load({ url: `${base}/api/v1/session`, method: 'GET', connections: 10, cookies: data.sessionCookies, repeatEach: 4, seconds: s })
      : mode === 'cold'
        ? load({ url: `${base}/api/v1/session`, method: 'GET', connections: 10, cookies: data.coldCookies, repeatEach: 1, seconds: s })
      : load({ url: `${base}/api/v1/login`, method: 'POST', connections: 16, bodies: mode === 'login' ? data.recognizedLogins : data.unrecognizedLogins, seconds: s });
  if (warmUp > 0) await run(warmUp);
  const answersBefore = await checkAnswers(base);
  const loadStarted = Date.now();
  const cpuBefore = mainThreadCpuMs(server.pid!);
  const threadsBefore = threadsCpuMs(server.pid!);
  const result = await run(seconds);
  const cpu = mainThreadCpuMs(server.pid!) - cpuBefore;
  const perThread = [...threadsCpuMs(server.pid!)].map(([name, ms]) => `${name} ${(((ms - (threadsBefore.get(name) ?? 0)) * 1000) / Math.max(1, result.total)).toFixed(1)}`);
  process.stderr.write(`CPU µs per request by thread: ${perThread.join(', ')}\n`);
  const answersAfter = await checkAnswers(base);
  process.stderr.write(`session checks answered: ${[...answersAfter].map(([k, n]) => `${k} ${n - (answersBefore.get(k) ?? 0)}`).join(', ')}\n`);
  process.stderr.write(`${mode}${cpuOnly ? '' : ' under the profiler'}: ${Math.round(result.rps)} req/s ${JSON.stringify(result.statusCodes)}; main thread ${((cpu / result.total) * 1000).toFixed(1)} µs CPU per request\n`);
  const exited = new Promise((r) => server.on('exit', r));
  server.kill('SIGTERM');
  await exited;
  if (cpuOnly) return rmSync(dir, { recursive: true, force: true });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
  // Samples from the first request on: the profile's clock is in microseconds of the process.
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const firstSample = profile.startTime + (loadStarted - serverStarted) * 1000;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < firstSample) return;
    const n = nodeById.get(id)!;
    const where = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + 1);
    const place = /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? /^src\/[^/]+(\/[^/.]+\/)?/.exec(where)?.[0] ?? (where.startsWith('node:') ? 'node' : where || n.callFrame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + 1);
    total++;
  });
  const busy = total - (byPlace.get('(idle)') ?? 0);
  process.stdout.write(`by place, share of the busy main thread (${busy} samples):\n`);
  for (const [place, hits] of [...byPlace].filter(([p]) => p !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`${((100 * hits) / busy).toFixed(1).padStart(5)} %  ${place}\n`);
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 70);
  for (const [name, hits] of top) process.stdout.write(`${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}\n`);
  if (process.env.PROFILE_KEEP) copyFileSync(join(dir, file), process.env.PROFILE_KEEP);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
