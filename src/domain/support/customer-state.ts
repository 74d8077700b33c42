/**
 * A customer's whole state as the support desk reads it before acting: how they log in, their
 * addresses, browsers, live sessions, locks, exemptions, last logins and what was last done to the
 * account and by whom. The one reader of it: the console's lookup (domain/desk/customer-view.ts)
 * and `mamori support show` both read through `read`, each then keeping what it shows. Read only;
 * nothing here is audited or mailed.
 */
import type { Account } from '../accounts/records';
import type { DeviceView, HistoryEntry, SecurityService } from '../accounts/security-service';
import type { AuditEvent } from '../audit';
import { DomainError } from '../errors';
import type { LoginThrottle } from '../login/throttle';
import type { ListedExemption } from '../passkey-policy/records';
import type { PasskeyExemptionService } from '../passkey-policy/exemption-service';
import type { ListedPasskey, PasskeyService } from '../passkeys/passkey-service';
import type { Clock, Store } from '../ports';
import type { CustomerSessions, SessionView } from '../sessions/customer-sessions';

/** The key a sealed secret names (`v1.<keyId>.…`, crypto/secret-box.ts): which key the desk needs after a rotation. */
const keyIdOf = (sealed: string) => sealed.split('.')[1] ?? null;

/** A lock that blocks no login forever is kept with this far-future end (throttle.ts). */
const SUSPENDED_AFTER = Date.UTC(9000, 0, 1);

/** How many audit events the console's trail shows. */
const TRAIL_SIZE = 100;

type ThrottleLocks = Awaited<ReturnType<LoginThrottle['locksOf']>>;

/** Everything the desk reads about a customer, read once. */
export interface CustomerFacts {
  account: Account;
  now: Date;
  passkeys: ListedPasskey[];
  addresses: { slot: number; address: string; verified: boolean; loginNotification: boolean }[];
  browsers: DeviceView[];
  sessions: SessionView[];
  throttleLocks: ThrottleLocks;
  /** Every exemption, newest first, revoked and expired ones too. */
  exemptions: ListedExemption[];
  /** ログイン履歴 as the customer sees it, with the behaviour signals. */
  logins: HistoryEntry[];
  lastSuccessfulLogins: AuditEvent[];
  /** The account's audit trail, newest first. */
  trail: AuditEvent[];
}

/** What `mamori support show` prints (and --json gives). */
export interface CustomerState {
  loginId: string;
  name: string;
  createdAt: Date;
  passwordChangedAt: Date;
  passwordChangeRequired: boolean;
  tradingPasswordLockedAt: Date | null;
  totp: { enabledAt: Date | null; keyId: string | null };
  passkeys: { name: string; createdAt: Date; lastUsedAt: Date | null; coolingOffUntil: Date | null }[];
  addresses: { slot: number; address: string; verified: boolean; loginNotification: boolean }[];
  browsers: { userAgent: string; lastUsedAt: Date; expiresAt: Date }[];
  sessions: { method: string; authenticatedAt: Date; lastSeenAt: Date; ip: string; userAgent: string }[];
  locks: { kind: 'login_id' | 'account'; failures: number; until: Date | null; suspended: boolean }[];
  exemption: { until: Date; operator: string; reason: string } | null;
  lastLogins: AuditEvent[];
  recentEvents: AuditEvent[];
}

/** Whether a throttle lock is the suspension only the desk lifts (no end). */
export const isSuspension = (lockedUntil: Date | null | undefined) => Boolean(lockedUntil && lockedUntil.getTime() >= SUSPENDED_AFTER);

export class CustomerStateReader {
  constructor(
    private readonly ports: { store: Store; clock: Clock },
    private readonly deps: { throttle: LoginThrottle; passkeys: PasskeyService; security: SecurityService; customerSessions: CustomerSessions; passkeyExemptions: PasskeyExemptionService },
  ) {}

  async read(loginId: string, o: { logins?: number; events?: number } = {}): Promise<CustomerFacts> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    const d = this.deps;
    const [passkeys, emails, browsers, sessions, throttleLocks, exemptions, logins, lastSuccessfulLogins, trail] = await Promise.all([
      d.passkeys.list(account),
      store.emails.listForAccount(account.id),
      d.security.devices(account, null),
      d.customerSessions.list(account, 0),
      d.throttle.locksOf(account.loginId),
      d.passkeyExemptions.list({ loginId: account.loginId, all: true }),
      d.security.loginHistory(account),
      store.audit.listForAccount(account.id, o.logins ?? 5, ['login.succeeded']),
      store.audit.listForAccount(account.id, Math.max(TRAIL_SIZE, o.events ?? 0)),
    ]);
    const addresses = emails.map((e) => ({ slot: e.slot, address: e.address, verified: e.verifiedAt !== null, loginNotification: e.loginNotification }));
    return { account, now, passkeys, addresses, browsers, sessions, throttleLocks, exemptions, logins, lastSuccessfulLogins, trail };
  }

  /** `mamori support show`: the facts in the command's words. */
  async show(loginId: string, o: { events?: number; logins?: number } = {}): Promise<CustomerState> {
    const f = await this.read(loginId, o);
    const { account, now } = f;
    const lockOf = (kind: 'login_id' | 'account', s: ThrottleLocks['account']) =>
      s && (s.failures > 0 || s.lockedUntil) ? [{ kind, failures: s.failures, until: s.lockedUntil && s.lockedUntil > now ? s.lockedUntil : null, suspended: isSuspension(s.lockedUntil) }] : [];
    const active = f.exemptions.find((e) => !e.revokedAt && e.expiresAt > now);
    return {
      loginId: account.loginId,
      name: account.name,
      createdAt: account.createdAt,
      passwordChangedAt: account.passwordChangedAt,
      passwordChangeRequired: account.passwordChangeRequiredAt !== null,
      tradingPasswordLockedAt: account.tradingPasswordLockedAt,
      totp: { enabledAt: account.totpEnabledAt, keyId: account.totpSecretSealed ? keyIdOf(account.totpSecretSealed) : null },
      passkeys: f.passkeys.map((p) => ({ name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, coolingOffUntil: p.newUntil })),
      addresses: f.addresses,
      browsers: f.browsers.map((b) => ({ userAgent: b.userAgent, lastUsedAt: b.lastUsedAt, expiresAt: b.expiresAt })),
      sessions: f.sessions.map((s) => ({ method: s.method, authenticatedAt: s.startedAt, lastSeenAt: s.lastSeenAt, ip: s.ip, userAgent: s.userAgent })),
      locks: [...lockOf('login_id', f.throttleLocks.loginId), ...lockOf('account', f.throttleLocks.account)],
      exemption: active ? { until: active.expiresAt, operator: active.operator, reason: active.reason } : null,
      lastLogins: f.lastSuccessfulLogins,
      recentEvents: f.trail.slice(0, o.events ?? 10),
    };
  }
}
