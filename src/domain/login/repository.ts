/** What the login domain needs from storage (implemented in src/store/repositories/). */
import type { LoginFlow, LoginFlowState, ThrottleState } from './records';

export interface LoginFlowRepo {
  insert(flow: LoginFlow): Promise<void>;
  find(id: string): Promise<LoginFlow | undefined>;
  /**
   * Moves a flow from one state to another only if it is still in `from`: the database decides
   * which of many concurrent submissions wins (single use, race-safe on both stores).
   */
  transition(
    id: string,
    from: { state: LoginFlowState; methodShown: string | null },
    patch: Partial<Pick<LoginFlow, 'state' | 'methodShown' | 'methodsOpen' | 'method' | 'completedAt'>>,
  ): Promise<boolean>;
  /**
   * Takes one of the flow's code attempts before the code is compared, while the flow still
   * waits with `methodShown` shown: the attempt's number, or null when all are taken (or the flow moved on).
   */
  reserveCodeAttempt(id: string, methodShown: string, maxAttempts: number): Promise<number | null>;
  replaceCode(id: string, patch: { codeHash: string; codeExpiresAt: Date; codeSentAt: Date; codeEmailId: number }): Promise<void>;
  /** Marks the flow's failed-second-step notice as sent; true only for the one caller that marked it. */
  claimFailureNotice(id: string, at: Date): Promise<boolean>;
}

export interface ThrottleRepo {
  get(key: string): Promise<ThrottleState | undefined>;
  /** Adds a failure inside a sliding window that restarts when older than `windowStart`; returns the count. */
  recordFailure(key: string, now: Date, windowStart: Date): Promise<number>;
  /**
   * Takes one slot in one conditional statement: the count including this one, or null when the
   * key is locked or `limit` slots are already taken in the window. A window older than
   * `windowStart`, or a lock that has run out, starts the count afresh.
   */
  reserve(key: string, now: Date, windowStart: Date, limit: number): Promise<number | null>;
  /** Gives a slot back (an attempt that succeeded). */
  release(key: string): Promise<void>;
  /** Locks until `until` unless a lock is already running; true only for the call that locked it. */
  lock(key: string, until: Date, now: Date): Promise<boolean>;
  /** Deletes several keys in one statement (a completed login clears its counters at once). */
  resetMany(keys: string[]): Promise<void>;
}
