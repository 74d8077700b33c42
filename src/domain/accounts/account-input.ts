/**
 * Validation of account records as the brokerage supplies them (admin CLI, bulk import).
 * Every problem is reported with the field and a stable reason, never a stack trace.
 */
import { hasControlChars, normalizeInput } from '../../crypto/normalize';
import { CUSTOMER_NAME_MAX, EMAIL_ADDRESS_MAX, EMAIL_ADDRESSES_MAX, EMAIL_LOCAL_PART_MAX, LOGIN_ID_MAX } from '../input-limits';
import { checkNewLoginPassword, checkTradingPassword } from './password-policy';
import { parseBirthDate } from '../recovery/second-identifier';

export interface AccountRecord {
  loginId: string;
  name: string;
  emails: string[];
  loginPassword?: string;
  loginPasswordHash?: string;
  tradingPassword?: string;
  tradingPasswordHash?: string;
  totpSecret?: string;
  /** YYYY-MM-DD, optional: the second identifier where PASSWORD_RESET_IDENTIFIER=birth_date. */
  birthDate?: string;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/** RFC 5321 limits; deliberately simple syntax (one @, no spaces): the real check is the verification mail. */
export function isValidEmail(address: string): boolean {
  return address.length <= EMAIL_ADDRESS_MAX && EMAIL_SYNTAX.test(address) && !address.includes('..');
}

const EMAIL_SYNTAX = new RegExp(`^[^\\s@<>()",;:\\\\[\\]]{1,${EMAIL_LOCAL_PART_MAX}}@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$`);

export const LOGIN_ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._@-]{2,${LOGIN_ID_MAX - 1}}$`);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parseAccountRecord(raw: unknown, isSupportedHash: (h: string) => boolean): { record?: AccountRecord; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems: [{ field: '(record)', reason: 'not_an_object' }] };
  const r = raw as Record<string, unknown>;

  const loginId = normalizeInput(str(r.loginId) ?? '');
  if (!LOGIN_ID_PATTERN.test(loginId)) problems.push({ field: 'loginId', reason: `format (3-${LOGIN_ID_MAX} of A-Z a-z 0-9 . _ @ -)` });

  const name = normalizeInput(str(r.name) ?? '');
  if (!name) problems.push({ field: 'name', reason: 'required' });
  else if (name.length > CUSTOMER_NAME_MAX) problems.push({ field: 'name', reason: 'too_long' });
  else if (hasControlChars(name)) problems.push({ field: 'name', reason: 'control_characters' });

  const emailsRaw = r.emails;
  const emails: string[] = [];
  if (!Array.isArray(emailsRaw) || emailsRaw.length < 1 || emailsRaw.length > EMAIL_ADDRESSES_MAX) {
    problems.push({ field: 'emails', reason: `one to ${EMAIL_ADDRESSES_MAX} addresses` });
  } else {
    emailsRaw.forEach((e, i) => {
      const address = normalizeInput(str(e) ?? '');
      if (!isValidEmail(address)) problems.push({ field: `emails[${i}]`, reason: 'invalid_address' });
      else if (emails.some((x) => x.toLowerCase() === address.toLowerCase())) problems.push({ field: `emails[${i}]`, reason: 'duplicate_address' });
      else emails.push(address);
    });
  }

  const loginPassword = str(r.loginPassword);
  const loginPasswordHash = str(r.loginPasswordHash);
  if ((loginPassword === undefined) === (loginPasswordHash === undefined)) {
    problems.push({ field: 'loginPassword', reason: 'give exactly one of loginPassword or loginPasswordHash' });
  } else if (loginPassword !== undefined) {
    const p = checkNewLoginPassword(loginPassword, loginId);
    if (p) problems.push({ field: 'loginPassword', reason: p });
  } else if (!isSupportedHash(loginPasswordHash as string)) {
    problems.push({ field: 'loginPasswordHash', reason: 'unsupported_hash_format (argon2, bcrypt, PBKDF2 in PHC/modular format)' });
  }

  const tradingPassword = str(r.tradingPassword);
  const tradingPasswordHash = str(r.tradingPasswordHash);
  if ((tradingPassword === undefined) === (tradingPasswordHash === undefined)) {
    problems.push({ field: 'tradingPassword', reason: 'give exactly one of tradingPassword or tradingPasswordHash' });
  } else if (tradingPassword !== undefined) {
    const p = checkTradingPassword(tradingPassword, loginPassword ?? '');
    if (p) problems.push({ field: 'tradingPassword', reason: p });
  } else if (!isSupportedHash(tradingPasswordHash as string)) {
    problems.push({ field: 'tradingPasswordHash', reason: 'unsupported_hash_format' });
  }

  let totpSecret: string | undefined;
  if (r.totpSecret !== undefined && r.totpSecret !== null) {
    totpSecret = (str(r.totpSecret) ?? '').replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
    // At least 80 bits (16 Base32 characters), RFC 4226 §4 asks for 128 and recommends 160.
    if (!/^[A-Z2-7]{16,128}$/.test(totpSecret)) problems.push({ field: 'totpSecret', reason: 'base32, at least 16 characters' });
  }

  let birthDate: string | undefined;
  if (r.birthDate !== undefined && r.birthDate !== null) {
    birthDate = parseBirthDate(str(r.birthDate) ?? '') ?? undefined;
    if (!birthDate) problems.push({ field: 'birthDate', reason: 'a date as YYYY-MM-DD' });
  }

  const known = new Set(['loginId', 'name', 'emails', 'loginPassword', 'loginPasswordHash', 'tradingPassword', 'tradingPasswordHash', 'totpSecret', 'birthDate']);
  for (const k of Object.keys(r)) if (!known.has(k)) problems.push({ field: k, reason: 'unknown_field' });

  if (problems.length) return { problems };
  return { record: { loginId, name, emails, loginPassword, loginPasswordHash, tradingPassword, tradingPasswordHash, totpSecret, birthDate }, problems };
}
