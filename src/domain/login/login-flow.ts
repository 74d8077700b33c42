/**
 * A login is a persisted flow (SPEC 4, after Ory Kratos): password verified → waiting for the
 * e-mailed code or the TOTP → done. The client holds an opaque handle; the database holds only
 * its keyed hash, so a leaked table cannot be replayed. A flow expires and is used once.
 */
import { DomainError } from '../errors';
import type { KeyedHasher } from '../ports';
import type { LoginFlow, LoginFlowState } from './records';
import type { Store } from '../store';

export function flowIdOf(keyed: KeyedHasher, handle: string): string {
  return keyed.hash('login-flow', handle);
}

export async function loadFlow(store: Store, keyed: KeyedHasher, handle: string | undefined | null, now: Date, expected: LoginFlowState): Promise<LoginFlow> {
  if (!handle || handle.length > 128) throw new DomainError('flow_not_found');
  const flow = await store.loginFlows.find(flowIdOf(keyed, handle));
  if (!flow) throw new DomainError('flow_not_found');
  if (flow.expiresAt <= now) throw new DomainError('flow_expired');
  if (flow.state === 'failed') throw new DomainError('code_attempts_exceeded');
  if (flow.state !== expected) throw new DomainError('flow_state', { state: flow.state });
  return flow;
}
