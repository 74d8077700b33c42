/**
 * When a customer's Mamori session ends (logout, ログアウト of one session or all others, a password
 * change, the desk), the provider sessions that stood on it end too: their grants (codes, access
 * and refresh tokens) are revoked, and the relying parties are told by back-channel logout. Every
 * process hears the session change; the claim on each provider session is one conditional update,
 * so exactly one process revokes and sends.
 */
import { recordAudit } from '../audit';
import type { Ports } from '../ports';

export interface EndedAuthorization {
  clientId: string;
  sid: string | undefined;
}

export interface EndedProviderSession {
  accountId: number;
  subject: string;
  authorizations: EndedAuthorization[];
}

export class OidcSessionEnds {
  constructor(private readonly ports: Ports) {}

  /** Claims the account's provider sessions whose Mamori session ended, revokes their grants and forgets them. */
  async claim(accountId: number): Promise<EndedProviderSession[]> {
    const { store } = this.ports;
    const links = await store.oidcSessionLinks.claimEnded(accountId, this.ports.clock.now());
    const ended: EndedProviderSession[] = [];
    for (const link of links) {
      const row = await store.oidcModels.findByUid('Session', link.sessionUid, new Date());
      if (!row) continue;
      const payload = row.payload as { accountId?: string; jti?: string; authorizations?: Record<string, { sid?: string; grantId?: string }> };
      const entries = Object.entries(payload.authorizations ?? {});
      await store.oidcModels.revokeGrants(entries.map(([, a]) => a.grantId).filter((g): g is string => typeof g === 'string'));
      if (payload.jti) await store.oidcModels.destroy('Session', payload.jti);
      if (payload.accountId) ended.push({ accountId, subject: payload.accountId, authorizations: entries.map(([clientId, a]) => ({ clientId, sid: a.sid })) });
    }
    return ended;
  }

  async recordSent(accountId: number, clientId: string, error: string | null): Promise<void> {
    const type = error === null ? 'oidc.logout_sent' : 'oidc.logout_failed';
    await recordAudit(this.ports.store, this.ports.clock.now(), type, { accountId, detail: { clientId, ...(error ? { error: error.slice(0, 200) } : {}) } });
  }

  /** The Mamori session this provider session stands on, or null. */
  linkedSession(sessionUid: string): Promise<number | null> {
    return this.ports.store.oidcSessionLinks.mamoriSessionOf(sessionUid);
  }

  /** This provider session stands on that Mamori session (it ends with it). */
  link(sessionUid: string, mamoriSessionId: number, accountId: number): Promise<void> {
    return this.ports.store.oidcSessionLinks.put({ sessionUid, mamoriSessionId, accountId }, this.ports.clock.now());
  }
}
