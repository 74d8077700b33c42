/**
 * Password rules after NIST SP 800-63B-4 §3.1.1.2: a new login password at least 15 characters
 * (it is single-factor at a login from a recognised browser), a trading password at least 8, long
 * passphrases allowed, no composition rules, no password from a list of commonly used or breached
 * ones; lengths and the list are judged on the NFKC form, which is also what is hashed.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { LOGIN_PASSWORD_MIN, PASSWORD_MAX, PASSWORD_MIN } from '../input-limits';

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_login_id' | 'same_as_login_password';

function basic(typed: string, min: number): PasswordProblem | null {
  const password = typed.normalize('NFKC');
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  // A common password is told as such even where it is also under the login floor: that is the more useful answer.
  if (commonPasswords().has(password.toLowerCase())) return 'common';
  if (length < min) return 'too_short';
  return null;
}

/** The rule's shape for a login password, at a given floor (PASSWORD_MIN unless said). */
export function checkLoginPassword(password: string, loginId: string, min = PASSWORD_MIN): PasswordProblem | null {
  const problem = basic(password, min);
  if (problem) return problem;
  if (loginId && password.normalize('NFKC').toLowerCase() === loginId.toLowerCase()) return 'same_as_login_id';
  return null;
}

/** Every new login password — the brokerage's at creation, the customer's at a change or reset — meets LOGIN_PASSWORD_MIN. */
export function checkNewLoginPassword(password: string, loginId: string): PasswordProblem | null {
  return checkLoginPassword(password, loginId, LOGIN_PASSWORD_MIN);
}

/** The trading password must differ from the login password (docs/requirements.md R-PWD-2): one phished secret is not both. */
export function checkTradingPassword(trading: string, loginPassword: string): PasswordProblem | null {
  const problem = basic(trading, PASSWORD_MIN);
  if (problem) return problem;
  if (loginPassword && trading.normalize('NFKC') === loginPassword.normalize('NFKC')) return 'same_as_login_password';
  return null;
}
