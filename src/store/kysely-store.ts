/** ports.Store over a Kysely instance; sqlite.ts and postgres.ts build the instance for their database. */
import { Migrator, type Kysely } from 'kysely';
import type { Database } from './schema';
import type { AuditEventInput } from '../domain/audit';
import type { Store, StoreTx } from '../domain/store';
import { repositories, type RepositoryHooks } from './repositories/index';
import { withAccountCopy, type ActiveSessionRow } from './repositories/session-check';
import type { SessionWithAccount } from '../domain/sessions/records';

/** Starts listening for session changes; returns how to stop. */
export type SessionListenerFactory = (listener: (accountId: number | null) => void) => () => Promise<void>;
import { migrationProvider, type Dialect } from './migrations/index';

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'SQLITE_BUSY']);

export class KyselyStore implements Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  private readonly repos: StoreTx;

  private readonly auditObservers: ((e: AuditEventInput) => void)[] = [];
  private readonly notifyAudit = (e: AuditEventInput) => {
    for (const o of this.auditObservers) o(e);
  };

  private readonly mailListeners: (() => void)[] = [];
  /** A committed mail wakes the sender; a listener's failure must not turn a commit into an error. */
  private readonly notifyMail = () => {
    for (const l of this.mailListeners) {
      try {
        l();
      } catch {
        // The worker's poll sends the mail anyway, a moment later.
      }
    }
  };

  private readonly hooks: RepositoryHooks;
  private readonly listen?: SessionListenerFactory;
  private stopListening?: () => Promise<void>;
  private readonly catchUp?: () => void;

  private readonly onClose?: () => Promise<void>;

  constructor(
    db: Kysely<Database>,
    dialect: Dialect,
    opts: {
      listen?: SessionListenerFactory;
      /** SQLite: read the session-change feed now if another process committed since the last read. */
      catchUpSessions?: () => void;
      announceSessions?: RepositoryHooks['announceSessions'];
      onClose?: () => Promise<void>;
      activeSessionRow?: RepositoryHooks['activeSessionRow'];
      /** SQLite: a live session's row by id, read synchronously (Store.sessionByIdAtOnce). */
      sessionRowById?: (id: number) => ActiveSessionRow | undefined;
    } = {},
  ) {
    this.db = db;
    this.dialect = dialect;
    this.listen = opts.listen;
    this.catchUp = opts.catchUpSessions;
    const byId = opts.sessionRowById;
    if (byId) this.sessionByIdAtOnce = (id) => withAccountCopy(byId(id));
    this.onClose = opts.onClose;
    this.hooks = { onAudit: this.notifyAudit, announceSessions: opts.announceSessions, dialect };
    // Outside transactions only: inside one, every read goes through the transaction's connection.
    // Outside a transaction a queued mail is committed as soon as it is written.
    this.repos = repositories(db, { ...this.hooks, activeSessionRow: opts.activeSessionRow, mailQueued: this.notifyMail });
  }

  /**
   * Session changes from every process (PostgreSQL LISTEN, SQLite's polled feed); `null` means
   * "forget everything" (changes may have been missed: a reconnect, a failed poll).
   */
  onSessionsChanged(listener: (accountId: number | null) => void): void {
    if (!this.listen || this.stopListening) return;
    this.stopListening = this.listen(listener);
  }

  readonly sessionByIdAtOnce?: (id: number) => SessionWithAccount | undefined;

  /** Present only where it can be done synchronously (SQLite); see Store.catchUpSessionChanges. */
  get catchUpSessionChanges(): (() => void) | undefined {
    return this.catchUp;
  }

  onMailQueued(listener: () => void): void {
    this.mailListeners.push(listener);
  }

  /** Metrics subscribe to security events here, whoever opened the store. */
  observeAudit(fn: (e: AuditEventInput) => void): void {
    this.auditObservers.push(fn);
  }

  get accounts() { return this.repos.accounts; }
  get emails() { return this.repos.emails; }
  get loginFlows() { return this.repos.loginFlows; }
  get devices() { return this.repos.devices; }
  get sessions() { return this.repos.sessions; }
  get audit() { return this.repos.audit; }
  get outbox() { return this.repos.outbox; }
  get throttle() { return this.repos.throttle; }
  get devMailbox() { return this.repos.devMailbox; }
  get totpEnrollments() { return this.repos.totpEnrollments; }
  get recoveryCodes() { return this.repos.recoveryCodes; }
  get passkeys() { return this.repos.passkeys; }
  get challenges() { return this.repos.challenges; }
  get addressChanges() { return this.repos.addressChanges; }
  get reauthenticationCodes() { return this.repos.reauthenticationCodes; }
  get expiredRows() { return this.repos.expiredRows; }
  get passwordHashKinds() { return this.repos.passwordHashKinds; }
  get countryExceptions() { return this.repos.countryExceptions; }
  get riskCounters() { return this.repos.riskCounters; }
  get stepUpGrants() { return this.repos.stepUpGrants; }
  get passwordResets() { return this.repos.passwordResets; }
  get deskResetCodes() { return this.repos.deskResetCodes; }
  get passkeyExemptions() { return this.repos.passkeyExemptions; }
  get passkeyAnnouncements() { return this.repos.passkeyAnnouncements; }
  get processHeartbeats() { return this.repos.processHeartbeats; }
  get desk() { return this.repos.desk; }
  get locks() { return this.repos.locks; }
  get oidcModels() { return this.repos.oidcModels; }
  get oidcClients() { return this.repos.oidcClients; }
  get oidcSigningKeys() { return this.repos.oidcSigningKeys; }
  get oidcSubjects() { return this.repos.oidcSubjects; }
  get oidcSessionLinks() { return this.repos.oidcSessionLinks; }
  get sealedSecrets() { return this.repos.sealedSecrets; }

  /**
   * The services need not remember to wake the mail sender: the store knows whether the
   * transaction queued mail, and wakes it only after the commit (never for mail rolled back, and
   * not for the many transactions that queue none — at 09:00 most logins queue no notice).
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let queued = false;
    const result = await this.db.transaction().execute((trx) => fn(repositories(trx, { ...this.hooks, mailQueued: () => (queued = true) })));
    if (queued) this.notifyMail();
    return result;
  }

  private migrator(): Migrator {
    return new Migrator({ db: this.db, provider: migrationProvider(this.dialect), migrationTableName: 'mamori_migrations', migrationLockTableName: 'mamori_migrations_lock' });
  }

  async migrate(): Promise<void> {
    const { error, results } = await this.migrator().migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error');
      throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The drivers' codes for a refused, dropped or timed-out connection, a server shutting down, a busy SQLite file. */
  isUnavailable(err: unknown): boolean {
    const code = (err as { code?: string } | null)?.code;
    if (!code) return /Connection terminated|timeout exceeded when trying to connect/i.test(String((err as Error)?.message ?? ''));
    // SQLite's extended busy codes (SQLITE_BUSY_SNAPSHOT, _TIMEOUT, _RECOVERY) are a busy file too.
    return UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_BUSY');
  }

  async ready(): Promise<boolean> {
    try {
      const all = await this.migrator().getMigrations();
      return all.every((m) => m.executedAt !== undefined);
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.stopListening?.();
    await this.onClose?.();
    await this.db.destroy();
  }
}
