/** What the reauthentication domain needs from storage (implemented in src/store/repositories/). */
import type { ReauthenticationCode, ReauthenticationKey } from './records';

export interface ReauthenticationCodeRepo {
  find(key: ReauthenticationKey): Promise<ReauthenticationCode | undefined>;
  /** Removes an expired row for the key and inserts this one; false when a live row exists (a concurrent request). */
  start(row: ReauthenticationCode, now: Date): Promise<boolean>;
  /**
   * A new code for a live row, keeping its wrong-try count: only while unexpired, under the try
   * and send limits and after the cooldown, all in the one conditional update.
   */
  replaceCode(key: ReauthenticationKey, p: { codeHash: string; now: Date; expiresAt: Date; sentBefore: Date; maxAttempts: number; maxSends: number }): Promise<boolean>;
  /**
   * Reserves one try before any comparison (`UPDATE … SET attempts = attempts + 1 WHERE … AND
   * attempts < max RETURNING`): of any number of concurrent guesses, at most `maxAttempts` are judged.
   */
  reserveAttempt(key: ReauthenticationKey, maxAttempts: number, now: Date): Promise<{ codeHash: string | null; attempts: number } | undefined>;
  /** Conditional delete: true only for the first caller holding this code hash (single use). */
  take(key: ReauthenticationKey, codeHash: string): Promise<boolean>;
  delete(key: ReauthenticationKey): Promise<void>;
}
