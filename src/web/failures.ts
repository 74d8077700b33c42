/**
 * What any failure becomes for the client, shared by Fastify's error handler and the fast path:
 * a domain error keeps its code, an unreachable database is a 503 with Retry-After, a client
 * error Fastify found (bad JSON, too large) a 4xx, and anything else a bug: 500 without details.
 */
import { DomainError } from '../domain/errors';
import type { Translate } from '../i18n';
import { apiError, messageOf, retryAfterOf, statusOf } from './errors';

export interface FailureAnswer {
  status: number;
  message: string;
  retryAfter?: number;
  /** The JSON body of the API's answer. */
  json: { error: { code: string; message: string; field?: string; retryAfter?: number } };
  /** A bug: to be logged with its stack, never shown. */
  bug: boolean;
}

/** `isUnavailable`: the store's judgement of whether an error means the database is unreachable. */
export function failureAnswer(error: unknown, t: Translate, isUnavailable: (e: unknown) => boolean): FailureAnswer {
  const domain = error instanceof DomainError ? error : isUnavailable(error) ? new DomainError('unavailable', { retryAfter: 5 }) : null;
  if (domain) return { status: statusOf(domain.code), message: messageOf(domain, t), retryAfter: retryAfterOf(domain), json: apiError(domain, t), bug: false };
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const tooLarge = statusCode === 413;
    const message = tooLarge ? t('error.payload_too_large') : t('error.bad_request');
    return { status: statusCode, message, json: { error: { code: tooLarge ? 'payload_too_large' : 'bad_request', message } }, bug: false };
  }
  const message = t('error.generic');
  return { status: 500, message, json: { error: { code: 'internal', message } }, bug: true };
}
