/**
 * The login journey: ID + password (password-step.ts), then, when the account and browser call
 * for it, one second step among the methods open (second-step-flow.ts, strategies/), or a
 * passkey alone (passwordless). This class is what the web and the JSON API call; it only loads
 * what a call names and hands it to the part that decides.
 */
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import type { DeviceService } from '../devices/device-service';
import { DomainError } from '../errors';
import { loginUnlockedMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import { parseCredential, type Ceremony, type WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';
import type { Ports } from '../ports';
import type { SessionService } from '../sessions/session-service';
import type { Account } from '../accounts/records';
import type { LoginFlow } from './records';
import { LoginCompletion } from './completion';
import { LoginNotices } from './login-notices';
import type { CompletedLogin, LoginContext, LoginRules, LoginStep, SecondStep, SecondStepMethod } from './login-types';
import { PasswordStep } from './password-step';
import { SecondStepFlow } from './second-step-flow';
import { SecondStepJudge } from './second-step-judge';
import type { CodeDetails } from './strategies/email-code';
import { secondStepStrategies } from './strategies/registry';
import type { BeginResult } from './strategies/strategy';
import type { LoginThrottle } from './throttle';
import type { LoginRisk } from '../risk/login-risk';
import type { PasskeyRequirements } from '../passkey-policy/passkey-requirements';

export type { CompletedLogin, LoginContext, LoginMethod, LoginRules, LoginStep, SecondStep, SecondStepMethod } from './login-types';
/** The e-mailed code's step: its details say where the code went and when another may be asked for. */
export type CodeStep = SecondStep & { details: CodeDetails };

export class LoginService {
  private readonly flow: SecondStepFlow;
  private readonly password: PasswordStep;
  private readonly judge: SecondStepJudge;
  private readonly completion: LoginCompletion;

  constructor(
    private readonly ports: Ports,
    private readonly deps: { sessions: SessionService; devices: DeviceService; throttle: LoginThrottle; brand: Brand; ceremonies: WebauthnCeremonies; passkeyRequirements: PasskeyRequirements; risk: LoginRisk },
    rules: LoginRules,
  ) {
    const { brand, throttle, ceremonies } = deps;
    const notices = new LoginNotices({ ports, brand, afterFailures: rules.noticeAfterFailures ?? 3 });
    this.judge = new SecondStepJudge({ ports, brand, throttle, rules, notices });
    this.completion = new LoginCompletion({ ports, ...deps, notices });
    const strategies = secondStepStrategies({ ports, rules, brand, judge: this.judge, completion: this.completion, ceremonies });
    this.flow = new SecondStepFlow(ports, rules, strategies);
    this.password = new PasswordStep(ports, { ...deps, flow: this.flow, completion: this.completion });
  }

  /** Step 1: ログインID + ログインパスワード. */
  start(input: { loginId: unknown; password: unknown }, ctx: LoginContext): Promise<LoginStep> {
    return this.password.start(input, ctx);
  }

  /** Step 2 by any open method: `input` holds what that method's screen sends. */
  async submit(flowHandle: string | null | undefined, method: SecondStepMethod, input: Record<string, unknown>, ctx: LoginContext): Promise<CompletedLogin> {
    const flow = await this.flow.load(flowHandle);
    return this.flow.verify(flow, method, await this.accountOf(flow), input, ctx);
  }

  submitCode(flowHandle: string | null | undefined, code: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    return this.submit(flowHandle, 'email_code', { code }, ctx);
  }

  submitTotp(flowHandle: string | null | undefined, code: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    return this.submit(flowHandle, 'totp', { code }, ctx);
  }

  submitRecoveryCode(flowHandle: string | null | undefined, recoveryCode: unknown, ctx: LoginContext): Promise<CompletedLogin> {
    return this.submit(flowHandle, 'recovery_code', { recoveryCode }, ctx);
  }

  /** Starts the shown method again: 認証コードを再送 (a new code, the failure count kept), or a passkey challenge. */
  async begin(flowHandle: string | null | undefined, method: SecondStepMethod, ctx: LoginContext): Promise<{ step: SecondStep; challenge: BeginResult }> {
    const flow = await this.flow.load(flowHandle);
    const challenge = await this.flow.begin(flow, method, await this.accountOf(flow), ctx);
    return { step: await this.flow.view(flowHandle as string, flow), challenge };
  }

  async resendCode(flowHandle: string | null | undefined, ctx: LoginContext): Promise<CodeStep> {
    return (await this.begin(flowHandle, 'email_code', ctx)).step as CodeStep;
  }

  /** Shows another open method (`fallback`: the one a "can't use this" button offers), when the policy allows. */
  switchMethod(flowHandle: string | null | undefined, to: SecondStepMethod | 'fallback', ctx: LoginContext, from?: SecondStepMethod): Promise<SecondStep> {
    return this.flow.switchTo(flowHandle, { to, from }, (flow) => this.accountOf(flow), ctx);
  }

  /** 「パスキーを使えない場合」. */
  fallbackFromPasskey(flowHandle: string | null | undefined, ctx: LoginContext): Promise<SecondStep> {
    return this.switchMethod(flowHandle, 'fallback', ctx, 'passkey');
  }

  /** What a step's screen shows when (re)loaded; refused unless `method` is the one shown (or offered beside it). */
  describe(flowHandle: string | null | undefined, method: SecondStepMethod): Promise<SecondStep> {
    return this.flow.expectShown(flowHandle, method);
  }

  async describeCodeStep(flowHandle: string | null | undefined): Promise<CodeStep> {
    return (await this.describe(flowHandle, 'email_code')) as CodeStep;
  }

  /** 「パスキーでログイン」: no ID typed; the authenticator offers the customer's passkeys for our origin. */
  async beginPasswordless(ctx: RequestContext): Promise<Ceremony<unknown>> {
    // Anyone may ask, so each client address may store only so many challenges a minute.
    await this.deps.throttle.assertChallengeAllowed(ctx.ip);
    return this.deps.ceremonies.beginAssertion('login', null, null);
  }

  /**
   * A passkey assertion, as the browser's script sends it: the challenge says whether it is the
   * second step of a flow or a passwordless login.
   */
  async finishPasskey(input: { challengeId: unknown; credential: unknown }, ctx: LoginContext): Promise<CompletedLogin> {
    parseCredential(input.credential);
    const peek = await this.deps.ceremonies.findChallenge(input.challengeId);
    if (peek?.purpose === 'second_factor' && peek.flowId && peek.accountId !== null) {
      const flow = await this.flow.loadById(peek.flowId, peek.accountId);
      return this.flow.verify(flow, 'passkey', await this.accountOf(flow), input, ctx);
    }
    return this.finishPasswordless(input, ctx);
  }

  /** A passkey alone (with user verification it is multi-factor by itself): judged like a password for the client address. */
  async finishPasswordless(input: { challengeId: unknown; credential: unknown }, ctx: LoginContext): Promise<CompletedLogin> {
    parseCredential(input.credential);
    const { ceremonies } = this.deps;
    const passkey = await this.judge.passkey(null, null, ctx, async () => {
      const ch = await ceremonies.useChallenge(input.challengeId, 'login', ctx, null, input.credential);
      return ceremonies.assert(ch, input.credential, ctx);
    });
    const account = await this.ports.store.accounts.findById(passkey.accountId);
    if (!account) throw new DomainError('not_found');
    // A passkey abroad is still abroad: ALLOWED_COUNTRIES and a refused stuffing source apply here too.
    await this.deps.risk.screen(account, account.loginId, ctx);
    const device = await this.password.liveDeviceOf(account, ctx.deviceToken);
    return this.completion.passwordless(account, device?.id ?? null, ctx);
  }

  /**
   * Support desk: lifts the suspension after the hard cap (and the login ID's lock) once the
   * operator has checked the caller's identity; audited with operator and reason, mailed.
   */
  async supportUnlock(loginId: string, operator: string, reason: string): Promise<void> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    if (!(await this.deps.throttle.clearByDesk(account.loginId))) throw new DomainError('not_locked');
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, 'login.unsuspended', { accountId: account.id, loginId: account.loginId, operator, detail: { reason } });
      await queueToVerified(tx, random, now, account.id, loginUnlockedMail(this.deps.brand, { name: account.name, at: now }));
    });
  }

  async logout(sessionToken: string | null | undefined, ctx: RequestContext): Promise<void> {
    const session = await this.deps.sessions.check(sessionToken);
    if (!session) return;
    await this.ports.store.transaction(async (tx) => {
      await this.deps.sessions.end(tx, session);
      await recordAudit(tx, this.ports.clock.now(), 'logout', { accountId: session.accountId, loginId: session.loginId, ctx });
    });
  }

  private async accountOf(flow: LoginFlow): Promise<Account> {
    const account = await this.ports.store.accounts.findById(flow.accountId);
    if (!account) throw new DomainError('flow_not_found');
    return account;
  }
}
