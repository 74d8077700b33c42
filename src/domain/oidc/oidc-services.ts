/** The OpenID Connect provider's domain parts, as one service (built once in build-services.ts). */
import type { AccountService } from '../accounts/account-service';
import type { Ports } from '../ports';
import { OidcAccounts } from './oidc-accounts';
import { OidcClients } from './oidc-clients';
import { OidcSessionEnds } from './oidc-session-ends';
import { OidcSigningKeys } from './signing-keys';
import { modelStorage } from './model-storage';

export class OidcServices {
  readonly clients: OidcClients;
  readonly keys: OidcSigningKeys;
  readonly accounts: OidcAccounts;
  readonly sessionEnds: OidcSessionEnds;
  /** oidc-provider's adapter class over the store. */
  readonly Adapter: ReturnType<typeof modelStorage>;

  constructor(ports: Ports, accounts: AccountService, rules: { idTokenTtl: number }) {
    this.clients = new OidcClients(ports);
    this.keys = new OidcSigningKeys(ports, rules.idTokenTtl);
    this.accounts = new OidcAccounts(ports, accounts);
    this.sessionEnds = new OidcSessionEnds(ports);
    this.Adapter = modelStorage(ports.store, this.clients);
  }
}
