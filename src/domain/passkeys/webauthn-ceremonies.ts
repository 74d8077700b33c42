/**
 * The WebAuthn ceremonies every use of a passkey shares: registration, the login (its second step
 * and passwordless) and step-up. Every ceremony is bound to a single-use, expiring challenge
 * (a row in `webauthn_challenges`, consumed by a conditional update); every refusal is audited.
 */
import { newToken } from '../../crypto/tokens';
import { authenticationOptions, verifyAuthentication, type AuthenticationResponseJSON, type RelyingParty } from '../../crypto/webauthn';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { ChallengePurpose, Passkey, WebauthnChallenge } from './records';
import { PASSKEY_CREDENTIAL_ID_MAX, TOKEN_MAX } from '../input-limits';

const CHALLENGE_TTL_MS = 5 * 60_000;

export interface Ceremony<T> {
  challengeId: string;
  options: T;
}

export class WebauthnCeremonies {
  constructor(
    private readonly ports: Ports,
    readonly rp: RelyingParty,
  ) {}

  async newChallenge(purpose: ChallengePurpose, accountId: number | null, flowId: string | null): Promise<{ challengeId: string; challenge: string }> {
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

  /** A challenge for an assertion by one of `accountId`'s passkeys (none given: any discoverable one). */
  async beginAssertion(purpose: ChallengePurpose, accountId: number | null, flowId: string | null): Promise<Ceremony<unknown>> {
    const { challengeId, challenge } = await this.newChallenge(purpose, accountId, flowId);
    const passkeys = accountId === null ? [] : await this.ports.store.passkeys.listForAccount(accountId);
    return { challengeId, options: await authenticationOptions(this.rp, passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })), challenge) };
  }

  async findChallenge(handle: unknown): Promise<WebauthnChallenge | undefined> {
    if (typeof handle !== 'string' || !handle || handle.length > TOKEN_MAX) throw new InvalidInput('challengeId', 'required');
    return this.ports.store.challenges.find(this.ports.keyed.hash('webauthn-challenge', handle));
  }

  /** Single use, unexpired, for this purpose (and account): a replayed or stale ceremony is refused. */
  async useChallenge(handle: unknown, purpose: ChallengePurpose, ctx: RequestContext, accountId: number | null, credential?: unknown): Promise<WebauthnChallenge> {
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

  /** Verifies an assertion against its challenge and advances the passkey's counter. */
  async assert(ch: WebauthnChallenge, credential: unknown, ctx: RequestContext): Promise<Passkey> {
    const response = parseCredential(credential) as unknown as AuthenticationResponseJSON;
    const passkey = await this.ports.store.passkeys.findByCredentialId(response.id);
    if (!passkey) return this.refuse(ch.accountId, ctx, ch.purpose, 'unknown_credential');
    if (ch.accountId !== null && passkey.accountId !== ch.accountId) return this.refuse(ch.accountId, ctx, ch.purpose, 'credential_of_another_account');
    let result: { newCounter: number } | null = null;
    try {
      result = await verifyAuthentication(this.rp, response, ch.challenge, { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports });
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

  async refuse(accountId: number | null, ctx: RequestContext, purpose: string, reason: string): Promise<never> {
    await recordAudit(this.ports.store, this.ports.clock.now(), 'passkey.failed', { accountId, ctx, detail: { purpose, reason: reason.slice(0, 200) } });
    throw new DomainError('passkey_invalid', { reason: reason.includes('challenge') ? reason : 'verification' });
  }

  private async ownerOf(credential: unknown): Promise<number | null> {
    const id = (credential as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') return null;
    return (await this.ports.store.passkeys.findByCredentialId(id))?.accountId ?? null;
  }
}

/** The shape of a WebAuthn response object from the browser; its contents are the library's to check. */
export function parseCredential(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInput('credential', 'required');
  const c = raw as Record<string, unknown>;
  if (typeof c.id !== 'string' || c.id.length > PASSKEY_CREDENTIAL_ID_MAX || typeof c.rawId !== 'string' || typeof c.response !== 'object' || c.response === null || c.type !== 'public-key') {
    throw new InvalidInput('credential', 'format');
  }
  return c;
}
