/**
 * Opening a customer's sealed TOTP secret where the customer is waiting (login, a change's
 * confirmation, the key shown again). A secret the configured keys cannot open — sealed under a
 * key this process does not hold, typically after `mamori keys rotate` under a running server —
 * is the operator's problem, not the customer's: it is audited (with the key it names, so the
 * desk knows which key is missing) and answered with `secret_unreadable`, a clear page, not a 500.
 */
import { recordAudit } from '../audit';
import { DomainError } from '../errors';
import type { RequestContext } from '../context';
import type { Ports } from '../ports';

export async function openTotpSecret(
  ports: Pick<Ports, 'secrets' | 'store' | 'clock'>,
  sealed: string,
  who: { accountId: number; loginId: string; ctx?: RequestContext | null; during: 'login' | 'reauthentication' | 'enrolment' },
): Promise<string> {
  try {
    return ports.secrets.open(sealed);
  } catch {
    await recordAudit(ports.store, ports.clock.now(), 'totp.secret_unreadable', { accountId: who.accountId, loginId: who.loginId, ctx: who.ctx, detail: { keyId: sealed.split('.')[1] ?? '', during: who.during } });
    throw new DomainError('secret_unreadable');
  }
}
