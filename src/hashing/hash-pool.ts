/**
 * argon2id (@node-rs/argon2) on a few dedicated worker threads at lowered priority. Measured in
 * bench/ (docs/performance.md): with argon2 on libuv's pool at normal priority, a 09:00 login
 * storm took both cores from the event loop and session checks waited tens of milliseconds.
 */
import { Worker } from 'node:worker_threads';
import type { LegacyJob } from '../crypto/legacy-hashes';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

interface Job {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  worker: number;
}

export class HashPool {
  /** Started at the first job: most CLI commands hash nothing and should not pay for the threads. */
  private started: Worker[] | null = null;
  private readonly workerData: Record<string, unknown>;
  private readonly size: number;
  private readonly jobs = new Map<number, Job>();
  /** Jobs handed to each thread and not yet answered. */
  private readonly pending: number[];
  private seq = 0;

  constructor(size: number, params: Argon2Params, nice = 10) {
    // algorithm 2 = Argon2id in @node-rs/argon2.
    this.workerData = { nice, params: { algorithm: 2, memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism } };
    this.size = Math.max(1, size);
    this.pending = Array.from({ length: this.size }, () => 0);
  }

  start(): void {
    void this.workers;
  }

  private get workers(): Worker[] {
    this.started ??= Array.from({ length: this.size }, () => {
      const w = new Worker(new URL('./hash-worker.mjs', import.meta.url), { workerData: this.workerData });
      w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        const job = this.jobs.get(m.id);
        this.jobs.delete(m.id);
        if (job) this.pending[job.worker]! -= 1;
        if (this.jobs.size === 0) for (const x of this.workers) x.unref();
        if (m.error) job?.reject(new Error(m.error));
        else job?.resolve(m.result);
      });
      w.on('error', (e) => {
        for (const j of this.jobs.values()) j.reject(e);
        this.jobs.clear();
      });
      // Idle workers must not keep a CLI command alive; busy ones keep the process up (see run).
      w.unref();
      return w;
    });
    return this.started;
  }

  private run<T>(message: Record<string, unknown>): Promise<T> {
    const id = ++this.seq;
    // The least busy thread; a second job waits in its message port, so it never idles between
    // jobs waiting for the event loop to hand it the next one.
    let w = 0;
    for (let i = 1; i < this.pending.length; i++) if (this.pending[i]! < this.pending[w]!) w = i;
    this.pending[w]! += 1;
    if (this.jobs.size === 0) for (const x of this.workers) x.ref();
    return new Promise<T>((resolve, reject) => {
      this.jobs.set(id, { resolve: resolve as (v: unknown) => void, reject, worker: w });
      this.workers[w]!.postMessage({ id, ...message });
    });
  }

  hash(password: string): Promise<string> {
    return this.run<string>({ op: 'hash', password });
  }

  verify(stored: string, password: string): Promise<boolean> {
    return this.run<boolean>({ op: 'verify', stored, password });
  }

  /** An imported bcrypt or PBKDF2 hash, parsed by crypto/legacy-hashes.ts, checked on the same threads. */
  verifyLegacy(legacy: LegacyJob, password: string): Promise<boolean> {
    return this.run<boolean>({ op: 'legacy', legacy, password });
  }

  async close(): Promise<void> {
    await Promise.all((this.started ?? []).map((w) => w.terminate()));
  }
}

/** True when a stored argon2 hash was made with weaker parameters or another variant (upgrade on login). */
export function argon2NeedsRehash(stored: string, p: Argon2Params): boolean {
  const m = /^\$argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  return m[1] !== 'id' || Number(m[2]) !== 19 || Number(m[3]) < p.memoryCost || Number(m[4]) < p.timeCost || Number(m[5]) !== p.parallelism;
}
