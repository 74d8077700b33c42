/**
 * `mamori keys rotate`: every value sealed with the deployment's secret key (crypto/secret-box.ts)
 * — TOTP secrets and those being set up, the OpenID Connect clients' secrets and the provider's
 * signing keys — re-sealed under the current key, so the old key can be dropped. The store lists
 * them from one list of sealed columns (store/sealed-columns.ts), so a new sealed column cannot
 * be left out here.
 */
import { DomainError } from '../errors';
import type { Ports } from '../ports';

/** What a sealed value is, for the operator's count: a TOTP secret, or an OpenID Connect secret. */
export type SealedKind = 'totp' | 'oidc';

export interface SealedValue {
  /** `table.column`, for messages. */
  column: string;
  kind: SealedKind;
  /** The row's key, as the store needs it back to replace the value. */
  rowKey: string | number;
  /** The customer the value belongs to, when it belongs to one (a TOTP secret). */
  accountId: number | null;
  sealed: string;
}

export interface SealedSecretRepo {
  /** Every sealed value in the store, in every sealed column. */
  list(): Promise<SealedValue[]>;
  /** Replaces one value, only if it is still the one listed (a change made meanwhile stays). */
  replace(value: SealedValue, sealed: string): Promise<boolean>;
}

export class SealedSecrets {
  constructor(private readonly ports: Ports) {}

  /** Re-seals every value `needsReseal` names (those under an old key); the count of each kind. */
  async resealAll(needsReseal: (sealed: string) => boolean): Promise<Record<SealedKind, number>> {
    const { store, secrets } = this.ports;
    const count: Record<SealedKind, number> = { totp: 0, oidc: 0 };
    for (const v of await store.sealedSecrets.list()) {
      if (!needsReseal(v.sealed)) continue;
      let plain: string;
      try {
        plain = secrets.open(v.sealed);
      } catch {
        // None of the keys opens it: the rotation stops and names what, so its key can be found.
        const keyId = v.sealed.split('.')[1] ?? '';
        throw new DomainError('secret_unreadable', v.accountId !== null ? { accountId: v.accountId, keyId } : { field: v.kind, column: v.column, keyId });
      }
      if (await store.sealedSecrets.replace(v, secrets.seal(plain))) count[v.kind] += 1;
    }
    return count;
  }
}
