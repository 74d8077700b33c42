/**
 * The second identifier a forgotten-password reset asks for beside the login ID, as the brokerage
 * configures it (PASSWORD_RESET_IDENTIFIER): a registered (verified) e-mail address, or the birth
 * date the brokerage holds. Neither is a secret; it only keeps a stranger who knows a login ID
 * from having codes mailed to its customer at will. Parsed the same way for every ID, matching or not.
 */
import { hasControlChars, normalizeInput } from '../../crypto/normalize';
import { isValidEmail } from '../accounts/account-input';
import type { Account } from '../accounts/records';
import type { EmailAddress } from '../addresses/records';
import { InvalidInput } from '../errors';
import { EMAIL_ADDRESS_MAX } from '../input-limits';

export type SecondIdentifierKind = 'email' | 'birth_date';

/** 1980-01-02, 1980/01/02, 19800102 or 1980年1月2日, full-width digits too: YYYY-MM-DD of a real day, or null. */
export function parseBirthDate(raw: string): string | null {
  const v = normalizeInput(raw);
  const m = /^(\d{4})[-/年.]?(\d{1,2})[-/月.]?(\d{1,2})日?$/.exec(v);
  if (!m || (v.length === 8 && !/^\d{8}$/.test(v))) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A typed e-mail address, NFKC and trimmed; `invalid_input` on `field` when it is none. */
export function parseEmail(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || !raw.trim()) throw new InvalidInput(field, 'required');
  if (raw.length > EMAIL_ADDRESS_MAX * 2) throw new InvalidInput(field, 'too_long');
  const v = normalizeInput(raw);
  if (hasControlChars(v) || !isValidEmail(v)) throw new InvalidInput(field, 'format');
  return v;
}

export function parseSecondIdentifier(kind: SecondIdentifierKind, raw: unknown): string {
  if (kind === 'email') return parseEmail(raw, 'email');
  if (typeof raw !== 'string' || !raw.trim()) throw new InvalidInput('birthDate', 'required');
  const v = raw.length <= 32 ? parseBirthDate(raw) : null;
  if (!v) throw new InvalidInput('birthDate', 'format');
  return v;
}

/** Addresses compare without case (a customer types MAIL@… for mail@…); only verified ones count. */
export function isVerifiedAddressOf(address: string, emails: readonly EmailAddress[]): boolean {
  const wanted = address.toLowerCase();
  return emails.some((e) => e.verifiedAt && e.address.toLowerCase() === wanted);
}

export function matchesSecondIdentifier(kind: SecondIdentifierKind, value: string, account: Account, emails: readonly EmailAddress[]): boolean {
  return kind === 'email' ? isVerifiedAddressOf(value, emails) : account.birthDate === value;
}
