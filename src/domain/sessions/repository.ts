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
  /** Ends one of the account's own live sessions; false when it is not theirs or already ended. */
  endForAccount(accountId: number, id: number, at: Date): Promise<boolean>;
  /** Ends the account's live sessions (all but `exceptId`); returns how many. */
  endAllForAccount(accountId: number, at: Date, exceptId?: number): Promise<number>;
  /** The account's sessions not ended and not past their expiry at `now`, newest first. */
  listLiveForAccount(accountId: number, now: Date): Promise<Session[]>;
  /** Ends the account's live sessions made from this recognised browser; returns how many. */
  endAllForDevice(accountId: number, deviceId: number, at: Date): Promise<number>;
  /** Tells every process, at commit, that this account's sessions changed (a no-op where nobody else listens). */
  announceChange(accountId: number): Promise<void>;
  /** The account's sessions may do more than register a passkey (one was registered, or the desk exempted the customer). */
  clearPasskeyPending(accountId: number): Promise<void>;
  /** Holds (or releases) every live session of the account until the login password is changed. */
  setPasswordChangePending(accountId: number, pending: boolean): Promise<void>;
}
