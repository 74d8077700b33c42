/**
 * The demo account after the first start (issue 19): a second `mamori serve` on the same database
 * prints the demo login ID and how to get new passwords (the first ones were printed once and are
 * kept only as hashes); `mamori demo reset` prints new ones, which log in, and the old ones no longer do.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';

const BIN = resolve('bin/mamori.js');

function embeddedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1', LOG_LEVEL: 'silent' };
  for (const k of ['DATABASE_URL', 'SMTP_URL', 'MAMORI_SECRET_KEY', 'NODE_ENV', 'PUBLIC_URL', 'TEST_DATABASE_URL']) delete env[k];
  return env;
}

/** `mamori serve` in `dir` until it listens; returns what it printed and a stop function. */
async function serve(dir: string): Promise<{ out: () => string; url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env: embeddedEnv() });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no start within 60 s: ${err}`)), 60_000);
    child.stderr.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        res(m[1]!.replace('127.0.0.1', 'localhost'));
      }
    });
  });
  return {
    out: () => out,
    url,
    async stop() {
      child.kill('SIGTERM');
      const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (c, sig) => r([c, sig])));
      // The signal and the end of stderr say what happened when it does not stop cleanly.
      assert.equal(code, 0, `stops cleanly (exit ${code}, signal ${signal}): ${err.slice(-2000)}`);
    },
  };
}

async function cli(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: embeddedEnv() });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const code = (await new Promise((r) => child.on('exit', r))) as number;
  return { code, out, err };
}

const loginState = async (url: string, password: string) => {
  const res = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'demo', password }) });
  return ((await res.json()) as { state?: string }).state ?? `refused (${res.status})`;
};

describe('the demo account on a second start', () => {
  it('names the demo login and how to get new passwords, and the reset gives working ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-demo-'));
    const first = await serve(dir);
    const firstPassword = /ログインパスワード\s+(\S+)/.exec(first.out())?.[1];
    await first.stop();
    assert.ok(firstPassword, `the first start prints the passwords: ${first.out()}`);

    const second = await serve(dir);
    try {
      const out = second.out();
      assert.match(out, /ログインID\s+demo/);
      assert.match(out, /npm run demo:reset/);
      assert.match(out, /\/dev\/mailbox/);
      assert.doesNotMatch(out, /ログインパスワード/, 'no password to print: only its hash is stored');

      const reset = await cli(dir, ['demo', 'reset']);
      assert.equal(reset.code, 0, reset.err);
      const loginPassword = /ログインパスワード\s+(\S+)/.exec(reset.out)?.[1];
      assert.match(reset.out, /取引パスワード\s+trade-\S+/);
      assert.ok(loginPassword && loginPassword !== firstPassword, reset.out);
      assert.equal(await loginState(second.url, loginPassword), 'awaiting_code');
      assert.notEqual(await loginState(second.url, firstPassword), 'awaiting_code', 'the old password no longer works');
      // Through the accounts service, so the reset is on the record with who made it.
      const db = new Database(join(dir, 'data', 'mamori.db'), { readonly: true });
      const audited = db.prepare(`SELECT operator FROM audit_events WHERE type = 'account.passwords_replaced'`).all() as { operator: string }[];
      db.close();
      assert.deepEqual(audited, [{ operator: 'system:demo-reset' }]);
    } finally {
      await second.stop();
    }
  });

  it('says so when the database has no demo account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-demo-none-'));
    const reset = await cli(dir, ['demo', 'reset']);
    assert.equal(reset.code, 2);
    assert.match(reset.err, /no demo account in this database/);
  });
});
