/**
 * Relying parties, registered by the operator (`mamori oidc-clients add`). The secret is shown
 * once and kept sealed with the deployment's secret key, not hashed: client_secret_basic makes
 * oidc-provider compare the presented secret with the stored one, so it must be readable; a
 * stolen database without the key reveals none. Public clients (the app) have no secret and must
 * use PKCE.
 */
import { newToken } from '../../crypto/tokens';
import { recordAudit } from '../audit';
import { InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { OidcClientRecord } from './repository';

export interface NewClient {
  clientId: string;
  redirectUris: string[];
  publicClient: boolean;
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
}

const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * https, or http on localhost (development); no fragment. Custom schemes for the app
 * (com.example.app:/cb). `anyHttp`: the back-channel logout URI, server to server, often the
 * trading service's internal address; what it receives is a signed logout token, nothing secret.
 */
function checkUri(field: string, raw: string, allowCustomScheme: boolean, anyHttp = false): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new InvalidInput(field, 'format');
  }
  if (u.hash) throw new InvalidInput(field, 'format');
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
  if (u.protocol === 'https:' || (u.protocol === 'http:' && (local || anyHttp))) return u.href;
  if (allowCustomScheme && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(u.protocol)) return u.href;
  throw new InvalidInput(field, 'format');
}

export class OidcClients {
  constructor(private readonly ports: Ports) {}

  /** Registers the client; the secret (confidential clients) is returned here and never again. */
  async add(c: NewClient, by: string): Promise<{ clientId: string; secret: string | null }> {
    if (!CLIENT_ID.test(c.clientId)) throw new InvalidInput('id', 'format');
    if (c.redirectUris.length === 0) throw new InvalidInput('redirect-uri', 'required');
    const redirectUris = c.redirectUris.map((u) => checkUri('redirect-uri', u, c.publicClient));
    const postLogout = c.postLogoutRedirectUris.map((u) => checkUri('post-logout-redirect-uri', u, c.publicClient));
    const backchannel = c.backchannelLogoutUri === null ? null : checkUri('backchannel-logout-uri', c.backchannelLogoutUri, false, true);
    const secret = c.publicClient ? null : newToken(this.ports.random);
    const now = this.ports.clock.now();
    const record: OidcClientRecord = {
      clientId: c.clientId,
      secretSealed: secret === null ? null : this.ports.secrets.seal(secret),
      redirectUris,
      postLogoutRedirectUris: postLogout,
      backchannelLogoutUri: backchannel,
      createdAt: now,
    };
    await this.ports.store.transaction(async (tx) => {
      if (!(await tx.oidcClients.insert(record))) throw new InvalidInput('id', 'taken');
      await recordAudit(tx, now, 'oidc.client_added', { operator: by, detail: { clientId: c.clientId, public: c.publicClient } });
    });
    return { clientId: c.clientId, secret };
  }

  list(): Promise<OidcClientRecord[]> {
    return this.ports.store.oidcClients.list();
  }

  async remove(clientId: string, by: string): Promise<boolean> {
    const now = this.ports.clock.now();
    return this.ports.store.transaction(async (tx) => {
      const removed = await tx.oidcClients.remove(clientId);
      if (removed) await recordAudit(tx, now, 'oidc.client_removed', { operator: by, detail: { clientId } });
      return removed;
    });
  }

  /** What oidc-provider needs to know of a client (its metadata), or undefined when unknown. */
  async metadata(clientId: string): Promise<Record<string, unknown> | undefined> {
    const c = await this.ports.store.oidcClients.find(clientId);
    if (!c) return undefined;
    return {
      client_id: c.clientId,
      // The app is a native client: its redirect URI is its own scheme (or http://localhost).
      ...(c.secretSealed === null ? { token_endpoint_auth_method: 'none', application_type: 'native' } : { client_secret: this.ports.secrets.open(c.secretSealed), token_endpoint_auth_method: 'client_secret_basic' }),
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      ...(c.backchannelLogoutUri ? { backchannel_logout_uri: c.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    };
  }
}
