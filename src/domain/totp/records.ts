/** A TOTP key waiting for its first code. Times are Dates here; the store keeps epoch milliseconds. */

export type TotpEnrollmentKind = 'apply' | 'reregister';

/** A TOTP key shown to the customer and waiting for its first code; the account's key is unchanged until then. */
export interface TotpEnrollment {
  accountId: number;
  kind: TotpEnrollmentKind;
  secretSealed: string;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  /** The session that passed the confirmation and alone may see and confirm the key (null: before migration 0010). */
  sessionId?: number | null;
}
