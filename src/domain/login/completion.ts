/**
 * The end of every successful login, whatever the way: the session, the recognised browser, the
 * audit record and the login's mails (login-notices.ts: mandatory and opt-in, one per address), in
 * one transaction. From PASSKEY_REQUIRED_FROM a customer without a passkey gets a session held to
 * passkey registration (the web's gate reads the flag); an exempt customer's login is told to
 * every verified address, whatever the opt-in.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import type { DeviceService, IssuedDevice } from '../devices/device-service';
import { DomainError } from '../errors';
import type { Ports } from '../ports';
import type { SessionService } from '../sessions/session-service';
import { authMethodsFor } from '../sessions/auth-methods';
import type { Account } from '../accounts/records';
import type { LoginFlow, LoginRiskNotice } from './records';
import type { StoreTx } from '../store';
import { AWAITING } from './login-flow';
import type { CompletedLogin, LoginContext, LoginMethod } from './login-types';
import type { LoginNoticeExtra, LoginNotices } from './login-notices';
import type { LoginThrottle } from './throttle';
import type { PasskeyRequirements } from '../passkey-policy/passkey-requirements';

export class LoginCompletion {
  constructor(
    private readonly deps: { ports: Ports; brand: Brand; sessions: SessionService; devices: DeviceService; throttle: LoginThrottle; notices: LoginNotices; passkeyRequirements: PasskeyRequirements },
  ) {}

  /**
   * Completes a waiting flow by `method`. `guard` runs in the login's transaction before it
   * completes (a replay check, a recovery code's use), may throw to abort it, and may add to the
   * login's notice (a recovery code: how many are left).
   */
  async flow(flow: LoginFlow, account: Account, method: LoginMethod, ctx: LoginContext, guard?: (tx: StoreTx) => Promise<LoginNoticeExtra | void>): Promise<CompletedLogin> {
    const { store, clock } = this.deps.ports;
    const login = await store.transaction(async (tx) => {
      // Single use, race-safe: of many concurrent submissions exactly one moves the flow on.
      const moved = await tx.loginFlows.transition(flow.id, { state: AWAITING, methodShown: flow.methodShown }, { state: 'done', method, completedAt: clock.now() });
      if (!moved) throw new DomainError('flow_state', { state: 'done' });
      const extra = await guard?.(tx);
      const done = await this.finish(tx, account, method, flow.recognizedDeviceId, ctx, true, { extra, riskNotice: flow.riskNotice });
      await this.deps.throttle.clearAfterLogin(account.loginId, flow.recognizedDeviceId, tx);
      return done;
    });
    return login;
  }

  /**
   * A login that needs no second step (a recognised browser, or before the additional-authentication
   * date). `settle` runs last in the login's transaction: the password attempt's throttle slots end
   * with the commit that creates the session, not in commits of their own.
   */
  withoutFlow(account: Account, method: LoginMethod, deviceId: number | null, ctx: LoginContext, riskNotice: LoginRiskNotice | null, settle: (tx: StoreTx) => Promise<void>): Promise<CompletedLogin> {
    return this.deps.ports.store.transaction(async (tx) => {
      const done = await this.finish(tx, account, method, deviceId, ctx, false, { riskNotice });
      await settle(tx);
      return done;
    });
  }

  /** A passwordless passkey login: multi-factor by itself, so the browser becomes recognised. */
  passwordless(account: Account, deviceId: number | null, ctx: LoginContext): Promise<CompletedLogin> {
    return this.deps.ports.store.transaction(async (tx) => {
      const done = await this.finish(tx, account, 'passkey', deviceId, ctx, true, {}, true);
      await this.deps.throttle.clearAfterLogin(account.loginId, deviceId, tx);
      return done;
    });
  }

  private async finish(
    tx: StoreTx,
    account: Account,
    method: LoginMethod,
    existingDeviceId: number | null,
    ctx: LoginContext,
    additionalAuthenticated: boolean,
    told: { extra?: LoginNoticeExtra | void; riskNotice?: LoginRiskNotice | null },
    passwordless = false,
  ): Promise<CompletedLogin> {
    const { ports, devices, sessions, notices } = this.deps;
    const now = ports.clock.now();
    let device: IssuedDevice | null = null;
    if (existingDeviceId !== null) await devices.touch(tx, existingDeviceId);
    else if (additionalAuthenticated) {
      // Recognised only after a successful additional authentication.
      device = await devices.recognize(tx, account.id, ctx);
      await recordAudit(tx, now, 'device.recognized', { accountId: account.id, loginId: account.loginId, ctx, detail: { deviceId: device.deviceId } });
    }
    const requirement = await this.deps.passkeyRequirements.forAccount(account.id, tx);
    const passkeyPending = requirement.kind === 'required';
    // The session remembers its browser, so that browser's 解除 ends it (migration 0009).
    const holds = { passkey: passkeyPending, passwordChange: account.passwordChangeRequiredAt !== null };
    const session = await sessions.issue(tx, account, method, ctx, existingDeviceId ?? device?.deviceId ?? null, holds, authMethodsFor(method, passwordless));
    // Read before this success is written: the failures since the one before, and whether there was one.
    const before = await notices.historyBefore(tx, account.id);
    const passkeyExempt = requirement.kind === 'exempt';
    await recordAudit(tx, now, 'login.succeeded', { accountId: account.id, loginId: account.loginId, ctx, detail: { method, ...(passkeyPending ? { passkeyPending } : {}), ...(passkeyExempt ? { passkeyExempt } : {}) } });
    // A browser is new when it brought no recognised-browser cookie and the login proved a second
    // factor (a passkey alone included), on an account that logged in before. A password-only login
    // before the additional-authentication date recognises no browser, so every one of them would be
    // "new": those are not called new.
    const newBrowser = existingDeviceId === null && additionalAuthenticated && before.loggedInBefore;
    await notices.afterLogin(tx, account, { method, newBrowser, failures: before.failures, extra: told.extra, passkeyExempt, riskNotice: told.riskNotice ?? null }, ctx);
    return { state: 'done', method, session, device, loginId: account.loginId, name: account.name, passkeyEnrolmentRequired: passkeyPending };
  }
}
