/**
 * `node --import tsx bench/ab.ts DIR_A DIR_B [session|login] [pairs] [seconds]`: two checkouts of
 * Mamori (say main and a change, in git worktrees) served side by side on one dataset and loaded in
 * turn, A B B A …, so that the machine's drift (its speed moves by a third within minutes) falls on
 * both alike. Prints, pair by pair and as medians, B's requests/s and main-thread CPU per request as
 * ratios to A's. A tool for judging a change in docs/performance.md, not a benchmark.
 *
 * Run it both ways round (A B, then B A) and believe only what shows in both: with the same tree
 * on both sides it once gave B 7 % less CPU per check over eight pairs, whatever the cause.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { quickDataset } from './dataset';
import { load, type LoadPlan } from './load-plan';
import { mainThreadCpuMs, rssMb } from './proc-stats';

const dirA = process.argv[2] ? resolve(process.argv[2]) : '';
const dirB = process.argv[3] ? resolve(process.argv[3]) : '';
const mode = (process.argv[4] ?? 'session') as 'session' | 'login';
const pairs = Number(process.argv[5] ?? 6);
const seconds = Number(process.argv[6] ?? 3);
if (!dirA || !dirB || !['session', 'login'].includes(mode)) throw new Error('usage: bench/ab.ts DIR_A DIR_B [session|login] [pairs] [seconds]');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-ab-'));
  const { databaseUrl, secretHex, data } = await quickDataset(join(dir, 'ab.db'));
  const servers: { name: string; child: ChildProcess; base: string }[] = [];
  for (const [name, root] of [['A', dirA], ['B', dirB]] as const) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, [join(root, 'bin/mamori.js'), 'serve'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://localhost:${port}`, DATABASE_URL: databaseUrl, MAMORI_SECRET_KEY: secretHex, LOG_LEVEL: 'warn' },
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600 && !(await fetch(`${base}/readyz`).catch(() => null))?.ok; i++) await new Promise((r) => setTimeout(r, 100));
    servers.push({ name, child, base });
  }
  const plan = (base: string, s: number): LoadPlan =>
    mode === 'session'
      ? { url: `${base}/api/v1/session`, method: 'GET', connections: 10, cookies: data.sessionCookies, repeatEach: 4, seconds: s }
      : { url: `${base}/api/v1/login`, method: 'POST', connections: 16, bodies: data.recognizedLogins, seconds: s };
  const measure = async (s: (typeof servers)[number]) => {
    const before = mainThreadCpuMs(s.child.pid!);
    const r = await load(plan(s.base, seconds));
    return { rps: r.rps, cpuUs: ((mainThreadCpuMs(s.child.pid!) - before) * 1000) / Math.max(1, r.total) };
  };
  try {
    for (const s of servers) await load(plan(s.base, mode === 'login' ? 20 : 3)); // warm up (see bench/run.ts)
    const rps: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const [first, second] = i % 2 ? [servers[1]!, servers[0]!] : [servers[0]!, servers[1]!];
      const m1 = await measure(first);
      const m2 = await measure(second);
      const [a, b] = i % 2 ? [m2, m1] : [m1, m2];
      rps.push(b.rps / a.rps);
      cpu.push(b.cpuUs / a.cpuUs);
      process.stdout.write(`pair ${i + 1}: A ${a.rps.toFixed(0)} req/s ${a.cpuUs.toFixed(1)} µs, B ${b.rps.toFixed(0)} req/s ${b.cpuUs.toFixed(1)} µs\n`);
    }
    process.stdout.write(`B ÷ A, medians of ${pairs} pairs: req/s ${median(rps).toFixed(3)}, main-thread CPU per request ${median(cpu).toFixed(3)}\n`);
    process.stdout.write(`RSS now: ${servers.map((s) => `${s.name} ${rssMb(s.child.pid!).toFixed(0)} MB`).join(', ')}\n`);
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
