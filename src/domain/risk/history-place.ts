/** What ログイン履歴 shows of where a login came from and what the behaviour signals decided. */
import type { AuditEvent } from '../audit';
import { shownIp } from '../client-address';
import type { NetworkLookup } from './network';

export function placeOf(e: AuditEvent, networks: NetworkLookup | undefined) {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  if (e.type === 'login.risk') {
    const signals = Array.isArray(e.detail.signals) ? e.detail.signals.map(String) : [];
    return { country: text(e.detail.country), network: text(e.detail.network), risk: { signals, action: String(e.detail.action ?? '') } };
  }
  const ip = shownIp(e.ip);
  const here = ip && networks ? networks.lookup(ip) : null;
  return { country: here?.country ?? null, network: here?.network ?? null, risk: null };
}
