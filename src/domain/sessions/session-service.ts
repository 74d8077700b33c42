/**
 * Sessions: a random token in the browser, only its keyed hash in the database (a stolen database
 * holds no usable session). Idle and absolute timeouts per OWASP ASVS 3.3; a fresh token at every
 * login (no fixation); logout ends the session on the server.
 */
import { newToken } from '../../crypto/tokens';
import type { RequestContext } from '../context';
import { TOKEN_MAX } from '../input-limits';
import { DomainError } from '../errors';
import { authMethodsFor } from './auth-methods';
import type { Clock, KeyedHasher, Random } from '../ports';
import type { ActiveSession } from './records';
import type { Store, StoreTx } from '../store';
import { SessionCache } from './session-cache';
import { TouchBatcher } from './touch-batcher';

export interface SessionRules {
  idleMinutes: number;
  absoluteHours: number;
  /** In-process cache of checks (0 = off); see session-cache.ts. */
  cacheMs: number;
  /** At most this many sessions in it (about 0.8 KB each); the oldest go first. */
  cacheEntries?: number;
}

export interface IssuedSession {
  token: string;
  sessionId: number;
  absoluteExpiresAt: Date;
}

/** Writing last-seen on every request would turn each check into a write; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export class SessionService {
  readonly cache: SessionCache;
  private readonly touches: TouchBatcher;
  private readonly lookups = new Map<string, Promise<ActiveSession | null>>();
  /**
   * How checks were answered, for /metrics: from the cache, by a database read, or by a read
   * already under way for the same token. Operators size SESSION_CACHE_MS by it.
   */
  readonly answered = { cache: 0, database: 0, shared: 0 };

  constructor(
    private readonly deps: { store: Store; clock: Clock; random: Random; keyed: KeyedHasher },
    private readonly rules: SessionRules,
  ) {
    this.cache = new SessionCache(rules.cacheMs, rules.cacheEntries);
    this.touches = new TouchBatcher((batch) => deps.store.sessions.touchMany([...batch].map(([id, t]) => ({ id, ...t }))));
    // Other processes' changes, announced by the store at commit (PostgreSQL); and ours, again
    // after commit, which closes the gap where a check read the row just before our change.
    deps.store.onSessionsChanged?.((accountId) => (accountId === null ? this.cache.clear() : this.cache.forgetAccount(accountId)));
  }

  tokenHash(token: string): string {
    return this.deps.keyed.hash('session', token);
  }

  /** `recognizedDeviceId`: the recognised browser the login came from, whose 解除 ends this session. */
  async issue(tx: StoreTx, account: { id: number; loginId: string; name: string }, method: string, ctx: RequestContext, recognizedDeviceId: number | null = null, authMethods: string[] = authMethodsFor(method)): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const token = newToken(this.deps.random);
    const absoluteExpiresAt = new Date(now.getTime() + this.rules.absoluteHours * 3600_000);
    const session = await tx.sessions.insert({
      tokenHash: this.tokenHash(token),
      accountId: account.id,
      loginId: account.loginId,
      name: account.name,
      method,
      authenticatedAt: now,
      lastSeenAt: now,
      idleExpiresAt: this.idleExpiry(now, absoluteExpiresAt),
      absoluteExpiresAt,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
      recognizedDeviceId,
      authMethods,
    });
    return { token, sessionId: session.id, absoluteExpiresAt };
  }

  private idleExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.rules.idleMinutes * 60_000, absolute.getTime()));
  }

  /** The check every page of the trading service makes: one indexed read, a write at most once a minute. */
  check(token: string | undefined | null): Promise<ActiveSession | null> {
    if (!token || token.length > TOKEN_MAX) return Promise.resolve(null);
    const now = this.deps.clock.now();
    const cached = this.cache.get(token, now.getTime());
    if (cached) {
      this.answered.cache += 1;
      return Promise.resolve(cached);
    }
    // A page's parallel API calls check the same session at the same moment: one read answers
    // them all (with PostgreSQL's round trip, four simultaneous misses were four queries).
    let lookup = this.lookups.get(token);
    if (lookup) this.answered.shared += 1;
    else {
      this.answered.database += 1;
      lookup = this.lookup(token, now).finally(() => this.lookups.delete(token));
      this.lookups.set(token, lookup);
    }
    return lookup;
  }

  private async lookup(token: string, now: Date): Promise<ActiveSession | null> {
    const epoch = this.cache.epoch;
    const stored = await this.deps.store.sessions.findActiveByTokenHash(this.tokenHash(token));
    if (!stored) return null;
    const touched = this.touches.pending(stored.id);
    let lastSeenAt = touched?.lastSeenAt ?? stored.lastSeenAt;
    let idleExpiresAt = touched?.idleExpiresAt ?? stored.idleExpiresAt;
    const { absoluteExpiresAt } = stored;
    if (now >= idleExpiresAt || now >= absoluteExpiresAt) return null;
    if (now.getTime() - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      lastSeenAt = now;
      idleExpiresAt = this.idleExpiry(now, absoluteExpiresAt);
      this.touches.add(stored.id, { lastSeenAt, idleExpiresAt });
    }
    // Only what a check answers with: the cache keeps tens of thousands of these at 09:00.
    const live: ActiveSession = {
      id: stored.id,
      accountId: stored.accountId,
      loginId: stored.loginId,
      name: stored.name,
      method: stored.method,
      authenticatedAt: stored.authenticatedAt,
      lastSeenAt,
      idleExpiresAt,
      absoluteExpiresAt,
      stepUpAt: stored.stepUpAt,
      authMethods: stored.authMethods ?? null,
    };
    // Not cached if a session changed while this read was under way: the row may predate it.
    this.cache.put(token, live, now.getTime(), epoch);
    return live;
  }

  /** Writes the last-seen times still waiting (shutdown; tests). */
  flushTouches(): Promise<void> {
    return this.touches.flush();
  }

  close(): Promise<void> {
    return this.touches.close();
  }

  /** Logout: the session ends on the server; every process stops accepting it. */
  async end(tx: StoreTx, session: { id: number; accountId: number }): Promise<void> {
    await tx.sessions.end(session.id, this.deps.clock.now());
    await this.changed(tx, session.accountId);
  }

  /** Ends every session of the account but one (a password change). */
  async endAllBut(tx: StoreTx, accountId: number, exceptSessionId: number): Promise<void> {
    await tx.sessions.endAllForAccount(accountId, this.deps.clock.now(), exceptSessionId);
    await this.changed(tx, accountId);
  }

  /**
   * 解除 of a recognised browser: the sessions made from it end now, in every process (the same
   * announcement as a logout). Revoking a browser that may be in a thief's hands must not leave
   * it signed in for the rest of its absolute timeout (ASVS 5.0 V7.4.2).
   */
  async endAllFromDevice(tx: StoreTx, accountId: number, deviceId: number): Promise<void> {
    await tx.sessions.endAllForDevice(accountId, deviceId, this.deps.clock.now());
    await this.changed(tx, accountId);
  }

  /** A fresh passkey assertion in this session (step-up). */
  async markStepUp(tx: StoreTx, session: { id: number; accountId: number }, at: Date): Promise<void> {
    await tx.sessions.setStepUp(session.id, at);
    await this.changed(tx, session.accountId);
  }

  /**
   * A new token for this session (a step-up): whoever held the old one — a copy lifted from the
   * browser before the step-up — holds nothing now. Every process drops the old token's check.
   */
  async renew(tx: StoreTx, session: { id: number; accountId: number }): Promise<string> {
    const token = newToken(this.deps.random);
    if (!(await tx.sessions.renewToken(session.id, this.tokenHash(token)))) throw new DomainError('session_invalid');
    await this.changed(tx, session.accountId);
    return token;
  }

  private async changed(tx: StoreTx, accountId: number): Promise<void> {
    this.cache.forgetAccount(accountId);
    await tx.sessions.announceChange(accountId);
  }
}
