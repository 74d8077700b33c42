/**
 * Throttling of failed logins (OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B-4 §3.2.2), one mechanism for
 * every factor: a wrong password, e-mailed code, TOTP, recovery code or passkey is one failure.
 * - per client address: many failures from one address block it for a while;
 * - per login ID, from browsers that are NOT recognised: slow down, then lock. The key is the
 *   typed login ID whether or not it exists, so unknown IDs behave exactly like real ones;
 * - per recognised device, separately: a stranger hammering a customer's ID from elsewhere cannot
 *   lock the customer out of the browser the customer always uses;
 * - per account, consecutive failures of any factor from any browser: after the hard cap (NIST SP
 *   800-63B-4 §3.2.2 allows at most 100) unrecognised browsers are suspended until a login from a
 *   recognised browser succeeds or the support desk clears it.
 *
 * Every limit is a reservation, taken in one conditional statement BEFORE the expensive check
 * (argon2id, a code comparison): 60 guesses arriving at once on several processes are judged at
 * most `limit` times, because each must first win a slot that the database hands out atomically.
 * A success gives its slot back; a failure keeps it. Counters live in the database, so every
 * process behind the load balancer shares them.
 */
import { DomainError } from '../errors';
import type { Clock } from '../ports';
import type { Store, StoreTx } from '../store';
import type { ThrottleState } from './records';

export interface ThrottleRules {
  windowMinutes: number;
  accountSlowdownAfter: number;
  accountLockAfter: number;
  accountLockMinutes: number;
  deviceLockAfter: number;
  ipLockAfter: number;
  ipLockMinutes: number;
  /** Consecutive failures of any factor, any browser, before unrecognised browsers are suspended. */
  accountHardLockAfter: number;
  /** WebAuthn challenges one client address may open per minute without logging in. */
  challengesPerMinute: number;
}

export const ipKey = (ip: string) => `ip:${ip}`;
export const loginIdKey = (loginId: string) => `id:${loginId}`;
export const deviceKey = (deviceId: number) => `dev:${deviceId}`;
/** Consecutive failures of the account (typed login ID, so unknown IDs count the same way). */
export const accountKey = (loginId: string) => `acct:${loginId}`;
export const challengeKey = (ip: string) => `chal:${ip}`;

/** A suspension lasts until it is cleared: a lock time no clock reaches. */
const UNTIL_CLEARED = new Date(Date.UTC(9999, 11, 31));
/** A window that never restarts: the hard cap counts consecutive failures, not failures per period. */
const NO_WINDOW = new Date(0);

export interface AttemptSubject {
  ip: string;
  /** The login ID the attempt is for (typed, or the flow's account); null when not known yet (passwordless). */
  loginId: string | null;
  /** The recognised device the attempt comes from, if any. */
  deviceId: number | null;
}

export interface FailureOutcome {
  /** This failure locked the login ID (or device) for a while: mail the customer once. */
  lockedNow: boolean;
  /** This failure reached the hard cap: unrecognised browsers are suspended; mail the customer once. */
  suspendedNow: boolean;
  /** What the customer still has before the lock (for the message), when known. */
  remaining: number | null;
}

/** One judged attempt: its slots are taken; say how it ended, once (a later `abandon` does nothing). */
export interface Attempt {
  /** The factor was right, the login goes on (a second step follows): the slots are given back. */
  succeeded(): Promise<void>;
  /**
   * The factor was right and the login completes in `tx`: the address's slot is given back and the
   * login ID's (or device's) counter and the account's consecutive failures end — two statements in
   * the login's own transaction, where giving back and then clearing would be four commits of their
   * own on the 09:00 path. Call it last in the transaction: should the transaction roll back before
   * this, `abandon` still gives every slot back; only a failing COMMIT itself would leave the two
   * slots counted until their window ends (the safe direction).
   */
  loggedIn(tx: StoreTx): Promise<void>;
  failed(): Promise<FailureOutcome>;
  /** The check itself broke (database, capacity): give every slot back, count nothing. */
  abandon(): Promise<void>;
}

interface Slot {
  /** What a full counter means: the address blocked, the login ID (or device) locked, the account suspended. */
  scope: 'address' | 'login' | 'account';
  key: string;
  count: number;
  limit: number;
  lockMinutes: number | null;
}

/** Every slot is held by attempts still being checked: none has failed yet, so this is no lock. */
const inFlight = () => new DomainError('too_many_requests', { retryAfter: 1 });

export class LoginThrottle {
  constructor(
    private readonly deps: { store: Store; clock: Clock; sleep: (ms: number) => Promise<void> },
    private readonly rules: ThrottleRules,
  ) {}

  get lockMinutes(): number {
    return this.rules.accountLockMinutes;
  }

  get hardLockAfter(): number {
    return this.rules.accountHardLockAfter;
  }

  private secondsUntil(until: Date | null | undefined): number {
    if (!until) return 1;
    return Math.max(1, Math.ceil((until.getTime() - this.deps.clock.now().getTime()) / 1000));
  }

  private windowStart(minutes: number): Date {
    return new Date(this.deps.clock.now().getTime() - minutes * 60_000);
  }

  /** Takes a slot or throws; `refusal` says what the customer is told when there is none. */
  private async take(key: string, limit: number, windowStart: Date, refusal: (lockedUntil: Date | null) => DomainError): Promise<number> {
    const { throttle } = this.deps.store;
    const count = await throttle.reserve(key, this.deps.clock.now(), windowStart, limit);
    if (count !== null) return count;
    const state = await throttle.get(key);
    throw refusal(state?.lockedUntil && state.lockedUntil > this.deps.clock.now() ? state.lockedUntil : null);
  }

  /**
   * Reserves the slots an attempt needs before its check: the client address, then the login ID
   * (or recognised device), then, from unrecognised browsers, the account's hard cap.
   */
  async begin(subject: AttemptSubject): Promise<Attempt> {
    const r = this.rules;
    const slots: Slot[] = [];
    const giveBack = async () => {
      for (const s of slots) await this.deps.store.throttle.release(s.key);
    };
    try {
      slots.push({
        scope: 'address',
        key: ipKey(subject.ip),
        limit: r.ipLockAfter,
        lockMinutes: r.ipLockMinutes,
        count: await this.take(ipKey(subject.ip), r.ipLockAfter, this.windowStart(r.windowMinutes), (until) => new DomainError('too_many_requests', { retryAfter: this.secondsUntil(until) })),
      });
      if (subject.loginId !== null) {
        const key = subject.deviceId !== null ? deviceKey(subject.deviceId) : loginIdKey(subject.loginId);
        const limit = subject.deviceId !== null ? r.deviceLockAfter : r.accountLockAfter;
        const count = await this.take(key, limit, this.windowStart(r.windowMinutes), (until) => (until ? new DomainError('login_locked', { retryAfter: this.secondsUntil(until) }) : inFlight()));
        slots.push({ scope: 'login', key, limit, lockMinutes: r.accountLockMinutes, count });
        if (subject.deviceId === null) {
          const hard = accountKey(subject.loginId);
          const hardCount = await this.take(hard, r.accountHardLockAfter, NO_WINDOW, (until) =>
            until ? new DomainError('login_suspended') : inFlight(),
          );
          slots.push({ scope: 'account', key: hard, limit: r.accountHardLockAfter, lockMinutes: null, count: hardCount });
        }
        // Growing delay (1 s, 2 s, … 5 s) once failures are on record: cheap for a customer who
        // mistyped, costly for a guesser.
        const before = count - 1;
        if (before >= r.accountSlowdownAfter) await this.deps.sleep(Math.min(5, before - r.accountSlowdownAfter + 1) * 1000);
      }
    } catch (e) {
      await giveBack();
      throw e;
    }
    let settled = false;
    const once = <T>(run: () => Promise<T>) => async (): Promise<T | undefined> => {
      if (settled) return undefined;
      settled = true;
      return run();
    };
    return {
      succeeded: once(giveBack) as () => Promise<void>,
      abandon: once(giveBack) as () => Promise<void>,
      loggedIn: async (tx: StoreTx) => {
        if (settled) return;
        await tx.throttle.release(slots[0]!.key);
        if (subject.loginId !== null) await this.clearAfterLogin(subject.loginId, subject.deviceId, tx);
        settled = true;
      },
      failed: once(() => this.fail(slots, subject)) as () => Promise<FailureOutcome>,
    };
  }

  /** Failed: every slot stays counted; a slot that reached its limit locks, once. */
  private async fail(slots: Slot[], subject: AttemptSubject): Promise<FailureOutcome> {
    const { throttle } = this.deps.store;
    const now = this.deps.clock.now();
    let lockedNow = false;
    let suspendedNow = false;
    let remaining: number | null = null;
    for (const s of slots) {
      if (s.scope === 'login') remaining = Math.max(0, s.limit - s.count);
      if (s.count < s.limit) continue;
      const until = s.lockMinutes === null ? UNTIL_CLEARED : new Date(now.getTime() + s.lockMinutes * 60_000);
      const first = await throttle.lock(s.key, until, now);
      if (s.scope === 'account') suspendedNow ||= first;
      else if (s.scope === 'login') lockedNow ||= first;
    }
    // A recognised browser's failures do not reserve the hard cap (it must never lock that browser
    // out) but they are consecutive failures of the account all the same.
    if (subject.deviceId !== null && subject.loginId !== null) {
      const key = accountKey(subject.loginId);
      const count = await throttle.recordFailure(key, now, NO_WINDOW);
      if (count >= this.rules.accountHardLockAfter) suspendedNow ||= await throttle.lock(key, UNTIL_CLEARED, now);
    }
    return { lockedNow, suspendedNow, remaining };
  }

  /**
   * A wrong second factor outside a login (the fresh factor that confirms a change of how the
   * customer logs in) is one more consecutive failure of the account: it counts toward the hard
   * cap, though it locks no browser by itself. True when it reached the cap just now.
   */
  async countFactorFailure(loginId: string): Promise<boolean> {
    const { throttle } = this.deps.store;
    const now = this.deps.clock.now();
    const key = accountKey(loginId);
    const count = await throttle.recordFailure(key, now, NO_WINDOW);
    return count >= this.rules.accountHardLockAfter && (await throttle.lock(key, UNTIL_CLEARED, now));
  }

  /** A completed login: the login ID's (or device's) failures and the account's consecutive count end. */
  async clearAfterLogin(loginId: string, deviceId: number | null, tx: StoreTx | Store = this.deps.store): Promise<void> {
    // A success from a recognised browser also lifts a suspension (only such a success can happen
    // while suspended, since unrecognised browsers are refused before their check).
    await tx.throttle.resetMany([deviceId !== null ? deviceKey(deviceId) : loginIdKey(loginId), accountKey(loginId)]);
  }

  /** Support desk, read only: the login ID's lock (wrong passwords) and the account's (consecutive failures; suspended until cleared). */
  async locksOf(loginId: string): Promise<{ loginId: ThrottleState | undefined; account: ThrottleState | undefined }> {
    const { throttle } = this.deps.store;
    return { loginId: await throttle.get(loginIdKey(loginId)), account: await throttle.get(accountKey(loginId)) };
  }

  /** Support desk: lifts the suspension and the login ID's lock. True when there was something to clear. */
  async clearByDesk(loginId: string): Promise<boolean> {
    const { throttle } = this.deps.store;
    const had = Boolean((await throttle.get(accountKey(loginId)))?.lockedUntil || (await throttle.get(loginIdKey(loginId)))?.lockedUntil);
    await throttle.resetMany([accountKey(loginId), loginIdKey(loginId)]);
    return had;
  }

  /**
   * A plain count of requests under `key` (a reset code mailed, a login ID reminder asked for):
   * `limit` per `windowMinutes`, taken by the same reservation before the work is done.
   */
  async assertWithinRate(key: string, limit: number, windowMinutes: number): Promise<void> {
    await this.take(key, limit, this.windowStart(windowMinutes), (until) =>
      new DomainError('too_many_requests', { retryAfter: until ? this.secondsUntil(until) : windowMinutes * 60 }),
    );
  }

  /**
   * Work a stranger can make us store without logging in (a WebAuthn challenge row) is rate-limited
   * per client address: a plain count per minute from the same reservation.
   */
  async assertChallengeAllowed(ip: string): Promise<void> {
    await this.take(challengeKey(ip), this.rules.challengesPerMinute, this.windowStart(1), (until) =>
      new DomainError('too_many_requests', { retryAfter: until ? this.secondsUntil(until) : 60 }),
    );
  }
}
