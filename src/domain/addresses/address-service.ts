/**
 * Eメールアドレス登録照会 (docs/requirements.md R-ADDR-1, R-ADDR-3): up to three addresses, メールアドレス1 being 代表. A new
 * address is 仮登録 until the customer types the code mailed to it — an address nobody proved
 * they read is never used, so a typo cannot lock a customer out of the e-mailed code. Every change
 * is confirmed with the trading password (and, under the phishing-resistant policy, a fresh
 * passkey step-up), audited, and told by mail to the addresses it concerns, the old one included.
 *
 * Replacing or removing an address that is already verified is a change to how the customer logs
 * in: メールアドレス1 receives the login codes and the confirmation codes of every other such
 * change, so whoever moves it receives them all from then on. It therefore takes, besides the
 * trading password, a fresh second factor the customer already controls (a code mailed to the
 * CURRENT メールアドレス1 for this purpose and session, or the current one-time password) — the
 * code sent to the new address only proves that address works, not who asked. NIST SP 800-63B-4
 * §4.2.2 / §6.1.2.1; ASVS 5.0 V6.4.3 / V7.5.1. Addresses 2 and 3 are held to the same rule: the
 * customer relies on them for notices, and removing one silences the customer's own warnings.
 *
 * Adding an address to an empty slot (2 or 3) keeps the trading password alone: it takes nothing
 * away — メールアドレス1 still receives every code, the new address must still prove itself with
 * its own code, and every verified address (メールアドレス1 included) is told it was added, so the
 * customer hears of an intruder's address and can remove it with a fresh code the intruder does
 * not receive (docs/architecture.md, "Addresses and the security overview").
 */
import { normalizeInput, hasControlChars, isWellFormed } from '../../crypto/normalize';
import { CodeBinding, assertSpent, judgeTry, notText, parseCode } from '../one-time-codes/one-time-code';
import { isValidEmail } from '../accounts/account-input';
import type { TradingPasswordService } from '../accounts/trading-password';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { addressCodeMail, addressNoticeMail, loginNotificationChangedMail, type MailContent } from '../notifications/messages';
import { queueMail, queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { ReauthenticationService, SentCode } from '../reauthentication/reauthentication-service';
import type { Account } from '../accounts/records';
import { maskAddress } from './masking';
import { EMAIL_ADDRESS_MAX } from '../input-limits';

export const SLOTS = [1, 2, 3] as const;
export const REPRESENTATIVE_SLOT = 1;

export interface AddressRules {
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  codeResendCooldownSeconds: number;
  codeMaxSends: number;
}

export interface SlotView {
  slot: number;
  /** Masked, never the full address (docs/requirements.md R-ADDR-2). */
  masked: string | null;
  loginNotification: boolean;
  pending: { masked: string; expiresAt: Date; resendAvailableAt: Date } | null;
}

export class AddressService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; tradingPassword: TradingPasswordService; reauthentication: ReauthenticationService },
    private readonly rules: AddressRules,
  ) {}

  async overview(account: Account): Promise<SlotView[]> {
    const { store, clock } = this.ports;
    const [emails, pending] = await Promise.all([store.emails.listForAccount(account.id), store.addressChanges.listForAccount(account.id)]);
    const now = clock.now();
    return SLOTS.map((slot) => {
      const e = emails.find((x) => x.slot === slot && x.verifiedAt);
      const p = pending.find((x) => x.slot === slot && x.expiresAt > now);
      return {
        slot,
        masked: e ? maskAddress(e.address) : null,
        loginNotification: Boolean(e?.loginNotification),
        pending: p ? { masked: maskAddress(p.address), expiresAt: p.expiresAt, resendAvailableAt: this.resendAt(p.sentAt) } : null,
      };
    });
  }

  parseSlot(raw: unknown): number {
    const n = typeof raw === 'string' && /^[0-9]{1,2}$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !SLOTS.includes(n as 1)) throw new InvalidInput('slot', 'format');
    return n;
  }

  /**
   * Checks a new address before the 確認 screen: format, length, and not one the account already
   * has (the same address twice would make a second slot pointless and hide a typo).
   */
  async checkNewAddress(account: Account, slot: number, raw: unknown, confirmation?: unknown): Promise<string> {
    if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidInput('address', 'required');
    if (raw.length > EMAIL_ADDRESS_MAX || !isWellFormed(raw)) throw new InvalidInput('address', 'format');
    if (hasControlChars(raw)) throw new InvalidInput('address', 'control_characters');
    // A Japanese IME may type a full-width ＠ or letters: NFKC folds them to ASCII.
    const address = normalizeInput(raw).trim();
    if (!isValidEmail(address)) throw new InvalidInput('address', 'format');
    if (confirmation !== undefined && (typeof confirmation !== 'string' || normalizeInput(confirmation).trim() !== address)) {
      throw new InvalidInput('addressConfirmation', 'mismatch');
    }
    const emails = await this.ports.store.emails.listForAccount(account.id);
    const same = (a: string) => a.toLowerCase() === address.toLowerCase();
    if (emails.some((e) => e.slot === slot && same(e.address))) throw new DomainError('conflict', { reason: 'same_address' });
    if (emails.some((e) => e.slot !== slot && same(e.address))) throw new DomainError('conflict', { reason: 'duplicate_address' });
    return address;
  }

  /** Whether the slot holds a verified address, so that changing or removing it needs a fresh second factor. */
  async replacesVerified(account: Account, slot: number): Promise<boolean> {
    return (await this.ports.store.emails.listForAccount(account.id)).some((e) => e.slot === slot && Boolean(e.verifiedAt));
  }

  /**
   * 確認 → 変更/仮登録: the trading password (and, for a verified address, the fresh second
   * factor), then a code to the new address. Nothing is stored or mailed unless all pass.
   */
  async requestChange(
    account: Account,
    input: { slot: unknown; address: unknown; tradingPassword: unknown; confirmationCode?: unknown },
    ctx: RequestContext,
  ): Promise<{ slot: number; masked: string }> {
    const slot = this.parseSlot(input.slot);
    const address = await this.checkNewAddress(account, slot, input.address);
    const purpose = (await this.replacesVerified(account, slot)) ? 'address_change' : 'address_add';
    await this.deps.reauthentication.confirmChange(account, { tradingPassword: input.tradingPassword, confirmationCode: input.confirmationCode }, ctx, purpose);
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const { code, hash: codeHash } = this.binding(account.id, slot, address).issue(random);
    await store.transaction(async (tx) => {
      await tx.addressChanges.put({
        accountId: account.id,
        slot,
        address,
        codeHash,
        attempts: 0,
        sendCount: 1,
        sentAt: now,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.rules.codeTtlSeconds * 1000),
      });
      await queueMail(tx, random, now, address, this.codeMail(account, slot, code, now));
      await recordAudit(tx, now, 'address.requested', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot } });
    });
    return { slot, masked: maskAddress(address) };
  }

  /**
   * 「確認コードをメールで送信」 on 変更 -確認-: the new address is checked first, so a code is
   * mailed only for a change that could be made, and only where a verified address is replaced
   * (adding to an empty slot needs none). The code goes to the current メールアドレス1, never to
   * the new address: whoever asks must already read the customer's mail.
   */
  async requestChangeCode(account: Account, input: { slot: unknown; address: unknown }, ctx: RequestContext): Promise<SentCode> {
    const slot = this.parseSlot(input.slot);
    await this.checkNewAddress(account, slot, input.address);
    const purpose = (await this.replacesVerified(account, slot)) ? 'address_change' : 'address_add';
    return this.deps.reauthentication.requestCode(account, ctx.sessionId, purpose, ctx);
  }

  /** 「確認コードをメールで送信」 on 削除 -確認-: only for a registered address 2 or 3. */
  async requestRemoveCode(account: Account, rawSlot: unknown, ctx: RequestContext): Promise<SentCode> {
    const slot = this.parseSlot(rawSlot);
    if (slot === REPRESENTATIVE_SLOT) throw new DomainError('forbidden', { reason: 'representative_address' });
    if (!(await this.ports.store.emails.listForAccount(account.id)).some((e) => e.slot === slot)) throw new DomainError('not_found', { reason: 'address' });
    return this.deps.reauthentication.requestCode(account, ctx.sessionId, 'address_remove', ctx);
  }

  /** A new code for a pending address; the wrong-code count is kept, as for login codes. */
  async resendCode(account: Account, rawSlot: unknown, ctx: RequestContext): Promise<void> {
    const slot = this.parseSlot(rawSlot);
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const pending = await this.livePending(account, slot);
    const wait = Math.ceil((this.resendAt(pending.sentAt).getTime() - now.getTime()) / 1000);
    if (wait > 0) throw new DomainError('resend_too_soon', { retryAfter: wait });
    if (pending.sendCount >= this.rules.codeMaxSends) throw new DomainError('too_many_requests');
    const { code, hash } = this.binding(account.id, slot, pending.address).issue(random);
    await store.transaction(async (tx) => {
      await tx.addressChanges.replaceCode(account.id, slot, hash, now);
      await queueMail(tx, random, now, pending.address, this.codeMail(account, slot, code, now));
      await recordAudit(tx, now, 'address.requested', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot, resend: true } });
    });
  }

  /** The code from the new address: the address is registered, and the addresses concerned are told. */
  async confirmChange(account: Account, input: { slot: unknown; code: unknown }, ctx: RequestContext): Promise<{ slot: number; kind: 'added' | 'changed' }> {
    const slot = this.parseSlot(input.slot);
    const code = parseCode(input.code, 'code', notText);
    const { store, clock, random } = this.ports;
    const pending = await this.livePending(account, slot);
    const now = clock.now();
    const binding = this.binding(account.id, slot, pending.address);
    await judgeTry({
      maxAttempts: this.rules.codeMaxAttempts,
      // The attempt is taken before the comparison: concurrent guesses are judged five times at most.
      reserve: () => store.addressChanges.reserveAttempt(account.id, slot, this.rules.codeMaxAttempts),
      check: () => (binding.matches(code, pending.codeHash) ? true : null),
      onWrong: async (used) => {
        await recordAudit(store, now, 'address.code_failed', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot } });
        if (used >= this.rules.codeMaxAttempts) await store.addressChanges.delete(account.id, slot);
      },
      wrong: 'code_invalid',
    });
    const kind = await store.transaction(async (tx) => {
      // Single use: of two submissions of the same code, only one takes the pending change.
      assertSpent(await tx.addressChanges.take(account.id, slot, pending.codeHash), () => new DomainError('flow_state'));
      const current = await tx.emails.listForAccount(account.id);
      const before = current.find((e) => e.slot === slot);
      // A request judged against an empty slot (trading password alone) must not replace an
      // address verified after it was made: that would be a change without the fresh factor.
      if (before?.verifiedAt && before.verifiedAt > pending.createdAt) throw new DomainError('flow_state', { reason: 'address' });
      const others = current.filter((e) => e.slot !== slot);
      if (others.some((e) => e.address.toLowerCase() === pending.address.toLowerCase())) throw new DomainError('conflict', { reason: 'duplicate_address' });
      await tx.emails.putVerified(account.id, slot, pending.address, now);
      const kind = before ? 'changed' : 'added';
      await recordAudit(tx, now, kind === 'added' ? 'address.added' : 'address.changed', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot } });
      const facts = { name: account.name, at: now, slot, maskedAddress: maskAddress(pending.address) };
      if (before?.verifiedAt) await queueMail(tx, random, now, before.address, addressNoticeMail(this.deps.brand, 'changed_old', facts));
      await queueToVerified(tx, random, now, account.id, addressNoticeMail(this.deps.brand, kind, facts));
      return kind;
    });
    return { slot, kind };
  }

  /**
   * Addresses 2 and 3 can be removed, with the trading password and a fresh second factor;
   * メールアドレス1 (代表) cannot — it is where the firm's notices go.
   */
  async remove(account: Account, input: { slot: unknown; tradingPassword: unknown; confirmationCode?: unknown }, ctx: RequestContext): Promise<void> {
    const slot = this.parseSlot(input.slot);
    if (slot === REPRESENTATIVE_SLOT) throw new DomainError('forbidden', { reason: 'representative_address' });
    const { store, clock, random } = this.ports;
    const existing = (await store.emails.listForAccount(account.id)).find((e) => e.slot === slot);
    if (!existing) throw new DomainError('not_found', { reason: 'address' });
    // Even a never-verified row is removed only with the fresh factor: one rule, no weaker path.
    await this.deps.reauthentication.confirmChange(account, { tradingPassword: input.tradingPassword, confirmationCode: input.confirmationCode }, ctx, 'address_remove');
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.emails.deleteSlot(account.id, slot))) throw new DomainError('not_found', { reason: 'address' });
      await tx.addressChanges.delete(account.id, slot);
      await recordAudit(tx, now, 'address.removed', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot } });
      const mail = addressNoticeMail(this.deps.brand, 'removed', { name: account.name, at: now, slot, maskedAddress: maskAddress(existing.address) });
      if (existing.verifiedAt) await queueMail(tx, random, now, existing.address, mail);
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }

  parseNotification(raw: unknown): boolean {
    if (raw === 'on') return true;
    if (raw === 'off') return false;
    throw new InvalidInput('loginNotification', 'required');
  }

  /** 「確認コードをメールで送信」 on ログイン通知 設定変更 -確認-: for a registered address only. */
  async requestNotificationCode(account: Account, rawSlot: unknown, ctx: RequestContext): Promise<SentCode> {
    const slot = this.parseSlot(rawSlot);
    if (!(await this.ports.store.emails.listForAccount(account.id)).some((e) => e.slot === slot && e.verifiedAt)) throw new DomainError('not_found', { reason: 'address' });
    return this.deps.reauthentication.requestCode(account, ctx.sessionId, 'login_notification', ctx);
  }

  /** ログイン通知 設定変更 -確認- → 変更: the trading password and a fresh second factor (turning notices off is an intruder's first move). */
  async setLoginNotification(account: Account, input: { slot: unknown; loginNotification: unknown; tradingPassword: unknown; confirmationCode?: unknown }, ctx: RequestContext): Promise<void> {
    const slot = this.parseSlot(input.slot);
    const on = this.parseNotification(input.loginNotification);
    const { store, clock } = this.ports;
    const existing = (await store.emails.listForAccount(account.id)).find((e) => e.slot === slot && e.verifiedAt);
    if (!existing) throw new DomainError('not_found', { reason: 'address' });
    await this.deps.reauthentication.confirmChange(account, { tradingPassword: input.tradingPassword, confirmationCode: input.confirmationCode }, ctx, 'login_notification');
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.emails.setLoginNotification(account.id, slot, on))) throw new DomainError('not_found', { reason: 'address' });
      await recordAudit(tx, now, 'notification.changed', { accountId: account.id, loginId: account.loginId, ctx, detail: { slot, loginNotification: on } });
      // Turning notices off is what an intruder would do first: the customer hears of it.
      await queueToVerified(tx, this.ports.random, now, account.id, loginNotificationChangedMail(this.deps.brand, { name: account.name, at: now, slot, on }));
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async livePending(account: Account, slot: number) {
    const pending = await this.ports.store.addressChanges.find(account.id, slot);
    if (!pending) throw new DomainError('flow_not_found', { reason: 'address' });
    if (pending.expiresAt <= this.ports.clock.now()) {
      await this.ports.store.addressChanges.delete(account.id, slot);
      throw new DomainError('code_expired', { reason: 'address' });
    }
    return pending;
  }

  private resendAt(sentAt: Date): Date {
    return new Date(sentAt.getTime() + this.rules.codeResendCooldownSeconds * 1000);
  }

  /** Bound to the account, the slot and the address: a code for one change never completes another. */
  private binding(accountId: number, slot: number, address: string): CodeBinding {
    return new CodeBinding(this.ports.keyed, 'address-code', [accountId, slot, address.toLowerCase()]);
  }

  private codeMail(account: Account, slot: number, code: string, now: Date): MailContent {
    return addressCodeMail(this.deps.brand, { name: account.name, code, slot, validMinutes: Math.round(this.rules.codeTtlSeconds / 60), requestedAt: now });
  }
}
