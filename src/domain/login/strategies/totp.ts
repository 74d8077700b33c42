/** The TOTP app's ワンタイムパスワード (RFC 6238): a customer with TOTP gives it at every login from an unrecognised browser. */
import { verifyTotp } from '../../../crypto/totp';
import { DomainError } from '../../errors';
import { parseCode } from '../../one-time-codes/one-time-code';
import type { Account, LoginFlow } from '../../store-types';
import type { LoginContext } from '../login-types';
import type { AccountFactors, BeginResult, SecondStepStrategy, StepDetails, StrategyKit } from './strategy';

export class TotpStrategy implements SecondStepStrategy {
  readonly method = 'totp' as const;
  readonly state = 'awaiting_totp';
  readonly beginsWhenShown = false;

  constructor(private readonly kit: StrategyKit) {}

  offered(factors: AccountFactors): boolean {
    return factors.hasTotp;
  }

  /** Nothing to start: the app shows a new code every 30 seconds. */
  async begin(): Promise<BeginResult> {
    return null;
  }

  async describe(): Promise<StepDetails> {
    return {};
  }

  async verify(flow: LoginFlow, account: Account, input: Record<string, unknown>, ctx: LoginContext) {
    const { ports, judge, completion } = this.kit;
    const code = parseCode(input.code, 'totp');
    if (!account.totpSecretSealed) throw new DomainError('totp_not_enabled');
    const sealed = account.totpSecretSealed;
    return judge.typedCode(flow, account, ctx, { audit: 'login.totp_failed', wrong: 'totp_invalid' }, async () => {
      const step = verifyTotp(ports.secrets.open(sealed), code, ports.clock.now(), 1);
      if (step === null) return null;
      return completion.flow(flow, account, this.method, ctx, async (tx) => {
        // A time step is accepted once per account (NIST SP 800-63B-4): decided by a conditional update.
        if (!(await tx.accounts.claimTotpStep(account.id, step))) throw new DomainError('totp_replayed');
      });
    });
  }
}
