/** Row ↔ record conversions: epoch ms ↔ Date, 0/1 ↔ boolean. */
import type { Selectable } from 'kysely';
import type {
  Account, AuditEvent, DevMail, EmailAddress, LoginFlow, LoginFlowState, OutboxMail, RecognizedDevice, Session,
} from '../domain/store-types';
import type {
  AccountsTable, AuditEventsTable, DevMailboxTable, EmailAddressesTable, LoginFlowsTable, OutboxTable,
  RecognizedDevicesTable, SessionsTable,
} from './schema';

export const ms = (d: Date): number => d.getTime();
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
export const date = (n: number | string): Date => new Date(Number(n));
export const dateOrNull = (n: number | string | null): Date | null => (n === null ? null : new Date(Number(n)));

export function toAccount(r: Selectable<AccountsTable>): Account {
  return {
    id: Number(r.id),
    loginId: r.login_id,
    name: r.name,
    loginPasswordHash: r.login_password_hash,
    tradingPasswordHash: r.trading_password_hash,
    totpSecretSealed: r.totp_secret_sealed,
    totpEnabledAt: dateOrNull(r.totp_enabled_at),
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    tradingPasswordFailures: r.trading_password_failures,
    tradingPasswordLockedAt: dateOrNull(r.trading_password_locked_at),
    passwordChangedAt: date(r.password_changed_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

export function toEmail(r: Selectable<EmailAddressesTable>): EmailAddress {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    slot: r.slot,
    address: r.address,
    loginNotification: Number(r.login_notification) === 1,
    verifiedAt: dateOrNull(r.verified_at),
    createdAt: date(r.created_at),
  };
}

export function toLoginFlow(r: Selectable<LoginFlowsTable>): LoginFlow {
  return {
    id: r.id,
    accountId: Number(r.account_id),
    state: r.state as LoginFlowState,
    methodsOpen: r.methods_open ? r.methods_open.split(',') : [],
    methodShown: r.method_shown,
    recognizedDeviceId: r.recognized_device_id === null ? null : Number(r.recognized_device_id),
    codeHash: r.code_hash,
    codeExpiresAt: dateOrNull(r.code_expires_at),
    codeSentAt: dateOrNull(r.code_sent_at),
    codeAttempts: r.code_attempts,
    codeSendCount: r.code_send_count,
    codeEmailId: r.code_email_id === null ? null : Number(r.code_email_id),
    method: r.method,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
    completedAt: dateOrNull(r.completed_at),
  };
}

export function fromLoginFlow(f: LoginFlow): Selectable<LoginFlowsTable> {
  return {
    id: f.id,
    account_id: f.accountId,
    state: f.state,
    methods_open: f.methodsOpen.join(','),
    method_shown: f.methodShown,
    recognized_device_id: f.recognizedDeviceId,
    code_hash: f.codeHash,
    code_expires_at: msOrNull(f.codeExpiresAt),
    code_sent_at: msOrNull(f.codeSentAt),
    code_attempts: f.codeAttempts,
    code_send_count: f.codeSendCount,
    code_email_id: f.codeEmailId,
    method: f.method,
    ip: f.ip,
    user_agent: f.userAgent,
    created_at: ms(f.createdAt),
    expires_at: ms(f.expiresAt),
    completed_at: msOrNull(f.completedAt),
  };
}

export function toDevice(r: Selectable<RecognizedDevicesTable>): RecognizedDevice {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    tokenHash: r.token_hash,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: date(r.created_at),
    lastUsedAt: date(r.last_used_at),
    expiresAt: date(r.expires_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

export function toSession(r: Selectable<SessionsTable>): Session {
  return {
    id: Number(r.id),
    tokenHash: r.token_hash,
    accountId: Number(r.account_id),
    method: r.method,
    authenticatedAt: date(r.authenticated_at),
    lastSeenAt: date(r.last_seen_at),
    idleExpiresAt: date(r.idle_expires_at),
    absoluteExpiresAt: date(r.absolute_expires_at),
    endedAt: dateOrNull(r.ended_at),
    ip: r.ip,
    userAgent: r.user_agent,
    stepUpAt: dateOrNull(r.step_up_at ?? null),
    recognizedDeviceId: r.recognized_device_id == null ? null : Number(r.recognized_device_id),
  };
}

export function toAudit(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: Number(r.id),
    at: date(r.at),
    type: r.type,
    accountId: r.account_id === null ? null : Number(r.account_id),
    loginId: r.login_id,
    ip: r.ip,
    userAgent: r.user_agent,
    operator: r.operator,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

export function toOutbox(r: Selectable<OutboxTable>): OutboxMail {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    to: r.to_address,
    subject: r.subject,
    text: r.body,
    createdAt: date(r.created_at),
    attempts: r.attempts,
    nextAttemptAt: date(r.next_attempt_at),
    sentAt: dateOrNull(r.sent_at),
    lastError: r.last_error,
  };
}

export function toDevMail(r: Selectable<DevMailboxTable>): DevMail {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    to: r.to_address,
    subject: r.subject,
    text: r.body,
    deliveredAt: date(r.delivered_at),
  };
}
