/** Support-API keys for tests: an operator record with a role, and a key made as `mamori operators api-keys add` makes it. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Runtime } from '../../src/composition/open-runtime';
import type { OperatorRole } from '../../src/domain/desk/records';

/** A key of operator `name` (created with `role` unless it exists). */
export async function supportKeyFor(runtime: Runtime, name: string, role: OperatorRole = 'operator'): Promise<string> {
  const { operators, apiKeys } = runtime.services.desk;
  if (!(await operators.list()).some((o) => o.name === name)) await operators.add(name, role, 'test');
  return (await apiKeys.add(name, 'test', 'test')).key;
}

/**
 * Setup of a four-eyes action asked through the API (202, pending): another operator, a
 * supervisor, approves it through the API, and that answer is returned. Any other answer (the
 * action took effect at once, or was refused) is returned as it is.
 */
export async function approvedByInject(app: FastifyInstance, runtime: Runtime, asked: LightMyRequestResponse): Promise<LightMyRequestResponse> {
  if (asked.statusCode !== 202) return asked;
  const key = await supportKeyFor(runtime, 'approver', 'supervisor');
  return app.inject({ method: 'POST', url: `/api/v1/support/requests/${asked.json().request.id}/approve`, headers: { authorization: `Bearer ${key}` }, payload: { reason: 'identity check reviewed' } });
}
