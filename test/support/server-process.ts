/** `mamori serve` as its own process, as production runs it: for multi-process and crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { startHarness, type Harness } from './harness';
import { freePort } from './server';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** kill -9: no shutdown, no flushing, as a crash or an OOM kill. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/mamori.js', 'serve'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_ITERATIONS: '1',
      ...env,
    },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Never leave a server behind a failed test: it would keep the test process alive.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    if ((await fetch(`${url}/readyz`).catch(() => null))?.ok) break;
    if (i > 300) {
      reap();
      throw new Error(`server did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** POST JSON to a server process (an API client or the mobile app: no Origin header). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

/**
 * A deployment as at 09:00: the harness (database, SMTP sink, secret key) and two `mamori serve`
 * processes on its database, started together as a load balancer's processes are.
 */
export async function startTwoProcesses(env: Record<string, string> = {}): Promise<{ h: Harness; a: ServerProcess; b: ServerProcess; close(): Promise<void> }> {
  const key = randomBytes(32).toString('hex');
  const h = await startHarness({ MAMORI_SECRET_KEY: key });
  const shared = { DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: key, ...env };
  const [a, b] = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
  return {
    h,
    a,
    b,
    async close() {
      await Promise.all([a.stop(), b.stop()]);
      await h.close();
    },
  };
}

/**
 * The two-process deployment of a suite: started before its tests, stopped after them; `use`
 * hands the harness and the processes to the suite's variables.
 */
export function twoProcessSuite(env: Record<string, string>, use: (d: { h: Harness; a: ServerProcess; b: ServerProcess }) => void): void {
  let deployment: Awaited<ReturnType<typeof startTwoProcesses>> | undefined;
  before(async () => {
    deployment = await startTwoProcesses(env);
    use(deployment);
  });
  after(async () => deployment?.close());
}
