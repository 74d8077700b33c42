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
  tradingPasswordLockedAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  /** YYYY-MM-DD when the brokerage supplied it: the second identifier of a forgotten-password reset, where configured. */
  birthDate: string | null;
  /** Set by the support desk: after login, the customer is kept on the password change until it is done. */
  passwordChangeRequiredAt: Date | null;
}

export type NewAccount = Omit<Account, 'id' | 'tradingPasswordLockedAt' | 'passwordChangeRequiredAt' | 'birthDate'> & { birthDate?: string | null };
