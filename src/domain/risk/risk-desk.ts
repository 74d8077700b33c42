/**
 * What the support desk sees and does about behaviour signals: an account's recent decisions
 * (signals, response, country, network) and the exceptions to ALLOWED_COUNTRIES it grants a
 * customer going abroad. Served by the support API (web/api/support-api.ts) and the CLI; every grant is audited
 * with the operator and reason.
 */
import { recordAudit } from '../audit';
import { shownIp } from '../client-address';
import { DomainError, InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { NetworkLookup } from './network';
import type { CountryException } from './repository';

export interface RiskDecisionView {
  at: Date;
  ip: string;
  country: string | null;
  asn: number | null;
  network: string | null;
  signals: string[];
  action: string;
}

const DECISIONS_SHOWN = 50;
const MAX_EXCEPTION_DAYS = 366;

export class RiskDesk {
  constructor(
    private readonly ports: Ports,
    private readonly lookup: NetworkLookup,
  ) {}

  /** The account's recent `login.risk` decisions, newest first. */
  async decisions(loginId: string): Promise<RiskDecisionView[]> {
    const account = await this.account(loginId);
    const events = await this.ports.store.audit.listForAccount(account.id, DECISIONS_SHOWN, ['login.risk']);
    return events.map((e) => ({
      at: e.at,
      ip: shownIp(e.ip) ?? '',
      country: typeof e.detail.country === 'string' ? e.detail.country : null,
      asn: typeof e.detail.asn === 'number' ? e.detail.asn : null,
      network: typeof e.detail.network === 'string' ? e.detail.network : null,
      signals: Array.isArray(e.detail.signals) ? e.detail.signals.map(String) : [],
      action: String(e.detail.action ?? ''),
    }));
  }

  /** Where an address is, as the signals see it (the desk on the phone with a customer abroad). */
  where(ip: string) {
    return this.lookup.lookup(ip);
  }

  async exceptions(loginId: string): Promise<CountryException[]> {
    return this.ports.store.countryExceptions.listForAccount((await this.account(loginId)).id);
  }

  /** Lets one account log in from `country` for `days` despite ALLOWED_COUNTRIES. */
  async allowCountry(loginId: string, input: { country: unknown; days: unknown }, operator: string, reason: string): Promise<CountryException> {
    const country = typeof input.country === 'string' && /^[A-Za-z]{2}$/.test(input.country.trim()) ? input.country.trim().toUpperCase() : null;
    if (!country) throw new InvalidInput('country', 'format');
    const days = Number(input.days);
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXCEPTION_DAYS) throw new InvalidInput('days', 'range');
    if (!reason.trim()) throw new InvalidInput('reason', 'required');
    const account = await this.account(loginId);
    const now = this.ports.clock.now();
    const exception = { country, expiresAt: new Date(now.getTime() + days * 86_400_000), operator, reason, createdAt: now };
    await this.ports.store.transaction(async (tx) => {
      await tx.countryExceptions.put(account.id, exception);
      await recordAudit(tx, now, 'risk.country_exception', { accountId: account.id, loginId: account.loginId, operator, detail: { country, until: exception.expiresAt.toISOString(), reason } });
    });
    return exception;
  }

  async removeCountryException(loginId: string, country: string, operator: string, reason: string): Promise<void> {
    const account = await this.account(loginId);
    const code = country.trim().toUpperCase();
    const now = this.ports.clock.now();
    await this.ports.store.transaction(async (tx) => {
      if (!(await tx.countryExceptions.remove(account.id, code))) throw new DomainError('not_found', { field: 'country' });
      await recordAudit(tx, now, 'risk.country_exception', { accountId: account.id, loginId: account.loginId, operator, detail: { country: code, removed: true, reason } });
    });
  }

  private async account(loginId: string): Promise<Account> {
    const account = await this.ports.store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    return account;
  }
}
