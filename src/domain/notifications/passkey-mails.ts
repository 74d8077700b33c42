/**
 * The mails of protected passkey registration (issue 16; the code mail's own lines are in
 * reauthentication-notes.ts): the notice of a registration (with the browser it was made from),
 * the notice that a confirmation was closed by wrong codes, and the notice of a new passkey
 * cancelled. Plain text, no links; the passkey's name and the browser are written by
 * a client, so they reach the mail only through mail-safe.ts.
 */
import type { Brand } from '../context';
import { shownIp } from '../client-address';
import type { ReauthenticationPurpose } from '../reauthentication/records';
import { formatJst } from './format';
import { mailSafeOr } from './mail-safe';
import { REAUTHENTICATION_PURPOSE_LABELS, customerMail, type MailContent } from './messages';

const unreadable = '（記号などを含むため表示しません。登録情報照会の「パスキー」でご確認ください）';

export interface PasskeyAddedFacts {
  name: string;
  at: Date;
  passkeyName: string;
  /** Browser and OS names read from the User-Agent (domain/devices/user-agent.ts), never the header itself. */
  browser: string;
  os: string;
  /** Until when the passkey is new (cannot confirm a withdrawal, may be cancelled), or null without cooling-off. */
  newUntil: Date | null;
}

export function passkeyAddedMail(brand: Brand, p: PasskeyAddedFacts): MailContent {
  const browser = mailSafeOr(p.browser, '不明');
  const os = mailSafeOr(p.os, '不明');
  const cooling = p.newUntil
    ? [
        '',
        `このパスキーは ${formatJst(p.newUntil)} まで「新しいパスキー」です。ログインには使えますが、出金などの重要なお手続きの本人確認には使えません。`,
        'お心当たりのない場合は、別の端末からログインし、登録情報照会の「パスキー」で「取消」を押して登録を取り消してください（取引パスワードは不要です）。',
        'ログインできない場合は、サポートデスクでも取り消せます。',
      ]
    : [];
  return customerMail(brand, 'パスキーを登録しました', p.name, [
    `${formatJst(p.at)}、お客さまのアカウントでパスキーを登録しました。`,
    `パスキーの名前: ${mailSafeOr(p.passkeyName, unreadable)}`,
    `登録したブラウザ: ${browser}（${os}）`,
    ...cooling,
  ]);
}

/** The wrong code that used up a confirmation's tries: the customer hears of it once. */
export function confirmationClosedMail(brand: Brand, p: { name: string; at: Date; purpose: ReauthenticationPurpose; attempts: number; ip: string }): MailContent {
  const what = REAUTHENTICATION_PURPOSE_LABELS[p.purpose];
  return customerMail(brand, `確認コードの入力誤りのお知らせ（${what}）`, p.name, [
    `${formatJst(p.at)}、「${what}」のお手続きで確認コードが${p.attempts}回誤って入力されたため、このお手続きを受け付けられなくなりました（IPアドレス: ${shownIp(p.ip) ?? '不明'}）。`,
    '',
    'お客さまご自身の操作でない場合は、ログイン中の画面と取引パスワードが第三者に使われているおそれがあります。',
    '至急、ログインパスワードと取引パスワードを変更してください。',
  ]);
}

export function passkeyCancelledMail(brand: Brand, p: { name: string; at: Date; passkeyNames: string[]; bySupport: boolean }): MailContent {
  return customerMail(brand, 'パスキーの登録を取り消しました', p.name, [
    p.bySupport
      ? `${formatJst(p.at)}、お客さまのお申し出により、当社サポートデスクで新しく登録されたパスキーの登録を取り消しました。`
      : `${formatJst(p.at)}、お客さまのアカウントで、新しく登録されたパスキーの登録を取り消しました。`,
    `パスキーの名前: ${p.passkeyNames.map((n) => mailSafeOr(n, unreadable)).join('、')}`,
    '取り消したパスキーではログインできません。',
    p.bySupport
      ? 'あわせて、すべての端末・ブラウザのログイン状態と「普段ご利用の環境」の登録を解除しました。'
      : 'あわせて、取り消しを行った端末以外のすべての端末・ブラウザのログイン状態と「普段ご利用の環境」の登録を解除しました。',
    'ログインパスワードの変更をおすすめします。',
  ]);
}
