/**
 * A software WebAuthn authenticator for server-side tests: a real P-256 key, real CBOR, real
 * signatures, so the server's verification is exercised exactly as with a phone — and so a test
 * can misbehave on purpose (another origin or RP ID, a replayed challenge, a counter going back).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// Minimal CBOR (RFC 8949) encoder for what WebAuthn needs: maps, ints, byte and text strings.
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
type Cbor = number | string | Buffer | Map<Cbor, Cbor>;
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  const parts = [head(5, v.size)];
  for (const [k, val] of v) parts.push(cbor(k), cbor(val));
  return Buffer.concat(parts);
}

const b64url = (b: Buffer) => b.toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicCose: Buffer;
  counter: number;
  userHandle: Buffer | null;
}

export class SoftAuthenticator {
  constructor(
    public origin: string,
    public rpId: string,
  ) {}

  private authData(flags: number, counter: number, attested?: SoftCredential): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const parts: Buffer[] = [sha256(this.rpId), Buffer.from([flags]), c];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(attested.id.length);
      parts.push(Buffer.alloc(16), len, attested.id, attested.publicCose);
    }
    return Buffer.concat(parts);
  }

  /** navigator.credentials.create(), answered. */
  create(options: { challenge: string; user?: { id: string } }): { credential: SoftCredential; response: Record<string, unknown> } {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicCose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const credential: SoftCredential = { id: randomBytes(16), privateKey, publicCose, counter: 0, userHandle: options.user ? Buffer.from(options.user.id, 'base64url') : null };
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    // Flags: UP (0x01), UV (0x04), AT (0x40).
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', this.authData(0x45, 0, credential)]]));
    return {
      credential,
      response: {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      },
    };
  }

  /** navigator.credentials.get(), answered; `counter` lets a test send a stale value. */
  get(credential: SoftCredential, options: { challenge: string }, opts: { counter?: number; userVerified?: boolean } = {}): Record<string, unknown> {
    credential.counter = opts.counter ?? credential.counter + 1;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const authenticatorData = this.authData(opts.userVerified === false ? 0x01 : 0x05, credential.counter);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        ...(credential.userHandle ? { userHandle: b64url(credential.userHandle) } : {}),
      },
    };
  }
}
