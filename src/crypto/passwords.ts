/**
 * argon2id with OWASP's parameters (19 MiB, t=2, p=1) for every password we hash; bcrypt and
 * PBKDF2 accepted from imports and upgraded. All work goes through a bounded queue.
 */
import argon2 from 'argon2';
import type { PasswordHasher } from '../domain/ports';
import { BoundedQueue } from './bounded-queue';
import { isLegacyHash, verifyLegacy } from './legacy-hashes';

export interface PasswordHasherOptions {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  maxConcurrent: number;
  maxQueued: number;
  retryAfterSeconds: number;
}

const ARGON2 = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export function createPasswordHasher(o: PasswordHasherOptions): PasswordHasher & { queueDepth(): number; inFlight(): number; rejected(): number } {
  const queue = new BoundedQueue(o.maxConcurrent, o.maxQueued, o.retryAfterSeconds);
  const params = { type: argon2.argon2id, memoryCost: o.memoryCost, timeCost: o.timeCost, parallelism: o.parallelism };
  let dummy: Promise<string> | null = null;

  const hash = (password: string) => queue.run(() => argon2.hash(password, params));

  return {
    hash,
    async verify(stored, password) {
      if (ARGON2.test(stored)) {
        const ok = await queue.run(() => argon2.verify(stored, password).catch(() => false));
        return { ok, needsRehash: ok && (!stored.startsWith('$argon2id$') || argon2.needsRehash(stored, params)) };
      }
      if (isLegacyHash(stored)) {
        const ok = await queue.run(() => verifyLegacy(stored, password));
        return { ok, needsRehash: ok };
      }
      return { ok: false, needsRehash: false };
    },
    async verifyDummy(password) {
      dummy ??= argon2.hash('mamori dummy password for unknown login ids', params);
      const stored = await dummy;
      await queue.run(() => argon2.verify(stored, password).catch(() => false));
    },
    isSupportedHash: (stored) => ARGON2.test(stored) || isLegacyHash(stored),
    queueDepth: () => queue.depth,
    inFlight: () => queue.inFlight,
    rejected: () => queue.rejected,
  };
}
