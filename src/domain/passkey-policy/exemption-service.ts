/**
 * The support desk's exemptions from the passkey requirement, for a customer who cannot use
 * passkeys (no capable device): time-limited, with reason and operator, audited, the customer
 * mailed. While one applies the customer keeps TOTP or the e-mailed code, is sent every login
 * notice whatever the opt-in (completion.ts), and sees the risk on the top page.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { OPERATOR_NAME_MAX, SUPPORT_REASON_MAX } from '../input-limits';
import { exemptionGrantedMail, exemptionRevokedMail } from '../notifications/passkey-policy-messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { SessionService } from '../sessions/session-service';
import type { Account } from '../accounts/records';
import type { ListedExemption, PasskeyExemption } from './records';

/** An exemption is a stopgap, not a way out: at most this long from the day it is granted. */
export const EXEMPTION_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export class PasskeyExemptionService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; sessions: SessionService },
  ) {}

  /**
   * Grants an exemption up to and including `until` (a JST calendar day, `YYYY-MM-DD`); one already
   * in force is replaced. Sessions waiting to register a passkey are let go at once.
   */
  async grant(loginId: string, input: { until: unknown; operator: unknown; reason: unknown }): Promise<PasskeyExemption> {
    const operator = parseOperator(input.operator);
    const reason = parseReason(input.reason);
    const now = this.ports.clock.now();
    const expiresAt = parseUntil(input.until, now);
    const account = await this.account(loginId);
    const { store, random } = this.ports;
    return store.transaction(async (tx) => {
      const replaced = await tx.passkeyExemptions.revokeActive(account.id, now, operator, 'replaced');
      const exemption = await tx.passkeyExemptions.insert({ accountId: account.id, reason, operator, createdAt: now, expiresAt });
      await this.deps.sessions.releasePasskeyGate(tx, account.id);
      await recordAudit(tx, now, 'passkey.exemption_granted', {
        accountId: account.id, loginId: account.loginId, operator,
        detail: { reason, exemptionId: exemption.id, expiresAt: expiresAt.toISOString(), replaced },
      });
      await queueToVerified(tx, random, now, account.id, exemptionGrantedMail(this.deps.brand, { name: account.name, at: now, until: expiresAt }));
      return exemption;
    });
  }

  /** Ends the exemption in force; the customer must register a passkey at the next login. */
  async revoke(loginId: string, input: { operator: unknown; reason: unknown }): Promise<void> {
    const operator = parseOperator(input.operator);
    const reason = parseReason(input.reason);
    const account = await this.account(loginId);
    const { store, clock, random } = this.ports;
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.passkeyExemptions.revokeActive(account.id, now, operator, reason))) throw new DomainError('not_found', { field: 'exemption' });
      await recordAudit(tx, now, 'passkey.exemption_revoked', { accountId: account.id, loginId: account.loginId, operator, detail: { reason } });
      await queueToVerified(tx, random, now, account.id, exemptionRevokedMail(this.deps.brand, { name: account.name, at: now }));
    });
  }

  /** The exemptions in force (or all, newest first), of one customer or of everyone. */
  async list(o: { loginId?: string; all?: boolean; limit?: number } = {}): Promise<ListedExemption[]> {
    const accountId = o.loginId === undefined ? undefined : (await this.account(o.loginId)).id;
    return this.ports.store.passkeyExemptions.list({ accountId, activeAt: o.all ? undefined : this.ports.clock.now(), limit: o.limit ?? 1000 });
  }

  private async account(loginId: string): Promise<Account> {
    const account = await this.ports.store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    return account;
  }
}

function parseOperator(raw: unknown): string {
  const op = typeof raw === 'string' ? raw.trim() : '';
  if (!op) throw new InvalidInput('operator', 'required');
  if (op.length > OPERATOR_NAME_MAX) throw new InvalidInput('operator', 'too_long');
  return op;
}

function parseReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (!reason) throw new InvalidInput('reason', 'required');
  if (reason.length > SUPPORT_REASON_MAX) throw new InvalidInput('reason', 'too_long');
  return reason;
}

/** `YYYY-MM-DD`, the last JST day the exemption applies: it ends at 00:00 JST the day after. */
export function parseUntil(raw: unknown, now: Date): Date {
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new InvalidInput('until', 'format');
  const day = new Date(`${raw}T00:00:00+09:00`);
  // A day like 2027-02-30 rolls over into March rather than failing: compare the day written back.
  if (Number.isNaN(day.getTime()) || new Date(day.getTime() + 9 * 3_600_000).toISOString().slice(0, 10) !== raw) throw new InvalidInput('until', 'format');
  const expiresAt = new Date(day.getTime() + DAY_MS);
  if (expiresAt <= now) throw new InvalidInput('until', 'past');
  if (expiresAt.getTime() - now.getTime() > (EXEMPTION_MAX_DAYS + 1) * DAY_MS) throw new InvalidInput('until', 'too_late');
  return expiresAt;
}
