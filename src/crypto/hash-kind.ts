/**
 * The kind of a stored password hash: its scheme and cost parameters, without salt or digest.
 * Two hashes of one kind take the same time to verify, so timing one example of each kind tells
 * how long any failed verification must appear to take (hashing/password-hasher.ts).
 */
import { BCRYPT, parsePbkdf2 } from './legacy-hashes';

const ARGON2_PARAMS = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/;

export function passwordHashKind(stored: string): string | null {
  const a = ARGON2_PARAMS.exec(stored);
  if (a) return `${a[1]} v=${a[2]} m=${a[3]} t=${a[4]} p=${a[5]}`;
  if (BCRYPT.test(stored)) return `bcrypt ${stored.slice(1, 3)} cost=${stored.slice(4, 6)}`;
  const p = parsePbkdf2(stored);
  if (p) return `pbkdf2-${p.digest} i=${p.iterations} l=${p.hash.length}`;
  return null;
}
