/**
 * What an operator does to a customer from the console (docs/requirements.md R-DESK-5…8): every
 * action carries a reason and the identity check the operator made, and becomes a row in
 * `desk_requests`. Actions that remove a factor or let someone in wait, `pending`, for a
 * supervisor other than the requester (four-eyes); the rest take effect at once. The roles are
 * checked here, not in the web: a viewer acts on nothing, an operator decides nothing, nobody
 * decides their own request. Carrying out an action is the same domain call the support API and
 * the CLI make, so the customer is mailed and the audit log records it the same way.
 */
import { recordAudit } from '../audit';
import { DomainError, InvalidInput } from '../errors';
import { SUPPORT_REASON_MAX } from '../input-limits';
import type { Ports } from '../ports';
import type { Services } from './services';
import { DESK_ACTIONS, FOUR_EYES_ACTIONS, IDENTITY_METHODS, type DeskAction, type DeskRequest, type IdentityMethod, type ListedDeskRequest, type Operator } from './records';
import { endEverySession } from './session-ending';

export interface ActionInput {
  action: unknown;
  reason: unknown;
  identityMethod: unknown;
  identityNote: unknown;
  /** `until` (exemption, YYYY-MM-DD), `by` (reset code: post|mail). */
  params?: Record<string, unknown>;
}

/** What carrying out returned that the operator must see once (a reset code for a letter). */
export interface ActionOutcome {
  request: DeskRequest;
  shownOnce?: Record<string, string>;
}

const text = (raw: unknown, field: string, max: number): string => {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (!s) throw new InvalidInput(field, 'required');
  if (s.length > max) throw new InvalidInput(field, 'too_long');
  return s;
};

export class DeskActions {
  constructor(
    private readonly ports: Ports,
    private readonly services: Services,
  ) {}

  /** Records the request; carries it out now unless it needs a second pair of eyes. */
  async request(operator: Operator, loginId: string, input: ActionInput): Promise<ActionOutcome> {
    if (operator.role === 'viewer') throw new DomainError('desk_denied', { reason: 'role' });
    const action = input.action;
    if (typeof action !== 'string' || !(DESK_ACTIONS as readonly string[]).includes(action)) throw new InvalidInput('action', 'format');
    const reason = text(input.reason, 'reason', SUPPORT_REASON_MAX);
    const identityMethod = input.identityMethod;
    if (typeof identityMethod !== 'string' || !(IDENTITY_METHODS as readonly string[]).includes(identityMethod)) throw new InvalidInput('identityMethod', 'required');
    const identityNote = text(input.identityNote, 'identityNote', SUPPORT_REASON_MAX);
    const params = this.parseParams(action as DeskAction, input.params ?? {});
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    const fourEyes = FOUR_EYES_ACTIONS.has(action as DeskAction);
    const request = await store.transaction(async (tx) => {
      const r = await tx.desk.insertRequest({
        accountId: account.id, action: action as DeskAction, params, reason, identityMethod: identityMethod as IdentityMethod, identityNote,
        requestedBy: operator.id, requestedAt: now, state: fourEyes ? 'pending' : 'done', decidedBy: null, decidedAt: null, decisionReason: null,
      });
      await recordAudit(tx, now, 'desk.requested', { accountId: account.id, loginId: account.loginId, operator: operator.name, detail: { request: r.id, action, reason, identityMethod, identityNote, fourEyes } });
      return r;
    });
    if (fourEyes) return { request };
    return this.carryOut(request, operator, null);
  }

  /** A supervisor's approval: the action takes effect now, in the requester's and approver's names. */
  async approve(supervisor: Operator, requestId: number, rawReason: unknown): Promise<ActionOutcome> {
    const request = await this.decide(supervisor, requestId, rawReason, 'done');
    return this.carryOut(request, (await this.ports.store.desk.findOperator({ id: request.requestedBy }))!, supervisor);
  }

  async reject(supervisor: Operator, requestId: number, rawReason: unknown): Promise<DeskRequest> {
    return this.decide(supervisor, requestId, rawReason, 'rejected');
  }

  pending(): Promise<ListedDeskRequest[]> {
    return this.ports.store.desk.listRequests({ state: 'pending', limit: 200 });
  }

  forAccount(accountId: number): Promise<ListedDeskRequest[]> {
    return this.ports.store.desk.listRequests({ accountId, limit: 100 });
  }

  /** What this operator asked for and decided since `since` (the start of their day). */
  async doneBy(operator: Operator, since: Date): Promise<{ requested: ListedDeskRequest[]; decided: ListedDeskRequest[] }> {
    const repo = this.ports.store.desk;
    const requested = await repo.listRequests({ requestedBy: operator.id, since, limit: 200 });
    const decided = (await repo.listRequests({ decidedBy: operator.id, limit: 200 })).filter((r) => r.decidedAt && r.decidedAt >= since);
    return { requested, decided };
  }

  private async decide(supervisor: Operator, requestId: number, rawReason: unknown, state: 'done' | 'rejected'): Promise<DeskRequest> {
    if (supervisor.role !== 'supervisor') throw new DomainError('desk_denied', { reason: 'role' });
    const reason = text(rawReason, 'decisionReason', SUPPORT_REASON_MAX);
    const { store, clock } = this.ports;
    const request = await store.desk.findRequest(requestId);
    if (!request) throw new DomainError('not_found', { field: 'request' });
    if (request.requestedBy === supervisor.id) throw new DomainError('desk_denied', { reason: 'own_request' });
    const now = clock.now();
    const account = await store.accounts.findById(request.accountId);
    await store.transaction(async (tx) => {
      if (!(await tx.desk.decideRequest(requestId, { state, by: supervisor.id, at: now, reason }))) throw new DomainError('desk_denied', { reason: 'decided' });
      await recordAudit(tx, now, state === 'done' ? 'desk.approved' : 'desk.rejected', { accountId: request.accountId, loginId: account?.loginId, operator: supervisor.name, detail: { request: requestId, action: request.action, reason } });
    });
    return { ...request, state, decidedBy: supervisor.id, decidedAt: now, decisionReason: reason };
  }

  private parseParams(action: DeskAction, raw: Record<string, unknown>): Record<string, string> {
    if (action === 'exemption_grant') {
      if (typeof raw.until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.until)) throw new InvalidInput('until', 'format');
      return { until: raw.until };
    }
    if (action === 'password_reset_code') {
      const by = raw.by ?? 'mail';
      if (by !== 'post' && by !== 'mail') throw new InvalidInput('by', 'format');
      return { by };
    }
    return {};
  }

  /**
   * The existing domain call for the action, in the names of who asked (and who approved): the
   * audit entry it writes and the mail it sends are the same as from the support API. A failure
   * (the customer has no TOTP any more, say) marks the request `failed` and is shown as it is.
   */
  private async carryOut(request: DeskRequest, requester: Operator, approver: Operator | null): Promise<ActionOutcome> {
    const { store, clock } = this.ports;
    const account = (await store.accounts.findById(request.accountId))!;
    const id = account.loginId;
    const op = approver ? `desk:${requester.name}+${approver.name}` : `desk:${requester.name}`;
    const why = `${request.reason} [#${request.id}; ${request.identityMethod}: ${request.identityNote}]`.slice(0, SUPPORT_REASON_MAX);
    const s = this.services;
    try {
      switch (request.action) {
        case 'totp_reset': await s.totp.supportReset(id, op, why); break;
        case 'passkeys_reset': await s.passkeys.supportReset(id, op, why); break;
        case 'login_unlock': await s.login.supportUnlock(id, op, why); break;
        case 'trading_password_unlock': await s.tradingPassword.unlock(id, op, why); break;
        case 'password_change_required': await s.deskReset.requirePasswordChange(id, op, why); break;
        case 'exemption_grant': await s.passkeyExemptions.grant(id, { until: request.params.until, operator: op, reason: why }); break;
        case 'sessions_end': await endEverySession(this.ports, s, account, op, why); break;
        case 'password_reset_code': {
          const issued = await s.deskReset.issue(id, op, why, request.params.by === 'post' ? 'post' : 'mail');
          return { request, ...(issued.code ? { shownOnce: { resetCode: issued.code } } : {}) };
        }
      }
    } catch (e) {
      await store.desk.markFailed(request.id);
      await recordAudit(store, clock.now(), 'desk.action_failed', { accountId: account.id, loginId: id, operator: op, detail: { request: request.id, action: request.action, error: e instanceof DomainError ? e.code : 'error' } });
      throw e;
    }
    return { request };
  }
}
