/**
 * ログイン履歴's country / network column, the behaviour-signal decisions among its results, and
 * the attribution DB-IP's licence (CC BY 4.0) asks of a page showing its network names.
 */
import type { HistoryEntry } from '../../domain/accounts/security-service';
import { countryName } from '../../domain/risk/country-names';
import { hasMessage, type Translate } from '../../i18n';
import { html, type Html } from '../html';
import type { ViewContext } from './kit';

const localeOf = (t: Translate) => (t('lang.name') === 'English' ? 'en' : 'ja');

export function placeText(v: ViewContext, e: HistoryEntry): string {
  const country = countryName(e.country, localeOf(v.t));
  return [country, e.network].filter(Boolean).join(' / ') || '—';
}

const label = (t: Translate, key: string) => (hasMessage(key) ? t(key) : key);

export function historyResult(t: Translate, e: HistoryEntry): string {
  if (e.result !== 'risk' || !e.risk) return t(`history.result.${e.result}`);
  const signals = e.risk.signals.map((s) => label(t, `risk.signal.${s}`)).join('、');
  return t('history.result.risk', { action: label(t, `risk.action.${e.risk.action}`), signals });
}

export function networkAttribution(t: Translate, history: readonly HistoryEntry[]): Html {
  if (!history.some((e) => e.network)) return html``;
  return html`<p class="note">${t('history.attribution')}<a href="https://db-ip.com/">IP Geolocation by DB-IP</a></p>`;
}
