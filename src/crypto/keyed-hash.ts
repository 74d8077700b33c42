import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './derive-key';

/**
 * HMAC-SHA256 for tokens and codes at rest (The Copenhagen Book; docs/requirements.md R-SECRET-1,
 * R-CODE-1): a copy of the database alone cannot turn a stored hash back into a usable code — a
 * 6-digit code would fall to a plain hash in a million tries. A subkey per purpose keeps a
 * session hash from ever matching a device or CSRF hash.
 */
export function createKeyedHasher(masterKey: Buffer) {
  const keys = new Map<string, Buffer>();
  const keyFor = (purpose: string) => {
    let k = keys.get(purpose);
    if (!k) {
      k = deriveKey(masterKey, `hmac:${purpose}`);
      keys.set(purpose, k);
    }
    return k;
  };
  const hash = (purpose: string, value: string) => createHmac('sha256', keyFor(purpose)).update(value, 'utf8').digest('base64url');
  return {
    hash,
    equals(purpose: string, value: string, storedHash: string): boolean {
      const a = Buffer.from(hash(purpose, value));
      const b = Buffer.from(storedHash);
      // Constant time: the comparison leaks nothing of how many characters matched.
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
