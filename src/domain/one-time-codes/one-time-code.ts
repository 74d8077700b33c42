/**
 * One rule for every one-time code a customer types: the e-mailed login code, an address's
 * confirmation code, the code confirming a change to how they log in, and a TOTP app's code.
 * How it is read (a Japanese IME types full-width digits, people group digits with spaces or
 * hyphens), how it is bound to what it was issued for, how its tries are counted and what a
 * wrong one answers. Where a code is stored and which row holds its tries stays with its owner:
 * each owner reserves a try with a conditional update before comparing and spends the code with
 * another (single use), and this module judges the outcome the same way for all of them.
 */
import { normalizeCode } from '../../crypto/normalize';
import { newNumericCode } from '../../crypto/tokens';
import { DomainError, InvalidInput, type ErrorCode } from '../errors';
import type { KeyedHasher, Random } from '../ports';
import { ONE_TIME_CODE_INPUT_MAX } from '../input-limits';

const CODE_DIGITS = 6;
const SIX_DIGITS = /^\d{6}$/;
/** Longer input is no code at all; the bound keeps normalisation cheap. */
const MAX_TYPED = ONE_TIME_CODE_INPUT_MAX;

/** Whether nothing was typed, answered `required` rather than `format` (each screen says which). */
export type Missing = (raw: unknown) => boolean;
export const nothingTyped: Missing = (raw) => raw === undefined || raw === null || raw === '';
export const notText: Missing = (raw) => typeof raw !== 'string';
const never: Missing = () => false;

/** The six digits of a typed code, or `invalid_input` on `field`. */
export function parseCode(raw: unknown, field: string, missing: Missing = never): string {
  if (missing(raw)) throw new InvalidInput(field, 'required');
  if (typeof raw !== 'string' || raw.length > MAX_TYPED) throw new InvalidInput(field, 'format');
  const code = normalizeCode(raw);
  if (!SIX_DIGITS.test(code)) throw new InvalidInput(field, 'format');
  return code;
}

/**
 * A code's keyed hash names what it was issued for (the purpose, and the subject: a login flow;
 * an account, slot and address; an account, session and purpose), so a code mailed for one thing
 * never completes another, and a copy of the table cannot be turned back into codes.
 */
export class CodeBinding {
  constructor(
    private readonly keyed: KeyedHasher,
    private readonly purpose: string,
    private readonly subject: readonly (string | number)[],
  ) {}

  hash(code: string): string {
    return this.keyed.hash(this.purpose, this.input(code));
  }

  matches(code: string, storedHash: string): boolean {
    return this.keyed.equals(this.purpose, this.input(code), storedHash);
  }

  /** A fresh code to mail and the hash to store for it. */
  issue(random: Random): { code: string; hash: string } {
    const code = newNumericCode(random, CODE_DIGITS);
    return { code, hash: this.hash(code) };
  }

  private input(code: string): string {
    return [...this.subject, code].join(':');
  }
}

/** Throws `code_expired` once the code's time is over. */
export function assertUnexpired(expiresAt: Date | null, now: Date, details: Record<string, string | number> = {}): void {
  if (!expiresAt || expiresAt <= now) throw new DomainError('code_expired', details);
}

/** No try could be reserved: all are spent (or taken by checks still running, which the caller tells apart). */
export function attemptsExhausted(details: Record<string, string | number> = {}): DomainError {
  return new DomainError('code_attempts_exceeded', details);
}

/**
 * The answer to a wrong code on the `used`-th of `maxAttempts` tries: how many remain, or
 * `code_attempts_exceeded` when none does. `cap` lowers the remaining count (another limit runs
 * out first); `ended` says another limit already ended the tries.
 */
export function wrongCode(
  kind: Extract<ErrorCode, 'code_invalid' | 'totp_invalid'>,
  maxAttempts: number,
  used: number,
  o: { details?: Record<string, string | number>; cap?: number | null; ended?: boolean } = {},
): DomainError {
  if (used >= maxAttempts || o.ended) return attemptsExhausted(o.details);
  return new DomainError(kind, { ...o.details, remaining: Math.min(maxAttempts - used, o.cap ?? maxAttempts) });
}

/**
 * Judges one try: `reserve` takes it by a conditional update (its number, or null when none is
 * left), `check` compares (null for a wrong code), `onWrong` records the failure (audit, closing
 * the row after the last try) before the answer is thrown.
 */
export async function judgeTry<T>(o: {
  maxAttempts: number;
  reserve: () => Promise<number | null>;
  check: () => Promise<T | null> | T | null;
  onWrong: (used: number) => Promise<void>;
  wrong: Extract<ErrorCode, 'code_invalid' | 'totp_invalid'>;
  details?: Record<string, string | number>;
}): Promise<T> {
  const used = await o.reserve();
  if (used === null) throw attemptsExhausted(o.details);
  const result = await o.check();
  if (result !== null) return result;
  await o.onWrong(used);
  throw wrongCode(o.wrong, o.maxAttempts, used, { details: o.details });
}

/** Single use: the conditional update that spends a code found it already spent. */
export function assertSpent(taken: boolean, error: () => DomainError): void {
  if (!taken) throw error();
}
