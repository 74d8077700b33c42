/** Support-API keys for tests: an operator record with a role, and a key made as `mamori operators api-keys add` makes it. */
import type { Runtime } from '../../src/composition/open-runtime';
import type { OperatorRole } from '../../src/domain/desk/records';

/** A key of operator `name` (created with `role` unless it exists). */
export async function supportKeyFor(runtime: Runtime, name: string, role: OperatorRole = 'operator'): Promise<string> {
  const { operators, apiKeys } = runtime.services.desk;
  if (!(await operators.list()).some((o) => o.name === name)) await operators.add(name, role, 'test');
  return (await apiKeys.add(name, 'test', 'test')).key;
}

/**
 * Setup of a four-eyes action asked through the API: a supervisor other than the requester
 * approves request `id` by the API, as the desk does; returns that answer.
 */
export async function approveByApi(send: (url: string, body: unknown, key: string) => Promise<{ status: number; body: string }>, runtime: Runtime, id: number): Promise<{ status: number; body: string }> {
  const key = await supportKeyFor(runtime, 'approver', 'supervisor');
  return send(`/api/v1/support/requests/${id}/approve`, { reason: 'identity check reviewed' }, key);
}
