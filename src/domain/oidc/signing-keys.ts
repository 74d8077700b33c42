/**
 * The provider's signing keys: ES256, generated here, kept sealed with the deployment's secret
 * key. Rotation makes a new key the one that signs; the old one stays published (in the JWKS)
 * until every ID token it signed has expired, then the next rotation deletes it.
 */
import { newSigningJwk } from '../../crypto/signing-key';
import { newToken } from '../../crypto/tokens';
import { recordAudit } from '../audit';
import type { Ports } from '../ports';

export class OidcSigningKeys {
  constructor(
    private readonly ports: Ports,
    /** Longest lifetime of anything signed: ID tokens and logout tokens. */
    private readonly signedLifetimeSeconds: number,
  ) {}

  /** Every published key, the signing one first; one is made if there is none yet. */
  async published(): Promise<Record<string, string>[]> {
    let keys = await this.ports.store.oidcSigningKeys.list();
    if (keys.length === 0) {
      await this.insertNew();
      keys = await this.ports.store.oidcSigningKeys.list();
    }
    // Two processes starting at once on an empty table may each make one: the oldest unretired
    // signs, which every process agrees on whichever of the two it saw.
    const current = keys.filter((k) => k.retiredAt === null).at(-1) ?? keys[0]!;
    const ordered = [current, ...keys.filter((k) => k !== current)];
    return ordered.map((k) => JSON.parse(this.ports.secrets.open(k.jwkSealed)) as Record<string, string>);
  }

  /** A new signing key; the others retire, and those retired long enough ago are deleted. */
  async rotate(by: string): Promise<{ kid: string; deleted: number; stillPublished: number }> {
    const now = this.ports.clock.now();
    const kid = await this.insertNew();
    await this.ports.store.oidcSigningKeys.retireAllBut(kid, now);
    const deleted = await this.ports.store.oidcSigningKeys.deleteRetiredBefore(new Date(now.getTime() - this.signedLifetimeSeconds * 1000));
    const stillPublished = (await this.ports.store.oidcSigningKeys.list()).length - 1;
    await recordAudit(this.ports.store, now, 'oidc.keys_rotated', { operator: by, detail: { kid, deleted } });
    return { kid, deleted, stillPublished };
  }

  private async insertNew(): Promise<string> {
    const kid = newToken(this.ports.random, 12);
    const jwk = newSigningJwk(kid);
    await this.ports.store.oidcSigningKeys.insert({ kid, jwkSealed: this.ports.secrets.seal(JSON.stringify(jwk)), createdAt: this.ports.clock.now(), retiredAt: null });
    return kid;
  }
}
