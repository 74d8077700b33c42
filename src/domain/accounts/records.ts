/** The customer's account as the domain keeps it. Times are Dates here; the store keeps epoch milliseconds. */

export interface Account {
  id: number;
  loginId: string;
  name: string;
  loginPasswordHash: string;
  tradingPasswordHash: string;
  /** TOTP secret sealed with the configured key (AES-256-GCM, key id prefixed); null when not set. */
  totpSecretSealed: string | null;
  totpEnabledAt: Date | null;
  /** Last accepted RFC 6238 time step; a step is accepted once only (NIST SP 800-63B-4 §3.1.4.1). */
  totpLastStep: number | null;
  tradingPasswordFailures: number;
  tradingPasswordLockedAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAccount = Omit<Account, 'id' | 'totpLastStep' | 'tradingPasswordFailures' | 'tradingPasswordLockedAt' | 'updatedAt'>;
