/**
 * A short in-process cache of session checks. The trading service checks the session on every
 * one of its requests, and a page view makes several: most checks repeat one a moment old.
 *
 * Revocation stays correct: an entry never outlives its session's idle or absolute expiry; this
 * process drops an account's entries the moment it ends or changes one of its sessions, and other
 * processes drop them when the store announces the change (PostgreSQL NOTIFY, delivered at
 * commit). Without such announcements (several processes on one SQLite file) staleness is bounded
 * by the TTL, default one second.
 */
import type { SessionWithAccount } from '../store-types';

interface Entry {
  session: SessionWithAccount;
  until: number;
}

export class SessionCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly byAccount = new Map<number, Set<string>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(tokenHash: string, nowMs: number): SessionWithAccount | undefined {
    const e = this.byHash.get(tokenHash);
    if (!e) return undefined;
    if (e.until <= nowMs) {
      this.remove(tokenHash, e.session.accountId);
      return undefined;
    }
    return e.session;
  }

  put(tokenHash: string, session: SessionWithAccount, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    const until = Math.min(nowMs + this.ttlMs, session.idleExpiresAt.getTime(), session.absoluteExpiresAt.getTime());
    if (until <= nowMs) return;
    if (this.byHash.size >= this.maxEntries && !this.byHash.has(tokenHash)) {
      // Oldest first: Map iterates in insertion order.
      const [oldest, e] = this.byHash.entries().next().value!;
      this.remove(oldest, e.session.accountId);
    }
    this.byHash.set(tokenHash, { session, until });
    let set = this.byAccount.get(session.accountId);
    if (!set) this.byAccount.set(session.accountId, (set = new Set()));
    set.add(tokenHash);
  }

  /** Any session of this account ended or changed (logout, password change, step-up). */
  forgetAccount(accountId: number): void {
    const set = this.byAccount.get(accountId);
    if (!set) return;
    for (const h of set) this.byHash.delete(h);
    this.byAccount.delete(accountId);
  }

  clear(): void {
    this.byHash.clear();
    this.byAccount.clear();
  }

  get size(): number {
    return this.byHash.size;
  }

  private remove(tokenHash: string, accountId: number): void {
    this.byHash.delete(tokenHash);
    const set = this.byAccount.get(accountId);
    set?.delete(tokenHash);
    if (set && set.size === 0) this.byAccount.delete(accountId);
  }
}
