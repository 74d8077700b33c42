/**
 * The repositories behind ports.Store, one file per aggregate, written once over Kysely: the same
 * SQL runs on SQLite and PostgreSQL. Conditional updates (`WHERE state = 'awaiting_code'`) are how
 * single use is enforced under concurrency: the database, not the process, decides the one winner.
 */
import type { AuditEventInput } from '../../domain/audit';
import type { StoreTx } from '../../domain/store';
import type { Dialect } from '../migrations/column-types';
import type { Db } from '../rows';
import { accounts, passwordHashKinds } from './accounts';
import { addressChanges } from './address-changes';
import { countryExceptions, riskCounters } from './country-exceptions';
import { audit } from './audit';
import { devMailbox } from './dev-mailbox';
import { desk } from './desk';
import { locks } from './locks';
import { devices } from './devices';
import { emails } from './emails';
import { expiredRows } from './expired-rows';
import { loginFlows } from './login-flows';
import { outbox } from './outbox';
import { deskResetCodes, passwordResets } from './password-resets';
import { challenges, passkeys } from './passkeys';
import { passkeyAnnouncements, passkeyExemptions } from './passkey-policy';
import { reauthenticationCodes } from './reauthentication';
import type { ActiveSessionRow } from './session-check';
import { sessions } from './sessions';
import { stepUpGrants } from './step-up-grants';
import { throttle } from './throttle';
import { recoveryCodes, totpEnrollments } from './totp';
import { processHeartbeats } from './process-heartbeats';
import { oidcClients, oidcModels, oidcSessionLinks, oidcSigningKeys, oidcSubjects } from './oidc';
import { sealedSecrets } from '../sealed-columns';

export interface RepositoryHooks {
  /** Sees every security event as it is written (metrics). */
  onAudit?: (e: AuditEventInput) => void;
  /**
   * How session changes reach the other processes' caches: NOTIFY (PostgreSQL, delivered at
   * commit) or a row in `session_changes` that they poll (SQLite).
   */
  announceSessions?: 'notify' | 'feed';
  /** The session check's row straight from a prepared statement, outside Kysely (hot path). */
  activeSessionRow?: (tokenHash: string) => ActiveSessionRow | undefined | Promise<ActiveSessionRow | undefined>;
  /** Where the SQL of the two dialects differs (a batched update's JSON input). */
  dialect?: Dialect;
  /** A mail went into the outbox (the store decides when that counts: at once, or at commit). */
  mailQueued?: () => void;
}

type Factories = { [K in keyof StoreTx]: (db: Db, hooks: RepositoryHooks) => StoreTx[K] };

const FACTORIES: Factories = {
  reauthenticationCodes: (db) => reauthenticationCodes(db),
  passkeys: (db) => passkeys(db),
  challenges: (db) => challenges(db),
  totpEnrollments: (db) => totpEnrollments(db),
  recoveryCodes: (db) => recoveryCodes(db),
  accounts: (db) => accounts(db),
  emails: (db) => emails(db),
  addressChanges: (db) => addressChanges(db),
  loginFlows: (db) => loginFlows(db),
  devices: (db) => devices(db),
  sessions: (db, hooks) => sessions(db, hooks.announceSessions, hooks.activeSessionRow, hooks.dialect ?? 'sqlite'),
  audit: (db, hooks) => audit(db, hooks.onAudit),
  outbox: (db, hooks) => outbox(db, hooks.mailQueued),
  throttle: (db) => throttle(db),
  devMailbox: (db) => devMailbox(db),
  expiredRows: (db, hooks) => expiredRows(db, hooks.dialect ?? 'sqlite'),
  passwordHashKinds: (db) => passwordHashKinds(db),
  countryExceptions: (db) => countryExceptions(db),
  riskCounters: (db) => riskCounters(db),
  stepUpGrants: (db) => stepUpGrants(db),
  passwordResets: (db) => passwordResets(db),
  deskResetCodes: (db) => deskResetCodes(db),
  passkeyExemptions: (db) => passkeyExemptions(db),
  passkeyAnnouncements: (db) => passkeyAnnouncements(db),
  processHeartbeats: (db) => processHeartbeats(db),
  desk: (db) => desk(db),
  locks: (db, hooks) => locks(db, hooks.dialect ?? 'sqlite'),
  oidcModels: (db) => oidcModels(db),
  oidcClients: (db) => oidcClients(db),
  oidcSigningKeys: (db) => oidcSigningKeys(db),
  oidcSubjects: (db) => oidcSubjects(db),
  oidcSessionLinks: (db) => oidcSessionLinks(db),
  sealedSecrets: (db) => sealedSecrets(db),
};

/**
 * Each repository is made when first used: a store is opened per transaction, and a login's
 * transaction uses five of the thirty-odd (making them all was 22 µs and some three hundred
 * functions per transaction; docs/performance.md).
 */
class LazyRepositories {
  readonly made: Partial<StoreTx> = {};
  constructor(
    readonly db: Db,
    readonly hooks: RepositoryHooks,
  ) {}
}
for (const name of Object.keys(FACTORIES) as (keyof StoreTx)[]) {
  const make = FACTORIES[name] as (db: Db, hooks: RepositoryHooks) => never;
  Object.defineProperty(LazyRepositories.prototype, name, {
    enumerable: true,
    get(this: LazyRepositories) {
      return (this.made[name] ??= make(this.db, this.hooks));
    },
  });
}

export function repositories(db: Db, hooks: RepositoryHooks = {}): StoreTx {
  return new LazyRepositories(db, hooks) as unknown as StoreTx;
}
