/** An ES256 key pair for signing ID tokens, as a private JWK (what oidc-provider's keystore takes). */
import { generateKeyPairSync } from 'node:crypto';

export function newSigningJwk(kid: string): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}
