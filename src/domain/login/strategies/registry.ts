/**
 * Every second-step method, in the order the flow prefers to show them: a passkey first
 * (phishing-resistant), then the TOTP app, then the e-mailed code. A new method is one file in
 * this folder and one line here.
 */
import type { SecondStepMethod } from '../login-types';
import { EmailCodeStrategy } from './email-code';
import { PasskeyStrategy } from './passkey';
import { RecoveryCodeStrategy } from './recovery-code';
import type { SecondStepStrategy, StrategyKit } from './strategy';
import { TotpStrategy } from './totp';

export function secondStepStrategies(kit: StrategyKit): ReadonlyMap<SecondStepMethod, SecondStepStrategy> {
  const all: SecondStepStrategy[] = [new PasskeyStrategy(kit), new TotpStrategy(kit), new RecoveryCodeStrategy(kit), new EmailCodeStrategy(kit)];
  return new Map(all.map((s) => [s.method, s]));
}
