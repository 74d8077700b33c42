/**
 * The sessions a customer controls (docs/requirements.md R-SESSION-LIST-1..3): the list of their
 * live sessions on セキュリティ設定 and in the JSON API, ログアウト of any one, and
 * 他のすべての端末からログアウト. Every ending is audited and announced to every process in the
 * transaction that makes it, so no process answers for an ended session from its cache.
 *
 * No trading password is asked for ending sessions, by decision. Ending a session only takes
 * access away: an intruder holding a stolen session could use it to log the customer out of their
 * other browsers, but gains nothing by it (the customer logs in again with their own password and
 * second step, and is told of it in ログイン履歴 and the audit log), whereas a customer who sees a
 * session that is not theirs must be able to end it at once, even when their trading password is
 * locked or forgotten: a step in front of the one action that throws an intruder out would help
 * the intruder more than the customer.
 */
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { shownIp } from '../client-address';
import { describeUserAgent } from '../devices/user-agent';
import { DomainError, InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { SessionService } from './session-service';

/** One live session as the customer is shown it. */
export interface SessionView {
  id: number;
  /** The session this request came from (「ご利用中の端末」). */
  current: boolean;
  browser: string;
  os: string;
  ip: string;
  /** ISO 3166 code, once the behaviour signals provide it; null until then. */
  country: string | null;
  startedAt: Date;
  lastSeenAt: Date;
  /** How the login was made (email_code, totp, passkey, recovery_code, recognized_device, password). */
  method: string;
  /** As the browser sent it: for the desk (`support show`). */
  userAgent: string;
}

interface Owner {
  id: number;
  loginId: string;
}

export class CustomerSessions {
  constructor(
    private readonly ports: Ports,
    private readonly sessions: SessionService,
  ) {}

  /** The account's live sessions, this one first, then the newest. */
  async list(account: Owner, currentSessionId: number): Promise<SessionView[]> {
    const live = await this.sessions.listLive(account.id);
    const views = live.map((s) => ({
      id: s.id,
      current: s.id === currentSessionId,
      ...describeUserAgent(s.userAgent),
      ip: shownIp(s.ip) ?? '',
      country: s.country ?? null,
      startedAt: s.authenticatedAt,
      lastSeenAt: s.lastSeenAt,
      method: s.method,
      userAgent: s.userAgent,
    }));
    return [...views.filter((v) => v.current), ...views.filter((v) => !v.current)];
  }

  /** ログアウト of one session (this one too: then it is a logout). */
  async end(account: Owner, rawId: unknown, ctx: RequestContext & { sessionId: number }): Promise<{ current: boolean }> {
    const id = parseSessionId(rawId);
    const now = this.ports.clock.now();
    await this.sessions.endAndSpread(account.id, () =>
      this.ports.store.transaction(async (tx) => {
        if (!(await this.sessions.endOne(tx, account.id, id))) throw new DomainError('not_found', { reason: 'session' });
        await recordAudit(tx, now, 'session.ended', { accountId: account.id, loginId: account.loginId, ctx, detail: { sessionId: id, by: 'customer', current: id === ctx.sessionId } });
      }),
    );
    return { current: id === ctx.sessionId };
  }

  /** 他のすべての端末からログアウト: every session but the one asking; how many ended. */
  async endOthers(account: Owner, ctx: RequestContext & { sessionId: number }): Promise<number> {
    const now = this.ports.clock.now();
    return this.sessions.endAndSpread(account.id, () =>
      this.ports.store.transaction(async (tx) => {
        const ended = await this.sessions.endAllBut(tx, account.id, ctx.sessionId);
        await recordAudit(tx, now, 'session.others_ended', { accountId: account.id, loginId: account.loginId, ctx, detail: { ended, by: 'customer', keptSessionId: ctx.sessionId } });
        return ended;
      }),
    );
  }
}

function parseSessionId(raw: unknown): number {
  const id = typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new InvalidInput('session', 'format');
  return id;
}
