/**
 * The 取引パスワード confirms every setting change (docs/requirements.md R-CHANGE-1, the notice's 確認 screens) and is
 * offered to the trading service as an API check (R-ACCT-3). Five wrong entries lock its use
 * until the support desk unlocks it (ASVS 2.2.1); the customer is told by mail.
 */
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { SUBMITTED_PASSWORD_MAX } from '../input-limits';
import { tradingPasswordLockedMail, tradingPasswordUnlockedMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Account } from './records';

export const TRADING_PASSWORD_MAX_FAILURES = 5;

export class TradingPasswordService {
  constructor(
    private readonly ports: Ports,
    private readonly brand: Brand,
    private readonly policy: 'seed' | 'phishing-resistant' = 'seed',
    /** How recent a passkey step-up must be for a critical change under the phishing-resistant policy (STEP_UP_MAX_AGE_SECONDS). */
    private readonly stepUpMaxAgeSeconds = 300,
  ) {}

  /**
   * Policy `phishing-resistant` (FSA/JSDA 2025): a customer who has a passkey confirms critical
   * changes with a fresh passkey assertion as well — a phished trading password alone is not enough.
   */
  async assertStepUp(account: Account, ctx: RequestContext): Promise<void> {
    if (this.policy !== 'phishing-resistant') return;
    if (!(await this.ports.store.passkeys.listForAccount(account.id)).length) return;
    const at = ctx.stepUpAt;
    if (!at || this.ports.clock.now().getTime() - at.getTime() > this.stepUpMaxAgeSeconds * 1000) throw new DomainError('step_up_required');
  }

  /**
   * Throws unless `raw` is the account's trading password; counts and locks failures. `alsoCheck`
   * runs in the same attempt once the trading password is right: a check that would otherwise let a
   * stranger holding it guess the other secret (the current login password; whether a new password
   * equals the other one). Its refusal counts as a failure too and is not wiped out by the right
   * trading password, which is why both are one attempt.
   */
  async confirm(account: Account, raw: unknown, ctx: RequestContext, purpose: string, alsoCheck?: () => Promise<DomainError | null>): Promise<void> {
    const typed = this.parse(account, raw);
    await this.assertStepUp(account, ctx);
    await this.check(account, typed, ctx, purpose, alsoCheck);
  }

  /**
   * The trading service confirms an order (or anything else it protects with the 取引パスワード)
   * through Mamori: the same count, lock and mail as the setting changes, no step-up (an order is
   * not a change to the account), and the success audited too.
   */
  async verifyForTradingService(account: Account, raw: unknown, ctx: RequestContext): Promise<void> {
    await this.check(account, this.parse(account, raw), ctx, 'trading_service');
    await recordAudit(this.ports.store, this.ports.clock.now(), 'trading_password.verified', { accountId: account.id, loginId: account.loginId, ctx });
  }

  private parse(account: Account, raw: unknown): string {
    if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput('tradingPassword', 'required');
    if (raw.length > SUBMITTED_PASSWORD_MAX) throw new InvalidInput('tradingPassword', 'too_long');
    if (account.tradingPasswordLockedAt) throw new DomainError('trading_password_locked');
    return raw;
  }

  private async check(account: Account, raw: string, ctx: RequestContext, purpose: string, alsoCheck?: () => Promise<DomainError | null>): Promise<void> {
    const { store, clock, passwords } = this.ports;
    let needsRehash = false;
    await this.guard(account, ctx, purpose, async () => {
      const result = await passwords.verify(account.tradingPasswordHash, raw);
      needsRehash = result.needsRehash;
      if (!result.ok) return false;
      return (await alsoCheck?.()) ?? true;
    });
    if (needsRehash) await store.accounts.updateTradingPasswordHash(account.id, await passwords.hash(raw), clock.now());
  }

  /**
   * The check takes one of the five attempts before it runs, in one conditional update, so 40
   * guesses sent at once are judged five times at most (ASVS 5.0 V6.3.1). A pass (true) gives the
   * attempt back and starts the count afresh; a failure (false: wrong trading password, or the
   * error to answer) keeps it, and the fifth sets the lock, once, with one mail.
   */
  private async guard(account: Account, ctx: RequestContext, purpose: string, check: () => Promise<boolean | DomainError>): Promise<void> {
    const { store, clock, random } = this.ports;
    const slot = await store.accounts.reserveTradingPasswordAttempt(account.id, TRADING_PASSWORD_MAX_FAILURES, clock.now());
    if (slot === null) {
      const fresh = await store.accounts.findById(account.id);
      if (fresh?.tradingPasswordLockedAt) throw new DomainError('trading_password_locked');
      // Every attempt is taken by checks still running; one of them may yet succeed.
      throw new DomainError('too_many_requests', { retryAfter: 1 });
    }
    let ok: boolean | DomainError;
    try {
      ok = await check();
    } catch (e) {
      await store.accounts.releaseTradingPasswordAttempt(account.id, null);
      throw e;
    }
    if (ok === true) return store.accounts.releaseTradingPasswordAttempt(account.id, slot);
    const now = clock.now();
    const locked = await store.transaction(async (tx) => {
      await recordAudit(tx, now, 'trading_password.failed', { accountId: account.id, loginId: account.loginId, ctx, detail: { purpose, failures: slot } });
      if (slot < TRADING_PASSWORD_MAX_FAILURES || !(await tx.accounts.lockTradingPassword(account.id, now))) return slot >= TRADING_PASSWORD_MAX_FAILURES;
      await recordAudit(tx, now, 'trading_password.locked', { accountId: account.id, loginId: account.loginId, ctx });
      const mail = tradingPasswordLockedMail(this.brand, { name: account.name, at: now });
      await queueToVerified(tx, random, now, account.id, mail);
      return true;
    });
    if (locked) throw new DomainError('trading_password_locked');
    if (ok === false) throw new DomainError('trading_password_invalid', { remaining: TRADING_PASSWORD_MAX_FAILURES - slot });
    throw ok;
  }

  /** Support desk: `mamori support unlock-trading-password` and the support API; audited, mailed. */
  async unlock(loginId: string, operator: string, reason: string): Promise<void> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    if (!account.tradingPasswordLockedAt) throw new DomainError('not_locked');
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.accounts.unlockTradingPassword(account.id);
      await recordAudit(tx, now, 'trading_password.unlocked', { accountId: account.id, loginId, operator, detail: { reason } });
      const mail = tradingPasswordUnlockedMail(this.brand, { name: account.name, at: now });
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }
}
