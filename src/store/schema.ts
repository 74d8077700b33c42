/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (bigint in PostgreSQL,
 * integer in SQLite) so both stores compare and index them the same way; booleans are 0/1.
 */
import type { Generated } from 'kysely';
import type { DeskTables } from './schema-desk';
import type { OidcTables } from './schema-oidc';

export type * from './schema-desk';
export type * from './schema-oidc';

export interface AccountsTable {
  id: Generated<number>;
  login_id: string;
  name: string;
  login_password_hash: string;
  trading_password_hash: string;
  totp_secret_sealed: string | null;
  totp_enabled_at: number | null;
  totp_last_step: number | null;
  trading_password_failures: number;
  trading_password_locked_at: number | null;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
  /** Migration 0016: the optional second identifier, and the desk's must-change flag. */
  birth_date: string | null;
  password_change_required_at: number | null;
}

export interface EmailAddressesTable {
  id: Generated<number>;
  account_id: number;
  slot: number;
  address: string;
  login_notification: number;
  verified_at: number | null;
  created_at: number;
}

export interface LoginFlowsTable {
  id: string;
  account_id: number;
  state: string;
  /** Comma-separated second-step methods still open (migration 0011). */
  methods_open: string;
  method_shown: string | null;
  recognized_device_id: number | null;
  code_hash: string | null;
  code_expires_at: number | null;
  code_sent_at: number | null;
  code_attempts: number;
  code_send_count: number;
  code_email_id: number | null;
  method: string | null;
  ip: string;
  user_agent: string;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
  /** 0015: when the customer was told a second step failed after a right password: once per flow. */
  failure_notified_at: Generated<number | null>;
  /** 0017: JSON of the behaviour signals to tell in the login's notice (domain/login/records.ts LoginRiskNotice). */
  risk_notice: Generated<string | null>;
}

export interface RecognizedDevicesTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  user_agent: string;
  ip: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  account_id: number;
  method: string;
  authenticated_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  ip: string;
  user_agent: string;
  step_up_at: Generated<number | null>;
  /** Copies of the account's, for the session check (migration 0006); null on older sessions. */
  login_id: string | null;
  name: string | null;
  /** The recognised browser the session was made from (migration 0009); 解除 ends it. */
  recognized_device_id: Generated<number | null>;
  /** How the customer got in, comma-separated (migration 0014); null on older sessions. */
  auth_methods: Generated<string | null>;
  /** 1 while the session may only register a passkey (PASSKEY_REQUIRED_FROM; migration 0012). */
  passkey_pending: Generated<number>;
  /** 0023: the customer must change the login password first (the desk's or a signal's flag). */
  password_change_pending: Generated<number>;
  /** 0015: where the session's address is (ISO 3166 code), for the list of sessions; null until known. */
  country: Generated<string | null>;
}

/** Kinds of stored password hash other than the current argon2id, one example each (migration 0009). */
export interface PasswordHashKindsTable {
  kind: string;
  example: string;
  recorded_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  type: string;
  account_id: number | null;
  login_id: string | null;
  ip: string | null;
  user_agent: string | null;
  operator: string | null;
  detail: string;
}

/** Session changes for processes sharing one SQLite file (migration 0007). */
export interface SessionChangesTable {
  id: Generated<number>;
  account_id: number;
  at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  locked_until: number | null;
  sent_at: number | null;
  last_error: string | null;
}

export interface ThrottleTable {
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

export interface DevMailboxTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  body: string;
  delivered_at: number;
}

export interface TotpEnrollmentsTable {
  account_id: number;
  kind: string;
  secret_sealed: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  session_id: number | null;
}

export interface ReauthenticationCodesTable {
  account_id: number;
  session_id: number;
  purpose: string;
  code_hash: string | null;
  attempts: number;
  send_count: number;
  sent_at: number | null;
  created_at: number;
  expires_at: number;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface PasskeysTable {
  id: Generated<number>;
  account_id: number;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string;
  backed_up: number;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  id: string;
  purpose: string;
  account_id: number | null;
  flow_id: string | null;
  challenge: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface AddressChangesTable {
  account_id: number;
  slot: number;
  address: string;
  code_hash: string;
  attempts: number;
  send_count: number;
  sent_at: number;
  created_at: number;
  expires_at: number;
}

/** Migration 0017: the desk's exceptions to ALLOWED_COUNTRIES. */
export interface CountryExceptionsTable {
  account_id: number;
  country: string;
  expires_at: number;
  operator: string;
  reason: string;
  created_at: number;
}

export interface RiskCounterMembersTable {
  source: string;
  window_number: number;
  member: string;
}

export interface RiskCountersTable {
  source: string;
  window_number: number;
  count: number;
}

/** A single-use step-up for the trading service, per session and purpose (migration 0014). */
export interface StepUpGrantsTable {
  session_id: number;
  purpose: string;
  account_id: number;
  intent_hash: string;
  token_hash: string;
  method: string;
  granted_at: number;
  expires_at: number;
  consumed_at: number | null;
}

// Migration 0012: the phishing-resistant migration's exemptions and announcements.
export interface PasskeyExemptionsTable {
  id: Generated<number>;
  account_id: number;
  reason: string;
  operator: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface PasskeyAnnouncementsTable {
  account_id: number;
  sent_at: number;
  addresses: number;
}

/** Migration 0016: forgotten login passwords. */
export interface PasswordResetFlowsTable {
  id: string;
  account_id: number | null;
  login_id: string;
  via: string;
  state: string;
  code_hash: string | null;
  code_attempts: number;
  passkey_at: number | null;
  created_at: number;
  expires_at: number;
}

export interface PasswordResetCodesTable {
  account_id: number;
  code_hash: string;
  delivery: string;
  attempts: number;
  operator: string;
  created_at: number;
  expires_at: number;
}

export interface Database extends DeskTables, OidcTables {
  password_reset_flows: PasswordResetFlowsTable;
  password_reset_codes: PasswordResetCodesTable;
  passkey_exemptions: PasskeyExemptionsTable;
  passkey_announcements: PasskeyAnnouncementsTable;
  address_changes: AddressChangesTable;
  reauthentication_codes: ReauthenticationCodesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  totp_enrollments: TotpEnrollmentsTable;
  recovery_codes: RecoveryCodesTable;
  accounts: AccountsTable;
  email_addresses: EmailAddressesTable;
  login_flows: LoginFlowsTable;
  recognized_devices: RecognizedDevicesTable;
  sessions: SessionsTable;
  password_hash_kinds: PasswordHashKindsTable;
  session_changes: SessionChangesTable;
  audit_events: AuditEventsTable;
  outbox: OutboxTable;
  throttle: ThrottleTable;
  dev_mailbox: DevMailboxTable;
  country_exceptions: CountryExceptionsTable;
  risk_counter_members: RiskCounterMembersTable;
  risk_counters: RiskCountersTable;
  step_up_grants: StepUpGrantsTable;
}


// Migration 0020 (r18-cli): the serving processes' heartbeats, read by `mamori keys rotate`.
export interface ProcessHeartbeatsTable {
  id: string;
  pid: number;
  host: string;
  started_at: number;
  seen_at: number;
  key_ids: string;
}
export interface Database {
  process_heartbeats: ProcessHeartbeatsTable;
}
