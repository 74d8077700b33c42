/**
 * Sessions: a random token in the browser, only its keyed hash in the database (a stolen database
 * holds no usable session). Idle and absolute timeouts per OWASP ASVS 3.3; a fresh token at every
 * login (no fixation); logout ends the session on the server.
 */
import { newToken } from '../../crypto/tokens';
import type { RequestContext } from '../context';
import type { Clock, KeyedHasher, Random } from '../ports';
import type { SessionWithAccount, Store, StoreTx } from '../store-types';

export interface SessionRules {
  idleMinutes: number;
  absoluteHours: number;
}

export interface IssuedSession {
  token: string;
  sessionId: number;
  absoluteExpiresAt: Date;
}

/** Writing last-seen on every request would turn each check into a write; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export class SessionService {
  constructor(
    private readonly deps: { store: Store; clock: Clock; random: Random; keyed: KeyedHasher },
    private readonly rules: SessionRules,
  ) {}

  tokenHash(token: string): string {
    return this.deps.keyed.hash('session', token);
  }

  async issue(tx: StoreTx, accountId: number, method: string, ctx: RequestContext): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const token = newToken(this.deps.random);
    const absoluteExpiresAt = new Date(now.getTime() + this.rules.absoluteHours * 3600_000);
    const session = await tx.sessions.insert({
      tokenHash: this.tokenHash(token),
      accountId,
      method,
      authenticatedAt: now,
      lastSeenAt: now,
      idleExpiresAt: this.idleExpiry(now, absoluteExpiresAt),
      absoluteExpiresAt,
      endedAt: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
    });
    return { token, sessionId: session.id, absoluteExpiresAt };
  }

  private idleExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.rules.idleMinutes * 60_000, absolute.getTime()));
  }

  /** The check every page of the trading service makes: one indexed read, a write at most once a minute. */
  async check(token: string | undefined | null): Promise<SessionWithAccount | null> {
    if (!token || token.length > 128) return null;
    const session = await this.deps.store.sessions.findActiveByTokenHash(this.tokenHash(token));
    if (!session) return null;
    const now = this.deps.clock.now();
    if (now >= session.idleExpiresAt || now >= session.absoluteExpiresAt) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      const idle = this.idleExpiry(now, session.absoluteExpiresAt);
      await this.deps.store.sessions.touch(session.id, now, idle);
      return { ...session, lastSeenAt: now, idleExpiresAt: idle };
    }
    return session;
  }

  async end(tx: StoreTx, sessionId: number): Promise<void> {
    await tx.sessions.end(sessionId, this.deps.clock.now());
  }
}
