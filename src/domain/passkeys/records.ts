/** Registered passkeys and the WebAuthn challenges they answer. Times are Dates here; the store keeps epoch milliseconds. */

export interface Passkey {
  id: number;
  accountId: number;
  /** base64url credential id, as the authenticator reports it. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type ChallengePurpose = 'register' | 'login' | 'second_factor' | 'step_up' | 'password_reset' | 'desk_enrol' | 'desk_login';

export interface WebauthnChallenge {
  /** Keyed hash of the handle the client holds. */
  id: string;
  purpose: ChallengePurpose;
  accountId: number | null;
  /** The login flow a second-factor challenge belongs to. */
  flowId: string | null;
  challenge: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}
