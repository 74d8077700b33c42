/** Step-up grants for the trading service. Times are Dates here; the store keeps epoch milliseconds. */

/** What the trading service may ask a step-up for: the moments the 2025 JSDA guideline names. */
export const STEP_UP_PURPOSES = ['withdrawal', 'withdrawal_account_change'] as const;
export type StepUpPurpose = (typeof STEP_UP_PURPOSES)[number];

/** How the customer proved themself: a passkey, or (customers without one) TOTP or a mailed code. */
export type StepUpMethod = 'passkey' | 'totp' | 'email_code';

/** A step-up by code (a customer without a passkey): when, and which code. */
export interface CodeStepUp {
  method: Exclude<StepUpMethod, 'passkey'>;
  at: Date;
}

export interface StepUpGrant {
  sessionId: number;
  accountId: number;
  purpose: StepUpPurpose;
  /** Keyed hash of session, purpose and intent: the intent itself is never stored. */
  intentHash: string;
  /** The keyed hash of the session token the step-up issued: only that token spends the grant. */
  tokenHash: string;
  method: StepUpMethod;
  grantedAt: Date;
  expiresAt: Date;
}
