/**
 * A customer at a glance for the desk (docs/requirements.md R-DESK-4): found by login ID, name or
 * address, then their second factors, addresses (masked for viewers), recognised browsers, live
 * sessions, locks and why, exemptions, last logins, and the audit trail with who did what and why.
 * Read through the services the customer's own pages use, so the desk sees what the customer sees.
 */
import type { Account } from '../accounts/records';
import type { DeviceView, HistoryEntry, SecurityService } from '../accounts/security-service';
import { maskAddress } from '../addresses/masking';
import type { AuditEvent } from '../audit';
import { DomainError, InvalidInput } from '../errors';
import { accountKey, loginIdKey } from '../login/throttle';
import type { ListedExemption } from '../passkey-policy/records';
import type { PasskeyExemptionService } from '../passkey-policy/exemption-service';
import type { ListedPasskey, PasskeyService } from '../passkeys/passkey-service';
import type { Ports } from '../ports';
import type { CustomerSessions, SessionView } from '../sessions/customer-sessions';
import type { Operator } from './records';

const QUERY_MAX = 200;
const TRAIL_SIZE = 100;

export interface LockView {
  kind: 'login' | 'login_suspended' | 'trading_password';
  until: Date | null;
  failures: number;
}

export interface CustomerView {
  account: Pick<Account, 'id' | 'loginId' | 'name' | 'createdAt' | 'totpEnabledAt' | 'passwordChangeRequiredAt' | 'passwordChangedAt'>;
  passkeys: ListedPasskey[];
  addresses: { slot: number; address: string; verified: boolean; loginNotification: boolean }[];
  browsers: DeviceView[];
  sessions: SessionView[];
  locks: LockView[];
  exemptions: ListedExemption[];
  logins: HistoryEntry[];
  trail: AuditEvent[];
}

export class CustomerLookup {
  constructor(
    private readonly ports: Ports,
    private readonly services: { passkeys: PasskeyService; security: SecurityService; customerSessions: CustomerSessions; passkeyExemptions: PasskeyExemptionService },
  ) {}

  /** Customers matching a login ID, part of a name, or an address (at most 20). */
  async search(raw: unknown): Promise<Pick<Account, 'loginId' | 'name'>[]> {
    const q = typeof raw === 'string' ? raw.trim() : '';
    if (!q) throw new InvalidInput('q', 'required');
    if (q.length > QUERY_MAX) throw new InvalidInput('q', 'too_long');
    const ids = await this.ports.store.desk.searchAccounts(q, 20);
    const found = await Promise.all(ids.map((id) => this.ports.store.accounts.findById(id)));
    return found.filter((a): a is Account => Boolean(a)).map((a) => ({ loginId: a.loginId, name: a.name }));
  }

  async view(loginId: string, viewer: Operator): Promise<CustomerView> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const now = clock.now();
    const s = this.services;
    const emails = await store.emails.listForAccount(account.id);
    // A viewer answers questions; the full address is for those who act on it.
    const shown = (a: string) => (viewer.role === 'viewer' ? maskAddress(a) : a);
    return {
      account: {
        id: account.id, loginId: account.loginId, name: account.name, createdAt: account.createdAt, totpEnabledAt: account.totpEnabledAt,
        passwordChangeRequiredAt: account.passwordChangeRequiredAt, passwordChangedAt: account.passwordChangedAt,
      },
      passkeys: await s.passkeys.list(account),
      addresses: emails.map((e) => ({ slot: e.slot, address: shown(e.address), verified: Boolean(e.verifiedAt), loginNotification: e.loginNotification })),
      browsers: await s.security.devices(account, null),
      sessions: await s.customerSessions.list(account, 0),
      locks: await this.locks(account, now),
      exemptions: await s.passkeyExemptions.list({ loginId: account.loginId, all: true }),
      logins: await s.security.loginHistory(account),
      trail: await store.audit.listForAccount(account.id, TRAIL_SIZE),
    };
  }

  private async locks(account: Account, now: Date): Promise<LockView[]> {
    const locks: LockView[] = [];
    const hard = await this.ports.store.throttle.get(accountKey(account.loginId));
    const soft = await this.ports.store.throttle.get(loginIdKey(account.loginId));
    if (hard?.lockedUntil && hard.lockedUntil > now) locks.push({ kind: 'login_suspended', until: null, failures: hard.failures });
    if (soft?.lockedUntil && soft.lockedUntil > now) locks.push({ kind: 'login', until: soft.lockedUntil, failures: soft.failures });
    if (account.tradingPasswordLockedAt) locks.push({ kind: 'trading_password', until: null, failures: 0 });
    return locks;
  }
}
