/** A recovery code instead of the TOTP (lost or replaced phone): offered on the TOTP screen, single use, each use mailed. */
import { InvalidInput } from '../../errors';
import { recoveryCodeUsedMail } from '../../notifications/messages';
import { queueToVerified } from '../../notifications/outbox';
import { canonicalRecoveryCode, recoveryCodeHash } from '../../totp/recovery-codes';
import type { Account, LoginFlow } from '../../store-types';
import type { LoginContext } from '../login-types';
import type { AccountFactors, BeginResult, SecondStepStrategy, StepDetails, StrategyKit } from './strategy';

export class RecoveryCodeStrategy implements SecondStepStrategy {
  readonly method = 'recovery_code' as const;
  readonly state = 'awaiting_totp';
  readonly shownWith = 'totp' as const;
  readonly beginsWhenShown = false;

  constructor(private readonly kit: StrategyKit) {}

  offered(factors: AccountFactors): boolean {
    return factors.hasTotp;
  }

  async begin(): Promise<BeginResult> {
    return null;
  }

  async describe(): Promise<StepDetails> {
    return {};
  }

  async verify(flow: LoginFlow, account: Account, input: Record<string, unknown>, ctx: LoginContext) {
    const raw = input.recoveryCode;
    if (typeof raw !== 'string' || raw.length > 64) throw new InvalidInput('recoveryCode', 'format');
    const canonical = canonicalRecoveryCode(raw);
    if (!canonical) throw new InvalidInput('recoveryCode', 'format');
    const { ports, judge, completion, brand } = this.kit;
    const { keyed, clock, random } = ports;
    const hash = recoveryCodeHash(keyed, account.id, canonical);
    const unknownCode = new Error('recovery code not found');
    // A wrong recovery code counts like a wrong one-time password: it is the same step.
    return judge.typedCode(flow, account, ctx, { audit: 'login.totp_failed', wrong: 'totp_invalid' }, async () => {
      try {
        return await completion.flow(flow, account, this.method, ctx, async (tx) => {
          const now = clock.now();
          if (!(await tx.recoveryCodes.consume(account.id, hash, now))) throw unknownCode;
          const remaining = await tx.recoveryCodes.countUnused(account.id);
          await queueToVerified(tx, random, now, account.id, recoveryCodeUsedMail(brand, { name: account.name, at: now, remaining, ip: ctx.ip }));
        });
      } catch (e) {
        if (e === unknownCode) return null;
        throw e;
      }
    });
  }
}
