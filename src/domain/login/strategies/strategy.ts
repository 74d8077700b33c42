/**
 * One way to finish a login after the password (after Kratos's selfservice/strategy/*). A
 * strategy knows whether the customer has it, how it starts (mail a code, make a WebAuthn
 * challenge) and how an answer is judged. Which of the offered methods is shown, switching and
 * the passkey policy's fallback rules are the flow's (second-step-flow.ts), never a strategy's.
 * A new method is one file here plus one line in registry.ts.
 */
import type { Brand } from '../../context';
import type { Ports } from '../../ports';
import type { WebauthnCeremonies } from '../../passkeys/webauthn-ceremonies';
import type { Account } from '../../accounts/records';
import type { LoginFlow } from '../records';
import type { LoginCompletion } from '../completion';
import type { CompletedLogin, LoginContext, LoginRules, SecondStepMethod } from '../login-types';
import type { SecondStepJudge } from '../second-step-judge';

/** What the flow knows of the customer when it decides what to offer. */
export interface AccountFactors {
  hasTotp: boolean;
  hasPasskey: boolean;
}

/** What a strategy may use: the ports, the rules, the judge of attempts and the end of a login. */
export interface StrategyKit {
  ports: Ports;
  rules: LoginRules;
  brand: Brand;
  judge: SecondStepJudge;
  completion: LoginCompletion;
  ceremonies: WebauthnCeremonies;
}

/** What `begin` hands the client: a WebAuthn challenge, or nothing (a code went by mail). */
export type BeginResult = { challengeId: string; options: unknown } | null;

export type StepDetails = Record<string, string | number | boolean | Date>;

export interface SecondStepStrategy {
  readonly method: SecondStepMethod;
  /** What clients call the step while this method is shown (`awaiting_code`, …). */
  readonly state: string;
  /**
   * Another method whose screen offers this one (recovery codes on the TOTP screen): it may be
   * answered while that one is shown, and is never shown or switched to by itself.
   */
  readonly shownWith?: SecondStepMethod;
  /** Showing the method starts it (the e-mailed code is sent at once; a passkey waits for the browser). */
  readonly beginsWhenShown?: boolean;
  /** Whether this customer has this way at all; the flow's policy chooses among those offered. */
  offered(factors: AccountFactors): boolean;
  /** Starts the method (none: nothing to start, a TOTP app shows a new code every 30 seconds). */
  begin?(flow: LoginFlow, account: Account, ctx: LoginContext): Promise<BeginResult>;
  /** What the step's screen shows (where the code went, when another may be asked for); none: nothing. */
  describe?(flow: LoginFlow): Promise<StepDetails>;
  /** Judges the customer's answer: the completed login, or a thrown error that says why not. */
  verify(flow: LoginFlow, account: Account, input: Record<string, unknown>, ctx: LoginContext): Promise<CompletedLogin>;
}
