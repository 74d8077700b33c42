/**
 * How a brokerage migrates its customers: `mamori accounts import FILE`, run as an engineer runs
 * it (a separate process on the same database), keeping bcrypt / PBKDF2 hashes until the
 * customer's next login upgrades them to argon2id.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { hashSync as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const run = promisify(execFile);

function passlibPbkdf2(password: string): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 29000, 32, 'sha256');
  const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');
  return `$pbkdf2-sha256$29000$${ab64(salt)}$${ab64(hash)}`;
}

describe(`accounts import (${storeKind})`, () => {
  let h: Harness;
  const key = randomBytes(32).toString('hex');
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
  });
  after(async () => h.close());

  async function cli(args: string[]) {
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1', LOG_LEVEL: 'silent' };
    try {
      const r = await run(process.execPath, ['bin/mamori.js', ...args], { env, cwd: process.cwd() });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it('imports plain passwords and existing bcrypt / PBKDF2 hashes, reports bad records one by one, and does not duplicate on re-run', async () => {
    const records = [
      { loginId: 'imp-plain', name: '前橋 一郎', emails: ['maebashi@example.com'], loginPassword: 'plain password one', tradingPassword: 'plain trading one' },
      { loginId: 'imp-bcrypt', name: '高崎 二郎', emails: ['takasaki@example.com', 'takasaki.2@example.com'], loginPasswordHash: bcrypt.hashSync('bcrypt password two', 8), tradingPasswordHash: bcrypt.hashSync('bcrypt trading two', 8) },
      { loginId: 'imp-pbkdf2', name: '桐生 三郎', emails: ['kiryu@example.com'], loginPasswordHash: passlibPbkdf2('pbkdf2 password three'), tradingPassword: 'pbkdf2 trading three', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
      { loginId: 'x', name: '', emails: ['not-an-address'], loginPassword: 'short', tradingPassword: 'short' },
      { loginId: 'imp-md5', name: '伊勢崎 四郎', emails: ['isesaki@example.com'], loginPasswordHash: '5f4dcc3b5aa765d61d8327deb882cf99', tradingPassword: 'some trading pass' },
      'not an object',
    ];
    const file = join(tmpdir(), `mamori-import-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(records));

    const first = await cli(['accounts', 'import', file]);
    assert.equal(first.code, 1, 'invalid records make the exit code non-zero');
    assert.match(first.stdout, /#0 imp-plain: created/);
    assert.match(first.stdout, /#1 imp-bcrypt: created/);
    assert.match(first.stdout, /#2 imp-pbkdf2: created/);
    assert.match(first.stdout, /#3 x: invalid: .*loginId.*name.*emails\[0\].*loginPassword/);
    assert.match(first.stdout, /#4 imp-md5: invalid: loginPasswordHash unsupported_hash_format/);
    assert.match(first.stdout, /#5 \(no loginId\): invalid/);
    assert.match(first.stdout, /created 3, already present 0, invalid 3/);

    const second = await cli(['accounts', 'import', file]);
    assert.match(second.stdout, /created 0, already present 3, invalid 3/);
    assert.equal(await h.runtime.store.accounts.count(), 3);

    // The TOTP secret is stored encrypted, never in clear.
    const pbkdf2Account = await h.runtime.store.accounts.findByLoginId('imp-pbkdf2');
    assert.ok(pbkdf2Account?.totpSecretSealed && !pbkdf2Account.totpSecretSealed.includes('JBSWY3DP'));
    assert.ok(pbkdf2Account.totpEnabledAt);
  });

  it('the import records the kinds of the hashes it kept, and a running server learns them: its failures then wait as long as the slowest', async () => {
    const kinds = (await h.runtime.store.passwordHashKinds.list()).map((k) => k.kind);
    assert.deepEqual(kinds, ['bcrypt 2b cost=08', 'pbkdf2-sha256 i=29000 l=32']);
    assert.equal(h.runtime.passwords.floorMs(), 0, 'the import ran in another process');
    await h.runtime.learnHashKinds();
    assert.ok(h.runtime.passwords.floorMs() > 0);
  });

  it('a bcrypt hash is upgraded to argon2id at the next successful login', async () => {
    const before = await h.runtime.store.accounts.findByLoginId('imp-bcrypt');
    assert.match(before!.loginPasswordHash, /^\$2[aby]\$/);
    const step = await h.runtime.services.login.start({ loginId: 'imp-bcrypt', password: 'bcrypt password two' }, { ip: '192.0.2.1', userAgent: 't', deviceToken: null });
    assert.equal(step.state, 'awaiting_code');
    const after = await h.runtime.store.accounts.findByLoginId('imp-bcrypt');
    assert.match(after!.loginPasswordHash, /^\$argon2id\$/);
    // And the upgraded hash still verifies the same password.
    const again = await h.runtime.services.login.start({ loginId: 'imp-bcrypt', password: 'bcrypt password two' }, { ip: '192.0.2.1', userAgent: 't', deviceToken: null });
    assert.equal(again.state, 'awaiting_code');
  });

  it('a PBKDF2 customer logs in with the old password', async () => {
    const step = await h.runtime.services.login.start({ loginId: 'imp-pbkdf2', password: 'pbkdf2 password three' }, { ip: '192.0.2.1', userAgent: 't', deviceToken: null });
    // Imported with a TOTP secret: the one-time password is the second step.
    assert.equal(step.state, 'awaiting_totp');
  });

  it('every imported or outdated kind of hash becomes the current argon2id at the first success, login and trading password alike', async () => {
    const salt = randomBytes(16);
    const phc = (pw: string) => `$pbkdf2-sha512$i=2000,l=64$${salt.toString('base64').replace(/=+$/, '')}$${pbkdf2Sync(pw, salt, 2000, 64, 'sha512').toString('base64').replace(/=+$/, '')}`;
    const kinds: Record<string, (pw: string) => string> = {
      'bcrypt-2a': (pw) => bcrypt.hashSync(pw, 4).replace(/^\$2b\$/, '$2a$'),
      'bcrypt-2y': (pw) => bcrypt.hashSync(pw, 4).replace(/^\$2b\$/, '$2y$'),
      'pbkdf2-passlib': passlibPbkdf2,
      'pbkdf2-phc': phc,
      argon2i: (pw) => argon2Hash(pw, { algorithm: 1 /* Argon2i */, memoryCost: 4096, timeCost: 1 }),
      'argon2id-weaker': (pw) => argon2Hash(pw, { algorithm: 2 /* Argon2id */, memoryCost: 1024, timeCost: 1 }),
    };
    const current = /^\$argon2id\$v=19\$m=4096,t=1,p=1\$/;
    const records = Object.entries(kinds).map(([kind, make], i) => ({
      loginId: `rehash-${kind}`, name: '太田 四郎', emails: [`ota${i}@example.com`],
      loginPasswordHash: make(`login password ${kind}`), tradingPasswordHash: make(`trading password ${kind}`),
    }));
    assert.deepEqual((await h.runtime.services.accounts.import(records, 'test')).map((r) => r.status), records.map(() => 'created'));
    const ctx = { ip: '192.0.2.1', userAgent: 't', deviceToken: null };
    for (const kind of Object.keys(kinds)) {
      const loginId = `rehash-${kind}`;
      const before = (await h.runtime.store.accounts.findByLoginId(loginId))!;
      assert.doesNotMatch(before.loginPasswordHash, current, kind);
      assert.equal((await h.runtime.services.login.start({ loginId, password: `login password ${kind}` }, ctx)).state, 'awaiting_code', kind);
      const upgraded = (await h.runtime.store.accounts.findByLoginId(loginId))!;
      assert.match(upgraded.loginPasswordHash, current, `login password, ${kind}`);
      await h.runtime.services.tradingPassword.confirm(upgraded, `trading password ${kind}`, ctx, 'test');
      assert.match((await h.runtime.store.accounts.findByLoginId(loginId))!.tradingPasswordHash, current, `trading password, ${kind}`);
      // The new hashes verify the same passwords, and no longer ask to be upgraded.
      assert.equal((await h.runtime.services.login.start({ loginId, password: `login password ${kind}` }, ctx)).state, 'awaiting_code');
      assert.equal((await h.runtime.store.accounts.findByLoginId(loginId))!.loginPasswordHash, upgraded.loginPasswordHash);
    }
  });

  it('reads standard input and explains usage errors', async () => {
    const env = { ...process.env, LC_ALL: 'C.UTF-8', DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1' };
    const piped = spawnSync(process.execPath, ['bin/mamori.js', 'accounts', 'import', '-'], {
      env,
      input: JSON.stringify([{ loginId: 'imp-stdin', name: '太田 五郎', emails: ['ota@example.com'], loginPassword: 'from standard input', tradingPassword: 'trading from stdin' }]),
      encoding: 'utf8',
    });
    assert.equal(piped.status, 0, piped.stderr);
    assert.match(piped.stdout, /#0 imp-stdin: created/);
    assert.ok(await h.runtime.store.accounts.findByLoginId('imp-stdin'));
    const missing = await cli(['accounts', 'import', '/no/such/file.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /file not found/);
    const bad = await cli(['accounts', 'import']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /FILE argument/);
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
  });
});
