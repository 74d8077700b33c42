/** What a failed login factor leaves behind: the lock or suspension it caused, audited and mailed once. */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import { accountLockedMail, accountSuspendedMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { StoreTx } from '../store';
import type { LoginContext } from './login-types';
import type { FailureOutcome, LoginThrottle } from './throttle';

/** The lock or suspension a failure caused: audited and mailed once, by the failure that caused it. */
export async function recordLocks(
  tx: StoreTx,
  deps: { ports: Ports; brand: Brand; throttle: LoginThrottle },
  account: Account,
  outcome: FailureOutcome,
  recognized: boolean,
  ctx: LoginContext,
): Promise<void> {
  const { clock, random } = deps.ports;
  const now = clock.now();
  const who = { accountId: account.id, loginId: account.loginId, ctx };
  if (outcome.lockedNow) {
    await recordAudit(tx, now, 'login.locked', { ...who, detail: { scope: recognized ? 'device' : 'unrecognized_browsers' } });
    const mail = accountLockedMail(deps.brand, { name: account.name, at: now, minutes: deps.throttle.lockMinutes, ip: ctx.ip });
    await queueToVerified(tx, random, now, account.id, mail);
  }
  if (outcome.suspendedNow) {
    await recordAudit(tx, now, 'login.suspended', { ...who, detail: { scope: 'unrecognized_browsers', failures: deps.throttle.hardLockAfter } });
    const mail = accountSuspendedMail(deps.brand, { name: account.name, at: now, failures: deps.throttle.hardLockAfter, ip: ctx.ip });
    await queueToVerified(tx, random, now, account.id, mail);
  }
}
