/**
 * `acr` and `amr` of the ID token, from how the Mamori session was authenticated. The relying
 * party asks `acr_values=urn:mamori:acr:phr` before a withdrawal: only a passkey (at login, or a
 * step-up in this session) gives that level; a second step by code gives `mfa`, a password alone `pwd`.
 */
import { authMethodsOf, isPhishingResistant } from '../sessions/auth-methods';
import type { CodeStepUp } from '../step-up/records';

export const ACR_PHISHING_RESISTANT = 'urn:mamori:acr:phr';
export const ACR_MULTI_FACTOR = 'urn:mamori:acr:mfa';
export const ACR_PASSWORD = 'urn:mamori:acr:pwd';
export const ACR_VALUES = [ACR_PHISHING_RESISTANT, ACR_MULTI_FACTOR, ACR_PASSWORD] as const;

/** RFC 8176 names: a passkey is a key held by an authenticator (`hwk`), codes are `otp`. */
const AMR_OF: Record<string, string> = { password: 'pwd', passkey: 'hwk', totp: 'otp', email_code: 'otp', recognized_device: 'swk' };

interface AuthenticatedSession {
  method: string;
  authMethods?: readonly string[] | null;
  stepUpAt: Date | null;
  authenticatedAt: Date;
}

/**
 * The methods of the login, and the code of a later step-up: a fresh second step, so it moves
 * `auth_time` and shows in `amr`, but it is not phishing-resistant and never gives `phr`.
 */
function methodsWith(s: AuthenticatedSession, code: CodeStepUp | null): string[] {
  const methods = authMethodsOf(s);
  if (code && code.at > s.authenticatedAt && !methods.includes(code.method)) methods.push(code.method);
  return methods;
}

export function acrOf(s: AuthenticatedSession, code: CodeStepUp | null = null): string {
  if (isPhishingResistant(s)) return ACR_PHISHING_RESISTANT;
  return methodsWith(s, code).length > 1 ? ACR_MULTI_FACTOR : ACR_PASSWORD;
}

export function amrOf(s: AuthenticatedSession, code: CodeStepUp | null = null): string[] {
  const methods = methodsWith(s, code);
  if (s.stepUpAt && !methods.includes('passkey')) methods.push('passkey');
  const amr = [...new Set(methods.map((m) => AMR_OF[m] ?? m))];
  return amr.length > 1 ? [...amr, 'mfa'] : amr;
}

/** The last time the customer proved themselves in this session: the login, or a later step-up (passkey or code). */
export function authenticatedAt(s: AuthenticatedSession, code: CodeStepUp | null = null): Date {
  const times = [s.authenticatedAt, s.stepUpAt, code?.at].filter((t): t is Date => t instanceof Date);
  return new Date(Math.max(...times.map((t) => t.getTime())));
}
