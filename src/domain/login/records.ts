/** A login in progress, and the failure counters that throttle logins. Times are Dates here; the store keeps epoch milliseconds. */

export type LoginFlowState = 'awaiting_code' | 'awaiting_totp' | 'awaiting_passkey' | 'done' | 'failed';

export interface LoginFlow {
  /** Keyed hash of the opaque flow handle the client holds. */
  id: string;
  accountId: number;
  state: LoginFlowState;
  recognizedDeviceId: number | null;
  codeHash: string | null;
  codeExpiresAt: Date | null;
  codeSentAt: Date | null;
  codeAttempts: number;
  codeSendCount: number;
  /** The address id the code went to. */
  codeEmailId: number | null;
  method: string | null;
  ip: string;
  userAgent: string;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export interface ThrottleState {
  key: string;
  failures: number;
  lockedUntil: Date | null;
}
