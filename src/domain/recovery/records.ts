/** What a forgotten-password reset keeps (migration 0016). Times are Dates here; the store keeps epoch milliseconds. */

/**
 * `awaiting_code` → (`awaiting_passkey`) → `awaiting_password` → `done`; `failed` after the last
 * wrong code. A flow whose login ID or second identifier matched nothing has no account and never
 * leaves `awaiting_code`, yet answers exactly like one that did.
 */
export type ResetState = 'awaiting_code' | 'awaiting_passkey' | 'awaiting_password' | 'done' | 'failed';

/** How the flow began: a code mailed from the forgotten-password page, or the desk's reset code. */
export type ResetVia = 'mail' | 'desk';

export interface PasswordResetFlow {
  /** Keyed hash of the handle the browser or app holds. */
  id: string;
  accountId: number | null;
  /** As typed (normalised), so the throttle counts unknown IDs like real ones. */
  loginId: string;
  via: ResetVia;
  state: ResetState;
  codeHash: string | null;
  codeAttempts: number;
  /** When a passkey assertion was made in this flow (the phishing-resistant policy). */
  passkeyAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}

export type DeskCodeDelivery = 'post' | 'mail';

/** A reset code the support desk issued; one per account, a new one replaces it. */
export interface DeskResetCode {
  accountId: number;
  codeHash: string;
  delivery: DeskCodeDelivery;
  attempts: number;
  operator: string;
  createdAt: Date;
  expiresAt: Date;
}
