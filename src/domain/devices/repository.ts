/** What the devices domain needs from storage (implemented in src/store/repositories/). */
import type { RecognizedDevice } from './records';

export interface DeviceRepo {
  insert(device: Omit<RecognizedDevice, 'id'>): Promise<RecognizedDevice>;
  findByTokenHash(tokenHash: string): Promise<RecognizedDevice | undefined>;
  touch(id: number, lastUsedAt: Date, expiresAt: Date): Promise<void>;
  revokeAllForAccount(accountId: number, at: Date, exceptId?: number): Promise<void>;
  /** Revokes one of the account's own devices; false when it is not theirs or already revoked. */
  revokeForAccount(accountId: number, id: number, at: Date): Promise<boolean>;
  listForAccount(accountId: number): Promise<RecognizedDevice[]>;
}
