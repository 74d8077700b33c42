import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (TOTP keys, OpenID Connect client secrets and signing keys; the
 * columns are listed in store/sealed-columns.ts). Format `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url). The key id names the key, so keys can be rotated (`mamori keys rotate`); it is also
 * bound as associated data, so a sealed value cannot be relabelled to another key.
 */
export interface RotatingSecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  keyIdOf(sealed: string): string;
  needsReseal(sealed: string): boolean;
}

export function createSecretBox(keys: { id: string; key: Buffer }[], currentKeyId: string): RotatingSecretBox {
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const current = byId.get(currentKeyId);
  if (!current) throw new Error('current key missing from the key ring');
  const keyIdOf = (sealed: string) => sealed.split('.')[1] ?? '';
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(`v1.${currentKeyId}`));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', currentKeyId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [v, keyId, iv, ct, tag] = sealed.split('.');
      const key = keyId ? byId.get(keyId) : undefined;
      if (v !== 'v1' || !key || !iv || ct === undefined || !tag) throw new Error('secret_unreadable');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(`v1.${keyId}`));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('secret_unreadable');
      }
    },
    keyIdOf,
    needsReseal: (sealed) => keyIdOf(sealed) !== currentKeyId,
  };
}
