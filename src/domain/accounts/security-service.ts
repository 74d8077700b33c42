/**
 * The customer's own security overview on 登録情報照会: ログイン履歴, 登録済み端末 (with 解除),
 * and the two password changes. A login-password change ends every other session and forgets
 * every other recognised browser (docs/requirements.md R-PWD-3; ASVS 3.3.3), so a thief holding the old password or a
 * stolen cookie is locked out at once.
 */
import { shownIp } from '../client-address';
import { CHANGED_PASSWORD_MAX } from '../input-limits';
import { checkNewLoginPassword, checkTradingPassword } from './password-policy';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { describeUserAgent } from '../devices/user-agent';
import { DomainError, InvalidInput } from '../errors';
import { passwordChangedMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { Account } from './records';
import type { RecognizedDevice } from '../devices/records';
import type { ReauthenticationService } from '../reauthentication/reauthentication-service';
import type { SessionService } from '../sessions/session-service';
import type { NetworkLookup } from '../risk/network';
import { placeOf } from '../risk/history-place';

export const LOGIN_HISTORY_SIZE = 20;

/** The events a customer recognises as "a login to my account", successful or not. */
const HISTORY_TYPES = ['login.succeeded', 'login.failed', 'login.code_failed', 'login.totp_failed', 'login.locked', 'login.suspended', 'passkey.failed', 'login.risk'] as const;

export type HistoryResult = 'success' | 'wrong_password' | 'wrong_code' | 'wrong_totp' | 'locked' | 'suspended' | 'passkey_refused' | 'risk';

export interface HistoryEntry {
  at: Date;
  ip: string;
  browser: string;
  os: string;
  /** login.succeeded: how (email_code, totp, passkey, …). */
  method: string | null;
  result: HistoryResult;
  /** Where the address is (r17-signals): as recorded with a decision, else as the shipped data says now. */
  country: string | null;
  network: string | null;
  /** A behaviour-signal decision (`login.risk`): its signals and the response applied. */
  risk: { signals: string[]; action: string } | null;
}

export interface DeviceView {
  id: number;
  browser: string;
  os: string;
  firstUsedAt: Date;
  lastUsedAt: Date;
  current: boolean;
  /** As the browser sent it, and when the recognition ends: for the desk (`support show`). */
  userAgent: string;
  expiresAt: Date;
}

const RESULT_OF: Record<string, HistoryResult> = {
  'login.succeeded': 'success',
  'login.failed': 'wrong_password',
  'login.code_failed': 'wrong_code',
  'login.totp_failed': 'wrong_totp',
  'login.locked': 'locked',
  'login.suspended': 'suspended',
  'passkey.failed': 'passkey_refused',
  'login.risk': 'risk',
};

/** Logins elsewhere since this session began that are skipped to find the one before it. */
const PREVIOUS_LOGIN_LOOKBACK = 20;

export class SecurityService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; reauthentication: ReauthenticationService; sessions: SessionService; networks?: NetworkLookup },
  ) {}

  async loginHistory(account: Account): Promise<HistoryEntry[]> {
    const events = await this.ports.store.audit.listForAccount(account.id, LOGIN_HISTORY_SIZE * 2, HISTORY_TYPES);
    return events
      // A refused passkey at registration or step-up is not a login attempt.
      .filter((e) => e.type !== 'passkey.failed' || e.detail.purpose === 'login' || e.detail.purpose === 'second_factor')
      .slice(0, LOGIN_HISTORY_SIZE)
      .map((e) => ({
        at: e.at,
        // Rows written before addresses were checked may hold junk: shown only when a valid IP.
        ip: shownIp(e.ip) ?? '',
        ...describeUserAgent(e.userAgent ?? ''),
        method: typeof e.detail.method === 'string' ? e.detail.method : null,
        result: RESULT_OF[e.type] ?? 'wrong_password',
        ...placeOf(e, this.deps.networks),
      }));
  }

  /**
   * When the customer last logged in before this session (前回ログイン日時), or null the first time.
   * This login's own event is the newest at or before the session's start (written in the same
   * transaction, a moment earlier); newer ones are logins elsewhere since, not "the previous".
   */
  async previousLogin(session: { accountId: number; authenticatedAt: Date }): Promise<Date | null> {
    const events = await this.ports.store.audit.listForAccount(session.accountId, PREVIOUS_LOGIN_LOOKBACK, ['login.succeeded']);
    const mine = events.findIndex((e) => e.at.getTime() <= session.authenticatedAt.getTime());
    return mine < 0 ? null : (events[mine + 1]?.at ?? null);
  }

  async devices(account: Account, currentDeviceId: number | null): Promise<DeviceView[]> {
    const now = this.ports.clock.now();
    const live = (await this.ports.store.devices.listForAccount(account.id)).filter((d: RecognizedDevice) => !d.revokedAt && d.expiresAt > now);
    return live.map((d) => ({ id: d.id, ...describeUserAgent(d.userAgent), firstUsedAt: d.createdAt, lastUsedAt: d.lastUsedAt, current: d.id === currentDeviceId, userAgent: d.userAgent, expiresAt: d.expiresAt }));
  }

  /** 解除: that browser's sessions end at once, and its next login asks for the e-mailed code again. */
  async revokeDevice(account: Account, rawId: unknown, ctx: RequestContext): Promise<void> {
    const id = typeof rawId === 'string' && /^[0-9]{1,15}$/.test(rawId) ? Number(rawId) : rawId;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new InvalidInput('device', 'format');
    const { store, clock } = this.ports;
    const now = clock.now();
    await this.deps.sessions.endAndSpread(account.id, () =>
      store.transaction(async (tx) => {
        if (!(await tx.devices.revokeForAccount(account.id, id, now))) throw new DomainError('not_found', { reason: 'device' });
        await this.deps.sessions.endAllFromDevice(tx, account.id, id);
        await recordAudit(tx, now, 'device.revoked', { accountId: account.id, loginId: account.loginId, ctx, detail: { deviceId: id, by: 'customer' } });
      }),
    );
  }

  /**
   * ログインパスワード変更: the current password, the new one twice, confirmed with the trading
   * password and a fresh second factor (a phished session and trading password must not change
   * it). Other sessions end; other recognised browsers are revoked; every address is told.
   */
  async changeLoginPassword(
    account: Account,
    input: { current: unknown; next: unknown; confirmation: unknown; tradingPassword: unknown; confirmationCode?: unknown },
    ctx: RequestContext & { sessionId: number; deviceId: number | null },
  ): Promise<void> {
    const next = this.newPassword(input.next, input.confirmation);
    const current = this.required(input.current, 'currentPassword');
    const problem = checkNewLoginPassword(next, account.loginId);
    if (problem) throw new DomainError('password_policy', { reason: problem });
    const { passwords, store, clock, random } = this.ports;
    if (next === current) throw new DomainError('password_policy', { reason: 'same_as_current' });
    // One attempt of the trading password's five covers both other answers this screen gives: a
    // wrong current login password, and "must differ from the trading password" (which says
    // whether a guess IS the trading password).
    // The desk's must-change flag: the customer proved themself to the desk and logged in with its
    // reset; that one change keeps the trading password alone (the flag is the desk's, never a session's).
    const confirmation = { tradingPassword: input.tradingPassword, confirmationCode: input.confirmationCode };
    const confirm = (alsoCheck: () => Promise<DomainError | null>) =>
      account.passwordChangeRequiredAt
        ? this.deps.reauthentication.confirmTradingPasswordOnly(account, input.tradingPassword, ctx, 'login_password_change', alsoCheck)
        : this.deps.reauthentication.confirmChange(account, confirmation, ctx, 'login_password_change', alsoCheck);
    await confirm(async () => {
      if (!(await passwords.verify(account.loginPasswordHash, current)).ok) return new DomainError('invalid_credentials', { reason: 'current_password' });
      if ((await passwords.verify(account.tradingPasswordHash, next)).ok) return new DomainError('password_policy', { reason: 'same_as_trading_password' });
      return null;
    });
    const hash = await passwords.hash(next);
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.accounts.updateLoginPasswordHash(account.id, hash, now);
      await tx.accounts.setPasswordChangeRequired(account.id, null);
      await this.deps.sessions.endAllBut(tx, account.id, ctx.sessionId);
      if (account.passwordChangeRequiredAt) await this.deps.sessions.releasePasswordChangeHold(tx, account.id);
      await tx.devices.revokeAllForAccount(account.id, now, ctx.deviceId ?? undefined);
      await recordAudit(tx, now, 'password.changed', { accountId: account.id, loginId: account.loginId, ctx });
      const mail = passwordChangedMail(this.deps.brand, 'login', { name: account.name, at: now, ip: ctx.ip });
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }

  /** 取引パスワード変更: the current trading password and a fresh second factor, the new one twice; it must differ from the login password. */
  async changeTradingPassword(account: Account, input: { current: unknown; next: unknown; confirmation: unknown; confirmationCode?: unknown }, ctx: RequestContext): Promise<void> {
    const next = this.newPassword(input.next, input.confirmation);
    const problem = checkTradingPassword(next, '');
    if (problem) throw new DomainError('password_policy', { reason: problem });
    // Once the current one is proved right, "the same as the current one" is a plain comparison.
    if (next === input.current) throw new DomainError('password_policy', { reason: 'same_as_current' });
    const { passwords, store, clock, random } = this.ports;
    // "Must differ from the login password" says whether a guess IS the login password: the answer
    // is part of the same counted attempt as the current trading password, so a stranger holding a
    // session and the trading password cannot test login passwords without limit.
    await this.deps.reauthentication.confirmChange(account, { tradingPassword: input.current, confirmationCode: input.confirmationCode }, ctx, 'trading_password_change', async () => {
      if ((await passwords.verify(account.loginPasswordHash, next)).ok) return new DomainError('password_policy', { reason: 'same_as_login_password' });
      return null;
    });
    const hash = await passwords.hash(next);
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.accounts.updateTradingPasswordHash(account.id, hash, now);
      await recordAudit(tx, now, 'trading_password.changed', { accountId: account.id, loginId: account.loginId, ctx });
      const mail = passwordChangedMail(this.deps.brand, 'trading', { name: account.name, at: now, ip: ctx.ip });
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }

  private required(raw: unknown, field: string): string {
    if (typeof raw !== 'string' || raw.length === 0) throw new InvalidInput(field, 'required');
    if (raw.length > CHANGED_PASSWORD_MAX) throw new InvalidInput(field, 'too_long');
    return raw;
  }

  private newPassword(raw: unknown, confirmation: unknown): string {
    const next = this.required(raw, 'newPassword');
    if (typeof confirmation !== 'string' || confirmation !== next) throw new InvalidInput('newPasswordConfirmation', 'mismatch');
    return next;
  }
}
