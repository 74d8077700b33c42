/** What bench/load.mjs takes and prints, and how a benchmark runs it (in its own process). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

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

/** Runs bench/load.mjs in its own process: the load must not share the measuring process's event loop. */
export function load(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'load.mjs')], { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(JSON.stringify(plan));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}
