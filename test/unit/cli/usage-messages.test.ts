/**
 * What the `mamori` command says when the command line is wrong, and the words of its `--help`
 * (src/cli/usage-messages.ts): the same keys and placeholders in both languages, Japanese that is
 * Japanese, every UsageError in src/cli naming a key that exists (read from the sources, so a
 * sentence written in place fails here), and run() answering in the line's language with exit
 * code 2 — the English word for word as before.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../src/cli/commands';
import { run } from '../../../src/cli/main';
import { jaFlagLines } from '../../../src/cli/summaries-ja';
import { enUsage, jaUsage } from '../../../src/cli/usage-messages';
import { assertSameCatalog, JAPANESE } from './catalog-checks';


const cliDir = new URL('../../../src/cli/', import.meta.url);
const sources = readdirSync(cliDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(new URL(f, cliDir), 'utf8') }));

/** The mamori command in this process, on a language's environment: its exit code and what it wrote. */
async function mamori(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const out = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  // A key of its own: without one, the embedded mode would write a key file into the working directory.
  const code = await run(args, { NODE_ENV: 'test', MAMORI_SECRET_KEY: 'ab'.repeat(32), ...env }, out);
  return { code, stdout, stderr };
}
const JA = { LANG: 'ja_JP.UTF-8' };
const EN = { LANG: 'C.UTF-8' };

describe('the CLI usage errors and help words', () => {
  it('has the same keys in Japanese and English, with the same placeholders, and Japanese that is Japanese', () => {
    assertSameCatalog(jaUsage, enUsage);
  });

  it('reads the UsageErrors of src/cli from their sources', () => {
    const thrown = sources.flatMap((s) => [...s.text.matchAll(/new UsageError\(/g)].map(() => s.file));
    assert.ok(thrown.length >= 15, thrown.join(','));
    for (const file of ['main.ts', 'commands.ts', 'operator-commands.ts', 'command-line.ts']) assert.ok(thrown.includes(file), file);
  });

  it('has every UsageError of src/cli name a key of the table, never a sentence of its own', () => {
    for (const { file, text } of sources) {
      // The first argument up to its comma: a key, or `a.missing ?? 'key'`; a template or a sentence is not one.
      for (const m of text.matchAll(/new UsageError\(([^,)]*)[,)]/g)) {
        const keys = [...m[1]!.matchAll(/'([^']*)'/g)].map((k) => k[1]!);
        assert.ok(keys.length > 0 && !/[`"]/.test(m[1]!), `${file}: new UsageError(${m[1]}`);
        for (const key of keys) assert.ok(key in enUsage && !key.startsWith('help.'), `${file}: ${key} is not a usage key`);
      }
      for (const m of text.matchAll(/(?:missing: |usageText\(\w+, )'([^']*)'/g)) assert.ok(m[1]! in enUsage, `${file}: ${m[1]} is not a usage key`);
    }
  });

  it('has a Japanese line for every option taking no value, and none for one that does not exist', () => {
    const flags = COMMANDS.flatMap((c) => Object.keys(c.flags ?? {}).map((f) => `${c.words.join(' ')} --${f}`));
    assert.ok(flags.includes('support show --json'), flags.join(','));
    assert.deepEqual(Object.keys(jaFlagLines).sort(), flags.sort());
    for (const f of flags) assert.match(jaFlagLines[f]!, JAPANESE, f);
  });
});

describe('mamori with a wrong command line, in the operator language', () => {
  it('refuses an unknown option in Japanese for a ja locale, in English otherwise, exit code 2 with the usage', async () => {
    const args = ['accounts', 'import', 'customers.json', '--dry-run'];
    const ja = await mamori(args, JA);
    assert.equal(ja.code, 2);
    assert.match(ja.stderr, /^mamori: mamori accounts import に --dry-run というオプションはありません。\nusage: mamori accounts import FILE\|-\n  JSON 配列からお客様を取り込みます/);
    assert.match(ja.stderr, /\n  -h, --help {13}この説明を表示します\n$/);
    assert.equal(ja.stdout, '');
    const en = await mamori(args, EN);
    assert.equal(en.code, 2);
    assert.equal(en.stderr, 'mamori: unknown option --dry-run for mamori accounts import\nusage: mamori accounts import FILE|-\n  import customers from a JSON array (see docs/operations.md); - reads standard input\noptions:\n  -h, --help             show this text\n');
    // --lang over the locale, either way.
    assert.equal((await mamori([...args, '--lang', 'ja'], EN)).stderr, ja.stderr);
    assert.equal((await mamori(['--lang=en', ...args], JA)).stderr, en.stderr);
  });

  it('asks for a missing required option, and a missing argument, in the operator language', async () => {
    const noReason = ['support', 'reset-totp', 'gunma5', '--operator', 'tanaka'];
    const ja = await mamori(noReason, JA);
    assert.equal(ja.code, 2);
    assert.match(ja.stderr, /^mamori: --reason は必須です。空でない値を指定してください。\nusage: mamori support reset-totp LOGIN_ID --operator NAME --reason TEXT\n/);
    assert.match(ja.stderr, /\nオプション:\n  --operator NAME {8}必須\n  --reason TEXT {10}必須\n/);
    const en = await mamori(noReason, EN);
    assert.equal(en.code, 2);
    assert.match(en.stderr, /^mamori: --reason is required\nusage: mamori support reset-totp LOGIN_ID --operator NAME --reason TEXT\n/);
    assert.match(en.stderr, /\noptions:\n  --operator NAME {8}required\n  --reason TEXT {10}required\n/);

    assert.match((await mamori(['support', 'reset-totp', '--operator', 'a', '--reason', 'r'], JA)).stderr, /^mamori: LOGIN_ID を指定してください。\n/);
    assert.match((await mamori(['accounts', 'import'], JA)).stderr, /^mamori: FILE（標準入力から読むときは -）を指定してください。\n/);
    assert.match((await mamori(['accounts', 'import'], EN)).stderr, /^mamori: a FILE argument \(or - for standard input\) is required\n/);
  });

  it('refuses a role it does not know, a language it does not speak and a missing file in the operator language', async () => {
    const role = ['operators', 'add', 'sato', '--role', 'admin'];
    const ja = await mamori(role, JA);
    assert.equal(ja.code, 2);
    assert.match(ja.stderr, /^mamori: --role には viewer、operator、supervisor のいずれかを指定してください。\nusage: mamori operators add NAME --role viewer\|operator\|supervisor\n  サポートデスクのオペレーターを作成し/);
    const en = await mamori(role, EN);
    assert.equal(en.code, 2);
    assert.match(en.stderr, /^mamori: --role must be viewer, operator or supervisor\nusage: mamori operators add NAME --role viewer\|operator\|supervisor\n  create a support-desk operator/);

    const lang = await mamori(['support', 'show', 'gunma5', '--lang', 'fr'], JA);
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /^mamori: --lang には ja か en を指定してください。\nusage: mamori <command> {3}（各コマンドのオプションは mamori <command> --help で表示します）\n/);
    assert.match((await mamori(['support', 'show', 'gunma5', '--lang', 'fr'], EN)).stderr, /^mamori: --lang must be ja or en\nusage: mamori <command> {3}\(mamori <command> --help for its options\)\n/);

    const missing = ['accounts', 'import', '/no/such/file.json'];
    assert.deepEqual(await mamori(missing, JA), { code: 2, stdout: '', stderr: 'mamori: ファイルが見つかりません: /no/such/file.json\n' });
    assert.deepEqual(await mamori(missing, EN), { code: 2, stdout: '', stderr: 'mamori: file not found: /no/such/file.json\n' });
  });

  it("prints a command's --help with the Japanese summary and Japanese words for ja, the English as before otherwise", async () => {
    const ja = await mamori(['support', 'reset-login-password', '--help'], JA);
    assert.equal(ja.code, 0);
    assert.equal(
      ja.stdout,
      [
        'usage: mamori support reset-login-password LOGIN_ID --operator NAME --reason TEXT [--by post|mail]',
        '  ログインパスワードの再設定コードを発行します。書面用に一度だけ表示（--by post、既定）またはメール送信（--by mail）。記録します',
        'オプション:',
        '  --operator NAME        必須',
        '  --reason TEXT          必須',
        '  --by post|mail         省略可',
        '  -h, --help             この説明を表示します',
        '',
      ].join('\n'),
    );
    const en = await mamori(['support', 'reset-login-password', '--help'], EN);
    assert.equal(en.code, 0);
    assert.equal(
      en.stdout,
      [
        'usage: mamori support reset-login-password LOGIN_ID --operator NAME --reason TEXT [--by post|mail]',
        '  issue a login-password reset code, printed once for a letter (--by post, the default) or mailed (--by mail); audited',
        'options:',
        '  --operator NAME        required',
        '  --reason TEXT          required',
        '  --by post|mail         optional',
        '  -h, --help             show this text',
        '',
      ].join('\n'),
    );
    assert.match((await mamori(['support', 'show', '--help'], JA)).stdout, /\n  --json {17}スクリプト向けに、状態を JSON で表示します\n/);
    assert.match((await mamori(['support', 'show', '--help'], EN)).stdout, /\n  --json {17}print the state as JSON, for scripts\n/);
    // A value longer than the usual column widens it: two spaces, never the next word run on.
    const long = await mamori(['operators', 'add', '--help'], EN);
    assert.match(long.stdout, /\n {2}--role viewer\|operator\|supervisor {2}required\n {2}-h, --help {25}show this text\n/);
    assert.match((await mamori(['oidc-clients', 'add', '--help'], JA)).stdout, /\n {2}--post-logout-redirect-uri URI\[,URI…\] {2}省略可\n/);
    const all = await mamori(['help'], JA);
    assert.match(all.stdout, /\n  help \[COMMAND\] {17}この説明、または指定したコマンドの使い方を表示します$/m);
    assert.match((await mamori(['help'], EN)).stdout, /\n  help \[COMMAND\] {17}this text, or a command's usage$/m);
  });
});
