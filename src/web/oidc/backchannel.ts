/**
 * Back-channel logout: when a customer's Mamori session ends, in any process, the relying parties
 * that got a login from it are told (a signed logout token to each one's backchannel_logout_uri)
 * and its grants are revoked (oidc-session-ends.ts claims each provider session once).
 */
import type Provider from 'oidc-provider';
import type { WebDeps } from '../request-context';

export function backchannelLogout(deps: WebDeps, provider: Provider): void {
  const { oidc, sessions } = deps.services;
  sessions.observeChanges((accountId) => {
    if (accountId === null) return;
    // A failure here is recorded per client (oidc.logout_failed); a store error must not crash the process.
    void send(accountId).catch(() => undefined);
  });

  async function send(accountId: number): Promise<void> {
    const ended = await oidc.sessionEnds.claim(accountId);
    await Promise.all(
      ended.flatMap((s) =>
        s.authorizations.map(async ({ clientId, sid }) => {
          const client = await provider.Client.find(clientId);
          if (!client?.backchannelLogoutUri) return;
          try {
            await client.backchannelLogout(s.subject, sid);
            await oidc.sessionEnds.recordSent(accountId, clientId, null);
          } catch (e) {
            await oidc.sessionEnds.recordSent(accountId, clientId, e instanceof Error ? e.message : String(e));
          }
        }),
      ),
    );
  }
}
