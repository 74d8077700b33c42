/**
 * The end of every successful login, whatever the way: the session, the recognised browser, the
 * audit record and the login-notification mails, in one transaction.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import type { DeviceService, IssuedDevice } from '../devices/device-service';
import { describeUserAgent } from '../devices/user-agent';
import { DomainError } from '../errors';
import { loginNotificationMail } from '../notifications/messages';
import { queueMail } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { SessionService } from '../sessions/session-service';
import { authMethodsFor } from '../sessions/auth-methods';
import type { Account } from '../accounts/records';
import type { LoginFlow } from './records';
import type { StoreTx } from '../store';
import { AWAITING } from './login-flow';
import type { CompletedLogin, LoginContext, LoginMethod } from './login-types';
import type { LoginThrottle } from './throttle';

export class LoginCompletion {
  constructor(private readonly deps: { ports: Ports; brand: Brand; sessions: SessionService; devices: DeviceService; throttle: LoginThrottle }) {}

  /**
   * Completes a waiting flow by `method`. `guard` runs in the login's transaction before it
   * completes (a replay check, a recovery code's use) and may throw to abort it.
   */
  async flow(flow: LoginFlow, account: Account, method: LoginMethod, ctx: LoginContext, guard?: (tx: StoreTx) => Promise<void>): Promise<CompletedLogin> {
    const { store, clock } = this.deps.ports;
    const login = await store.transaction(async (tx) => {
      // Single use, race-safe: of many concurrent submissions exactly one moves the flow on.
      const moved = await tx.loginFlows.transition(flow.id, { state: AWAITING, methodShown: flow.methodShown }, { state: 'done', method, completedAt: clock.now() });
      if (!moved) throw new DomainError('flow_state', { state: 'done' });
      await guard?.(tx);
      return this.finish(tx, account, method, flow.recognizedDeviceId, ctx, true);
    });
    await this.deps.throttle.clearAfterLogin(account.loginId, flow.recognizedDeviceId);
    return login;
  }

  /** A login that needs no second step (a recognised browser, or before the additional-authentication date). */
  withoutFlow(account: Account, method: LoginMethod, deviceId: number | null, ctx: LoginContext): Promise<CompletedLogin> {
    return this.deps.ports.store.transaction((tx) => this.finish(tx, account, method, deviceId, ctx, false));
  }

  /** A passwordless passkey login: multi-factor by itself, so the browser becomes recognised. */
  async passwordless(account: Account, deviceId: number | null, ctx: LoginContext): Promise<CompletedLogin> {
    const login = await this.deps.ports.store.transaction((tx) => this.finish(tx, account, 'passkey', deviceId, ctx, true, true));
    await this.deps.throttle.clearAfterLogin(account.loginId, deviceId);
    return login;
  }

  private async finish(tx: StoreTx, account: Account, method: LoginMethod, existingDeviceId: number | null, ctx: LoginContext, additionalAuthenticated: boolean, passwordless = false): Promise<CompletedLogin> {
    const { ports, devices, sessions, brand } = this.deps;
    const now = ports.clock.now();
    let device: IssuedDevice | null = null;
    if (existingDeviceId !== null) await devices.touch(tx, existingDeviceId);
    else if (additionalAuthenticated) {
      // Recognised only after a successful additional authentication.
      device = await devices.recognize(tx, account.id, ctx);
      await recordAudit(tx, now, 'device.recognized', { accountId: account.id, loginId: account.loginId, ctx, detail: { deviceId: device.deviceId } });
    }
    // The session remembers its browser, so that browser's 解除 ends it (migration 0009).
    const session = await sessions.issue(tx, account, method, ctx, existingDeviceId ?? device?.deviceId ?? null, authMethodsFor(method, passwordless));
    await recordAudit(tx, now, 'login.succeeded', { accountId: account.id, loginId: account.loginId, ctx, detail: { method } });
    const notify = (await tx.emails.listForAccount(account.id)).filter((e) => e.verifiedAt && e.loginNotification);
    if (notify.length) {
      const ua = describeUserAgent(ctx.userAgent);
      const mail = loginNotificationMail(brand, { name: account.name, at: now, browser: ua.browser, os: ua.os, ip: ctx.ip, method });
      for (const address of notify) await queueMail(tx, ports.random, now, address.address, mail);
    }
    return { state: 'done', method, session, device, loginId: account.loginId, name: account.name };
  }
}
