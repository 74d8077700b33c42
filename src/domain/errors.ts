/**
 * Every failure a customer, operator or integrator can cause has a stable machine code.
 * The web layer maps codes to HTTP statuses and to Japanese/English messages in one place
 * (src/web/errors.ts + src/i18n); the domain never formats user-facing text.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'login_locked'
  | 'login_suspended'
  | 'too_many_requests'
  | 'flow_not_found'
  | 'flow_expired'
  | 'flow_state'
  | 'totp_not_enabled'
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
  | 'step_up_required';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra facts safe to show (e.g. seconds to wait, which field). Never secrets. */
  readonly details: Record<string, string | number>;
  constructor(code: ErrorCode, details: Record<string, string | number> = {}, message?: string) {
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
