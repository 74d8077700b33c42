/**
 * Recovery codes (beyond the notice; NIST SP 800-63B-4 look-up secrets): ten single-use codes,
 * shown once, stored as keyed hashes bound to the account. 10 Base32 characters = 50 bits each,
 * far above the 20 bits of a 6-digit code, and the login flow still limits tries.
 */
import type { KeyedHasher, Random } from '../ports';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no I, O, 0, 1: nothing to misread on paper

export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCode(random: Random): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[random.int(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Case, spaces and hyphens do not matter when typing it back. */
export function canonicalRecoveryCode(typed: string): string | null {
  const c = typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z2-9]{10}$/.test(c) ? c : null;
}

export function recoveryCodeHash(keyed: KeyedHasher, accountId: number, canonical: string): string {
  return keyed.hash('recovery-code', `${accountId}:${canonical}`);
}
