/**
 * Every second-step method, in the order the flow prefers to show them: a passkey first
 * (phishing-resistant), then the TOTP app, then the e-mailed code. A new method is one file in
 * this folder and one line here.
 */
import type { SecondStepMethod } from '../login-types';
import { EmailCodeStrategy } from './email-code';
import { passkeyStrategy } from './passkey';
import { recoveryCodeStrategy } from './recovery-code';
import type { SecondStepStrategy, StrategyKit } from './strategy';
import { totpStrategy } from './totp';

export function secondStepStrategies(kit: StrategyKit): ReadonlyMap<SecondStepMethod, SecondStepStrategy> {
  const all: SecondStepStrategy[] = [passkeyStrategy(kit), totpStrategy(kit), recoveryCodeStrategy(kit), new EmailCodeStrategy(kit)];
  return new Map(all.map((s) => [s.method, s]));
}
