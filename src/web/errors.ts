/** The one place where domain error codes become HTTP statuses and human messages. */
import { DomainError, type ErrorCode } from '../domain/errors';
import { hasMessage, type Translate } from '../i18n';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_credentials: 401,
  login_locked: 423,
  login_suspended: 423,
  too_many_requests: 429,
  flow_not_found: 404,
  flow_expired: 410,
  flow_state: 409,
  method_not_shown: 409,
  totp_not_enabled: 409,
  not_locked: 409,
  no_passkey: 409,
  code_invalid: 401,
  code_expired: 410,
  code_attempts_exceeded: 403,
  resend_too_soon: 429,
  mail_delayed: 503,
  totp_invalid: 401,
  totp_replayed: 401,
  session_invalid: 401,
  not_found: 404,
  conflict: 409,
  csrf_invalid: 403,
  overloaded: 503,
  unavailable: 503,
  password_policy: 400,
  trading_password_invalid: 401,
  trading_password_locked: 423,
  forbidden: 403,
  passkey_invalid: 401,
  step_up_required: 403,
  login_refused: 403,
  passkey_cooling_off: 403,
  password_change_required: 403,
  passkey_enrolment_required: 403,
  passkey_not_new: 409,
  secret_unreadable: 503,
  desk_denied: 403,
};

/**
 * Codes split out of `flow_state` keep answering `flow_state` to clients, which were told it
 * means "nothing to do in this state" (docs/api.md); the domain says which state it was.
 */
const WIRE_CODE: Partial<Record<ErrorCode, ErrorCode>> = {
  method_not_shown: 'flow_state',
  totp_not_enabled: 'flow_state',
  not_locked: 'flow_state',
  no_passkey: 'flow_state',
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

/** The code clients see for a domain code. */
export function wireCodeOf(code: ErrorCode): ErrorCode {
  return WIRE_CODE[code] ?? code;
}

export function messageOf(err: DomainError, t: Translate): string {
  const vars: Record<string, string | number> = { ...err.details };
  if (typeof err.details.retryAfter === 'number') vars.retryAfterMinutes = Math.max(1, Math.ceil(err.details.retryAfter / 60));
  // The code's own messages first, then those of the code clients see for it.
  for (const code of new Set([err.code, wireCodeOf(err.code)])) {
    const specific = `error.${code}.${err.details.field ?? err.details.reason ?? ''}`;
    if (hasMessage(specific)) return t(specific, vars);
    const general = `error.${code}`;
    if (hasMessage(general)) return t(general, vars);
  }
  return t('error.generic');
}

/** Seconds for a Retry-After header, when the error carries one. */
export function retryAfterOf(err: DomainError): number | undefined {
  const v = err.details.retryAfter;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function apiError(err: DomainError, t: Translate): { error: { code: string; message: string; field?: string; retryAfter?: number } } {
  const body: { code: string; message: string; field?: string; retryAfter?: number } = { code: wireCodeOf(err.code), message: messageOf(err, t) };
  if (typeof err.details.field === 'string') body.field = err.details.field;
  const retry = retryAfterOf(err);
  if (retry) body.retryAfter = retry;
  return { error: body };
}
