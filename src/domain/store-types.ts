/**
 * The records the domain keeps and the narrow storage interface it needs. Times are JS Dates
 * in the domain; the store keeps them as epoch milliseconds so SQLite and PostgreSQL compare
 * them identically.
 */

export interface Account {
  id: number;
  loginId: string;
  name: string;
  loginPasswordHash: string;
  tradingPasswordHash: string;
  /** TOTP secret sealed with the configured key (AES-256-GCM, key id prefixed); null when not set. */
  totpSecretSealed: string | null;
  totpEnabledAt: Date | null;
  /** Last accepted RFC 6238 time step; a step is accepted once only (NIST SP 800-63B-4 §3.1.4.1). */
  totpLastStep: number | null;
  tradingPasswordFailures: number;
  tradingPasswordLockedAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAccount = Omit<Account, 'id' | 'totpLastStep' | 'tradingPasswordFailures' | 'tradingPasswordLockedAt' | 'updatedAt'>;

export interface EmailAddress {
  id: number;
  accountId: number;
  /** 1 is 代表 (representative): the firm's notices and electronic delivery go there. */
  slot: number;
  address: string;
  loginNotification: boolean;
  verifiedAt: Date | null;
  createdAt: Date;
}

/** A flow waits for one second step (the method shown), then is done, or failed after its last try. */
export type LoginFlowState = 'awaiting_second_step' | 'done' | 'failed';

export interface LoginFlow {
  /** Keyed hash of the opaque flow handle the client holds. */
  id: string;
  accountId: number;
  state: LoginFlowState;
  /** The second-step methods the customer may still use or switch to (a method left is closed). */
  methodsOpen: string[];
  /** The method whose screen the customer is shown now. */
  methodShown: string | null;
  recognizedDeviceId: number | null;
  codeHash: string | null;
  codeExpiresAt: Date | null;
  codeSentAt: Date | null;
  codeAttempts: number;
  codeSendCount: number;
  /** The address id the code went to. */
  codeEmailId: number | null;
  method: string | null;
  ip: string;
  userAgent: string;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export interface RecognizedDevice {
  id: number;
  accountId: number;
  tokenHash: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface Session {
  id: number;
  tokenHash: string;
  accountId: number;
  method: string;
  authenticatedAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  endedAt: Date | null;
  ip: string;
  userAgent: string;
  /** Last fresh passkey assertion in this session (step-up), if any. */
  stepUpAt: Date | null;
  /** The recognised browser the session was made from; 解除 of that browser ends the session. */
  recognizedDeviceId?: number | null;
}

export interface SessionWithAccount extends Session {
  loginId: string;
  name: string;
}

/**
 * What a session check answers with, and all that its cache keeps: the request context and the
 * trading service's answer need no more (the token hash, address and browser stay in the
 * database; at 09:00 the cache holds tens of thousands of these).
 */
export type ActiveSession = Pick<
  SessionWithAccount,
  'id' | 'accountId' | 'loginId' | 'name' | 'method' | 'authenticatedAt' | 'lastSeenAt' | 'idleExpiresAt' | 'absoluteExpiresAt' | 'stepUpAt'
>;

export interface AuditEventInput {
  at: Date;
  type: string;
  accountId: number | null;
  loginId: string | null;
  ip: string | null;
  userAgent: string | null;
  operator: string | null;
  detail: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  id: number;
}

export interface OutboxMailInput {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export interface OutboxMail extends OutboxMailInput {
  id: number;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

export interface ThrottleState {
  key: string;
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export interface DevMail {
  id: number;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  deliveredAt: Date;
}

export interface AccountRepo {
  insert(account: NewAccount): Promise<Account>;
  findByLoginId(loginId: string): Promise<Account | undefined>;
  findById(id: number): Promise<Account | undefined>;
  updateLoginPasswordHash(id: number, hash: string, changedAt: Date): Promise<void>;
  updateTradingPasswordHash(id: number, hash: string, at: Date): Promise<void>;
  updateProfile(id: number, patch: { name: string }, at: Date): Promise<void>;
  setTotp(id: number, sealed: string | null, enabledAt: Date | null, at: Date): Promise<void>;
  /** Conditional update: true only for the first caller with a step later than the last accepted one. */
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
  listSealedTotpSecrets(): Promise<{ id: number; totpSecretSealed: string }[]>;
  updateSealedTotpSecret(id: number, sealed: string): Promise<void>;
}

export interface EmailRepo {
  insert(email: Omit<EmailAddress, 'id'>): Promise<EmailAddress>;
  listForAccount(accountId: number): Promise<EmailAddress[]>;
  deleteForAccount(accountId: number): Promise<void>;
  /** Puts a verified address into a slot, replacing what was there (the slot's notification setting is kept). */
  putVerified(accountId: number, slot: number, address: string, at: Date): Promise<void>;
  setLoginNotification(accountId: number, slot: number, on: boolean): Promise<boolean>;
  deleteSlot(accountId: number, slot: number): Promise<boolean>;
}

/** A new address for a slot, waiting for the code mailed to it (仮登録). */
export interface AddressChange {
  accountId: number;
  slot: number;
  address: string;
  codeHash: string;
  attempts: number;
  sendCount: number;
  sentAt: Date;
  createdAt: Date;
  expiresAt: Date;
}

export interface AddressChangeRepo {
  /** One pending change per slot: a new request replaces an unfinished one. */
  put(c: AddressChange): Promise<void>;
  find(accountId: number, slot: number): Promise<AddressChange | undefined>;
  listForAccount(accountId: number): Promise<AddressChange[]>;
  /** Takes one attempt before the code is compared: its number, or null when all are taken. */
  reserveAttempt(accountId: number, slot: number, maxAttempts: number): Promise<number | null>;
  replaceCode(accountId: number, slot: number, codeHash: string, sentAt: Date): Promise<void>;
  /** Conditional delete: true only for the first caller holding this code (single use under races). */
  take(accountId: number, slot: number, codeHash: string): Promise<boolean>;
  delete(accountId: number, slot: number): Promise<void>;
}

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
  deleteExpired(before: Date): Promise<number>;
}

export interface DeviceRepo {
  insert(device: Omit<RecognizedDevice, 'id'>): Promise<RecognizedDevice>;
  findByTokenHash(tokenHash: string): Promise<RecognizedDevice | undefined>;
  touch(id: number, lastUsedAt: Date, expiresAt: Date): Promise<void>;
  revoke(id: number, at: Date): Promise<void>;
  revokeAllForAccount(accountId: number, at: Date, exceptId?: number): Promise<void>;
  /** Revokes one of the account's own devices; false when it is not theirs or already revoked. */
  revokeForAccount(accountId: number, id: number, at: Date): Promise<boolean>;
  listForAccount(accountId: number): Promise<RecognizedDevice[]>;
}

export interface SessionRepo {
  /** With the account's login ID and name, which the session check answers with (a copy kept in the row). */
  insert(session: Omit<SessionWithAccount, 'id' | 'stepUpAt'>): Promise<Session>;
  setStepUp(id: number, at: Date): Promise<void>;
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

export interface AuditRepo {
  append(event: AuditEventInput): Promise<void>;
  listForAccount(accountId: number, limit: number, types?: readonly string[]): Promise<AuditEvent[]>;
  listRecent(limit: number): Promise<AuditEvent[]>;
}

export interface OutboxRepo {
  enqueue(mail: OutboxMailInput): Promise<void>;
  /** Leases due mails to this worker; a crashed worker's lease runs out and another sends them. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxMail[]>;
  markSent(id: number, at: Date): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  pendingStats(): Promise<{ depth: number; oldestCreatedAt: Date | null }>;
  /** Is any unsent mail failing, or queued before `queuedBefore`? */
  isDelayed(queuedBefore: Date): Promise<boolean>;
  findByMessageId(messageId: string): Promise<OutboxMail | undefined>;
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
  reset(key: string): Promise<void>;
  /** Deletes several keys in one statement (a completed login clears its counters at once). */
  resetMany(keys: string[]): Promise<void>;
}

export interface DevMailboxRepo {
  deliver(mail: Omit<DevMail, 'id'>): Promise<void>;
  list(limit: number): Promise<DevMail[]>;
}

export type TotpEnrollmentKind = 'apply' | 'reregister';

/** A TOTP key shown to the customer and waiting for its first code; the account's key is unchanged until then. */
export interface TotpEnrollment {
  accountId: number;
  kind: TotpEnrollmentKind;
  secretSealed: string;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  /** The session that passed the confirmation and alone may see and confirm the key (null: before migration 0010). */
  sessionId?: number | null;
}

export interface TotpEnrollmentRepo {
  /** One pending key per account: a new application replaces an unfinished one. */
  put(e: TotpEnrollment): Promise<void>;
  find(accountId: number): Promise<TotpEnrollment | undefined>;
  /** Takes one attempt before the code is checked: its number, or null when all are taken. */
  reserveAttempt(accountId: number, maxAttempts: number): Promise<number | null>;
  delete(accountId: number): Promise<void>;
  listSealed(): Promise<{ accountId: number; secretSealed: string }[]>;
  updateSealed(accountId: number, sealed: string): Promise<void>;
}

export interface RecoveryCodeRepo {
  replaceAll(accountId: number, codeHashes: string[], at: Date): Promise<void>;
  /** Conditional update: true only for the first use of an unused code. */
  consume(accountId: number, codeHash: string, at: Date): Promise<boolean>;
  countUnused(accountId: number): Promise<number>;
  deleteAll(accountId: number): Promise<void>;
}

export interface Passkey {
  id: number;
  accountId: number;
  /** base64url credential id, as the authenticator reports it. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type ChallengePurpose = 'register' | 'login' | 'second_factor' | 'step_up';

export interface WebauthnChallenge {
  /** Keyed hash of the handle the client holds. */
  id: string;
  purpose: ChallengePurpose;
  accountId: number | null;
  /** The login flow a second-factor challenge belongs to. */
  flowId: string | null;
  challenge: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface PasskeyRepo {
  insert(p: Omit<Passkey, 'id'>): Promise<Passkey>;
  listForAccount(accountId: number): Promise<Passkey[]>;
  findByCredentialId(credentialId: string): Promise<Passkey | undefined>;
  /** Conditional update: the new counter must exceed the stored one (or both be 0: authenticators without counters). */
  recordUse(id: number, newCounter: number, at: Date): Promise<boolean>;
  rename(accountId: number, id: number, name: string): Promise<boolean>;
  delete(accountId: number, id: number): Promise<boolean>;
}

export interface ChallengeRepo {
  insert(c: WebauthnChallenge): Promise<void>;
  find(id: string): Promise<WebauthnChallenge | undefined>;
  /** Conditional update: a challenge is used once, whatever races it. */
  consume(id: string, at: Date): Promise<boolean>;
}

/** What a confirmation code may confirm: every change to how the customer logs in. */
export type ReauthenticationPurpose =
  | 'totp_apply'
  | 'totp_reregister'
  | 'totp_stop'
  | 'recovery_codes'
  | 'passkey_register'
  | 'passkey_delete'
  | 'address_change'
  | 'address_remove';

export interface ReauthenticationKey {
  accountId: number;
  sessionId: number;
  purpose: ReauthenticationPurpose;
}

/** A confirmation code mailed for one purpose in one session (or, with no code, a TOTP customer's wrong-try count). */
export interface ReauthenticationCode extends ReauthenticationKey {
  codeHash: string | null;
  attempts: number;
  sendCount: number;
  sentAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}

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

/** Tables whose rows expire; the purger (domain/maintenance/purger.ts) deletes them in batches. */
export type PurgeTable =
  | 'login_flows'
  | 'webauthn_challenges'
  | 'totp_enrollments'
  | 'address_changes'
  | 'reauthentication_codes'
  | 'throttle'
  | 'sessions'
  | 'recognized_devices'
  | 'outbox';

export interface ExpiredRowsRepo {
  /**
   * Deletes at most `limit` rows of `table` that ended before `before` (a flow, challenge, code or
   * pending change: its expiry; a session: its absolute expiry; a recognised browser: its expiry
   * or revocation; a mail: when it was sent; a throttle row: the start of its window, and only
   * when it is not locked at `now`, nor its key one of `keepKeyPrefixes`). Returns how many. The
   * audit log has no such method.
   */
  deleteBatch(table: PurgeTable, before: Date, now: Date, limit: number, keepKeyPrefixes?: readonly string[]): Promise<number>;
}

/** Kinds of stored password hash (scheme and cost) other than the current argon2id, one example each. */
export interface PasswordHashKindRepo {
  record(kind: string, example: string, at: Date): Promise<void>;
  list(): Promise<{ kind: string; example: string }[]>;
}

export interface StoreTx {
  reauthenticationCodes: ReauthenticationCodeRepo;
  addressChanges: AddressChangeRepo;
  passkeys: PasskeyRepo;
  challenges: ChallengeRepo;
  totpEnrollments: TotpEnrollmentRepo;
  recoveryCodes: RecoveryCodeRepo;
  accounts: AccountRepo;
  emails: EmailRepo;
  loginFlows: LoginFlowRepo;
  devices: DeviceRepo;
  sessions: SessionRepo;
  audit: AuditRepo;
  outbox: OutboxRepo;
  throttle: ThrottleRepo;
  devMailbox: DevMailboxRepo;
  expiredRows: ExpiredRowsRepo;
  passwordHashKinds: PasswordHashKindRepo;
}

export interface Store extends StoreTx {
  readonly dialect: 'sqlite' | 'postgres';
  /** One command, one transaction: the change, its audit record and its mail commit together. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Session changes announced by any process (PostgreSQL LISTEN; SQLite's polled feed). */
  onSessionsChanged?(listener: (accountId: number | null) => void): void;
  /**
   * Called once a mail is in the outbox for good: after the commit of a transaction that queued
   * any, or after a queueing outside a transaction. The outbox worker sends at once instead of at
   * its next poll; a rolled-back transaction's mail never existed, so it wakes nobody.
   */
  onMailQueued(listener: () => void): void;
  /** Are migrations current and the database reachable (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
