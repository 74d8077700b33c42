/**
 * A customer at a glance for the desk (docs/requirements.md R-DESK-4): found by login ID, name or
 * address, then their second factors, addresses (masked for viewers), recognised browsers, live
 * sessions, locks and why, exemptions, last logins, and the audit trail with who did what and why.
 * Read through the desk's one reader of a customer's state (domain/support/customer-state.ts),
 * the one `mamori support show` reads through, itself built on the services the customer's own
 * pages use, so the desk sees what the customer sees.
 */
import type { Account } from '../accounts/records';
import type { DeviceView, HistoryEntry } from '../accounts/security-service';
import { maskAddress } from '../addresses/masking';
import type { AuditEvent } from '../audit';
import { InvalidInput } from '../errors';
import type { ListedExemption } from '../passkey-policy/records';
import type { ListedPasskey } from '../passkeys/passkey-service';
import type { Ports } from '../ports';
import type { SessionView } from '../sessions/customer-sessions';
import type { CustomerFacts, CustomerStateReader } from '../support/customer-state';
import { roleMay, type Operator } from './records';

const QUERY_MAX = 200;

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
    private readonly reader: CustomerStateReader,
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
    const f = await this.reader.read(loginId);
    const { account } = f;
    // A viewer answers questions; the full address is for those who act on it.
    const shown = (a: string) => (roleMay(viewer.role, 'request') ? a : maskAddress(a));
    return {
      account: {
        id: account.id, loginId: account.loginId, name: account.name, createdAt: account.createdAt, totpEnabledAt: account.totpEnabledAt,
        passwordChangeRequiredAt: account.passwordChangeRequiredAt, passwordChangedAt: account.passwordChangedAt,
      },
      passkeys: f.passkeys,
      addresses: f.addresses.map((e) => ({ ...e, address: shown(e.address) })),
      browsers: f.browsers,
      sessions: f.sessions,
      locks: locksOf(f),
      exemptions: f.exemptions,
      logins: f.logins,
      trail: f.trail,
    };
  }
}

/** The locks in force, as the console names them. */
function locksOf(f: CustomerFacts): LockView[] {
  const { now, account } = f;
  const locks: LockView[] = [];
  const hard = f.throttleLocks.account;
  const soft = f.throttleLocks.loginId;
  if (hard?.lockedUntil && hard.lockedUntil > now) locks.push({ kind: 'login_suspended', until: null, failures: hard.failures });
  if (soft?.lockedUntil && soft.lockedUntil > now) locks.push({ kind: 'login', until: soft.lockedUntil, failures: soft.failures });
  if (account.tradingPasswordLockedAt) locks.push({ kind: 'trading_password', until: null, failures: 0 });
  return locks;
}
