/**
 * Password rules after NIST SP 800-63B §3.1.1.2: at least 8 characters, long passphrases allowed,
 * no composition rules, and no password from a list of commonly used or breached ones.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX, PASSWORD_MIN } from '../input-limits';

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_login_id' | 'same_as_login_password';

function basic(password: string): PasswordProblem | null {
  const length = Array.from(password.normalize('NFKC')).length;
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  if (commonPasswords().has(password.toLowerCase())) return 'common';
  return null;
}

export function checkLoginPassword(password: string, loginId: string): PasswordProblem | null {
  const problem = basic(password);
  if (problem) return problem;
  if (loginId && password.toLowerCase() === loginId.toLowerCase()) return 'same_as_login_id';
  return null;
}

/** The trading password must differ from the login password (docs/requirements.md R-PWD-2): one phished secret is not both. */
export function checkTradingPassword(trading: string, loginPassword: string): PasswordProblem | null {
  const problem = basic(trading);
  if (problem) return problem;
  if (loginPassword && trading === loginPassword) return 'same_as_login_password';
  return null;
}
