/**
 * A short in-process cache of session checks. The trading service checks the session on every
 * one of its requests, and a page view makes several: most checks repeat one a moment old.
 *
 * Revocation stays correct: an entry never outlives its session's idle or absolute expiry; this
 * process drops an account's entries the moment it ends or changes one of its sessions, and other
 * processes drop them when the store announces the change (PostgreSQL NOTIFY at commit; SQLite's
 * session_changes feed, polled every 250 ms). The TTL (default 10 s) only bounds a change nobody
 * announced, such as a row edited by hand.
 *
 * Entries are keyed by the token as the client sent it, so that a repeated check costs no HMAC.
 * The keyed hash exists to make a stolen database (or backup) useless; this map lives only in the
 * memory of the process that receives the very same token in every request, for at most the TTL.
 */
import type { ActiveSession } from './records';

export interface CacheEntry {
  readonly session: ActiveSession;
  readonly until: number;
  /** The token's keyed hash, when the putter knew it: an entry past its time is re-read by id and must still be this token's row. */
  readonly tokenHash: string | undefined;
}

export class SessionCache {
  private readonly byToken = new Map<string, CacheEntry>();
  /** The account's cached tokens: usually one, so a Set only once there are more (memory). */
  private readonly byAccount = new Map<number, string | Set<string>>();
  /**
   * Moves on every forget. A check that read the database before a session changed may finish
   * after the change was announced; it passes the epoch it started in, and is not cached if the
   * epoch moved meanwhile (else a logged-out session could be answered for one more TTL).
   */
  epoch = 0;

  /**
   * `keptMs`: how long an entry past its time stays for a re-read of its row by id (session-service.ts
   * gives the TTL where the store reads a row at once). `get` never answers with one; memory then
   * follows TTL + keptMs of traffic, within `maxEntries`.
   */
  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly keptMs = 0,
  ) {}

  get(token: string, nowMs: number): ActiveSession | undefined {
    const e = this.byToken.get(token);
    if (!e) return undefined;
    if (e.until <= nowMs) {
      this.remove(token, e.session.accountId);
      return undefined;
    }
    return e.session;
  }

  /** The token's entry whether or not its time is up: the session check re-reads an expired one by id (session-service.ts). */
  entry(token: string): CacheEntry | undefined {
    return this.byToken.get(token);
  }

  put(token: string, session: ActiveSession, nowMs: number, readInEpoch = this.epoch, tokenHash?: string): void {
    if (this.ttlMs <= 0 || readInEpoch !== this.epoch) return;
    const until = Math.min(nowMs + this.ttlMs, session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime());
    if (until <= nowMs) return;
    // Entries sit in insertion order, which is nearly expiry order: dropping expired ones from the
    // front keeps the cache at about one TTL's worth of sessions (with keptMs, that much more;
    // memory stays flat when most checks are of sessions not seen a moment before), at constant
    // cost per insertion.
    for (const [oldest, e] of this.byToken) {
      if (e.until + this.keptMs > nowMs && this.byToken.size < this.maxEntries) break;
      this.remove(oldest, e.session.accountId);
    }
    this.byToken.delete(token);
    this.byToken.set(token, { session, until, tokenHash });
    const mine = this.byAccount.get(session.accountId);
    if (mine === undefined || mine === token) this.byAccount.set(session.accountId, token);
    else if (typeof mine === 'string') this.byAccount.set(session.accountId, new Set([mine, token]));
    else mine.add(token);
  }

  /** Any session of this account ended or changed (logout, password change, step-up). */
  forgetAccount(accountId: number): void {
    this.epoch += 1;
    const mine = this.byAccount.get(accountId);
    if (mine === undefined) return;
    if (typeof mine === 'string') this.byToken.delete(mine);
    else for (const t of mine) this.byToken.delete(t);
    this.byAccount.delete(accountId);
  }

  clear(): void {
    this.epoch += 1;
    this.byToken.clear();
    this.byAccount.clear();
  }

  get size(): number {
    return this.byToken.size;
  }

  private remove(token: string, accountId: number): void {
    this.byToken.delete(token);
    const mine = this.byAccount.get(accountId);
    if (mine === token) this.byAccount.delete(accountId);
    else if (typeof mine === 'object') {
      mine.delete(token);
      if (mine.size === 0) this.byAccount.delete(accountId);
    }
  }
}
