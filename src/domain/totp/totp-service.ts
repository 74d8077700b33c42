/**
 * ワンタイムパスワードサービス, as the notice's screens run it: 申込 (a key shown as QR and as
 * text, confirmed with a first code), コード再表示 (a new key for a new phone; the old one works
 * until the new one is confirmed), 利用停止, and the support desk's reset for a lost phone.
 */
import { generateTotpSecret, groupBase32, totpUri, verifyTotp } from '../../crypto/totp';
import type { TradingPasswordService } from '../accounts/trading-password';
import { recordAudit, type AuditType } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { judgeTry, parseCode } from '../one-time-codes/one-time-code';
import { totpNoticeMail, type TotpNoticeKind } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { ChangeConfirmation, ReauthenticationService } from '../reauthentication/reauthentication-service';
import type { Account } from '../accounts/records';
import type { StoreTx } from '../store';
import type { TotpEnrollment } from './records';
import { RECOVERY_CODE_COUNT, canonicalRecoveryCode, newRecoveryCode, recoveryCodeHash } from './recovery-codes';
import { OPERATOR_NAME_MAX, SUPPORT_REASON_MAX } from '../input-limits';

export interface TotpRules {
  /** How long a shown key waits for its first code. */
  enrollmentTtlSeconds: number;
  maxAttempts: number;
}

export interface ShownKey {
  kind: 'apply' | 'reregister';
  secret: string;
  grouped: string;
  uri: string;
  expiresAt: Date;
}

export interface TotpStatus {
  enabled: boolean;
  enabledAt: Date | null;
  pending: 'apply' | 'reregister' | null;
  unusedRecoveryCodes: number;
}

export class TotpService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; tradingPassword: TradingPasswordService; reauthentication: ReauthenticationService },
    private readonly rules: TotpRules,
  ) {}

  async status(account: Account): Promise<TotpStatus> {
    const { store, clock } = this.ports;
    const pending = await store.totpEnrollments.find(account.id);
    return {
      enabled: Boolean(account.totpSecretSealed && account.totpEnabledAt),
      enabledAt: account.totpEnabledAt,
      pending: pending && pending.expiresAt > clock.now() ? pending.kind : null,
      unusedRecoveryCodes: await store.recoveryCodes.countUnused(account.id),
    };
  }

  /**
   * 「申込」: a fresh key for a customer without the service, once the change is confirmed: a
   * stolen session alone must not put an intruder's authenticator on the account.
   */
  async apply(account: Account, input: ChangeConfirmation, ctx: RequestContext): Promise<ShownKey> {
    if (account.totpEnabledAt) throw new DomainError('conflict', { field: 'totp' });
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'totp_apply');
    return this.newPendingKey(account, 'apply', ctx);
  }

  /**
   * 「コード再表示」: confirmed with the trading password and a fresh second factor — the current
   * one-time password, or, for a customer whose phone is gone, a code mailed to the representative address.
   */
  async reregister(account: Account, input: ChangeConfirmation, ctx: RequestContext): Promise<ShownKey> {
    if (!account.totpSecretSealed || !account.totpEnabledAt) throw new DomainError('totp_not_enabled');
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'totp_reregister');
    return this.newPendingKey(account, 'reregister', ctx);
  }

  /** The key being set up, shown again (「コード登録画面へ戻る」) — only to the session that confirmed the application. */
  async shownKey(account: Account, ctx: RequestContext): Promise<ShownKey> {
    const pending = await this.livePending(account.id, ctx);
    return this.present(account, pending);
  }

  /**
   * 「認証」 on the application screen: the first code from the app proves the key was stored.
   * Returns the recovery codes to show once (for a new application).
   */
  async confirm(account: Account, rawCode: unknown, ctx: RequestContext): Promise<{ kind: 'apply' | 'reregister'; recoveryCodes: string[] }> {
    const { store, clock, secrets, random, keyed } = this.ports;
    const code = parseCode(rawCode, 'totp');
    const pending = await this.livePending(account.id, ctx);
    const now = clock.now();
    const step = await judgeTry({
      maxAttempts: this.rules.maxAttempts,
      // The attempt is taken before the check: concurrent guesses are judged `maxAttempts` times at most.
      reserve: () => store.totpEnrollments.reserveAttempt(account.id, this.rules.maxAttempts),
      check: () => verifyTotp(secrets.open(pending.secretSealed), code, now, 1),
      onWrong: async (used) => {
        if (used >= this.rules.maxAttempts) await store.totpEnrollments.delete(account.id);
      },
      wrong: 'totp_invalid',
    });
    const recoveryCodes = pending.kind === 'apply' ? Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(random)) : [];
    await store.transaction(async (tx) => {
      const current = await tx.totpEnrollments.find(account.id);
      // Two tabs confirming at once: only the one that still finds the pending key wins.
      if (!current || current.secretSealed !== pending.secretSealed) throw new DomainError('flow_state', { state: 'done' });
      await tx.totpEnrollments.delete(account.id);
      await tx.accounts.setTotp(account.id, pending.secretSealed, pending.kind === 'apply' ? now : (account.totpEnabledAt ?? now), now);
      // The confirming code's step is spent: it cannot log in a second time.
      await tx.accounts.claimTotpStep(account.id, step);
      if (pending.kind === 'apply') {
        await tx.recoveryCodes.replaceAll(account.id, recoveryCodes.map((c) => recoveryCodeHash(keyed, account.id, canonicalRecoveryCode(c) as string)), now);
      }
      await this.notify(tx, account, pending.kind === 'apply' ? 'enabled' : 'reregistered', ctx, pending.kind === 'apply' ? 'totp.enabled' : 'totp.reregistered', {});
    });
    return { kind: pending.kind, recoveryCodes };
  }

  /** 「利用停止」, confirmed with the trading password and a fresh second factor: login goes back to the e-mailed code rule. */
  async stop(account: Account, input: ChangeConfirmation, ctx: RequestContext): Promise<void> {
    if (!account.totpEnabledAt) throw new DomainError('totp_not_enabled');
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'totp_stop');
    await this.ports.store.transaction(async (tx) => {
      await this.clear(tx, account.id);
      await this.notify(tx, account, 'stopped', ctx, 'totp.stopped', {});
    });
  }

  /** New recovery codes, confirmed with the trading password and a fresh second factor; the old ones stop working. */
  async regenerateRecoveryCodes(account: Account, input: ChangeConfirmation, ctx: RequestContext): Promise<string[]> {
    if (!account.totpEnabledAt) throw new DomainError('totp_not_enabled');
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'recovery_codes');
    const { random, keyed, clock } = this.ports;
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode(random));
    await this.ports.store.transaction(async (tx) => {
      await tx.recoveryCodes.replaceAll(account.id, codes.map((c) => recoveryCodeHash(keyed, account.id, canonicalRecoveryCode(c) as string)), clock.now());
      await this.notify(tx, account, 'recovery_regenerated', ctx, 'totp.reregistered', { recoveryCodes: 'regenerated' });
    });
    return codes;
  }

  /**
   * The support desk, after checking the caller's identity by phone, for a customer who lost the
   * phone and has no recovery code. The operator and the reason are recorded; the customer is mailed.
   */
  async supportReset(loginId: string, operator: string, reason: string): Promise<void> {
    const op = operator.trim();
    const why = reason.trim();
    if (!op || op.length > OPERATOR_NAME_MAX) throw new InvalidInput('operator', 'required');
    if (!why || why.length > SUPPORT_REASON_MAX) throw new InvalidInput('reason', 'required');
    const account = await this.ports.store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    if (!account.totpEnabledAt && !account.totpSecretSealed) throw new DomainError('totp_not_enabled');
    await this.ports.store.transaction(async (tx) => {
      await this.clear(tx, account.id);
      await this.notify(tx, account, 'reset', null, 'totp.reset', { reason: why }, op);
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async livePending(accountId: number, ctx: RequestContext): Promise<TotpEnrollment> {
    const pending = await this.ports.store.totpEnrollments.find(accountId);
    // The key is shown to, and confirmed by, the session that passed the confirmation only.
    if (!pending || (pending.sessionId != null && pending.sessionId !== ctx.sessionId)) throw new DomainError('flow_not_found');
    if (pending.expiresAt <= this.ports.clock.now()) throw new DomainError('flow_expired');
    return pending;
  }

  private async newPendingKey(account: Account, kind: 'apply' | 'reregister', ctx: RequestContext): Promise<ShownKey> {
    const { store, clock, random, secrets } = this.ports;
    const now = clock.now();
    const enrollment: TotpEnrollment = {
      accountId: account.id,
      kind,
      secretSealed: secrets.seal(generateTotpSecret(random)),
      attempts: 0,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.rules.enrollmentTtlSeconds * 1000),
      sessionId: ctx.sessionId ?? null,
    };
    await store.totpEnrollments.put(enrollment);
    return this.present(account, enrollment);
  }

  private present(account: Account, e: TotpEnrollment): ShownKey {
    const secret = this.ports.secrets.open(e.secretSealed);
    return {
      kind: e.kind,
      secret,
      grouped: groupBase32(secret),
      uri: totpUri({ issuer: this.deps.brand.brokerName, account: account.loginId, secret }),
      expiresAt: e.expiresAt,
    };
  }

  private async clear(tx: StoreTx, accountId: number): Promise<void> {
    await tx.accounts.setTotp(accountId, null, null, this.ports.clock.now());
    await tx.recoveryCodes.deleteAll(accountId);
    await tx.totpEnrollments.delete(accountId);
  }

  /** Mandatory notice (docs/requirements.md R-NOTIFY-2): every verified address is told, with an audit record, in the same transaction. */
  private async notify(tx: StoreTx, account: Account, kind: TotpNoticeKind, ctx: RequestContext | null, audit: AuditType, detail: Record<string, unknown>, operator?: string): Promise<void> {
    const { clock, random } = this.ports;
    const now = clock.now();
    await recordAudit(tx, now, audit, { accountId: account.id, loginId: account.loginId, ctx, operator: operator ?? null, detail });
    const mail = totpNoticeMail(this.deps.brand, kind, { name: account.name, at: now });
    await queueToVerified(tx, random, now, account.id, mail);
  }
}
