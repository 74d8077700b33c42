/**
 * RFC 6238 TOTP through the maintained `otpauth` library: SHA-1, 6 digits, 30-second steps — what
 * Google Authenticator and the notice's screens use. We return the matched time step so the
 * caller can accept each step once only (NIST SP 800-63B-4).
 */
import { Secret, TOTP } from 'otpauth';
import type { RandomSource } from './random';

const PERIOD = 30;
const DIGITS = 6;

function totp(secretBase32: string, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** 160 bits, the length RFC 4226 §4 recommends, as Base32 without padding. */
export function generateTotpSecret(random: RandomSource): string {
  return new Secret({ buffer: new Uint8Array(random.bytes(20)).buffer }).base32;
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / PERIOD);
}

export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/** The RFC 6238 time step the code belongs to (within ±window steps of `at`), or null. */
export function verifyTotp(secretBase32: string, code: string, at: Date, window = 1): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: at.getTime(), window });
  return delta === null ? null : totpStep(at) + delta;
}

export function totpUri(p: { issuer: string; account: string; secret: string }): string {
  return totp(p.secret, p.issuer, p.account).toString();
}

/** `ABCD EFGH …`: the notice's 「コードを表示」 shows the key for typing by hand. */
export function groupBase32(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
