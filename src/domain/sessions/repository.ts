/** What the sessions domain needs from storage (implemented in src/store/repositories/). */
import type { Session, SessionWithAccount } from './records';

export interface SessionRepo {
  /** With the account's login ID and name, which the session check answers with (a copy kept in the row). */
  insert(session: Omit<SessionWithAccount, 'id' | 'stepUpAt'>): Promise<Session>;
  setStepUp(id: number, at: Date): Promise<void>;
  /** A new token for a live session (step-up): the old one stops working. False if the session ended. */
  renewToken(id: number, tokenHash: string): Promise<boolean>;
  findActiveByTokenHash(tokenHash: string): Promise<SessionWithAccount | undefined>;
  /** Many sessions' last-seen and idle expiry at once (never an ended session's ended_at). */
  touchMany(touches: { id: number; lastSeenAt: Date; idleExpiresAt: Date }[]): Promise<void>;
  end(id: number, at: Date): Promise<void>;
  endAllForAccount(accountId: number, at: Date, exceptId?: number): Promise<void>;
  /** Ends the account's live sessions made from this recognised browser; returns how many. */
  endAllForDevice(accountId: number, deviceId: number, at: Date): Promise<number>;
  /** Tells every process, at commit, that this account's sessions changed (a no-op where nobody else listens). */
  announceChange(accountId: number): Promise<void>;
}
