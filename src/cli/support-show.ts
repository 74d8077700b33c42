/**
 * `mamori support show LOGIN_ID`: the customer's state in a few lines the operator reads before
 * acting, in their language, or as JSON for scripts (--json). The state comes from the domain's
 * CustomerStateReader; this file only words it.
 */
import type { CustomerState } from '../domain/support/customer-state';
import type { CliLanguage } from './messages';
import { fill } from './answers';

const LABELS = {
  ja: {
    customer: 'お客様', created: '口座登録', password: 'ログインパスワード変更', mustChange: '次回ログイン時に変更が必要',
    trading: '取引パスワード', tradingLocked: 'ロック中（{at} から）', tradingOk: 'ロックなし',
    totp: 'ワンタイムパスワード', totpOn: '利用中（{at} から、鍵 {key}）', totpOff: '未利用',
    passkeys: 'パスキー', none: 'なし', coolingOff: '待機期間中（{at} まで）', lastUsed: '最終利用 {at}', neverUsed: '未使用',
    addresses: 'メールアドレス', verified: '確認済み', unverified: '未確認', notice: 'ログイン通知あり', representative: '代表',
    browsers: '認識済みブラウザ', sessions: 'ログイン中のセッション', locks: 'ロック',
    lockLoginId: 'ログインID（パスワード誤り {n} 回）', lockAccount: '口座（連続失敗 {n} 回）', suspended: '停止中（窓口での解除が必要）', lockedUntil: '{at} までロック', counting: 'ロックなし',
    exemption: 'パスキー必須の免除', exemptionLine: '{at} まで（{by}: {reason}）',
    lastLogins: '最近のログイン', events: '最近の記録', by: '担当', reason: '理由',
  },
  en: {
    customer: 'Customer', created: 'account created', password: 'login password changed', mustChange: 'must change it at the next login',
    trading: 'Trading password', tradingLocked: 'locked since {at}', tradingOk: 'not locked',
    totp: 'One-time passwords', totpOn: 'in use since {at} (key {key})', totpOff: 'not in use',
    passkeys: 'Passkeys', none: 'none', coolingOff: 'new, cooling off until {at}', lastUsed: 'last used {at}', neverUsed: 'never used',
    addresses: 'Addresses', verified: 'verified', unverified: 'not verified', notice: 'login notices', representative: 'representative',
    browsers: 'Recognised browsers', sessions: 'Live sessions', locks: 'Locks',
    lockLoginId: 'login ID ({n} wrong passwords)', lockAccount: 'account ({n} consecutive failures)', suspended: 'suspended until the desk unlocks it', lockedUntil: 'locked until {at}', counting: 'not locked',
    exemption: 'Passkey exemption', exemptionLine: 'until {at} ({by}: {reason})',
    lastLogins: 'Last logins', events: 'Last events', by: 'by', reason: 'reason',
  },
} as const;

/** Times as the desk and the customer speak of them: Japan time. */
const jst = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') + ' JST';

export function renderCustomerState(s: CustomerState, lang: CliLanguage): string {
  const L = LABELS[lang];
  const list = (title: string, items: string[]) => [`${title}: ${items.length ? '' : L.none}`.trimEnd(), ...items.map((i) => `  - ${i}`)];
  const lines = [
    `${L.customer}: ${s.loginId} (${s.name}); ${L.created} ${jst(s.createdAt)}; ${L.password} ${jst(s.passwordChangedAt)}${s.passwordChangeRequired ? `; ${L.mustChange}` : ''}`,
    `${L.totp}: ${s.totp.enabledAt ? fill(L.totpOn, { at: jst(s.totp.enabledAt), key: s.totp.keyId ?? '?' }) : L.totpOff}`,
    `${L.trading}: ${s.tradingPasswordLockedAt ? fill(L.tradingLocked, { at: jst(s.tradingPasswordLockedAt) }) : L.tradingOk}`,
    ...list(L.passkeys, s.passkeys.map((p) => `${p.name} (${jst(p.createdAt)}; ${p.coolingOffUntil ? fill(L.coolingOff, { at: jst(p.coolingOffUntil) }) : p.lastUsedAt ? fill(L.lastUsed, { at: jst(p.lastUsedAt) }) : L.neverUsed})`)),
    ...list(L.addresses, s.addresses.map((a) => `${a.slot}${a.slot === 1 ? ` ${L.representative}` : ''}: ${a.address} (${a.verified ? L.verified : L.unverified}${a.loginNotification ? `, ${L.notice}` : ''})`)),
    ...list(L.browsers, s.browsers.map((b) => `${b.userAgent} (${fill(L.lastUsed, { at: jst(b.lastUsedAt) })})`)),
    ...list(L.sessions, s.sessions.map((x) => `${x.method} ${jst(x.authenticatedAt)} ${x.ip} ${x.userAgent}`)),
    ...list(L.locks, s.locks.map((l) => `${fill(l.kind === 'account' ? L.lockAccount : L.lockLoginId, { n: l.failures })}: ${l.suspended ? L.suspended : l.until ? fill(L.lockedUntil, { at: jst(l.until) }) : L.counting}`)),
    `${L.exemption}: ${s.exemption ? fill(L.exemptionLine, { at: jst(s.exemption.until), by: s.exemption.operator, reason: s.exemption.reason }) : L.none}`,
    ...list(L.lastLogins, s.lastLogins.map((e) => `${jst(e.at)} ${String(e.detail.method ?? '')} ${e.ip ?? ''}`.trimEnd())),
    ...list(L.events, s.recentEvents.map((e) => {
      const reason = typeof e.detail.reason === 'string' ? e.detail.reason : '';
      return [`${jst(e.at)} ${e.type}`, e.operator ? `${L.by} ${e.operator}` : '', reason ? `${L.reason}: ${reason}` : ''].filter(Boolean).join('; ');
    })),
  ];
  return lines.join('\n');
}
