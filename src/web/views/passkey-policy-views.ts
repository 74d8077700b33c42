/**
 * What customers see of the phishing-resistant migration: the countdown before the date (every
 * login page and the top page), the reason a session was taken to registration, and the risk an
 * exempt customer runs. Pure functions of their data.
 */
import type { PasskeyRequirement } from '../../domain/passkey-policy/requirement';
import type { Locale, Translate } from '../../i18n';
import { formatMigrationDay } from '../../i18n/passkey-policy';
import { html, type Html } from '../html';

/** Where a customer registers a passkey (the screen hardens); the gate sends pending sessions here. */
export const PASSKEY_REGISTRATION_PAGE = '/account/passkeys';

interface Words {
  t: Translate;
  locale: Locale;
}

/** The last day an exemption applies: it ends at 00:00 JST of the next. */
const lastDay = (until: Date) => new Date(until.getTime() - 1);

function banner(title: string, lines: string[], link: Html, kind: 'announce' | 'required' | 'exempt'): Html {
  return html`<section class="recommend passkey-migration" data-passkey-migration="${kind}" aria-labelledby="passkey-migration-${kind}">
      <h2 id="passkey-migration-${kind}">${title}</h2>
      ${lines.map((l) => html`<p>${l}</p>`)}
      ${link}
    </section>`;
}

/**
 * Before the date, on every login page: the customer is not known yet, so it speaks to all. Its
 * link leads through the login to the registration screen (the page asked for is kept).
 */
export function loginAnnouncement(w: Words, from: Date): Html {
  const date = formatMigrationDay(w.locale, from);
  const link = html`<p><a href="${PASSKEY_REGISTRATION_PAGE}">${w.t('passkeyPolicy.registerAfterLogin')}</a></p>`;
  return banner(w.t('passkeyPolicy.announceTitle', { date }), [w.t('passkeyPolicy.announceLogin', { date }), w.t('passkeyPolicy.announceWhy')], link, 'announce');
}

/** On the page a pending session is held to. */
export function registrationRequired(w: Words, from: Date | null): Html {
  const date = from ? formatMigrationDay(w.locale, from) : '';
  return banner(w.t('passkeyPolicy.requiredTitle'), [w.t('passkeyPolicy.requiredLead', { date })], html``, 'required');
}

/** The top page's word for this customer: the countdown with a link to register, or the exemption's risk. */
export function homeMigrationNotice(w: Words, r: PasskeyRequirement): Html {
  const register = html`<p><a class="button primary" href="${PASSKEY_REGISTRATION_PAGE}">${w.t('passkeyPolicy.registerNow')}</a></p>`;
  if (r.kind === 'announce') {
    const date = formatMigrationDay(w.locale, r.from);
    return banner(w.t('passkeyPolicy.announceTitle', { date }), [w.t('passkeyPolicy.announceHome', { date }), w.t('passkeyPolicy.announceWhy')], register, 'announce');
  }
  if (r.kind === 'exempt') {
    const date = formatMigrationDay(w.locale, lastDay(r.until));
    return banner(w.t('passkeyPolicy.exemptTitle', { date }), [w.t('passkeyPolicy.exemptRisk')], register, 'exempt');
  }
  return html``;
}
