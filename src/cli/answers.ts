/**
 * What the `mamori` command answers when a command succeeds, in the operator's language (its
 * failures are in messages.ts). One catalog for every command, so that a unit test holds the two
 * languages to the same keys and placeholders. Tab-separated list lines keep their columns in
 * both languages; only the words in them change. Times stay ISO (or JST days) in both.
 */
import type { CliLanguage } from './messages';

const en = {
  'role.viewer': 'viewer',
  'role.operator': 'operator',
  'role.supervisor': 'supervisor',
  'line.created': 'created {at} by {by}',
  'operators.added': 'Operator {name} ({role}) was created.\nGive them this link; it works once, for {minutes} minutes (until {until}), to register their passkey:',
  'operators.reissued': 'A new enrolment link for {name} ({role}); earlier unused links no longer work.\nIt works once, for {minutes} minutes (until {until}):',
  'operators.disabled': 'Operator {name} is disabled; their console sessions have ended.',
  'operators.none': 'There are no operators yet. Create one with: mamori operators add NAME --role supervisor',
  'operators.line.enabled': 'enabled',
  'operators.line.disabled': 'disabled {at}',
  'apiKeys.added': "Key {publicId} (number {id}) for {name} was created. It is shown only now; store it in the tool's secret store:",
  'apiKeys.none': 'There are no support-API keys. Create one with: mamori operators api-keys add NAME',
  'apiKeys.revoked': 'Key {publicId} of {name} is revoked.',
  'apiKeys.line.lastUsed': 'last used {at}',
  'apiKeys.line.neverUsed': 'never used',
  'apiKeys.line.revoked': 'revoked {at}',
  'apiKeys.line.active': 'active',
  'migrate.done': 'migrations are current',
  'import.created': 'created',
  'import.exists': 'exists',
  'import.invalid': 'invalid: {problems}',
  'import.noLoginId': '(no loginId)',
  'import.total': 'created {created}, already present {exists}, invalid {invalid}',
  'create.done': 'created {loginId}',
  'support.mailed': '{done}; the customer has been mailed',
  'done.reset-totp': 'one-time password service reset for {loginId}',
  'done.unlock-trading-password': 'trading password unlocked for {loginId}',
  'done.reset-passkeys': 'removed {count} passkey(s) of {loginId}',
  'done.cancel-new-passkeys': 'cancelled {count} new passkey(s) of {loginId}',
  'done.unlock-login': 'login unlocked for {loginId}',
  'done.require-password-change': 'login password change required for {loginId}',
  'support.allowCountry': '{loginId} may log in from {country} until {until}',
  'support.resetCode.post': 'reset code for {loginId} (for the letter, shown once): {code}\nvalid until {until}',
  'support.resetCode.mail': 'reset code for {loginId} mailed to the registered addresses; valid until {until}',
  'announce.dryRun': 'Dry run: the announcement would go to {customers} without a passkey ({mails})',
  'announce.queued': "The announcement was queued for {customers} without a passkey ({mails}; the server's mail worker sends them)",
  'announce.customers.one': '{n} customer',
  'announce.customers.other': '{n} customers',
  'announce.mails.one': '{n} mail',
  'announce.mails.other': '{n} mails',
  'announce.skipped.one': '; {n} customer has no verified address and was skipped',
  'announce.skipped.other': '; {n} customers have no verified address and were skipped',
  'announce.again': '. Customers mailed by an earlier run are not mailed again.',
  'exemptions.granted': '{loginId} is exempted from registering a passkey until {until} (JST)',
  'exemptions.revoked': 'the exemption of {loginId} is revoked',
  'exemptions.line.until': 'until {day}',
  'exemptions.line.revoked': 'revoked {day} by {by}',
  'exemptions.line.expired': 'expired',
  'exemptions.line.inForce': 'in force',
  'exemptions.line.granted': 'granted {day} by {by}',
  'exemptions.all.one': '{n} exemption',
  'exemptions.all.other': '{n} exemptions',
  'exemptions.inForce.one': '{n} exemption in force',
  'exemptions.inForce.other': '{n} exemptions in force',
  'oidc.registered': 'The relying party {id} is registered.',
  'oidc.registeredPublic': 'The relying party {id} is registered as a public client (no secret; it must use PKCE).',
  'oidc.secret': "Its client secret, shown this once (client_secret_basic; store it in the relying party's secret store):",
  'oidc.discovery': 'Discovery: {url}',
  'oidc.discoveryOff': 'Discovery: {url} (OIDC_PROVIDER=on is needed for the servers to serve it)',
  'oidc.none': 'No relying party is registered.',
  'oidc.line.public': 'public',
  'oidc.line.confidential': 'confidential',
  'oidc.line.redirect': 'redirect {uris}',
  'oidc.line.logout': 'back-channel logout {uri}',
  'oidc.line.registered': 'registered {day}',
  'oidc.removed': 'The relying party {id} is removed; its tokens are no longer accepted.',
  'oidc.notRemoved': 'No relying party is registered as {id}; nothing was removed.',
  'oidcKeys.rotated': 'A new signing key {kid} is made; {published} older key(s) stay published until the ID tokens they signed expire ({ttl} s){deleted}. Restart the servers one by one so they sign with the new key.',
  'oidcKeys.deleted': ', and {n} key(s) retired long enough ago were deleted',
  'keys.refused': "Key rotation refused: these serving processes do not hold the new key {key}; after a rotation they could not read customers' one-time password secrets or the OpenID Connect client secrets:",
  'keys.restartFirst': 'Restart them with MAMORI_SECRET_KEY={key} (the new key) and MAMORI_OLD_SECRET_KEYS (the old one), then run this again. A process that has stopped leaves this list after {seconds} seconds. To rotate now anyway, add --force.',
  'keys.forced': 'Warning: these serving processes do not hold the new key {key}; restart them now with MAMORI_SECRET_KEY={key}:',
  'keys.process': '  - process {pid} on {host}, started {started}, keys {keys}',
  'keys.done': 're-encrypted {count} TOTP secret(s) under key {key}, and {oidc} OpenID Connect secret(s) (client secrets, signing keys)',
} as const;

export type AnswerKey = keyof typeof en;

const ja: Record<AnswerKey, string> = {
  'role.viewer': '閲覧者',
  'role.operator': 'オペレーター',
  'role.supervisor': 'スーパーバイザー',
  'line.created': '作成 {at}（{by}）',
  'operators.added': 'オペレーター {name}（権限: {role}）を作成しました。\n次のリンクをご本人に渡してください。パスキーの登録に 1 回だけ、{minutes} 分間（{until} まで）使えます:',
  'operators.reissued': '{name}（権限: {role}）の新しい登録リンクを発行しました。未使用の古いリンクはもう使えません。\n1 回だけ、{minutes} 分間（{until} まで）使えます:',
  'operators.disabled': 'オペレーター {name} を停止し、コンソールのセッションを終了しました。',
  'operators.none': 'オペレーターはまだいません。次のコマンドで作成してください: mamori operators add NAME --role supervisor',
  'operators.line.enabled': '有効',
  'operators.line.disabled': '停止 {at}',
  'apiKeys.added': 'オペレーター {name} のキー {publicId}（番号 {id}）を作成しました。表示は今回だけです。連携するツールのシークレットストアに保存してください:',
  'apiKeys.none': 'サポート API キーはありません。次のコマンドで作成してください: mamori operators api-keys add NAME',
  'apiKeys.revoked': 'オペレーター {name} のキー {publicId} を失効させました。',
  'apiKeys.line.lastUsed': '最終利用 {at}',
  'apiKeys.line.neverUsed': '未使用',
  'apiKeys.line.revoked': '失効 {at}',
  'apiKeys.line.active': '有効',
  'migrate.done': 'データベースのスキーマは最新です',
  'import.created': '作成',
  'import.exists': '登録済み',
  'import.invalid': '不正: {problems}',
  'import.noLoginId': '（ログインIDなし）',
  'import.total': '作成 {created} 件、登録済み {exists} 件、不正 {invalid} 件',
  'create.done': 'お客様 {loginId} を作成しました',
  'support.mailed': '{done}。お客様にメールでお知らせしました。',
  'done.reset-totp': '{loginId} のワンタイムパスワードをリセットしました',
  'done.unlock-trading-password': '{loginId} の取引パスワードのロックを解除しました',
  'done.reset-passkeys': '{loginId} のパスキーを {count} 件削除しました',
  'done.cancel-new-passkeys': '{loginId} の新しいパスキーを {count} 件取り消しました',
  'done.unlock-login': '{loginId} のログインのロックを解除しました',
  'done.require-password-change': '{loginId} に次回ログイン時のログインパスワード変更を求めるようにしました',
  'support.allowCountry': '{loginId} は {until} まで {country} からログインできます',
  'support.resetCode.post': '{loginId} のログインパスワード再設定コード（書面用。表示は今回だけです）: {code}\n有効期限 {until}',
  'support.resetCode.mail': '{loginId} のログインパスワード再設定コードを登録済みのメールアドレスへ送りました。有効期限 {until}',
  'announce.dryRun': '試行のみ（送信しません）: パスキー未登録のお客様 {customers}にお知らせを送ることになります（{mails}）',
  'announce.queued': 'パスキー未登録のお客様 {customers}へのお知らせを送信待ちにしました（{mails}。サーバーのメール送信処理が送ります）',
  'announce.customers.one': '{n} 人',
  'announce.customers.other': '{n} 人',
  'announce.mails.one': 'メール {n} 通',
  'announce.mails.other': 'メール {n} 通',
  'announce.skipped.one': '。確認済みのメールアドレスがないお客様 {n} 人は対象外としました',
  'announce.skipped.other': '。確認済みのメールアドレスがないお客様 {n} 人は対象外としました',
  'announce.again': '。以前の実行でメールしたお客様には再送しません。',
  'exemptions.granted': '{loginId} のパスキー登録を {until}（日本時間）まで免除しました',
  'exemptions.revoked': '{loginId} の免除を取り消しました',
  'exemptions.line.until': '{day} まで',
  'exemptions.line.revoked': '取消 {day}（{by}）',
  'exemptions.line.expired': '期限切れ',
  'exemptions.line.inForce': '有効',
  'exemptions.line.granted': '付与 {day}（{by}）',
  'exemptions.all.one': '免除 {n} 件',
  'exemptions.all.other': '免除 {n} 件',
  'exemptions.inForce.one': '有効な免除 {n} 件',
  'exemptions.inForce.other': '有効な免除 {n} 件',
  'oidc.registered': 'リライングパーティー {id} を登録しました。',
  'oidc.registeredPublic': 'リライングパーティー {id} を公開クライアントとして登録しました（シークレットなし。PKCE が必須です）。',
  'oidc.secret': 'クライアントシークレット（client_secret_basic）です。表示は今回だけです。リライングパーティーのシークレットストアに保存してください:',
  'oidc.discovery': 'ディスカバリー: {url}',
  'oidc.discoveryOff': 'ディスカバリー: {url}（サーバーが公開するには OIDC_PROVIDER=on が必要です）',
  'oidc.none': '登録済みのリライングパーティーはありません。',
  'oidc.line.public': '公開',
  'oidc.line.confidential': '機密',
  'oidc.line.redirect': 'リダイレクト先 {uris}',
  'oidc.line.logout': 'バックチャネルログアウト {uri}',
  'oidc.line.registered': '登録 {day}',
  'oidc.removed': 'リライングパーティー {id} を削除しました。そのトークンはもう受け付けません。',
  'oidc.notRemoved': '{id} というリライングパーティーは登録されていません。何も削除していません。',
  'oidcKeys.rotated': '新しい署名鍵 {kid} を作りました。古い鍵 {published} 個は、それで署名した ID トークンの期限（{ttl} 秒）まで公開したままにします{deleted}。新しい鍵で署名するよう、サーバーを 1 台ずつ再起動してください。',
  'oidcKeys.deleted': '。退役から十分に時間が経った鍵 {n} 個は削除しました',
  'keys.refused': '鍵のローテーションを中止しました。次のサーバープロセスは新しい鍵 {key} を持っていません。ローテーションすると、そのプロセスではお客様のワンタイムパスワードや OpenID Connect のクライアントシークレットを読めなくなります:',
  'keys.restartFirst': 'これらのプロセスを MAMORI_SECRET_KEY={key}（新しい鍵）と MAMORI_OLD_SECRET_KEYS（古い鍵）で再起動してから、もう一度実行してください。止まっているプロセスは {seconds} 秒後に一覧から消えます。今すぐ行うには --force を付けてください。',
  'keys.forced': '注意: 次のサーバープロセスは新しい鍵 {key} を持っていません。すぐに MAMORI_SECRET_KEY={key} で再起動してください:',
  'keys.process': '  - プロセス {pid}（ホスト {host}、{started} 起動、鍵 {keys}）',
  'keys.done': '{count} 件のワンタイムパスワードの秘密鍵と、{oidc} 件の OpenID Connect の秘密（クライアントシークレット、署名鍵）を鍵 {key} で暗号化し直しました。',
};

export const enAnswers: Record<AnswerKey, string> = en;
export const jaAnswers = ja;

export type Vars = Record<string, string | number>;

export const fill = (text: string, vars: Vars) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

/** A catalog's sentence in the operator's language, its placeholders filled (answers here, usage-messages.ts). */
export const sayFrom =
  <K extends string>(tables: Record<CliLanguage, Record<K, string>>) =>
  (lang: CliLanguage, key: K, vars: Vars = {}): string =>
    fill(tables[lang][key], vars);

export const answer = sayFrom<AnswerKey>({ ja, en });

/** Keys that come as `.one` and `.other`: English agrees in number; Japanese says the same twice. */
export type Counted = { [K in AnswerKey]: K extends `${infer B}.one` ? B : never }[AnswerKey];

export function answerCount(lang: CliLanguage, base: Counted, n: number, vars: Vars = {}): string {
  return answer(lang, n === 1 ? `${base}.one` : `${base}.other`, { ...vars, n });
}

/** `mamori support …` and the exemptions say what they did, then that the customer was told. */
export const mailedAnswer = (lang: CliLanguage, key: AnswerKey, vars: Vars) => answer(lang, 'support.mailed', { done: answer(lang, key, vars) });
