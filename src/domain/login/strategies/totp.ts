/** The TOTP app's ワンタイムパスワード (RFC 6238): a customer with TOTP gives it at every login from an unrecognised browser. */
import { verifyTotp } from '../../../crypto/totp';
import { DomainError } from '../../errors';
import { parseCode } from '../../one-time-codes/one-time-code';
import { openTotpSecret } from '../../totp/open-secret';
import type { SecondStepStrategy, StrategyKit } from './strategy';

export function totpStrategy({ ports, judge, completion }: StrategyKit): SecondStepStrategy {
  return {
    method: 'totp',
    state: 'awaiting_totp',
    offered: (factors) => factors.hasTotp,
    async verify(flow, account, input, ctx) {
      const code = parseCode(input.code, 'totp');
      if (!account.totpSecretSealed) throw new DomainError('totp_not_enabled');
      // Before the attempt is counted: an unreadable secret is no wrong code of the customer's.
      const secret = await openTotpSecret(ports, account.totpSecretSealed, { accountId: account.id, loginId: account.loginId, ctx, during: 'login' });
      return judge.typedCode(flow, account, ctx, { audit: 'login.totp_failed', wrong: 'totp_invalid' }, async () => {
        const step = verifyTotp(secret, code, ports.clock.now(), 1);
        if (step === null) return null;
        return completion.flow(flow, account, 'totp', ctx, async (tx) => {
          // A time step is accepted once per account (NIST SP 800-63B-4): decided by a conditional update.
          if (!(await tx.accounts.claimTotpStep(account.id, step))) throw new DomainError('totp_replayed');
        });
      });
    },
  };
}
