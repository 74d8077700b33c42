/**
 * Every second step is judged like a password: before anything is compared, the attempt takes
 * the throttle's slots (client address, login ID or recognised device, the account's hard cap);
 * a success gives them back, a failure keeps them and counts exactly like a wrong password
 * (docs/architecture.md, "Throttling"). Typed codes also take one of the flow's own tries.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import { DomainError } from '../errors';
import { attemptsExhausted, wrongCode } from '../one-time-codes/one-time-code';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { LoginFlow } from './records';
import { recordLocks } from './failure-records';
import type { LoginNotices } from './login-notices';
import type { CompletedLogin, LoginContext, LoginRules } from './login-types';
import type { Attempt, LoginThrottle } from './throttle';

/** Runs the expensive check of an attempt; if the check itself breaks, its slots are given back. */
export async function judged<T>(attempt: Attempt, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    await attempt.abandon();
    throw e;
  }
}

export class SecondStepJudge {
  constructor(private readonly deps: { ports: Ports; brand: Brand; throttle: LoginThrottle; rules: LoginRules; notices: LoginNotices }) {}

  /**
   * A typed code (e-mailed code, TOTP, recovery code): the throttle's slots and one of the flow's
   * tries are reserved first; `run` completes the login, or answers null for a wrong code.
   */
  async typedCode(
    flow: LoginFlow,
    account: Account,
    ctx: LoginContext,
    o: { audit: 'login.code_failed' | 'login.totp_failed'; wrong: 'code_invalid' | 'totp_invalid' },
    run: () => Promise<CompletedLogin | null>,
  ): Promise<CompletedLogin> {
    const { ports, throttle, rules } = this.deps;
    const { store, clock } = ports;
    const max = rules.codeMaxAttempts;
    const shown = flow.methodShown ?? '';
    const attempt = await throttle.begin({ ip: ctx.ip, loginId: account.loginId, deviceId: flow.recognizedDeviceId });
    const used = await judged(attempt, () => store.loginFlows.reserveCodeAttempt(flow.id, shown, max));
    if (used === null) {
      await attempt.abandon();
      const now = await store.loginFlows.find(flow.id);
      if (now?.state === 'done') throw new DomainError('flow_state', { state: 'done' });
      // Every try is taken by checks still running; one of them may yet complete the login.
      if (now?.state === flow.state && now.methodShown === flow.methodShown) throw new DomainError('too_many_requests', { retryAfter: 1 });
      throw attemptsExhausted();
    }
    const login = await judged(attempt, run);
    if (login) {
      await attempt.succeeded();
      return login;
    }
    const outcome = await attempt.failed();
    const now = clock.now();
    await store.transaction(async (tx) => {
      await recordAudit(tx, now, o.audit, { accountId: account.id, loginId: account.loginId, ctx, detail: { attempt: used } });
      if (used >= max) await tx.loginFlows.transition(flow.id, { state: flow.state, methodShown: flow.methodShown }, { state: 'failed' });
      await recordLocks(tx, this.deps, account, outcome, flow.recognizedDeviceId !== null, ctx);
      // The password was right and the second step was not: someone may have the password.
      await this.deps.notices.afterSecondStepFailure(tx, flow.id, account, shown, ctx);
    });
    throw wrongCode(o.wrong, max, used, { cap: outcome.remaining, ended: outcome.lockedNow || outcome.suspendedNow });
  }

  /**
   * A passkey assertion takes the same slots as a password or a code before it is checked (the
   * flow's account, when it is a second step; the client address alone for a passwordless login,
   * whose account is not known yet), and a refused assertion counts as a failure.
   */
  async passkey<T>(flow: LoginFlow | null, account: Account | null, ctx: LoginContext, verify: () => Promise<T>): Promise<T> {
    const { ports, throttle } = this.deps;
    const attempt = await throttle.begin({ ip: ctx.ip, loginId: account?.loginId ?? null, deviceId: flow?.recognizedDeviceId ?? null });
    let result: T;
    try {
      result = await verify();
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'passkey_invalid')) {
        await attempt.abandon();
        throw e;
      }
      const outcome = await attempt.failed();
      if (account) {
        await ports.store.transaction(async (tx) => {
          await recordLocks(tx, this.deps, account, outcome, (flow?.recognizedDeviceId ?? null) !== null, ctx);
          if (flow) await this.deps.notices.afterSecondStepFailure(tx, flow.id, account, 'passkey', ctx);
        });
      }
      throw e;
    }
    await attempt.succeeded();
    return result;
  }
}
