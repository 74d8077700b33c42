/**
 * The login journey of SPEC 1.1: ID + password, then, from a browser that is not recognised,
 * the e-mailed code (追加認証); customers with TOTP always give their one-time password instead
 * ("ログイン方法に変更はありません"). Each second-step way is a strategy completing the same flow.
 */
import { newNumericCode, newToken } from '../../crypto/tokens';
import { hasControlChars, normalizeCode, normalizeInput } from '../../crypto/normalize';
import { verifyTotp } from '../../crypto/totp';
import { maskAddress } from '../addresses/masking';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { describeUserAgent } from '../devices/user-agent';
import type { DeviceService, IssuedDevice } from '../devices/device-service';
import { DomainError, InvalidInput } from '../errors';
import { accountLockedMail, accountSuspendedMail, loginCodeMail, loginUnlockedMail, loginNotificationMail, recoveryCodeUsedMail } from '../notifications/messages';
import { canonicalRecoveryCode, recoveryCodeHash } from '../totp/recovery-codes';
import { queueMail, queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { IssuedSession, SessionService } from '../sessions/session-service';
import type { Account } from '../accounts/records';
import type { EmailAddress } from '../addresses/records';
import type { RecognizedDevice } from '../devices/records';
import type { LoginFlow } from './records';
import type { StoreTx } from '../store';
import { flowIdOf, loadFlow } from './login-flow';
import type { Attempt, FailureOutcome, LoginThrottle } from './throttle';

export interface LoginRules {
  additionalAuthFrom: Date;
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  codeResendCooldownSeconds: number;
  codeMaxSends: number;
  flowTtlSeconds: number;
  /**
   * `seed`: the notice's rules, passkeys optional. `phishing-resistant` (FSA/JSDA 2025): a customer
   * with a passkey must use it at every login, with no fallback to e-mailed codes or TOTP.
   */
  passkeyPolicy: 'seed' | 'phishing-resistant';
}

export interface LoginContext extends RequestContext {
  /** The recognised-device token the browser presented, if any. */
  deviceToken: string | null;
}

export type LoginMethod = 'email_code' | 'totp' | 'recovery_code' | 'recognized_device' | 'password' | 'passkey';

export interface CompletedLogin {
  state: 'done';
  method: LoginMethod;
  session: IssuedSession;
  /** A new recognised-device token to store in the browser, when one was issued. */
  device: IssuedDevice | null;
  loginId: string;
  name: string;
}

export interface CodeStep {
  state: 'awaiting_code';
  flowHandle: string;
  maskedAddress: string;
  codeExpiresAt: Date;
  resendAvailableAt: Date;
  /** Mail is not going out right now (SMTP failing or a backlog): the customer is told to wait. */
  mailDelayed: boolean;
}

export interface TotpStep {
  state: 'awaiting_totp';
  flowHandle: string;
}

export interface PasskeyStep {
  state: 'awaiting_passkey';
  flowHandle: string;
  /** What the customer may use instead, when the policy allows one. */
  fallback: 'email_code' | 'totp' | null;
}

export type LoginStep = CompletedLogin | CodeStep | TotpStep | PasskeyStep;

const MAX_LOGIN_ID = 64;
const MAX_PASSWORD = 1024;

export class LoginService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { sessions: SessionService; devices: DeviceService; throttle: LoginThrottle; brand: Brand },
    private readonly rules: LoginRules,
  ) {}

  /** Step 1: ログインID + ログインパスワード. */
  async start(input: { loginId: unknown; password: unknown }, ctx: LoginContext): Promise<LoginStep> {
    const loginId = this.parseLoginId(input.loginId);
    const password = this.parsePassword(input.password);
    const { store, passwords } = this.ports;
    const { throttle } = this.deps;

    // At the 09:00 rush, a login that cannot be hashed now is refused before any database work.
    passwords.assertCapacity();
    const account = await store.accounts.findByLoginId(loginId);
    const device = account ? await this.liveDeviceOf(account, ctx.deviceToken) : undefined;
    // The attempt's slots are taken before the hash is checked, so concurrent guesses cannot all
    // slip past a limit that none of them has reached yet.
    const attempt = await throttle.begin({ ip: ctx.ip, loginId, deviceId: device?.id ?? null });

    // Unknown IDs cost one argon2id verification too: same answer, same time (ASVS 2.2, SPEC 2).
    const verification = await this.judged(attempt, () =>
      account ? passwords.verify(account.loginPasswordHash, password) : passwords.verifyDummy(password).then(() => ({ ok: false, needsRehash: false })),
    );

    if (!account || !verification.ok) {
      await this.recordPasswordFailure(loginId, account, await attempt.failed(), Boolean(device), ctx);
      throw new DomainError('invalid_credentials');
    }
    try {
      return await this.afterPassword(account, device, password, verification.needsRehash, attempt, ctx);
    } finally {
      // Whatever broke after the right password (a database error), that password counts as no failure.
      await attempt.abandon();
    }
  }

  /** The password was right: the second step the account and browser call for, or the session. */
  private async afterPassword(account: Account, device: RecognizedDevice | undefined, password: string, needsRehash: boolean, attempt: Attempt, ctx: LoginContext): Promise<LoginStep> {
    const { store, clock, passwords } = this.ports;
    if (needsRehash) {
      // Imported bcrypt / PBKDF2 hashes become argon2id at the first successful login (SPEC 1.5).
      const upgraded = await passwords.hash(password);
      await store.transaction(async (tx) => {
        await tx.accounts.updateLoginPasswordHash(account.id, upgraded, account.passwordChangedAt);
        await recordAudit(tx, clock.now(), 'account.password_rehashed', { accountId: account.id, loginId: account.loginId, ctx });
      });
    }

    const hasTotp = Boolean(account.totpSecretSealed && account.totpEnabledAt);
    const hasPasskey = (await store.passkeys.listForAccount(account.id)).length > 0;
    const strict = this.rules.passkeyPolicy === 'phishing-resistant';
    const additionalAuthApplies = clock.now() >= this.rules.additionalAuthFrom;
    const secondStepNeeded = hasTotp || (additionalAuthApplies && !device) || (strict && hasPasskey);
    if (secondStepNeeded) {
      // The password's slots go back; the second step takes its own, and only a completed login
      // clears the counters.
      await attempt.succeeded();
      if (hasPasskey) {
        // A customer with a passkey is offered it instead of the e-mailed code or TOTP.
        const flowHandle = await this.createFlow(account, 'awaiting_passkey', device ?? null, ctx);
        return { state: 'awaiting_passkey', flowHandle, fallback: strict ? null : hasTotp ? 'totp' : 'email_code' };
      }
      if (hasTotp) {
        const flowHandle = await this.createFlow(account, 'awaiting_totp', device ?? null, ctx);
        return { state: 'awaiting_totp', flowHandle };
      }
      return this.startCodeStep(account, ctx);
    }
    const login = await this.completeWithoutFlow(account, device ? 'recognized_device' : 'password', device ?? null, ctx);
    await attempt.loggedIn();
    return login;
  }

  /** Step 2 by the e-mailed 認証コード. */
  async submitCode(flowHandle: string | null | undefined, rawCode: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    const { store, clock, keyed } = this.ports;
    const now = clock.now();
    const flow = await loadFlow(store, keyed, flowHandle, now, 'awaiting_code');
    const code = this.parseCode(rawCode, 'code');
    if (!flow.codeExpiresAt || flow.codeExpiresAt <= now || !flow.codeHash) throw new DomainError('code_expired');
    const codeHash = flow.codeHash;
    return this.secondStep(flow, ctx, 'login.code_failed', async () =>
      // The hash input includes the flow id: a code is bound to the one attempt that asked for it.
      keyed.equals('login-code', `${flow.id}:${code}`, codeHash) ? this.complete(flow, 'awaiting_code', 'email_code', ctx) : null,
    );
  }

  /** Step 2 by the TOTP app's ワンタイムパスワード (RFC 6238). */
  async submitTotp(flowHandle: string | null | undefined, rawCode: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    const { store, clock, keyed, secrets } = this.ports;
    const now = clock.now();
    const flow = await loadFlow(store, keyed, flowHandle, now, 'awaiting_totp');
    const code = this.parseCode(rawCode, 'totp');
    const account = await store.accounts.findById(flow.accountId);
    if (!account?.totpSecretSealed) throw new DomainError('flow_state');
    const sealed = account.totpSecretSealed;
    return this.secondStep(flow, ctx, 'login.totp_failed', async () => {
      const step = verifyTotp(secrets.open(sealed), code, now, 1);
      if (step === null) return null;
      return this.complete(flow, 'awaiting_totp', 'totp', ctx, async (tx) => {
        // A time step is accepted once per account (NIST SP 800-63B-4): decided by a conditional update.
        if (!(await tx.accounts.claimTotpStep(account.id, step))) throw new DomainError('totp_replayed');
      });
    });
  }

  /** A recovery code instead of the TOTP (lost or replaced phone): single use, each use mailed. */
  async submitRecoveryCode(flowHandle: string | null | undefined, raw: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    const { store, clock, keyed, random } = this.ports;
    const now = clock.now();
    const flow = await loadFlow(store, keyed, flowHandle, now, 'awaiting_totp');
    if (typeof raw !== 'string' || raw.length > 64) throw new InvalidInput('recoveryCode', 'format');
    const canonical = canonicalRecoveryCode(raw);
    if (!canonical) throw new InvalidInput('recoveryCode', 'format');
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    const hash = recoveryCodeHash(keyed, account.id, canonical);
    const unknownCode = new Error('recovery code not found');
    return this.secondStep(flow, ctx, 'login.totp_failed', async () => {
      try {
        return await this.complete(flow, 'awaiting_totp', 'recovery_code', ctx, async (tx) => {
          if (!(await tx.recoveryCodes.consume(account.id, hash, now))) throw unknownCode;
          const remaining = await tx.recoveryCodes.countUnused(account.id);
          const mail = recoveryCodeUsedMail(this.deps.brand, { name: account.name, at: now, remaining, ip: ctx.ip });
          await queueToVerified(tx, random, now, account.id, mail);
        });
      } catch (e) {
        if (e === unknownCode) return null;
        throw e;
      }
    });
  }

  /** 認証コードを再送: a new code, the failure count kept (NIST SP 800-63B-4 §3.1.3.2). */
  async resendCode(flowHandle: string | null | undefined, ctx: LoginContext): Promise<CodeStep> {
    const { store, clock, keyed } = this.ports;
    const now = clock.now();
    const flow = await loadFlow(store, keyed, flowHandle, now, 'awaiting_code');
    const availableAt = this.resendAvailableAt(flow);
    if (availableAt > now) {
      throw new DomainError('resend_too_soon', { retryAfter: Math.ceil((availableAt.getTime() - now.getTime()) / 1000) });
    }
    if (flow.codeSendCount >= this.rules.codeMaxSends) throw new DomainError('too_many_requests', { retryAfter: 0 });
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    const address = await this.representativeAddress(account.id);
    await store.transaction((tx) => this.sendCode(tx, account, flow.id, address, ctx, now));
    return this.codeStep(flowHandle as string, address, now, now);
  }

  /** 「パスキーを使えない場合」: the customer's other way, when the policy allows one. */
  async fallbackFromPasskey(flowHandle: string | null | undefined, ctx: LoginContext): Promise<CodeStep | TotpStep> {
    const { store, clock, keyed } = this.ports;
    if (this.rules.passkeyPolicy === 'phishing-resistant') throw new DomainError('forbidden', { reason: 'passkey_required' });
    const flow = await loadFlow(store, keyed, flowHandle, clock.now(), 'awaiting_passkey');
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    if (account.totpSecretSealed && account.totpEnabledAt) {
      if (!(await store.loginFlows.transition(flow.id, 'awaiting_passkey', 'awaiting_totp', {}))) throw new DomainError('flow_state');
      return { state: 'awaiting_totp', flowHandle: flowHandle as string };
    }
    const address = await this.representativeAddress(account.id);
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.loginFlows.transition(flow.id, 'awaiting_passkey', 'awaiting_code', {}))) throw new DomainError('flow_state');
      await this.sendCode(tx, account, flow.id, address, ctx, now);
    });
    return this.codeStep(flowHandle as string, address, now, now);
  }

  /** The flow a second-factor passkey ceremony belongs to. */
  async flowForPasskey(flowHandle: string | null | undefined): Promise<LoginFlow> {
    return loadFlow(this.ports.store, this.ports.keyed, flowHandle, this.ports.clock.now(), 'awaiting_passkey');
  }

  /**
   * A verified passkey assertion completes the login: the flow's second step, or on its own
   * (passwordless; with user verification it is multi-factor by itself). The browser becomes
   * recognised, as after any additional authentication.
   */
  async completeWithPasskey(accountId: number, flowId: string | null, ctx: LoginContext): Promise<CompletedLogin> {
    const { store } = this.ports;
    if (flowId) {
      const flow = await store.loginFlows.find(flowId);
      if (!flow || flow.accountId !== accountId) throw new DomainError('flow_not_found');
      if (flow.expiresAt <= this.ports.clock.now()) throw new DomainError('flow_expired');
      return this.complete(flow, 'awaiting_passkey', 'passkey', ctx);
    }
    const account = await store.accounts.findById(accountId);
    if (!account) throw new DomainError('not_found');
    const device = await this.liveDeviceOf(account, ctx.deviceToken);
    const login = await store.transaction((tx) => this.finish(tx, account, 'passkey', device?.id ?? null, ctx, true));
    await this.deps.throttle.clearAfterLogin(account.loginId, device?.id ?? null);
    return login;
  }

  /**
   * A passkey assertion is one more attempt at a login factor: it takes the same slots as a
   * password or a code before it is checked (the flow's account, when it is a second step; the
   * client address alone for a passwordless login, whose account is not known yet), and a refused
   * assertion counts as a failure.
   */
  async judgePasskey<T>(flowId: string | null, ctx: LoginContext, verify: () => Promise<T>): Promise<T> {
    const { store } = this.ports;
    const flow = flowId ? await store.loginFlows.find(flowId) : undefined;
    const account = flow ? await store.accounts.findById(flow.accountId) : undefined;
    const attempt = await this.deps.throttle.begin({ ip: ctx.ip, loginId: account?.loginId ?? null, deviceId: flow?.recognizedDeviceId ?? null });
    let result: T;
    try {
      result = await verify();
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'passkey_invalid')) {
        await attempt.abandon();
        throw e;
      }
      const outcome = await attempt.failed();
      if (account) await store.transaction((tx) => this.recordLocks(tx, account, outcome, (flow?.recognizedDeviceId ?? null) !== null, ctx));
      throw e;
    }
    await attempt.succeeded();
    return result;
  }

  /**
   * Support desk: lifts the suspension after the hard cap (and the login ID's lock) once the
   * operator has checked the caller's identity; audited with operator and reason, mailed.
   */
  async supportUnlock(loginId: string, operator: string, reason: string): Promise<void> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    if (!(await this.deps.throttle.clearByDesk(account.loginId))) throw new DomainError('flow_state', { reason: 'not_locked' });
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, 'login.unsuspended', { accountId: account.id, loginId: account.loginId, operator, detail: { reason } });
      await queueToVerified(tx, random, now, account.id, loginUnlockedMail(this.deps.brand, { name: account.name, at: now }));
    });
  }

  /** What the code screen shows when reloaded. */
  async describeCodeStep(flowHandle: string | null | undefined): Promise<CodeStep> {
    const { store, clock, keyed } = this.ports;
    const flow = await loadFlow(store, keyed, flowHandle, clock.now(), 'awaiting_code');
    const address = (await store.emails.listForAccount(flow.accountId)).find((e) => e.id === flow.codeEmailId);
    return {
      state: 'awaiting_code',
      flowHandle: flowHandle as string,
      maskedAddress: address ? maskAddress(address.address) : '',
      codeExpiresAt: flow.codeExpiresAt ?? clock.now(),
      resendAvailableAt: this.resendAvailableAt(flow),
      mailDelayed: await this.mailDelayed(),
    };
  }

  async assertFlow(flowHandle: string | null | undefined, state: 'awaiting_totp' | 'awaiting_code' | 'awaiting_passkey'): Promise<void> {
    await loadFlow(this.ports.store, this.ports.keyed, flowHandle, this.ports.clock.now(), state);
  }

  async logout(sessionToken: string | null | undefined, ctx: RequestContext): Promise<void> {
    const session = await this.deps.sessions.check(sessionToken);
    if (!session) return;
    await this.ports.store.transaction(async (tx) => {
      await this.deps.sessions.end(tx, session);
      await recordAudit(tx, this.ports.clock.now(), 'logout', { accountId: session.accountId, loginId: session.loginId, ctx });
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Runs the expensive check of an attempt; if the check itself breaks, its slots are given back. */
  private async judged<T>(attempt: Attempt, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (e) {
      await attempt.abandon();
      throw e;
    }
  }

  /**
   * Every second step (e-mailed code, TOTP, recovery code) is judged the same way: the throttle's
   * slots (client address, login ID or recognised device, the account's hard cap) and one of the
   * flow's own attempts are reserved first; `run` completes the login, or answers null for a wrong
   * code, which is counted exactly like a wrong password.
   */
  private async secondStep(
    flow: LoginFlow,
    ctx: LoginContext,
    type: 'login.code_failed' | 'login.totp_failed',
    run: () => Promise<CompletedLogin | null>,
  ): Promise<CompletedLogin> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    const max = this.rules.codeMaxAttempts;
    const attempt = await this.deps.throttle.begin({ ip: ctx.ip, loginId: account.loginId, deviceId: flow.recognizedDeviceId });
    const used = await this.judged(attempt, () => store.loginFlows.reserveCodeAttempt(flow.id, flow.state, max));
    if (used === null) {
      await attempt.abandon();
      const now = await store.loginFlows.find(flow.id);
      if (now?.state === 'done') throw new DomainError('flow_state', { state: 'done' });
      // Every try is taken by checks still running; one of them may yet complete the login.
      if (now?.state === flow.state) throw new DomainError('too_many_requests', { retryAfter: 1 });
      throw new DomainError('code_attempts_exceeded');
    }
    const login = await this.judged(attempt, run);
    if (login) {
      await attempt.succeeded();
      return login;
    }
    const outcome = await attempt.failed();
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, type, { accountId: account.id, loginId: account.loginId, ctx, detail: { attempt: used } });
      if (used >= max) await tx.loginFlows.transition(flow.id, flow.state, 'failed', {});
      await this.recordLocks(tx, account, outcome, flow.recognizedDeviceId !== null, ctx);
    });
    if (used >= max || outcome.lockedNow || outcome.suspendedNow) throw new DomainError('code_attempts_exceeded');
    const remaining = Math.min(max - used, outcome.remaining ?? max);
    throw new DomainError(type === 'login.code_failed' ? 'code_invalid' : 'totp_invalid', { remaining });
  }

  /** The lock or suspension a failure caused: audited and mailed once, by the failure that caused it. */
  private async recordLocks(tx: StoreTx, account: Account, outcome: FailureOutcome, recognized: boolean, ctx: LoginContext): Promise<void> {
    const { clock, random } = this.ports;
    const now = clock.now();
    const who = { accountId: account.id, loginId: account.loginId, ctx };
    if (outcome.lockedNow) {
      await recordAudit(tx, now, 'login.locked', { ...who, detail: { scope: recognized ? 'device' : 'unrecognized_browsers' } });
      const mail = accountLockedMail(this.deps.brand, { name: account.name, at: now, minutes: this.deps.throttle.lockMinutes, ip: ctx.ip });
      await queueToVerified(tx, random, now, account.id, mail);
    }
    if (outcome.suspendedNow) {
      await recordAudit(tx, now, 'login.suspended', { ...who, detail: { scope: 'unrecognized_browsers', failures: this.deps.throttle.hardLockAfter } });
      const mail = accountSuspendedMail(this.deps.brand, { name: account.name, at: now, failures: this.deps.throttle.hardLockAfter, ip: ctx.ip });
      await queueToVerified(tx, random, now, account.id, mail);
    }
  }

  private parseLoginId(raw: unknown): string {
    if (typeof raw !== 'string') throw new InvalidInput('loginId', 'required');
    const v = normalizeInput(raw);
    if (!v) throw new InvalidInput('loginId', 'required');
    if (v.length > MAX_LOGIN_ID) throw new InvalidInput('loginId', 'too_long');
    if (hasControlChars(v)) throw new InvalidInput('loginId', 'control_characters');
    return v;
  }

  private parsePassword(raw: unknown): string {
    if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput('password', 'required');
    if (raw.length > MAX_PASSWORD) throw new InvalidInput('password', 'too_long');
    return raw;
  }

  private parseCode(raw: unknown, field: string): string {
    if (typeof raw !== 'string' || raw.length > 64) throw new InvalidInput(field, 'format');
    const code = normalizeCode(raw);
    if (!/^\d{6}$/.test(code)) throw new InvalidInput(field, 'format');
    return code;
  }

  private async liveDeviceOf(account: Account, token: string | null): Promise<RecognizedDevice | undefined> {
    const device = await this.deps.devices.findLive(token);
    return device && device.accountId === account.id ? device : undefined;
  }

  private async recordPasswordFailure(loginId: string, account: Account | undefined, outcome: FailureOutcome, recognized: boolean, ctx: LoginContext): Promise<void> {
    const { store, clock } = this.ports;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, 'login.failed', {
        accountId: account?.id ?? null,
        loginId,
        ctx,
        detail: { reason: account ? 'wrong_password' : 'unknown_login_id', recognizedDevice: recognized },
      });
      if (account) await this.recordLocks(tx, account, outcome, recognized, ctx);
    });
  }

  private async verifiedAddresses(tx: StoreTx, accountId: number): Promise<EmailAddress[]> {
    return (await tx.emails.listForAccount(accountId)).filter((e) => e.verifiedAt);
  }

  private async representativeAddress(accountId: number): Promise<EmailAddress> {
    const list = await this.ports.store.emails.listForAccount(accountId);
    const address = list.find((e) => e.slot === 1 && e.verifiedAt) ?? list.find((e) => e.verifiedAt);
    // Without an address the code cannot be delivered: the customer must call the support desk.
    if (!address) throw new DomainError('forbidden', { reason: 'no_address' });
    return address;
  }

  private async createFlow(account: Account, state: 'awaiting_code' | 'awaiting_totp' | 'awaiting_passkey', device: RecognizedDevice | null, ctx: LoginContext): Promise<string> {
    const { store, clock, keyed, random } = this.ports;
    const now = clock.now();
    const handle = newToken(random);
    await store.loginFlows.insert({
      id: flowIdOf(keyed, handle),
      accountId: account.id,
      state,
      recognizedDeviceId: device?.id ?? null,
      codeHash: null,
      codeExpiresAt: null,
      codeSentAt: null,
      codeAttempts: 0,
      codeSendCount: 0,
      codeEmailId: null,
      method: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.rules.flowTtlSeconds * 1000),
      completedAt: null,
    });
    return handle;
  }

  private async startCodeStep(account: Account, ctx: LoginContext): Promise<CodeStep> {
    const { store, clock } = this.ports;
    const address = await this.representativeAddress(account.id);
    const handle = await this.createFlow(account, 'awaiting_code', null, ctx);
    const now = clock.now();
    await store.transaction((tx) => this.sendCode(tx, account, flowIdOf(this.ports.keyed, handle), address, ctx, now));
    return this.codeStep(handle, address, now, now);
  }

  /** Mails that failed to send, or waited over a minute: the SMTP server is down or behind. */
  private mailDelayed(): Promise<boolean> {
    return this.ports.store.outbox.isDelayed(new Date(this.ports.clock.now().getTime() - 60_000)).catch(() => false);
  }

  private async codeStep(handle: string, address: EmailAddress, sentAt: Date, now: Date): Promise<CodeStep> {
    return {
      mailDelayed: await this.mailDelayed(),
      state: 'awaiting_code',
      flowHandle: handle,
      maskedAddress: maskAddress(address.address),
      codeExpiresAt: new Date(sentAt.getTime() + this.rules.codeTtlSeconds * 1000),
      resendAvailableAt: new Date(now.getTime() + this.rules.codeResendCooldownSeconds * 1000),
    };
  }

  private resendAvailableAt(flow: LoginFlow): Date {
    return new Date((flow.codeSentAt?.getTime() ?? 0) + this.rules.codeResendCooldownSeconds * 1000);
  }

  private async sendCode(tx: StoreTx, account: Account, flowId: string, address: EmailAddress, ctx: LoginContext, now: Date): Promise<void> {
    const { keyed, random } = this.ports;
    const code = newNumericCode(random, 6);
    await tx.loginFlows.replaceCode(flowId, {
      codeHash: keyed.hash('login-code', `${flowId}:${code}`),
      codeExpiresAt: new Date(now.getTime() + this.rules.codeTtlSeconds * 1000),
      codeSentAt: now,
      codeEmailId: address.id,
    });
    const mail = loginCodeMail(this.deps.brand, { name: account.name, code, validMinutes: Math.round(this.rules.codeTtlSeconds / 60), requestedAt: now });
    await queueMail(tx, random, now, address.address, mail);
    await recordAudit(tx, now, 'login.code_sent', { accountId: account.id, loginId: account.loginId, ctx, detail: { emailSlot: address.slot } });
  }

  private async complete(
    flow: LoginFlow,
    from: 'awaiting_code' | 'awaiting_totp' | 'awaiting_passkey',
    method: LoginMethod,
    ctx: LoginContext,
    /** Runs in the login's transaction before it completes (a replay check, a recovery code's use). */
    guard?: (tx: StoreTx) => Promise<void>,
  ): Promise<CompletedLogin> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    const login = await store.transaction(async (tx) => {
      // Single use, race-safe: of many concurrent submissions exactly one moves the flow on.
      if (!(await tx.loginFlows.transition(flow.id, from, 'done', { method, completedAt: clock.now() }))) {
        throw new DomainError('flow_state', { state: 'done' });
      }
      await guard?.(tx);
      return this.finish(tx, account, method, flow.recognizedDeviceId, ctx, true);
    });
    await this.deps.throttle.clearAfterLogin(account.loginId, flow.recognizedDeviceId);
    return login;
  }

  private completeWithoutFlow(account: Account, method: LoginMethod, device: RecognizedDevice | null, ctx: LoginContext): Promise<CompletedLogin> {
    return this.ports.store.transaction((tx) => this.finish(tx, account, method, device?.id ?? null, ctx, false));
  }

  private async finish(
    tx: StoreTx,
    account: Account,
    method: LoginMethod,
    existingDeviceId: number | null,
    ctx: LoginContext,
    additionalAuthenticated: boolean,
  ): Promise<CompletedLogin> {
    const { clock, random } = this.ports;
    const now = clock.now();
    let device: IssuedDevice | null = null;
    if (existingDeviceId !== null) await this.deps.devices.touch(tx, existingDeviceId);
    else if (additionalAuthenticated) {
      // Recognised only after a successful additional authentication (SPEC 2).
      device = await this.deps.devices.recognize(tx, account.id, ctx);
      await recordAudit(tx, now, 'device.recognized', { accountId: account.id, loginId: account.loginId, ctx, detail: { deviceId: device.deviceId } });
    }
    // The session remembers its browser, so that browser's 解除 ends it (migration 0009).
    const session = await this.deps.sessions.issue(tx, account, method, ctx, existingDeviceId ?? device?.deviceId ?? null);
    await recordAudit(tx, now, 'login.succeeded', { accountId: account.id, loginId: account.loginId, ctx, detail: { method } });
    const notify = (await this.verifiedAddresses(tx, account.id)).filter((e) => e.loginNotification);
    if (notify.length) {
      const ua = describeUserAgent(ctx.userAgent);
      const mail = loginNotificationMail(this.deps.brand, { name: account.name, at: now, browser: ua.browser, os: ua.os, ip: ctx.ip, method });
      for (const address of notify) await queueMail(tx, random, now, address.address, mail);
    }
    return { state: 'done', method, session, device, loginId: account.loginId, name: account.name };
  }
}
