/**
 * Step-up the trading service can enforce (docs/requirements.md R-STEPUP-1 to R-STEPUP-4; the
 * 2025 JSDA guideline asks for phishing-resistant authentication again before a withdrawal and a
 * change of the withdrawal account). The customer proves themself in the signed-in session — a
 * passkey with user verification, or, without a passkey, the current TOTP or a code mailed for
 * that purpose — and the session gets a new token (a copy of the old one lifted before the
 * step-up is worth nothing) and a single-use grant bound to the purpose and a keyed hash of the
 * operation's intent. The trading service then spends the grant once, within the step-up's
 * lifetime; a stale, reused, foreign or mismatched one answers `step_up_required`.
 *
 * A passkey still cooling off (cooling-off.ts) cannot satisfy these purposes: someone who phished a
 * session and registered their own passkey cannot withdraw with it before the customer was told.
 */
import { authenticationOptions } from '../../crypto/webauthn';
import type { Account } from '../accounts/records';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { formatJstClock } from '../notifications/format';
import type { Ports } from '../ports';
import { coolingOffUntil, isCoolingOff } from '../passkeys/cooling-off';
import type { Passkey } from '../passkeys/records';
import { parseCredential, type Ceremony, type WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';
import type { ReauthenticationService, SentCode } from '../reauthentication/reauthentication-service';
import type { SessionService } from '../sessions/session-service';
import { STEP_UP_PURPOSES, type CodeStepUp, type StepUpMethod, type StepUpPurpose } from './records';

export interface StepUpRules {
  coolingOffHours: number;
  maxAgeSeconds: number;
}

/** The session a step-up belongs to. */
export interface StepUpSession {
  id: number;
  accountId: number;
}

export type StepUpStart = ({ method: 'passkey' } & Ceremony<unknown>) | { method: 'totp' | 'email_code' };

export interface StepUpDone {
  /** The session's new token: the old one stopped working. */
  token: string;
  method: StepUpMethod;
  at: Date;
}

/** An opaque value of the trading service's (a hash of amount and destination): printable ASCII, no spaces. */
const INTENT = /^[\x21-\x7e]{1,256}$/;

export class StepUpService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { sessions: SessionService; ceremonies: WebauthnCeremonies; reauthentication: ReauthenticationService },
    private readonly rules: StepUpRules,
  ) {}

  /** `purpose` as the trading service names it; absent only for Mamori's own step-up (critical changes). */
  parsePurpose(raw: unknown, optional = false): StepUpPurpose | null {
    if (optional && (raw === undefined || raw === null || raw === '')) return null;
    if (typeof raw !== 'string' || !(STEP_UP_PURPOSES as readonly string[]).includes(raw)) throw new InvalidInput('purpose', raw === undefined ? 'required' : 'format');
    return raw as StepUpPurpose;
  }

  /** `intent` is optional; absent, it is the empty intent, and the consume must give none either. */
  parseIntent(raw: unknown): string {
    if (raw === undefined || raw === null || raw === '') return '';
    if (typeof raw !== 'string' || !INTENT.test(raw)) throw new InvalidInput('intent', 'format');
    return raw;
  }

  /** Which way this customer steps up: the passkey if they have one, else TOTP, else a mailed code. */
  async method(account: Account): Promise<StepUpMethod> {
    if ((await this.ports.store.passkeys.listForAccount(account.id)).length) return 'passkey';
    return account.totpEnabledAt ? 'totp' : 'email_code';
  }

  /**
   * The first step: for a passkey, the WebAuthn request options for the passkeys that may answer
   * (not those cooling off, for the trading service's purposes); otherwise which code to type.
   */
  async begin(account: Account, purpose: StepUpPurpose | null): Promise<StepUpStart> {
    const method = await this.method(account);
    if (method !== 'passkey') {
      // Mamori's own step-up (critical changes) is the passkey's alone.
      if (purpose === null) throw new DomainError('not_found', { field: 'passkey' });
      return { method };
    }
    const passkeys = await this.ports.store.passkeys.listForAccount(account.id);
    const usable = purpose === null ? passkeys : passkeys.filter((p) => !this.coolingOff(p));
    if (!usable.length) throw this.coolingOffError(passkeys);
    const { challengeId, challenge } = await this.deps.ceremonies.newChallenge('step_up', account.id, null);
    const options = await authenticationOptions(this.deps.ceremonies.rp, usable.map((p) => ({ id: p.credentialId, transports: p.transports })), challenge);
    return { method, challengeId, options };
  }

  /** Why the page cannot offer a passkey step-up for `purpose` (every passkey still new), or null. */
  async blockedByCoolingOff(account: Account, purpose: StepUpPurpose): Promise<DomainError | null> {
    const passkeys = await this.ports.store.passkeys.listForAccount(account.id);
    return passkeys.length && passkeys.every((p) => this.coolingOff(p)) ? this.coolingOffError(passkeys) : null;
  }

  /** 「確認コードをメールで送信」 for a customer without a passkey: a code for this purpose and session. */
  async sendCode(account: Account, session: StepUpSession, purpose: StepUpPurpose, ctx: RequestContext): Promise<SentCode> {
    if ((await this.method(account)) === 'passkey') throw new DomainError('forbidden', { reason: 'passkey_required' });
    return this.deps.reauthentication.requestCode(account, session.id, purpose, ctx);
  }

  sentCode(account: Account, session: StepUpSession, purpose: StepUpPurpose): Promise<SentCode | null> {
    return this.deps.reauthentication.sentCode(account, session.id, purpose);
  }

  /**
   * The proof: a passkey assertion for a customer who has a passkey (nothing else is accepted from
   * them), else the current TOTP or the mailed code. Then, in one transaction: the new token, the
   * passkey's step-up time on the session, the grant, the audit record.
   */
  async finish(
    account: Account,
    session: StepUpSession,
    purpose: StepUpPurpose | null,
    intent: string,
    input: { challengeId?: unknown; credential?: unknown; code?: unknown },
    ctx: RequestContext,
  ): Promise<StepUpDone> {
    const expected = await this.method(account);
    let method: StepUpMethod;
    if (expected === 'passkey') {
      if (input.credential === undefined && input.code !== undefined) throw new DomainError('forbidden', { reason: 'passkey_required' });
      parseCredential(input.credential);
      const ch = await this.deps.ceremonies.useChallenge(input.challengeId, 'step_up', ctx, account.id);
      const passkey = await this.deps.ceremonies.assert(ch, input.credential, ctx);
      if (purpose !== null && this.coolingOff(passkey)) {
        await recordAudit(this.ports.store, this.ports.clock.now(), 'step_up.refused', { accountId: account.id, loginId: account.loginId, ctx, detail: { purpose, reason: 'cooling_off', passkeyId: passkey.id } });
        throw this.coolingOffError([passkey]);
      }
      method = 'passkey';
    } else {
      if (purpose === null) throw new DomainError('not_found', { field: 'passkey' });
      method = await this.deps.reauthentication.assertFreshSecondFactor(account, session.id, purpose, { code: input.code }, ctx);
    }
    const { store, clock } = this.ports;
    const now = clock.now();
    const token = await store.transaction(async (tx) => {
      const renewed = await this.deps.sessions.renew(tx, session);
      if (method === 'passkey') await this.deps.sessions.markStepUp(tx, session, now);
      if (purpose !== null) {
        const expiresAt = new Date(now.getTime() + this.rules.maxAgeSeconds * 1000);
        await tx.stepUpGrants.put({
          sessionId: session.id,
          accountId: account.id,
          purpose,
          intentHash: this.intentHash(session.id, purpose, intent),
          tokenHash: this.deps.sessions.tokenHash(renewed),
          method,
          grantedAt: now,
          expiresAt,
        });
      }
      await recordAudit(tx, now, 'step_up.succeeded', { accountId: account.id, loginId: account.loginId, ctx, detail: { method, ...(purpose ? { purpose } : {}) } });
      return renewed;
    });
    return { token, method, at: now };
  }

  /**
   * The trading service spends the grant: once, with the token the step-up issued (`token`, the
   * one the request carried), for this purpose and intent, within STEP_UP_MAX_AGE_SECONDS. Anything else is `step_up_required`.
   */
  async consume(session: StepUpSession & { loginId: string }, token: string, rawPurpose: unknown, rawIntent: unknown, ctx: RequestContext): Promise<{ method: StepUpMethod; grantedAt: Date }> {
    const purpose = this.parsePurpose(rawPurpose) as StepUpPurpose;
    const intent = this.parseIntent(rawIntent);
    const { store, clock } = this.ports;
    const now = clock.now();
    const key = { sessionId: session.id, accountId: session.accountId, purpose, intentHash: this.intentHash(session.id, purpose, intent), tokenHash: this.deps.sessions.tokenHash(token) };
    const spent = await store.stepUpGrants.consume(key, now);
    const facts = { accountId: session.accountId, loginId: session.loginId, ctx };
    if (!spent) {
      await recordAudit(store, now, 'step_up.refused', { ...facts, detail: { purpose, reason: 'no_grant' } });
      throw new DomainError('step_up_required');
    }
    await recordAudit(store, now, 'step_up.consumed', { ...facts, detail: { purpose, method: spent.method } });
    return spent;
  }

  /**
   * The session's last step-up by TOTP or mailed code, for the OpenID Connect provider's auth_time
   * (a passkey step-up is on the session itself, `stepUpAt`). Known while its grant row lasts:
   * after that the login's time counts, which is older, never newer.
   */
  async lastCodeStepUp(sessionId: number): Promise<CodeStepUp | null> {
    const last = await this.ports.store.stepUpGrants.latest(sessionId);
    return last && last.method !== 'passkey' ? { method: last.method, at: last.grantedAt } : null;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Bound to session and purpose as well, so a hash from one grant matches no other. */
  private intentHash(sessionId: number, purpose: StepUpPurpose, intent: string): string {
    return this.ports.keyed.hash('step-up-intent', `${sessionId}:${purpose}:${intent}`);
  }

  private coolingOff(p: Passkey): boolean {
    return isCoolingOff(p.createdAt, this.rules.coolingOffHours, this.ports.clock.now());
  }

  /** Names the passkey that is usable first, and when (Japan time). */
  private coolingOffError(passkeys: Passkey[]): DomainError {
    const first = [...passkeys].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    if (!first) return new DomainError('not_found', { field: 'passkey' });
    return new DomainError('passkey_cooling_off', { passkey: first.name, until: formatJstClock(coolingOffUntil(first.createdAt, this.rules.coolingOffHours)), hours: this.rules.coolingOffHours });
  }
}
