/**
 * Credential stuffing: one address (or one network) failing with many different login IDs. Each
 * distinct login ID is counted once per window per source, across every process, the way the
 * throttle counts: one conditional statement decides (a member row per source, window and login
 * ID, whose one successful insert alone adds one to the source's count). 60 failures at once on
 * two processes count exactly their distinct IDs. The window is fixed, THROTTLE_WINDOW_MINUTES
 * long; the first count of a new window deletes the older ones. Only failures count: the busy
 * hour's successful logins from a carrier's shared address write nothing here.
 */
import { recordAudit } from '../audit';
import type { LoginContext } from '../login/login-types';
import type { Ports } from '../ports';
import { addressScope } from './address-scope';
import type { NetworkFacts } from './network';
import type { RiskRules, RiskSignal } from './signals';

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
    const out: Source[] = [];
    if (r.responses.stuffing_address !== 'off') out.push({ scope: 'address', key: `a:${addressScope(ip)}`, limit: r.stuffingPerAddress, signal: 'stuffing_address' });
    if (r.responses.stuffing_network !== 'off' && here.asn !== null) out.push({ scope: 'network', key: `n:${here.asn}`, limit: r.stuffingPerNetwork, signal: 'stuffing_network' });
    return out;
  }

  async countFailure(loginId: string, ctx: LoginContext, here: NetworkFacts): Promise<void> {
    const { store, clock, keyed } = this.ports;
    const now = clock.now();
    const window = this.window().n;
    // Typed login IDs are attacker-controlled and may be real customers': only a keyed hash is kept.
    const id = keyed.hash('risk-login-id', loginId).slice(0, 22);
    for (const s of this.sources(ctx.ip, here)) {
      const count = await store.riskCounters.addDistinct(s.key, window, id);
      if (count === null) continue;
      if (count === 1) await store.riskCounters.dropBefore(window);
      // Exactly one failure, on one process, makes the count reach the limit: one event per source and window.
      if (count === s.limit) {
        await recordAudit(store, now, 'risk.stuffing_source', { ctx, detail: { scope: s.scope, asn: here.asn, network: here.network, distinctLoginIds: count, windowMinutes: this.windowMinutes } });
      }
    }
  }

  /** Distinct login IDs that failed from this address and network in the current window. */
  async counts(ip: string, here: NetworkFacts): Promise<{ address: number; network: number }> {
    const counts = { address: 0, network: 0 };
    const window = this.window().n;
    for (const s of this.sources(ip, here)) counts[s.scope] = await this.ports.store.riskCounters.count(s.key, window);
    return counts;
  }

  /** A source whose response is `refuse` and that reached its limit: refused until its window ends. */
  async refusedSource(ip: string, here: NetworkFacts): Promise<{ signal: RiskSignal; retryAfter: number } | null> {
    for (const s of this.sources(ip, here)) {
      if (this.rules.responses[s.signal] !== 'refuse') continue;
      if ((await this.ports.store.riskCounters.count(s.key, this.window().n)) < s.limit) continue;
      return { signal: s.signal, retryAfter: Math.max(1, Math.ceil((this.window().endsAt - this.ports.clock.now().getTime()) / 1000)) };
    }
    return null;
  }
}
