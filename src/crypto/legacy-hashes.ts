/**
 * Verification of the hashes a brokerage brings from its old system (docs/requirements.md R-ACCT-2): bcrypt and
 * PBKDF2 in passlib's modular format or the PHC string format. They are only verified, never
 * produced: a successful login replaces them with argon2id. Parsed here; checked on the hashing
 * threads (hashing/hash-worker.mjs), like argon2id, never on the event loop.
 */
const DIGESTS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

export const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const PASSLIB_PBKDF2 = /^\$pbkdf2(?:-(sha1|sha256|sha512))?\$(\d+)\$([./A-Za-z0-9]+)\$([./A-Za-z0-9]+)$/;
const PHC_PBKDF2 = /^\$pbkdf2-(sha1|sha256|sha512)\$i=(\d+)(?:,l=(\d+))?\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** passlib's "adapted base64": '.' instead of '+', no padding. */
const ab64 = (s: string) => Buffer.from(s.replace(/\./g, '+'), 'base64');
const b64 = (s: string) => Buffer.from(s, 'base64');

interface Pbkdf2Params {
  digest: string;
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

export function parsePbkdf2(stored: string): Pbkdf2Params | null {
  let m = PHC_PBKDF2.exec(stored);
  if (m) return { digest: DIGESTS[m[1]!]!, iterations: Number(m[2]), salt: b64(m[4]!), hash: b64(m[5]!) };
  m = PASSLIB_PBKDF2.exec(stored);
  if (m) return { digest: DIGESTS[m[1] ?? 'sha1']!, iterations: Number(m[2]), salt: ab64(m[3]!), hash: ab64(m[4]!) };
  return null;
}

export function isLegacyHash(stored: string): boolean {
  if (BCRYPT.test(stored)) return true;
  const p = parsePbkdf2(stored);
  return Boolean(p && p.iterations >= 1 && p.iterations <= 10_000_000 && p.hash.length >= 16);
}

/** What a hashing thread needs to verify a legacy hash (plain data: it crosses to a worker). */
export type LegacyJob =
  | { scheme: 'bcrypt'; stored: string }
  | { scheme: 'pbkdf2'; digest: string; iterations: number; salt: string; hash: string };

export function legacyJob(stored: string): LegacyJob | null {
  if (BCRYPT.test(stored)) return { scheme: 'bcrypt', stored };
  const p = parsePbkdf2(stored);
  if (!p || !isLegacyHash(stored)) return null;
  return { scheme: 'pbkdf2', digest: p.digest, iterations: p.iterations, salt: p.salt.toString('base64'), hash: p.hash.toString('base64') };
}
