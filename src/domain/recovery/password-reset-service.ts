/**
 * ログインパスワードをお忘れの方 (docs/requirements.md R-RESET-1 to R-RESET-5): the login ID and the
 * second identifier, a code mailed to every verified address (never a link), under the
 * phishing-resistant policy a passkey assertion where the customer has one, then the trading
 * password and the new login password. Every session and recognised browser of the account ends.
 *
 * No enumeration: an unknown login ID or a wrong second identifier makes a flow all the same (with
 * a code nobody is sent), so every answer — the code screen, each wrong code's remaining tries,
 * the last one — is the one a real customer gets, after the same work. Every code try is reserved
 * before it is compared, in the login throttle (per address, per typed login ID, the account's
 * consecutive failures) and in the flow's own five tries, so concurrent guesses on any number of
 * processes are judged within the limits; the trading password keeps its own five.
 */
import { newToken } from '../../crypto/tokens';
import type { Account } from '../accounts/records';
import { checkNewLoginPassword } from '../accounts/password-policy';
import type { TradingPasswordService } from '../accounts/trading-password';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { CHANGED_PASSWORD_MAX } from '../input-limits';
import { recordLocks } from '../login/failure-records';
import { parseLoginId } from '../login/password-step';
import type { LoginThrottle } from '../login/throttle';
import { queueMail, queueToVerified } from '../notifications/outbox';
import { passwordResetCodeMail, passwordResetDoneMail } from '../notifications/recovery-messages';
import { CodeBinding, parseCode, nothingTyped, wrongCode, attemptsExhausted } from '../one-time-codes/one-time-code';
import type { WebauthnCeremonies, Ceremony } from '../passkeys/webauthn-ceremonies';
import { parseCredential } from '../passkeys/webauthn-ceremonies';
import type { Ports } from '../ports';
import type { SessionService } from '../sessions/session-service';
import type { PasswordResetFlow, ResetState, ResetVia } from './records';
import { matchesSecondIdentifier, parseSecondIdentifier, type SecondIdentifierKind } from './second-identifier';

/** The reason every flow error of a reset carries, so its message speaks of the reset, not a login. */
const R = { reason: 'password_reset' } as const;

export interface ResetRules {
  identifier: SecondIdentifierKind;
  passkeyPolicy: 'seed' | 'phishing-resistant';
  flowTtlSeconds: number;
  codeMaxAttempts: number;
}

/** Per client address and per typed login ID: how many reset codes may be asked for in an hour. */
export const RESET_REQUESTS_PER_ADDRESS_HOUR = 20;
export const RESET_REQUESTS_PER_LOGIN_ID_HOUR = 5;

/** What comes next in a flow, as the pages and the API name it. */
export type ResetNext = 'code' | 'passkey' | 'password';

const NEXT_OF: Partial<Record<ResetState, ResetNext>> = { awaiting_code: 'code', awaiting_passkey: 'passkey', awaiting_password: 'password' };

export interface ResetStep {
  flowHandle: string;
  next: ResetNext;
  expiresAt: Date;
}

export type ResetDeps = { brand: Brand; throttle: LoginThrottle; tradingPassword: TradingPasswordService; sessions: SessionService; ceremonies: WebauthnCeremonies };

export class PasswordResetService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: ResetDeps,
    private readonly rules: ResetRules,
  ) {}

  get identifierKind(): SecondIdentifierKind {
    return this.rules.identifier;
  }

  get flowTtlMs(): number {
    return this.rules.flowTtlSeconds * 1000;
  }

  private flowId(handle: string): string {
    return this.ports.keyed.hash('password-reset-flow', handle);
  }

  private binding(flowId: string): CodeBinding {
    return new CodeBinding(this.ports.keyed, 'password-reset-code', [flowId]);
  }

  /** Step 1: the same answer, after the same work, whether or not the ID and identifier match. */
  async request(input: { loginId: unknown; identifier: unknown }, ctx: RequestContext): Promise<ResetStep> {
    const loginId = parseLoginId(input.loginId);
    const identifier = parseSecondIdentifier(this.rules.identifier, input.identifier);
    const { store, clock, random } = this.ports;
    const { throttle } = this.deps;
    await throttle.assertWithinRate(`reset:ip:${ctx.ip}`, RESET_REQUESTS_PER_ADDRESS_HOUR, 60);
    await throttle.assertWithinRate(`reset:id:${loginId}`, RESET_REQUESTS_PER_LOGIN_ID_HOUR, 60);
    const account = await store.accounts.findByLoginId(loginId);
    // Read for unknown IDs too (an id no row has), so both paths make the same queries.
    const emails = await store.emails.listForAccount(account?.id ?? -1);
    const matched = account && matchesSecondIdentifier(this.rules.identifier, identifier, account, emails) ? account : null;
    const handle = newToken(random);
    const id = this.flowId(handle);
    const { code, hash } = this.binding(id).issue(random);
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + this.rules.flowTtlSeconds * 1000);
    await store.transaction(async (tx) => {
      await tx.passwordResets.insert(this.newFlow(id, matched?.id ?? null, loginId, 'mail', 'awaiting_code', hash, now, expiresAt));
      await recordAudit(tx, now, 'password_reset.requested', {
        accountId: account?.id ?? null,
        loginId,
        ctx,
        detail: { matched: Boolean(matched), reason: matched ? null : account ? 'second_identifier' : 'unknown_login_id' },
      });
      if (!matched) return;
      const mail = passwordResetCodeMail(this.deps.brand, { name: matched.name, code, validMinutes: Math.round(this.rules.flowTtlSeconds / 60), requestedAt: now });
      for (const e of emails) if (e.verifiedAt) await queueMail(tx, random, now, e.address, mail);
    });
    return { flowHandle: handle, next: 'code', expiresAt };
  }

  newFlow(id: string, accountId: number | null, loginId: string, via: ResetVia, state: ResetState, codeHash: string | null, now: Date, expiresAt: Date): PasswordResetFlow {
    return { id, accountId, loginId, via, state, codeHash, codeAttempts: 0, passkeyAt: null, createdAt: now, expiresAt };
  }

  /** The flow a handle names, unexpired. */
  async load(handle: unknown): Promise<PasswordResetFlow> {
    if (typeof handle !== 'string' || !handle || handle.length > 200) throw new DomainError('flow_not_found', R);
    const flow = await this.ports.store.passwordResets.find(this.flowId(handle));
    if (!flow) throw new DomainError('flow_not_found', R);
    if (flow.expiresAt <= this.ports.clock.now()) throw new DomainError('flow_expired', R);
    return flow;
  }

  /** What a page reloaded in the middle of a flow shows; `flow_state` once it is over. */
  async describe(handle: unknown): Promise<ResetStep> {
    const flow = await this.load(handle);
    const next = NEXT_OF[flow.state];
    if (!next) throw new DomainError('flow_state', R);
    return { flowHandle: handle as string, next, expiresAt: flow.expiresAt };
  }

  /** Step 2: the mailed code, judged under the login throttle and the flow's own tries. */
  async submitCode(handle: unknown, rawCode: unknown, ctx: RequestContext): Promise<ResetStep> {
    const code = parseCode(rawCode, 'code', nothingTyped);
    const flow = await this.load(handle);
    if (flow.state === 'failed') throw attemptsExhausted(R);
    if (flow.state !== 'awaiting_code') throw new DomainError('flow_state', R);
    const { store, clock } = this.ports;
    const attempt = await this.deps.throttle.begin({ ip: ctx.ip, loginId: flow.loginId, deviceId: null });
    let used: number | null;
    try {
      used = await store.passwordResets.reserveCodeTry(flow.id, this.rules.codeMaxAttempts, clock.now());
    } catch (e) {
      await attempt.abandon();
      throw e;
    }
    if (used === null) {
      await attempt.abandon();
      throw attemptsExhausted(R);
    }
    const account = flow.accountId === null ? null : ((await store.accounts.findById(flow.accountId)) ?? null);
    // A flow that matched nothing holds the hash of a code nobody was sent; it never opens.
    const right = account !== null && flow.codeHash !== null && this.binding(flow.id).matches(code, flow.codeHash);
    if (!right) {
      const outcome = await attempt.failed();
      await store.transaction(async (tx) => {
        if (used! >= this.rules.codeMaxAttempts) await tx.passwordResets.advance(flow.id, 'awaiting_code', 'failed', clock.now());
        await recordAudit(tx, clock.now(), 'password_reset.code_failed', { accountId: flow.accountId, loginId: flow.loginId, ctx, detail: { attempt: used } });
        if (account) await recordLocks(tx, { ports: this.ports, ...this.deps }, account, outcome, false, { ...ctx, deviceToken: null });
      });
      throw wrongCode('code_invalid', this.rules.codeMaxAttempts, used, { details: R, cap: outcome.remaining, ended: outcome.lockedNow || outcome.suspendedNow });
    }
    await attempt.succeeded();
    const next: ResetState = (await this.needsPasskey(account)) ? 'awaiting_passkey' : 'awaiting_password';
    await store.transaction(async (tx) => {
      if (!(await tx.passwordResets.advance(flow.id, 'awaiting_code', next, clock.now()))) throw new DomainError('flow_state', R);
      await recordAudit(tx, clock.now(), 'password_reset.code_verified', { accountId: account.id, loginId: account.loginId, ctx, detail: { via: flow.via } });
    });
    return { flowHandle: handle as string, next: NEXT_OF[next]!, expiresAt: flow.expiresAt };
  }

  /** Under the phishing-resistant policy, a customer with a passkey proves it here too. */
  async needsPasskey(account: Account): Promise<boolean> {
    return this.rules.passkeyPolicy === 'phishing-resistant' && (await this.ports.store.passkeys.listForAccount(account.id)).length > 0;
  }

  async beginPasskey(handle: unknown, ctx: RequestContext): Promise<Ceremony<unknown>> {
    const flow = await this.load(handle);
    if (flow.state !== 'awaiting_passkey' || flow.accountId === null) throw new DomainError('flow_state', R);
    await this.deps.throttle.assertChallengeAllowed(ctx.ip);
    return this.deps.ceremonies.beginAssertion('password_reset', flow.accountId, flow.id);
  }

  /** The assertion, judged like a login's passkey step: a refusal counts as a failure of the login ID. */
  async finishPasskey(handle: unknown, input: { challengeId: unknown; credential: unknown }, ctx: RequestContext): Promise<ResetStep> {
    parseCredential(input.credential);
    const flow = await this.load(handle);
    if (flow.state !== 'awaiting_passkey' || flow.accountId === null) throw new DomainError('flow_state', R);
    const { ceremonies, throttle } = this.deps;
    const attempt = await throttle.begin({ ip: ctx.ip, loginId: flow.loginId, deviceId: null });
    try {
      const ch = await ceremonies.useChallenge(input.challengeId, 'password_reset', ctx, flow.accountId, input.credential);
      if (ch.flowId !== flow.id) await ceremonies.refuse(flow.accountId, ctx, 'password_reset', 'unknown_challenge');
      await ceremonies.assert(ch, input.credential, ctx);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'passkey_invalid') await attempt.failed();
      else await attempt.abandon();
      throw e;
    }
    await attempt.succeeded();
    const now = this.ports.clock.now();
    if (!(await this.ports.store.passwordResets.advance(flow.id, 'awaiting_passkey', 'awaiting_password', now, now))) throw new DomainError('flow_state', R);
    return { flowHandle: handle as string, next: 'password', expiresAt: flow.expiresAt };
  }

  /**
   * The last step: the trading password (its own five tries) and the new login password. The new
   * hash, the end of every session and recognised browser, the audit record and the mails commit
   * together; the flow is spent by a conditional update in the same transaction.
   */
  async complete(handle: unknown, input: { tradingPassword: unknown; newPassword: unknown; newPasswordConfirmation: unknown }, ctx: RequestContext): Promise<void> {
    const flow = await this.load(handle);
    if (flow.state !== 'awaiting_password' || flow.accountId === null) throw new DomainError('flow_state', R);
    const next = newPasswordOf(input.newPassword, input.newPasswordConfirmation);
    const { store, clock, random, passwords } = this.ports;
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found', R);
    const problem = checkNewLoginPassword(next, account.loginId);
    if (problem) throw new DomainError('password_policy', { reason: problem });
    // The passkey assertion of this flow stands in for the session's step-up the policy asks of the trading password.
    await this.deps.tradingPassword.confirm(account, input.tradingPassword, { ...ctx, stepUpAt: flow.passkeyAt }, 'login_password_reset', async () =>
      (await passwords.verify(account.tradingPasswordHash, next)).ok ? new DomainError('password_policy', { reason: 'same_as_trading_password' }) : null,
    );
    const hash = await passwords.hash(next);
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.passwordResets.advance(flow.id, 'awaiting_password', 'done', now))) throw new DomainError('flow_state', R);
      await tx.accounts.updateLoginPasswordHash(account.id, hash, now);
      await tx.accounts.setPasswordChangeRequired(account.id, null);
      await tx.deskResetCodes.delete(account.id);
      // No session is kept: whoever forgot the password is not signed in, and an intruder's session must end.
      await this.deps.sessions.endAllBut(tx, account.id, -1);
      await tx.devices.revokeAllForAccount(account.id, now);
      await recordAudit(tx, now, 'password_reset.completed', { accountId: account.id, loginId: account.loginId, ctx, detail: { via: flow.via, passkey: Boolean(flow.passkeyAt) } });
      await queueToVerified(tx, random, now, account.id, passwordResetDoneMail(this.deps.brand, { name: account.name, at: now, ip: ctx.ip, byDesk: flow.via === 'desk' }));
    });
    // Proven by a mailed or desk code and the trading password: the locks of the login ID and a suspension end too.
    await this.deps.throttle.clearAfterLogin(account.loginId, null);
  }
}

function newPasswordOf(raw: unknown, confirmation: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput('newPassword', 'required');
  if (raw.length > CHANGED_PASSWORD_MAX) throw new InvalidInput('newPassword', 'too_long');
  if (typeof confirmation !== 'string' || confirmation !== raw) throw new InvalidInput('newPasswordConfirmation', 'mismatch');
  return raw;
}
