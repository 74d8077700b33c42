/**
 * `mamori keys rotate` re-seals every secret sealed with the deployment's key, not only TOTP
 * secrets: the OpenID Connect clients' secrets and the provider's signing keys too. Before, they
 * stayed under the old key, and a server started without it could not authenticate a client or
 * sign a token. After a rotation and with the old key gone, a real relying party (openid-client)
 * still authenticates, gets an ID token signed with the same key (now re-sealed) and userinfo;
 * no value anywhere in the database still names the old key; and every `…_sealed` column of the
 * schema is in the one list the rotation works from (store/sealed-columns.ts).
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { SEALED_COLUMNS } from '../../src/store/sealed-columns';
import { startHarness, type Harness } from '../support/harness';
import { HttpBrowser } from '../support/http-browser';
import { authorizationRequest, client, discover, follow, redeem } from '../support/oidc-rp';
import { postJson, startServerProcess, type ServerProcess } from '../support/server-process';
import { storeKind } from '../support/test-store';
import { cliEnv, runMamori } from '../support/cli';

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const REDIRECT = 'https://trade.example.test/cb';
const keyId = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 8);

describe(`keys rotate re-seals every sealed secret (${storeKind})`, () => {
  let h: Harness;
  let server: ServerProcess | null = null;
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('hex');
  const mamori = (args: string[]) => runMamori(args, cliEnv(h.db.url, newKey, { MAMORI_OLD_SECRET_KEYS: oldKey }));

  /** Every value in every table that is sealed under `id` (`v1.<keyId>.…`), whatever its column is called. */
  async function valuesSealedUnder(id: string): Promise<string[]> {
    const db = h.db.store.db;
    const found: string[] = [];
    for (const t of await db.introspection.getTables()) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t.name)}`.execute(db);
      for (const row of rows.rows) for (const [column, v] of Object.entries(row)) if (typeof v === 'string' && v.startsWith(`v1.${id}.`)) found.push(`${t.name}.${column}`);
    }
    return found;
  }

  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: oldKey });
  });
  after(async () => {
    await server?.stop();
    await h?.close();
  });

  it('every column of the schema named …_sealed is in the list the rotation re-seals', async () => {
    const tables = await h.db.store.db.introspection.getTables();
    const inSchema = tables.flatMap((t) => t.columns.filter((c) => c.name.endsWith('_sealed')).map((c) => `${t.name}.${c.name}`)).sort();
    assert.deepEqual(inSchema, SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort());
  });

  it('after a rotation, with the old key gone, OpenID Connect still works: client authentication, the token signature, userinfo', async () => {
    // Sealed under the old key: a TOTP secret, a client secret, the signing key.
    await h.createAccount({ totpSecret: TOTP_SECRET });
    const { secret } = await h.runtime.services.oidc.clients.add({ clientId: 'trading', redirectUris: [REDIRECT], publicClient: false, postLogoutRedirectUris: [], backchannelLogoutUri: null }, 'test');
    const [signing] = await h.runtime.services.oidc.keys.published();
    assert.ok((await valuesSealedUnder(keyId(oldKey))).includes('oidc_clients.secret_sealed'));

    const rotated = await mamori(['keys', 'rotate']);
    assert.equal(rotated.code, 0, rotated.stdout + rotated.stderr);
    assert.match(rotated.stdout, new RegExp(`re-encrypted 1 TOTP secret\\(s\\) under key ${keyId(newKey)}, and 2 OpenID Connect secret\\(s\\)`));
    assert.deepEqual(await valuesSealedUnder(keyId(oldKey)), [], 'nothing is left under the old key');

    // A server with the new key only.
    server = await startServerProcess({ DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: newKey, OIDC_PROVIDER: 'on' });
    const base = `http://localhost:${new URL(server.url).port}`;
    const config = await discover(base, 'trading', secret);
    const a = await h.createAccount();
    const start = await postJson(`${base}/api/v1/login`, { loginId: a.loginId, password: a.loginPassword });
    const done = await postJson(`${base}/api/v1/login/code`, { flowId: start.json.flowId, code: await h.codeFor(a.emails[0]!) });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    const b = new HttpBrowser();
    b.useSession(done.json.sessionToken);
    const req = await authorizationRequest(config, REDIRECT);
    const back = await follow(b, req.url.href, base, (u) => u.href.startsWith(REDIRECT));
    // The token endpoint authenticates the client with the secret it now opens under the new key.
    const tokens = await redeem(config, back, req);

    // Signed with the same key as before the rotation, published and verifiable.
    const [head, body, sig] = tokens.id_token!.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    assert.equal(header.kid, signing!.kid);
    const jwks = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: JsonWebKey[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'the signing key is published');
    assert.equal(jwk.d, undefined, 'only the public part is published');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    assert.ok(verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')), 'the ID token signature verifies');

    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    assert.equal(info.name, a.name);
  });
});
