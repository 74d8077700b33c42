/**
 * The support desk's tables (migrations 0018 and 0021): operators, their passkeys, enrolment
 * links, sessions and support-API keys, and the four-eyes requests. Part of `Database` (schema.ts).
 */
import type { Generated } from 'kysely';

export interface OperatorsTable {
  id: Generated<number>;
  name: string;
  role: string;
  disabled_at: number | null;
  created_at: number;
  created_by: string;
}
export interface OperatorPasskeysTable {
  id: Generated<number>;
  operator_id: number;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  created_at: number;
  last_used_at: number | null;
}
export interface OperatorEnrolmentsTable {
  token_hash: string;
  operator_id: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
export interface OperatorSessionsTable {
  token_hash: string;
  operator_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ended_at: number | null;
}
export interface DeskRequestsTable {
  id: Generated<number>;
  account_id: number;
  action: string;
  params: string;
  reason: string;
  identity_method: string;
  identity_note: string;
  requested_by: number;
  requested_at: number;
  state: string;
  decided_by: number | null;
  decided_at: number | null;
  decision_reason: string | null;
  /** 0021: `console` or `api`, and the key of an API request. */
  channel: Generated<string>;
  api_key_id: number | null;
}
export interface DeskTables {
  operators: OperatorsTable;
  operator_passkeys: OperatorPasskeysTable;
  operator_enrolments: OperatorEnrolmentsTable;
  operator_sessions: OperatorSessionsTable;
  desk_requests: DeskRequestsTable;
  operator_api_keys: OperatorApiKeysTable;
}
export interface OperatorApiKeysTable {
  id: Generated<number>;
  public_id: string;
  operator_id: number;
  label: string;
  key_hash: string;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  last_used_at: number | null;
}
