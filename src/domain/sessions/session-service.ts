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
import { sameActiveSession, type ActiveSession, type Session, type SessionWithAccount } from './records';
import type { Store, StoreTx } from '../store';
import { SessionCache, type CacheEntry } from './session-cache';
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
  /** Calls waiting to hear their own announcement of an account's change (endAndSpread). */
  private readonly waiters = new Map<number, Set<() => void>>();
  private readonly observers: ((accountId: number | null) => void)[] = [];
  /**
   * How checks were answered, for /metrics: from the cache, by a cached session's row read again
   * once its time was up (`reread`), by a database read, or by a read already under way for the
   * same token. Operators size SESSION_CACHE_MS by it.
   */
  readonly answered = { cache: 0, reread: 0, database: 0, shared: 0 };

  constructor(
    private readonly deps: { store: Store; clock: Clock; random: Random; keyed: KeyedHasher },
    private readonly rules: SessionRules,
  ) {
    // Where a row is read at once (SQLite), an entry past its time is kept as long again, for a
    // re-read by id (reread below); elsewhere it goes when its time is up.
    this.cache = new SessionCache(rules.cacheMs, rules.cacheEntries, deps.store.sessionByIdAtOnce ? rules.cacheMs : 0);
    this.touches = new TouchBatcher((batch) => deps.store.sessions.touchMany([...batch].map(([id, t]) => ({ id, ...t }))));
    // Other processes' changes, announced by the store at commit (PostgreSQL); and ours, again
    // after commit, which closes the gap where a check read the row just before our change.
    deps.store.onSessionsChanged?.((accountId) => {
      if (accountId === null) this.cache.clear();
      else this.cache.forgetAccount(accountId);
      this.heard(accountId);
    });
  }

  /**
   * Runs `change`, a transaction that ends sessions of the account, and answers once the other
   * processes can have heard of it. Where the store announces changes on its own (PostgreSQL
   * NOTIFY, sent to every listening process at commit), that is when this process's own
   * announcement has come back to it (at most `maxWaitMs`): the server has then signalled every
   * listener, so the customer's next click, on any process, is refused. Where readers catch up
   * synchronously (SQLite) there is nothing to wait for.
   */
  async endAndSpread<T>(accountId: number, change: () => Promise<T>, maxWaitMs = 250): Promise<T> {
    const { store } = this.deps;
    if (!store.onSessionsChanged || store.catchUpSessionChanges) return change();
    let done: () => void = () => undefined;
    const heard = new Promise<void>((resolve) => (done = resolve));
    const waiters = this.waiters.get(accountId) ?? new Set<() => void>();
    waiters.add(done);
    this.waiters.set(accountId, waiters);
    const timer = setTimeout(done, maxWaitMs);
    try {
      const result = await change();
      await heard;
      return result;
    } finally {
      clearTimeout(timer);
      waiters.delete(done);
      if (waiters.size === 0 && this.waiters.get(accountId) === waiters) this.waiters.delete(accountId);
    }
  }

  /** Others who act on an account's session change in any process (the OIDC provider's back-channel logout). */
  observeChanges(observer: (accountId: number | null) => void): void {
    this.observers.push(observer);
  }

  private heard(accountId: number | null): void {
    for (const observer of this.observers) observer(accountId);
    const all = accountId === null ? [...this.waiters.values()] : [this.waiters.get(accountId) ?? new Set<() => void>()];
    for (const set of all) for (const resolve of set) resolve();
  }

  tokenHash(token: string): string {
    return this.deps.keyed.hash('session', token);
  }

  /** `recognizedDeviceId`: the recognised browser the login came from, whose 解除 ends this session. */
  async issue(
    tx: StoreTx,
    account: { id: number; loginId: string; name: string },
    method: string,
    ctx: RequestContext,
    recognizedDeviceId: number | null = null,
    holds: { passkey?: boolean; passwordChange?: boolean } = {},
    authMethods: string[] = authMethodsFor(method),
  ): Promise<IssuedSession> {
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
      passkeyPending: holds.passkey ?? false,
      passwordChangePending: holds.passwordChange ?? false,
      authMethods,
    });
    return { token, sessionId: session.id, absoluteExpiresAt };
  }

  private idleExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.rules.idleMinutes * 60_000, absolute.getTime()));
  }

  /**
   * The check when it needs no database: `null` for no token or an impossible one, the session when
   * it is in the cache; `undefined` when only `check` can tell. Most checks at 09:00 end here, and the
   * fast path (web/fast-paths.ts) answers them without a promise or a turn of the microtask queue
   * (docs/performance.md, 2026-12-02 afternoon).
   */
  checkAtOnce(token: string | undefined | null): ActiveSession | null | undefined {
    if (!token || token.length > TOKEN_MAX) return null;
    if (this.cache.entry(token) === undefined) return undefined;
    // Another process may have ended it a moment ago: hear that first (SQLite; cheap when nothing changed).
    this.deps.store.catchUpSessionChanges?.();
    const entry = this.cache.entry(token);
    if (entry === undefined) return undefined;
    const nowMs = this.deps.clock.now().getTime();
    const cached = this.cache.get(token, nowMs);
    if (cached) {
      this.answered.cache += 1;
      return cached;
    }
    return this.reread(token, entry, nowMs);
  }

  /**
   * An entry whose time is up, where the store can read a row at once (SQLite): its row is read
   * again by id, and if it is still this token's live session and says the same, the very same
   * answer stands for another TTL (the web keeps that answer's bytes). The TTL exists to catch a
   * change nobody announced, such as a row edited by hand; this read catches it as the full one
   * does, without the token's keyed hash, the index on it or a new answer (docs/performance.md,
   * 2026-12-02 evening). Anything else, `undefined`: `check` reads as on any miss.
   */
  private reread(token: string, entry: CacheEntry, nowMs: number): ActiveSession | undefined {
    const readAtOnce = this.deps.store.sessionByIdAtOnce;
    if (!readAtOnce || entry.tokenHash === undefined) return undefined;
    const stored = readAtOnce(entry.session.id);
    if (!stored || stored.tokenHash !== entry.tokenHash) return undefined;
    const live = this.liveAt(stored, new Date(nowMs));
    if (!live) return undefined;
    const answer = sameActiveSession(live, entry.session) ? entry.session : live;
    this.cache.put(token, answer, nowMs, this.cache.epoch, entry.tokenHash);
    this.answered.reread += 1;
    return answer;
  }

  /** The check every page of the trading service makes: one indexed read, a write at most once a minute. */
  check(token: string | undefined | null): Promise<ActiveSession | null> {
    const known = this.checkAtOnce(token);
    if (known !== undefined || !token) return Promise.resolve(known ?? null);
    const now = this.deps.clock.now();
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
    const tokenHash = this.tokenHash(token);
    const stored = await this.deps.store.sessions.findActiveByTokenHash(tokenHash);
    const live = stored && this.liveAt(stored, now);
    if (!live) return null;
    // Not cached if a session changed while this read was under way: the row may predate it.
    this.cache.put(token, live, now.getTime(), epoch, tokenHash);
    return live;
  }

  /** What a check answers for a stored session at `now` (null once it has expired); moves last-seen, a batched write, at most once a minute. */
  private liveAt(stored: SessionWithAccount, now: Date): ActiveSession | null {
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
    return {
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
      passkeyPending: stored.passkeyPending ?? false,
      passwordChangePending: stored.passwordChangePending ?? false,
      authMethods: stored.authMethods ?? null,
    };
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

  /** Ends every session of the account but one (a password change, 他のすべての端末からログアウト); returns how many ended. */
  async endAllBut(tx: StoreTx, accountId: number, exceptSessionId: number): Promise<number> {
    const ended = await tx.sessions.endAllForAccount(accountId, this.deps.clock.now(), exceptSessionId);
    await this.changed(tx, accountId);
    return ended;
  }

  /** Ends one of the account's sessions (ログアウト in the list of sessions); false when it is not theirs or already ended. */
  async endOne(tx: StoreTx, accountId: number, sessionId: number): Promise<boolean> {
    const ended = await tx.sessions.endForAccount(accountId, sessionId, this.deps.clock.now());
    if (ended) await this.changed(tx, accountId);
    return ended;
  }

  /** The account's live sessions, with this process's last-seen times not yet written. */
  async listLive(accountId: number): Promise<Session[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.store.sessions.listLiveForAccount(accountId, now);
    return rows.map((s) => ({ ...s, ...this.touches.pending(s.id) })).filter((s) => s.idleExpiresAt > now);
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

  /**
   * The account's sessions are no longer held to passkey registration (a passkey was registered,
   * or the desk exempted the customer): in every process, as a logout is announced.
   */
  async releasePasskeyGate(tx: StoreTx, accountId: number): Promise<void> {
    await tx.sessions.clearPasskeyPending(accountId);
    await this.changed(tx, accountId);
  }

  /**
   * The customer must change the login password (the desk's flag, or a behaviour signal's): every
   * live session is held (the trading service's check answers 403 password_change_required) until
   * `releasePasswordChangeHold`, in every process at once.
   */
  async holdForPasswordChange(tx: StoreTx, accountId: number): Promise<void> {
    await tx.sessions.setPasswordChangePending(accountId, true);
    await this.changed(tx, accountId);
  }

  async releasePasswordChangeHold(tx: StoreTx, accountId: number): Promise<void> {
    await tx.sessions.setPasswordChangePending(accountId, false);
    await this.changed(tx, accountId);
  }

  private async changed(tx: StoreTx, accountId: number): Promise<void> {
    this.cache.forgetAccount(accountId);
    await tx.sessions.announceChange(accountId);
  }
}
