/** The support desk's exemptions from the passkey requirement, as kept (times are Dates here; the store keeps epoch ms). */

export interface PasskeyExemption {
  id: number;
  accountId: number;
  reason: string;
  operator: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** An exemption as the desk lists it: with the customer's login ID. */
export interface ListedExemption extends PasskeyExemption {
  loginId: string;
}

/** A customer the announcement mail is for. */
export interface AnnouncementTarget {
  accountId: number;
  loginId: string;
  name: string;
}
