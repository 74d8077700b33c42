/**
 * What an engineer sees first: `mamori serve` with nothing configured starts on SQLite under
 * ./data, prints a demo account, shows mails in the dev mailbox, and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const BIN = resolve('bin/mamori.js');

describe('the embedded default', () => {
  it('runs with no configuration, prints a demo login and shows its mail in the dev mailbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-embedded-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1', LOG_LEVEL: 'silent' };
    for (const k of ['DATABASE_URL', 'SMTP_URL', 'MAMORI_SECRET_KEY', 'NODE_ENV', 'PUBLIC_URL', 'TEST_DATABASE_URL']) delete env[k];
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    try {
      const url = await new Promise<string>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no start: ${err}`)), 20_000);
        child.stderr.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(err);
          if (m) {
            clearTimeout(timer);
            res(m[1]!.replace('127.0.0.1', 'localhost'));
          }
        });
      });
      assert.ok(existsSync(join(dir, 'data', 'mamori.db')), 'SQLite file under ./data');
      assert.ok(existsSync(join(dir, 'data', 'secret.key')), 'a generated key under ./data');
      const password = /ログインパスワード\s+(\S+)/.exec(out)?.[1];
      assert.ok(password, `demo account printed: ${out}`);
      assert.match(out, /ログインID\s+demo/);
      assert.match(out, /\/dev\/mailbox/);

      const page = await fetch(`${url}/login`);
      assert.equal(page.status, 200);
      const start = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'demo', password }) });
      assert.equal((await start.json()).state, 'awaiting_code');
      let mailbox = '';
      for (let i = 0; i < 50 && !/認証コード: \d{6}/.test(mailbox); i++) {
        await new Promise((r) => setTimeout(r, 200));
        mailbox = await (await fetch(`${url}/dev/mailbox`)).text();
      }
      assert.match(mailbox, /認証コード: \d{6}/);
      assert.match(mailbox, /jimu\.gunma@example\.com/);
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.on('exit', r));
      assert.equal(code, 0, 'stops cleanly');
    }
  });

  it('refuses to start in production without its keys, saying why', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    for (const k of ['DATABASE_URL', 'SMTP_URL', 'MAMORI_SECRET_KEY', 'PUBLIC_URL']) delete env[k];
    const child = spawn(process.execPath, [BIN, 'serve'], { env });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 2);
    assert.match(err, /MAMORI_SECRET_KEY is required in production/);
  });
});
