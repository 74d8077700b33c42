/** The support desk's operators, their passkeys and sessions, and four-eyes requests. Dates here; the store keeps epoch ms. */

export const OPERATOR_ROLES = ['viewer', 'operator', 'supervisor'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export interface Operator {
  id: number;
  name: string;
  role: OperatorRole;
  disabledAt: Date | null;
  createdAt: Date;
  createdBy: string;
}

export interface OperatorPasskey {
  id: number;
  operatorId: number;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface OperatorEnrolment {
  tokenHash: string;
  operatorId: number;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface OperatorSession {
  tokenHash: string;
  operatorId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

/**
 * What the console can do to a customer. The first four remove a factor or let someone in, so a
 * supervisor other than the requester approves them before they take effect (four-eyes).
 */
export const DESK_ACTIONS = [
  'totp_reset',
  'passkeys_reset',
  'password_reset_code',
  'exemption_grant',
  'login_unlock',
  'trading_password_unlock',
  'sessions_end',
  'password_change_required',
] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];
export const FOUR_EYES_ACTIONS: ReadonlySet<DeskAction> = new Set(['totp_reset', 'passkeys_reset', 'password_reset_code', 'exemption_grant']);

/** How the operator checked that the caller is the customer. */
export const IDENTITY_METHODS = ['callback_registered_phone', 'branch_visit', 'video_call', 'other'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export type DeskRequestState = 'pending' | 'done' | 'rejected' | 'failed';

export interface DeskRequest {
  id: number;
  accountId: number;
  action: DeskAction;
  params: Record<string, string>;
  reason: string;
  identityMethod: IdentityMethod;
  identityNote: string;
  requestedBy: number;
  requestedAt: Date;
  state: DeskRequestState;
  decidedBy: number | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

/** A request as lists show it: with the names of the customer and the operators. */
export interface ListedDeskRequest extends DeskRequest {
  loginId: string;
  requestedByName: string;
  decidedByName: string | null;
}
