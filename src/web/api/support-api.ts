/**
 * The support desk's API: actions an operator takes after checking a caller's identity by phone.
 * Each operator has an API key; every action records the operator and a reason. Served on the
 * private SUPPORT_API_LISTEN listener (web/app.ts); wrong keys are audited and limited per
 * address by domain/support/support-access.ts.
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors';
import { loginContext, type WebDeps } from '../request-context';
import { SUPPORT_REASON_MAX } from '../../domain/input-limits';

export function supportApi(app: FastifyInstance, deps: WebDeps): void {
  function operatorOf(req: FastifyRequest): Promise<string> {
    const auth = req.headers.authorization;
    const presented = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    const { ip, userAgent } = loginContext(req);
    return deps.services.support.authenticate(presented || null, { ip, userAgent });
  }

  function reasonOf(req: FastifyRequest): string {
    const b = req.body as Record<string, unknown> | null;
    const reason = b && typeof b === 'object' ? b.reason : undefined;
    if (typeof reason !== 'string' || !reason.trim()) throw new InvalidInput('reason', 'required');
    if (reason.length > SUPPORT_REASON_MAX) throw new InvalidInput('reason', 'too_long');
    return reason;
  }

  /** Every support action: the operator's key, a reason, the customer's login ID; audited by the service. */
  function action(path: string, run: (loginId: string, operator: string, reason: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>) {
    app.post(`/api/v1/support/accounts/:loginId/${path}`, async (req, reply) => {
      const operator = await operatorOf(req);
      const reason = reasonOf(req);
      const { loginId } = req.params as { loginId: string };
      return reply.status(200).send({ loginId, ...(await run(loginId, operator, reason, req.body as Record<string, unknown>)), operator });
    });
  }

  const { totp, tradingPassword, passkeys, login, deskReset } = deps.services;
  action('totp/reset', async (id, op, why) => (await totp.supportReset(id, op, why), { totp: 'reset' }));
  action('trading-password/unlock', async (id, op, why) => (await tradingPassword.unlock(id, op, why), { tradingPassword: 'unlocked' }));
  action('passkeys/reset', async (id, op, why) => ({ passkeysRemoved: await passkeys.supportReset(id, op, why) }));
  action('passkeys/cancel-new', async (id, op, why, b) => ({ passkeysCancelled: await passkeys.supportCancelNew(id, op, why, b.passkeyId) }));
  action('login/unlock', async (id, op, why) => (await login.supportUnlock(id, op, why), { login: 'unlocked' }));
  // the desk never sees or sets a password; a code for a letter is returned once.
  action('login-password/reset-code', async (id, op, why, b) => {
    const by = b.by ?? 'post';
    if (by !== 'post' && by !== 'mail') throw new InvalidInput('by', 'format');
    const issued = await deskReset.issue(id, op, why, by);
    return { by, expiresAt: issued.expiresAt.toISOString(), ...(issued.code ? { resetCode: issued.code } : {}) };
  });
  action('login-password/require-change', async (id, op, why) => (await deskReset.requirePasswordChange(id, op, why), { loginPassword: 'change_required' }));

  // Behaviour signals (docs/operations.md): what was decided for the customer, where an address is,
  // and the exceptions to ALLOWED_COUNTRIES for a customer going abroad.
  const { riskDesk } = deps.services;
  app.get('/api/v1/support/accounts/:loginId/risk', async (req) => {
    const operator = await operatorOf(req);
    const { loginId } = req.params as { loginId: string };
    const [decisions, exceptions] = await Promise.all([riskDesk.decisions(loginId), riskDesk.exceptions(loginId)]);
    return { loginId, decisions, countryExceptions: exceptions.map((e) => ({ country: e.country, expiresAt: e.expiresAt.toISOString(), operator: e.operator, reason: e.reason })), operator };
  });
  app.get('/api/v1/support/addresses/:ip', async (req) => {
    const operator = await operatorOf(req);
    const { ip } = req.params as { ip: string };
    if (isIP(ip) === 0) throw new InvalidInput('ip', 'format');
    const here = riskDesk.where(ip);
    return { ip, country: here.country, asn: here.asn, network: here.network, operator };
  });
  action('country-exceptions', async (id, op, why, b) => {
    const e = await riskDesk.allowCountry(id, { country: b.country, days: b.days }, op, why);
    return { countryException: { country: e.country, expiresAt: e.expiresAt.toISOString() } };
  });
  app.delete('/api/v1/support/accounts/:loginId/country-exceptions/:country', async (req) => {
    const operator = await operatorOf(req);
    const reason = reasonOf(req);
    const { loginId, country } = req.params as { loginId: string; country: string };
    await riskDesk.removeCountryException(loginId, country, operator, reason);
    return { loginId, countryException: 'removed', country: country.trim().toUpperCase(), operator };
  });

  // A time-limited exemption from the passkey requirement (no capable device); `until` is the last JST day.
  const exemptionPath = '/api/v1/support/accounts/:loginId/passkey-exemption';
  app.post(exemptionPath, async (req) => {
    const operator = await operatorOf(req);
    const reason = reasonOf(req);
    const { loginId } = req.params as { loginId: string };
    const until = (req.body as Record<string, unknown>).until;
    const e = await deps.services.passkeyExemptions.grant(loginId, { until, operator, reason });
    return { loginId, passkeyExemption: { expiresAt: e.expiresAt.toISOString() }, operator };
  });
  app.delete(exemptionPath, async (req) => {
    const operator = await operatorOf(req);
    const reason = reasonOf(req);
    const { loginId } = req.params as { loginId: string };
    await deps.services.passkeyExemptions.revoke(loginId, { operator, reason });
    return { loginId, passkeyExemption: 'revoked', operator };
  });
}
