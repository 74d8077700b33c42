/** Lines a purpose adds to the confirmation-code mail (messages.ts reauthenticationCodeMail); kept apart so messages.ts imports no mail that imports it. */
import type { ReauthenticationPurpose } from '../reauthentication/records';

/**
 * Said in the confirmation-code mail of a purpose besides the usual lines. For a passkey: what
 * the code would let the one who asked for it do, so that a customer who did not ask knows this
 * is the moment an intruder adds their own way in.
 */
export const REAUTHENTICATION_CODE_NOTES: Partial<Record<ReauthenticationPurpose, string[]>> = {
  passkey_register: [
    '',
    'このコードは、お客さまのアカウントにパスキーを追加するためのものです。',
    '追加されたパスキーを持つ端末からは、ログインIDとパスワードを入力せずにログインできるようになります。',
    'お心当たりのない場合は、このコードを入力せず誰にも伝えないでください。第三者がログイン中の画面と取引パスワードを使っているおそれがあります。',
    'ログインパスワードと取引パスワードを変更し、下記までご連絡ください。',
  ],
};
