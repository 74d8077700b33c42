/** What the passkeys domain needs from storage (implemented in src/store/repositories/). */
import type { Passkey, WebauthnChallenge } from './records';

export interface PasskeyRepo {
  insert(p: Omit<Passkey, 'id'>): Promise<Passkey>;
  listForAccount(accountId: number): Promise<Passkey[]>;
  findByCredentialId(credentialId: string): Promise<Passkey | undefined>;
  /** Conditional update: the new counter must exceed the stored one (or both be 0: authenticators without counters). */
  recordUse(id: number, newCounter: number, at: Date): Promise<boolean>;
  rename(accountId: number, id: number, name: string): Promise<boolean>;
  delete(accountId: number, id: number): Promise<boolean>;
  /** Conditional delete: only while the passkey is still new (created after `createdAfter`), whatever races it. */
  deleteIfCreatedAfter(accountId: number, id: number, createdAfter: Date): Promise<boolean>;
}

export interface ChallengeRepo {
  insert(c: WebauthnChallenge): Promise<void>;
  find(id: string): Promise<WebauthnChallenge | undefined>;
  /** Conditional update: a challenge is used once, whatever races it. */
  consume(id: string, at: Date): Promise<boolean>;
}
