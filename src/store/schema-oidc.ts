/** The OpenID Connect provider's tables (migration 0019, issue 20). Part of `Database` (schema.ts). */

export interface OidcModelsTable {
  kind: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}
export interface OidcClientsTable {
  client_id: string;
  secret_sealed: string | null;
  /** JSON arrays of strings. */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  created_at: number;
}
export interface OidcSigningKeysTable {
  kid: string;
  jwk_sealed: string;
  created_at: number;
  retired_at: number | null;
}
export interface OidcSubjectsTable {
  account_id: number;
  subject: string;
}
export interface OidcSessionLinksTable {
  session_uid: string;
  mamori_session_id: number;
  account_id: number;
  created_at: number;
  logged_out_at: number | null;
}
export interface OidcTables {
  oidc_models: OidcModelsTable;
  oidc_clients: OidcClientsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  oidc_subjects: OidcSubjectsTable;
  oidc_session_links: OidcSessionLinksTable;
}
