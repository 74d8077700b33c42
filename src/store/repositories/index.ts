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

export function repositories(db: Db, hooks: RepositoryHooks = {}): StoreTx {
  return {
    reauthenticationCodes: reauthenticationCodes(db),
    passkeys: passkeys(db),
    challenges: challenges(db),
    totpEnrollments: totpEnrollments(db),
    recoveryCodes: recoveryCodes(db),
    accounts: accounts(db),
    emails: emails(db),
    addressChanges: addressChanges(db),
    loginFlows: loginFlows(db),
    devices: devices(db),
    sessions: sessions(db, hooks.announceSessions, hooks.activeSessionRow, hooks.dialect ?? 'sqlite'),
    audit: audit(db, hooks.onAudit),
    outbox: outbox(db, hooks.mailQueued),
    throttle: throttle(db),
    devMailbox: devMailbox(db),
    expiredRows: expiredRows(db, hooks.dialect ?? 'sqlite'),
    passwordHashKinds: passwordHashKinds(db),
    countryExceptions: countryExceptions(db),
    riskCounters: riskCounters(db),
    stepUpGrants: stepUpGrants(db),
    passwordResets: passwordResets(db),
    deskResetCodes: deskResetCodes(db),
    passkeyExemptions: passkeyExemptions(db),
    passkeyAnnouncements: passkeyAnnouncements(db),
    processHeartbeats: processHeartbeats(db),
    desk: desk(db),
    locks: locks(db, hooks.dialect ?? 'sqlite'),
    oidcModels: oidcModels(db),
    oidcClients: oidcClients(db),
    oidcSigningKeys: oidcSigningKeys(db),
    oidcSubjects: oidcSubjects(db),
    oidcSessionLinks: oidcSessionLinks(db),
    sealedSecrets: sealedSecrets(db),
  };
}
