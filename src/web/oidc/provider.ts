/**
 * oidc-provider, configured for Mamori: authorization code with PKCE only (no implicit flow),
 * refresh tokens rotated on every use (a used one presented again revokes its whole grant),
 * revocation, introspection, RP-initiated and back-channel logout. Its storage is Mamori's store
 * (domain/oidc/model-storage.ts); its login is Mamori's own (oidc-routes.ts), and two checks tie it
 * to the Mamori session: there must be a live one, of the same customer, that this provider session
 * was made on; and `acr_values=urn:mamori:acr:phr` asks for a passkey (login or step-up).
 */
import Provider, { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { parse } from 'cookie';
import { ACR_PHISHING_RESISTANT, ACR_VALUES } from '../../domain/oidc/auth-context';
import { SESSION_COOKIE } from '../cookies';
import type { WebDeps } from '../request-context';
import { providerPages } from './provider-pages';
import { INTERACTION_PATH, MAMORI_CONTEXT, OIDC_PREFIX, requestedAcrs } from './paths';
import type { RequestContext } from '../../domain/context';


/** The live Mamori session of the browser behind a provider request, if any. */
function mamoriSession(deps: WebDeps, ctx: KoaContextWithOIDC) {
  const token = parse(String(ctx.req.headers.cookie ?? ''))[SESSION_COOKIE];
  return deps.services.sessions.check(token ?? null);
}

function loginPolicy(deps: WebDeps) {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login.checks.add(
    new Check('mamori_session', 'a live Mamori session of this customer is required', async (ctx) => {
      const session = await mamoriSession(deps, ctx);
      const providerSession = ctx.oidc.session;
      if (!session || !providerSession?.accountId) return Check.REQUEST_PROMPT;
      const subject = await deps.services.oidc.accounts.subjectOf(session.accountId);
      if (subject !== providerSession.accountId) return Check.REQUEST_PROMPT;
      if (ctx.oidc.result?.login) {
        // Just logged in through Mamori: this provider session now stands on that Mamori session.
        await deps.services.oidc.sessionEnds.link(providerSession.uid, session.id, session.accountId);
        return Check.NO_NEED_TO_PROMPT;
      }
      const linked = await deps.services.oidc.sessionEnds.linkedSession(providerSession.uid);
      return linked === session.id ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    0,
  );
  login.checks.add(
    new Check('acr_values', 'the requested authentication level was not obtained', (ctx) => {
      if (ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const wanted = requestedAcrs(ctx.oidc.params);
      return wanted.includes(ACR_PHISHING_RESISTANT) && ctx.oidc.acr !== ACR_PHISHING_RESISTANT ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export async function createProvider(deps: WebDeps): Promise<Provider> {
  const { config } = deps;
  const { oidc } = deps.services;
  const ttl = config.oidc;
  const pages = providerPages(deps);
  const provider = new Provider(config.publicUrl, {
    adapter: oidc.Adapter,
    findAccount: async (_ctx: unknown, sub: string) => {
      if ((await oidc.accounts.accountIdOf(sub)) === null) return undefined;
      return { accountId: sub, claims: async (_use: string, scope: string) => (await oidc.accounts.claims(sub, new Set(scope.split(' ')))) ?? { sub } };
    },
    // acr, amr and auth_time in every ID token, asked for or not: the relying party decides by them.
    claims: { sid: null, iss: null, openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    acrValues: [...ACR_VALUES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    // A refresh token for every client allowed the grant, without the consent prompt that
    // offline_access would need: the brokerage's own clients; it dies with the Mamori session anyway.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    clientDefaults: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], id_token_signed_response_alg: 'ES256' },
    // Every client is registered by the brokerage's operator: its own services, so no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { provider: p, client, session } = ctx.oidc as unknown as { provider: Provider; client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined } };
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const g = await p.Grant.find(existing);
        if (g) return g;
      }
      const grant = new p.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope('openid offline_access profile email');
      grant.addOIDCClaims(['sub', 'sid', 'auth_time', 'acr', 'amr', 'name', 'email', 'email_verified']);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource },
    },
    renderError: pages.renderError,
    // The only URLs the provider calls are the back-channel logout URIs the operator registered,
    // typically the trading service's internal address: oidc-provider's guard against private
    // addresses (meant for URLs a stranger registers) would refuse exactly those.
    fetch: (url: URL | string, options: RequestInit & { dispatcher?: unknown }) => {
      delete options.dispatcher;
      return globalThis.fetch(url, options);
    },
    ttl: {
      AccessToken: ttl.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: ttl.idTokenTtl,
      RefreshToken: ttl.refreshTokenTtl,
      Grant: ttl.refreshTokenTtl,
      Interaction: config.login.flowTtlSeconds,
      Session: config.session.absoluteHours * 3600,
    },
    cookies: {
      // The same keys in every process: derived from the deployment's secret key.
      keys: [deps.services.ports.keyed.hash('oidc-cookies', 'v1')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    jwks: { keys: await oidc.keys.published() },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PATH}/${interaction.uid}`, policy: loginPolicy(deps) },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      jwks: `${OIDC_PREFIX}/jwks`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      end_session: `${OIDC_PREFIX}/session/end`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      challenge: `${OIDC_PREFIX}/challenge`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      registration: `${OIDC_PREFIX}/reg`,
    },
  });
  // Behind Mamori's own listener: the scheme and host are PUBLIC_URL's (set per request, never the client's).
  provider.proxy = true;
  // Without a provider session oidc-provider answers /session/end with a page that submits itself
  // by an inline script, which Mamori's CSP blocks: a blank page. Ours instead, with the buttons.
  provider.use(async (ctx, next) => {
    const csp = ctx.response.get('content-security-policy');
    await next();
    if (ctx.oidc?.route !== 'end_session' || ctx.status !== 200 || ctx.oidc.session?.accountId) return;
    ctx.set('content-security-policy', csp);
    pages.logoutWithoutSession(ctx);
  });
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const session = ctx.oidc.session;
    const client = ctx.oidc.client;
    if (!session?.accountId || !client) return;
    oidc.accounts.recordLogin(session.accountId, client.clientId, { acr: session.acr, amr: session.amr }, null).catch(() => undefined);
  });
  // RP-initiated logout with 「ログアウトする」 ends the Mamori session too (and so, by back-channel,
  // every other client's login from it): logging out at the provider must not leave Mamori signed in.
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    if (!ctx.oidc.params?.logout) return;
    const token = parse(String(ctx.req.headers.cookie ?? ''))[SESSION_COOKIE];
    const context = (ctx.req as unknown as Record<symbol, RequestContext | undefined>)[MAMORI_CONTEXT];
    if (token && context) deps.services.login.logout(token, context).catch(() => undefined);
  });
  return provider;
}
