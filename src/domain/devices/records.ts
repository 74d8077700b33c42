/** A browser the customer has told us to recognise. Times are Dates here; the store keeps epoch milliseconds. */

export interface RecognizedDevice {
  id: number;
  accountId: number;
  tokenHash: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}
