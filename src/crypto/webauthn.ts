/**
 * WebAuthn ceremonies through @simplewebauthn/server (W3C WebAuthn Level 3). Passkeys are
 * phishing-resistant because the browser binds every assertion to our origin and RP ID, which we
 * verify here; user verification is required so a passkey counts as multi-factor on its own
 * (NIST SP 800-63B-4 §3.1.7, the FSA/JSDA 2025 guidance).
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';

export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
  /**
   * Every origin an answer may carry: PUBLIC_URL's, then the app's (WEBAUTHN_ORIGINS: an https
   * origin, or `android:apk-key-hash:…` for an Android app). Absent: `origin` alone.
   */
  origins?: string[];
}

/** The origins the client data may name: any other (a phishing site's) is refused. */
const expectedOrigins = (rp: RelyingParty): string[] => (rp.origins?.length ? rp.origins : [rp.origin]);

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

/** Our challenges are random bytes kept as base64url; the options carry the same base64url string. */
function challengeBytes(challenge: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(challenge, 'base64url'));
}

export async function registrationOptions(
  rp: RelyingParty,
  user: { handle: Uint8Array; loginId: string; displayName: string },
  exclude: { id: string; transports: string[] }[],
  challenge: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new Uint8Array(user.handle),
    userName: user.loginId,
    userDisplayName: user.displayName,
    challenge: challengeBytes(challenge),
    attestationType: 'none',
    timeout: 120_000,
    excludeCredentials: exclude.map((c) => ({ id: c.id, transports: c.transports as never })),
    // A discoverable credential (passkey) so the customer can log in without typing the ID.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export interface VerifiedRegistration {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  backedUp: boolean;
}

export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, expectedChallenge: string): Promise<VerifiedRegistration | null> {
  const r = await verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin: expectedOrigins(rp),
    expectedRPID: rp.id,
    requireUserVerification: true,
  });
  if (!r.verified) return null;
  const c = r.registrationInfo.credential;
  return {
    credentialId: c.id,
    publicKey: Buffer.from(c.publicKey).toString('base64url'),
    counter: c.counter,
    transports: c.transports ?? response.response.transports ?? [],
    backedUp: r.registrationInfo.credentialBackedUp,
  };
}

export async function authenticationOptions(rp: RelyingParty, allow: { id: string; transports: string[] }[], challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    challenge: challengeBytes(challenge),
    timeout: 120_000,
    userVerification: 'required',
    allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports as never })),
  });
}

export async function verifyAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: { id: string; publicKey: string; counter: number; transports: string[] },
): Promise<{ newCounter: number } | null> {
  const r = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: expectedOrigins(rp),
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: { id: credential.id, publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')), counter: credential.counter, transports: credential.transports as never },
  });
  return r.verified ? { newCounter: r.authenticationInfo.newCounter } : null;
}
