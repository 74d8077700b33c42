/**
 * The `mamori` command line as an operator types it: `--help` on every command and group, options
 * and arguments in any order, unknown options refused with exit code 2 — run as a separate
 * process (bin/mamori.js) on the harness's database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const BIN = resolve('bin/mamori.js');

function mamori(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the mamori command line', () => {
  it('--help (or -h, or `mamori help …`) prints the usage of every command and group, exit 0, without configuration or a database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-cli-'));
    // Nothing configured, in an empty directory: help must not open (or create) the embedded database.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    try {
      const commands = ['serve', 'migrate', 'accounts import', 'accounts create', 'support reset-totp', 'support unlock-trading-password', 'support reset-passkeys', 'support unlock-login', 'keys rotate'];
      for (const c of commands) {
        for (const args of [[...c.split(' '), '--help'], ['--help', ...c.split(' ')], [...c.split(' '), '-h'], ['help', ...c.split(' ')]]) {
          const r = mamori(args, env, dir);
          assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
          assert.equal(r.stderr, '', args.join(' '));
          assert.ok(r.stdout.startsWith(`usage: mamori ${c}`), `${args.join(' ')}: ${r.stdout}`);
        }
      }
      const support = mamori(['support', 'reset-totp', 'gunma5', '--operator', 'tanaka', '--help'], env, dir);
      assert.equal(support.code, 0);
      assert.match(support.stdout, /--operator NAME/);
      assert.match(support.stdout, /--reason TEXT/);
      for (const group of ['accounts', 'support', 'keys']) {
        const r = mamori([group, '--help'], env, dir);
        assert.equal(r.code, 0);
        assert.ok(r.stdout.startsWith(`usage: mamori ${group} <command>`), r.stdout);
        assert.ok(r.stdout.includes(`${group} `) && !r.stdout.includes('  serve'), r.stdout);
      }
      const all = mamori(['--help'], env, dir);
      assert.equal(all.code, 0);
      for (const c of commands) assert.ok(all.stdout.includes(`  ${c}`), c);
      assert.equal(existsSync(join(dir, 'data')), false, 'no embedded database was opened');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown options, missing values, repeated options and stray arguments with exit code 2 and the usage', () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const cases: [string[], RegExp][] = [
      [['accounts', 'import', 'customers.json', '--dry-run'], /unknown option --dry-run for mamori accounts import/],
      [['accounts', 'import', '--operator', 'x', 'customers.json'], /unknown option --operator for mamori accounts import/],
      [['support', 'reset-totp', 'gunma5', '--operator', 'tanaka', '--reason', 'r', '-x'], /unknown option -x/],
      [['support', 'reset-totp', 'gunma5', '--operator', '--reason', 'r'], /--operator needs a value/],
      [['support', 'reset-totp', 'gunma5', '--operator', 'a', '--operator', 'b', '--reason', 'r'], /--operator is given twice/],
      [['support', 'reset-totp', 'gunma5', 'extra', '--operator', 'a', '--reason', 'r'], /unexpected argument: extra/],
      [['support', 'reset-totp', '--operator', 'a', '--reason', 'r'], /LOGIN_ID is required/],
      [['support', 'reset-totp', 'gunma5', '--operator', 'a', '--reason', ' '], /--reason is required/],
      [['serve', 'now'], /unexpected argument: now/],
      [['support'], /support needs a command/],
      [['keys', 'turn'], /unknown command: keys turn/],
    ];
    for (const [args, message] of cases) {
      const r = mamori(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.match(r.stderr, /usage: mamori/, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });
});

describe(`the mamori command line on a database (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
  });
  after(async () => h.close());

  it('takes options before, between or after the arguments, as --name value or --name=value', async () => {
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1' };
    const orders = (loginId: string): string[][] => [
      ['support', 'reset-totp', '--reason', '機種変更 本人確認済み', loginId, '--operator', 'tanaka'],
      ['--operator=tanaka', 'support', '--reason=機種変更 本人確認済み', 'reset-totp', loginId],
      ['support', 'reset-totp', loginId, '--operator', 'tanaka', '--reason', '機種変更 本人確認済み'],
    ];
    for (const order of orders('placeholder').keys()) {
      const a = await h.createAccount({ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
      const args = orders(a.loginId)[order]!;
      const r = mamori(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`one-time password service reset for ${a.loginId}`));
      const account = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
      assert.equal(account.totpEnabledAt, null, args.join(' '));
      const reset = (await h.runtime.store.audit.listForAccount(account.id, 20)).find((e) => e.type === 'totp.reset')!;
      assert.equal(reset.operator, 'tanaka');
      assert.equal(reset.detail.reason, '機種変更 本人確認済み');
    }
  });
});
