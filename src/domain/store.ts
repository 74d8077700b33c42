/**
 * All the repositories, as one store. Times are JS Dates in the domain; the store keeps them as
 * epoch milliseconds so SQLite and PostgreSQL compare them identically.
 */
import type { AccountRepo, PasswordHashKindRepo } from './accounts/repository';
import type { AddressChangeRepo, EmailRepo } from './addresses/repository';
import type { AuditRepo } from './audit';
import type { DeskRepo } from './desk/repository';
import type { DeviceRepo } from './devices/repository';
import type { LoginFlowRepo, ThrottleRepo } from './login/repository';
import type { ExpiredRowsRepo } from './maintenance/repository';
import type { DevMailboxRepo, OutboxRepo } from './notifications/repository';
import type { ChallengeRepo, PasskeyRepo } from './passkeys/repository';
import type { PasskeyAnnouncementRepo, PasskeyExemptionRepo } from './passkey-policy/repository';
import type { ReauthenticationCodeRepo } from './reauthentication/repository';
import type { DeskResetCodeRepo, PasswordResetRepo } from './recovery/repository';
import type { SessionRepo } from './sessions/repository';
import type { SessionWithAccount } from './sessions/records';
import type { StepUpGrantRepo } from './step-up/repository';
import type { RecoveryCodeRepo, TotpEnrollmentRepo } from './totp/repository';
import type { CountryExceptionRepo, RiskCounterRepo } from './risk/repository';
import type { ProcessHeartbeatRepo } from './operations/serving-processes';
import type { SealedSecretRepo } from './operations/sealed-secrets';
import type { OidcClientRepo, OidcModelRepo, OidcSessionLinkRepo, OidcSigningKeyRepo, OidcSubjectRepo } from './oidc/repository';

/**
 * A lock held until the transaction ends, named by a topic: every transaction that holds the same
 * topic runs after the other, so a rule over several rows (the last supervisor) is checked on
 * what the other committed. Only meaningful inside `transaction`.
 */
export interface LockRepo {
  hold(topic: string): Promise<void>;
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
  countryExceptions: CountryExceptionRepo;
  riskCounters: RiskCounterRepo;
  stepUpGrants: StepUpGrantRepo;
  passwordResets: PasswordResetRepo;
  deskResetCodes: DeskResetCodeRepo;
  passkeyExemptions: PasskeyExemptionRepo;
  passkeyAnnouncements: PasskeyAnnouncementRepo;
  processHeartbeats: ProcessHeartbeatRepo;
  desk: DeskRepo;
  locks: LockRepo;
  // The OpenID Connect provider (issue 20).
  oidcModels: OidcModelRepo;
  oidcClients: OidcClientRepo;
  oidcSigningKeys: OidcSigningKeyRepo;
  oidcSubjects: OidcSubjectRepo;
  oidcSessionLinks: OidcSessionLinkRepo;
  sealedSecrets: SealedSecretRepo;
}

export interface Store extends StoreTx {
  readonly dialect: 'sqlite' | 'postgres';
  /** One command, one transaction: the change, its audit record and its mail commit together. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Session changes announced by any process (PostgreSQL LISTEN; SQLite's polled feed). */
  onSessionsChanged?(listener: (accountId: number | null) => void): void;
  /**
   * Hears, synchronously and now, any session change another process committed since the last
   * time it looked (SQLite: the feed, read only when the file changed). Absent where changes
   * arrive on their own (PostgreSQL NOTIFY). Called before a check is answered from the cache.
   */
  readonly catchUpSessionChanges?: () => void;
  /**
   * A live session by id, read synchronously now, with its token's keyed hash; `undefined` when
   * it has ended or anything is in doubt. Present only where a read costs no round trip (SQLite):
   * a cached check whose time is up re-reads its row this way (sessions/session-service.ts).
   */
  readonly sessionByIdAtOnce?: (id: number) => SessionWithAccount | undefined;
  /**
   * Called once a mail is in the outbox for good: after the commit of a transaction that queued
   * any, or after a queueing outside a transaction. The outbox worker sends at once instead of at
   * its next poll; a rolled-back transaction's mail never existed, so it wakes nobody.
   */
  onMailQueued(listener: () => void): void;
  /**
   * Does this error mean "the database is not reachable right now" (answered with 503 and
   * Retry-After, not 500)? Only the store knows its drivers' error codes.
   */
  isUnavailable(err: unknown): boolean;
  /** Are migrations current and the database reachable (readiness). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
