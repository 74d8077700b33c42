/**
 * An integration harness: a real database (SQLite or PostgreSQL), a real SMTP server, the real
 * runtime and Fastify app, a fake clock. Tests talk to it as browsers (cookies, CSRF fields,
 * Origin header) or as API clients, through `app.inject`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config';
import { openRuntime, type Runtime } from '../../src/composition/open-runtime';
import { openStore } from '../../src/store/open';
import { buildApp } from '../../src/web/app';
import { CookieJar } from './cookie-jar';
import { FakeClock } from './fake-clock';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink';
import { createTestStore, type TestStore } from './test-store';

export const PUBLIC_URL = 'http://localhost:3000';

export interface Harness {
  config: Config;
  runtime: Runtime;
  app: FastifyInstance;
  clock: FakeClock;
  smtp: SmtpSink;
  db: TestStore;
  browser(userAgent?: string): TestBrowser;
  createAccount(overrides?: Partial<AccountSeed>): Promise<AccountSeed>;
  /** Runs the outbox worker once and waits for a mail to arrive at the SMTP server. */
  mail(to: string, subjectIncludes: string): Promise<ReceivedMail>;
  codeFor(to: string): Promise<string>;
  /** The code of a 「確認コードのお知らせ」 mail (re-authentication for a change to how the customer logs in). */
  confirmationCodeFor(to: string, purposeLabel?: string): Promise<string>;
  /**
   * Presses 「確認コードをメールで送信」 on a 確認 screen (sendPath = its form action) and reads the
   * mailed code; `form` is what that screen's send form carries besides CSRF (the new address).
   */
  mailedConfirmationCode(b: TestBrowser, screen: string, sendPath: string, to: string, form?: Record<string, string>): Promise<string>;
  /** A browser signed in by ID, password and the e-mailed code (so it is now recognised). */
  signedIn(a: AccountSeed, userAgent?: string): Promise<TestBrowser>;
  /** A second runtime on the same database with another secret key (key rotation). */
  startWithKey(hexKey: string): Promise<{ runtime: Runtime; config: Config; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface AccountSeed {
  loginId: string;
  name: string;
  emails: string[];
  loginPassword: string;
  tradingPassword: string;
  totpSecret?: string;
}

let seq = 0;

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestStore();
  const smtp = await startSmtpSink();
  const clock = new FakeClock('2026-06-01T00:00:00Z');
  const baseEnv = {
    NODE_ENV: 'test',
    MAMORI_SECRET_KEY: randomBytes(32).toString('hex'),
    DATABASE_URL: db.url,
    SMTP_URL: smtp.url,
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    // Cheaper hashing keeps the suite fast; the benchmark uses the production parameters.
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_ITERATIONS: '1',
    ...env,
  };
  const config = loadConfig(baseEnv);
  const runtime = await openRuntime(config, { clock, store: db.store, sleep: async () => undefined, workerPollMs: 50 });
  const app = buildApp({ config, services: runtime.services, metrics: runtime.metrics });
  await app.ready();

  const h: Harness = {
    config,
    runtime,
    app,
    clock,
    smtp,
    db,
    browser: (ua) => new TestBrowser(app, ua),
    async createAccount(o = {}) {
      seq += 1;
      const seed: AccountSeed = {
        loginId: `user${seq}${randomBytes(2).toString('hex')}`,
        name: '群馬 五郎',
        emails: [`jimu${seq}.${randomBytes(2).toString('hex')}@example.com`],
        loginPassword: 'correct horse battery',
        tradingPassword: 'trading staple 42',
        ...o,
      };
      await runtime.services.accounts.create(seed, 'test');
      return seed;
    },
    async mail(to, subjectIncludes) {
      const pending = smtp.waitForMail((m) => m.to.includes(to) && m.subject.includes(subjectIncludes), 10_000);
      await runtime.worker.runOnce();
      return pending;
    },
    async codeFor(to) {
      const m = await h.mail(to, '認証コード');
      smtp.mails.splice(smtp.mails.indexOf(m), 1);
      const found = /認証コード: (\d{6})/.exec(m.text);
      if (!found) throw new Error(`no code in mail: ${m.text}`);
      return found[1]!;
    },
    async confirmationCodeFor(to, purposeLabel = '') {
      const m = await h.mail(to, `確認コードのお知らせ（${purposeLabel}`);
      smtp.mails.splice(smtp.mails.indexOf(m), 1);
      const found = /確認コード: (\d{6})/.exec(m.text);
      if (!found) throw new Error(`no code in mail: ${m.text}`);
      return found[1]!;
    },
    async mailedConfirmationCode(b, screen, sendPath, to, form = {}) {
      await b.get(screen);
      const sent = await b.post(sendPath, form);
      if (sent.statusCode !== 200 || !sent.body.includes('宛に確認コードを送信しました')) throw new Error(`sending a confirmation code failed: ${sent.statusCode}`);
      return h.confirmationCodeFor(to);
    },
    async signedIn(a, userAgent) {
      const b = new TestBrowser(app, userAgent);
      await b.login(a.loginId, a.loginPassword);
      const res = await b.post('/login/code', { code: await h.codeFor(a.emails[0]!) });
      if (res.statusCode !== 303) throw new Error(`login by code failed: ${res.statusCode}`);
      return b;
    },
    async startWithKey(hexKey) {
      const cfg = loadConfig({ ...baseEnv, MAMORI_SECRET_KEY: hexKey });
      const rt = await openRuntime(cfg, { clock, store: openStore(db.url), sleep: async () => undefined });
      return { runtime: rt, config: cfg, close: () => rt.close() };
    },
    async close() {
      await app.close();
      await runtime.services.sessions.close();
      await runtime.worker.stop();
      await runtime.transport.close();
      await smtp.stop();
      await db.drop();
    },
  };
  return h;
}

const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A browser as `app.inject` sees it: its own cookies, the CSRF field of the last page, our Origin. */
export class TestBrowser {
  readonly jar = new CookieJar();
  lastPage = '';
  constructor(
    private readonly app: FastifyInstance,
    readonly userAgent = DESKTOP_CHROME,
  ) {}

  private csrf(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.lastPage)?.[1] ?? '';
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.jar.header(), 'user-agent': this.userAgent } });
    this.jar.store(res.headers['set-cookie']);
    if (String(res.headers['content-type']).startsWith('text/html')) this.lastPage = res.body;
    return res;
  }

  async post(url: string, form: Record<string, string>, opts: { csrf?: boolean; origin?: string | null } = {}): Promise<LightMyRequestResponse> {
    const fields = { ...(opts.csrf === false ? {} : { _csrf: this.csrf() }), ...form };
    const headers: Record<string, string> = {
      cookie: this.jar.header(),
      'user-agent': this.userAgent,
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (opts.origin !== null) headers.origin = opts.origin ?? PUBLIC_URL;
    const res = await this.app.inject({ method: 'POST', url, headers, payload: new URLSearchParams(fields).toString() });
    this.jar.store(res.headers['set-cookie']);
    if (String(res.headers['content-type']).startsWith('text/html')) this.lastPage = res.body;
    return res;
  }

  /** A JSON call from our page scripts: cookies, the page's CSRF value as a header, our Origin. */
  async json(url: string, body: unknown): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.jar.header(), 'user-agent': this.userAgent, 'content-type': 'application/json', 'x-csrf-token': this.csrf(), origin: PUBLIC_URL },
      payload: JSON.stringify(body),
    });
    this.jar.store(res.headers['set-cookie']);
    return res;
  }

  /** Follows one redirect like a browser does after a form post. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    const location = res.headers.location;
    if (!location) return res;
    return this.get(String(location));
  }

  /** Logs in with ID and password; returns the page after the redirect (code page, TOTP page or home). */
  async login(loginId: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { loginId, password });
    return res.statusCode === 303 ? this.follow(res) : res;
  }
}
