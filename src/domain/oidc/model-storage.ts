/**
 * oidc-provider's storage adapter over Mamori's store: one row per model instance (kind, id,
 * payload as JSON, and the grant, uid and user code it is looked up by), so several processes on
 * one database share codes, tokens, grants and provider sessions. Clients are not stored here: they
 * come from the operator's registrations (oidc-clients.ts). Expiry and consumption use the real
 * clock, as oidc-provider itself does.
 */
import type { Store } from '../store';
import type { OidcClients } from './oidc-clients';

type Payload = Record<string, unknown>;

export function modelStorage(store: Store, clients: OidcClients) {
  return class MamoriOidcAdapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (this.kind === 'Client') return;
      const expiresAt = typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null;
      await store.oidcModels.upsert(this.kind, id, payload, expiresAt);
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.kind === 'Client') return clients.metadata(id);
      return withConsumed(await store.oidcModels.find(this.kind, id, new Date()));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      return withConsumed(await store.oidcModels.findByUid(this.kind, uid, new Date()));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      return withConsumed(await store.oidcModels.findByUserCode(this.kind, userCode, new Date()));
    }

    async consume(id: string): Promise<void> {
      await store.oidcModels.consume(this.kind, id, new Date());
    }

    async destroy(id: string): Promise<void> {
      await store.oidcModels.destroy(this.kind, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.oidcModels.revokeByGrantId(this.kind, grantId);
    }
  };
}

function withConsumed(row: { payload: Payload; consumedAt: Date | null } | null): Payload | undefined {
  if (!row) return undefined;
  return row.consumedAt ? { ...row.payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : row.payload;
}
