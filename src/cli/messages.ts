/**
 * What the `mamori` command says when a command fails, in the operator's language: every error
 * code of src/domain/errors.ts as a sentence saying what happened and what to do (a unit test
 * holds every code to a sentence in both languages). A code's more precise sentences are keyed
 * `code.detail`, the detail being the error's field, reason or state; a command that can say more
 * than the code (which operator, which key, what to run next) has its own, keyed
 * `command words/code.detail`. Loaded by the CLI only,
 * without the web's catalogs, so that a command starts fast.
 */
import type { ErrorCode } from '../domain/errors';

export type CliLanguage = 'ja' | 'en';

type Sentences = Record<ErrorCode, string> & Record<string, string>;

export const jaCliErrors: Sentences = {
  invalid_input: '{field} の値を受け付けられません（{reason}）。値を確かめてもう一度実行してください。',
  'invalid_input.operator': '担当者名（--operator）が空か長すぎます。ご自分の名前を指定してください。',
  'invalid_input.reason': '理由（--reason）が空か長すぎます。お客様から伺った事情と本人確認の方法を短く書いてください。',
  'invalid_input.until': '--until の日付を受け付けられません（{reason}）。YYYY-MM-DD 形式で、今日より後、上限日数以内の日を指定してください。',
  'invalid_input.loginId': 'ログインIDを受け付けられません（{reason}）。お客様のログインIDを確かめてください。',
  invalid_credentials: 'パスワードが正しくありません。',
  login_locked: 'このお客様のログインは一時的にロックされています。時間をおくか、本人確認のうえ `mamori support unlock-login` で解除してください。',
  login_suspended: 'このお客様のログインは停止されています。本人確認のうえ `mamori support unlock-login` で解除してください。',
  too_many_requests: '試行が多すぎます。{retryAfter} 秒ほど待ってからもう一度実行してください。',
  desk_denied: 'このオペレーターの権限ではこの操作はできません（閲覧者は操作できず、オペレーターは承認できず、自分の依頼は承認できません）。',
  login_refused: 'このログインはお受けしていません（接続元の国・地域、またはいつもと異なる状況）。国・地域の例外は support allow-country で設定できます。',
  flow_not_found: '対象の手続きが見つかりません。最初からやり直してください。',
  flow_expired: '手続きの有効期限が切れています。最初からやり直してください。',
  flow_state: 'この手続きはすでに先に進んでいます（完了済み、使用済み、または後の変更で置き換え済み）。現在の状態を `mamori support show` で確かめてください。',
  method_not_shown: 'この手続きではその方法は選べません。最初からやり直してください。',
  totp_not_enabled: 'このお客様はワンタイムパスワードを利用していません。リセットするものはありません。`mamori support show` で状態を確かめてください。',
  not_locked: 'このお客様はロックされていません。解除するものはありません。',
  no_passkey: 'このお客様にはパスキーが登録されていません。削除するものはありません。',
  code_invalid: 'コードが正しくありません。',
  'code_invalid.resetCode': '再設定コードが正しくありません。お客様に書面のコードを確かめていただいてください。',
  code_expired: 'コードの有効期限が切れています。新しいコードを発行してください。',
  code_attempts_exceeded: 'コードの入力回数が上限に達しました。新しいコードを発行してください。',
  resend_too_soon: '再送までもう少し待つ必要があります（{retryAfter} 秒）。',
  mail_delayed: 'メールの送信が遅れています。メールサーバーの状態を確かめてください。',
  totp_invalid: 'ワンタイムパスワードが正しくありません。',
  totp_replayed: 'そのワンタイムパスワードはすでに使われています。次のコードを待ってください。',
  session_invalid: 'セッションが無効です。もう一度ログインしてください。',
  not_found: '{field} が見つかりません。指定した値を確かめてください。',
  'not_found.loginId': 'そのログインIDのお客様はいません。ログインIDのつづりを確かめてください（`mamori support show LOGIN_ID` で確認できます）。',
  'not_found.passkey': 'そのパスキーは見つかりません。`mamori support show` で登録済みのパスキーを確かめてください。',
  'not_found.address': 'そのメールアドレスは見つかりません。登録済みのアドレスを確かめてください。',
  'not_found.device': 'その端末は見つかりません。',
  'not_found.session': 'そのセッションは見つかりません（すでに終了している可能性があります）。',
  'not_found.exemption': 'このお客様に有効な免除はありません。`mamori exemptions list` で確かめてください。',
  conflict: 'すでに同じものがあります。現在の状態を確かめてください。',
  csrf_invalid: 'リクエストの確認に失敗しました。ページを開き直してください。',
  overloaded: 'サーバーが混み合っています。{retryAfter} 秒ほど待ってからもう一度実行してください。',
  unavailable: 'データベースに接続できません。DATABASE_URL とデータベースの状態を確かめ、しばらくしてからもう一度実行してください。',
  password_policy: 'そのパスワードは使えません（{reason}）。別のパスワードにしてください。',
  trading_password_invalid: '取引パスワードが正しくありません。',
  trading_password_locked: '取引パスワードがロックされています。本人確認のうえ `mamori support unlock-trading-password` で解除してください。',
  forbidden: 'この操作はできません（{reason}）。',
  'forbidden.no_address': 'このお客様には確認済みのメールアドレスがありません。--by post で書面のコードを発行してください。',
  'forbidden.support_key': 'サポートAPIのキーが正しくありません。',
  'forbidden.passkey_required': 'このお客様はパスキーでのログインが必要です。',
  'forbidden.no_migration_date': 'PASSKEY_REQUIRED_FROM が設定されていません。パスキー必須化の日付を設定してから実行してください。',
  passkey_invalid: 'パスキーの確認に失敗しました。',
  step_up_required: '追加の本人確認が必要です。',
  passkey_cooling_off: '新しく登録されたパスキーは待機期間中のため、まだ使えません。',
  password_change_required: 'ログインパスワードの変更が必要です。',
  passkey_enrolment_required: 'パスキーの登録が必要です。',
  passkey_not_new: 'このお客様には待機期間中の新しいパスキーがありません。取り消すものはありません。',
  'secret_unreadable.oidc':
    'OpenID Connect の秘密（{column}、鍵 {keyId}）を今の鍵で読めません。MAMORI_SECRET_KEY と MAMORI_OLD_SECRET_KEYS を確かめ、その鍵を MAMORI_OLD_SECRET_KEYS に戻してからもう一度実行してください。クライアントシークレットの鍵が失われた場合は、クライアントを削除して登録し直してください（oidc-clients remove / add）。',
  secret_unreadable:
    'このお客様のワンタイムパスワードの秘密鍵を今の鍵で読めません。MAMORI_SECRET_KEY と MAMORI_OLD_SECRET_KEYS を確かめ、鍵をローテーションした場合は古い鍵を MAMORI_OLD_SECRET_KEYS に戻してください。戻せない場合は本人確認のうえ `mamori support reset-totp` で再登録していただきます。',
  // The operators commands' own sentences, keyed `command/code.detail`; {subject} is the name or key the operator typed.
  'operators add/conflict.name': '{subject} という名前のオペレーターはすでにいます。`mamori operators list` で確かめてください。',
  'operators add/invalid_input.name': 'オペレーター名は 1〜40 文字で、文字・数字・ピリオド（.）・ハイフン（-）・アンダースコア（_）だけを使えます。',
  'operators enrol/not_found.name': '{subject} という名前のオペレーターはいません。`mamori operators list` で確かめてください。',
  'operators enrol/invalid_input.name': '{subject} という名前のオペレーターはいません。`mamori operators list` で確かめてください。',
  'operators enrol/desk_denied.disabled': '{subject} は停止されています。停止中のオペレーターには登録リンクを発行できません。',
  'operators disable/not_found.name': '{subject} という名前のオペレーターはいません。`mamori operators list` で確かめてください。',
  'operators disable/invalid_input.name': '{subject} という名前のオペレーターはいません。`mamori operators list` で確かめてください。',
  'operators disable/desk_denied.last_supervisor': '{subject} は最後の有効なスーパーバイザーのため停止できません。先に別のスーパーバイザーを追加してください（mamori operators add NAME --role supervisor）。',
  'operators api-keys add/not_found.name': '{subject} という名前のオペレーターはいません。先に作成してください: mamori operators add NAME --role viewer|operator|supervisor',
  'operators api-keys add/desk_denied.disabled': '{subject} は停止されています。停止中のオペレーターにはキーを発行できません。',
  'operators api-keys add/invalid_input.label': 'ラベルは 80 文字以内で指定してください。',
  'operators api-keys list/not_found.name': '{subject} という名前のオペレーターはいません。`mamori operators list` で確かめてください。',
  'operators api-keys revoke/not_found.keyId': 'キー {subject} はありません。次のコマンドで一覧を確かめてください: mamori operators api-keys list',
  'operators api-keys revoke/flow_state.revoked': 'キー {subject} はすでに失効しています。',
};

export const enCliErrors: Sentences = {
  invalid_input: 'The value of {field} is not accepted ({reason}). Check it and run the command again.',
  'invalid_input.operator': 'The operator name (--operator) is empty or too long. Give your own name.',
  'invalid_input.reason': 'The reason (--reason) is empty or too long. Write briefly what the customer told you and how you verified them.',
  'invalid_input.until': 'The --until date is not accepted ({reason}). Give a YYYY-MM-DD day after today and within the longest exemption allowed.',
  'invalid_input.loginId': 'The login ID is not accepted ({reason}). Check the customer\'s login ID.',
  invalid_credentials: 'The password is wrong.',
  login_locked: "This customer's login is locked for a while. Wait, or after verifying the customer run `mamori support unlock-login`.",
  login_suspended: "This customer's login is suspended. After verifying the customer, run `mamori support unlock-login`.",
  too_many_requests: 'Too many attempts. Wait about {retryAfter} seconds and run the command again.',
  desk_denied: "This operator's role does not allow it (a viewer cannot act, an operator cannot approve, and nobody approves their own request).",
  login_refused: 'This login is refused (the address is in a country not allowed, or the login looked unusual). A country exception is granted with support allow-country.',
  flow_not_found: 'The procedure was not found. Start again from the beginning.',
  flow_expired: 'The procedure has expired. Start again from the beginning.',
  flow_state: 'This procedure has already moved on (completed, used, or replaced by a later change). Check the current state with `mamori support show`.',
  method_not_shown: 'That method is not offered in this procedure. Start again from the beginning.',
  totp_not_enabled: 'This customer does not use one-time passwords, so there is nothing to reset. Check their state with `mamori support show`.',
  not_locked: 'This customer is not locked, so there is nothing to unlock.',
  no_passkey: 'This customer has no passkey, so there is nothing to remove.',
  code_invalid: 'The code is wrong.',
  'code_invalid.resetCode': 'The reset code is wrong. Ask the customer to read the code in the letter again.',
  code_expired: 'The code has expired. Issue a new one.',
  code_attempts_exceeded: 'The code was tried too many times. Issue a new one.',
  resend_too_soon: 'It is too soon to send again (wait {retryAfter} seconds).',
  mail_delayed: 'Mail is delayed. Check the mail server.',
  totp_invalid: 'The one-time password is wrong.',
  totp_replayed: 'That one-time password was already used. Wait for the next one.',
  session_invalid: 'The session is no longer valid. Log in again.',
  not_found: '{field} was not found. Check the value you gave.',
  'not_found.loginId': 'No customer has that login ID. Check its spelling (`mamori support show LOGIN_ID` tells whether it exists).',
  'not_found.passkey': 'That passkey was not found. See the registered passkeys with `mamori support show`.',
  'not_found.address': 'That e-mail address was not found. Check the registered addresses.',
  'not_found.device': 'That browser was not found.',
  'not_found.session': 'That session was not found (it may have ended already).',
  'not_found.exemption': 'This customer has no exemption in force. See `mamori exemptions list`.',
  conflict: 'The same thing exists already. Check the current state.',
  csrf_invalid: 'The request could not be verified. Open the page again.',
  overloaded: 'The server is busy. Wait about {retryAfter} seconds and run the command again.',
  unavailable: 'The database cannot be reached. Check DATABASE_URL and the database, and run the command again in a moment.',
  password_policy: 'That password cannot be used ({reason}). Choose another.',
  trading_password_invalid: 'The trading password is wrong.',
  trading_password_locked: 'The trading password is locked. After verifying the customer, run `mamori support unlock-trading-password`.',
  forbidden: 'This is not allowed ({reason}).',
  'forbidden.no_address': 'This customer has no verified e-mail address. Issue a code for a letter with --by post.',
  'forbidden.support_key': 'The support API key is wrong.',
  'forbidden.passkey_required': 'This customer must log in with a passkey.',
  'forbidden.no_migration_date': 'PASSKEY_REQUIRED_FROM is not set. Set the day passkeys become mandatory first.',
  passkey_invalid: 'The passkey could not be verified.',
  step_up_required: 'A further identity check is needed.',
  passkey_cooling_off: 'A newly registered passkey cannot be used yet (cooling-off period).',
  password_change_required: 'The login password must be changed.',
  passkey_enrolment_required: 'A passkey must be registered.',
  passkey_not_new: 'This customer has no new passkey in its cooling-off period, so there is nothing to cancel.',
  'secret_unreadable.oidc':
    'An OpenID Connect secret ({column}, key {keyId}) cannot be read with the keys configured. Check MAMORI_SECRET_KEY and MAMORI_OLD_SECRET_KEYS, put that key back in MAMORI_OLD_SECRET_KEYS and run this again. If the key of a client secret is lost, remove and add the client again (oidc-clients remove / add).',
  secret_unreadable:
    "This customer's one-time password secret cannot be read with the keys configured. Check MAMORI_SECRET_KEY and MAMORI_OLD_SECRET_KEYS; after a key rotation, put the old key back in MAMORI_OLD_SECRET_KEYS. If it is lost, verify the customer and re-enrol them with `mamori support reset-totp`.",
  'operators add/conflict.name': 'An operator named {subject} already exists.',
  'operators add/invalid_input.name': 'An operator name is 1 to 40 letters, digits, dots, hyphens or underscores.',
  'operators enrol/not_found.name': 'There is no operator named {subject}.',
  'operators enrol/invalid_input.name': 'There is no operator named {subject}.',
  'operators enrol/desk_denied.disabled': '{subject} is disabled; a disabled operator cannot enrol.',
  'operators disable/not_found.name': 'There is no operator named {subject}.',
  'operators disable/invalid_input.name': 'There is no operator named {subject}.',
  'operators disable/desk_denied.last_supervisor': '{subject} is the last enabled supervisor and cannot be disabled: add another supervisor first (mamori operators add NAME --role supervisor).',
  'operators api-keys add/not_found.name': 'There is no operator named {subject}. Create one first: mamori operators add NAME --role viewer|operator|supervisor',
  'operators api-keys add/desk_denied.disabled': '{subject} is disabled; a disabled operator gets no key.',
  'operators api-keys add/invalid_input.label': 'A label is at most 80 characters.',
  'operators api-keys list/not_found.name': 'There is no operator named {subject}.',
  'operators api-keys revoke/not_found.keyId': 'There is no key {subject}. List them with: mamori operators api-keys list',
  'operators api-keys revoke/flow_state.revoked': 'Key {subject} was already revoked.',
};

const CATALOGS: Record<CliLanguage, Sentences> = { ja: jaCliErrors, en: enCliErrors };

/** `--lang` if given, else the locale (LC_ALL, LC_MESSAGES, LANG): Japanese for a ja locale, English otherwise. */
export function cliLanguage(env: NodeJS.ProcessEnv, requested?: string): CliLanguage {
  if (requested === 'ja' || requested === 'en') return requested;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** Which command failed, and on what (its first argument): a command may word a failure its own way. */
export interface ErrorContext {
  /** The command's words joined, `operators add`. */
  command?: string;
  subject?: string;
}

/**
 * The sentence for a failure: the command's own for the code and detail, else the code's most
 * precise one, else the code's; with the details, and {subject}, filled in.
 */
export function errorSentence(lang: CliLanguage, code: string, details: Record<string, unknown>, context: ErrorContext = {}): string {
  const catalog = CATALOGS[lang];
  const detail = details.field ?? details.reason ?? details.state;
  const precise = typeof detail === 'string' ? `${code}.${detail}` : undefined;
  const text = (precise && ((context.command && catalog[`${context.command}/${precise}`]) || catalog[precise])) || catalog[code] || `${code}`;
  const vars: Record<string, unknown> = { ...details, subject: context.subject };
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? '?'));
}
