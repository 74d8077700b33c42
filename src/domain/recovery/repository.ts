/** What the forgotten-password reset needs from storage (implemented in src/store/repositories/password-resets.ts). */
import type { DeskResetCode, PasswordResetFlow, ResetState } from './records';

export interface PasswordResetRepo {
  insert(flow: PasswordResetFlow): Promise<void>;
  find(id: string): Promise<PasswordResetFlow | undefined>;
  /**
   * Takes one code try before the comparison, in one conditional update (still `awaiting_code`,
   * unexpired, fewer than `max` tries): the try's number, or null when none is left.
   */
  reserveCodeTry(id: string, max: number, now: Date): Promise<number | null>;
  /** Conditional move `from` → `to` (single use under races): true only for the one caller that made it. */
  advance(id: string, from: ResetState, to: ResetState, now: Date, passkeyAt?: Date): Promise<boolean>;
}

export interface DeskResetCodeRepo {
  /** A new desk code replaces any earlier one of the account. */
  put(code: DeskResetCode): Promise<void>;
  find(accountId: number): Promise<DeskResetCode | undefined>;
  /** Like `reserveCodeTry`: unexpired and fewer than `max` tries, or null. */
  reserveTry(accountId: number, max: number, now: Date): Promise<number | null>;
  /** Conditional delete of the code with this hash: true only for the first caller (single use). */
  take(accountId: number, codeHash: string): Promise<boolean>;
  delete(accountId: number): Promise<void>;
}
