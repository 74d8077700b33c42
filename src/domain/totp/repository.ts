/** What the totp domain needs from storage (implemented in src/store/repositories/). */
import type { TotpEnrollment } from './records';

export interface TotpEnrollmentRepo {
  /** One pending key per account: a new application replaces an unfinished one. */
  put(e: TotpEnrollment): Promise<void>;
  find(accountId: number): Promise<TotpEnrollment | undefined>;
  /** Takes one attempt before the code is checked: its number, or null when all are taken. */
  reserveAttempt(accountId: number, maxAttempts: number): Promise<number | null>;
  delete(accountId: number): Promise<void>;
}

export interface RecoveryCodeRepo {
  replaceAll(accountId: number, codeHashes: string[], at: Date): Promise<void>;
  /** Conditional update: true only for the first use of an unused code. */
  consume(accountId: number, codeHash: string, at: Date): Promise<boolean>;
  countUnused(accountId: number): Promise<number>;
  deleteAll(accountId: number): Promise<void>;
}
