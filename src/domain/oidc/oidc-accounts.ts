/**
 * Who a relying party sees. `sub` is a random value made for the account the first time it logs
 * in to a relying party, stored, and never changed: not the login ID (customers may be given a
 * new one, and it is what an attacker types at the login page), not the row id (it would tell how
 * many accounts there are). Claims as the scopes allow: `profile` gives the name, `email` the
 * verified メールアドレス1.
 */
import { newToken } from '../../crypto/tokens';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import type { Ports } from '../ports';
import type { AccountService } from '../accounts/account-service';

export class OidcAccounts {
  constructor(
    private readonly ports: Ports,
    private readonly accounts: AccountService,
  ) {}

  subjectOf(accountId: number): Promise<string> {
    return this.ports.store.oidcSubjects.subjectOf(accountId, newToken(this.ports.random, 18));
  }

  accountIdOf(subject: string): Promise<number | null> {
    return this.ports.store.oidcSubjects.accountOf(subject);
  }

  /** The claims the scopes allow, or null when the account is gone. */
  async claims(subject: string, scopes: ReadonlySet<string>): Promise<Record<string, unknown> | null> {
    const accountId = await this.accountIdOf(subject);
    const account = accountId === null ? null : await this.accounts.find(accountId);
    if (!account) return null;
    const claims: Record<string, unknown> = { sub: subject };
    if (scopes.has('profile')) claims.name = account.name;
    if (scopes.has('email')) {
      const first = (await this.ports.store.emails.listForAccount(account.id)).find((e) => e.slot === 1 && e.verifiedAt);
      if (first) Object.assign(claims, { email: first.address, email_verified: true });
    }
    return claims;
  }

  /** A relying party got an authorization for this customer (the audit log's per-client login record). */
  async recordLogin(subject: string, clientId: string, facts: { acr: string | undefined; amr: string[] | undefined }, ctx: RequestContext | null): Promise<void> {
    const accountId = await this.accountIdOf(subject);
    if (accountId === null) return;
    const account = await this.accounts.find(accountId);
    await recordAudit(this.ports.store, this.ports.clock.now(), 'oidc.login', { accountId, loginId: account?.loginId ?? null, ctx, detail: { clientId, acr: facts.acr ?? null, amr: facts.amr ?? [] } });
  }
}
