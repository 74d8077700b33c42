/** What the phishing-resistant migration needs from storage (implemented in src/store/repositories/passkey-policy.ts). */
import type { AnnouncementTarget, ListedExemption, PasskeyExemption } from './records';

export interface PasskeyExemptionRepo {
  insert(e: Pick<PasskeyExemption, 'accountId' | 'reason' | 'operator' | 'createdAt' | 'expiresAt'>): Promise<PasskeyExemption>;
  /** The exemption in force at `now` (not revoked, not expired), if any. */
  findActive(accountId: number, now: Date): Promise<PasskeyExemption | undefined>;
  /** Revokes whatever is in force; returns how many were. */
  revokeActive(accountId: number, now: Date, by: string, reason: string): Promise<number>;
  /** Newest first; with `activeAt`, only those in force then. */
  list(o: { accountId?: number; activeAt?: Date; limit: number }): Promise<ListedExemption[]>;
}

export interface PasskeyAnnouncementRepo {
  /** Customers with an id above `afterId`, no passkey and no announcement yet, in id order. */
  pendingBatch(afterId: number, limit: number): Promise<AnnouncementTarget[]>;
  /** Records the mail as sent; false when another run recorded it first (nothing to send then). */
  record(accountId: number, at: Date, addresses: number): Promise<boolean>;
}
