/**
 * Passkeys (docs/requirements.md R-PASSKEY-1, R-PASSKEY-2; FSA/JSDA 2025 ask for phishing-resistant MFA): registration and deletion
 * confirmed with the trading password and a fresh second factor (domain/reauthentication/),
 * rename and delete (step-up is domain/step-up/). Logging in with a passkey is the login
 * flow's (domain/login/strategies/passkey.ts, domain/login/passwordless.ts); the ceremonies all
 * share are in webauthn-ceremonies.ts.
 */
import { registrationOptions, verifyRegistration, type RegistrationResponseJSON } from '../../crypto/webauthn';
import { hasControlChars, normalizeInput } from '../../crypto/normalize';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { passkeyNoticeMail } from '../notifications/messages';
import { passkeyAddedMail, passkeyCancelledMail } from '../notifications/passkey-mails';
import { describeUserAgent } from '../devices/user-agent';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { ChangeConfirmation, ReauthenticationService } from '../reauthentication/reauthentication-service';
import type { SessionService } from '../sessions/session-service';
import type { Account } from '../accounts/records';
import type { Passkey } from './records';
import { parseCredential, type WebauthnCeremonies } from './webauthn-ceremonies';
import { PASSKEY_NAME_MAX } from '../input-limits';
import { coolingOffUntil, isCoolingOff } from './cooling-off';

export type { Ceremony } from './webauthn-ceremonies';

/** A passkey as the customer's list shows it: `newUntil` while it is new (cooling-off), else null. */
export interface ListedPasskey extends Passkey {
  newUntil: Date | null;
}

export class PasskeyService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: {
      brand: Brand;
      sessions: SessionService;
      ceremonies: WebauthnCeremonies;
      reauthentication: ReauthenticationService;
      /** PASSKEY_COOLING_OFF_HOURS: how long a registered passkey is "new" (cooling-off.ts). */
      coolingOffHours: number;
    },
  ) {}

  async list(account: Account): Promise<ListedPasskey[]> {
    const passkeys = await this.ports.store.passkeys.listForAccount(account.id);
    return passkeys.map((p) => ({ ...p, newUntil: this.newUntil(p) }));
  }

  /**
   * Until when this passkey is new, or null once it is not: a new passkey logs in but must not
   * confirm a withdrawal, and may be cancelled (the step-up asks this of the passkey it asserted).
   */
  newUntil(passkey: Pick<Passkey, 'createdAt'>, now = this.ports.clock.now()): Date | null {
    const { coolingOffHours } = this.deps;
    return isCoolingOff(passkey.createdAt, coolingOffHours, now) ? coolingOffUntil(passkey.createdAt, coolingOffHours) : null;
  }

  /**
   * 「パスキーを登録」: the trading password and a fresh second factor first (a stolen session
   * alone must not add the intruder's passkey), then the browser creates the credential.
   */
  async beginRegistration(account: Account, input: ChangeConfirmation, ctx: RequestContext) {
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'passkey_register');
    const { challengeId, challenge } = await this.deps.ceremonies.newChallenge('register', account.id, null);
    const existing = await this.list(account);
    const options = await registrationOptions(
      this.deps.ceremonies.rp,
      { handle: this.userHandle(account.id), loginId: account.loginId, displayName: account.name },
      existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      challenge,
    );
    return { challengeId, options };
  }

  async finishRegistration(account: Account, input: { challengeId: unknown; credential: unknown; name: unknown }, ctx: RequestContext): Promise<Passkey> {
    const name = this.parseName(input.name);
    const response = parseCredential(input.credential) as unknown as RegistrationResponseJSON;
    const { ceremonies } = this.deps;
    const ch = await ceremonies.useChallenge(input.challengeId, 'register', ctx, account.id);
    let verified;
    try {
      verified = await verifyRegistration(ceremonies.rp, response, ch.challenge);
    } catch (e) {
      await ceremonies.refuse(account.id, ctx, 'registration', (e as Error).message);
    }
    if (!verified) return ceremonies.refuse(account.id, ctx, 'registration', 'not_verified');
    if (await this.ports.store.passkeys.findByCredentialId(verified.credentialId)) throw new DomainError('conflict', { field: 'passkey' });
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const passkey = await store.transaction(async (tx) => {
      const p = await tx.passkeys.insert({ accountId: account.id, ...verified, name, createdAt: now, lastUsedAt: null });
      await recordAudit(tx, now, 'passkey.added', { accountId: account.id, loginId: account.loginId, ctx, detail: { passkeyId: p.id, name } });
      // Sessions held to registration (PASSKEY_REQUIRED_FROM) go free, in every process.
      await this.deps.sessions.releasePasskeyGate(tx, account.id);
      // Every verified address hears of it with the browser it came from, so a customer who did not
      // register it recognises the intruder's and can cancel it while it is new.
      const { browser, os } = describeUserAgent(ctx.userAgent);
      const mail = passkeyAddedMail(this.deps.brand, { name: account.name, at: now, passkeyName: name, browser, os, newUntil: this.newUntil(p, now) });
      await queueToVerified(tx, random, now, account.id, mail);
      return p;
    });
    return passkey;
  }

  async rename(account: Account, id: unknown, rawName: unknown, ctx: RequestContext): Promise<void> {
    const name = this.parseName(rawName);
    const passkeyId = this.parseId(id);
    if (!(await this.ports.store.passkeys.rename(account.id, passkeyId, name))) throw new DomainError('not_found', { field: 'passkey' });
    await recordAudit(this.ports.store, this.ports.clock.now(), 'passkey.renamed', { accountId: account.id, loginId: account.loginId, ctx, detail: { passkeyId, name } });
  }

  /** 「削除」, confirmed with the trading password and a fresh second factor; mailed. */
  async delete(account: Account, id: unknown, input: ChangeConfirmation, ctx: RequestContext): Promise<void> {
    const passkeyId = this.parseId(id);
    const passkey = (await this.list(account)).find((p) => p.id === passkeyId);
    if (!passkey) throw new DomainError('not_found', { field: 'passkey' });
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'passkey_delete');
    const { store, clock, random } = this.ports;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.passkeys.delete(account.id, passkeyId);
      await recordAudit(tx, now, 'passkey.deleted', { accountId: account.id, loginId: account.loginId, ctx, detail: { passkeyId, name: passkey.name } });
      const mail = passkeyNoticeMail(this.deps.brand, 'deleted', { name: account.name, at: now, passkeyNames: [passkey.name] });
      await queueToVerified(tx, random, now, account.id, mail);
    });
  }

  /**
   * 「取消」 of a new passkey, from any signed-in session of the customer (the other browser that
   * received the registration notice). It asks for no trading password, code or step-up, by
   * decision: cancelling only removes a passkey registered in the last PASSKEY_COOLING_OFF_HOURS,
   * which nothing yet relies on (it cannot confirm a withdrawal), so it restores the state the
   * account was in before; the worst an intruder can do with it is make the customer register
   * again, and the customer is mailed. Asking more would stop exactly the customer it exists for:
   * a step-up is impossible when the only passkey is the intruder's, and the intruder, who holds
   * the trading password, could lock it with five wrong tries to keep the customer from cancelling.
   * A passkey that is no longer new is removed by 「削除」, with its full confirmation.
   */
  async cancelNew(account: Account, id: unknown, ctx: RequestContext): Promise<void> {
    const passkeyId = this.parseId(id);
    const passkey = (await this.list(account)).find((p) => p.id === passkeyId);
    if (!passkey) throw new DomainError('not_found', { field: 'passkey' });
    await this.cancel(account, [passkey], { ctx });
  }

  /** Support desk: cancel the customer's new passkeys (one, or all of them), audited with operator and reason, mailed. */
  async supportCancelNew(loginId: string, operator: string, reason: string, passkeyId?: unknown): Promise<number> {
    const account = await this.ports.store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const wanted = passkeyId === undefined || passkeyId === null ? null : this.parseId(passkeyId);
    const candidates = (await this.list(account)).filter((p) => wanted === null || p.id === wanted);
    if (wanted !== null && !candidates.length) throw new DomainError('not_found', { field: 'passkey' });
    const fresh = candidates.filter((p) => p.newUntil);
    if (!fresh.length) throw new DomainError('passkey_not_new');
    return this.cancel(account, fresh, { operator, reason });
  }

  /**
   * Removes passkeys only while they are still new (a conditional delete each); audits and mails what
   * went. A new passkey the customer cancels is one they did not register: whoever did may have
   * logged in with it already, and a passkey login recognises its browser. So, as after a password
   * change, every other session ends and every other recognised browser is forgotten; the customer's
   * own session and browser (the one cancelling) stay. A cancel by the desk ends them all.
   */
  private async cancel(account: Account, passkeys: ListedPasskey[], by: { ctx?: RequestContext; operator?: string; reason?: string }): Promise<number> {
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const createdAfter = new Date(now.getTime() - this.deps.coolingOffHours * 3_600_000);
    const keepSession = by.ctx?.sessionId ?? null;
    const cancelled = await this.deps.sessions.endAndSpread(account.id, () =>
      store.transaction(async (tx) => {
        const gone: ListedPasskey[] = [];
        for (const p of passkeys) if (await tx.passkeys.deleteIfCreatedAfter(account.id, p.id, createdAfter)) gone.push(p);
        if (!gone.length) return gone;
        const own = keepSession === null ? undefined : (await tx.sessions.listLiveForAccount(account.id, now)).find((s) => s.id === keepSession);
        const sessionsEnded = await this.deps.sessions.endAllBut(tx, account.id, own?.id ?? -1);
        await tx.devices.revokeAllForAccount(account.id, now, own?.recognizedDeviceId ?? undefined);
        const detail = {
          passkeyIds: gone.map((p) => p.id).join(','),
          names: gone.map((p) => p.name).join('、'),
          sessionsEnded,
          ...(by.operator ? { by: 'support', reason: by.reason ?? '' } : {}),
        };
        await recordAudit(tx, now, 'passkey.cancelled', { accountId: account.id, loginId: account.loginId, ctx: by.ctx, operator: by.operator, detail });
        const mail = passkeyCancelledMail(this.deps.brand, { name: account.name, at: now, passkeyNames: gone.map((p) => p.name), bySupport: Boolean(by.operator) });
        await queueToVerified(tx, random, now, account.id, mail);
        return gone;
      }),
    );
    if (!cancelled.length) throw new DomainError('passkey_not_new');
    return cancelled.length;
  }

  /**
   * Support desk: a customer who lost every passkey, under the phishing-resistant policy, has no
   * fallback at login; after checking identity the desk removes the passkeys (audited with operator
   * and reason, mailed), and the customer logs in with the e-mailed code or TOTP to register anew.
   * With `only`, just that passkey goes (a lost phone among several devices).
   */
  async supportReset(loginId: string, operator: string, reason: string, only?: number): Promise<number> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const passkeys = (await store.passkeys.listForAccount(account.id)).filter((p) => only === undefined || p.id === only);
    if (only !== undefined && !passkeys.length) throw new DomainError('not_found', { field: 'passkey' });
    if (!passkeys.length) throw new DomainError('no_passkey');
    const now = clock.now();
    await store.transaction(async (tx) => {
      for (const p of passkeys) await tx.passkeys.delete(account.id, p.id);
      await recordAudit(tx, now, 'passkey.deleted', { accountId: account.id, loginId, operator, detail: { reason, count: passkeys.length, by: 'support' } });
      const mail = passkeyNoticeMail(this.deps.brand, 'deleted', { name: account.name, at: now, passkeyNames: passkeys.map((p) => p.name) });
      await queueToVerified(tx, random, now, account.id, mail);
    });
    return passkeys.length;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** An opaque WebAuthn user handle: not the login ID, so the authenticator holds no personal data. */
  private userHandle(accountId: number): Uint8Array {
    return new Uint8Array(Buffer.from(this.ports.keyed.hash('webauthn-user', String(accountId)), 'base64url'));
  }

  private parseName(raw: unknown): string {
    if (raw === undefined || raw === null || raw === '') return 'パスキー';
    if (typeof raw !== 'string') throw new InvalidInput('name', 'format');
    const name = normalizeInput(raw);
    if (name.length > PASSKEY_NAME_MAX) throw new InvalidInput('name', 'too_long');
    if (hasControlChars(name)) throw new InvalidInput('name', 'control_characters');
    return name || 'パスキー';
  }

  private parseId(raw: unknown): number {
    const n = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw new InvalidInput('passkey', 'format');
    return n;
  }
}
