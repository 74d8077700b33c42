/**
 * Who may use the support desk's API: an operator's key, checked in constant time; every wrong
 * or missing key audited (`support.key_rejected`, with the client address and never the key)
 * and limited per client address, so the keys cannot be guessed at speed (OWASP ASVS 5.0
 * V6.3.1 and V16.3.1; NIST SP 800-63B-4 §3.2.2 rate limiting). The counter is the shared
 * throttle table under its own key prefix, so every process counts together.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError } from '../errors';
import type { Clock } from '../ports';
import type { Store } from '../store';

/** A few wrong keys per minute per address, then a pause; operators paste keys, they do not type them. */
export const SUPPORT_KEY_RULES = { maxFailures: 5, windowSeconds: 60, lockSeconds: 300 };

export const supportIpKey = (ip: string) => `support:ip:${ip}`;

const digest = (s: string) => createHash('sha256').update(s).digest();

export class SupportAccess {
  private readonly keys: { operator: string; digest: Buffer }[];

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    keys: { operator: string; key: string }[],
    private readonly rules = SUPPORT_KEY_RULES,
  ) {
    this.keys = keys.map((k) => ({ operator: k.operator, digest: digest(k.key) }));
  }

  /** The operator whose key was presented; otherwise forbidden, or too_many_requests once limited. */
  async authenticate(presentedKey: string | null, ctx: RequestContext): Promise<string> {
    const { store, clock } = this.deps;
    const key = supportIpKey(ctx.ip);
    const now = clock.now();
    // The attempt takes its slot before the key is compared (the throttle's reservation): of many
    // guesses at once exactly `maxFailures` are compared, and a limited address waits even with
    // the right key, so the pause never tells that a guess was right.
    const count = await store.throttle.reserve(key, now, new Date(now.getTime() - this.rules.windowSeconds * 1000), this.rules.maxFailures);
    if (count === null) {
      await recordAudit(store, now, 'support.key_rejected', { ctx, detail: { reason: 'limited' } });
      const state = await store.throttle.get(key);
      throw this.limited(state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : new Date(now.getTime() + this.rules.windowSeconds * 1000), now);
    }
    const presented = presentedKey ? digest(presentedKey) : null;
    // Compare digests in constant time, against every key, so timing tells nothing.
    let found: string | null = null;
    for (const k of this.keys) if (presented && timingSafeEqual(presented, k.digest)) found = k.operator;
    if (found) {
      await store.throttle.release(key);
      return `api:${found}`;
    }
    await recordAudit(store, now, 'support.key_rejected', { ctx, detail: { reason: presentedKey ? 'wrong_key' : 'missing_key', failures: count } });
    if (count >= this.rules.maxFailures) await store.throttle.lock(key, new Date(now.getTime() + this.rules.lockSeconds * 1000), now);
    throw new DomainError('forbidden', { reason: 'support_key' });
  }

  private limited(until: Date, now: Date): DomainError {
    return new DomainError('too_many_requests', { retryAfter: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) });
  }
}
