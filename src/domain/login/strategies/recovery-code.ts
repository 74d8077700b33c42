/** A recovery code instead of the TOTP (lost or replaced phone): offered on the TOTP screen, single use, each use mailed (in the login's notice). */
import { InvalidInput } from '../../errors';
import { canonicalRecoveryCode, recoveryCodeHash } from '../../totp/recovery-codes';
import type { SecondStepStrategy, StrategyKit } from './strategy';
import { ONE_TIME_CODE_INPUT_MAX } from '../../input-limits';

export function recoveryCodeStrategy({ ports, judge, completion }: StrategyKit): SecondStepStrategy {
  return {
    method: 'recovery_code',
    state: 'awaiting_totp',
    shownWith: 'totp',
    offered: (factors) => factors.hasTotp,
    async verify(flow, account, input, ctx) {
      const raw = input.recoveryCode;
      if (typeof raw !== 'string' || raw.length > ONE_TIME_CODE_INPUT_MAX) throw new InvalidInput('recoveryCode', 'format');
      const canonical = canonicalRecoveryCode(raw);
      if (!canonical) throw new InvalidInput('recoveryCode', 'format');
      const { keyed, clock } = ports;
      const hash = recoveryCodeHash(keyed, account.id, canonical);
      const unknownCode = new Error('recovery code not found');
      // A wrong recovery code counts like a wrong one-time password: it answers the same step.
      return judge.typedCode(flow, account, ctx, { audit: 'login.totp_failed', wrong: 'totp_invalid' }, async () => {
        try {
          return await completion.flow(flow, account, 'recovery_code', ctx, async (tx) => {
            const now = clock.now();
            if (!(await tx.recoveryCodes.consume(account.id, hash, now))) throw unknownCode;
            // The use is mailed to every verified address in the login's own notice (login-notices.ts).
            return { recoveryCodesLeft: await tx.recoveryCodes.countUnused(account.id) };
          });
        } catch (e) {
          if (e === unknownCode) return null;
          throw e;
        }
      });
    },
  };
}
