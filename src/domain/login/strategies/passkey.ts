/**
 * A passkey after the password, for a customer who has one: the browser asks for a challenge
 * (`begin`) and answers with an assertion. A refused assertion is a failed attempt like a wrong
 * password; it takes no try of the flow's typed codes.
 */
import { DomainError } from '../../errors';
import { parseCredential } from '../../passkeys/webauthn-ceremonies';
import type { Account, LoginFlow } from '../../store-types';
import type { LoginContext } from '../login-types';
import type { AccountFactors, BeginResult, SecondStepStrategy, StepDetails, StrategyKit } from './strategy';

export class PasskeyStrategy implements SecondStepStrategy {
  readonly method = 'passkey' as const;
  readonly state = 'awaiting_passkey';
  readonly beginsWhenShown = false;

  constructor(private readonly kit: StrategyKit) {}

  offered(factors: AccountFactors): boolean {
    return factors.hasPasskey;
  }

  /** A challenge for one of the account's passkeys, bound to this flow. */
  begin(flow: LoginFlow): Promise<BeginResult> {
    return this.kit.ceremonies.beginAssertion('second_factor', flow.accountId, flow.id);
  }

  async describe(): Promise<StepDetails> {
    return {};
  }

  async verify(flow: LoginFlow, account: Account, input: Record<string, unknown>, ctx: LoginContext) {
    parseCredential(input.credential);
    const { ceremonies, judge, completion } = this.kit;
    await judge.passkey(flow, account, ctx, async () => {
      const ch = await ceremonies.useChallenge(input.challengeId, 'second_factor', ctx, null, input.credential);
      // A challenge made for another flow cannot finish this one.
      if (ch.flowId !== flow.id) throw new DomainError('flow_not_found');
      return ceremonies.assert(ch, input.credential, ctx);
    });
    return completion.flow(flow, account, this.method, ctx);
  }
}
