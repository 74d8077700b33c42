/**
 * Every failure a customer, operator or integrator can cause has a stable machine code.
 * The web layer maps codes to HTTP statuses and to Japanese/English messages in one place
 * (src/web/errors.ts + src/i18n); the domain never formats user-facing text.
 */
import type { PasswordProblem } from './accounts/password-policy';

export type ErrorCode =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'login_locked'
  | 'login_suspended'
  | 'too_many_requests'
  | 'flow_not_found'
  | 'flow_expired'
  | 'flow_state'
  | 'method_not_shown'
  | 'totp_not_enabled'
  | 'not_locked'
  | 'no_passkey'
  | 'code_invalid'
  | 'code_expired'
  | 'code_attempts_exceeded'
  | 'resend_too_soon'
  | 'mail_delayed'
  | 'totp_invalid'
  | 'totp_replayed'
  | 'session_invalid'
  | 'not_found'
  | 'conflict'
  | 'csrf_invalid'
  | 'overloaded'
  | 'unavailable'
  | 'password_policy'
  | 'trading_password_invalid'
  | 'trading_password_locked'
  | 'forbidden'
  | 'passkey_invalid'
  | 'step_up_required'
  | 'login_refused'
  | 'passkey_cooling_off'
  | 'password_change_required'
  | 'passkey_enrolment_required'
  | 'passkey_not_new'
  | 'secret_unreadable'
  | 'desk_denied';

/**
 * Each code's reasons: what, more precisely, happened (the web picks a message by it). A code
 * not listed takes no reason. `flow_state` means one thing only: what the request was for has
 * moved on since (completed, spent, or superseded by a later change).
 */
export interface ErrorReasons {
  invalid_input: string;
  invalid_credentials: 'current_password';
  flow_state: 'address' | 'reauthentication' | 'password_reset';
  flow_not_found: 'address' | 'reauthentication' | 'password_reset';
  flow_expired: 'password_reset';
  code_expired: 'address' | 'reauthentication';
  code_invalid: 'reauthentication' | 'password_reset';
  code_attempts_exceeded: 'reauthentication' | 'password_reset';
  resend_too_soon: 'reauthentication';
  too_many_requests: 'reauthentication';
  forbidden: 'passkey_required' | 'method_not_open' | 'no_second_step' | 'no_address' | 'representative_address' | 'support_key' | 'no_migration_date';
  conflict: 'same_address' | 'duplicate_address';
  not_found: 'address' | 'device' | 'session';
  password_policy: PasswordProblem | 'same_as_current' | 'same_as_trading_password';
  /** A challenge's fate, or `verification` for everything else (the audit log keeps the detail). */
  /** r17-signals: ALLOWED_COUNTRIES, or a behaviour signal whose response is `refuse`. */
  login_refused: 'country' | 'risk';
  desk_denied: 'role' | 'own_request' | 'last_supervisor' | 'disabled' | 'enrolment' | 'decided';
  passkey_invalid: 'unknown_challenge' | 'expired_challenge' | 'replayed_challenge' | 'verification' | (string & {});
}

export type ReasonOf<C extends ErrorCode> = C extends keyof ErrorReasons ? ErrorReasons[C] : never;

/** Facts safe to show (seconds to wait, which field, tries left), and the code's own reason. Never secrets. */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = { reason?: ReasonOf<C> } & Record<string, string | number>;

export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: ErrorDetails<C>;
  constructor(code: C, details: ErrorDetails<C> = {} as ErrorDetails<C>, message?: string) {
    super(message ?? code);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export class InvalidInput extends DomainError {
  constructor(field: string, reason: string) {
    super('invalid_input', { field, reason }, `invalid ${field}: ${reason}`);
    this.name = 'InvalidInput';
  }
}

/** The bounded password-hash queue is full: answer fast with 503 + Retry-After instead of queueing. */
export class Overloaded extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('overloaded', { retryAfter: retryAfterSeconds });
    this.name = 'Overloaded';
  }
}

/** The database cannot be reached: fail fast with 503, recover by itself. */
export class Unavailable extends DomainError {
  constructor() {
    super('unavailable', { retryAfter: 5 });
    this.name = 'Unavailable';
  }
}
