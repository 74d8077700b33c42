/**
 * Security events, appended to the audit log in the same transaction as the change they describe
 * (docs/requirements.md R-AUDIT-1). The type names are stable: operators search and alert on them.
 */
import type { RequestContext } from './context';
import type { StoreTx } from './store';

export type AuditType =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.locked'
  | 'login.suspended'
  | 'login.unsuspended'
  | 'login.code_sent'
  | 'login.code_failed'
  | 'login.totp_failed'
  | 'logout'
  | 'device.recognized'
  | 'device.revoked'
  | 'account.created'
  | 'account.passwords_replaced'
  | 'account.password_rehashed'
  | 'totp.enabled'
  | 'totp.reregistered'
  | 'totp.stopped'
  | 'totp.reset'
  | 'address.changed'
  | 'address.added'
  | 'address.removed'
  | 'address.requested'
  | 'address.code_failed'
  | 'notification.changed'
  | 'password.changed'
  | 'trading_password.changed'
  | 'trading_password.failed'
  | 'trading_password.locked'
  | 'trading_password.unlocked'
  | 'support.action'
  | 'support.key_rejected'
  | 'passkey.added'
  | 'passkey.renamed'
  | 'passkey.deleted'
  | 'passkey.failed'
  | 'passkey.cancelled'
  | 'step_up.succeeded'
  | 'step_up.refused'
  | 'step_up.consumed'
  | 'trading_password.verified'
  | 'reauthentication.code_sent'
  | 'reauthentication.failed'
  | 'login.risk'
  | 'risk.stuffing_source'
  | 'risk.country_exception'
  // forgotten login password and login ID, the desk's reset code and must-change flag.
  | 'password_reset.requested'
  | 'password_reset.code_failed'
  | 'password_reset.code_verified'
  | 'password_reset.completed'
  | 'password_reset.desk_code_issued'
  | 'password_reset.desk_code_failed'
  | 'password.change_required'
  | 'login_id.reminder_requested'
  | 'passkey.exemption_granted'
  | 'passkey.exemption_revoked'
  | 'passkey.announcement_sent'
  | 'session.ended'
  | 'session.others_ended'
  | 'login.notice_queued'
  // r18-cli: a sealed TOTP secret the configured keys cannot open (a key rotated under a running server).
  | 'totp.secret_unreadable'
  // the support desk's console (r18-console): operators, their logins, requests and decisions.
  | 'desk.operator_added'
  | 'desk.operator_disabled'
  | 'desk.enrolled'
  | 'desk.login'
  | 'desk.login_failed'
  | 'desk.logout'
  | 'desk.requested'
  | 'desk.approved'
  | 'desk.rejected'
  | 'desk.action_failed'
  // r18-finish: support-API keys of operators, every call made with one, a fresh enrolment link.
  | 'desk.api_key_added'
  | 'desk.api_key_revoked'
  | 'support.api_call'
  | 'desk.enrolment_issued'
  // the OpenID Connect provider: a relying party's login, its back-channel logout, clients and keys.
  | 'oidc.login'
  | 'oidc.logout_sent'
  | 'oidc.logout_failed'
  | 'oidc.client_added'
  | 'oidc.client_removed'
  | 'oidc.keys_rotated';

export interface AuditFacts {
  accountId?: number | null;
  loginId?: string | null;
  ctx?: RequestContext | null;
  operator?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordAudit(tx: Pick<StoreTx, 'audit'>, at: Date, type: AuditType, facts: AuditFacts): Promise<void> {
  await tx.audit.append({
    at,
    type,
    accountId: facts.accountId ?? null,
    // A login ID typed by a stranger is attacker-controlled: keep it short in the log.
    loginId: facts.loginId ? facts.loginId.slice(0, 64) : null,
    ip: facts.ctx?.ip ?? null,
    userAgent: facts.ctx ? facts.ctx.userAgent.slice(0, 300) : null,
    operator: facts.operator ?? null,
    detail: facts.detail ?? {},
  });
}

export interface AuditEventInput {
  at: Date;
  type: string;
  accountId: number | null;
  loginId: string | null;
  ip: string | null;
  userAgent: string | null;
  operator: string | null;
  detail: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  id: number;
}

export interface AuditRepo {
  append(event: AuditEventInput): Promise<void>;
  listForAccount(accountId: number, limit: number, types?: readonly string[]): Promise<AuditEvent[]>;
  /**
   * The account's events of `types` after its last event of type `marker` (all of them when there
   * is none), newest first, at most `limit`; and whether a `marker` event exists.
   */
  listSinceLast(accountId: number, marker: string, types: readonly string[], limit: number): Promise<{ markerFound: boolean; events: AuditEvent[] }>;
  /** When and from where: the account's last `limit` events of `type`, newest first, without their details (read at every login). */
  listPlaces(accountId: number, type: string, limit: number): Promise<{ at: Date; ip: string | null }[]>;
}
