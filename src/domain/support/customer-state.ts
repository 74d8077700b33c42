/**
 * A customer's whole state as the support desk reads it before acting (`mamori support show`):
 * how they log in, their addresses, browsers, live sessions, locks, exemption, last logins and
 * what was last done to the account and by whom. Read only; nothing here is audited or mailed.
 */
import type { AuditEvent } from '../audit';
import { DomainError } from '../errors';
import type { LoginThrottle } from '../login/throttle';
import { coolingOffUntil } from '../passkeys/cooling-off';
import type { Clock, Store } from '../ports';

/** The key a sealed secret names (`v1.<keyId>.…`, crypto/secret-box.ts): which key the desk needs after a rotation. */
const keyIdOf = (sealed: string) => sealed.split('.')[1] ?? null;

/** A lock that blocks no login forever is kept with this far-future end (throttle.ts). */
const SUSPENDED_AFTER = Date.UTC(9000, 0, 1);

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

export class CustomerStateReader {
  constructor(
    private readonly ports: { store: Store; clock: Clock },
    private readonly deps: { throttle: LoginThrottle; coolingOffHours: number },
  ) {}

  async show(loginId: string, o: { events?: number; logins?: number } = {}): Promise<CustomerState> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    const [passkeys, emails, devices, sessions, locks, exemption, lastLogins, recentEvents] = await Promise.all([
      store.passkeys.listForAccount(account.id),
      store.emails.listForAccount(account.id),
      store.devices.listForAccount(account.id),
      store.sessions.listLiveForAccount(account.id, now),
      this.deps.throttle.locksOf(account.loginId),
      store.passkeyExemptions.findActive(account.id, now),
      store.audit.listForAccount(account.id, o.logins ?? 5, ['login.succeeded']),
      store.audit.listForAccount(account.id, o.events ?? 10),
    ]);
    const lockOf = (kind: 'login_id' | 'account', s: typeof locks.account) =>
      s && (s.failures > 0 || s.lockedUntil) ? [{ kind, failures: s.failures, until: s.lockedUntil && s.lockedUntil > now ? s.lockedUntil : null, suspended: Boolean(s.lockedUntil && s.lockedUntil.getTime() >= SUSPENDED_AFTER) }] : [];
    return {
      loginId: account.loginId,
      name: account.name,
      createdAt: account.createdAt,
      passwordChangedAt: account.passwordChangedAt,
      passwordChangeRequired: account.passwordChangeRequiredAt !== null,
      tradingPasswordLockedAt: account.tradingPasswordLockedAt,
      totp: { enabledAt: account.totpEnabledAt, keyId: account.totpSecretSealed ? keyIdOf(account.totpSecretSealed) : null },
      passkeys: passkeys.map((p) => {
        const until = coolingOffUntil(p.createdAt, this.deps.coolingOffHours);
        return { name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, coolingOffUntil: until > now ? until : null };
      }),
      addresses: emails.map((e) => ({ slot: e.slot, address: e.address, verified: e.verifiedAt !== null, loginNotification: e.loginNotification })),
      browsers: devices.filter((d) => !d.revokedAt && d.expiresAt > now).map((d) => ({ userAgent: d.userAgent, lastUsedAt: d.lastUsedAt, expiresAt: d.expiresAt })),
      sessions: sessions.map((s) => ({ method: s.method, authenticatedAt: s.authenticatedAt, lastSeenAt: s.lastSeenAt, ip: s.ip, userAgent: s.userAgent })),
      locks: [...lockOf('login_id', locks.loginId), ...lockOf('account', locks.account)],
      exemption: exemption ? { until: exemption.expiresAt, operator: exemption.operator, reason: exemption.reason } : null,
      lastLogins,
      recentEvents,
    };
  }
}
