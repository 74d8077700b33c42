import type { RandomSource } from './random';

/** 256 bits by default: far beyond guessing (ASVS 3.2.2 asks for at least 128). */
export function newToken(random: RandomSource, bytes = 32): string {
  return random.bytes(bytes).toString('base64url');
}

/** A uniform numeric code; randomInt avoids the modulo bias of bytes % 10. Leading zeros kept. */
export function newNumericCode(random: RandomSource, digits = 6): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += String(random.int(10));
  return out;
}
