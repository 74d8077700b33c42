/** What the accounts domain needs from storage (implemented in src/store/repositories/). */
import type { Account, NewAccount } from './records';

export interface AccountRepo {
  insert(account: NewAccount): Promise<Account>;
  findByLoginId(loginId: string): Promise<Account | undefined>;
  findById(id: number): Promise<Account | undefined>;
  updateLoginPasswordHash(id: number, hash: string, changedAt: Date): Promise<void>;
  updateTradingPasswordHash(id: number, hash: string, at: Date): Promise<void>;
  /** The desk's "must change at next login" flag (null clears it). */
  setPasswordChangeRequired(id: number, at: Date | null): Promise<void>;
  updateProfile(id: number, patch: { name: string }, at: Date): Promise<void>;
  setTotp(id: number, sealed: string | null, enabledAt: Date | null, at: Date): Promise<void>;
  /**
   * Conditional update: true only for the first caller with a step later than the last accepted
   * one (an RFC 6238 time step is accepted once only, NIST SP 800-63B-4 §3.1.4.1).
   */
  claimTotpStep(id: number, step: number): Promise<boolean>;
  count(): Promise<number>;
  /**
   * Takes one trading-password attempt before the password is checked, in one conditional update:
   * the attempt's number, or null when the lock is on or `max` attempts are already taken.
   */
  reserveTradingPasswordAttempt(id: number, max: number, at: Date): Promise<number | null>;
  /**
   * Gives an attempt back. With `succeededAs` (the attempt's number) the count starts afresh when no
   * other attempt was taken since; otherwise only this one is given back.
   */
  releaseTradingPasswordAttempt(id: number, succeededAs: number | null): Promise<void>;
  /** Sets the lock unless it is on already; true only for the call that set it (one mail per lock). */
  lockTradingPassword(id: number, at: Date): Promise<boolean>;
  /** The support desk's unlock: lock off, count zero. */
  unlockTradingPassword(id: number): Promise<void>;
}

/** Kinds of stored password hash (scheme and cost) other than the current argon2id, one example each. */
export interface PasswordHashKindRepo {
  record(kind: string, example: string, at: Date): Promise<void>;
  list(): Promise<{ kind: string; example: string }[]>;
}
