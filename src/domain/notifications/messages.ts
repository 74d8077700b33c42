/**
 * The text of every mail Mamori sends, in Japanese. Deliberately plain text and without any link
 * to a login page: the 2025 FSA/JSDA guidance asks brokerages not to mail login links, so a
 * customer learns that a mail with such a link is phishing.
 */
import type { Brand } from '../context';
import { shownIp } from '../client-address';
import type { ReauthenticationPurpose } from '../reauthentication/records';
import { formatJst } from './format';
import { mailSafeOr } from './mail-safe';
import { REAUTHENTICATION_CODE_NOTES } from './reauthentication-notes';

/** An address in a mail: only a valid IP is ever printed (no client-written text, no URLs). */
const ipText = (ip: string) => shownIp(ip) ?? '不明';

export interface MailContent {
  subject: string;
  text: string;
}

const METHOD_LABELS: Record<string, string> = {
  email_code: 'メールの認証コード',
  totp: 'ワンタイムパスワード',
  recovery_code: 'リカバリーコード',
  recognized_device: '普段ご利用の環境（認証コードなし）',
  password: 'ログインID・パスワード',
  passkey: 'パスキー',
};

export function methodLabel(method: string): string {
  return METHOD_LABELS[method] ?? method;
}

export function footer(brand: Brand): string {
  return [
    '',
    'お心当たりのない場合は、第三者による不正アクセスのおそれがあります。',
    `至急、お取引店または${brand.brokerName}（フリーダイヤル ${brand.supportPhone}）までご連絡ください。`,
    '',
    '※このメールは送信専用です。当社がメールでログイン画面へのリンクをお送りすることはありません。',
    `${brand.brokerName}`,
  ].join('\n');
}

/** Every mail to a customer has this shape: 【broker】subject; the name; the body; the footer. */
export function customerMail(brand: Brand, subject: string, name: string, body: string[]): MailContent {
  return { subject: `【${brand.brokerName}】${subject}`, text: [`${name} 様`, '', ...body, footer(brand)].join('\n') };
}

/** A mailed code and how long it is valid. */
export function codeLines(label: string, p: { code: string; validMinutes: number; requestedAt: Date }): string[] {
  return [`${label}: ${p.code}`, '', `有効期限: ${p.validMinutes}分（${formatJst(p.requestedAt)} に発行）`];
}

export function loginCodeMail(brand: Brand, p: { name: string; code: string; validMinutes: number; requestedAt: Date }): MailContent {
  return customerMail(brand, '認証コードのお知らせ', p.name, [
    `${brand.serviceName}へのログインの追加認証のため、認証コードをお送りします。`,
    '',
    ...codeLines('認証コード', p),
    'ログイン画面の「認証コード」欄に入力してください。このコードは一度だけ使えます。',
    '当社の社員がこのコードをお尋ねすることはありません。誰にも教えないでください。',
  ]);
}

export function accountLockedMail(brand: Brand, p: { name: string; at: Date; minutes: number; ip: string }): MailContent {
  return customerMail(brand, 'ログインを一時的に制限しました', p.name, [
    `${formatJst(p.at)}、お客さまのログインIDでログインの誤り（パスワード・認証コードなど）が続いたため、`,
    `普段ご利用の環境（端末・ブラウザ）以外からのログインを${p.minutes}分間制限しました。`,
    `最後の試行元IPアドレス: ${ipText(p.ip)}`,
    '',
    '普段ご利用の環境からは、これまでどおりログインいただけます。',
    'ご自身の操作でない場合は、ログインパスワードの変更をおすすめします。',
  ]);
}

/** The hard cap (NIST SP 800-63B-4 §3.2.2): unrecognised browsers stay refused until cleared. */
export function accountSuspendedMail(brand: Brand, p: { name: string; at: Date; failures: number; ip: string }): MailContent {
  return customerMail(brand, '新しい環境からのログインを停止しました', p.name, [
    `${formatJst(p.at)}、お客さまのログインIDでログインの誤りが${p.failures}回続いたため、`,
    '普段ご利用の環境（端末・ブラウザ）以外からのログインを停止しました。',
    `最後の試行元IPアドレス: ${p.ip}`,
    '',
    '普段ご利用の環境からログインいただくと、停止は解除されます。',
    'ご利用の環境がない場合は、サポートデスクまでお問い合わせください。',
    'ご自身の操作でない場合は、第三者がパスワードを入手している可能性があります。ログインパスワードの変更をおすすめします。',
  ]);
}

export function loginUnlockedMail(brand: Brand, p: { name: string; at: Date }): MailContent {
  return customerMail(brand, 'ログインの制限を解除しました', p.name, [
    `${formatJst(p.at)}、サポートデスクがお客さまのログインの制限を解除しました。`,
    '新しい環境（端末・ブラウザ）からのログインには、これまでどおり追加認証が必要です。',
    'お心当たりのない場合は、サポートデスクまでお問い合わせください。',
  ]);
}

export function loginNotificationMail(
  brand: Brand,
  p: { name: string; at: Date; browser: string; os: string; ip: string; method: string },
): MailContent {
  return customerMail(brand, 'ログインのお知らせ', p.name, [
    `${brand.serviceName}へのログインがありました。`,
    '',
    `日時: ${formatJst(p.at)}`,
    // Both come from the client's User-Agent header: only what can never be a link is repeated.
    `ブラウザ: ${mailSafeOr(p.browser, '不明')}`,
    `OS: ${mailSafeOr(p.os, '不明')}`,
    `IPアドレス: ${ipText(p.ip)}`,
    `認証方法: ${methodLabel(p.method)}`,
  ]);
}

export function tradingPasswordLockedMail(brand: Brand, p: { name: string; at: Date }): MailContent {
  return customerMail(brand, '取引パスワードのご利用を停止しました', p.name, [
    `${formatJst(p.at)}、取引パスワードの誤りが規定回数を超えたため、取引パスワードによる設定変更を停止しました。`,
    `再開には本人確認が必要です。お取引店またはフリーダイヤル（${brand.supportPhone}）までお問い合わせください。`,
  ]);
}

export type TotpNoticeKind = 'enabled' | 'reregistered' | 'stopped' | 'reset' | 'recovery_regenerated';

const TOTP_NOTICE: Record<TotpNoticeKind, { subject: string; lines: string[] }> = {
  enabled: {
    subject: 'ワンタイムパスワードサービス申込受付のお知らせ',
    lines: ['ワンタイムパスワードサービスのお申込みを受け付けました。', '次回ログイン時から、ログインID・ログインパスワードの入力後にワンタイムパスワード（数字6桁）の入力が必要です。'],
  },
  reregistered: {
    subject: 'ワンタイムパスワードの再登録のお知らせ',
    lines: ['ワンタイムパスワードを別の端末（アプリ）に再登録しました。', 'これまでの端末に表示されるワンタイムパスワードは使えなくなりました。'],
  },
  stopped: {
    subject: 'ワンタイムパスワードサービス利用停止のお知らせ',
    lines: ['ワンタイムパスワードサービスの利用を停止しました。', '普段ご利用の環境以外からのログインでは、登録メールアドレスに送信する認証コードによる追加認証が必要になります。'],
  },
  reset: {
    subject: 'ワンタイムパスワードサービス解除のお知らせ',
    lines: ['お客さまのお申し出により、当社サポートデスクでワンタイムパスワードサービスを解除しました。', '再度ご利用になる場合は、登録情報照会からお申し込みください。'],
  },
  recovery_regenerated: {
    subject: 'リカバリーコード再発行のお知らせ',
    lines: ['リカバリーコードを再発行しました。以前のリカバリーコードは使えなくなりました。'],
  },
};

export function totpNoticeMail(brand: Brand, kind: TotpNoticeKind, p: { name: string; at: Date }): MailContent {
  const n = TOTP_NOTICE[kind];
  return {
    subject: `【${brand.brokerName}】${n.subject}`,
    text: [`${p.name} 様`, '', ...n.lines, '', `受付日時: ${formatJst(p.at)}`, footer(brand)].join('\n'),
  };
}

export function recoveryCodeUsedMail(brand: Brand, p: { name: string; at: Date; remaining: number; ip: string }): MailContent {
  return customerMail(brand, 'リカバリーコードでログインしました', p.name, [
    `${formatJst(p.at)}、リカバリーコードを使ってログインがありました（IPアドレス: ${ipText(p.ip)}）。`,
    `未使用のリカバリーコードは残り${p.remaining}個です。`,
    'スマートフォンを紛失・機種変更された場合は、ログイン後に登録情報照会の「コード再表示」から新しい端末を登録してください。',
  ]);
}

/** A passkey's name is the customer's own text (it may be a URL): shown only in a form that cannot be a link. */
const passkeyName = (name: string) => mailSafeOr(name, '（記号などを含むため表示しません。登録情報照会の「パスキー」でご確認ください）');

export function passkeyNoticeMail(brand: Brand, kind: 'added' | 'deleted', p: { name: string; at: Date; passkeyNames: string[] }): MailContent {
  const what = kind === 'added' ? 'パスキーを登録しました' : 'パスキーを削除しました';
  return customerMail(brand, `${what}`, p.name, [
    `${formatJst(p.at)}、お客さまのアカウントで${what}。`,
    `パスキーの名前: ${p.passkeyNames.map(passkeyName).join('、')}`,
  ]);
}

/** What a confirmation code is for, in the words of the screens (the mail must say exactly that). */
export const REAUTHENTICATION_PURPOSE_LABELS: Record<ReauthenticationPurpose, string> = {
  totp_apply: 'ワンタイムパスワードサービスの申込',
  totp_reregister: 'ワンタイムパスワードのコード再表示（別の端末への再登録）',
  totp_stop: 'ワンタイムパスワードサービスの利用停止',
  recovery_codes: 'リカバリーコードの再発行',
  passkey_register: 'パスキーの登録',
  passkey_delete: 'パスキーの削除',
  address_change: 'メールアドレスの変更',
  address_remove: 'メールアドレスの削除',
  address_add: 'メールアドレスの登録',
  login_password_change: 'ログインパスワードの変更',
  trading_password_change: '取引パスワードの変更',
  login_notification: 'ログイン通知の設定変更',
  withdrawal: '出金',
  withdrawal_account_change: '出金先口座の変更',
};

export function reauthenticationCodeMail(
  brand: Brand,
  p: { name: string; code: string; purpose: ReauthenticationPurpose; validMinutes: number; requestedAt: Date },
): MailContent {
  const what = REAUTHENTICATION_PURPOSE_LABELS[p.purpose];
  return customerMail(brand, `確認コードのお知らせ（${what}）`, p.name, [
    `${brand.serviceName}で「${what}」のお手続きが行われています。`,
    'ご本人の確認のため、確認コードをお送りします。お手続きの画面の「確認コード」欄に入力してください。',
    '',
    `確認コード: ${p.code}`,
    '',
    `このコードは「${what}」にだけ、お手続きを始めた画面でだけ使えます。一度だけ使えます。`,
    `有効期限: ${p.validMinutes}分（${formatJst(p.requestedAt)} に発行）`,
    '当社の社員がこのコードをお尋ねすることはありません。誰にも教えないでください。',
    ...(REAUTHENTICATION_CODE_NOTES[p.purpose] ?? []),
    '',
    'お客さまご自身のお手続きでない場合は、このコードを入力せず、',
    `至急お取引店または${brand.brokerName}サポートデスク（フリーダイヤル ${brand.supportPhone}）までお電話ください。`,
    'ログインパスワードが第三者に知られているおそれがあります。',
  ]);
}

export function addressCodeMail(brand: Brand, p: { name: string; code: string; validMinutes: number; slot: number; requestedAt: Date }): MailContent {
  return customerMail(brand, 'メールアドレス確認コードのお知らせ', p.name, [
    `${brand.serviceName}で、このメールアドレスをメールアドレス${p.slot}として登録する手続きを受け付けました。`,
    '登録を完了するには、Eメールアドレス登録照会の画面で次の確認コードを入力してください。',
    '',
    ...codeLines('確認コード', p),
    'お心当たりのない場合は、このメールを破棄してください。登録は完了しません。',
  ]);
}

export type AddressNoticeKind = 'added' | 'changed' | 'changed_old' | 'removed';

const ADDRESS_NOTICE: Record<AddressNoticeKind, { subject: string; line: (slot: number, masked: string) => string }> = {
  added: { subject: 'メールアドレス登録のお知らせ', line: (slot, masked) => `メールアドレス${slot}に新しいメールアドレス（${masked}）を登録しました。` },
  changed: { subject: 'メールアドレス変更のお知らせ', line: (slot, masked) => `メールアドレス${slot}を新しいメールアドレス（${masked}）に変更しました。` },
  changed_old: {
    subject: 'メールアドレス変更のお知らせ',
    line: (slot, masked) => `メールアドレス${slot}として登録されていたこのメールアドレスは、新しいメールアドレス（${masked}）に変更されました。今後、このアドレスには当社からのメールは届きません。`,
  },
  removed: { subject: 'メールアドレス削除のお知らせ', line: (slot, masked) => `メールアドレス${slot}（${masked}）の登録を削除しました。` },
};

/** docs/requirements.md R-NOTIFY-2, R-ADDR-4: an address added or changed is a mandatory notice, and the old address is told too. */
export function addressNoticeMail(brand: Brand, kind: AddressNoticeKind, p: { name: string; at: Date; slot: number; maskedAddress: string }): MailContent {
  const n = ADDRESS_NOTICE[kind];
  return {
    subject: `【${brand.brokerName}】${n.subject}`,
    text: [`${p.name} 様`, '', n.line(p.slot, p.maskedAddress), '', `受付日時: ${formatJst(p.at)}`, footer(brand)].join('\n'),
  };
}

export function loginNotificationChangedMail(brand: Brand, p: { name: string; at: Date; slot: number; on: boolean }): MailContent {
  return customerMail(brand, 'ログイン通知の設定変更のお知らせ', p.name, [
    `メールアドレス${p.slot}のログイン通知を「${p.on ? '通知する' : '通知しない'}」に変更しました。`,
    '',
    `受付日時: ${formatJst(p.at)}`,
  ]);
}

export function passwordChangedMail(brand: Brand, kind: 'login' | 'trading', p: { name: string; at: Date; ip: string }): MailContent {
  const what = kind === 'login' ? 'ログインパスワード' : '取引パスワード';
  const extra = kind === 'login' ? ['ほかの端末・ブラウザのログインはすべて終了し、普段ご利用の環境の登録も解除しました。'] : [];
  return {
    subject: `【${brand.brokerName}】${what}変更のお知らせ`,
    text: [`${p.name} 様`, '', `${formatJst(p.at)}、${what}を変更しました（IPアドレス: ${ipText(p.ip)}）。`, ...extra, footer(brand)].join('\n'),
  };
}

export function tradingPasswordUnlockedMail(brand: Brand, p: { name: string; at: Date }): MailContent {
  return {
    subject: `【${brand.brokerName}】取引パスワードのご利用を再開しました`,
    text: [`${p.name} 様`, '', `${formatJst(p.at)}、お客さまのお申し出により、取引パスワードのご利用を再開しました。`, footer(brand)].join('\n'),
  };
}
