/** A login in progress, and the failure counters that throttle logins. Times are Dates here; the store keeps epoch milliseconds. */

/** A flow waits for one second step (the method shown), then is done, or failed after its last try. */
export type LoginFlowState = 'awaiting_second_step' | 'done' | 'failed';

export interface LoginFlow {
  /** Keyed hash of the opaque flow handle the client holds. */
  id: string;
  accountId: number;
  state: LoginFlowState;
  /** The second-step methods the customer may still use or switch to (a method left is closed). */
  methodsOpen: string[];
  /** The method whose screen the customer is shown now. */
  methodShown: string | null;
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
  /** The behaviour signals that asked for the customer to be told, told with the login's one notice when it completes. */
  riskNotice: LoginRiskNotice | null;
}

/** Why a login looked unusual (risk/signals.ts), and from where: said in that login's notice. */
export interface LoginRiskNotice {
  signals: string[];
  country: string | null;
  network: string | null;
}

export interface ThrottleState {
  key: string;
  failures: number;
  lockedUntil: Date | null;
}
