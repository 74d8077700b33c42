/**
 * Passkeys (SPEC 3; FSA/JSDA 2025 ask for phishing-resistant MFA): registration and deletion
 * confirmed with the trading password and a fresh second factor (domain/reauthentication/),
 * passwordless login with a discoverable credential, the second step after the
 * password, step-up for critical operations, rename and delete. Every ceremony is bound to a
 * single-use, expiring challenge; every refusal is audited.
 */
import { newToken } from '../../crypto/tokens';
import {
  authenticationOptions,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type RelyingParty,
} from '../../crypto/webauthn';
import { hasControlChars, normalizeInput } from '../../crypto/normalize';
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import type { CompletedLogin, LoginContext, LoginService } from '../login/login-service';
import type { LoginThrottle } from '../login/throttle';
import { passkeyNoticeMail } from '../notifications/messages';
import { queueToVerified } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { ChangeConfirmation, ReauthenticationService } from '../reauthentication/reauthentication-service';
import type { SessionService } from '../sessions/session-service';
import type { Account } from '../accounts/records';
import type { ChallengePurpose, Passkey, WebauthnChallenge } from './records';

const CHALLENGE_TTL_MS = 5 * 60_000;

export interface Ceremony<T> {
  challengeId: string;
  options: T;
}

export class PasskeyService {
  constructor(
    private readonly ports: Ports,
    private readonly deps: {
      brand: Brand;
      login: LoginService;
      sessions: SessionService;
      throttle: LoginThrottle;
      rp: RelyingParty;
      reauthentication: ReauthenticationService;
    },
  ) {}

  list(account: Account): Promise<Passkey[]> {
    return this.ports.store.passkeys.listForAccount(account.id);
  }

  /**
   * 「パスキーを登録」: the trading password and a fresh second factor first (a stolen session
   * alone must not add the intruder's passkey), then the browser creates the credential.
   */
  async beginRegistration(account: Account, input: ChangeConfirmation, ctx: RequestContext) {
    await this.deps.reauthentication.confirmChange(account, input, ctx, 'passkey_register');
    const { challengeId, challenge } = await this.newChallenge('register', account.id, null);
    const existing = await this.list(account);
    const options = await registrationOptions(
      this.deps.rp,
      { handle: this.userHandle(account.id), loginId: account.loginId, displayName: account.name },
      existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      challenge,
    );
    return { challengeId, options };
  }

  async finishRegistration(account: Account, input: { challengeId: unknown; credential: unknown; name: unknown }, ctx: RequestContext): Promise<Passkey> {
    const name = this.parseName(input.name);
    const response = this.parseCredential(input.credential) as unknown as RegistrationResponseJSON;
    const ch = await this.useChallenge(input.challengeId, 'register', ctx, account.id);
    let verified;
    try {
      verified = await verifyRegistration(this.deps.rp, response, ch.challenge);
    } catch (e) {
      await this.refuse(account.id, ctx, 'registration', (e as Error).message);
    }
    if (!verified) return this.refuse(account.id, ctx, 'registration', 'not_verified');
    if (await this.ports.store.passkeys.findByCredentialId(verified.credentialId)) throw new DomainError('conflict', { field: 'passkey' });
    const { store, clock, random } = this.ports;
    const now = clock.now();
    const passkey = await store.transaction(async (tx) => {
      const p = await tx.passkeys.insert({ accountId: account.id, ...verified, name, createdAt: now, lastUsedAt: null });
      await recordAudit(tx, now, 'passkey.added', { accountId: account.id, loginId: account.loginId, ctx, detail: { passkeyId: p.id, name } });
      const mail = passkeyNoticeMail(this.deps.brand, 'added', { name: account.name, at: now, passkeyNames: [name] });
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
   * Support desk: a customer who lost every passkey, under the phishing-resistant policy, has no
   * fallback at login; after checking identity the desk removes the passkeys (audited with operator
   * and reason, mailed), and the customer logs in with the e-mailed code or TOTP to register anew.
   */
  async supportReset(loginId: string, operator: string, reason: string): Promise<number> {
    const { store, clock, random } = this.ports;
    const account = await store.accounts.findByLoginId(loginId);
    if (!account) throw new DomainError('not_found', { field: 'loginId' });
    const passkeys = await store.passkeys.listForAccount(account.id);
    if (!passkeys.length) throw new DomainError('flow_state', { reason: 'no_passkey' });
    const now = clock.now();
    await store.transaction(async (tx) => {
      for (const p of passkeys) await tx.passkeys.delete(account.id, p.id);
      await recordAudit(tx, now, 'passkey.deleted', { accountId: account.id, loginId, operator, detail: { reason, count: passkeys.length, by: 'support' } });
      const mail = passkeyNoticeMail(this.deps.brand, 'deleted', { name: account.name, at: now, passkeyNames: passkeys.map((p) => p.name) });
      await queueToVerified(tx, random, now, account.id, mail);
    });
    return passkeys.length;
  }

  /** 「パスキーでログイン」: no ID typed; the authenticator offers the customer's passkeys for our origin. */
  async beginLogin(ctx: RequestContext): Promise<Ceremony<unknown>> {
    // Anyone may ask, so each client address may store only so many challenges a minute.
    await this.deps.throttle.assertChallengeAllowed(ctx.ip);
    const { challengeId, challenge } = await this.newChallenge('login', null, null);
    return { challengeId, options: await authenticationOptions(this.deps.rp, [], challenge) };
  }

  /** The second step after the password, for a customer who has a passkey. */
  async beginSecondFactor(flowHandle: string | null | undefined): Promise<Ceremony<unknown>> {
    const flow = await this.deps.login.flowForPasskey(flowHandle);
    const { challengeId, challenge } = await this.newChallenge('second_factor', flow.accountId, flow.id);
    const passkeys = await this.ports.store.passkeys.listForAccount(flow.accountId);
    return { challengeId, options: await authenticationOptions(this.deps.rp, passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })), challenge) };
  }

  async finishLogin(input: { challengeId: unknown; credential: unknown }, ctx: LoginContext): Promise<CompletedLogin> {
    const challengeId = input.challengeId;
    this.parseCredential(input.credential);
    const peek = await this.findChallenge(challengeId);
    const purpose = peek?.purpose === 'second_factor' ? 'second_factor' : 'login';
    // A refused assertion is a failed login attempt like a wrong password (throttled, counted).
    const { ch, passkey } = await this.deps.login.judgePasskey(purpose === 'second_factor' ? (peek?.flowId ?? null) : null, ctx, async () => {
      const ch = await this.useChallenge(challengeId, purpose, ctx, null, input.credential);
      return { ch, passkey: await this.assert(ch, input.credential, ctx) };
    });
    return this.deps.login.completeWithPasskey(passkey.accountId, ch.flowId, ctx);
  }

  /** Step-up: a fresh assertion in a signed-in session, for critical operations and the trading service. */
  async beginStepUp(accountId: number): Promise<Ceremony<unknown>> {
    const { challengeId, challenge } = await this.newChallenge('step_up', accountId, null);
    const passkeys = await this.ports.store.passkeys.listForAccount(accountId);
    if (!passkeys.length) throw new DomainError('not_found', { field: 'passkey' });
    return { challengeId, options: await authenticationOptions(this.deps.rp, passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })), challenge) };
  }

  async finishStepUp(session: { id: number; accountId: number }, input: { challengeId: unknown; credential: unknown }, ctx: RequestContext): Promise<Date> {
    this.parseCredential(input.credential);
    const ch = await this.useChallenge(input.challengeId, 'step_up', ctx, session.accountId);
    await this.assert(ch, input.credential, ctx);
    const now = this.ports.clock.now();
    await this.ports.store.transaction(async (tx) => {
      await this.deps.sessions.markStepUp(tx, session, now);
      await recordAudit(tx, now, 'step_up.succeeded', { accountId: session.accountId, ctx });
    });
    return now;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** An opaque WebAuthn user handle: not the login ID, so the authenticator holds no personal data. */
  private userHandle(accountId: number): Uint8Array {
    return new Uint8Array(Buffer.from(this.ports.keyed.hash('webauthn-user', String(accountId)), 'base64url'));
  }

  private async newChallenge(purpose: ChallengePurpose, accountId: number | null, flowId: string | null) {
    const { clock, random, keyed, store } = this.ports;
    const now = clock.now();
    const handle = newToken(random);
    const challenge = newToken(random);
    await store.challenges.insert({
      id: keyed.hash('webauthn-challenge', handle),
      purpose,
      accountId,
      flowId,
      challenge,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      usedAt: null,
    });
    return { challengeId: handle, challenge };
  }

  private async findChallenge(handle: unknown): Promise<WebauthnChallenge | undefined> {
    if (typeof handle !== 'string' || !handle || handle.length > 128) throw new InvalidInput('challengeId', 'required');
    return this.ports.store.challenges.find(this.ports.keyed.hash('webauthn-challenge', handle));
  }

  /** Single use, unexpired, for this purpose (and account): a replayed or stale ceremony is refused. */
  private async useChallenge(handle: unknown, purpose: ChallengePurpose, ctx: RequestContext, accountId: number | null, credential?: unknown): Promise<WebauthnChallenge> {
    const ch = await this.findChallenge(handle);
    const now = this.ports.clock.now();
    // A passwordless challenge belongs to no account; a refused one is still put in the history of
    // the account whose passkey was presented, so a replay shows up where the customer looks.
    const owner = async () => ch?.accountId ?? accountId ?? (await this.ownerOf(credential));
    if (!ch || ch.purpose !== purpose || (accountId !== null && ch.accountId !== accountId)) return this.refuse(await owner(), ctx, purpose, 'unknown_challenge');
    if (ch.expiresAt <= now) return this.refuse(await owner(), ctx, purpose, 'expired_challenge');
    if (!(await this.ports.store.challenges.consume(ch.id, now))) return this.refuse(await owner(), ctx, purpose, 'replayed_challenge');
    return ch;
  }

  private async ownerOf(credential: unknown): Promise<number | null> {
    const id = (credential as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') return null;
    return (await this.ports.store.passkeys.findByCredentialId(id))?.accountId ?? null;
  }

  private async assert(ch: WebauthnChallenge, credential: unknown, ctx: RequestContext): Promise<Passkey> {
    const response = this.parseCredential(credential) as unknown as AuthenticationResponseJSON;
    const passkey = await this.ports.store.passkeys.findByCredentialId(response.id);
    if (!passkey) return this.refuse(ch.accountId, ctx, ch.purpose, 'unknown_credential');
    if (ch.accountId !== null && passkey.accountId !== ch.accountId) return this.refuse(ch.accountId, ctx, ch.purpose, 'credential_of_another_account');
    let result: { newCounter: number } | null = null;
    try {
      result = await verifyAuthentication(this.deps.rp, response, ch.challenge, { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports });
    } catch (e) {
      return this.refuse(passkey.accountId, ctx, ch.purpose, (e as Error).message);
    }
    if (!result) return this.refuse(passkey.accountId, ctx, ch.purpose, 'not_verified');
    // A counter that does not move forward suggests a cloned authenticator (WebAuthn §6.1.1).
    if (!(await this.ports.store.passkeys.recordUse(passkey.id, result.newCounter, this.ports.clock.now()))) {
      return this.refuse(passkey.accountId, ctx, ch.purpose, 'counter_regression');
    }
    return passkey;
  }

  private async refuse(accountId: number | null, ctx: RequestContext, purpose: string, reason: string): Promise<never> {
    await recordAudit(this.ports.store, this.ports.clock.now(), 'passkey.failed', { accountId, ctx, detail: { purpose, reason: reason.slice(0, 200) } });
    throw new DomainError('passkey_invalid', { reason: reason.includes('challenge') ? reason : 'verification' });
  }

  private parseCredential(raw: unknown): Record<string, unknown> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInput('credential', 'required');
    const c = raw as Record<string, unknown>;
    if (typeof c.id !== 'string' || c.id.length > 1024 || typeof c.rawId !== 'string' || typeof c.response !== 'object' || c.response === null || c.type !== 'public-key') {
      throw new InvalidInput('credential', 'format');
    }
    return c;
  }

  private parseName(raw: unknown): string {
    if (raw === undefined || raw === null || raw === '') return 'パスキー';
    if (typeof raw !== 'string') throw new InvalidInput('name', 'format');
    const name = normalizeInput(raw);
    if (name.length > 40) throw new InvalidInput('name', 'too_long');
    if (hasControlChars(name)) throw new InvalidInput('name', 'control_characters');
    return name || 'パスキー';
  }

  private parseId(raw: unknown): number {
    const n = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw new InvalidInput('passkey', 'format');
    return n;
  }
}
