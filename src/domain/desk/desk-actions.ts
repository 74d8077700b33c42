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
import { DESK_ACTIONS, FOUR_EYES_ACTIONS, IDENTITY_METHODS, roleMay, type DeskAction, type DeskChannel, type DeskRequest, type IdentityMethod, type ListedDeskRequest, type Operator } from './records';
import { endEverySession } from './session-ending';
import { parseUntil } from '../passkey-policy/exemption-service';

export interface ActionInput {
  action: unknown;
  reason: unknown;
  identityMethod: unknown;
  identityNote: unknown;
  /** `until` (exemption, YYYY-MM-DD), `by` (reset code: post|mail), `passkeyId`, `country`, `days`. */
  params?: Record<string, unknown>;
}

/** What carrying out returned (the domain call's answer), and what the operator must see once (a reset code for a letter). */
export interface ActionOutcome {
  request: DeskRequest;
  /** Who asked, as the audit names them (`desk:sato`, `api:sato`). */
  requestedBy: string;
  result?: unknown;
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

  /**
   * Records the request; carries it out now unless it needs a second pair of eyes. From the
   * support API the identity check may be left out (automation states only a reason); the
   * console always asks for it.
   */
  async request(operator: Operator, loginId: string, input: ActionInput, channel: DeskChannel = { kind: 'console' }): Promise<ActionOutcome> {
    if (!roleMay(operator.role, 'request')) throw new DomainError('desk_denied', { reason: 'role' });
    const action = input.action;
    if (typeof action !== 'string' || !(DESK_ACTIONS as readonly string[]).includes(action)) throw new InvalidInput('action', 'format');
    const reason = text(input.reason, 'reason', SUPPORT_REASON_MAX);
    const unstated = channel.kind === 'api' && input.identityMethod === undefined && input.identityNote === undefined;
    const identityMethod = unstated ? 'other' : input.identityMethod;
    if (typeof identityMethod !== 'string' || !(IDENTITY_METHODS as readonly string[]).includes(identityMethod)) throw new InvalidInput('identityMethod', 'required');
    const identityNote = unstated ? '' : text(input.identityNote, 'identityNote', SUPPORT_REASON_MAX);
    const params = this.parseParams(action as DeskAction, input.params ?? {});
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    // The passkey to remove must be this customer's: a supervisor approves what the request names.
    if (action === 'passkey_remove' && !(await store.passkeys.listForAccount(account.id)).some((p) => String(p.id) === params.passkeyId)) throw new InvalidInput('passkeyId', 'required');
    const now = clock.now();
    const fourEyes = FOUR_EYES_ACTIONS.has(action as DeskAction);
    const apiKeyId = channel.kind === 'api' ? channel.keyId : null;
    const request = await store.transaction(async (tx) => {
      const r = await tx.desk.insertRequest({
        accountId: account.id, action: action as DeskAction, params, reason, identityMethod: identityMethod as IdentityMethod, identityNote,
        requestedBy: operator.id, requestedAt: now, state: fourEyes ? 'pending' : 'done', decidedBy: null, decidedAt: null, decisionReason: null, channel: channel.kind, apiKeyId,
      });
      await recordAudit(tx, now, 'desk.requested', { accountId: account.id, loginId: account.loginId, operator: operator.name, detail: { request: r.id, action, reason, identityMethod, identityNote, fourEyes, via: channel.kind, ...(apiKeyId ? { keyId: apiKeyId } : {}) } });
      return r;
    });
    if (fourEyes) return { request, requestedBy: `${channel.kind === 'api' ? 'api' : 'desk'}:${operator.name}` };
    return this.carryOut(request, operator, null);
  }

  /** A pending request, as the support API lists it. */
  async find(requestId: number): Promise<DeskRequest> {
    const r = await this.ports.store.desk.findRequest(requestId);
    if (!r) throw new DomainError('not_found', { field: 'request' });
    return r;
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
    if (!roleMay(supervisor.role, 'decide')) throw new DomainError('desk_denied', { reason: 'role' });
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
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
    switch (action) {
      case 'exemption_grant':
        // Judged when asked as well as when carried out, so a supervisor is never asked to approve a date that cannot be.
        parseUntil(raw.until, this.ports.clock.now());
        return { until: raw.until as string };
      case 'password_reset_code': {
        const by = raw.by ?? 'mail';
        if (by !== 'post' && by !== 'mail') throw new InvalidInput('by', 'format');
        return { by };
      }
      case 'passkey_remove': {
        const id = str(raw.passkeyId);
        if (!id || !/^\d{1,12}$/.test(id)) throw new InvalidInput('passkeyId', 'required');
        return { passkeyId: id };
      }
      case 'passkeys_cancel_new': {
        const id = str(raw.passkeyId);
        return id ? { passkeyId: id } : {};
      }
      case 'country_exception_grant':
        return { country: str(raw.country) ?? '', days: str(raw.days) ?? '' };
      case 'country_exception_remove':
        return { country: str(raw.country) ?? '' };
      default:
        return {};
    }
  }

  /**
   * The existing domain call for the action, in the names of who asked (and who approved), each
   * as `desk:` or `api:` after where they asked: the audit entry it writes and the mail it sends
   * are the same from the console, the support API and the CLI. A failure (the customer has no
   * TOTP any more, say) marks the request `failed` and is shown as it is.
   */
  private async carryOut(request: DeskRequest, requester: Operator, approver: Operator | null): Promise<ActionOutcome> {
    const { store, clock } = this.ports;
    const account = (await store.accounts.findById(request.accountId))!;
    const id = account.loginId;
    const requestedBy = `${request.channel === 'api' ? 'api' : 'desk'}:${requester.name}`;
    const op = approver ? `${requestedBy}+${approver.name}` : requestedBy;
    // An API client that stated no identity check gives its reason alone, as before operators had records.
    const why = (request.identityNote ? `${request.reason} [#${request.id}; ${request.identityMethod}: ${request.identityNote}]` : request.reason).slice(0, SUPPORT_REASON_MAX);
    const s = this.services;
    const p = request.params;
    try {
      switch (request.action) {
        case 'totp_reset': return { request, requestedBy, result: await s.totp.supportReset(id, op, why) };
        case 'passkeys_reset': return { request, requestedBy, result: await s.passkeys.supportReset(id, op, why) };
        case 'passkey_remove': return { request, requestedBy, result: await s.passkeys.supportReset(id, op, why, Number(p.passkeyId)) };
        case 'passkeys_cancel_new': return { request, requestedBy, result: await s.passkeys.supportCancelNew(id, op, why, p.passkeyId) };
        case 'login_unlock': return { request, requestedBy, result: await s.login.supportUnlock(id, op, why) };
        case 'trading_password_unlock': return { request, requestedBy, result: await s.tradingPassword.unlock(id, op, why) };
        case 'password_change_required': return { request, requestedBy, result: await s.deskReset.requirePasswordChange(id, op, why) };
        case 'exemption_grant': return { request, requestedBy, result: await s.passkeyExemptions.grant(id, { until: p.until, operator: op, reason: why }) };
        case 'exemption_revoke': return { request, requestedBy, result: await s.passkeyExemptions.revoke(id, { operator: op, reason: why }) };
        case 'country_exception_grant': return { request, requestedBy, result: await s.riskDesk.allowCountry(id, { country: p.country, days: p.days }, op, why) };
        case 'country_exception_remove': return { request, requestedBy, result: await s.riskDesk.removeCountryException(id, p.country ?? '', op, why) };
        case 'sessions_end': return { request, requestedBy, result: await endEverySession(this.ports, s, account, op, why) };
        case 'password_reset_code': {
          const issued = await s.deskReset.issue(id, op, why, p.by === 'post' ? 'post' : 'mail');
          return { request, requestedBy, result: issued, ...(issued.code ? { shownOnce: { resetCode: issued.code } } : {}) };
        }
      }
    } catch (e) {
      await store.desk.markFailed(request.id);
      await recordAudit(store, clock.now(), 'desk.action_failed', { accountId: account.id, loginId: id, operator: op, detail: { request: request.id, action: request.action, error: e instanceof DomainError ? e.code : 'error' } });
      throw e;
    }
  }
}
