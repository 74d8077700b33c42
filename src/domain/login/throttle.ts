/**
 * Throttling of failed logins (SPEC 2, OWASP ASVS 2.2.1, NIST SP 800-63B §3.2.2):
 * - per source address: many failures from one address block it for a while;
 * - per login ID, from browsers that are NOT recognised: slow down, then lock. The key is the
 *   typed login ID whether or not it exists, so unknown IDs behave exactly like real ones;
 * - per recognised device, separately: a stranger hammering a customer's ID from elsewhere
 *   cannot lock the customer out of the browser the customer always uses.
 * Counters live in the database, so every process behind the load balancer shares them.
 */
import { DomainError } from '../errors';
import type { Clock } from '../ports';
import type { Store } from '../store-types';

export interface ThrottleRules {
  windowMinutes: number;
  accountSlowdownAfter: number;
  accountLockAfter: number;
  accountLockMinutes: number;
  deviceLockAfter: number;
  ipLockAfter: number;
  ipLockMinutes: number;
}

export const ipKey = (ip: string) => `ip:${ip}`;
export const loginIdKey = (loginId: string) => `id:${loginId}`;
export const deviceKey = (deviceId: number) => `dev:${deviceId}`;

export interface FailureOutcome {
  /** The failure that just locked this login ID for unrecognised browsers (mail the customer once). */
  lockedNow: boolean;
}

export class LoginThrottle {
  constructor(
    private readonly deps: { store: Store; clock: Clock; sleep: (ms: number) => Promise<void> },
    private readonly rules: ThrottleRules,
  ) {}

  get lockMinutes(): number {
    return this.rules.accountLockMinutes;
  }

  private secondsUntil(until: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - this.deps.clock.now().getTime()) / 1000));
  }

  async assertSourceAllowed(ip: string): Promise<void> {
    const s = await this.deps.store.throttle.get(ipKey(ip));
    if (s?.lockedUntil && s.lockedUntil > this.deps.clock.now()) {
      throw new DomainError('too_many_requests', { retryAfter: this.secondsUntil(s.lockedUntil) });
    }
  }

  /**
   * Checks the lock that applies to this attempt, then slows repeated failures down. True when
   * failures are on record, i.e. when a success has something to reset.
   */
  async assertLoginAllowed(key: string): Promise<boolean> {
    const s = await this.deps.store.throttle.get(key);
    if (!s) return false;
    const now = this.deps.clock.now();
    if (s.lockedUntil && s.lockedUntil > now) {
      throw new DomainError('login_locked', { retryAfter: this.secondsUntil(s.lockedUntil) });
    }
    const windowStart = now.getTime() - this.rules.windowMinutes * 60_000;
    if (s.windowStartedAt.getTime() >= windowStart && s.failures >= this.rules.accountSlowdownAfter) {
      // Growing delay (1 s, 2 s, … 5 s): cheap for a customer who mistyped, costly for a guesser.
      await this.deps.sleep(Math.min(5, s.failures - this.rules.accountSlowdownAfter + 1) * 1000);
    }
    return true;
  }

  async recordFailure(ip: string, key: string, recognizedDevice: boolean): Promise<FailureOutcome> {
    const now = this.deps.clock.now();
    const windowStart = new Date(now.getTime() - this.rules.windowMinutes * 60_000);
    const { throttle } = this.deps.store;
    const ipFailures = await throttle.recordFailure(ipKey(ip), now, windowStart);
    if (ipFailures >= this.rules.ipLockAfter) {
      await throttle.lock(ipKey(ip), new Date(now.getTime() + this.rules.ipLockMinutes * 60_000));
    }
    const failures = await throttle.recordFailure(key, now, windowStart);
    const limit = recognizedDevice ? this.rules.deviceLockAfter : this.rules.accountLockAfter;
    if (failures >= limit) {
      await throttle.lock(key, new Date(now.getTime() + this.rules.accountLockMinutes * 60_000));
      return { lockedNow: failures === limit };
    }
    return { lockedNow: false };
  }

  async reset(key: string): Promise<void> {
    await this.deps.store.throttle.reset(key);
  }
}
