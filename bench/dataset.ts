/**
 * The benchmark's dataset, written straight into the tables (not through the API) so that a
 * million customers and a million live sessions take seconds, not hours. Every account shares one
 * precomputed argon2id hash: the benchmark measures verifying it, not building the data.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { hash as argon2Hash } from '@node-rs/argon2';
import { loadConfig } from '../src/config';
import { createKeyedHasher } from '../src/crypto/keyed-hash';
import { openStore } from '../src/store/open';

export interface DatasetPlan {
  databaseUrl: string;
  accounts: number;
  masterKey: Buffer;
  loginPasswordHash: string;
  tradingPasswordHash: string;
  /** Accounts 1..recognized get a recognised device (for the recognised-browser login). */
  recognized: number;
  /** How many session tokens and device tokens to hand back to the load generator. */
  sample: number;
}

export interface Dataset {
  seconds: number;
  sessionCookies: string[];
  /** Other sessions, for the check where every request brings a different one. */
  coldCookies: string[];
  recognizedLogins: string[];
  unrecognizedLogins: string[];
}

export const BENCH_PASSWORD = 'bench login password 2026';
const SESSION_COOKIE = '__Host-mamori_session';
const BATCH = 5_000;

export async function buildDataset(plan: DatasetPlan): Promise<Dataset> {
  const started = performance.now();
  const store = openStore(plan.databaseUrl);
  await store.migrate();
  await store.close();

  const keyed = createKeyedHasher(plan.masterKey);
  const now = Date.now();
  const salt = Math.random().toString(36).slice(2, 8);
  const sessionToken = (i: number) => `bench-s-${salt}-${i}-${'x'.repeat(16)}`;
  const deviceToken = (i: number) => `bench-d-${salt}-${i}-${'y'.repeat(16)}`;
  const day = 86_400_000;

  const rows = {
    account: (i: number) => [i, `bench${i}`, `ベンチ ${i}`, plan.loginPasswordHash, plan.tradingPasswordHash, 0, now, now, now],
    email: (i: number) => [i, 1, `bench${i}@bench.example`, 0, now, now],
    // Signed in an hour before, last seen two minutes ago: at 09:00 the first check of each session
    // moves its idle expiry, as it does in the morning rush.
    session: (i: number) => [keyed.hash('session', sessionToken(i)), i, 'email_code', now - 3600_000, now - 120_000, now + 28 * 60_000, now + 11 * 3600_000, '192.0.2.1', 'bench', `bench${i}`, `ベンチ ${i}`],
    device: (i: number) => [i, keyed.hash('device', deviceToken(i)), 'bench', '192.0.2.1', now, now, now + 90 * day],
  };
  const sql = {
    account: 'INSERT INTO accounts (id, login_id, name, login_password_hash, trading_password_hash, trading_password_failures, password_changed_at, created_at, updated_at) VALUES ',
    email: 'INSERT INTO email_addresses (account_id, slot, address, login_notification, verified_at, created_at) VALUES ',
    session: 'INSERT INTO sessions (token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent, login_id, name) VALUES ',
    device: 'INSERT INTO recognized_devices (account_id, token_hash, user_agent, ip, created_at, last_used_at, expires_at) VALUES ',
  };
  const tables: [keyof typeof rows, number][] = [
    ['account', plan.accounts],
    ['email', plan.accounts],
    ['session', plan.accounts],
    ['device', plan.recognized],
  ];

  if (plan.databaseUrl.startsWith('sqlite:')) {
    const db = new Database(plan.databaseUrl.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    for (const [table, count] of tables) {
      const width = rows[table](1).length;
      const insert = db.prepare(sql[table] + `(${Array(width).fill('?').join(',')})`);
      db.transaction(() => {
        for (let i = 1; i <= count; i++) insert.run(...rows[table](i));
      })();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
    db.close();
  } else {
    const pool = new pg.Pool({ connectionString: plan.databaseUrl, max: 2 });
    for (const [table, count] of tables) {
      for (let from = 1; from <= count; from += BATCH) {
        const to = Math.min(count, from + BATCH - 1);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let i = from; i <= to; i++) {
          const r = rows[table](i);
          tuples.push(`(${r.map((_, k) => `$${values.length + k + 1}`).join(',')})`);
          values.push(...r);
        }
        await pool.query(sql[table] + tuples.join(','), values);
      }
    }
    // Identity columns were given explicit ids: move the sequence past them.
    await pool.query(`SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts))`);
    await pool.query('ANALYZE');
    await pool.end();
  }

  const pick = (n: number, limit: number) => Array.from({ length: Math.min(n, limit) }, (_, k) => 1 + Math.floor((k * limit) / Math.min(n, limit)));
  return {
    seconds: (performance.now() - started) / 1000,
    sessionCookies: pick(plan.sample, plan.accounts).map((i) => `${SESSION_COOKIE}=${sessionToken(i)}`),
    // Many more than come round within the session cache's life at the rates measured here.
    coldCookies: pick(plan.sample * 30, plan.accounts).map((i) => `${SESSION_COOKIE}=${sessionToken(Math.min(plan.accounts, i + 1))}`),
    recognizedLogins: pick(plan.sample, plan.recognized).map((i) => JSON.stringify({ loginId: `bench${i}`, password: BENCH_PASSWORD, deviceToken: deviceToken(i) })),
    // Unrecognised logins use accounts without a device, each one rarely, so no per-account limit is met.
    unrecognizedLogins: pick(plan.sample, plan.accounts - plan.recognized).map((i) => JSON.stringify({ loginId: `bench${plan.recognized + i}`, password: BENCH_PASSWORD })),
  };
}

/**
 * The dataset of the quick benchmark's size (20,000 accounts, 2,000 recognised browsers and
 * sessions in the sample) in a new SQLite file, for the tools that run a server on it
 * (bench/profile.ts, bench/ab.ts). `secretHex` is the key the server must be given.
 */
export async function quickDataset(file: string): Promise<{ databaseUrl: string; secretHex: string; data: Dataset }> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', MAMORI_SECRET_KEY: '0'.repeat(63) + '1' });
  const params = { algorithm: 2 as const, ...config.argon2 };
  const secretHex = randomBytes(32).toString('hex');
  const databaseUrl = `sqlite:${file}`;
  const data = await buildDataset({
    databaseUrl,
    accounts: 20_000,
    recognized: 2_000, // as `npm run bench -- --quick`: logins spread over as many accounts
    sample: 2_000,
    masterKey: Buffer.from(secretHex, 'hex'),
    loginPasswordHash: await argon2Hash(BENCH_PASSWORD, params),
    tradingPasswordHash: await argon2Hash('bench trading password', params),
  });
  return { databaseUrl, secretHex, data };
}
