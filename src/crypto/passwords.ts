/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1) for every password we hash; bcrypt and
 * PBKDF2 accepted from imports and upgraded. All work goes through a bounded queue.
 */
import { availableParallelism } from 'node:os';
import type { Config } from '../config';
import type { PasswordHasher } from '../domain/ports';
import { BoundedQueue } from './bounded-queue';
import { HashPool, argon2NeedsRehash } from './hash-pool';
import { isLegacyHash, verifyLegacy } from './legacy-hashes';

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

export function createPasswordHasher(o: PasswordHasherOptions): PasswordHasher & { queueDepth(): number; inFlight(): number; rejected(): number; close(): Promise<void> } {
  const queue = new BoundedQueue(o.threads * 2, o.maxQueued, o.retryAfterSeconds);
  const params = { memoryCost: o.memoryCost, timeCost: o.timeCost, parallelism: o.parallelism };
  const pool = new HashPool(o.threads, params);
  let dummy: Promise<string> | null = null;

  const hash = (password: string) => queue.run(() => pool.hash(password));

  return {
    hash,
    async verify(stored, password) {
      if (ARGON2.test(stored)) {
        const ok = await queue.run(() => pool.verify(stored, password));
        return { ok, needsRehash: ok && argon2NeedsRehash(stored, params) };
      }
      if (isLegacyHash(stored)) {
        const ok = await queue.run(() => verifyLegacy(stored, password));
        return { ok, needsRehash: ok };
      }
      return { ok: false, needsRehash: false };
    },
    async verifyDummy(password) {
      dummy ??= queue.run(() => pool.hash('mamori dummy password for unknown login ids')).catch((e) => {
        dummy = null;
        throw e;
      });
      const stored = await dummy;
      await queue.run(() => pool.verify(stored, password));
    },
    isSupportedHash: (stored) => ARGON2.test(stored) || isLegacyHash(stored),
    assertCapacity: () => queue.assertRoom(),
    queueDepth: () => queue.depth,
    inFlight: () => queue.inFlight,
    rejected: () => queue.rejected,
    close: () => pool.close(),
  };
}
