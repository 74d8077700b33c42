/**
 * The mail of a login whose behaviour signals ask for one (RISK_*=notify; docs/operations.md).
 * Kept apart from the mandatory login notices (login-notice-messages.ts) so that the two can be
 * merged into one mail per login later without either changing its words. No links; the network's
 * name comes from the shipped data, not from the client, and is still passed through the mail-safe rule.
 */
import type { Brand } from '../context';
import { shownIp } from '../client-address';
import { countryName } from '../risk/country-names';
import type { RiskSignal } from '../risk/signals';
import { formatJst } from './format';
import { mailSafeOr } from './mail-safe';
import type { MailContent } from './messages';

const SIGNAL_LABELS: Record<RiskSignal, string> = {
  new_country: '最近ご利用のない国・地域からのログインです',
  new_network: '最近ご利用のないネットワーク（接続事業者）からのログインです',
  impossible_travel: '直前のログインと離れた国・地域から、短時間のうちにログインがありました',
  stuffing_address: '多数のログインIDを試している接続元からのログインです',
  stuffing_network: '多数のログインIDを試しているネットワークからのログインです',
  after_failures: 'ログインの失敗が続いた直後のログインです',
  unusual_hour: '普段ログインされない時間帯のログインです',
};

export function riskSignalLabel(signal: string): string {
  return SIGNAL_LABELS[signal as RiskSignal] ?? signal;
}

export function riskNoticeMail(
  brand: Brand,
  p: { name: string; at: Date; ip: string; country: string | null; network: string | null; signals: readonly RiskSignal[] },
): MailContent {
  return {
    subject: `【${brand.brokerName}】いつもと異なるログインのお知らせ`,
    text: [
      `${p.name} 様`,
      '',
      `${brand.serviceName}に、いつもと異なる状況でのログインがありました。`,
      '',
      `日時: ${formatJst(p.at)}`,
      `IPアドレス: ${shownIp(p.ip) ?? '不明'}`,
      `国・地域: ${countryName(p.country) ?? '不明'}`,
      `ネットワーク: ${p.network ? mailSafeOr(p.network, '不明') : '不明'}`,
      '理由:',
      ...p.signals.map((s) => `・${riskSignalLabel(s)}`),
      '',
      'お心当たりのない場合は、第三者による不正アクセスのおそれがあります。',
      `至急、ログインパスワードを変更し、お取引店または${brand.brokerName}（フリーダイヤル ${brand.supportPhone}）までご連絡ください。`,
      '',
      '※このメールは送信専用です。当社がメールでログイン画面へのリンクをお送りすることはありません。',
      brand.brokerName,
    ].join('\n'),
  };
}
