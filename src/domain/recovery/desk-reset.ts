/**
 * The support desk's part in a forgotten login password (docs/requirements.md R-RESET-6, R-PWD-4):
 * a reset code sent by post (printed once, for the letter) or by mail, which the customer types
 * with the login ID to enter the same reset flow — the desk never sees or sets a password — and
 * the "must change at next login" flag. Both audited with operator and reason, both mailed.
 */
import { normalizeCode } from '../../crypto/normalize';
import { newNumericCode } from '../../crypto/tokens';
import { recordAudit } from '../audit';
import type { SessionService } from '../sessions/session-service';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { parseLoginId } from '../login/password-step';
import type { LoginThrottle } from '../login/throttle';
import { queueToVerified } from '../notifications/outbox';
import { deskResetCodeMail, passwordChangeRequiredMail } from '../notifications/recovery-messages';
import { CodeBinding } from '../one-time-codes/one-time-code';
import type { Ports } from '../ports';
import { newToken } from '../../crypto/tokens';
import type { PasswordResetService, ResetStep } from './password-reset-service';
import type { DeskCodeDelivery } from './records';

const DESK_CODE_DIGITS = 12;
/** A letter takes days; a mail is read within the day. */
const DESK_CODE_TTL_MS: Record<DeskCodeDelivery, number> = { post: 14 * 24 * 3600_000, mail: 24 * 3600_000 };
const DESK_CODE_MAX_TRIES = 5;
/** Room for a code typed with spaces, hyphens or full-width digits. */
const DESK_CODE_INPUT_MAX = 64;

/** 1234-5678-9012: groups of four, as printed in the letter. */
function grouped(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1-');
}

export class DeskPasswordReset {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; throttle: LoginThrottle; reset: PasswordResetService; sessions: SessionService },
  ) {}

  private binding(accountId: number): CodeBinding {
    return new CodeBinding(this.ports.keyed, 'desk-reset-code', [accountId]);
  }

  /** Issues a reset code; returns it for a letter (`post`), null when it was mailed. A new code replaces the last one. */
  async issue(loginId: string, operator: string, reason: string, delivery: DeskCodeDelivery): Promise<{ code: string | null; expiresAt: Date }> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + DESK_CODE_TTL_MS[delivery]);
    const code = newNumericCode(random, DESK_CODE_DIGITS);
    await store.transaction(async (tx) => {
      if (delivery === 'mail' && !(await tx.emails.listForAccount(account.id)).some((e) => e.verifiedAt)) throw new DomainError('forbidden', { reason: 'no_address' });
      await tx.deskResetCodes.put({ accountId: account.id, codeHash: this.binding(account.id).hash(code), delivery, attempts: 0, operator, createdAt: now, expiresAt });
      await recordAudit(tx, now, 'password_reset.desk_code_issued', { accountId: account.id, loginId, operator, detail: { reason, delivery, expiresAt: expiresAt.toISOString() } });
      if (delivery === 'mail') await queueToVerified(tx, random, now, account.id, deskResetCodeMail(this.deps.brand, { name: account.name, code: grouped(code), validUntil: expiresAt }));
    });
    return { code: delivery === 'post' ? grouped(code) : null, expiresAt };
  }

  /**
   * The customer types the login ID and the desk's code: judged under the login throttle (reserved
   * first) and the code's own five tries. Every wrong answer is the same `code_invalid`, whether
   * the ID exists, has a code, or the code is spent, so the page tells a stranger nothing.
   */
  async redeem(input: { loginId: unknown; resetCode: unknown }, ctx: RequestContext): Promise<ResetStep> {
    const loginId = parseLoginId(input.loginId);
    const raw = input.resetCode;
    if (typeof raw !== 'string' || !raw.trim()) throw new InvalidInput('resetCode', 'required');
    const code = raw.length <= DESK_CODE_INPUT_MAX ? normalizeCode(raw) : '';
    if (!new RegExp(`^\\d{${DESK_CODE_DIGITS}}$`).test(code)) throw new InvalidInput('resetCode', 'format');
    const { store, clock, random } = this.ports;
    const attempt = await this.deps.throttle.begin({ ip: ctx.ip, loginId, deviceId: null });
    let accountId: number | null = null;
    let right = false;
    try {
      const account = await store.accounts.findByLoginId(loginId);
      const used = account ? await store.deskResetCodes.reserveTry(account.id, DESK_CODE_MAX_TRIES, clock.now()) : null;
      const row = account && used !== null ? await store.deskResetCodes.find(account.id) : undefined;
      const binding = this.binding(account?.id ?? 0);
      // The comparison runs for unknown IDs too (against a hash of nothing), like the real one.
      right = binding.matches(code, row?.codeHash ?? binding.hash('')) && row !== undefined;
      right = right && (await store.deskResetCodes.take(account!.id, row!.codeHash));
      accountId = account?.id ?? null;
    } catch (e) {
      await attempt.abandon();
      throw e;
    }
    const now = clock.now();
    if (!right || accountId === null) {
      await attempt.failed();
      await recordAudit(store, now, 'password_reset.desk_code_failed', { accountId, loginId, ctx });
      throw new DomainError('code_invalid', { field: 'resetCode' });
    }
    await attempt.succeeded();
    const account = (await store.accounts.findById(accountId))!;
    const handle = newToken(random);
    const id = this.ports.keyed.hash('password-reset-flow', handle);
    const state = (await this.deps.reset.needsPasskey(account)) ? 'awaiting_passkey' : 'awaiting_password';
    const expiresAt = new Date(now.getTime() + this.deps.reset.flowTtlMs);
    await store.transaction(async (tx) => {
      await tx.passwordResets.insert(this.deps.reset.newFlow(id, account.id, account.loginId, 'desk', state, null, now, expiresAt));
      await recordAudit(tx, now, 'password_reset.code_verified', { accountId: account.id, loginId: account.loginId, ctx, detail: { via: 'desk' } });
    });
    return { flowHandle: handle, next: state === 'awaiting_passkey' ? 'passkey' : 'password', expiresAt };
  }

  /**
   * The desk's "must change at next login": every page but the change sends the customer to it,
   * and the trading service's session check refuses the customer's sessions until it is done.
   */
  async requirePasswordChange(loginId: string, operator: string, reason: string): Promise<void> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    await this.deps.sessions.endAndSpread(account.id, () => store.transaction(async (tx) => {
      await tx.accounts.setPasswordChangeRequired(account.id, now);
      await this.deps.sessions.holdForPasswordChange(tx, account.id);
      await recordAudit(tx, now, 'password.change_required', { accountId: account.id, loginId, operator, detail: { reason } });
      await queueToVerified(tx, random, now, account.id, passwordChangeRequiredMail(this.deps.brand, { name: account.name, at: now }));
    }));
  }
}
