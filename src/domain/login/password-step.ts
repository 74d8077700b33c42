/**
 * Step 1 of every login with a login ID: ログインID + ログインパスワード, judged under the
 * throttle's reservations (docs/architecture.md, "Throttling"). Unknown IDs cost one argon2id
 * verification too: same answer, same time (ASVS 2.2).
 */
import { hasControlChars, normalizeInput } from '../../crypto/normalize';
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import type { DeviceService } from '../devices/device-service';
import { DomainError, InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { RecognizedDevice } from '../devices/records';
import type { LoginRisk } from '../risk/login-risk';
import type { LoginCompletion } from './completion';
import { recordLocks } from './failure-records';
import type { LoginContext, LoginStep } from './login-types';
import type { SecondStepFlow } from './second-step-flow';
import { judged } from './second-step-judge';
import type { Attempt, FailureOutcome, LoginThrottle } from './throttle';
import { LOGIN_ID_MAX, SUBMITTED_PASSWORD_MAX } from '../input-limits';

const MAX_LOGIN_ID = LOGIN_ID_MAX;
const MAX_PASSWORD = SUBMITTED_PASSWORD_MAX;

export class PasswordStep {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; devices: DeviceService; throttle: LoginThrottle; flow: SecondStepFlow; completion: LoginCompletion; risk: LoginRisk },
  ) {}

  async start(input: { loginId: unknown; password: unknown }, ctx: LoginContext): Promise<LoginStep> {
    const loginId = parseLoginId(input.loginId);
    const password = parsePassword(input.password);
    const { store, passwords } = this.ports;
    // At the 09:00 rush, a login that cannot be hashed now is refused before any database work.
    passwords.assertCapacity();
    const account = await store.accounts.findByLoginId(loginId);
    const device = account ? await this.liveDeviceOf(account, ctx.deviceToken) : undefined;
    await this.deps.risk.screen(account, loginId, ctx);
    // The attempt's slots are taken before the hash is checked, so concurrent guesses cannot all
    // slip past a limit that none of them has reached yet.
    const attempt = await this.deps.throttle.begin({ ip: ctx.ip, loginId, deviceId: device?.id ?? null });
    const verification = await judged(attempt, () =>
      account ? passwords.verify(account.loginPasswordHash, password) : passwords.verifyDummy(password).then(() => ({ ok: false, needsRehash: false })),
    );
    if (!account || !verification.ok) {
      await this.recordFailure(loginId, account, await attempt.failed(), Boolean(device), ctx);
      await this.deps.risk.countFailure(loginId, ctx);
      throw new DomainError('invalid_credentials');
    }
    try {
      return await this.afterPassword(account, device ?? null, password, verification.needsRehash, attempt, ctx);
    } finally {
      // Whatever broke after the right password (a database error), that password counts as no failure.
      await attempt.abandon();
    }
  }

  /** The recognised browser this token names, when it is the account's own and still live. */
  async liveDeviceOf(account: Account, token: string | null): Promise<RecognizedDevice | undefined> {
    const device = await this.deps.devices.findLive(token);
    return device && device.accountId === account.id ? device : undefined;
  }

  /** The password was right: the second step the account and browser call for, or the session. */
  private async afterPassword(account: Account, device: RecognizedDevice | null, password: string, needsRehash: boolean, attempt: Attempt, ctx: LoginContext): Promise<LoginStep> {
    const { store, clock, passwords } = this.ports;
    if (needsRehash) {
      // Imported bcrypt / PBKDF2 hashes become argon2id at the first successful login.
      const upgraded = await passwords.hash(password);
      await store.transaction(async (tx) => {
        await tx.accounts.updateLoginPasswordHash(account.id, upgraded, account.passwordChangedAt);
        await recordAudit(tx, clock.now(), 'account.password_rehashed', { accountId: account.id, loginId: account.loginId, ctx });
      });
    }
    const factors = {
      hasTotp: Boolean(account.totpSecretSealed && account.totpEnabledAt),
      hasPasskey: (await store.passkeys.listForAccount(account.id)).length > 0,
    };
    const { flow, completion } = this.deps;
    // A behaviour signal (docs/operations.md) may distrust the browser or ask for the passkey.
    const risk = await this.deps.risk.assess(account, ctx, factors.hasPasskey);
    if (risk.action !== 'allow' || flow.needsSecondStep(factors, device !== null)) {
      // The password's slots go back; the second step takes its own, and only a completed login
      // clears the counters.
      await attempt.succeeded();
      return flow.open(account, factors, device, ctx, risk.action === 'passkey', risk.notice);
    }
    // A signal may have just set the must-change flag: the session is made held (completion.ts).
    const current = risk.changePassword ? { ...account, passwordChangeRequiredAt: account.passwordChangeRequiredAt ?? clock.now() } : account;
    return completion.withoutFlow(current, device ? 'recognized_device' : 'password', device?.id ?? null, ctx, risk.notice, (tx) => attempt.loggedIn(tx));
  }

  private async recordFailure(loginId: string, account: Account | undefined, outcome: FailureOutcome, recognized: boolean, ctx: LoginContext): Promise<void> {
    const { store, clock } = this.ports;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, 'login.failed', {
        accountId: account?.id ?? null,
        loginId,
        ctx,
        detail: { reason: account ? 'wrong_password' : 'unknown_login_id', recognizedDevice: recognized },
      });
      if (account) await recordLocks(tx, { ports: this.ports, ...this.deps }, account, outcome, recognized, ctx);
    });
  }
}

/** A typed login ID, NFKC and trimmed; shared by every screen that asks for one. */
export function parseLoginId(raw: unknown): string {
  if (typeof raw !== 'string') throw new InvalidInput('loginId', 'required');
  const v = normalizeInput(raw);
  if (!v) throw new InvalidInput('loginId', 'required');
  if (v.length > MAX_LOGIN_ID) throw new InvalidInput('loginId', 'too_long');
  if (hasControlChars(v)) throw new InvalidInput('loginId', 'control_characters');
  return v;
}

function parsePassword(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput('password', 'required');
  if (raw.length > MAX_PASSWORD) throw new InvalidInput('password', 'too_long');
  return raw;
}
