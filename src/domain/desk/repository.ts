/** What the desk domain needs from storage (implemented in src/store/repositories/desk.ts). */
import type { DeskRequest, DeskRequestState, ListedDeskRequest, Operator, OperatorApiKey, OperatorEnrolment, OperatorPasskey, OperatorSession } from './records';

export interface DeskRepo {
  insertOperator(o: Omit<Operator, 'id'>): Promise<Operator>;
  findOperator(by: { id: number } | { name: string }): Promise<Operator | undefined>;
  listOperators(): Promise<Operator[]>;
  /**
   * Conditional update: disables the operator unless it is the last enabled supervisor (decided by
   * the statement itself, so two disables at once cannot leave none). False when refused or already disabled.
   */
  disableOperator(id: number, at: Date): Promise<boolean>;
  countEnabledSupervisors(): Promise<number>;

  insertApiKey(k: Omit<OperatorApiKey, 'id'>): Promise<OperatorApiKey>;
  /** The key with this public id and its operator, in one indexed read (every API call makes it). */
  findApiKey(publicId: string): Promise<{ key: OperatorApiKey; operator: Operator } | undefined>;
  listApiKeys(operatorId?: number): Promise<(OperatorApiKey & { operatorName: string })[]>;
  /** Conditional update: false when there is no such key or it was already revoked. */
  revokeApiKey(id: number, at: Date): Promise<boolean>;
  touchApiKey(id: number, at: Date): Promise<void>;

  insertPasskey(p: Omit<OperatorPasskey, 'id'>): Promise<void>;
  listPasskeys(operatorId: number): Promise<OperatorPasskey[]>;
  findPasskey(credentialId: string): Promise<OperatorPasskey | undefined>;
  /** Conditional update: the counter must move forward (or stay 0 for authenticators without one). */
  recordPasskeyUse(id: number, newCounter: number, at: Date): Promise<boolean>;

  insertEnrolment(e: OperatorEnrolment): Promise<void>;
  findEnrolment(tokenHash: string): Promise<OperatorEnrolment | undefined>;
  /** Conditional update: an enrolment token is used once, whatever races it. */
  useEnrolment(tokenHash: string, at: Date): Promise<boolean>;
  /** Spends every unused enrolment link of the operator now (a new one replaces them). */
  expireEnrolments(operatorId: number, at: Date): Promise<void>;

  insertSession(s: OperatorSession): Promise<void>;
  /** A live session (not ended, not past its absolute expiry, not idle since `idleSince`) and its operator. */
  findLiveSession(tokenHash: string, now: Date, idleSince: Date): Promise<OperatorSession | undefined>;
  touchSession(tokenHash: string, at: Date): Promise<void>;
  endSession(tokenHash: string, at: Date): Promise<void>;
  endSessionsOf(operatorId: number, at: Date): Promise<void>;

  /** Customers whose login ID is `q`, whose name contains it, or who have the address `q` (any case): ids, at most `limit`. */
  searchAccounts(q: string, limit: number): Promise<number[]>;

  insertRequest(r: Omit<DeskRequest, 'id'>): Promise<DeskRequest>;
  findRequest(id: number): Promise<DeskRequest | undefined>;
  /** Conditional update from `pending`: exactly one decision wins. */
  decideRequest(id: number, d: { state: DeskRequestState; by: number; at: Date; reason: string }): Promise<boolean>;
  /** A decided request that failed when it was carried out. */
  markFailed(id: number): Promise<void>;
  listRequests(filter: { state?: DeskRequestState; requestedBy?: number; decidedBy?: number; accountId?: number; since?: Date; limit: number }): Promise<ListedDeskRequest[]>;
}
