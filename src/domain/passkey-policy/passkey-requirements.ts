/**
 * The requirement of the phishing-resistant migration for one account, read from storage: at
 * login (in the login's transaction, which marks the session when registration is required and
 * widens the login notice for exempt customers) and on the top page. Without a migration date it
 * reads nothing, so logins under `seed` or before a brokerage sets the date cost no query.
 */
import type { Clock } from '../ports';
import type { Store, StoreTx } from '../store';
import { announcedDate, migrationDate, passkeyRequirement, type PasskeyMigrationRules, type PasskeyRequirement } from './requirement';

export class PasskeyRequirements {
  constructor(
    private readonly deps: { store: Store; clock: Clock },
    readonly rules: PasskeyMigrationRules,
  ) {}

  /** The date passkeys become mandatory, or null (no date, or the `seed` policy). */
  get requiredFrom(): Date | null {
    return migrationDate(this.rules);
  }

  /** What every login page announces (the date, before it comes), or null. */
  announced(): Date | null {
    return announcedDate(this.rules, this.deps.clock.now());
  }

  forAccount(accountId: number, tx: StoreTx = this.deps.store): Promise<PasskeyRequirement> {
    return this.read(tx, accountId, this.deps.clock.now());
  }

  private async read(tx: StoreTx, accountId: number, now: Date): Promise<PasskeyRequirement> {
    if (!this.requiredFrom) return { kind: 'none' };
    const hasPasskey = (await tx.passkeys.listForAccount(accountId)).length > 0;
    if (hasPasskey) return { kind: 'none' };
    const exemption = (await tx.passkeyExemptions.findActive(accountId, now)) ?? null;
    return passkeyRequirement(this.rules, { now, hasPasskey, exemption });
  }
}
