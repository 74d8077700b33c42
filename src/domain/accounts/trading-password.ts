/**
 * The 取引パスワード confirms every setting change (SPEC 1.4, the notice's 確認 screens) and is
 * offered to the trading service as an API check (SPEC 1.5). Five wrong entries lock its use
 * until the support desk unlocks it (ASVS 2.2.1); the customer is told by mail.
 */
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { tradingPasswordLockedMail, tradingPasswordUnlockedMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Account } from '../store-types';

export const TRADING_PASSWORD_MAX_FAILURES = 5;

/** How recent a passkey step-up must be for a critical operation under the phishing-resistant policy. */
export const STEP_UP_FRESH_MS = 5 * 60_000;

export class TradingPasswordService {
  constructor(
    private readonly ports: Ports,
    private readonly brand: Brand,
    private readonly policy: 'seed' | 'phishing-resistant' = 'seed',
  ) {}

  /**
   * Policy `phishing-resistant` (FSA/JSDA 2025): a customer who has a passkey confirms critical
   * changes with a fresh passkey assertion as well — a phished trading password alone is not enough.
   */
  private async assertStepUp(account: Account, ctx: RequestContext): Promise<void> {
    if (this.policy !== 'phishing-resistant') return;
    if (!(await this.ports.store.passkeys.listForAccount(account.id)).length) return;
    const at = ctx.stepUpAt;
    if (!at || this.ports.clock.now().getTime() - at.getTime() > STEP_UP_FRESH_MS) throw new DomainError('step_up_required');
  }

  /** Throws unless `raw` is the account's trading password; counts and locks failures. */
  async confirm(account: Account, raw: unknown, ctx: RequestContext, purpose: string): Promise<void> {
    if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput('tradingPassword', 'required');
    if (raw.length > 1024) throw new InvalidInput('tradingPassword', 'too_long');
    if (account.tradingPasswordLockedAt) throw new DomainError('trading_password_locked');
    await this.assertStepUp(account, ctx);
    const { store, clock, passwords } = this.ports;
    const result = await passwords.verify(account.tradingPasswordHash, raw);
    if (result.ok) {
      if (account.tradingPasswordFailures > 0) await store.accounts.setTradingPasswordLock(account.id, null);
      if (result.needsRehash) await store.accounts.updateTradingPasswordHash(account.id, await passwords.hash(raw), clock.now());
      return;
    }
    return this.recordFailure(account, ctx, purpose);
  }

  /**
   * Counts a failed confirmation and locks after five; the wrong current login password on the
   * password-change screen counts here too, so neither secret can be guessed without limit.
   */
  async recordFailure(account: Account, ctx: RequestContext, purpose: string, code: 'trading_password_invalid' | 'current_password_invalid' = 'trading_password_invalid'): Promise<never> {
    const { store, clock, random } = this.ports;
    const now = clock.now();
    let locked = false;
    await store.transaction(async (tx) => {
      const failures = await tx.accounts.recordTradingPasswordFailure(account.id, now);
      await recordAudit(tx, now, 'trading_password.failed', { accountId: account.id, loginId: account.loginId, ctx, detail: { purpose, failures } });
      if (failures >= TRADING_PASSWORD_MAX_FAILURES) {
        locked = true;
        await tx.accounts.setTradingPasswordLock(account.id, now);
        await recordAudit(tx, now, 'trading_password.locked', { accountId: account.id, loginId: account.loginId, ctx });
        const mail = tradingPasswordLockedMail(this.brand, { name: account.name, at: now });
        await queueToVerified(tx, random, now, account.id, mail);
      }
    });
    if (locked) throw new DomainError('trading_password_locked');
    if (code === 'current_password_invalid') throw new DomainError('invalid_credentials', { reason: 'current_password' });
    throw new DomainError('trading_password_invalid');
  }

  /** Support desk: `mamori support unlock-trading-password` and the support API; audited, mailed. */
  async unlock(loginId: string, operator: string, reason: string): Promise<void> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    if (!account.tradingPasswordLockedAt) throw new DomainError('flow_state', { reason: 'not_locked' });
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.accounts.setTradingPasswordLock(account.id, null);
      await recordAudit(tx, now, 'trading_password.unlocked', { accountId: account.id, loginId, operator, detail: { reason } });
      const mail = tradingPasswordUnlockedMail(this.brand, { name: account.name, at: now });
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }
}
