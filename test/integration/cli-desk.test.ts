/**
 * The desk's command line as an operator uses it, run as a separate process on the harness's
 * database: failures in sentences in the operator's language, and `support show`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const BIN = resolve('bin/mamori.js');

describe(`the desk's command line (${storeKind})`, () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  const key = randomBytes(32).toString('hex');
  const mamori = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1' };
  });
  after(async () => h.close());

  it('says what went wrong and what to do, in Japanese for a ja locale or --lang ja, in English otherwise; exit codes unchanged', async () => {
    const unknown = ['support', 'reset-totp', 'nobody-here', '--operator', 'tanaka', '--reason', '機種変更'];
    const ja = mamori(unknown, { LANG: 'ja_JP.UTF-8' });
    assert.equal(ja.code, 1);
    assert.match(ja.stderr, /そのログインIDのお客様はいません。ログインIDのつづりを確かめてください/);
    assert.match(ja.stderr, /\[not_found \(field: loginId\)\]/);
    const en = mamori(unknown, { LANG: 'C.UTF-8' });
    assert.equal(en.code, 1);
    assert.match(en.stderr, /No customer has that login ID\. Check its spelling/);
    assert.equal(mamori([...unknown, '--lang', 'ja'], { LANG: 'C.UTF-8' }).stderr, ja.stderr);
    assert.equal(mamori(['--lang=en', ...unknown], { LANG: 'ja_JP.UTF-8' }).stderr, en.stderr);

    const a = await h.createAccount();
    const noTotp = mamori(['support', 'reset-totp', a.loginId, '--operator', 'tanaka', '--reason', '機種変更'], { LANG: 'ja_JP.UTF-8' });
    assert.equal(noTotp.code, 1);
    assert.match(noTotp.stderr, /ワンタイムパスワードを利用していません/);
    assert.match(mamori(['support', 'reset-totp', a.loginId, '--operator', 'tanaka', '--reason', 'x']).stderr, /does not use one-time passwords, so there is nothing to reset/);

    const help = mamori(['support', 'show', '--help'], { LANG: 'ja_JP.UTF-8' });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: mamori support show LOGIN_ID \[--json\]\n  操作の前にお客様の状態を表示します/);
    assert.match(mamori(['support', 'show', '--help']).stdout, /\n  a customer's state before acting/);

    const badLang = mamori(['support', 'show', a.loginId, '--lang', 'fr']);
    assert.equal(badLang.code, 2);
    assert.match(badLang.stderr, /--lang must be ja or en/);

    // A usage error in the operator's language too, with the usage's words; still exit code 2.
    const badRole = mamori(['operators', 'add', 'sato', '--role', 'admin'], { LANG: 'ja_JP.UTF-8' });
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /^mamori: --role には viewer、operator、supervisor のいずれかを指定してください。\nusage: mamori operators add NAME --role /);
    const noReason = mamori(['support', 'reset-totp', a.loginId, '--operator', 'tanaka', '--lang', 'ja']);
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /^mamori: --reason は必須です。.*\n(.*\n)*オプション:\n  --operator NAME +必須\n/);
  });

  it("`support show` prints the customer's state in a few lines, and --json the same for scripts", async () => {
    const a = await h.createAccount({ totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    // The command runs on the system clock: the exemption is granted for a day after today's.
    h.clock.set(new Date());
    const until = new Date(Date.now() + 9 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await h.runtime.services.passkeyExemptions.grant(a.loginId, { until, operator: 'suzuki', reason: '高齢のお客様 折り返し電話で本人確認' });
    const en = mamori(['support', 'show', a.loginId]);
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, new RegExp(`^Customer: ${a.loginId} \\(`));
    assert.match(en.stdout, /One-time passwords: in use since 20\d\d-\d\d-\d\d \d\d:\d\d JST \(key [0-9a-f]{8}\)/);
    assert.match(en.stdout, /Passkeys: none/);
    assert.match(en.stdout, /Addresses:\n  - 1 representative: \S+@\S+ \(verified/);
    assert.match(en.stdout, /Passkey exemption: until 20\d\d-\d\d-\d\d 00:00 JST \(suzuki: 高齢のお客様 折り返し電話で本人確認\)/);
    assert.match(en.stdout, /Last events:\n(  - .*\n)*  - 20\d\d-\d\d-\d\d \d\d:\d\d JST passkey\.exemption_granted; by suzuki; reason: 高齢のお客様/);
    assert.match(en.stdout, /Locks: none/);

    const ja = mamori(['support', 'show', a.loginId], { LANG: 'ja_JP.UTF-8' });
    assert.equal(ja.code, 0, ja.stderr);
    assert.match(ja.stdout, /ワンタイムパスワード: 利用中/);
    assert.match(ja.stdout, /最近の記録:/);

    const json = mamori(['support', 'show', a.loginId, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const state = JSON.parse(json.stdout);
    assert.equal(state.loginId, a.loginId);
    assert.ok(state.totp.enabledAt);
    assert.equal(state.exemption.operator, 'suzuki');
    assert.ok(state.recentEvents.some((e: { type: string }) => e.type === 'passkey.exemption_granted'));

    const missing = mamori(['support', 'show', 'nobody-here']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No customer has that login ID/);
  });
});
