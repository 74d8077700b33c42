/** A signed-in session, and the part of it that a session check answers with. Times are Dates here; the store keeps epoch milliseconds. */

export interface Session {
  id: number;
  tokenHash: string;
  accountId: number;
  method: string;
  authenticatedAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  ip: string;
  userAgent: string;
  /** Last fresh passkey assertion in this session (step-up), if any. */
  stepUpAt: Date | null;
  /** The recognised browser the session was made from; 解除 of that browser ends the session. */
  recognizedDeviceId?: number | null;
  /** How the customer got in (auth-methods.ts); absent on sessions made before migration 0014. */
  authMethods?: string[] | null;
  /** From PASSKEY_REQUIRED_FROM: the session may only register a passkey (set at login, cleared when one is registered). */
  passkeyPending?: boolean;
  /** The customer must change the login password first (the desk's or a behaviour signal's flag): the trading service is refused until then. */
  passwordChangePending?: boolean;
  /** Where the session's address is (ISO 3166 code), once the behaviour signals say; null until then. */
  country?: string | null;
}

export interface SessionWithAccount extends Session {
  loginId: string;
  name: string;
}

/**
 * What a session check answers with, and all that its cache keeps: the request context and the
 * trading service's answer need no more (the token hash, address and browser stay in the
 * database; at 09:00 the cache holds tens of thousands of these).
 */
export type ActiveSession = Pick<
  SessionWithAccount,
  'id' | 'accountId' | 'loginId' | 'name' | 'method' | 'authenticatedAt' | 'lastSeenAt' | 'idleExpiresAt' | 'absoluteExpiresAt' | 'stepUpAt' | 'passkeyPending' | 'passwordChangePending' | 'authMethods'
>;

/** Every field of an ActiveSession, so that a field added there is compared too (the compiler asks for it here). */
const ACTIVE_FIELDS = {
  id: true,
  accountId: true,
  loginId: true,
  name: true,
  method: true,
  authenticatedAt: true,
  lastSeenAt: true,
  idleExpiresAt: true,
  absoluteExpiresAt: true,
  stepUpAt: true,
  passkeyPending: true,
  passwordChangePending: true,
  authMethods: true,
} satisfies Record<keyof ActiveSession, true>;
const activeFields = Object.keys(ACTIVE_FIELDS) as (keyof ActiveSession)[];

/** Do two checks of a session answer alike (times by their instant, methods by their list)? */
export function sameActiveSession(a: ActiveSession, b: ActiveSession): boolean {
  return activeFields.every((f) => sameValue(a[f], b[f]));
}

function sameValue(x: unknown, y: unknown): boolean {
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}
