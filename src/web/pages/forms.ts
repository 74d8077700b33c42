/**
 * Pieces shared by the signed-in screens: the notice's -確認- form (「取引パスワード」 with
 * 「パスワードを表示する」, 「入力画面へ戻る」 and the action button), the account behind the
 * session, and turning a domain error into a message on the page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { Account } from '../../domain/accounts/records';
import { csrfField } from '../csrf';
import { messageOf, retryAfterOf, statusOf } from '../errors';
import { html, type Html } from '../html';
import { alertBox, passwordInput, renderPage, stepUpHint } from '../layout';
import type { WebDeps } from '../request-context';

export interface PageError {
  message: string;
  status: number;
  code: string;
}

export function csrfInput(req: FastifyRequest, reply: FastifyReply, deps: WebDeps): Html {
  const { keyed, random } = deps.services.ports;
  return html`<input type="hidden" name="_csrf" value="${csrfField(req, reply, keyed, random)}">`;
}

export async function sessionAccount(req: FastifyRequest, deps: WebDeps): Promise<Account> {
  const account = await deps.services.ports.store.accounts.findById(req.session!.accountId);
  if (!account) throw new DomainError('session_invalid');
  return account;
}

/** A domain error as a page message (and its status); anything else is a bug and is rethrown. */
export function pageError(req: FastifyRequest, reply: FastifyReply, e: unknown): PageError {
  if (!(e instanceof DomainError)) throw e;
  const retry = retryAfterOf(e);
  if (retry) reply.header('Retry-After', String(retry));
  return { message: messageOf(e, req.t), status: statusOf(e.code), code: e.code };
}

export function formBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function tradingPasswordForm(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: WebDeps,
  o: {
    title: string;
    lead: string;
    action: string;
    button: string;
    back: string;
    /** Above the form (the 本人確認 section of a change to how the customer logs in). */
    before?: Html;
    extra?: Html;
    /** A field typed with the trading password (確認コード), and the note that names both. */
    secondFactor?: { field: Html; note: string };
    error?: string;
    status?: number;
  },
) {
  const { t } = req;
  const body = html`
    ${alertBox(o.error)}
    <p>${o.lead}</p>
    ${o.before ?? html``}
    <form method="post" action="${o.action}" class="card" novalidate>
      ${csrfInput(req, reply, deps)}
      ${o.extra ?? html``}
      <p class="note">${o.secondFactor?.note ?? t('common.tradingPasswordLead', { button: o.button })}</p>
      ${o.secondFactor?.field ?? html``}
      ${passwordInput('tradingPassword', 'tradingPassword', t('common.tradingPassword'), t('common.showPassword'), { autocomplete: 'off' })}
      <div class="actions"><a class="button secondary" href="${o.back}">${t('common.backToInput')}</a> <button type="submit" class="primary">${o.button}</button></div>
    </form>
    ${stepUpHint(t, o.error)}`;
  return renderPage(req, reply, deps, { title: o.title, body, status: o.status });
}
