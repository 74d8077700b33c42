/**
 * `acr` and `amr` of the ID token, from how the Mamori session was authenticated. The relying
 * party asks `acr_values=urn:mamori:acr:phr` before a withdrawal: only a passkey (at login, or a
 * step-up in this session) gives that level; a second step by code gives `mfa`, a password alone `pwd`.
 */
import { authMethodsOf, isPhishingResistant } from '../sessions/auth-methods';

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

export function acrOf(s: AuthenticatedSession): string {
  if (isPhishingResistant(s)) return ACR_PHISHING_RESISTANT;
  return authMethodsOf(s).length > 1 ? ACR_MULTI_FACTOR : ACR_PASSWORD;
}

export function amrOf(s: AuthenticatedSession): string[] {
  const methods = authMethodsOf(s);
  if (s.stepUpAt && !methods.includes('passkey')) methods.push('passkey');
  const amr = [...new Set(methods.map((m) => AMR_OF[m] ?? m))];
  return amr.length > 1 ? [...amr, 'mfa'] : amr;
}

/** The last time the customer proved themselves in this session: the login, or a later passkey step-up. */
export function authenticatedAt(s: AuthenticatedSession): Date {
  return s.stepUpAt && s.stepUpAt > s.authenticatedAt ? s.stepUpAt : s.authenticatedAt;
}
