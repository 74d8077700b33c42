/**
 * ログイン中の端末 on セキュリティ設定: the customer's live sessions, this one marked
 * 「ご利用中の端末」, ログアウト for each other one and 「他のすべての端末からログアウト」.
 */
import type { SessionView } from '../../domain/sessions/customer-sessions';
import { formatDateTime, methodName } from '../../i18n/format';
import { html } from '../html';
import { columnsTable, postButton, type ViewContext } from './kit';

export function sessionsSection(v: ViewContext, sessions: SessionView[]): ReturnType<typeof html> {
  const { t } = v;
  const rows = sessions.map((s) => {
    const what = `${s.browser} / ${s.os}`;
    const action = s.current
      ? html`<span class="badge">${t('sessions.current')}</span>`
      : postButton(v.csrf, `/account/sessions/${s.id}/logout`, t('sessions.logout'), { ariaLabel: `${what} ${t('sessions.logout')}` });
    // The country comes later from the behaviour signals: shown beside the address once known.
    const where = s.country ? `${s.ip} (${s.country})` : s.ip;
    return html`<tr${s.current ? html` aria-current="true"` : html``}><td data-label="${t('history.browser')}">${what}</td><td data-label="${t('sessions.address')}">${where}</td><td data-label="${t('sessions.started')}">${formatDateTime(t, s.startedAt)}</td><td data-label="${t('sessions.lastSeen')}">${formatDateTime(t, s.lastSeenAt)}</td><td data-label="${t('history.method')}">${methodName(t, s.method)}</td><td>${action}</td></tr>`;
  });
  const others = sessions.some((s) => !s.current);
  return html`
      <h2 id="sessions">${t('sessions.title')}</h2>
      <p class="note">${t('sessions.lead')}</p>
      <div class="table-scroll">${columnsTable({ className: 'sessions', headers: [t('history.browser'), t('sessions.address'), t('sessions.started'), t('sessions.lastSeen'), t('history.method'), ''], rows })}</div>
      ${others ? postButton(v.csrf, '/account/sessions/logout-others', t('sessions.logoutOthers')) : html`<p>${t('sessions.noOthers')}</p>`}`;
}
