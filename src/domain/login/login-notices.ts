/**
 * Who is mailed about a login, and why (docs/requirements.md R-NOTICE-1..3). Some logins are
 * mailed whatever the customer chose, because they are what a takeover looks like: a browser not
 * seen before (whatever the method: e-mailed code, TOTP, passkey, recovery code), a success right
 * after a run of failures, a recovery code used. The opt-in ログイン通知 still tells its addresses
 * of every login. One login is one mail per address, saying every reason.
 *
 * An account's very first login is not called a new browser: there is nothing it is new against,
 * and at go-live every imported customer's first login would mail "new browser" at once (a
 * success after failures is still told). A mandatory notice goes to メールアドレス1 (the representative address, where the login codes
 * go; or the first verified one) and to every address with ログイン通知 on; a recovery code's use
 * goes to every verified address, as it always has. A second step that fails after a right password
 * is mailed to every verified address, once per flow (`claimFailureNotice`), so a guesser typing
 * codes cannot flood the mailbox.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import { describeUserAgent } from '../devices/user-agent';
import { loginNoticeMail, secondStepFailedMail, type LoginNoticeReason } from '../notifications/login-notice-messages';
import { queueMail, queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { StoreTx } from '../store';
import type { Account } from '../accounts/records';
import type { LoginRiskNotice } from './records';
import type { LoginContext, LoginMethod } from './login-types';

export interface LoginHistoryBefore {
  failures: number;
  loggedInBefore: boolean;
}

/** What a second step adds to its login's notice (a recovery code: how many are left). */
export interface LoginNoticeExtra {
  recoveryCodesLeft?: number;
}

const FAILURE_TYPES = ['login.failed', 'login.code_failed', 'login.totp_failed', 'passkey.failed'] as const;
/** Enough to tell "at least N in a row" for any N the configuration allows, and say how many. */
const FAILURES_LOOKBACK = 100;

/**
 * The failures since the account's last success (refused passkeys count only at login, not at
 * registration or step-up), and whether it ever logged in before (when the look-back holds no
 * success, only failures, it is taken to have). Read by the notices and by the after-failures signal.
 */
export async function failuresSinceLastSuccess(reader: Pick<StoreTx, 'audit'>, accountId: number): Promise<LoginHistoryBefore> {
  const { markerFound, events } = await reader.audit.listSinceLast(accountId, 'login.succeeded', FAILURE_TYPES, FAILURES_LOOKBACK);
  const failures = events.filter((e) => e.type !== 'passkey.failed' || e.detail.purpose === 'login' || e.detail.purpose === 'second_factor').length;
  return { failures, loggedInBefore: markerFound || events.length >= FAILURES_LOOKBACK };
}

export class LoginNotices {
  constructor(private readonly deps: { ports: Ports; brand: Brand; afterFailures: number }) {}

  /**
   * The account's login history as this login's notice needs it, read in the login's transaction
   * before its own success is written (`failuresSinceLastSuccess`).
   */
  historyBefore(tx: StoreTx, accountId: number): Promise<LoginHistoryBefore> {
    return failuresSinceLastSuccess(tx, accountId);
  }

  /** The login's mails, in its transaction: the mandatory reasons and the opt-in notice, one mail per address. */
  async afterLogin(
    tx: StoreTx,
    account: Account,
    login: { method: LoginMethod; newBrowser: boolean; failures: number; extra?: LoginNoticeExtra | void; passkeyExempt?: boolean; riskNotice?: LoginRiskNotice | null },
    ctx: LoginContext,
  ): Promise<void> {
    const { ports, brand, afterFailures } = this.deps;
    const now = ports.clock.now();
    const reasons: LoginNoticeReason[] = [];
    if (login.extra?.recoveryCodesLeft !== undefined) reasons.push('recovery_code');
    if (login.newBrowser) reasons.push('new_browser');
    if (login.failures >= afterFailures) reasons.push('after_failures');
    // A login without a phishing-resistant factor, allowed by a recorded exemption, is always told, to every address.
    if (login.passkeyExempt) reasons.push('passkey_exempt');
    // Behaviour signals set to notify (docs/operations.md): told in this same mail, not one of their own.
    if (login.riskNotice) reasons.push('unusual_login');
    const verified = (await tx.emails.listForAccount(account.id)).filter((e) => e.verifiedAt).sort((a, b) => a.slot - b.slot);
    const representative = verified[0];
    const everyVerified = reasons.includes('recovery_code') || reasons.includes('passkey_exempt');
    const to = verified.filter((e) => e.loginNotification || (reasons.length > 0 && (everyVerified || e === representative)));
    if (to.length === 0) return;
    const ua = describeUserAgent(ctx.userAgent);
    const facts = { name: account.name, at: now, browser: ua.browser, os: ua.os, ip: ctx.ip, method: login.method, reasons, failures: login.failures, recoveryCodesLeft: login.extra?.recoveryCodesLeft, risk: login.riskNotice ?? undefined };
    for (const address of to) await queueMail(tx, ports.random, now, address.address, loginNoticeMail(brand, facts, address.loginNotification));
    if (reasons.length) await recordAudit(tx, now, 'login.notice_queued', { accountId: account.id, loginId: account.loginId, ctx, detail: { reasons, addresses: to.length } });
  }

  /**
   * A second step failed after the right password: every verified address is told, the first time
   * in this flow only (the conditional update decides, across processes).
   */
  async afterSecondStepFailure(tx: StoreTx, flowId: string, account: Account, method: string, ctx: LoginContext): Promise<void> {
    const { ports, brand } = this.deps;
    const now = ports.clock.now();
    if (!(await tx.loginFlows.claimFailureNotice(flowId, now))) return;
    const ua = describeUserAgent(ctx.userAgent);
    const mail = secondStepFailedMail(brand, { name: account.name, at: now, browser: ua.browser, os: ua.os, ip: ctx.ip, method });
    await queueToVerified(tx, ports.random, now, account.id, mail);
    await recordAudit(tx, now, 'login.notice_queued', { accountId: account.id, loginId: account.loginId, ctx, detail: { reasons: ['second_step_failed'], method } });
  }
}
