/** Confirmation codes that guard changes to how the customer logs in. Times are Dates here; the store keeps epoch milliseconds. */

/** What a confirmation code may confirm: every change to how the customer logs in. */
export type ReauthenticationPurpose =
  | 'totp_apply'
  | 'totp_reregister'
  | 'totp_stop'
  | 'recovery_codes'
  | 'passkey_register'
  | 'passkey_delete'
  | 'address_change'
  | 'address_remove'
  // Critical changes that are not a login factor but must not rest on the trading password alone.
  | 'address_add'
  | 'login_password_change'
  | 'trading_password_change'
  | 'login_notification'
  // A step-up for the trading service by a customer without a passkey (domain/step-up/).
  | 'withdrawal'
  | 'withdrawal_account_change';

export interface ReauthenticationKey {
  accountId: number;
  sessionId: number;
  purpose: ReauthenticationPurpose;
}

/** A confirmation code mailed for one purpose in one session (or, with no code, a TOTP customer's wrong-try count). */
export interface ReauthenticationCode extends ReauthenticationKey {
  codeHash: string | null;
  attempts: number;
  sendCount: number;
  sentAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}
