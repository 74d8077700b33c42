/**
 * A passkey after the password, for a customer who has one: the browser asks for a challenge
 * (`begin`) and answers with an assertion. A refused assertion is a failed attempt like a wrong
 * password; it takes no try of the flow's typed codes.
 */
import { DomainError } from '../../errors';
import { parseCredential } from '../../passkeys/webauthn-ceremonies';
import type { SecondStepStrategy, StrategyKit } from './strategy';

export function passkeyStrategy({ ceremonies, judge, completion }: StrategyKit): SecondStepStrategy {
  return {
    method: 'passkey',
    state: 'awaiting_passkey',
    offered: (factors) => factors.hasPasskey,
    /** A challenge for one of the account's passkeys, bound to this flow. */
    begin: (flow) => ceremonies.beginAssertion('second_factor', flow.accountId, flow.id),
    async verify(flow, account, input, ctx) {
      parseCredential(input.credential);
      await judge.passkey(flow, account, ctx, async () => {
        const ch = await ceremonies.useChallenge(input.challengeId, 'second_factor', ctx, null, input.credential);
        // A challenge made for another flow cannot finish this one.
        if (ch.flowId !== flow.id) throw new DomainError('flow_not_found');
        return ceremonies.assert(ch, input.credential, ctx);
      });
      return completion.flow(flow, account, 'passkey', ctx);
    },
  };
}
