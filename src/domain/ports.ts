/**
 * The interfaces the domain needs from the outside world. The domain imports nothing from
 * web/, store/ or mail/; the composition root (src/main.ts) wires real implementations and
 * tests wire their own (fixed clock, in-memory SMTP, temporary databases).
 */
import type { Store } from './store';

export type { Store } from './store';

export interface Clock {
  now(): Date;
}

export interface Random {
  /** Cryptographically secure random bytes. */
  bytes(length: number): Buffer;
  /** Uniform integer in [0, maxExclusive), cryptographically secure. */
  int(maxExclusive: number): number;
}

export interface PasswordVerification {
  ok: boolean;
  /** True when the stored hash is legacy (bcrypt, PBKDF2) or uses weaker argon2 parameters. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(storedHash: string, password: string): Promise<PasswordVerification>;
  /** Spend the same time as a real verification, for unknown login IDs (no user enumeration by timing). */
  verifyDummy(password: string): Promise<void>;
  /** True when a stored hash is in a format we can verify. */
  isSupportedHash(storedHash: string): boolean;
  /** The kind (scheme and cost) of a stored hash that is not the current argon2id; null for ours. */
  kindOf(storedHash: string): string | null;
  /**
   * Times a verification of this hash's kind once, so that every failed verification lasts as
   * long as the slowest kind present (no timing difference between unknown IDs, argon2id and
   * imported accounts).
   */
  learn(storedHash: string): Promise<void>;
  /** Throws Overloaded when no hash could be queued now: refuse before doing any other work. */
  assertCapacity(): void;
}

/** Keyed one-way hash (HMAC) for tokens and codes at rest: a stolen database reveals none of them. */
export interface KeyedHasher {
  hash(purpose: string, value: string): string;
  equals(purpose: string, value: string, storedHash: string): boolean;
}

/** Authenticated encryption for secrets at rest (TOTP keys). */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export interface Ports {
  store: Store;
  clock: Clock;
  random: Random;
  passwords: PasswordHasher;
  keyed: KeyedHasher;
  secrets: SecretBox;
}
