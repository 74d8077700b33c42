/** What the addresses domain needs from storage (implemented in src/store/repositories/). */
import type { AddressChange, EmailAddress } from './records';

export interface EmailRepo {
  insert(email: Omit<EmailAddress, 'id'>): Promise<EmailAddress>;
  listForAccount(accountId: number): Promise<EmailAddress[]>;
  /** Verified addresses equal to `address` without regard to case, of any account (ログインIDをお忘れの方). */
  listVerifiedByAddress(address: string): Promise<EmailAddress[]>;
  /** Puts a verified address into a slot, replacing what was there (the slot's notification setting is kept). */
  putVerified(accountId: number, slot: number, address: string, at: Date): Promise<void>;
  setLoginNotification(accountId: number, slot: number, on: boolean): Promise<boolean>;
  deleteSlot(accountId: number, slot: number): Promise<boolean>;
}

export interface AddressChangeRepo {
  /** One pending change per slot: a new request replaces an unfinished one. */
  put(c: AddressChange): Promise<void>;
  find(accountId: number, slot: number): Promise<AddressChange | undefined>;
  listForAccount(accountId: number): Promise<AddressChange[]>;
  /** Takes one attempt before the code is compared: its number, or null when all are taken. */
  reserveAttempt(accountId: number, slot: number, maxAttempts: number): Promise<number | null>;
  replaceCode(accountId: number, slot: number, codeHash: string, sentAt: Date): Promise<void>;
  /** Conditional delete: true only for the first caller holding this code (single use under races). */
  take(accountId: number, slot: number, codeHash: string): Promise<boolean>;
  delete(accountId: number, slot: number): Promise<void>;
}
