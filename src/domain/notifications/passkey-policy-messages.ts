/**
 * The mails of the phishing-resistant migration: the announcement of the date passkeys become
 * mandatory, and the support desk's exemption granted or revoked. Plain text, no link (as every
 * mail: messages.ts), only our own words, dates and the customer's registered name.
 */
import type { Brand } from '../context';
import { formatJst } from './format';
import { customerMail, type MailContent } from './messages';

const JST_DAY = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });

/** `2027年4月1日(木)`: the calendar day in Japan. */
export function formatJstDay(d: Date): string {
  return JST_DAY.format(d);
}

/** The day before `d` (an exemption's expiry is 00:00 JST of the day after its last day). */
const lastDayBefore = (d: Date) => new Date(d.getTime() - 1);

export function passkeyAnnouncementMail(brand: Brand, p: { name: string; from: Date }): MailContent {
  return customerMail(brand, `${formatJstDay(p.from)}からログインにパスキーが必要になります`, p.name, [
    `${brand.serviceName}では、${formatJstDay(p.from)}から、ログインにパスキーの登録が必要になります。`,
    '',
    '偽のログイン画面でパスワードや認証コードを盗み、すぐに不正にログインする「リアルタイムフィッシング」の被害が増えています。',
    '金融庁の監督指針と日本証券業協会のガイドライン（2025年）は、フィッシングに強い認証（パスキー等）をログイン・出金・出金先口座の変更で必須とするよう求めています。',
    'パスキーは登録したご本人の端末でしか使えず、偽のサイトでは使えないため、フィッシングによる不正ログインを防ぎます。',
    '',
    `お客さまはまだパスキーを登録されていません。${formatJstDay(p.from)}以降は、ログインの後にパスキーの登録画面が表示され、登録が済むまで他の画面はご利用いただけません。`,
    'お早めに、ログイン後の「登録情報照会」→「パスキー」から登録してください（取引パスワードと確認コードが必要です）。',
    'パスキーを使える端末をお持ちでない場合は、サポートデスクまでご相談ください。',
    '',
    '※このメールにはリンクを記載していません。ブックマークまたは公式アプリからログインしてください。',
  ]);
}

export function exemptionGrantedMail(brand: Brand, p: { name: string; at: Date; until: Date }): MailContent {
  return customerMail(brand, 'パスキー登録の例外を登録しました', p.name, [
    `${formatJst(p.at)}、サポートデスクがお客さまのアカウントにパスキー登録の例外を登録しました。`,
    `期限: ${formatJstDay(lastDayBefore(p.until))}まで`,
    '',
    'この期間は、これまでどおりメールの認証コードまたはワンタイムパスワードでログインできます。',
    'ただし、これらの方法はリアルタイムフィッシングに弱く、パスキーより不正ログインの危険が高くなります。',
    'そのため、この期間はログインのたびに、ログイン通知の設定にかかわらず、登録済みのすべてのメールアドレスへお知らせします。',
    'パスキーを使える端末をご用意いただけましたら、お早めに登録してください。',
  ]);
}

export function exemptionRevokedMail(brand: Brand, p: { name: string; at: Date }): MailContent {
  return customerMail(brand, 'パスキー登録の例外を取り消しました', p.name, [
    `${formatJst(p.at)}、サポートデスクがお客さまのパスキー登録の例外を取り消しました。`,
    '次回のログインから、パスキーの登録が必要になります。',
  ]);
}
