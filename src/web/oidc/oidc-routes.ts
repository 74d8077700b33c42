/**
 * The OpenID Connect provider in Mamori's Fastify app: discovery and the protocol endpoints under
 * /oidc/ go to oidc-provider untouched (their bodies unread by Fastify, their scheme and host
 * PUBLIC_URL's); the interaction — the login — is Mamori's own: without a live session the browser
 * goes to the login page (every second step, policy and signal applies there) and comes back here;
 * a request for the phishing-resistant level (`acr_values`) or a `max_age` the session no longer
 * meets goes through the passkey step-up first. Then the interaction is finished with the account
 * and how the session was authenticated.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { ACR_PHISHING_RESISTANT, acrOf, amrOf, authenticatedAt } from '../../domain/oidc/auth-context';
import { isPhishingResistant } from '../../domain/sessions/auth-methods';
import { securityHeaders } from '../security-headers';
import { loginContext, sessionToken, type WebDeps } from '../request-context';
import { MAMORI_CONTEXT } from './paths';
import { safeReturnPath } from '../return-path';
import { backchannelLogout } from './backchannel';
import { INTERACTION_PATH, OIDC_PREFIX, requestedAcrs } from './paths';

/** The step-up page's purpose for a relying party's step-up: the withdrawal it is for (cooling-off applies). */
const STEP_UP_PURPOSE = 'withdrawal';
const AFTER_STEP_UP = 'step-up';

const RUNTIME_NOTE =
  'oidc-provider 9 warns "Unsupported runtime" on Node 20: known and tested (every OIDC test passes on Node 20); ' +
  'its maintainer supports only v9 (v8 reached end-of-life on 2026-04-30). Move the servers to Node 22 LTS; docs/operations.md "OpenID Connect on Node 20"';

/**
 * Mamori's headers, but a CSP without `form-action`: the logout confirmation posts to us and is
 * then redirected to the relying party, which `form-action 'self'` would block.
 */
function providerHeaders(https: boolean): [string, string][] {
  return Object.entries(securityHeaders(https)).map(([k, v]) => [k, k === 'Content-Security-Policy' ? v.replace(/form-action [^;]+; /, '') : v]);
}

export function oidcRoutes(app: FastifyInstance, deps: WebDeps): void {
  if (!deps.config.oidc.enabled) return;
  const publicUrl = new URL(deps.config.publicUrl);
  const headers = providerHeaders(publicUrl.protocol === 'https:');

  app.register(async (scope) => {
    // Loaded only here: oidc-provider warns on import that it prefers Node 22, and the CLI need not say so.
    const { createProvider } = await import('./provider');
    // Its warning names no way out: ours says it is known, and where the decision is written.
    if (Number(process.versions.node.split('.')[0]) < 22) scope.log.warn(RUNTIME_NOTE);
    const provider = await createProvider(deps);
    const handle = provider.callback();
    backchannelLogout(deps, provider);

    // oidc-provider reads its own request bodies.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

    const toProvider = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const raw = req.raw;
      raw.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
      raw.headers['x-forwarded-host'] = publicUrl.host;
      raw.headers['x-forwarded-for'] = req.clientIp;
      // Who is asking, as Mamori derives it (address past the trusted proxies): for the audit of a logout here.
      Object.assign(raw, { [MAMORI_CONTEXT]: loginContext(req) });
      for (const [k, v] of headers) reply.raw.setHeader(k, v);
      handle(raw, reply.raw);
    };
    scope.all('/.well-known/openid-configuration', toProvider);
    scope.all(`${OIDC_PREFIX}/*`, toProvider);

    scope.get(`${INTERACTION_PATH}/:uid`, async (req, reply) => interaction(req, reply, deps, provider));
  });
}

async function interaction(req: FastifyRequest, reply: FastifyReply, deps: WebDeps, provider: Provider) {
  const { sessions, accounts, oidc, ports } = deps.services;
  const details = await provider.interactionDetails(req.raw, reply.raw);
  const here = safeReturnPath(`${INTERACTION_PATH}/${details.uid}`);
  const session = await sessions.check(sessionToken(req));
  const account = session ? await accounts.find(session.accountId) : null;
  if (!session || !account || !here) return reply.redirect(`/login?next=${encodeURIComponent(here ?? '/')}`, 303);
  // The desk's "must change at next login" holds here as on every signed-in page (signed-in.ts).
  if (account.passwordChangeRequiredAt) return reply.redirect('/account/password', 303);

  // Every client is the brokerage's own: consent (a relying party's prompt=consent) is given at once.
  if (details.prompt.name === 'consent') {
    reply.hijack();
    return provider.interactionFinished(req.raw, reply.raw, { consent: {} }, { mergeWithLastSubmission: true });
  }

  const query = req.query as Record<string, unknown>;
  const steppedUp = query.after === AFTER_STEP_UP;
  const maxAge = Number(details.params.max_age);
  const codeStepUp = await deps.services.stepUp.lastCodeStepUp(session.id);
  const lastProof = authenticatedAt(session, codeStepUp);
  // oidc-provider turns max_age=0 into prompt=login: a proof made now, whatever the session's age.
  const promptLogin = String(details.params.prompt ?? '').split(' ').includes('login');
  const fresh = !promptLogin && (!Number.isFinite(maxAge) || ports.clock.now().getTime() - lastProof.getTime() <= maxAge * 1000);
  const strong = !requestedAcrs(details.params).includes(ACR_PHISHING_RESISTANT) || isPhishingResistant(session);
  // Once back from the step-up, what the session now has is what the relying party gets: a
  // customer without a passkey cannot reach the phishing-resistant level, and the ID token says so.
  if ((!fresh || !strong) && !steppedUp) {
    const back = `${here}?after=${AFTER_STEP_UP}`;
    return reply.redirect(`/step-up?purpose=${STEP_UP_PURPOSE}&return_to=${encodeURIComponent(back)}`, 303);
  }

  const subject = await oidc.accounts.subjectOf(account.id);
  const result: Record<string, unknown> = {
    login: { accountId: subject, acr: acrOf(session, codeStepUp), amr: amrOf(session, codeStepUp), ts: Math.floor(lastProof.getTime() / 1000), remember: false },
  };
  reply.hijack();
  await provider.interactionFinished(req.raw, reply.raw, result, { mergeWithLastSubmission: false });
}
