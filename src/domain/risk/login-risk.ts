/**
 * The behaviour signals of a login, judged where the login decides its second step
 * (password-step.ts): before the password, ALLOWED_COUNTRIES and a stuffing source set to
 * `refuse` (both about the address, not the account, so refusing there tells a guesser nothing
 * about the password); after a right password, every signal and the decision. Every decision with
 * a signal is one `login.risk` audit event (ログイン履歴, the desk, /metrics).
 */
import { recordAudit } from '../audit';
import type { SessionService } from '../sessions/session-service';
import type { Brand } from '../context';
import { DomainError } from '../errors';
import type { LoginContext } from '../login/login-types';
import { queueToVerified } from '../notifications/outbox';
import { riskNoticeMail } from '../notifications/risk-messages';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { LoginRiskNotice } from '../login/records';
import { failuresSinceLastSuccess } from '../login/login-notices';
import type { NetworkFacts, NetworkLookup } from './network';
import { countryRefused, decide, detectSignals, type PastLogin, type RiskDecision, type RiskRules } from './signals';
import { StuffingCounter } from './stuffing-counter';

/** Successful logins read for the baseline; older ones add little to "has this country been used". */
const PAST_LOGINS_READ = 100;

/** What a login goes on with after its signals. */
export interface RiskOutcome extends RiskDecision {
  here: NetworkFacts;
  /** What the login's one notice must tell (login/login-notices.ts), when a signal asks for it. */
  notice: LoginRiskNotice | null;
}

export class LoginRisk {
  private readonly stuffing: StuffingCounter;

  constructor(private readonly deps: { ports: Ports; brand: Brand; sessions: SessionService; lookup: NetworkLookup; rules: RiskRules; windowMinutes: number }) {
    this.stuffing = new StuffingCounter(deps.ports, deps.rules, deps.windowMinutes);
  }

  where(ip: string): NetworkFacts {
    return this.deps.lookup.lookup(ip);
  }

  /** Before the password is checked: refusals that depend on the address alone (and the account's exceptions). */
  async screen(account: Account | undefined, loginId: string, ctx: LoginContext): Promise<void> {
    const { rules, ports, brand } = this.deps;
    const here = this.where(ctx.ip);
    if (rules.allowedCountries && here.country && !rules.allowedCountries.includes(here.country)) {
      const exceptions = account ? await ports.store.countryExceptions.liveCountries(account.id, ports.clock.now()) : [];
      if (countryRefused(here, rules, exceptions)) {
        await this.record(account ?? null, loginId, ctx, here, { signals: ['country_not_allowed'], action: 'refuse', notify: false });
        throw new DomainError('login_refused', { reason: 'country', phone: brand.supportPhone });
      }
    }
    const refusedSource = await this.stuffing.refusedSource(ctx.ip, here);
    if (refusedSource) {
      await this.record(account ?? null, loginId, ctx, here, { signals: [refusedSource.signal], action: 'refuse', notify: false });
      throw new DomainError('too_many_requests', { retryAfter: refusedSource.retryAfter });
    }
  }

  /** A wrong password or an unknown login ID: one more distinct login ID for its address and network. */
  async countFailure(loginId: string, ctx: LoginContext): Promise<void> {
    await this.stuffing.countFailure(loginId, ctx, this.where(ctx.ip));
  }

  /**
   * The password was right: the signals, the decision (recorded when any signal was raised), and
   * the customer's mail when a signal asks for one. `refuse` throws; anything else is the caller's
   * to apply (the second step, the passkey).
   */
  async assess(account: Account, ctx: LoginContext, hasPasskey: boolean): Promise<RiskOutcome> {
    const { ports, rules, brand } = this.deps;
    const now = ports.clock.now();
    const here = this.where(ctx.ip);
    const [past, failuresSinceSuccess, stuffing] = await Promise.all([this.pastLogins(account.id), this.failuresSinceSuccess(account.id), this.stuffing.counts(ctx.ip, here)]);
    const decision = decide(detectSignals({ now, here, past, failuresSinceSuccess, stuffing }, rules), rules);
    if (decision.signals.length === 0) return { ...decision, here, notice: null };
    // Without a passkey the phishing-resistant step cannot be asked: the second step the customer has is.
    const action = decision.action === 'passkey' && !hasPasskey ? 'step_up' : decision.action;
    const hold = decision.changePassword && action !== 'refuse';
    const apply = () => ports.store.transaction(async (tx) => {
      await this.record(account, account.loginId, ctx, here, { ...decision, action }, tx);
      // The password was right but may be someone else's now: whoever completes this login (and
      // any later one) changes it first. Set before the second step, so a login the customer
      // abandons, or a guesser who stops at the code, leaves the flag for the customer's next login.
      if (hold) {
        await tx.accounts.setPasswordChangeRequired(account.id, now);
        // The customer's sessions already live change it first too, the trading service's included.
        await this.deps.sessions.holdForPasswordChange(tx, account.id);
        await recordAudit(tx, now, 'password.change_required', { accountId: account.id, loginId: account.loginId, ctx, detail: { signals: decision.signals, by: 'risk' } });
      }
      // A refused login has no notice of its own to join: it is told now.
      if (decision.notify && action === 'refuse') {
        const mail = riskNoticeMail(brand, { name: account.name, at: now, ip: ctx.ip, country: here.country, network: here.network, signals: decision.signals });
        await queueToVerified(tx, ports.random, now, account.id, mail);
      }
    });
    await (hold ? this.deps.sessions.endAndSpread(account.id, apply) : apply());
    if (action === 'refuse') throw new DomainError('login_refused', { reason: 'risk', phone: brand.supportPhone });
    const notice = decision.notify ? { signals: [...decision.signals], country: here.country, network: here.network } : null;
    return { ...decision, action, here, notice };
  }

  private async record(
    account: Account | null,
    loginId: string,
    ctx: LoginContext,
    here: NetworkFacts,
    d: { signals: string[]; action: string; notify: boolean },
    tx: Parameters<typeof recordAudit>[0] = this.deps.ports.store,
  ): Promise<void> {
    await recordAudit(tx, this.deps.ports.clock.now(), 'login.risk', {
      accountId: account?.id ?? null,
      loginId,
      ctx,
      detail: { signals: d.signals, action: d.action, notify: d.notify, country: here.country, asn: here.asn, network: here.network },
    });
  }

  private async pastLogins(accountId: number): Promise<PastLogin[]> {
    const r = this.deps.rules.responses;
    if (r.new_country === 'off' && r.new_network === 'off' && r.impossible_travel === 'off' && r.unusual_hour === 'off') return [];
    const places = await this.deps.ports.store.audit.listPlaces(accountId, 'login.succeeded', PAST_LOGINS_READ);
    // A customer's hundred last logins come from a handful of addresses: each is looked up once.
    const looked = new Map<string, NetworkFacts>();
    return places.map(({ at, ip }) => {
      let facts = ip ? looked.get(ip) : undefined;
      if (ip && !facts) looked.set(ip, (facts = this.where(ip)));
      return { at, country: facts?.country ?? null, asn: facts?.asn ?? null };
    });
  }

  private async failuresSinceSuccess(accountId: number): Promise<number> {
    if (this.deps.rules.responses.after_failures === 'off') return 0;
    return (await failuresSinceLastSuccess(this.deps.ports.store, accountId)).failures;
  }
}
