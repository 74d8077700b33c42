import { hkdfSync } from 'node:crypto';

/** One master key, independent subkeys per purpose (HKDF, RFC 5869): no key is used for two jobs. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `mamori:${purpose}`, 32));
}
