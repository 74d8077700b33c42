/**
 * A login is a persisted flow (after Ory Kratos's selfservice/flow/login): the password was
 * right, and the flow waits for one second step — the method shown — among the methods still
 * open; then it is done, or failed after its last try. The client holds an opaque handle; the
 * database holds only its keyed hash, so a leaked table cannot be replayed. A flow expires and
 * is used once.
 */
import { newToken } from '../../crypto/tokens';
import { DomainError } from '../errors';
import type { KeyedHasher, Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { LoginFlow, LoginRiskNotice } from './records';
import type { RecognizedDevice } from '../devices/records';
import type { Store } from '../store';
import type { LoginContext, SecondStepMethod } from './login-types';
import { TOKEN_MAX } from '../input-limits';

export const AWAITING = 'awaiting_second_step' as const;

export function flowIdOf(keyed: KeyedHasher, handle: string): string {
  return keyed.hash('login-flow', handle);
}

/** The flow a client's handle names, while it still waits for a second step. */
export async function loadFlow(store: Store, keyed: KeyedHasher, handle: string | undefined | null, now: Date): Promise<LoginFlow> {
  if (!handle || handle.length > TOKEN_MAX) throw new DomainError('flow_not_found');
  return liveFlow(await store.loginFlows.find(flowIdOf(keyed, handle)), now);
}

export function liveFlow(flow: LoginFlow | undefined, now: Date): LoginFlow {
  if (!flow) throw new DomainError('flow_not_found');
  if (flow.expiresAt <= now) throw new DomainError('flow_expired');
  if (flow.state === 'failed') throw new DomainError('code_attempts_exceeded');
  if (flow.state !== AWAITING) throw new DomainError('flow_state', { state: flow.state });
  return flow;
}

/** A new flow showing `shown`, with `open` the methods the customer may use; returns the client's handle. */
export async function createFlow(
  ports: Ports,
  ttlSeconds: number,
  o: { account: Account; shown: SecondStepMethod; open: SecondStepMethod[]; device: RecognizedDevice | null; ctx: LoginContext; riskNotice?: LoginRiskNotice | null },
): Promise<{ handle: string; flow: LoginFlow }> {
  const { store, clock, keyed, random } = ports;
  const now = clock.now();
  const handle = newToken(random);
  const flow: LoginFlow = {
    id: flowIdOf(keyed, handle),
    accountId: o.account.id,
    state: AWAITING,
    methodsOpen: o.open,
    methodShown: o.shown,
    recognizedDeviceId: o.device?.id ?? null,
    codeHash: null,
    codeExpiresAt: null,
    codeSentAt: null,
    codeAttempts: 0,
    codeSendCount: 0,
    codeEmailId: null,
    method: null,
    ip: o.ctx.ip,
    userAgent: o.ctx.userAgent.slice(0, 512),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    completedAt: null,
    riskNotice: o.riskNotice ?? null,
  };
  await store.loginFlows.insert(flow);
  return { handle, flow };
}
