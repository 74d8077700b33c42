/**
 * Sending a screen: the route's side of the views. `viewContext` gathers what every view may use
 * (language, the CSRF value, now, the brand); `sendPage` draws the frame around a view's page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../domain/errors';
import { csrfField } from './csrf';
import { messageOf, retryAfterOf, statusOf } from './errors';
import type { WebDeps } from './request-context';
import { frameView, type Page } from './views/frame';
import { migrationNotice } from './passkey-enrolment-gate';
import type { FormError, ViewContext } from './views/kit';

export type { Page };

export function viewContext(req: FastifyRequest, reply: FastifyReply, deps: WebDeps): ViewContext {
  const { keyed, random, clock } = deps.services.ports;
  return { t: req.t, csrf: csrfField(req, reply, keyed, random), now: clock.now(), brand: deps.services.brand, branding: deps.config.branding };
}

export function sendPage(req: FastifyRequest, reply: FastifyReply, deps: WebDeps, page: Page): FastifyReply {
  const { keyed, random, clock } = deps.services.ports;
  const customer = req.session ? { name: req.session.name, csrf: csrfField(req, reply, keyed, random) } : null;
  const doc = frameView({ t: req.t, locale: req.locale, brand: deps.services.brand, branding: deps.config.branding, now: clock.now(), customer, notice: migrationNotice(req, deps) }, page);
  return reply.status(page.status ?? 200).type('text/html; charset=utf-8').send(doc.value);
}

/** The error handler's pages (app.ts) under their old name. */
export const renderPage = sendPage;

/** The inputs an error concerns when the domain does not name one. */
const FIELDS_OF_CODE: Partial<Record<ErrorCode, readonly string[]>> = {
  trading_password_invalid: ['tradingPassword'],
  trading_password_locked: ['tradingPassword'],
  code_invalid: ['code', 'confirmationCode'],
  code_expired: ['code', 'confirmationCode'],
  totp_invalid: ['code', 'confirmationCode'],
  totp_replayed: ['code', 'confirmationCode'],
  password_policy: ['newPassword'],
};

/** A domain error as a page shows it (and its status, and Retry-After); anything else is a bug and is rethrown. */
export function pageError(req: FastifyRequest, reply: FastifyReply, e: unknown): FormError {
  if (!(e instanceof DomainError)) throw e;
  // `instanceof` on the generic class says DomainError<any>; every code is what it may be.
  const err: DomainError = e;
  const retry = retryAfterOf(err);
  if (retry) reply.header('Retry-After', String(retry));
  const named = err.details.field;
  const fields = typeof named === 'string' ? [named] : (FIELDS_OF_CODE[err.code] ?? []);
  return { message: messageOf(err, req.t), status: statusOf(err.code), code: err.code, fields };
}

export function formBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}
