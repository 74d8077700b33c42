/**
 * The support desk's API (SPEC 1.3 step 7): actions an operator takes after checking a caller's
 * identity by phone. Each operator has an API key; every action records the operator and a reason.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, InvalidInput } from '../../domain/errors';
import type { WebDeps } from '../request-context';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function supportApi(app: FastifyInstance, deps: WebDeps): void {
  const keys = deps.config.supportApiKeys.map((k) => ({ operator: k.operator, digest: digest(k.key) }));

  function operatorOf(req: FastifyRequest): string {
    const auth = req.headers.authorization;
    const presented = typeof auth === 'string' && auth.startsWith('Bearer ') ? digest(auth.slice(7).trim()) : null;
    // Compare digests in constant time, against every key, so timing tells nothing.
    let found: string | null = null;
    for (const k of keys) if (presented && timingSafeEqual(presented, k.digest)) found = k.operator;
    if (!found) throw new DomainError('forbidden', { reason: 'support_key' });
    return `api:${found}`;
  }

  function reasonOf(req: FastifyRequest): string {
    const b = req.body as Record<string, unknown> | null;
    const reason = b && typeof b === 'object' ? b.reason : undefined;
    if (typeof reason !== 'string' || !reason.trim()) throw new InvalidInput('reason', 'required');
    if (reason.length > 500) throw new InvalidInput('reason', 'too_long');
    return reason;
  }

  /** Every support action: the operator's key, a reason, the customer's login ID; audited by the service. */
  function action(path: string, run: (loginId: string, operator: string, reason: string) => Promise<Record<string, unknown>>) {
    app.post(`/api/v1/support/accounts/:loginId/${path}`, async (req, reply) => {
      const operator = operatorOf(req);
      const reason = reasonOf(req);
      const { loginId } = req.params as { loginId: string };
      return reply.status(200).send({ loginId, ...(await run(loginId, operator, reason)), operator });
    });
  }

  const { totp, tradingPassword, passkeys } = deps.services;
  action('totp/reset', async (id, op, why) => (await totp.supportReset(id, op, why), { totp: 'reset' }));
  action('trading-password/unlock', async (id, op, why) => (await tradingPassword.unlock(id, op, why), { tradingPassword: 'unlocked' }));
  action('passkeys/reset', async (id, op, why) => ({ passkeysRemoved: await passkeys.supportReset(id, op, why) }));
}
