/**
 * The support desk's operators (docs/requirements.md R-DESK-1…4): created from the command line
 * with a one-time enrolment link, logging in with a passkey only (phishing-resistant), in short
 * sessions of their own. Every login, failed login, enrolment and disabling is audited. The
 * WebAuthn ceremonies are the customers' (challenges in `webauthn_challenges`, single use, and
 * crypto/webauthn.ts), under the console's own relying party (SUPPORT_PUBLIC_URL).
 */
import { newToken } from '../../crypto/tokens';
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration, type AuthenticationResponseJSON, type RegistrationResponseJSON } from '../../crypto/webauthn';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import { TOKEN_MAX } from '../input-limits';
import { parseCredential, type WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';
import type { Ports } from '../ports';
import { OPERATOR_ROLES, type Operator, type OperatorRole } from './records';

/** How long the link printed by `mamori operators add` works (once). */
export const ENROLMENT_TTL_MS = 15 * 60_000;
/** An operator's session: 15 minutes without a request ends it, and it never lasts longer than 4 hours. */
export const DESK_SESSION_RULES = { idleMs: 15 * 60_000, absoluteMs: 4 * 3600_000 };

/** The lock every change to who is an enabled supervisor holds (disable; a role change would too). */
export const SUPERVISORS_LOCK = 'desk.supervisors';

const NAME_PATTERN = /^[\p{L}\p{N}._-]{1,40}$/u;

export interface SignedInOperator {
  operator: Operator;
  /** The session's keyed hash, to end it. */
  sessionHash: string;
}

export class OperatorService {
  constructor(
    private readonly ports: Ports,
    /** Ceremonies bound to the console's relying party, not the customers'. */
    private readonly ceremonies: WebauthnCeremonies,
  ) {}

  parseName(raw: unknown): string {
    if (typeof raw !== 'string' || !NAME_PATTERN.test(raw.trim())) throw new InvalidInput('name', 'format');
    return raw.trim();
  }

  parseRole(raw: unknown): OperatorRole {
    if (typeof raw !== 'string' || !(OPERATOR_ROLES as readonly string[]).includes(raw)) throw new InvalidInput('role', 'format');
    return raw as OperatorRole;
  }

  /** A new operator and the token of their one-time enrolment link. */
  async add(rawName: unknown, rawRole: unknown, by: string): Promise<{ operator: Operator; token: string; expiresAt: Date }> {
    const name = this.parseName(rawName);
    const role = this.parseRole(rawRole);
    const { store, clock } = this.ports;
    if (await store.desk.findOperator({ name })) throw new DomainError('conflict', { field: 'name' });
    const now = clock.now();
    return store.transaction(async (tx) => {
      const operator = await tx.desk.insertOperator({ name, role, disabledAt: null, createdAt: now, createdBy: by });
      const issued = await this.issueEnrolment(tx.desk, operator.id, now);
      await recordAudit(tx, now, 'desk.operator_added', { operator: by, detail: { name, role } });
      return { operator, ...issued };
    });
  }

  private async issueEnrolment(repo: Ports['store']['desk'], operatorId: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const token = newToken(this.ports.random);
    const expiresAt = new Date(now.getTime() + ENROLMENT_TTL_MS);
    await repo.insertEnrolment({ tokenHash: this.ports.keyed.hash('desk-enrolment', token), operatorId, createdAt: now, expiresAt, usedAt: null });
    return { token, expiresAt };
  }

  /**
   * A fresh one-time enrolment link for an existing, enabled operator (a lost passkey, a link that
   * ran out): every earlier unused link stops working in the same transaction.
   */
  async reissueEnrolment(rawName: unknown, by: string): Promise<{ operator: Operator; token: string; expiresAt: Date }> {
    const { store, clock } = this.ports;
    const operator = await store.desk.findOperator({ name: this.parseName(rawName) });
    if (!operator) throw new DomainError('not_found', { field: 'name' });
    if (operator.disabledAt) throw new DomainError('desk_denied', { reason: 'disabled' });
    const now = clock.now();
    return store.transaction(async (tx) => {
      await tx.desk.expireEnrolments(operator.id, now);
      const issued = await this.issueEnrolment(tx.desk, operator.id, now);
      await recordAudit(tx, now, 'desk.enrolment_issued', { operator: by, detail: { name: operator.name, role: operator.role } });
      return { operator, ...issued };
    });
  }

  list(): Promise<Operator[]> {
    return this.ports.store.desk.listOperators();
  }

  /** Disables an operator and ends their sessions; the last enabled supervisor stays. */
  async disable(rawName: unknown, by: string): Promise<Operator> {
    const { store, clock } = this.ports;
    const operator = await store.desk.findOperator({ name: this.parseName(rawName) });
    if (!operator) throw new DomainError('not_found', { field: 'name' });
    if (operator.disabledAt) return operator;
    const now = clock.now();
    await store.transaction(async (tx) => {
      // Two disables of the last two supervisors at once, on any processes: the second waits for the first and sees it.
      await tx.locks.hold(SUPERVISORS_LOCK);
      if (!(await tx.desk.disableOperator(operator.id, now))) throw new DomainError('desk_denied', { reason: 'last_supervisor' });
      await tx.desk.endSessionsOf(operator.id, now);
      await recordAudit(tx, now, 'desk.operator_disabled', { operator: by, detail: { name: operator.name, role: operator.role } });
    });
    return { ...operator, disabledAt: now };
  }

  /** The operator a live enrolment link belongs to (not used, not expired, operator enabled). */
  async enrolmentOf(token: unknown): Promise<Operator> {
    const { store, keyed, clock } = this.ports;
    if (typeof token !== 'string' || !token || token.length > TOKEN_MAX) throw new DomainError('desk_denied', { reason: 'enrolment' });
    const e = await store.desk.findEnrolment(keyed.hash('desk-enrolment', token));
    const operator = e && (await store.desk.findOperator({ id: e.operatorId }));
    if (!e || e.usedAt || e.expiresAt <= clock.now() || !operator || operator.disabledAt) throw new DomainError('desk_denied', { reason: 'enrolment' });
    return operator;
  }

  async beginEnrolment(token: unknown): Promise<{ challengeId: string; options: unknown }> {
    const operator = await this.enrolmentOf(token);
    const { challengeId, challenge } = await this.ceremonies.newChallenge('desk_enrol', null, this.ports.keyed.hash('desk-enrolment', token as string));
    const existing = await this.ports.store.desk.listPasskeys(operator.id);
    const handle = new Uint8Array(Buffer.from(this.ports.keyed.hash('desk-user', String(operator.id)), 'base64url'));
    const options = await registrationOptions(this.ceremonies.rp, { handle, loginId: operator.name, displayName: operator.name }, existing.map((p) => ({ id: p.credentialId, transports: p.transports })), challenge);
    return { challengeId, options };
  }

  /** Verifies the new passkey, then spends the link (once, whatever races it) and keeps the passkey. */
  async finishEnrolment(token: unknown, input: { challengeId: unknown; credential: unknown }, ctx: RequestContext): Promise<Operator> {
    const operator = await this.enrolmentOf(token);
    const { store, keyed, clock } = this.ports;
    const tokenHash = keyed.hash('desk-enrolment', token as string);
    const ch = await this.ceremonies.useChallenge(input.challengeId, 'desk_enrol', ctx, null);
    if (ch.flowId !== tokenHash) throw new DomainError('passkey_invalid', { reason: 'unknown_challenge' });
    const response = parseCredential(input.credential) as unknown as RegistrationResponseJSON;
    let verified;
    try {
      verified = await verifyRegistration(this.ceremonies.rp, response, ch.challenge);
    } catch {
      verified = null;
    }
    if (!verified) throw new DomainError('passkey_invalid', { reason: 'verification' });
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.desk.useEnrolment(tokenHash, now))) throw new DomainError('desk_denied', { reason: 'enrolment' });
      await tx.desk.insertPasskey({ operatorId: operator.id, credentialId: verified.credentialId, publicKey: verified.publicKey, counter: verified.counter, transports: verified.transports, createdAt: now, lastUsedAt: null });
      await recordAudit(tx, now, 'desk.enrolled', { operator: operator.name, ctx });
    });
    return operator;
  }

  /** A discoverable-credential login: the passkey says who the operator is. */
  async beginLogin(): Promise<{ challengeId: string; options: unknown }> {
    const { challengeId, challenge } = await this.ceremonies.newChallenge('desk_login', null, null);
    return { challengeId, options: await authenticationOptions(this.ceremonies.rp, [], challenge) };
  }

  /** Verifies the assertion and opens a session; every refusal is audited as `desk.login_failed`. */
  async finishLogin(input: { challengeId: unknown; credential: unknown }, ctx: RequestContext): Promise<{ token: string; operator: Operator }> {
    const { store, clock, keyed, random } = this.ports;
    const refuse = async (reason: string, operator: string | null = null): Promise<never> => {
      await recordAudit(store, clock.now(), 'desk.login_failed', { operator, ctx, detail: { reason } });
      throw new DomainError('passkey_invalid', { reason: 'verification' });
    };
    let ch;
    try {
      ch = await this.ceremonies.useChallenge(input.challengeId, 'desk_login', ctx, null);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'passkey_invalid') await recordAudit(store, clock.now(), 'desk.login_failed', { ctx, detail: { reason: String(e.details.reason) } });
      throw e;
    }
    const response = parseCredential(input.credential) as unknown as AuthenticationResponseJSON;
    const passkey = await store.desk.findPasskey(response.id);
    if (!passkey) return refuse('unknown_credential');
    const operator = await store.desk.findOperator({ id: passkey.operatorId });
    if (!operator) return refuse('unknown_credential');
    let result: { newCounter: number } | null = null;
    try {
      result = await verifyAuthentication(this.ceremonies.rp, response, ch.challenge, { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports });
    } catch {
      result = null;
    }
    if (!result) return refuse('not_verified', operator.name);
    if (!(await store.desk.recordPasskeyUse(passkey.id, result.newCounter, clock.now()))) return refuse('counter_regression', operator.name);
    if (operator.disabledAt) {
      await recordAudit(store, clock.now(), 'desk.login_failed', { operator: operator.name, ctx, detail: { reason: 'disabled' } });
      throw new DomainError('desk_denied', { reason: 'disabled' });
    }
    const token = newToken(random);
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.desk.insertSession({ tokenHash: keyed.hash('desk-session', token), operatorId: operator.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + DESK_SESSION_RULES.absoluteMs), endedAt: null });
      await recordAudit(tx, now, 'desk.login', { operator: operator.name, ctx, detail: { role: operator.role } });
    });
    return { token, operator };
  }

  /** The operator of a live session (touched: the idle time starts again), or null. */
  async check(token: string | null | undefined): Promise<SignedInOperator | null> {
    if (!token || token.length > TOKEN_MAX) return null;
    const { store, keyed, clock } = this.ports;
    const now = clock.now();
    const sessionHash = keyed.hash('desk-session', token);
    const session = await store.desk.findLiveSession(sessionHash, now, new Date(now.getTime() - DESK_SESSION_RULES.idleMs));
    const operator = session && (await store.desk.findOperator({ id: session.operatorId }));
    if (!session || !operator || operator.disabledAt) return null;
    await store.desk.touchSession(sessionHash, now);
    return { operator, sessionHash };
  }

  async logout(signedIn: SignedInOperator, ctx: RequestContext): Promise<void> {
    const { store, clock } = this.ports;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.desk.endSession(signedIn.sessionHash, now);
      await recordAudit(tx, now, 'desk.logout', { operator: signedIn.operator.name, ctx });
    });
  }
}
