/** The words the login flow, its strategies and its adapters share. */
import type { RequestContext } from '../context';
import type { IssuedDevice } from '../devices/device-service';
import type { IssuedSession } from '../sessions/session-service';

export type PasskeyPolicy = 'seed' | 'phishing-resistant';

export interface LoginRules {
  additionalAuthFrom: Date;
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  codeResendCooldownSeconds: number;
  codeMaxSends: number;
  flowTtlSeconds: number;
  /**
   * `seed`: the notice's rules, passkeys optional. `phishing-resistant` (FSA/JSDA 2025): a customer
   * with a passkey must use it at every login, with no fallback to e-mailed codes or TOTP.
   */
  passkeyPolicy: PasskeyPolicy;
  /** A login after this many failures since the last success is mailed whatever the notice setting (default 3). */
  noticeAfterFailures?: number;
}

export interface LoginContext extends RequestContext {
  /** The recognised-device token the browser presented, if any. */
  deviceToken: string | null;
}

/** A way to finish a login after the password: each is one strategy (strategies/). */
export type SecondStepMethod = 'email_code' | 'totp' | 'recovery_code' | 'passkey';

/** How a session was made (kept on the session and in the audit log). */
export type LoginMethod = SecondStepMethod | 'recognized_device' | 'password';

export interface CompletedLogin {
  state: 'done';
  method: LoginMethod;
  session: IssuedSession;
  /** A new recognised-device token to store in the browser, when one was issued. */
  device: IssuedDevice | null;
  loginId: string;
  name: string;
  /** From PASSKEY_REQUIRED_FROM: the session may do nothing but register a passkey until one is. */
  passkeyEnrolmentRequired?: boolean;
}

/**
 * A login waiting for its second step: which method is shown, which others the customer may
 * switch to now, and what the shown method's screen needs (`details`, the strategy's own).
 * `state` is the shown method's name for clients (`awaiting_code`, `awaiting_totp`, …).
 */
export interface SecondStep {
  state: string;
  flowHandle: string;
  method: SecondStepMethod;
  /** The methods the customer may switch to from here (none under the phishing-resistant policy). */
  alternatives: SecondStepMethod[];
  /** The one alternative a single "can't use this" button leads to, or null. */
  fallback: SecondStepMethod | null;
  details: Record<string, string | number | boolean | Date>;
}

export type LoginStep = CompletedLogin | SecondStep;

export function isCompleted(step: LoginStep): step is CompletedLogin {
  return step.state === 'done';
}
