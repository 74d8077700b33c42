/**
 * Who may use the support desk's API: an operator's key (domain/desk/api-keys.ts), found by its
 * public id and compared in constant time. The call then acts with that operator's role. Every
 * call is audited with the operator and key (`support.api_call`); every wrong, unknown, revoked
 * or missing key, and a disabled operator's, is audited (`support.key_rejected`, with the client
 * address and the public id at most, never the key) and limited per client address, so keys
 * cannot be guessed at speed (OWASP ASVS 5.0 V6.3.1 and V16.3.1; NIST SP 800-63B-4 §3.2.2). The
 * counter is the shared throttle table under its own key prefix, so every process counts together.
 */
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { API_KEY_HASH_PURPOSE, DUMMY_HASH, publicIdOf } from '../desk/api-keys';
import type { Operator } from '../desk/records';
import { DomainError } from '../errors';
import type { Ports } from '../ports';

/** A few wrong keys per minute per address, then a pause; operators paste keys, they do not type them. */
export const SUPPORT_KEY_RULES = { maxFailures: 5, windowSeconds: 60, lockSeconds: 300 };

export const supportIpKey = (ip: string) => `support:ip:${ip}`;

/** The operator behind a support-API call and the key they used. */
export interface ApiCaller {
  operator: Operator;
  keyId: number;
}

export class SupportAccess {
  constructor(
    private readonly ports: Ports,
    private readonly rules = SUPPORT_KEY_RULES,
  ) {}

  /** The caller whose key was presented; otherwise forbidden, or too_many_requests once limited. `call` names the route, for the audit. */
  async authenticate(presentedKey: string | null, ctx: RequestContext, call: string): Promise<ApiCaller> {
    const { store, clock, keyed } = this.ports;
    const key = supportIpKey(ctx.ip);
    const now = clock.now();
    // The attempt takes its slot before the key is compared (the throttle's reservation): of many
    // guesses at once exactly `maxFailures` are compared, and a limited address waits even with
    // the right key, so the pause never tells that a guess was right.
    const count = await store.throttle.reserve(key, now, new Date(now.getTime() - this.rules.windowSeconds * 1000), this.rules.maxFailures);
    if (count === null) {
      await recordAudit(store, now, 'support.key_rejected', { ctx, detail: { reason: 'limited', call } });
      const state = await store.throttle.get(key);
      throw this.limited(state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : new Date(now.getTime() + this.rules.windowSeconds * 1000), now);
    }
    const publicId = presentedKey ? publicIdOf(presentedKey) : null;
    const found = publicId ? await store.desk.findApiKey(publicId) : undefined;
    const matches = keyed.equals(API_KEY_HASH_PURPOSE, presentedKey ?? '', found?.key.keyHash ?? DUMMY_HASH);
    const refusal = !presentedKey ? 'missing_key' : !found || !matches ? 'wrong_key' : found.key.revokedAt ? 'revoked_key' : found.operator.disabledAt ? 'disabled_operator' : null;
    if (!refusal && found) {
      await store.throttle.release(key);
      await store.desk.touchApiKey(found.key.id, now);
      await recordAudit(store, now, 'support.api_call', { operator: found.operator.name, ctx, detail: { keyId: found.key.id, publicId, role: found.operator.role, call } });
      return { operator: found.operator, keyId: found.key.id };
    }
    await recordAudit(store, now, 'support.key_rejected', { operator: refusal === 'wrong_key' ? null : found?.operator.name ?? null, ctx, detail: { reason: refusal, failures: count, call, ...(publicId ? { publicId } : {}) } });
    if (count >= this.rules.maxFailures) await store.throttle.lock(key, new Date(now.getTime() + this.rules.lockSeconds * 1000), now);
    throw new DomainError('forbidden', { reason: 'support_key' });
  }

  private limited(until: Date, now: Date): DomainError {
    return new DomainError('too_many_requests', { retryAfter: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) });
  }
}
