/**
 * A relying party for the tests: openid-client against a Mamori on real HTTP, and a browser that
 * follows the provider's redirects until it reaches the relying party's redirect URI (or a page of
 * Mamori's that needs the customer: the login, the step-up).
 */
import * as client from 'openid-client';
import type { HttpBrowser } from './http-browser';

export interface Authorization {
  verifier: string;
  state: string;
  nonce: string;
  url: URL;
}

export async function discover(base: string, clientId: string, secret: string | null): Promise<client.Configuration> {
  return client.discovery(new URL(base), clientId, secret ?? undefined, secret === null ? client.None() : client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
}

export async function authorizationRequest(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<Authorization> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { verifier, state, nonce, url };
}

/** Follows redirects from `url` until one leaves the provider's own paths; returns that location (absolute). */
export async function follow(b: HttpBrowser, url: string, base: string, stopAt: (u: URL) => boolean): Promise<URL> {
  let next = new URL(url, base);
  for (let i = 0; i < 12; i++) {
    if (stopAt(next)) return next;
    const r = await b.get(next.href);
    if (!r.location) throw new Error(`no redirect from ${next.pathname}: ${r.status} ${r.body.slice(0, 300)}`);
    next = new URL(r.location, next);
  }
  throw new Error('too many redirects');
}

export async function redeem(config: client.Configuration, callback: URL, a: Authorization) {
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
}

export { client };
