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
 * What the desk can do to a customer, from the console or the support API. Those in
 * FOUR_EYES_ACTIONS remove a factor the customer relies on or let someone in, so a supervisor
 * other than the requester approves them before they take effect (four-eyes). Cancelling a passkey
 * still in its cooling-off period is not among them: it removes what an intruder may just have
 * added, and waiting would help the intruder. A country exception relaxes a risk rule but
 * replaces no factor (password and second step are still asked), so it takes effect at once.
 */
export const DESK_ACTIONS = [
  'totp_reset',
  'passkeys_reset',
  'passkey_remove',
  'password_reset_code',
  'exemption_grant',
  'login_unlock',
  'trading_password_unlock',
  'sessions_end',
  'password_change_required',
  'passkeys_cancel_new',
  'exemption_revoke',
  'country_exception_grant',
  'country_exception_remove',
] as const;
export type DeskAction = (typeof DESK_ACTIONS)[number];
export const FOUR_EYES_ACTIONS: ReadonlySet<DeskAction> = new Set(['totp_reset', 'passkeys_reset', 'passkey_remove', 'password_reset_code', 'exemption_grant']);
/**
 * The actions the console's form offers (the rest are the support API's, with parameters the form
 * does not ask). The console removes one chosen passkey, never all at once: a customer who lost one
 * phone keeps the passkeys of their other devices.
 */
export const CONSOLE_ACTIONS: readonly DeskAction[] = [
  'totp_reset', 'passkey_remove', 'password_reset_code', 'exemption_grant', 'login_unlock', 'trading_password_unlock', 'sessions_end', 'password_change_required',
];

/**
 * The one rule of who may do what, for the console and the support API alike: every role reads;
 * operators and supervisors ask for actions; supervisors alone decide, never on their own request
 * (that last part is checked against the request, in DeskActions and in the store's update).
 */
export type DeskPermission = 'read' | 'request' | 'decide';
export function roleMay(role: OperatorRole, what: DeskPermission): boolean {
  if (what === 'read') return true;
  if (what === 'request') return role === 'operator' || role === 'supervisor';
  return role === 'supervisor';
}

/** Where a request was made: the console, or the support API with one of the operator's keys. */
export type DeskChannel = { kind: 'console' } | { kind: 'api'; keyId: number };

/** A support-API key of an operator: only its public id and keyed hash are kept. */
export interface OperatorApiKey {
  id: number;
  publicId: string;
  operatorId: number;
  label: string;
  keyHash: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

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
  channel: 'console' | 'api';
  apiKeyId: number | null;
}

/** A request as lists show it: with the names of the customer and the operators. */
export interface ListedDeskRequest extends DeskRequest {
  loginId: string;
  requestedByName: string;
  decidedByName: string | null;
}
