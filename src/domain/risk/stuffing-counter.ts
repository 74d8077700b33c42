/**
 * Credential stuffing: one address (or one network) failing with many different login IDs. Each
 * distinct login ID is counted once per window per source, across every process, by the
 * throttle's own atomic counting: a marker row per (source, window, login ID) whose first writer
 * alone sees 1 and adds one to the source's counter. 60 failures at once on two processes count
 * exactly their distinct IDs. The window is the throttle's (THROTTLE_WINDOW_MINUTES) and fixed
 * (its number is in the key), so the purger, which deletes throttle rows older than one window,
 * never deletes a row of the current one. Only failures count: the busy hour's successful logins
 * from a carrier's shared address write nothing here.
 */
import { recordAudit } from '../audit';
import type { LoginContext } from '../login/login-types';
import type { Ports } from '../ports';
import { addressScope } from './address-scope';
import type { NetworkFacts } from './network';
import type { RiskRules, RiskSignal } from './signals';

/** Counters here never restart inside their window: the window is part of the key. */
const NO_RESTART = new Date(0);
export const STUFFING_KEY_PREFIX = 'risk:';

type Source = { scope: 'address' | 'network'; key: string; limit: number; signal: RiskSignal };

export class StuffingCounter {
  constructor(
    private readonly ports: Ports,
    private readonly rules: RiskRules,
    private readonly windowMinutes: number,
  ) {}

  private window(): { n: number; endsAt: number } {
    const ms = this.windowMinutes * 60_000;
    const n = Math.floor(this.ports.clock.now().getTime() / ms);
    return { n, endsAt: (n + 1) * ms };
  }

  private sources(ip: string, here: NetworkFacts): Source[] {
    const r = this.rules;
    const w = this.window().n;
    const out: Source[] = [];
    if (r.responses.stuffing_address !== 'off') out.push({ scope: 'address', key: `${STUFFING_KEY_PREFIX}a:${w}:${addressScope(ip)}`, limit: r.stuffingPerAddress, signal: 'stuffing_address' });
    if (r.responses.stuffing_network !== 'off' && here.asn !== null) out.push({ scope: 'network', key: `${STUFFING_KEY_PREFIX}n:${w}:${here.asn}`, limit: r.stuffingPerNetwork, signal: 'stuffing_network' });
    return out;
  }

  async countFailure(loginId: string, ctx: LoginContext, here: NetworkFacts): Promise<void> {
    const { store, clock, keyed } = this.ports;
    const now = clock.now();
    const id = keyed.hash('risk-login-id', loginId).slice(0, 22);
    for (const s of this.sources(ctx.ip, here)) {
      if ((await store.throttle.recordFailure(`${s.key}:${id}`, now, NO_RESTART)) !== 1) continue;
      const count = await store.throttle.recordFailure(s.key, now, NO_RESTART);
      // Exactly one failure, on one process, makes the count reach the limit: one event per source and window.
      if (count === s.limit) {
        await recordAudit(store, now, 'risk.stuffing_source', { ctx, detail: { scope: s.scope, asn: here.asn, network: here.network, distinctLoginIds: count, windowMinutes: this.windowMinutes } });
      }
    }
  }

  /** Distinct login IDs that failed from this address and network in the current window. */
  async counts(ip: string, here: NetworkFacts): Promise<{ address: number; network: number }> {
    const counts = { address: 0, network: 0 };
    for (const s of this.sources(ip, here)) counts[s.scope] = (await this.ports.store.throttle.get(s.key))?.failures ?? 0;
    return counts;
  }

  /** A source whose response is `refuse` and that reached its limit: refused until its window ends. */
  async refusedSource(ip: string, here: NetworkFacts): Promise<{ signal: RiskSignal; retryAfter: number } | null> {
    for (const s of this.sources(ip, here)) {
      if (this.rules.responses[s.signal] !== 'refuse') continue;
      if (((await this.ports.store.throttle.get(s.key))?.failures ?? 0) < s.limit) continue;
      return { signal: s.signal, retryAfter: Math.max(1, Math.ceil((this.window().endsAt - this.ports.clock.now().getTime()) / 1000)) };
    }
    return null;
  }
}
