/**
 * How the customer got into a session, as the session check answers it to the trading service
 * (`authMethods`, `phishingResistant`): a passkey — at login or in a step-up of this session — is
 * the phishing-resistant factor the 2025 FSA/JSDA guideline asks for; codes and passwords are not.
 */

/** What a login by `method` proved: the password and the second step, or a passkey alone (passwordless). */
export function authMethodsFor(method: string, passwordless = false): string[] {
  if (passwordless) return ['passkey'];
  return method === 'password' ? ['password'] : ['password', method];
}

/** The session's own record, else (a session made before migration 0014) what its method says. */
export function authMethodsOf(s: { method: string; authMethods?: readonly string[] | null }): string[] {
  return s.authMethods?.length ? [...s.authMethods] : authMethodsFor(s.method);
}

export function isPhishingResistant(s: { method: string; authMethods?: readonly string[] | null; stepUpAt: Date | null }): boolean {
  return s.stepUpAt !== null || authMethodsOf(s).includes('passkey');
}
