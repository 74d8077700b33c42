/**
 * The support desk's API, for automation: each call carries an operator's key
 * (`mamori operators api-keys add`) and acts with that operator's role, by the desk's own rules
 * (domain/desk/desk-actions.ts): a viewer reads, an operator asks, a supervisor also decides other
 * operators' requests. An action that needs a second pair of eyes answers 202 with its request
 * number; another supervisor approves it here or in the console. Served on the private
 * SUPPORT_API_LISTEN listener (web/app.ts); keys are checked, audited and limited by
 * domain/support/support-access.ts.
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PasskeyExemption } from '../../domain/passkey-policy/records';
import type { DeskAction, DeskRequest } from '../../domain/desk/records';
import type { ActionOutcome } from '../../domain/desk/desk-actions';
import { DomainError, InvalidInput } from '../../domain/errors';
import type { ApiCaller } from '../../domain/support/support-access';
import type { CountryException } from '../../domain/risk/repository';
import { loginContext, type WebDeps } from '../request-context';

type Body = Record<string, unknown>;
type Answer = (result: unknown, params: Body) => Record<string, unknown>;

/** What each action's answer says, as it did before actions went through the desk's requests. */
const ANSWERS: Record<DeskAction, Answer> = {
  totp_reset: () => ({ totp: 'reset' }),
  trading_password_unlock: () => ({ tradingPassword: 'unlocked' }),
  passkeys_reset: (n) => ({ passkeysRemoved: n }),
  passkey_remove: (n) => ({ passkeysRemoved: n }),
  passkeys_cancel_new: (n) => ({ passkeysCancelled: n }),
  login_unlock: () => ({ login: 'unlocked' }),
  password_reset_code: (r, p) => {
    const issued = r as { code: string | null; expiresAt: Date };
    return { by: p.by, expiresAt: issued.expiresAt.toISOString(), ...(issued.code ? { resetCode: issued.code } : {}) };
  },
  password_change_required: () => ({ loginPassword: 'change_required' }),
  exemption_grant: (e) => ({ passkeyExemption: { expiresAt: (e as PasskeyExemption).expiresAt.toISOString() } }),
  exemption_revoke: () => ({ passkeyExemption: 'revoked' }),
  country_exception_grant: (e) => ({ countryException: { country: (e as CountryException).country, expiresAt: (e as CountryException).expiresAt.toISOString() } }),
  country_exception_remove: (_, p) => ({ countryException: 'removed', country: String(p.country ?? '').trim().toUpperCase() }),
  sessions_end: (n) => ({ sessionsEnded: n }),
};

/** Routes of the actions: method, path under /api/v1/support/accounts/:loginId/, and the action's parameters from the request. */
const ACTION_ROUTES: { method: 'POST' | 'DELETE'; path: string; action: DeskAction; params?: (b: Body, p: Record<string, string>) => Body }[] = [
  { method: 'POST', path: 'totp/reset', action: 'totp_reset' },
  { method: 'POST', path: 'trading-password/unlock', action: 'trading_password_unlock' },
  { method: 'POST', path: 'passkeys/reset', action: 'passkeys_reset' },
  { method: 'POST', path: 'passkeys/cancel-new', action: 'passkeys_cancel_new', params: (b) => ({ passkeyId: b.passkeyId }) },
  { method: 'DELETE', path: 'passkeys/:passkeyId', action: 'passkey_remove', params: (_, p) => ({ passkeyId: p.passkeyId }) },
  { method: 'POST', path: 'login/unlock', action: 'login_unlock' },
  // the desk never sees or sets a password; a code for a letter is returned once.
  { method: 'POST', path: 'login-password/reset-code', action: 'password_reset_code', params: (b) => ({ by: b.by ?? 'post' }) },
  { method: 'POST', path: 'login-password/require-change', action: 'password_change_required' },
  { method: 'POST', path: 'sessions/end', action: 'sessions_end' },
  { method: 'POST', path: 'country-exceptions', action: 'country_exception_grant', params: (b) => ({ country: b.country, days: b.days }) },
  { method: 'DELETE', path: 'country-exceptions/:country', action: 'country_exception_remove', params: (_, p) => ({ country: p.country }) },
  // A time-limited exemption from the passkey requirement (no capable device); `until` is the last JST day.
  { method: 'POST', path: 'passkey-exemption', action: 'exemption_grant', params: (b) => ({ until: b.until }) },
  { method: 'DELETE', path: 'passkey-exemption', action: 'exemption_revoke' },
];

const bodyOf = (req: FastifyRequest): Body => (req.body && typeof req.body === 'object' ? (req.body as Body) : {});

export function supportApi(app: FastifyInstance, deps: WebDeps): void {
  const { actions } = deps.services.desk;

  function callerOf(req: FastifyRequest): Promise<ApiCaller> {
    const auth = req.headers.authorization;
    const presented = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const { ip, userAgent } = loginContext(req);
    return deps.services.support.authenticate(presented || null, { ip, userAgent }, `${req.method} ${req.routeOptions.url ?? req.url}`);
  }

  const label = (c: ApiCaller) => `api:${c.operator.name}`;
  const pendingAnswer = (reply: FastifyReply, loginId: string, r: DeskRequest, c: ApiCaller) =>
    reply.status(202).send({ loginId, request: { id: r.id, action: r.action, state: r.state }, operator: label(c) });

  for (const route of ACTION_ROUTES) {
    app.route({
      method: route.method,
      url: `/api/v1/support/accounts/:loginId/${route.path}`,
      handler: async (req, reply) => {
        const caller = await callerOf(req);
        const b = bodyOf(req);
        const { loginId } = req.params as { loginId: string };
        const params = route.params?.(b, req.params as Record<string, string>) ?? {};
        const out = await actions.request(caller.operator, loginId, { action: route.action, reason: b.reason, identityMethod: b.identityMethod, identityNote: b.identityNote, params }, { kind: 'api', keyId: caller.keyId });
        if (out.request.state === 'pending') return pendingAnswer(reply, loginId, out.request, caller);
        return reply.status(200).send({ loginId, ...ANSWERS[route.action](out.result, params), request: { id: out.request.id, state: out.request.state }, operator: label(caller) });
      },
    });
  }

  // Four-eyes over the API: the pending requests, and a supervisor's decision on another operator's.
  app.get('/api/v1/support/requests', async (req) => {
    await callerOf(req);
    const pending = await actions.pending();
    return { requests: pending.map((r) => ({ id: r.id, loginId: r.loginId, action: r.action, reason: r.reason, requestedBy: r.requestedByName, requestedAt: r.requestedAt.toISOString(), via: r.channel, state: r.state })) };
  });
  const requestIdOf = (req: FastifyRequest) => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new DomainError('not_found', { field: 'request' });
    return id;
  };
  app.post('/api/v1/support/requests/:id/approve', async (req) => {
    const caller = await callerOf(req);
    const out: ActionOutcome = await actions.approve(caller.operator, requestIdOf(req), bodyOf(req).reason);
    const loginId = (await deps.services.accounts.find(out.request.accountId))?.loginId ?? null;
    // `operator` is who asked, as in the answer of an action that takes effect at once; `approvedBy` who approved.
    return { loginId, ...ANSWERS[out.request.action](out.result, out.request.params), request: { id: out.request.id, state: 'done' }, operator: out.requestedBy, approvedBy: label(caller) };
  });
  app.post('/api/v1/support/requests/:id/reject', async (req) => {
    const caller = await callerOf(req);
    const r = await actions.reject(caller.operator, requestIdOf(req), bodyOf(req).reason);
    return { request: { id: r.id, state: r.state }, operator: label(caller) };
  });

  // Behaviour signals (docs/operations.md): what was decided for the customer and where an address is. Reads: every role.
  const { riskDesk } = deps.services;
  app.get('/api/v1/support/accounts/:loginId/risk', async (req) => {
    const caller = await callerOf(req);
    const { loginId } = req.params as { loginId: string };
    const [decisions, exceptions] = await Promise.all([riskDesk.decisions(loginId), riskDesk.exceptions(loginId)]);
    return { loginId, decisions, countryExceptions: exceptions.map((e) => ({ country: e.country, expiresAt: e.expiresAt.toISOString(), operator: e.operator, reason: e.reason })), operator: label(caller) };
  });
  app.get('/api/v1/support/addresses/:ip', async (req) => {
    const caller = await callerOf(req);
    const { ip } = req.params as { ip: string };
    if (isIP(ip) === 0) throw new InvalidInput('ip', 'format');
    const here = riskDesk.where(ip);
    return { ip, country: here.country, asn: here.asn, network: here.network, operator: label(caller) };
  });
}
