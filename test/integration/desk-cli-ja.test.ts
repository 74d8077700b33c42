/**
 * `mamori operators …`, a support command and the exemptions as an administrator with a Japanese
 * locale types them (separate processes on the harness's database): every answer, not only the
 * failures, in Japanese, the failures still followed by their code for scripts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cliEnv, runMamori } from '../support/cli';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

describe(`mamori in Japanese (${storeKind})`, () => {
  let h: Harness;
  let en: NodeJS.ProcessEnv;
  let ja: NodeJS.ProcessEnv;
  const key = randomBytes(32).toString('hex');
  const mamori = (...args: string[]) => runMamori(args, ja);

  before(async () => {
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    en = cliEnv(h.db.url, key, { SUPPORT_PUBLIC_URL: 'https://desk.internal.example' });
    ja = { ...en, LANG: 'ja_JP.UTF-8' };
  });
  after(() => h.close());

  it('operators: add and enrol give the link and its validity, list, and the failures in Japanese with their codes', async () => {
    const added = await mamori('operators', 'add', 'yamada', '--role', 'supervisor');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^オペレーター yamada（権限: スーパーバイザー）を作成しました。\n/);
    assert.match(added.stdout, /パスキーの登録に 1 回だけ、15 分間（\d{4}-\d\d-\d\dT[\d:.]+Z まで）使えます:\nhttps:\/\/desk\.internal\.example\/support\/enrol\?token=[A-Za-z0-9_-]+\n$/);

    const enrol = await mamori('operators', 'enrol', 'yamada');
    assert.equal(enrol.code, 0, enrol.stderr);
    assert.match(enrol.stdout, /^yamada（権限: スーパーバイザー）の新しい登録リンクを発行しました。未使用の古いリンクはもう使えません。\n1 回だけ、15 分間（.+ まで）使えます:\nhttps:\/\/desk\.internal\.example\/support\/enrol\?token=/);

    const again = await mamori('operators', 'add', 'yamada', '--role', 'viewer');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^mamori: yamada という名前のオペレーターはすでにいます。.* \[conflict \(field: name\)\]\n$/);

    const last = await mamori('operators', 'disable', 'yamada');
    assert.equal(last.code, 1);
    assert.match(last.stderr, /yamada は最後の有効なスーパーバイザーのため停止できません。先に別のスーパーバイザーを追加してください.* \[desk_denied \(reason: last_supervisor\)\]/);

    assert.equal((await mamori('operators', 'add', 'kimura', '--role', 'viewer')).code, 0);
    const disabled = await mamori('operators', 'disable', 'kimura');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /^オペレーター kimura を停止し、コンソールのセッションを終了しました。\n$/);

    const list = await mamori('operators', 'list');
    assert.equal(list.code, 0, list.stderr);
    // The columns stay; the role stays the word --role takes.
    assert.match(list.stdout, /^yamada\tsupervisor\t有効\t作成 \S+（cli:\S+）$/m);
    assert.match(list.stdout, /^kimura\tviewer\t停止 \S+\t作成 \S+（cli:\S+）$/m);

    // English where the locale is not Japanese, and --lang ja over it.
    assert.match((await runMamori(['operators', 'disable', 'nobody'], en)).stderr, /^mamori: There is no operator named nobody\. \[not_found \(field: name\)\]/);
    assert.match((await runMamori(['operators', 'disable', 'nobody', '--lang', 'ja'], en)).stderr, /^mamori: nobody という名前のオペレーターはいません。/);
  });

  it('api-keys: an unknown operator, add, list and revoke twice, in Japanese', async () => {
    const unknown = await mamori('operators', 'api-keys', 'add', 'nobody');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^mamori: nobody という名前のオペレーターはいません。先に作成してください: mamori operators add NAME --role .* \[not_found \(field: name\)\]/);

    assert.equal((await mamori('operators', 'add', 'hayashi', '--role', 'operator')).code, 0);
    const added = await mamori('operators', 'api-keys', 'add', 'hayashi', '--label', 'CRM 連携');
    assert.equal(added.code, 0, added.stderr);
    const publicId = /^オペレーター hayashi のキー ([0-9a-f]{12})（番号 \d+）を作成しました。表示は今回だけです。/.exec(added.stdout)?.[1];
    assert.ok(publicId, added.stdout);
    assert.match(added.stdout, /\nmamori_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/);

    const listed = await mamori('operators', 'api-keys', 'list', 'hayashi');
    assert.match(listed.stdout, new RegExp(`^\\d+\\t${publicId}\\thayashi\\tCRM 連携\\t作成 \\S+（cli:\\S+）\\t未使用\\t有効$`, 'm'));

    const revoked = await mamori('operators', 'api-keys', 'revoke', publicId!);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `オペレーター hayashi のキー ${publicId} を失効させました。\n`);
    const twice = await mamori('operators', 'api-keys', 'revoke', publicId!);
    assert.equal(twice.code, 1);
    assert.equal(twice.stderr, `mamori: キー ${publicId} はすでに失効しています。 [flow_state (state: revoked)]\n`);
    assert.match((await mamori('operators', 'api-keys', 'list', 'hayashi')).stdout, /\t失効 \S+$/m);
    assert.match((await mamori('operators', 'api-keys', 'revoke', 'nokey')).stderr, /^mamori: キー nokey はありません。.* \[not_found \(field: keyId\)\]/);
  });

  it('a support command (--lang ja) and the exemptions, in Japanese', async () => {
    const a = await h.createAccount();
    const done = await runMamori(['support', 'require-password-change', a.loginId, '--operator', 'tanaka', '--reason', '本人確認済み', '--lang', 'ja'], en);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, `${a.loginId} に次回ログイン時のログインパスワード変更を求めるようにしました。お客様にメールでお知らせしました。\n`);

    const until = new Date(Date.now() + 30 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const granted = await mamori('exemptions', 'add', a.loginId, '--reason', '端末なし', '--operator', 'tanaka', '--until', until);
    assert.equal(granted.code, 0, granted.stderr);
    assert.match(granted.stdout, new RegExp(`^${a.loginId} のパスキー登録を ${until}（日本時間）まで免除しました。お客様にメールでお知らせしました。`));
    const list = await mamori('exemptions', 'list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${a.loginId}\\t${until} まで\\t有効\\t付与 \\S+（tanaka）\\t端末なし$`, 'm'));
    assert.match(list.stdout, /^有効な免除 \d+ 件\n$/m);
    // Nothing English is left once the login ID and the operator's name are taken out.
    assert.ok(!/[A-Za-z]{3,}/.test(list.stdout.replaceAll(a.loginId, '').replaceAll('tanaka', '')), list.stdout);
  });
});
