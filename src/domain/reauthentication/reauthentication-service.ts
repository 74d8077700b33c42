/**
 * Re-authentication for every change to how a customer logs in (TOTP 申込 / コード再表示 /
 * 利用停止, recovery-code regeneration, passkey registration and deletion, changing or removing
 * a verified e-mail address — where these very codes are sent). A session alone is
 * not enough: a stolen session cookie must not let an intruder put their own authenticator on
 * the account. The change is confirmed with the trading password (the caller's part) and with a
 * fresh second factor the customer already controls: a one-time code mailed for exactly this
 * purpose to the representative address, or — for a TOTP customer — the current one-time
 * password, accepted once. NIST SP 800-63B-4 §4.2.2 / §6.1.2.1 (binding an additional
 * authenticator requires authentication at AAL2, with an existing authenticator); ASVS 5.0
 * V6.4.3 / V7.5.1 (re-authentication before changing authentication factors).
 *
 * A code is bound to account, session and purpose in its keyed hash, as the login code is bound
 * to its flow: mailed for 「パスキーの登録」 it cannot stop TOTP, and a code read from the
 * customer's mail in another session is worthless. 10 minutes, a resend cooldown, single use by a
 * conditional delete, and at most five tries, each reserved by a conditional update before the
 * comparison so that concurrent guesses on any number of processes are judged at most five times.
 */
import { openTotpSecret } from '../totp/open-secret';
import { verifyTotp } from '../../crypto/totp';
import type { TradingPasswordService } from '../accounts/trading-password';
import { maskAddress } from '../addresses/masking';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError } from '../errors';
import { CodeBinding, assertSpent, assertUnexpired, attemptsExhausted, nothingTyped, parseCode, wrongCode } from '../one-time-codes/one-time-code';
import type { LoginThrottle } from '../login/throttle';
import { accountSuspendedMail, reauthenticationCodeMail } from '../notifications/messages';
import { confirmationClosedMail } from '../notifications/passkey-mails';
import { queueMail, queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { ReauthenticationCode, ReauthenticationKey, ReauthenticationPurpose } from './records';

export interface ReauthenticationRules {
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  codeResendCooldownSeconds: number;
  codeMaxSends: number;
}

/** What the 確認 screens show about the code: where it went (masked) and when another may be asked for. */
export interface SentCode {
  masked: string;
  expiresAt: Date;
  resendAvailableAt: Date;
}

/** The second factor typed on a 確認 screen: the mailed code, or (TOTP customers) the current one-time password. */
export interface FreshSecondFactor {
  code?: unknown;
  totp?: unknown;
}

/** A 確認 screen's answer: the trading password and a fresh second factor (mailed code or current one-time password). */
export interface ChangeConfirmation {
  tradingPassword: unknown;
  confirmationCode: unknown;
}

const REASON = 'reauthentication';

export class ReauthenticationService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; tradingPassword: TradingPasswordService; throttle: LoginThrottle },
    private readonly rules: ReauthenticationRules,
  ) {}

  /**
   * What every change to how the customer logs in calls in its confirm step: the code's format
   * first (a typo costs no trading-password try), then the trading password, then the fresh
   * second factor, which is spent. Nothing is changed unless all three pass.
   */
  async confirmChange(account: Account, input: ChangeConfirmation, ctx: RequestContext, purpose: ReauthenticationPurpose, alsoCheck?: () => Promise<DomainError | null>): Promise<void> {
    // Under the phishing-resistant policy the passkey step-up is asked for before anything else.
    await this.deps.tradingPassword.assertStepUp(account, ctx);
    this.parse({ code: input.confirmationCode });
    await this.deps.tradingPassword.confirm(account, input.tradingPassword, ctx, purpose, alsoCheck);
    await this.assertFreshSecondFactor(account, ctx.sessionId, purpose, { code: input.confirmationCode }, ctx);
  }

  /** The one change that keeps the trading password alone: a password the desk asked the customer to change. */
  confirmTradingPasswordOnly(account: Account, tradingPassword: unknown, ctx: RequestContext, purpose: ReauthenticationPurpose, alsoCheck?: () => Promise<DomainError | null>): Promise<void> {
    return this.deps.tradingPassword.confirm(account, tradingPassword, ctx, purpose, alsoCheck);
  }

  /** 「確認コードをメールで送信」: a code for this purpose and this session, to the representative address. */
  async requestCode(account: Account, sessionId: number | null | undefined, purpose: ReauthenticationPurpose, ctx: RequestContext): Promise<SentCode> {
    const key = this.key(account, sessionId, purpose);
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const existing = await store.reauthenticationCodes.find(key);
    const live = existing && existing.expiresAt > now ? existing : undefined;
    if (live) this.assertMaySend(live, now);
    const address = await this.representativeAddress(account);
    const { code, hash: codeHash } = this.binding(key).issue(random);
    const expiresAt = new Date(now.getTime() + this.rules.codeTtlSeconds * 1000);
    await store.transaction(async (tx) => {
      const stored = live
        ? await tx.reauthenticationCodes.replaceCode(key, { codeHash, now, expiresAt, sentBefore: this.cooldownStart(now), maxAttempts: this.rules.codeMaxAttempts, maxSends: this.rules.codeMaxSends })
        : await tx.reauthenticationCodes.start({ ...key, codeHash, attempts: 0, sendCount: 1, sentAt: now, createdAt: now, expiresAt }, now);
      // Lost a race with another request for the same code: that one's mail is the one to use.
      if (!stored) throw new DomainError('resend_too_soon', { reason: REASON, retryAfter: this.rules.codeResendCooldownSeconds });
      const mail = reauthenticationCodeMail(this.deps.brand, { name: account.name, code, purpose, validMinutes: Math.round(this.rules.codeTtlSeconds / 60), requestedAt: now });
      await queueMail(tx, random, now, address, mail);
      await recordAudit(tx, now, 'reauthentication.code_sent', { accountId: account.id, loginId: account.loginId, ctx, detail: { purpose } });
    });
    return { masked: maskAddress(address), expiresAt, resendAvailableAt: this.resendAt(now) };
  }

  /** The code sent in this session for this purpose, if one is still live (for the 確認 screen). */
  async sentCode(account: Account, sessionId: number | null | undefined, purpose: ReauthenticationPurpose): Promise<SentCode | null> {
    if (typeof sessionId !== 'number') return null;
    const row = await this.ports.store.reauthenticationCodes.find(this.key(account, sessionId, purpose));
    const now = this.ports.clock.now();
    if (!row || !row.sentAt || row.expiresAt <= now) return null;
    const address = await this.representativeAddress(account).catch(() => null);
    return address ? { masked: maskAddress(address), expiresAt: row.expiresAt, resendAvailableAt: this.resendAt(row.sentAt) } : null;
  }

  /** Throws unless the input is a 6-digit value: call before the trading password, so a typo costs nothing. */
  parse(proof: FreshSecondFactor): string {
    return parseCode(proof.code ?? proof.totp, 'confirmationCode', nothingTyped);
  }

  /**
   * Throws unless `proof` is a fresh second factor for this account, session and purpose; on
   * success the mailed code (or the one-time password's time step) is spent.
   */
  async assertFreshSecondFactor(account: Account, sessionId: number | null | undefined, purpose: ReauthenticationPurpose, proof: FreshSecondFactor, ctx: RequestContext): Promise<'email_code' | 'totp'> {
    const value = this.parse(proof);
    const key = this.key(account, sessionId, purpose);
    const { store, clock } = this.ports;
    const now = clock.now();
    const totpOn = Boolean(account.totpSecretSealed && account.totpEnabledAt);
    const existing = await store.reauthenticationCodes.find(key);
    if (!existing || existing.expiresAt <= now) {
      if (!totpOn) throw new DomainError(existing ? 'code_expired' : 'flow_not_found', { reason: REASON });
      // A TOTP customer may answer without a mailed code: the row then only counts wrong tries,
      // so one-time passwords are limited exactly like codes.
      await store.reauthenticationCodes.start({ ...key, codeHash: null, attempts: 0, sendCount: 0, sentAt: null, createdAt: now, expiresAt: new Date(now.getTime() + this.rules.codeTtlSeconds * 1000) }, now);
    }
    const reserved = await store.reauthenticationCodes.reserveAttempt(key, this.rules.codeMaxAttempts, now);
    if (!reserved) {
      const row = await store.reauthenticationCodes.find(key);
      if (row) assertUnexpired(row.expiresAt, now, { reason: REASON });
      throw attemptsExhausted({ reason: REASON });
    }
    if (reserved.codeHash && proof.totp === undefined && this.binding(key).matches(value, reserved.codeHash)) {
      // Single use: of two submissions of the same code, only one deletes the row.
      assertSpent(await store.reauthenticationCodes.take(key, reserved.codeHash), () => new DomainError('flow_state', { reason: REASON }));
      return 'email_code';
    }
    if (totpOn) {
      const secret = await openTotpSecret(this.ports, account.totpSecretSealed as string, { accountId: account.id, loginId: account.loginId, ctx, during: 'reauthentication' });
      const step = verifyTotp(secret, value, now, 1);
      if (step !== null) {
        // The account's own replay guard: a one-time password used to log in (or here) is refused.
        if (!(await store.accounts.claimTotpStep(account.id, step))) throw new DomainError('totp_replayed');
        await store.reauthenticationCodes.delete(key);
        return 'totp';
      }
    }
    await recordAudit(store, now, 'reauthentication.failed', { accountId: account.id, loginId: account.loginId, ctx, detail: { purpose, attempts: reserved.attempts } });
    // The try that closes the confirmation: only one caller reserves the last try, so one notice.
    if (reserved.attempts >= this.rules.codeMaxAttempts) {
      const mail = confirmationClosedMail(this.deps.brand, { name: account.name, at: now, purpose, attempts: reserved.attempts, ip: ctx.ip });
      await store.transaction((tx) => queueToVerified(tx, this.ports.random, now, account.id, mail));
    }
    if (await this.deps.throttle.countFactorFailure(account.loginId)) {
      await store.transaction(async (tx) => {
        const failures = this.deps.throttle.hardLockAfter;
        await recordAudit(tx, now, 'login.suspended', { accountId: account.id, loginId: account.loginId, ctx, detail: { scope: 'unrecognized_browsers', failures } });
        await queueToVerified(tx, this.ports.random, now, account.id, accountSuspendedMail(this.deps.brand, { name: account.name, at: now, failures, ip: ctx.ip }));
      });
    }
    throw wrongCode('code_invalid', this.rules.codeMaxAttempts, reserved.attempts, { details: { reason: REASON } });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private key(account: Account, sessionId: number | null | undefined, purpose: ReauthenticationPurpose): ReauthenticationKey {
    // Only a signed-in session can confirm a change: the code is bound to it.
    if (typeof sessionId !== 'number' || !Number.isSafeInteger(sessionId)) throw new DomainError('session_invalid');
    return { accountId: account.id, sessionId, purpose };
  }

  private binding(key: ReauthenticationKey): CodeBinding {
    return new CodeBinding(this.ports.keyed, 'reauthentication-code', [key.accountId, key.sessionId, key.purpose]);
  }

  private assertMaySend(live: ReauthenticationCode, now: Date): void {
    if (live.attempts >= this.rules.codeMaxAttempts) {
      throw new DomainError('code_attempts_exceeded', { reason: REASON, retryAfter: Math.ceil((live.expiresAt.getTime() - now.getTime()) / 1000) });
    }
    if (live.sentAt) {
      const wait = Math.ceil((this.resendAt(live.sentAt).getTime() - now.getTime()) / 1000);
      if (wait > 0) throw new DomainError('resend_too_soon', { reason: REASON, retryAfter: wait });
    }
    if (live.sendCount >= this.rules.codeMaxSends) throw new DomainError('too_many_requests', { reason: REASON });
  }

  /** メールアドレス1 (代表), verified: where the firm's notices go, so the customer, not only the session, sees the code. */
  private async representativeAddress(account: Account): Promise<string> {
    const emails = await this.ports.store.emails.listForAccount(account.id);
    const representative = emails.find((e) => e.slot === 1 && e.verifiedAt);
    if (!representative) throw new DomainError('forbidden', { reason: 'no_address' });
    return representative.address;
  }

  private resendAt(sentAt: Date): Date {
    return new Date(sentAt.getTime() + this.rules.codeResendCooldownSeconds * 1000);
  }

  private cooldownStart(now: Date): Date {
    return new Date(now.getTime() - this.rules.codeResendCooldownSeconds * 1000);
  }
}
