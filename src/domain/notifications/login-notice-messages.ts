/**
 * The mandatory login notices (docs/requirements.md R-NOTICE-1..3), beside messages.ts: a login
 * from a browser not seen before, a login right after failures, a recovery code used, and a second
 * step failed after a right password. One login is one mail to each address: when an address has
 * ログイン通知 on as well, its usual 「ログインのお知らせ」 says the reasons too. Plain text, no link.
 */
import type { Brand } from '../context';
import { shownIp } from '../client-address';
import { countryName } from '../risk/country-names';
import { formatJst } from './format';
import { riskSignalLabel } from './risk-messages';
import { mailSafeOr } from './mail-safe';
import { customerMail, loginNotificationMail, methodLabel, type MailContent } from './messages';

/** Why a login is mailed whatever the customer's notice setting. */
export type LoginNoticeReason = 'new_browser' | 'after_failures' | 'recovery_code' | 'passkey_exempt' | 'unusual_login';

export interface LoginNoticeFacts {
  name: string;
  at: Date;
  browser: string;
  os: string;
  ip: string;
  method: string;
  reasons: LoginNoticeReason[];
  /** Failures since the last successful login (after_failures). */
  failures?: number;
  /** Unused recovery codes left (recovery_code). */
  recoveryCodesLeft?: number;
  /** The behaviour signals and the place (unusual_login); country and network come from shipped data. */
  risk?: { signals: readonly string[]; country: string | null; network: string | null };
}

const SUBJECT: Record<LoginNoticeReason, string> = {
  recovery_code: 'リカバリーコードでログインしました',
  new_browser: '新しいブラウザからログインがありました',
  after_failures: 'ログインの失敗の後にログインがありました',
  passkey_exempt: 'ログインのお知らせ（パスキー以外の方法によるログイン）',
  unusual_login: 'いつもと異なるログインのお知らせ',
};

const SHORT: Record<LoginNoticeReason, string> = {
  recovery_code: 'リカバリーコードの使用',
  new_browser: '新しいブラウザ',
  after_failures: 'ログイン失敗の後',
  passkey_exempt: 'パスキー以外の方法',
  unusual_login: 'いつもと異なる状況',
};

function reasonLine(r: LoginNoticeReason, f: LoginNoticeFacts): string {
  if (r === 'unusual_login') {
    const place = `国・地域: ${countryName(f.risk?.country ?? null) ?? '不明'}、ネットワーク: ${f.risk?.network ? mailSafeOr(f.risk.network, '不明') : '不明'}`;
    return [`・いつもと異なる状況でのログインです（${place}）。`, ...(f.risk?.signals ?? []).map((s) => `　- ${riskSignalLabel(s)}`)].join('\n');
  }
  if (r === 'new_browser') return '・これまでにご利用のないブラウザ（または端末）からのログインです。';
  if (r === 'after_failures') return `・前回のログイン以降、ログインの失敗が${f.failures ?? 0}回ありました。`;
  if (r === 'passkey_exempt') return '・パスキーの登録を免除されているため、パスキー以外の方法でログインされました。免除中はすべてのログインをお知らせします。';
  return `・リカバリーコードを使ってログインされました。未使用のリカバリーコードは残り${f.recoveryCodesLeft ?? 0}個です。`;
}

const ORDER: LoginNoticeReason[] = ['recovery_code', 'unusual_login', 'new_browser', 'after_failures', 'passkey_exempt'];

/**
 * The one mail for one login to one address. `optedIn`: the address has ログイン通知 on, so the
 * subject stays the 「ログインのお知らせ」 the customer asked for (naming the reasons).
 */
export function loginNoticeMail(brand: Brand, f: LoginNoticeFacts, optedIn: boolean): MailContent {
  const reasons = ORDER.filter((r) => f.reasons.includes(r));
  if (reasons.length === 0) return loginNotificationMail(brand, f);
  const first = reasons[0]!;
  const subject = first === 'recovery_code' || !optedIn ? SUBJECT[first] : `ログインのお知らせ（${reasons.map((r) => SHORT[r]).join('・')}）`;
  return customerMail(brand, `${subject}`, f.name, [
    `${brand.serviceName}へのログインがありました。`,
    optedIn ? 'ログイン通知の設定によるお知らせです。あわせて次の点をお知らせします。' : '次の理由により、ログイン通知の設定にかかわらずお知らせしています。',
    ...reasons.map((r) => reasonLine(r, f)),
    '',
    `日時: ${formatJst(f.at)}`,
    // Both come from the client's User-Agent header: only what can never be a link is repeated.
    `ブラウザ: ${mailSafeOr(f.browser, '不明')}`,
    `OS: ${mailSafeOr(f.os, '不明')}`,
    `IPアドレス: ${shownIp(f.ip) ?? '不明'}`,
    `認証方法: ${methodLabel(f.method)}`,
    ...(reasons.includes('recovery_code') ? ['', 'スマートフォンを紛失・機種変更された場合は、ログイン後に登録情報照会の「コード再表示」から新しい端末を登録してください。'] : []),
  ]);
}

/**
 * 「someone has your password」: the login password was right and the second step then failed.
 * Mailed once per login flow (the first wrong answer), never once per wrong code.
 */
export function secondStepFailedMail(brand: Brand, p: { name: string; at: Date; browser: string; os: string; ip: string; method: string }): MailContent {
  return customerMail(brand, 'ログインの追加認証に失敗しました', p.name, [
    `${formatJst(p.at)}、ログインID・ログインパスワードは正しく入力されましたが、その後の追加認証（${methodLabel(p.method)}）に失敗しました。`,
    '',
    `ブラウザ: ${mailSafeOr(p.browser, '不明')}`,
    `OS: ${mailSafeOr(p.os, '不明')}`,
    `IPアドレス: ${shownIp(p.ip) ?? '不明'}`,
    '',
    'お客様ご自身の入力誤りであれば、このメールへのご対応は不要です。',
    'お心当たりがない場合は、ログインパスワードが第三者に知られているおそれがあります。ログイン後、直ちにセキュリティ設定の「ログインパスワード変更」からパスワードを変更してください。',
    'このお知らせは、1回のログイン操作につき1度だけお送りします。',
  ]);
}
