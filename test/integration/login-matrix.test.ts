/**
 * Every way a login can go, once as a browser (HTML forms and the passkey script's JSON over real
 * HTTP, cookies and CSRF) and once as the mobile app (the JSON API), against the same server: the
 * two must reach the same step, the same end and the same HTTP status for each failure. Run on
 * SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../../src/crypto/totp';
import { canonicalRecoveryCode, recoveryCodeHash } from '../../src/domain/totp/recovery-codes';
import { FakeClock } from '../support/fake-clock';
import { HttpBrowser } from '../support/http-browser';
import { startTestServer, type RunningServer } from '../support/server';
import { SoftAuthenticator, type SoftCredential } from '../support/soft-authenticator';
import { storeKind } from '../support/test-store';

const PASSWORD = 'correct horse battery';
const RECOVERY = 'ABCDE-FGHJK';

/** Where a step leaves the client: the method now shown, `done`, or a refusal with its HTTP status. */
interface Outcome {
  status: number;
  step: string;
  /** The API's error code (the browser shows a message instead). */
  code?: string;
}

interface Customer {
  loginId: string;
  email: string;
  totpSecret?: string;
  passkey?: { auth: SoftAuthenticator; credential: SoftCredential };
}

/** What either client can do; each implementation speaks its own protocol. */
interface Client {
  readonly kind: 'browser' | 'app';
  password(c: Customer, password?: string): Promise<Outcome>;
  code(code: string): Promise<Outcome>;
  totp(code: string): Promise<Outcome>;
  recovery(code: string): Promise<Outcome>;
  /** Answers the passkey step with `auth`'s assertion for `credential`. */
  passkey(auth: SoftAuthenticator, credential: SoftCredential): Promise<Outcome>;
  passwordless(auth: SoftAuthenticator, credential: SoftCredential): Promise<Outcome>;
  fallback(): Promise<Outcome>;
  /** Whether the client now holds a live session. */
  signedIn(): Promise<boolean>;
}

const PAGES: Record<string, string> = { '/login/code': 'email_code', '/login/totp': 'totp', '/login/passkey': 'passkey', '/': 'done' };

class BrowserClient implements Client {
  readonly kind = 'browser';
  readonly b = new HttpBrowser();
  constructor(private readonly url: string) {}

  private async form(path: string, form: Record<string, string>): Promise<Outcome> {
    const r = await this.b.post(`${this.url}${path}`, form);
    if (r.status === 303) {
      const step = PAGES[r.location ?? ''] ?? `redirect ${r.location}`;
      if (step !== 'done') await this.b.get(`${this.url}${r.location}`);
      return { status: 200, step };
    }
    this.b.lastPage = r.body;
    return { status: r.status, step: 'refused' };
  }

  async password(c: Customer, password = PASSWORD) {
    await this.b.get(`${this.url}/login`);
    return this.form('/login', { loginId: c.loginId, password });
  }
  code(code: string) {
    return this.form('/login/code', { code });
  }
  totp(code: string) {
    return this.form('/login/totp', { code });
  }
  async recovery(code: string) {
    await this.b.get(`${this.url}/login/recovery`);
    return this.form('/login/recovery', { recoveryCode: code });
  }
  fallback() {
    return this.form('/login/passkey/fallback', {});
  }

  private async assertion(optionsPath: string, auth: SoftAuthenticator, credential: SoftCredential): Promise<Outcome> {
    const options = await this.b.json(`${this.url}${optionsPath}`, {});
    if (options.status !== 200) return { status: options.status, step: 'refused' };
    const o = JSON.parse(options.body);
    const r = await this.b.json(`${this.url}/login/passkey/verify`, { challengeId: o.challengeId, credential: auth.get(credential, o.options) });
    return r.status === 200 ? { status: 200, step: 'done' } : { status: r.status, step: 'refused', code: JSON.parse(r.body).error?.code };
  }
  async passkey(auth: SoftAuthenticator, credential: SoftCredential) {
    await this.b.get(`${this.url}/login/passkey`);
    return this.assertion('/login/passkey/second-factor/options', auth, credential);
  }
  async passwordless(auth: SoftAuthenticator, credential: SoftCredential) {
    await this.b.get(`${this.url}/login`);
    return this.assertion('/login/passkey/options', auth, credential);
  }
  async signedIn() {
    return (await fetch(`${this.url}/api/v1/session`, { headers: { cookie: this.b.jar.header() } })).status === 200;
  }
}

class AppClient implements Client {
  readonly kind = 'app';
  private flowId = '';
  private sessionToken = '';
  deviceToken: string | undefined;
  constructor(private readonly url: string) {}

  private async call(path: string, body: Record<string, unknown>): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  }

  private async step(path: string, body: Record<string, unknown>): Promise<Outcome> {
    const r = await this.call(path, { ...body, ...(this.deviceToken ? { deviceToken: this.deviceToken } : {}) });
    if (r.status !== 200) return { status: r.status, step: 'refused', code: r.json.error.code };
    if (r.json.state === 'done') {
      this.sessionToken = r.json.sessionToken;
      if (r.json.deviceToken) this.deviceToken = r.json.deviceToken;
      return { status: 200, step: 'done' };
    }
    this.flowId = r.json.flowId;
    return { status: 200, step: r.json.method };
  }

  password(c: Customer, password = PASSWORD) {
    return this.step('/api/v1/login', { loginId: c.loginId, password });
  }
  code(code: string) {
    return this.step('/api/v1/login/code', { flowId: this.flowId, code });
  }
  totp(code: string) {
    return this.step('/api/v1/login/totp', { flowId: this.flowId, code });
  }
  recovery(code: string) {
    return this.step('/api/v1/login/recovery', { flowId: this.flowId, recoveryCode: code });
  }
  fallback() {
    return this.step('/api/v1/login/method', { flowId: this.flowId, method: 'fallback' });
  }
  async passkey(auth: SoftAuthenticator, credential: SoftCredential) {
    const o = await this.call('/api/v1/login/passkey/options', { flowId: this.flowId });
    if (o.status !== 200) return { status: o.status, step: 'refused', code: o.json.error.code };
    return this.step('/api/v1/login/passkey', { flowId: this.flowId, challengeId: o.json.challengeId, credential: auth.get(credential, o.json.options) });
  }
  async passwordless(auth: SoftAuthenticator, credential: SoftCredential) {
    const o = await this.call('/api/v1/login/passwordless/options', {});
    if (o.status !== 200) return { status: o.status, step: 'refused', code: o.json.error.code };
    return this.step('/api/v1/login/passwordless', { challengeId: o.json.challengeId, credential: auth.get(credential, o.json.options) });
  }
  async signedIn() {
    return (await fetch(`${this.url}/api/v1/session`, { headers: { authorization: `Bearer ${this.sessionToken}` } })).status === 200;
  }
}

function matrix(policy: 'seed' | 'phishing-resistant', cases: (ctx: () => Ctx) => void) {
  describe(`login matrix, PASSKEY_POLICY=${policy} (${storeKind})`, () => {
    let s: RunningServer;
    let seq = 0;
    // Standing at the real time, so the test can move past a code's or a flow's expiry.
    const clock = new FakeClock(new Date());
    before(async () => {
      s = await startTestServer({
        PASSKEY_POLICY: policy,
        THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100',
        THROTTLE_ACCOUNT_LOCK_AFTER: '6',
        THROTTLE_IP_LOCK_AFTER: '100000',
      }, { clock });
    });
    after(async () => s?.stop());

    const ctx = (): Ctx => ({
      s,
      clock,
      async customer(o: { totp?: boolean; passkey?: boolean } = {}) {
        seq += 1;
        const loginId = `matrix${policy === 'seed' ? 's' : 'p'}${seq}`;
        const email = `jimu.matrix${seq}@example.com`;
        const { services, store, ports } = s.server.runtime;
        await services.accounts.create({ loginId, name: '行列 太郎', emails: [email], loginPassword: PASSWORD, tradingPassword: 'trading staple 42' }, 'test');
        const account = (await store.accounts.findByLoginId(loginId))!;
        const c: Customer = { loginId, email };
        const now = clock.now();
        if (o.totp) {
          c.totpSecret = generateTotpSecret(ports.random);
          await store.accounts.setTotp(account.id, ports.secrets.seal(c.totpSecret), now, now);
          await store.recoveryCodes.replaceAll(account.id, [recoveryCodeHash(ports.keyed, account.id, canonicalRecoveryCode(RECOVERY)!)], now);
        }
        if (o.passkey) {
          const auth = new SoftAuthenticator(s.url, 'localhost');
          const { credential } = auth.create({ challenge: 'unused' });
          c.passkey = { auth, credential };
          const b64 = (b: Buffer) => b.toString('base64url');
          await store.passkeys.insert({ accountId: account.id, credentialId: b64(credential.id), publicKey: b64(credential.publicCose), counter: 0, transports: ['internal'], name: 'test', backedUp: false, createdAt: now, lastUsedAt: null });
        }
        return c;
      },
      clients: () => [new BrowserClient(s.url), new AppClient(s.url)],
    });
    cases(ctx);
  });
}

interface Ctx {
  s: RunningServer;
  clock: FakeClock;
  customer(o?: { totp?: boolean; passkey?: boolean }): Promise<Customer>;
  clients(): Client[];
}

/** Runs `journey` once per client, each with its own customer. */
function both(name: string, ctx: () => Ctx, journey: (client: Client, c: Customer, x: Ctx) => Promise<void>, customer: { totp?: boolean; passkey?: boolean } = {}) {
  for (const kind of ['browser', 'app'] as const) {
    it(`${name} — as the ${kind}`, async () => {
      const x = ctx();
      const client = x.clients().find((c) => c.kind === kind)!;
      await journey(client, await x.customer(customer), x);
    });
  }
}

const done = { status: 200, step: 'done' };
const wrongDigits = (right: string) => (right === '000000' ? '111111' : '000000');
const outcome = (o: Outcome) => ({ status: o.status, step: o.step });
const apiCode = (client: Client, o: Outcome, code: string) => {
  if (client.kind === 'app') assert.equal(o.code, code);
};

matrix('seed', (ctx) => {
  both('e-mailed code', ctx, async (client, c, x) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'email_code' });
    assert.deepEqual(outcome(await client.code(await x.s.codeFor(c.email))), done);
    assert.ok(await client.signedIn());
  });

  both('recognised browser: no second step the next time', ctx, async (client, c, x) => {
    await client.password(c);
    await client.code(await x.s.codeFor(c.email));
    assert.deepEqual(outcome(await client.password(c)), done);
    assert.ok(await client.signedIn());
  });

  both('TOTP', ctx, async (client, c, x) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'totp' });
    assert.deepEqual(outcome(await client.totp(totpCode(c.totpSecret!, x.clock.now()))), done);
    assert.ok(await client.signedIn());
  }, { totp: true });

  both('recovery code instead of the TOTP', ctx, async (client, c) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'totp' });
    assert.deepEqual(outcome(await client.recovery(RECOVERY.toLowerCase())), done);
    assert.ok(await client.signedIn());
  }, { totp: true });

  both('passkey as the second step', ctx, async (client, c) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'passkey' });
    assert.deepEqual(outcome(await client.passkey(c.passkey!.auth, c.passkey!.credential)), done);
    assert.ok(await client.signedIn());
  }, { passkey: true });

  both('passwordless passkey', ctx, async (client, c) => {
    assert.deepEqual(outcome(await client.passwordless(c.passkey!.auth, c.passkey!.credential)), done);
    assert.ok(await client.signedIn());
  }, { passkey: true });

  both('passkey → fallback to the e-mailed code', ctx, async (client, c, x) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'passkey' });
    assert.deepEqual(await client.fallback(), { status: 200, step: 'email_code' });
    assert.deepEqual(outcome(await client.code(await x.s.codeFor(c.email))), done);
  }, { passkey: true });

  both('passkey → fallback to the TOTP', ctx, async (client, c, x) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'passkey' });
    assert.deepEqual(await client.fallback(), { status: 200, step: 'totp' });
    assert.deepEqual(outcome(await client.totp(totpCode(c.totpSecret!, x.clock.now()))), done);
  }, { passkey: true, totp: true });

  both('wrong password', ctx, async (client, c) => {
    const o = await client.password(c, 'not the password');
    assert.deepEqual(outcome(o), { status: 401, step: 'refused' });
    apiCode(client, o, 'invalid_credentials');
  });

  both('wrong e-mailed code, then the right one', ctx, async (client, c, x) => {
    await client.password(c);
    const code = await x.s.codeFor(c.email);
    const o = await client.code(wrongDigits(code));
    assert.deepEqual(outcome(o), { status: 401, step: 'refused' });
    apiCode(client, o, 'code_invalid');
    assert.deepEqual(outcome(await client.code(code)), done);
  });

  both('five wrong codes end the flow', ctx, async (client, c, x) => {
    await client.password(c);
    const code = await x.s.codeFor(c.email);
    for (let i = 0; i < 4; i++) assert.equal((await client.code(wrongDigits(code))).status, 401);
    const fifth = await client.code(wrongDigits(code));
    assert.deepEqual(outcome(fifth), { status: 403, step: 'refused' });
    apiCode(client, fifth, 'code_attempts_exceeded');
    assert.equal((await client.code(code)).step, 'refused', 'the right code no longer works');
  });

  both('wrong TOTP', ctx, async (client, c, x) => {
    await client.password(c);
    const o = await client.totp(wrongDigits(totpCode(c.totpSecret!, x.clock.now())));
    assert.deepEqual(outcome(o), { status: 401, step: 'refused' });
    apiCode(client, o, 'totp_invalid');
  }, { totp: true });

  both('wrong recovery code', ctx, async (client, c) => {
    await client.password(c);
    const o = await client.recovery('ZZZZZ-ZZZZZ');
    assert.deepEqual(outcome(o), { status: 401, step: 'refused' });
    apiCode(client, o, 'totp_invalid');
  }, { totp: true });

  both('a passkey the account does not have is refused', ctx, async (client, c, x) => {
    await client.password(c);
    const stranger = new SoftAuthenticator(x.s.url, 'localhost');
    const o = await client.passkey(stranger, stranger.create({ challenge: 'unused' }).credential);
    assert.deepEqual(outcome(o), { status: 401, step: 'refused' });
    assert.equal(o.code, 'passkey_invalid');
  }, { passkey: true });

  both('an e-mailed code is refused while the passkey is shown', ctx, async (client, c) => {
    await client.password(c);
    assert.equal((await client.code('123456')).status, 409);
  }, { passkey: true });

  both('an expired e-mailed code', ctx, async (client, c, x) => {
    await client.password(c);
    const code = await x.s.codeFor(c.email);
    x.clock.advance(11 * 60_000);
    const o = await client.code(code);
    assert.deepEqual(outcome(o), { status: 410, step: 'refused' });
    apiCode(client, o, 'code_expired');
  });

  both('an expired flow', ctx, async (client, c, x) => {
    await client.password(c);
    const code = await x.s.codeFor(c.email);
    x.clock.advance(16 * 60_000);
    const o = await client.code(code);
    assert.deepEqual(outcome(o), { status: 410, step: 'refused' });
    apiCode(client, o, 'flow_expired');
  });

  both('wrong passwords lock the login ID for unrecognised clients', ctx, async (client, c) => {
    for (let i = 0; i < 6; i++) await client.password(c, `wrong password ${i}`);
    const o = await client.password(c);
    assert.deepEqual(outcome(o), { status: 423, step: 'refused' });
    apiCode(client, o, 'login_locked');
  });

  both('wrong codes count like wrong passwords towards the lock', ctx, async (client, c, x) => {
    for (let i = 0; i < 2; i++) await client.password(c, `wrong password ${i}`);
    await client.password(c);
    const code = await x.s.codeFor(c.email);
    for (let i = 0; i < 3; i++) await client.code(wrongDigits(code));
    await client.code(wrongDigits(code));
    const o = await client.password(c);
    assert.deepEqual(outcome(o), { status: 423, step: 'refused' });
    apiCode(client, o, 'login_locked');
  });
});

matrix('phishing-resistant', (ctx) => {
  both('a customer with a passkey must use it: no fallback', ctx, async (client, c) => {
    assert.deepEqual(await client.password(c), { status: 200, step: 'passkey' });
    const o = await client.fallback();
    assert.deepEqual(outcome(o), { status: 403, step: 'refused' });
    apiCode(client, o, 'forbidden');
    assert.deepEqual(outcome(await client.passkey(c.passkey!.auth, c.passkey!.credential)), done);
  }, { passkey: true, totp: true });
});
