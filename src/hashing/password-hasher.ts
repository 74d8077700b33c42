/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1) for every password we hash; bcrypt and
 * PBKDF2 accepted from imports and upgraded. All work goes through a bounded queue, on the
 * hashing threads.
 *
 * A failed verification takes as long as the slowest kind of hash in the database. Imported
 * hashes are slower or faster than our argon2id (bcrypt-12 330 ms, PBKDF2 13 ms, against 22 ms
 * for an unknown ID, measured), so without this the time of a wrong password told an imported
 * account from an argon2id one and from an unknown ID (ASVS 5.0 V6.3.8: unknown IDs and wrong
 * passwords must look the same, in time too; test/integration/password-timing.test.ts). Each
 * kind present (recorded at import, see `learn`) is timed on the hashing threads, and again by
 * every check of it; a failure then waits, on a timer and not on a core, until FLOOR_MARGIN ×
 * the slowest kind's recent 95th percentile has passed since it began.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import type { PasswordHasher } from '../domain/ports';
import { passwordHashKind } from '../crypto/hash-kind';
import { isLegacyHash, legacyJob } from '../crypto/legacy-hashes';
import { normalizePassword, passwordForms } from '../crypto/normalize';
import { BoundedQueue } from './bounded-queue';
import { HashPool, argon2NeedsRehash } from './hash-pool';

/**
 * The floor is FLOOR_MARGIN × the 95th percentile of the slowest kind's last RECENT_CHECKS checks.
 * On a machine under bursts of load a slow kind's checks grow a long tail (measured with the
 * integration suite's heavier tests beside the timing test: bcrypt-8 checks from 18 to 235 ms
 * within seconds); the 80th percentile of 15 checks × 1.25 followed too late, so more than half of
 * the bcrypt failures ended after the floor and their median stood 16–22 % above the others'.
 * Replayed on that trace, this window and margin leave about 5 % of failures after the floor, and
 * the medians equal. A failure then waits longer on a loaded machine, on a timer, holding no core.
 */
const FLOOR_MARGIN = 1.5;
const FLOOR_PERCENTILE = 0.95;
const CALIBRATION_RUNS = 5;
const RECENT_CHECKS = 30;

export interface HasherTiming {
  now(): number;
  wait(ms: number): Promise<void>;
}

const realTiming: HasherTiming = { now: () => performance.now(), wait: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface PasswordHasherOptions {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  /** Hashing threads; twice as many hashes are in flight, so that no thread waits between two. */
  threads: number;
  maxQueued: number;
  retryAfterSeconds: number;
}

/** The options Mamori runs with: also the bench's bare server's, which must hash exactly as Mamori does. */
export function passwordHasherOptions(config: Pick<Config, 'argon2' | 'hashQueue'>): PasswordHasherOptions {
  return {
    ...config.argon2,
    // One hashing thread per core, at most four: more threads would only share the same cores.
    threads: config.hashQueue.threads || Math.max(1, Math.min(4, availableParallelism())),
    maxQueued: config.hashQueue.maxQueued,
    retryAfterSeconds: 2,
  };
}

const ARGON2 = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export type ProcessPasswordHasher = PasswordHasher & {
  queueDepth(): number;
  inFlight(): number;
  rejected(): number;
  /** How long a failed verification takes at least, in ms (0 until a kind was timed). */
  floorMs(): number;
  /** Starts the hashing threads now (a server, before its first login) rather than at the first hash (a CLI command that may hash nothing). */
  start(): void;
  close(): Promise<void>;
};

export function createPasswordHasher(o: PasswordHasherOptions, timing: HasherTiming = realTiming): ProcessPasswordHasher {
  const queue = new BoundedQueue(o.threads * 2, o.maxQueued, o.retryAfterSeconds);
  const params = { memoryCost: o.memoryCost, timeCost: o.timeCost, parallelism: o.parallelism };
  const pool = new HashPool(o.threads, params);
  const ownKind = `argon2id v=19 m=${o.memoryCost} t=${o.timeCost} p=${o.parallelism}`;
  let dummy: Promise<string> | null = null;
  /** The last check times of each kind learnt (ms, on a hashing thread), newest last. */
  const recent = new Map<string, number[]>();
  const highs = new Map<string, number>();
  const learning = new Map<string, Promise<void>>();
  let floor = 0;

  const hash = (password: string) => queue.run(() => pool.hash(normalizePassword(password)));

  /**
   * The floor follows each kind's recent checks, not only its first timing: a loaded machine
   * slows the slow kinds most (measured: bcrypt on the low-priority threads went from 20 to 80 ms
   * while other processes ran), and a floor timed when idle would then leak again.
   */
  const observe = (kind: string | null, ms: number) => {
    const xs = kind ? recent.get(kind) : undefined;
    if (!xs) return;
    xs.push(ms);
    if (xs.length > RECENT_CHECKS) xs.shift();
    const sorted = [...xs].sort((a, b) => a - b);
    highs.set(kind!, sorted[Math.floor(FLOOR_PERCENTILE * (sorted.length - 1))]!);
    floor = Math.max(...highs.values()) * FLOOR_MARGIN;
  };

  /** Timed on the thread's turn, not while queued: a queue at the 09:00 rush holds every kind alike. */
  const timedJob = (kind: string | null, job: () => Promise<boolean>) => async () => {
    const start = timing.now();
    const ok = await job();
    observe(kind, timing.now() - start);
    return ok;
  };

  const check = (stored: string, password: string): Promise<boolean> => {
    const kind = recent.size ? passwordHashKind(stored) : null;
    if (ARGON2.test(stored)) return queue.run(timedJob(kind, () => pool.verify(stored, password)));
    const legacy = legacyJob(stored);
    return legacy ? queue.run(timedJob(kind, () => pool.verifyLegacy(legacy, password))) : Promise.resolve(false);
  };

  const dummyHash = () =>
    (dummy ??= hash('mamori dummy password for unknown login ids').catch((e) => {
      dummy = null;
      throw e;
    }));

  /** A failure returns no sooner than the floor after it began. */
  const holdFailure = async (startedAt: number) => {
    const left = startedAt + floor - timing.now();
    if (left > 0) await timing.wait(left);
  };

  /** Times a kind: a few checks the first time, one more at each later call (a fresh sample). */
  const time = (kind: string, example: string): Promise<void> => {
    const under = learning.get(kind);
    if (under) return under;
    const first = !recent.has(kind);
    if (first) recent.set(kind, []);
    const t = (async () => {
      for (let i = 0; i < (first ? CALIBRATION_RUNS : 1); i++) await check(example, randomBytes(12).toString('base64'));
    })().finally(() => learning.delete(kind));
    learning.set(kind, t);
    return t;
  };

  return {
    hash,
    async verify(stored, password) {
      const startedAt = timing.now();
      const [nfkc, typed] = passwordForms(password);
      const ok = await check(stored, nfkc);
      // A hash made before normalisation, of the password as typed: right, and renewed in NFKC form.
      const okAsTyped = !ok && typed !== undefined && (await check(stored, typed));
      if (!ok && !okAsTyped) {
        await holdFailure(startedAt);
        return { ok: false, needsRehash: false };
      }
      // Imported bcrypt / PBKDF2 and argon2 with other parameters become our argon2id (docs/operations.md, importing).
      return { ok: true, needsRehash: okAsTyped || !ARGON2.test(stored) || argon2NeedsRehash(stored, params) };
    },
    async verifyDummy(password) {
      const startedAt = timing.now();
      const stored = await dummyHash();
      // As many checks as `verify` makes for this password, so an unknown ID costs the same.
      for (const form of passwordForms(password)) await queue.run(timedJob(recent.size ? ownKind : null, () => pool.verify(stored, form)));
      await holdFailure(startedAt);
    },
    isSupportedHash: (stored) => ARGON2.test(stored) || isLegacyHash(stored),
    kindOf(stored) {
      const kind = passwordHashKind(stored);
      return kind === ownKind ? null : kind;
    },
    async learn(stored) {
      // Never fails its caller (an import already committed): a kind not timed now is timed at
      // the next refresh of the recorded kinds.
      try {
        await time(ownKind, await dummyHash());
        const kind = passwordHashKind(stored);
        if (kind && kind !== ownKind && (ARGON2.test(stored) || isLegacyHash(stored))) await time(kind, stored);
      } catch {
        // the queue was full (Overloaded) or a thread failed
      }
    },
    assertCapacity: () => queue.assertRoom(),
    queueDepth: () => queue.depth,
    inFlight: () => queue.inFlight,
    rejected: () => queue.rejected,
    floorMs: () => floor,
    start: () => pool.start(),
    close: () => pool.close(),
  };
}
