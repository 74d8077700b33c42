/**
 * Accounts are created by the brokerage, never by self-registration (docs/requirements.md R-ACCT-1): one at a time
 * (admin CLI / API) or in bulk when migrating existing customers, keeping their existing hashes.
 */
import { maskAddress } from '../addresses/masking';
import { recordAudit } from '../audit';
import { DomainError } from '../errors';
import type { Ports } from '../ports';
import type { Account } from './records';
import { parseAccountRecord, type AccountRecord, type FieldProblem } from './account-input';

export interface ImportResult {
  index: number;
  loginId: string | null;
  status: 'created' | 'exists' | 'invalid';
  problems: FieldProblem[];
}

/** What the top page and 登録情報照会 show of an account, read once. */
export interface AccountOverview {
  /** メールアドレス1 (代表), masked; null when the slot is empty. */
  representativeMasked: string | null;
  totpEnabled: boolean;
  /** A verified address receives ログイン通知. */
  loginNotificationOn: boolean;
  passkeyCount: number;
}

export class AccountService {
  constructor(private readonly ports: Ports) {}

  /** The account behind a session; null when it is gone. */
  async find(accountId: number): Promise<Account | null> {
    return (await this.ports.store.accounts.findById(accountId)) ?? null;
  }

  async overview(account: Account): Promise<AccountOverview> {
    const { store } = this.ports;
    const [emails, passkeys] = await Promise.all([store.emails.listForAccount(account.id), store.passkeys.listForAccount(account.id)]);
    const representative = emails.find((e) => e.slot === 1);
    return {
      representativeMasked: representative ? maskAddress(representative.address) : null,
      totpEnabled: Boolean(account.totpEnabledAt),
      loginNotificationOn: emails.some((e) => e.loginNotification && e.verifiedAt),
      passkeyCount: passkeys.length,
    };
  }

  async create(raw: unknown, operator: string): Promise<Account> {
    const { record, problems } = parseAccountRecord(raw, (h) => this.ports.passwords.isSupportedHash(h));
    if (!record) throw new DomainError('invalid_input', { field: problems[0]?.field ?? '', reason: problems.map((p) => `${p.field}: ${p.reason}`).join('; ') });
    if (await this.ports.store.accounts.findByLoginId(record.loginId)) throw new DomainError('conflict', { field: 'loginId' });
    return this.insert(record, operator);
  }

  /** Re-running an import does not duplicate: existing login IDs are reported and left alone. */
  async import(records: unknown[], operator: string): Promise<ImportResult[]> {
    const results: ImportResult[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of records.entries()) {
      const { record, problems } = parseAccountRecord(raw, (h) => this.ports.passwords.isSupportedHash(h));
      if (!record) {
        const loginId = typeof (raw as { loginId?: unknown })?.loginId === 'string' ? String((raw as { loginId: string }).loginId).slice(0, 64) : null;
        results.push({ index, loginId, status: 'invalid', problems });
        continue;
      }
      if (seen.has(record.loginId) || (await this.ports.store.accounts.findByLoginId(record.loginId))) {
        results.push({ index, loginId: record.loginId, status: 'exists', problems: [] });
        continue;
      }
      seen.add(record.loginId);
      await this.insert(record, operator);
      results.push({ index, loginId: record.loginId, status: 'created', problems: [] });
    }
    return results;
  }

  private async insert(record: AccountRecord, operator: string): Promise<Account> {
    const { store, clock, passwords, secrets } = this.ports;
    const loginPasswordHash = record.loginPasswordHash ?? (await passwords.hash(record.loginPassword as string));
    const tradingPasswordHash = record.tradingPasswordHash ?? (await passwords.hash(record.tradingPassword as string));
    const now = clock.now();
    const imported = [record.loginPasswordHash, record.tradingPasswordHash].filter((h): h is string => Boolean(h));
    const created = await store.transaction(async (tx) => {
      // Every process learns the kinds of imported hashes, to time failures like the slowest (hashing/password-hasher.ts).
      for (const h of imported) {
        const kind = passwords.kindOf(h);
        if (kind) await tx.passwordHashKinds.record(kind, h, now);
      }
      const account = await tx.accounts.insert({
        loginId: record.loginId,
        name: record.name,
        loginPasswordHash,
        tradingPasswordHash,
        totpSecretSealed: record.totpSecret ? secrets.seal(record.totpSecret) : null,
        totpEnabledAt: record.totpSecret ? now : null,
        passwordChangedAt: now,
        createdAt: now,
        birthDate: record.birthDate ?? null,
      });
      // Addresses the brokerage already holds are taken as verified; new ones are proven by mail.
      for (const [i, address] of record.emails.entries()) {
        await tx.emails.insert({ accountId: account.id, slot: i + 1, address, loginNotification: false, verifiedAt: now, createdAt: now });
      }
      await recordAudit(tx, now, 'account.created', { accountId: account.id, loginId: account.loginId, operator, detail: { totp: Boolean(record.totpSecret) } });
      return account;
    });
    // This process at once; the others at their next refresh of the recorded kinds.
    for (const h of imported) await passwords.learn(h);
    return created;
  }

  /**
   * New login and trading passwords set by an operator tool that prints them once (the embedded
   * demo account's `mamori demo reset`): hashed, the trading-password lock lifted, every session
   * ended, audited with the operator, in one transaction. Never a path for customers' accounts,
   * whose passwords only the customer sets.
   */
  async replacePasswords(loginId: string, passwords: { loginPassword: string; tradingPassword: string }, operator: string): Promise<void> {
    const { store, clock } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const [loginHash, tradingHash] = await Promise.all([this.ports.passwords.hash(passwords.loginPassword), this.ports.passwords.hash(passwords.tradingPassword)]);
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.accounts.updateLoginPasswordHash(account.id, loginHash, now);
      await tx.accounts.updateTradingPasswordHash(account.id, tradingHash, now);
      await tx.accounts.unlockTradingPassword(account.id);
      await tx.sessions.endAllForAccount(account.id, now);
      await tx.sessions.announceChange(account.id);
      await recordAudit(tx, now, 'account.passwords_replaced', { accountId: account.id, loginId, operator });
    });
  }
}
